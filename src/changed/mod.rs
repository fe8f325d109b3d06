//! `--changed-since REF`: lint the whole catalog, report what the change
//! is responsible for.
//!
//! **Changed files** are the catalog's files whose bytes differ between the
//! merge-base of `REF` and `HEAD` and the working tree — added, modified,
//! deleted, both sides of a rename, committed, staged or not — relative to
//! the catalog root (which may be a subdirectory of the repository), plus
//! `kdl.yaml` and a model file in the catalog when they differ. A file is
//! unchanged when its git blob id (computed from the bytes kdl read anyway)
//! is the one the merge-base's tree lists for its path; repositories in
//! git's SHA-256 object format are compared with `git diff` instead. Git is
//! run as the `git` command, never over the network.
//!
//! **What is reported** (the rule): every diagnostic in a changed file,
//! plus every diagnostic in an unchanged file that the catalog at the
//! merge-base did not have. To know the latter, the catalog as it was at
//! the merge-base is linted with the same options and evaluation date; a
//! diagnostic is "the same" when its file, rule, entity, YAML path,
//! message, severity and suppression match (never its line: the file is
//! unchanged anyway).
//!
//! **How the merge-base is linted** without a second checkout: its tree is
//! listed and the blobs of the changed files are read from git's object
//! database in memory (`git ls-tree`, `git cat-file --batch`; nothing is
//! written to disk). Every unchanged file has the same bytes under the same
//! `kdl.yaml` and model at both commits, so its load result (parsed,
//! validated, typed) is taken over from the lint of the working tree
//! instead of being parsed again; then the whole merge-base catalog is
//! indexed, resolved and checked. When `kdl.yaml` or the model file
//! changed, every file of the merge-base is read from git and parsed. The
//! git commands run while the working tree is linted.
//!
//! Since an unchanged file reads the same at both commits, any difference
//! in its findings is caused by the change. This covers what a
//! reference-graph walk would find — a system whose role holder's person
//! file was changed or deleted (`roles/vacant`, a dangling `ref/unknown`),
//! an agreement whose system changed, a system whose agreement was deleted
//! (`docs/grundavtal`) — and also effects two or more references away (a
//! nämnd's förvaltning renamed, so the owner nämnd of its people's systems
//! changes), effects that follow no reference at all (a changed
//! `kdl.yaml`) and exceptions that no longer apply. It also leaves out
//! what a graph walk would over-report: old findings on a neighbour that
//! the change did not touch.

mod at_base;
mod git;

pub use git::{base_tree, cat_file, BaseTree, GitError};

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use crate::catalog::source::{blob_id, Disk, Loads, Source};
use crate::diagnostic::Diagnostic;
use crate::i18n::Lang;
use crate::load::{self, CONFIG_FILE};
use crate::Run;

use at_base::{lexical_rel, walked, AtBase, Blobs, Lent, Reuse};
use git::{diff_files, merge_base, tree_at, BaseEntry};

/// The changed files of a catalog.
#[derive(Clone, Debug)]
pub struct Changed {
    /// What the user gave (`origin/main`).
    pub reference: String,
    /// The merge-base commit.
    pub base: String,
    /// Paths relative to the catalog root, `/`-separated.
    pub files: BTreeSet<String>,
    /// The catalog root relative to the repository's top (`catalog/`, or empty).
    pub prefix: String,
}

/// What `--changed-since` learns from git while the working tree is
/// linted: the merge-base and its tree. [`complete`] then finds the
/// changed files.
#[derive(Debug)]
pub struct Prepared {
    pub changed: Changed,
    pub tree: BaseTree,
}

/// The git half of `--changed-since`, independent of the lint.
pub fn prepare(root: &Path, reference: &str) -> Result<Prepared, GitError> {
    let changed = merge_base(root, reference)?;
    let tree = base_tree(root, &changed)?;
    Ok(Prepared { changed, tree })
}

