//! Findings as typed values. Checks produce [`Diagnostic`]s holding the
//! facts a message needs ([`Msg`]); text is rendered once, in the chosen
//! language, by `messages`.

use serde::{Deserialize, Serialize};

use crate::load::{Pos, Span};
pub use crate::messages::Msg;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Index of a file in the run's file table (`Catalog::files`).
pub type FileId = usize;

/// A place in a file, with a label for related spans.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    /// The span's line and column, set when the run is finalised.
    pub pos: Pos,
    pub msg: Msg,
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: FileId,
    pub span: Span,
    /// The span's line and column, set when the run is finalised
    /// ([`Diagnostic::locate`]): until then only the byte span is known.
    pub pos: Pos,
    /// YAML path of the offending key or value (`roles.agare`), used by
    /// baselines and to skip fields that failed their schema.
    pub path: String,
    /// The entity in whose file the finding is.
    pub entity: Option<String>,
    /// Another entity the finding is about (a system, for a finding on its
    /// agreement): an exception recorded there also applies.
    pub subject: Option<String>,
    pub msg: Msg,
    pub related: Vec<Related>,
    /// Set when a valid exception (avsteg) suppresses the finding.
    pub suppressed_by: Option<Suppression>,
    /// A severity the rule computed itself (e.g. `plan/next-year` is info
    /// from 1 August, a warning from 1 December); configuration still wins.
    pub severity_hint: Option<Severity>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    pub entity: String,
    pub decision: String,
    pub motivation: String,
}

impl Diagnostic {
    /// A finding with the rule's severity still to be resolved by the
    /// engine (it starts as `Error`; `check::run` applies the configured one).
    pub fn new(rule: &'static str, file: FileId, span: Span, msg: Msg) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            file,
            span,
            pos: Pos::default(),
            path: String::new(),
            entity: None,
            subject: None,
            msg,
            related: Vec::new(),
            suppressed_by: None,
            severity_hint: None,
        }
    }

    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    pub fn entity(mut self, id: &str) -> Self {
        self.entity = Some(id.to_string());
        self
    }

    pub fn subject(mut self, id: &str) -> Self {
        self.subject = Some(id.to_string());
        self
    }

    pub fn related(mut self, file: FileId, span: Span, msg: Msg) -> Self {
        self.related.push(Related {
            file,
            span,
            pos: Pos::default(),
            msg,
        });
        self
    }

    /// Sets the lines and columns of the finding and its related places
    /// from the files' [`crate::load::Lines`] (`pos_of(file, span)`).
    pub fn locate(&mut self, pos_of: impl Fn(FileId, Span) -> Pos) {
        self.pos = pos_of(self.file, self.span);
        for r in &mut self.related {
            r.pos = pos_of(r.file, r.span);
        }
    }

    pub fn severity_hint(mut self, s: Severity) -> Self {
        self.severity_hint = Some(s);
        self
    }
}
