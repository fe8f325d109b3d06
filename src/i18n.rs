//! The user's language: Swedish by default, English on request.

use crate::diagnostic::Severity;

/// A label standing on its own (a table cell, a fact on a page): its first
/// letter capitalised, "i drift" → "I drift".
pub fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

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

    /// `N errors, N warnings, N infos in N files (N entities) checked in
    /// N ms`, each noun in its number ("1 varning", "2 varningar").
    pub fn summary(self, s: &crate::Summary, ms: u128) -> String {
        self.summary_as_of(s, Some(ms), None)
    }

    /// The summary line; without a time when `ms` is `None` (for output
    /// that must be byte-identical from run to run).
    pub fn summary_timed(self, s: &crate::Summary, ms: Option<u128>) -> String {
        self.summary_as_of(s, ms, None)
    }

    /// The summary line; with `as_of`, the evaluation date is named too
    /// (`… kontrollerade per 2026-11-23 på 12 ms`).
    pub fn summary_as_of(
        self,
        s: &crate::Summary,
        ms: Option<u128>,
        as_of: Option<chrono::NaiveDate>,
    ) -> String {
        let mut tail = String::new();
        if s.suppressed > 0 {
            tail.push_str(&match self {
                Lang::Sv => format!(
                    "; {} undertryckt{} av avsteg",
                    s.suppressed,
                    if s.suppressed == 1 { "" } else { "a" }
                ),
                Lang::En => format!("; {} suppressed by exceptions", s.suppressed),
            });
        }
        if s.baselined > 0 {
            tail.push_str(&match self {
                Lang::Sv => format!("; {} i baslinjen", s.baselined),
                Lang::En => format!("; {} in the baseline", s.baselined),
            });
        }
        let date = as_of.map(|d| match self {
            Lang::Sv => format!(" per {d}"),
            Lang::En => format!(" as of {d}"),
        });
        let date = date.unwrap_or_default();
        let time = match (self, ms) {
            (_, None) => String::new(),
            (Lang::Sv, Some(ms)) => format!(" på {ms} ms"),
            (Lang::En, Some(ms)) => format!(" in {ms} ms"),
        };
        match self {
            Lang::Sv => format!(
                "{} fel, {}, {} info i {} ({}) {}{date}{time}{tail}",
                s.errors,
                self.count(s.warnings, "varning", "varningar"),
                s.infos,
                self.count(s.files, "fil", "filer"),
                self.count(s.entities, "entitet", "entiteter"),
                if s.files == 1 {
                    "kontrollerad"
                } else {
                    "kontrollerade"
                },
            ),
            Lang::En => format!(
                "{}, {}, {} in {} ({}) checked{date}{time}{tail}",
                self.count(s.errors, "error", "errors"),
                self.count(s.warnings, "warning", "warnings"),
                self.count(s.infos, "info", "infos"),
                self.count(s.files, "file", "files"),
                self.count(s.entities, "entity", "entities"),
            ),
        }
    }

    /// `n` and the noun in the right number.
    pub fn count(self, n: usize, one: &str, many: &str) -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    }

    pub fn source_help(self, source: &str) -> String {
        match self {
            Lang::Sv => format!("källa: {source}"),
            Lang::En => format!("source: {source}"),
        }
    }
}

/// A table of an output's own words: (key, Swedish, English).
pub struct Words(pub &'static [(&'static str, &'static str, &'static str)]);

impl Words {
    /// Every word in `lang`, by key (for templates).
    pub fn all(&self, lang: Lang) -> std::collections::BTreeMap<&'static str, &'static str> {
        self.0
            .iter()
            .map(|&(k, sv, en)| (k, if lang == Lang::En { en } else { sv }))
            .collect()
    }

    /// One word in `lang` (the key itself if the table lacks it).
    pub fn word(&self, key: &str, lang: Lang) -> String {
        self.0
            .iter()
            .find(|t| t.0 == key)
            .map_or(key, |&(_, sv, en)| if lang == Lang::En { en } else { sv })
            .to_string()
    }

    /// A key the table has twice, if any.
    pub fn repeated_key(&self) -> Option<&'static str> {
        let mut keys: Vec<&str> = self.0.iter().map(|t| t.0).collect();
        keys.sort_unstable();
        keys.windows(2)
            .find(|w| w.first() == w.get(1))
            .and_then(|w| w.first().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_by_language_and_repeated_keys() {
        let w = Words(&[("a", "ett", "one"), ("b", "två", "two")]);
        assert_eq!(w.word("b", Lang::Sv), "två");
        assert_eq!(w.word("b", Lang::En), "two");
        assert_eq!(w.word("zz", Lang::En), "zz");
        assert_eq!(w.all(Lang::En).get("a"), Some(&"one"));
        assert_eq!(w.repeated_key(), None);
        assert_eq!(
            Words(&[("a", "", ""), ("b", "", ""), ("a", "", "")]).repeated_key(),
            Some("a")
        );
    }
}