/// The changed files of the catalog `run` linted (see the module's
/// documentation): by blob id where the run kept them
/// ([`crate::LintOptions::keep_loads`]) and the repository uses SHA-1,
/// else by `git diff`.
pub fn complete(prepared: Prepared, run: &Run) -> Result<(Changed, BaseTree), GitError> {
    let Prepared { mut changed, tree } = prepared;
    let sha1 = tree.entries.iter().all(|e| e.sha1.is_some());
    changed.files = match &run.loads {
        Some(loads) if sha1 && !run.catalog.files.is_empty() => by_content(run, loads, &tree),
        _ => diff_files(&run.root, &changed.base)?,
    };
    Ok((changed, tree))
}

/// The files whose bytes differ between the merge-base and the working
/// tree: compared by blob id, as git would.
fn by_content(run: &Run, loads: &Loads, tree: &BaseTree) -> BTreeSet<String> {
    let at_base: HashMap<&str, &BaseEntry> =
        tree.entries.iter().map(|e| (e.rel.as_str(), e)).collect();
    let mut files = BTreeSet::new();
    let mut now: FxHashSet<&str> = FxHashSet::default();
    for (i, f) in run.catalog.files.iter().enumerate() {
        let missing = i == 0 && matches!(&f.doc, Err(load::LoadError::Io(m)) if m == "missing");
        if missing {
            continue; // no kdl.yaml now
        }
        now.insert(f.rel.as_str());
        let id = loads.blob_ids.get(i).copied().flatten();
        let then = at_base.get(f.rel.as_str()).and_then(|e| e.sha1);
        if id.is_none() || id != then {
            files.insert(f.rel.clone());
        }
    }
    // Deleted since: what the walk would have listed then, and kdl.yaml.
    for e in &tree.entries {
        let listed = e.rel == CONFIG_FILE || walked(&e.rel, &run.config.exclude);
        if listed && !now.contains(e.rel.as_str()) {
            files.insert(e.rel.clone());
        }
    }
    // The model file, when it is a file in the catalog (not an entity
    // file, so not among the above): by its bytes on disk.
    for rel in model_rels(run).into_iter().flatten() {
        let disk = load::read::read_bounded(&run.root.join(&rel), load::DEFAULT_MAX_FILE_BYTES)
            .ok()
            .map(|b| blob_id(&b));
        let then = at_base.get(rel.as_str()).and_then(|e| e.sha1);
        if disk.is_none() || disk != then {
            files.insert(rel);
        }
    }
    files
}

/// The model file's catalog-relative paths (after and before following
/// links) when `model:` names a file in the catalog.
fn model_rels(run: &Run) -> [Option<String>; 2] {
    [
        Disk.model_rel(&run.root, &run.config.model),
        crate::is_model_path(&run.config.model)
            .then(|| lexical_rel(&run.config.model))
            .flatten(),
    ]
}

/// What makes two diagnostics "the same finding" across the two commits.
type Key<'a> = (&'a str, &'static str, Option<&'a str>, &'a str);

fn key<'a>(run: &'a Run, d: &'a Diagnostic) -> Key<'a> {
    (
        run.rel(d.file),
        d.rule,
        d.entity.as_deref(),
        d.path.as_str(),
    )
}

fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.msg == b.msg
        && a.severity == b.severity
        && a.suppressed_by.is_some() == b.suppressed_by.is_some()
}

/// Keeps the diagnostics of `run` that are in changed files or that
/// `base` (the same lint at the merge-base) did not have.
pub fn filter(run: &mut Run, base: &Run, changed: &Changed) {
    let mut before: HashMap<Key, Vec<&Diagnostic>> = HashMap::default();
    for d in &base.diagnostics {
        before.entry(key(base, d)).or_default().push(d);
    }
    let keep: Vec<bool> = run
        .diagnostics
        .iter()
        .map(|d| {
            changed.files.contains(run.rel(d.file))
                || !before
                    .get(&key(run, d))
                    .is_some_and(|v| v.iter().any(|b| same(b, d)))
        })
        .collect();
    let mut it = keep.into_iter();
    run.diagnostics.retain(|_| it.next().unwrap_or(true));
    crate::baseline::recount(run);
}

