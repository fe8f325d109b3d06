//! GitHub Actions workflow commands: one annotation per finding, shown on
//! the pull request's diff and in the run summary, then the summary line.
//!
//! `::error file=system/x.yaml,line=3,endLine=3,col=10,endColumn=19,title=kdl roles/mandatory::message`
//!
//! Severity `error`/`warning` map to the commands of the same name, `info`
//! to `notice`. Paths are relative to the repository root (see
//! [`super::repo_prefix`]). Message data escapes `%`, `\r` and `\n`;
//! property values additionally `:` and `,` — as the runner (actions/toolkit
//! `command.ts`) unescapes them. GitHub accepts columns only when the
//! annotation starts and ends on the same line, so multi-line spans carry
//! lines only.

use crate::diagnostic::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::Run;

/// Escapes the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if super::escape::is_control(c) => out.push(super::escape::stand_in(c)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c if super::escape::is_control(c) => out.push(super::escape::stand_in(c)),
            c => out.push(c),
        }
    }
    out
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One annotation.
fn annotation(run: &Run, d: &Diagnostic, prefix: &str, lang: Lang) -> String {
    let file = format!("{prefix}{}", run.rel(d.file));
    let mut props = vec![format!("file={}", escape_property(&file))];
    let sp = d.pos;
    if sp.line >= 1 {
        let end_line = sp.end_line.max(sp.line);
        props.push(format!("line={}", sp.line));
        props.push(format!("endLine={end_line}"));
        if end_line == sp.line && sp.col >= 1 {
            props.push(format!("col={}", sp.col));
            props.push(format!("endColumn={}", sp.end_col.max(sp.col)));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("kdl {}", d.rule))
    ));
    let mut message = d.msg.render(lang, &run.model);
    if let Some(help) = super::help(run, d, lang) {
        message.push('\n');
        message.push_str(&help);
    }
    format!(
        "::{} {}::{}",
        command(d.severity),
        props.join(","),
        escape_data(&message)
    )
}

pub fn render(run: &Run, lang: Lang) -> String {
    let prefix = super::repo_prefix(&run.root);
    let mut out = String::new();
    for d in run.active() {
        out.push_str(&annotation(run, d, &prefix, lang));
        out.push('\n');
    }
    if let Some(b) = &run.baseline {
        for e in &b.stale {
            out.push_str(&format!(
                "::notice title={}::{}\n",
                escape_property("kdl baseline"),
                escape_data(&crate::baseline::stale_notice(lang, &b.file, e))
            ));
        }
    }
    // No time: the same catalog gives byte-identical output.
    out.push_str(&lang.summary_timed(&run.summary, None));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_newlines_only() {
        assert_eq!(escape_data("100% klart"), "100%25 klart");
        assert_eq!(escape_data("a\r\nb"), "a%0D%0Ab");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        // `%` first: an input that looks escaped stays literal.
        assert_eq!(escape_data("%0A"), "%250A");
        // Terminal control sequences never reach the log.
        assert_eq!(escape_data("a\u{1b}]0;x\u{7}"), "a␛]0;x␇");
        assert_eq!(escape_property("f\u{1b}.yaml"), "f␛.yaml");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(escape_property("50%\n"), "50%25%0A");
        assert_eq!(escape_property("system/å.yaml"), "system/å.yaml");
    }
}
