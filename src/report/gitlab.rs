//! GitLab Code Quality report (a subset of the Code Climate JSON format):
//! an array of issues, each with `description`, `check_name`,
//! `fingerprint`, `severity` and `location.path` + `location.lines.begin`.
//! GitLab shows them in the merge request widget (new and resolved against
//! the target branch's report) and in the diff.
//!
//! Severity: `error` → `major`, `warning` → `minor`, `info` → `info`
//! (GitLab's scale is info, minor, major, critical, blocker; `critical`
//! and `blocker` are left to security tools). Paths are relative to the
//! repository root; fingerprints are those of SARIF (entity, rule, YAML
//! path — stable across line moves). Findings set aside by an exception
//! or the baseline are left out.

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::Run;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(run: &Run, lang: Lang) -> String {
    let prefix = super::repo_prefix(&run.root);
    let active: Vec<_> = run.active().collect();
    let fps = super::fingerprints(run, active.iter().copied());
    let issues: Vec<Issue> = active
        .iter()
        .zip(fps)
        .map(|(d, fingerprint)| {
            let begin = d.pos.line.max(1);
            Issue {
                kind: "issue",
                description: format!("{}: {}", d.rule, d.msg.render(lang, &run.model)),
                check_name: d.rule,
                fingerprint,
                severity: severity(d.severity),
                categories: ["Compliance"],
                location: Location {
                    path: format!("{prefix}{}", run.rel(d.file)),
                    lines: Lines {
                        begin,
                        end: d.pos.end_line.max(begin),
                    },
                },
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}