/// Lints the catalog at the merge-base with the options of `run`, reading
/// it from git in memory. When neither `kdl.yaml` nor a model file in the
/// catalog changed, every file the change did not touch has the same bytes
/// under the same configuration at both commits, so its load result is
/// taken over from `run` (which must have been linted with
/// [`crate::LintOptions::keep_loads`]); only the changed files are read
/// from git and parsed. The whole merge-base catalog is then indexed,
/// resolved and checked, exactly as a lint of a checkout of it would be.
pub fn lint_base(
    run: &mut Run,
    changed: &Changed,
    tree: &BaseTree,
    opts: &crate::LintOptions,
) -> Result<Run, GitError> {
    let model_rels = model_rels(run);
    let same_setup = !changed.files.contains(CONFIG_FILE)
        && !model_rels
            .iter()
            .flatten()
            .any(|m| changed.files.contains(m));
    let reuse = match &run.loads {
        Some(loads) if same_setup => {
            // The working tree's entities are lent (moved out here, moved
            // back below), never copied.
            let entities = std::mem::take(&mut run.catalog.entities);
            let failed_keys = std::mem::take(&mut run.catalog.failed_keys);
            let files = &run.catalog.files;
            let mut entity_of = vec![None; files.len()];
            for (k, e) in entities.iter().enumerate() {
                if let Some(slot) = entity_of.get_mut(e.head().file) {
                    *slot = Some(k);
                }
            }
            Some(Reuse {
                files,
                loads: &loads.diags,
                lent_count: entities.len(),
                lent: entities
                    .into_iter()
                    .zip(failed_keys)
                    .map(|x| Mutex::new(Some(x)))
                    .collect(),
                by_rel: files
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(i, f)| (f.rel.as_str(), i))
                    .collect(),
                entity_of,
                changed: &changed.files,
            })
        }
        _ => None,
    };
    // The blobs to read: every file that cannot be taken over, kdl.yaml
    // and a model file inside the catalog.
    let wanted = |e: &BaseEntry| {
        e.rel == CONFIG_FILE
            || model_rels.iter().flatten().any(|m| *m == e.rel)
            || reuse.as_ref().is_none_or(|r| r.same(&e.rel).is_none())
    };
    let fetched = fetch(&run.root, tree, wanted);
    let mut source = AtBase {
        tree,
        blobs: HashMap::default(),
        reuse,
    };
    let mut base = fetched.and_then(|blobs| {
        source.blobs = blobs;
        let has_config = tree.entries.iter().any(|e| e.rel == CONFIG_FILE);
        let opts = crate::LintOptions {
            path: None,
            as_of: Some(run.as_of),
            keep_loads: false,
            ..opts.clone()
        };
        crate::lint_from(&source, run.root.clone(), has_config, &opts).map_err(|f| {
            GitError::Failed {
                command: "kdl lint (merge-base)".into(),
                stderr: f.message(Lang::En),
            }
        })
    });
    let Some(mut reuse) = source.reuse else {
        return base;
    };
    // Give the lent entities back, in their order, with their file ids:
    // those the merge-base's catalog took, and those it did not need.
    let mut back: Vec<Lent> = std::mem::take(&mut reuse.lent)
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect();
    if let Ok(base) = &mut base {
        let entities = std::mem::take(&mut base.catalog.entities);
        let failed_keys = std::mem::take(&mut base.catalog.failed_keys);
        for (mut e, failed) in entities.into_iter().zip(failed_keys) {
            let Some(from) = reuse.same(base.catalog.rel(e.head().file)) else {
                continue; // read from git: the merge-base's own
            };
            let k = reuse.entity_of.get(from).copied().flatten();
            if let Some(slot @ None) = k.and_then(|k| back.get_mut(k)) {
                e.head_mut().file = from;
                *slot = Some((e, failed));
            }
        }
    }
    let mut entities = Vec::with_capacity(back.len());
    let mut failed_keys = Vec::with_capacity(back.len());
    for (e, failed) in back.into_iter().flatten() {
        entities.push(e);
        failed_keys.push(failed);
    }
    let complete = entities.len() == reuse.lent_count;
    run.catalog.entities = entities;
    run.catalog.failed_keys = failed_keys;
    if !complete {
        return Err(GitError::Failed {
            command: "kdl lint (merge-base)".into(),
            stderr: "internal error: an entity of the working tree was not given back".into(),
        });
    }
    base
}

