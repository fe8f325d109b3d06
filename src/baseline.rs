//! Baselines (`--write-baseline FILE`, `--baseline FILE`): adopt kdl on a
//! catalog with known findings without fixing them all first, and then
//! only ever shrink that debt.
//!
//! An entry is keyed by entity id, rule id and YAML path — never by line
//! or column — so edits elsewhere in a file, or lines inserted above a
//! finding, leave it matching. Findings with no entity (in `kdl.yaml`, or
//! in a file whose `id` could not be read) are keyed by file instead.
//!
//! The file is JSON, entries sorted and de-duplicated, one key per line,
//! so a baseline diff in a pull request shows exactly which findings were
//! fixed (or, if someone re-wrote it, added). An entry matches every
//! finding with its key. Entries that match nothing are *stale*: they are
//! reported (as notices, and in the JSON summary) so they get removed,
//! except entries for rules that did not run (`--rule`/`--skip`), which
//! cannot be judged.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::config::pattern_matches;
use crate::diagnostic::Diagnostic;
use crate::i18n::Lang;
use crate::Run;

pub const VERSION: u32 = 1;

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The entity the finding is on (absent for findings with no entity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The file, relative to the catalog root, for findings with no entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub rule: String,
    /// YAML path of the finding (`roles.agare`; empty for a whole file).
    #[serde(default)]
    pub path: String,
    /// The other entity the finding is about (one finding per uncovered
    /// nämnd has that nämnd here), so each is baselined on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl Entry {
    /// `raindance: roles/mandatory at roles.agare`
    pub fn describe(&self) -> String {
        let who = self
            .entity
            .as_deref()
            .or(self.file.as_deref())
            .unwrap_or("?");
        if self.path.is_empty() {
            format!("{who}: {}", self.rule)
        } else {
            format!("{who}: {} @ {}", self.rule, self.path)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// What applying a baseline did to a run.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// The baseline file as given on the command line.
    pub file: String,
    /// Findings the baseline covers (removed from `Run::diagnostics`).
    pub matched: Vec<Diagnostic>,
    /// Entries that matched no finding of a rule that ran.
    pub stale: Vec<Entry>,
}

/// The key of a finding.
pub fn key(run: &Run, d: &Diagnostic) -> Entry {
    Entry {
        entity: d.entity.clone(),
        file: match d.entity {
            Some(_) => None,
            None => Some(run.rel(d.file).to_string()),
        },
        rule: d.rule.to_string(),
        path: d.path.clone(),
        subject: d.subject.clone(),
    }
}

/// The baseline of a run: every finding not suppressed by an exception.
pub fn from_run(run: &Run) -> Baseline {
    let all: BTreeSet<Entry> = run
        .diagnostics
        .iter()
        .filter(|d| d.suppressed_by.is_none())
        .map(|d| key(run, d))
        .chain(
            run.baseline
                .iter()
                .flat_map(|b| b.matched.iter())
                .filter(|d| d.suppressed_by.is_none())
                .map(|d| key(run, d)),
        )
        .collect();
    Baseline {
        version: VERSION,
        entries: all.into_iter().collect(),
    }
}

impl Baseline {
    /// Pretty JSON with a trailing newline; the same findings always give
    /// the same bytes.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if b.version != VERSION {
            return Err(format!("version {} (expected {VERSION})", b.version));
        }
        Ok(b)
    }
}

/// Why a baseline could not be read or written: exit 2.
pub fn io_error(lang: Lang, file: &Path, write: bool, detail: &str) -> String {
    match (lang, write) {
        (Lang::Sv, false) => format!(
            "kan inte läsa baslinjen {}: {detail}\n  tips: skapa den med `kdl lint --write-baseline {}`",
            file.display(),
            file.display()
        ),
        (Lang::En, false) => format!(
            "cannot read the baseline {}: {detail}\n  hint: create it with `kdl lint --write-baseline {}`",
            file.display(),
            file.display()
        ),
        (Lang::Sv, true) => format!("kan inte skriva baslinjen {}: {detail}", file.display()),
        (Lang::En, true) => format!("cannot write the baseline {}: {detail}", file.display()),
    }
}

