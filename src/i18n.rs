//! The user's language: Swedish by default, English on request.

use crate::diagnostic::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    /// From `--lang`, else `LANG`/`LC_ALL`/`LC_MESSAGES` (`en*` → English),
    /// else Swedish.
    pub fn detect(flag: Option<Lang>) -> Lang {
        if let Some(l) = flag {
            return l;
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                return if v.starts_with("en") {
                    Lang::En
                } else {
                    Lang::Sv
                };
            }
        }
        Lang::Sv
    }

    pub fn severity(self, s: Severity) -> &'static str {
        match (self, s) {
            (Lang::Sv, Severity::Error) => "fel",
            (Lang::Sv, Severity::Warning) => "varning",
            (Lang::Sv, Severity::Info) => "info",
            (Lang::En, Severity::Error) => "error",
            (Lang::En, Severity::Warning) => "warning",
            (Lang::En, Severity::Info) => "info",
        }
    }

    /// `N errors, N warnings, N infos in N files (N entities) checked in N ms`
    pub fn summary(self, s: &crate::Summary, ms: u128) -> String {
        self.summary_timed(s, Some(ms))
    }

    /// The summary line; without a time when `ms` is `None` (for output
    /// that must be byte-identical from run to run).
    pub fn summary_timed(self, s: &crate::Summary, ms: Option<u128>) -> String {
        let suppressed = if s.suppressed > 0 {
            match self {
                Lang::Sv => format!("; {} undertryckta av avsteg", s.suppressed),
                Lang::En => format!("; {} suppressed by exceptions", s.suppressed),
            }
        } else {
            String::new()
        };
        let suppressed = if s.baselined > 0 {
            match self {
                Lang::Sv => format!("{suppressed}; {} i baslinjen", s.baselined),
                Lang::En => format!("{suppressed}; {} in the baseline", s.baselined),
            }
        } else {
            suppressed
        };
        let time = match (self, ms) {
            (_, None) => String::new(),
            (Lang::Sv, Some(ms)) => format!(" på {ms} ms"),
            (Lang::En, Some(ms)) => format!(" in {ms} ms"),
        };
        match self {
            Lang::Sv => format!(
                "{} fel, {} varningar, {} info i {} filer ({} entiteter) kontrollerade{time}{suppressed}",
                s.errors, s.warnings, s.infos, s.files, s.entities
            ),
            Lang::En => format!(
                "{} errors, {} warnings, {} infos in {} files ({} entities) checked{time}{suppressed}",
                s.errors, s.warnings, s.infos, s.files, s.entities
            ),
        }
    }

    pub fn source_help(self, source: &str) -> String {
        match self {
            Lang::Sv => format!("källa: {source}"),
            Lang::En => format!("source: {source}"),
        }
    }
}