/// Lints the catalog as it was at `commit` (the catalog's path in the
/// repository is `prefix`), read from git's object database in memory —
/// nothing is written to disk. `root` is the catalog's directory in the
/// working tree (where git runs). `None` when the catalog had no
/// `kdl.yaml` then. Used by `kdl report --compare-git`.
pub fn lint_commit(
    root: &Path,
    commit: &str,
    prefix: &str,
    opts: &crate::LintOptions,
) -> Result<Option<Run>, GitError> {
    let tree = tree_at(root, commit, prefix)?;
    if !tree.entries.iter().any(|e| e.rel == CONFIG_FILE) {
        return Ok(None);
    }
    let source = AtBase {
        tree: &tree,
        blobs: fetch(root, &tree, |_| true)?,
        reuse: None,
    };
    let opts = crate::LintOptions {
        path: None,
        keep_loads: false,
        ..opts.clone()
    };
    crate::lint_from(&source, root.to_path_buf(), true, &opts)
        .map(Some)
        .map_err(|f| GitError::Failed {
            command: format!("kdl lint ({commit})"),
            stderr: f.message(Lang::En),
        })
}

/// Every blob of `tree` by relative path with its size, and its bytes for
/// those `wanted` selects, read from git in memory — never one over the
/// largest file kdl reads.
fn fetch<'t>(
    root: &Path,
    tree: &'t BaseTree,
    wanted: impl Fn(&BaseEntry) -> bool,
) -> Result<Blobs<'t>, GitError> {
    let wanted: Vec<&BaseEntry> = tree
        .entries
        .iter()
        .filter(|e| e.size <= crate::config::MAX_FILE_SIZE_CEILING && wanted(e))
        .collect();
    let shas: Vec<&str> = wanted.iter().map(|e| e.sha.as_str()).collect();
    let bodies = cat_file(root, &shas)?;
    let mut blobs: Blobs = tree
        .entries
        .iter()
        .map(|e| (e.rel.as_str(), (e.size, None)))
        .collect();
    for (e, body) in wanted.iter().zip(bodies) {
        blobs.insert(e.rel.as_str(), (e.size, body));
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::git::sha1_of_hex;
    use super::*;

    #[test]
    fn model_paths_are_read_lexically_and_never_leave_the_catalog() {
        assert_eq!(
            lexical_rel("modell/k.yaml").as_deref(),
            Some("modell/k.yaml")
        );
        assert_eq!(
            lexical_rel("./a/../modell/k.yaml").as_deref(),
            Some("modell/k.yaml")
        );
        assert_eq!(lexical_rel("../k.yaml"), None);
        assert_eq!(lexical_rel("a/../../k.yaml"), None);
        assert_eq!(lexical_rel("/etc/k.yaml"), None);
        assert_eq!(lexical_rel("C:/k.yaml"), None);
    }

    #[test]
    fn the_walk_is_mirrored_on_git_paths() {
        let none = globset::GlobSet::empty();
        assert!(walked("system/a.yaml", &none));
        assert!(!walked("kdl.yaml", &none));
        assert!(walked("sub/kdl.yaml", &none));
        assert!(!walked(".git/x.yaml", &none));
        assert!(!walked("system/.utkast/a.yaml", &none));
        assert!(!walked("system/.a.yaml", &none));
        let mut b = globset::GlobSetBuilder::new();
        b.add(globset::Glob::new("arkiv/**").expect("glob"));
        let ex = b.build().expect("globs");
        assert!(!walked("arkiv/gammal.yaml", &ex));
    }

    #[test]
    fn object_ids_parse_in_the_sha1_format_only() {
        let id = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(sha1_of_hex(id).map(|b| b[1]), Some(0x23));
        assert_eq!(sha1_of_hex(&"a".repeat(64)), None);
        assert_eq!(sha1_of_hex("xyz"), None);
        // The id git gives the empty blob.
        let empty = crate::catalog::source::blob_id(b"");
        assert_eq!(
            Some(empty),
            sha1_of_hex("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
        );
    }
}