/// Writes the run's baseline to `file`.
pub fn write(run: &Run, file: &Path) -> std::io::Result<Baseline> {
    let b = from_run(run);
    std::fs::write(file, b.to_json())?;
    Ok(b)
}

/// Whether findings of `rule` could have been reported by this run, so a
/// baseline entry for it that matched nothing is really stale.
fn rule_ran(run: &Run, select: &[String], skip: &[String], rule: &str) -> bool {
    if skip.iter().any(|p| pattern_matches(p, rule)) {
        return false;
    }
    let selected = select.is_empty()
        || matches!(rule, "parse/syntax" | "config/invalid")
        || select.iter().any(|p| pattern_matches(p, rule));
    let known = crate::check::registry::is_format_rule(rule) || run.model.rules.contains_key(rule);
    selected && known
}

/// Moves the findings `b` covers out of `run.diagnostics` into
/// `run.baseline`, notes stale entries, and recounts the summary.
/// Findings suppressed by an exception stay where they are.
pub fn apply(run: &mut Run, b: &Baseline, file: &str, select: &[String], skip: &[String]) {
    let entries: BTreeSet<&Entry> = b.entries.iter().collect();
    let mut used: BTreeSet<Entry> = BTreeSet::new();
    let mut kept = Vec::with_capacity(run.diagnostics.len());
    let mut matched = Vec::new();
    for d in std::mem::take(&mut run.diagnostics) {
        let k = key(run, &d);
        // An entry written before findings carried their subject matches
        // the finding whatever its subject.
        let without_subject = Entry {
            subject: None,
            ..k.clone()
        };
        let hit = if entries.contains(&k) {
            Some(k)
        } else if entries.contains(&without_subject) {
            Some(without_subject)
        } else {
            None
        };
        if let Some(k) = hit {
            used.insert(k);
            if d.suppressed_by.is_none() {
                matched.push(d);
                continue;
            }
        }
        kept.push(d);
    }
    run.diagnostics = kept;
    let stale = b
        .entries
        .iter()
        .filter(|e| !used.contains(*e) && rule_ran(run, select, skip, &e.rule))
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    run.baseline = Some(Applied {
        file: file.to_string(),
        matched,
        stale,
    });
    recount(run);
}

/// Recomputes `run.summary` from `run.diagnostics` (after a baseline or
/// `--changed-since` removed some).
pub fn recount(run: &mut Run) {
    use crate::diagnostic::Severity;
    let s = &mut run.summary;
    s.errors = 0;
    s.warnings = 0;
    s.infos = 0;
    s.suppressed = 0;
    for d in &run.diagnostics {
        if d.suppressed_by.is_some() {
            s.suppressed += 1;
            continue;
        }
        match d.severity {
            Severity::Error => s.errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Info => s.infos += 1,
        }
    }
    s.baselined = run.baseline.as_ref().map_or(0, |b| b.matched.len());
}

/// The notice for one stale entry.
pub fn stale_notice(lang: Lang, file: &str, e: &Entry) -> String {
    match lang {
        Lang::Sv => format!(
            "baslinjeposten `{}` i {file} matchar inte längre något fynd – ta bort den (eller skriv om baslinjen med --write-baseline)",
            e.describe()
        ),
        Lang::En => format!(
            "baseline entry `{}` in {file} no longer matches any finding – remove it (or rewrite the baseline with --write-baseline)",
            e.describe()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_sorted() {
        let b = Baseline {
            version: VERSION,
            entries: vec![
                Entry {
                    entity: Some("a".into()),
                    file: None,
                    rule: "roles/mandatory".into(),
                    path: "roles.agare".into(),
                    subject: None,
                },
                Entry {
                    entity: None,
                    file: Some("kdl.yaml".into()),
                    rule: "config/invalid".into(),
                    path: String::new(),
                    subject: Some("x".into()),
                },
            ],
        };
        let text = b.to_json();
        assert_eq!(Baseline::parse(&text).unwrap(), b);
        assert!(Baseline::parse("{\"version\": 2, \"entries\": []}").is_err());
        assert!(Baseline::parse("not json").is_err());
    }
}
