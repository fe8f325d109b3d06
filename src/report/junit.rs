//! JUnit XML (GitLab test reports, Jenkins), written with `quick-junit`,
//! which escapes text and attributes and drops characters XML cannot hold.
//!
//! One `<testsuite>` per checked file (named by its path from the
//! repository root). Each finding is a `<testcase>` named
//! `rule @ entity.path` (stable across line moves, so GitLab can follow a
//! case between pipelines), class name the file; errors and warnings are
//! `<failure>`s whose `type` is the severity, infos pass with the message
//! as output. A file without findings has one passing case, `kdl`, so the
//! report counts compliant files too. Findings set aside by an exception
//! or the baseline are left out.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::diagnostic::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::Run;

fn case_name(d: &Diagnostic, file: &str) -> String {
    let who = d.entity.as_deref().unwrap_or(file);
    if d.path.is_empty() {
        format!("{} @ {who}", d.rule)
    } else {
        format!("{} @ {who}.{}", d.rule, d.path)
    }
}

fn case(run: &Run, d: &Diagnostic, file: &str, lang: Lang) -> TestCase {
    let message = d.msg.render(lang, &run.model);
    let mut details = format!(
        "{file}:{}:{}: {} {}: {message}",
        d.pos.line,
        d.pos.col,
        lang.severity(d.severity),
        d.rule
    );
    if let Some(help) = super::help(run, d, lang) {
        details.push('\n');
        details.push_str(&help);
    }
    let status = match d.severity {
        Severity::Info => TestCaseStatus::success(),
        Severity::Error | Severity::Warning => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(message)
                .set_type(d.severity.as_str())
                .set_description(details.clone());
            s
        }
    };
    let mut c = TestCase::new(case_name(d, file), status);
    c.set_classname(file);
    if d.severity == Severity::Info {
        c.set_system_out(details);
    }
    c
}

pub fn render(run: &Run, lang: Lang) -> String {
    let prefix = super::repo_prefix(&run.root);
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = run
        .catalog
        .files
        .iter()
        .map(|f| (format!("{prefix}{}", f.rel), Vec::new()))
        .collect();
    for d in run.active() {
        by_file
            .entry(format!("{prefix}{}", run.rel(d.file)))
            .or_default()
            .push(d);
    }
    let mut report = Report::new("kdl");
    for (file, diags) in by_file {
        let mut suite = TestSuite::new(file.as_str());
        if diags.is_empty() {
            let mut c = TestCase::new("kdl", TestCaseStatus::success());
            c.set_classname(file.as_str());
            suite.add_test_case(c);
        }
        suite.add_test_cases(diags.into_iter().map(|d| case(run, d, &file, lang)));
        report.add_test_suite(suite);
    }
    match report.to_string() {
        Ok(mut s) => {
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        Err(e) => format!("<!-- kdl: {e} -->\n"),
    }
}
