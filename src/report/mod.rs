//! Stage 5 — report: renders a [`Run`](crate::Run)'s diagnostics in each
//! output format, in the user's language. The text of a finding comes from
//! [`crate::messages`] (shared with the yearly report); layout is here.

pub mod concise;
pub mod escape;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

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

/// Shows catalog-relative paths relative to the current directory, so
/// that they can be opened as printed: `catalog/system/x.yaml` from the
/// repository, `x.yaml` from `system/`, `../system/x.yaml` from `personer/`.
pub struct PathShown {
    root: std::path::PathBuf,
    cwd: Option<std::path::PathBuf>,
}

impl PathShown {
    pub fn new(root: &std::path::Path) -> PathShown {
        PathShown {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            cwd: std::env::current_dir().and_then(|d| d.canonicalize()).ok(),
        }
    }

    pub fn show(&self, rel: &str) -> String {
        let Some(cwd) = &self.cwd else {
            return rel.to_string();
        };
        let full = self.root.join(rel);
        let Some(common) = cwd.ancestors().find(|a| full.starts_with(a)) else {
            return full.display().to_string();
        };
        let up = cwd
            .strip_prefix(common)
            .map(|r| r.components().count())
            .unwrap_or_default();
        // From far away an absolute path reads better than ../../../..
        if up > 3 || common.parent().is_none() {
            return full.display().to_string();
        }
        let mut s = "../".repeat(up);
        if let Ok(down) = full.strip_prefix(common) {
            let parts: Vec<String> = down
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            s.push_str(&parts.join("/"));
        }
        s
    }
}

/// The evaluation date, when it is not today (`--as-of`): the summary line
/// names it so that a demo's pinned date is visible.
pub fn shown_as_of(run: &Run) -> Option<chrono::NaiveDate> {
    (run.as_of != chrono::Local::now().date_naive()).then_some(run.as_of)
}

/// The catalog root relative to the top of the git working tree it is in
/// (`catalog/`), or empty when it is the top or not in a repository. CI
/// systems (GitHub, GitLab) resolve paths from the repository root, so the
/// CI formats prefix every file with this.
pub fn repo_prefix(root: &std::path::Path) -> String {
    for top in root.ancestors() {
        if top.join(".git").exists() {
            let Ok(rel) = root.strip_prefix(top) else {
                break;
            };
            let mut s = String::new();
            for c in rel.components() {
                s.push_str(&c.as_os_str().to_string_lossy());
                s.push('/');
            }
            return s;
        }
    }
    String::new()
}

/// A fingerprint of each diagnostic that survives line moves: a hash of
/// the entity id (or, without one, the file), rule id and YAML path — the
/// baseline key — and, for the n-th repeat of that key in `diags`, n.
pub fn fingerprints<'a>(run: &Run, diags: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<String> {
    use sha2::{Digest, Sha256};
    use std::collections::HashMap;
    let mut seen: HashMap<String, usize> = HashMap::new();
    diags
        .into_iter()
        .map(|d| {
            let who = match &d.entity {
                Some(e) => format!("entity:{e}"),
                None => format!("file:{}", run.rel(d.file)),
            };
            let mut key = format!("{who}\u{0}{}\u{0}{}", d.rule, d.path);
            // A finding about another entity (one per uncovered nämnd) is
            // told apart by it; findings without one keep their old print.
            if let Some(s) = &d.subject {
                key.push_str("\u{0}subject:");
                key.push_str(s);
            }
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let key = if *n > 1 {
                format!("{key}\u{0}{n}")
            } else {
                key
            };
            format!("{:x}", Sha256::digest(key.as_bytes()))
        })
        .collect()
}
