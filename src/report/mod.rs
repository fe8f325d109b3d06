//! Stage 5 — report: renders a [`Run`](crate::Run)'s diagnostics. Text is
//! produced here and only here, in the user's language.

pub mod human;
pub mod json;
pub mod messages;

use crate::diagnostic::Diagnostic;
use crate::i18n::Lang;
use crate::Run;

/// The help line of a diagnostic: its source clause, and where to read more.
pub fn help(run: &Run, d: &Diagnostic, lang: Lang) -> Option<String> {
    source(run, d.rule).map(|s| lang.source_help(&s))
}

/// The expanded source clause of a rule, if any.
pub fn source(run: &Run, rule: &str) -> Option<String> {
    if crate::check::registry::is_format_rule(rule) {
        return Some(match rule {
            "config/invalid" => "kdl, katalogformat v1 (kdl.yaml)".to_string(),
            _ => "kdl, katalogformat v1".to_string(),
        });
    }
    run.model.source_of(rule)
}
