//! `--changed-since` reads the merge-base from git in memory and takes the
//! load results of unchanged files over from the lint of the working tree.
//! These tests hold that to the plain definition: the lint of the
//! merge-base computed that way is exactly the lint of a checkout of the
//! merge-base (a `git worktree`), finding for finding — for hand-made
//! changes, for a changed `kdl.yaml` or model file, and for seeded random
//! changes.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{copy_dir, git, root};
use kdl::{changed, lint, LintOptions, Run};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("date")
}

/// Everything a finding says, except its line in a file the change touched
/// (there is none here: compared runs lint the same commit).
type Finding = (
    String,
    String,
    u32,
    u32,
    String,
    String,
    String,
    String,
    bool,
);

fn findings(run: &Run) -> Vec<Finding> {
    let mut v: Vec<Finding> = run
        .diagnostics
        .iter()
        .map(|d| {
            (
                run.rel(d.file).to_string(),
                d.rule.to_string(),
                d.pos.line,
                d.pos.col,
                d.path.clone(),
                format!("{:?}/{:?}", d.entity, d.subject),
                format!("{:?}", d.msg),
                format!("{:?}", d.severity),
                d.suppressed_by.is_some(),
            )
        })
        .collect();
    v.sort();
    v
}

fn opts(path: &Path, keep_loads: bool) -> LintOptions {
    LintOptions {
        path: Some(path.to_path_buf()),
        as_of: Some(as_of()),
        drop_documents: true,
        keep_loads,
        ..LintOptions::default()
    }
}

/// A repository with the fixture catalog in `katalog/`, committed on
/// `main`, with `setup` applied first; a branch `change` checked out.
fn repo(setup: impl Fn(&Path)) -> (tempfile::TempDir, PathBuf) {
    repo_in("sha1", setup)
}

fn repo_in(format: &str, setup: impl Fn(&Path)) -> (tempfile::TempDir, PathBuf) {
    let repo = tempfile::tempdir().expect("tempdir");
    let cat = repo.path().join("katalog");
    copy_dir(&root().join("tests/fixtures/base"), &cat);
    setup(&cat);
    git(
        repo.path(),
        &["init", "-q", &format!("--object-format={format}")],
    );
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    git(repo.path(), &["checkout", "-q", "-b", "change"]);
    (repo, cat)
}

/// The merge-base linted three ways — from a checkout (the definition),
/// in memory re-using the working tree's load results, in memory reading
/// every file from git — must agree exactly.
fn assert_base_is_exact(repo: &Path, cat: &Path) -> usize {
    // The definition: a real checkout of the merge-base.
    let base = git(repo, &["merge-base", "main", "HEAD"])
        .trim()
        .to_string();
    let checkout = tempfile::tempdir().expect("tempdir");
    let wt = checkout.path().join("wt");
    git(
        repo,
        &[
            "worktree",
            "add",
            "-q",
            "--detach",
            wt.to_str().expect("utf-8"),
            &base,
        ],
    );
    let truth = lint(&opts(&wt.join("katalog"), false)).expect("lint checkout");
    git(
        repo,
        &["worktree", "remove", "--force", wt.to_str().expect("utf-8")],
    );

    let mut working = lint(&opts(cat, true)).expect("lint");
    assert!(working.loads.is_some());
    let prepared = changed::prepare(cat, "main").expect("git");
    let (ch, tree) = changed::complete(prepared, &working).expect("git");
    let reused = changed::lint_base(&mut working, &ch, &tree, &opts(cat, true)).expect("base");
    // Without the working tree's load results: by `git diff`, every file
    // of the merge-base from git.
    let mut plain = lint(&opts(cat, false)).expect("lint");
    assert!(plain.loads.is_none());
    let prepared = changed::prepare(cat, "main").expect("git");
    let (by_diff, tree) = changed::complete(prepared, &plain).expect("git");
    let full = changed::lint_base(&mut plain, &by_diff, &tree, &opts(cat, false)).expect("base");
    // The files git calls changed, and those kdl does by content, agree
    // (kdl also counts an ignored file, which the merge-base lacks).
    let ignored: Vec<&String> = ch.files.difference(&by_diff.files).collect();
    assert!(
        ignored.iter().all(|f| f.starts_with("utkast/")),
        "changed by content {:?}, by git {:?}",
        ch.files,
        by_diff.files
    );
    let walked = |f: &&String| !f.split('/').any(|c| c.starts_with('.'));
    assert!(
        by_diff
            .files
            .iter()
            .filter(walked)
            .all(|f| ch.files.contains(f)),
        "{:?} vs {:?}",
        ch.files,
        by_diff.files
    );
    // The entities lent to the merge-base came back whole, in order.
    let entities = |run: &Run| format!("{:?}{:?}", run.catalog.entities, run.catalog.failed_keys);
    assert_eq!(entities(&working), entities(&plain));
    assert_eq!(findings(&working), findings(&plain));

    let want = findings(&truth);
    assert_eq!(findings(&reused), want, "re-used load results differ");
    assert_eq!(findings(&full), want, "in-memory merge-base differs");
    assert_eq!(reused.summary, truth.summary);
    assert_eq!(reused.broken, truth.broken);
    want.len()
}

fn write(cat: &Path, rel: &str, text: &str) {
    let p = cat.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(p, text).expect("write");
}

fn edit(cat: &Path, rel: &str, from: &str, to: &str) {
    let p = cat.join(rel);
    let text = fs::read_to_string(&p).expect("read");
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(p, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn the_merge_base_in_memory_is_the_merge_base_checked_out() {
    // At the merge-base already: a file that does not parse and one that
    // breaks its schema — unchanged by the change, their findings are
    // taken over; references to the broken file's id are not "unknown".
    let (repo, cat) = repo(|cat| {
        write(
            cat,
            "system/trasig.yaml",
            "kind: system\nid: trasig\nname: [\n",
        );
        edit(
            cat,
            "personer/jonas-ek.yaml",
            "kind: person",
            "kind: person\nalder: 40",
        );
        // … and a dangling reference in an unchanged system.
        fs::remove_file(cat.join("personer/lars-holm.yaml")).expect("delete");
    });
    let r = repo.path();
    // The change: a person deleted (references to her dangle), a system
    // edited, an agreement renamed, committed …
    git(r, &["rm", "-q", "katalog/personer/erik-sand.yaml"]);
    edit(
        &cat,
        "system/natverk.yaml",
        "agare: helena-dahl",
        "agare: ingen-alls",
    );
    git(
        r,
        &[
            "mv",
            "katalog/avtal/natverk-sla.yaml",
            "katalog/avtal/natverk-serviceniva.yaml",
        ],
    );
    git(r, &["commit", "-q", "-am", "change"]);
    // … and not committed: an edit, an untracked file, an ignored file and
    // a hidden directory (neither of which the merge-base has).
    edit(
        &cat,
        "personer/anna-strom.yaml",
        "kind: person",
        "kind: person\nleft-on: 2026-01-31",
    );
    let w3d3 = fs::read_to_string(cat.join("system/w3d3.yaml")).expect("read");
    write(
        &cat,
        "system/w3d3-kopia.yaml",
        &w3d3.replace("id: w3d3", "id: w3d3-kopia"),
    );
    fs::write(r.join(".gitignore"), "katalog/utkast/\n").expect("write");
    write(&cat, "utkast/ny.yaml", "kind: person\nid: ny\n");
    write(&cat, ".dold/x.yaml", "kind: person\nid: dold\n");
    let n = assert_base_is_exact(r, &cat);
    assert!(n >= 3, "the merge-base has findings to compare ({n})");
}

#[test]
fn a_sha256_repository_is_compared_by_git_diff() {
    let (repo, cat) = repo_in("sha256", |_| {});
    git(
        repo.path(),
        &["rm", "-q", "katalog/personer/erik-sand.yaml"],
    );
    edit(
        &cat,
        "system/natverk.yaml",
        "agare: helena-dahl",
        "agare: ingen-alls",
    );
    let working = lint(&opts(&cat, true)).expect("lint");
    let prepared = changed::prepare(&cat, "main").expect("git");
    let (ch, _) = changed::complete(prepared, &working).expect("git");
    let want: std::collections::BTreeSet<String> =
        ["personer/erik-sand.yaml", "system/natverk.yaml"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
    assert_eq!(ch.files, want);
    assert_base_is_exact(repo.path(), &cat);
}

#[test]
fn a_changed_kdl_yaml_or_model_file_reads_the_whole_merge_base_from_git() {
    // kdl.yaml changed: a rule switched off at the merge-base, on now.
    let (dir, cat) = repo(|cat| {
        let cfg = fs::read_to_string(cat.join("kdl.yaml")).expect("read");
        fs::write(
            cat.join("kdl.yaml"),
            format!("{cfg}rules:\n  roles/vacant: off\n"),
        )
        .expect("write");
    });
    let cfg = fs::read_to_string(cat.join("kdl.yaml")).expect("read");
    fs::write(
        cat.join("kdl.yaml"),
        cfg.replace("  roles/vacant: off\n", "  roles/vacant: warning\n"),
    )
    .expect("write");
    git(dir.path(), &["rm", "-q", "katalog/personer/erik-sand.yaml"]);
    assert_base_is_exact(dir.path(), &cat);

    // The model a file in the catalog: changed on the branch.
    let (dir, cat) = repo(|cat| {
        let model = fs::read_to_string(root().join("rules/kungsbacka-2023.1.yaml")).expect("model");
        write(cat, "modell/kommun.yaml", &model);
        edit(
            cat,
            "kdl.yaml",
            "model: kungsbacka-2023.1",
            "model: modell/kommun.yaml",
        );
    });
    let model = fs::read_to_string(cat.join("modell/kommun.yaml")).expect("read");
    assert!(model.contains("severity: error"));
    fs::write(
        cat.join("modell/kommun.yaml"),
        model.replace("severity: error", "severity: warning"),
    )
    .expect("write");
    assert_base_is_exact(dir.path(), &cat);
}

/// A small deterministic generator (no dependency for a test's dice).
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// One random change to a random entity file of `cat`: deleted, a
/// reference pointed elsewhere, an unknown key, a syntax error, or a copy.
fn mutate(cat: &Path, dice: &mut Dice, step: usize) {
    let mut files: Vec<String> = walkdir::WalkDir::new(cat)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(cat)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|r| r.ends_with(".yaml") && r != "kdl.yaml")
        .collect();
    files.sort();
    let ids: Vec<String> = files
        .iter()
        .filter_map(|f| f.rsplit('/').next())
        .map(|n| n.trim_end_matches(".yaml").to_string())
        .collect();
    let rel = files[dice.next(files.len())].clone();
    let p = cat.join(&rel);
    let text = fs::read_to_string(&p).expect("read");
    match dice.next(5) {
        0 => fs::remove_file(&p).expect("delete"),
        1 => {
            // Point some reference elsewhere.
            let other = &ids[dice.next(ids.len())];
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let k = dice.next(lines.len());
            if let Some((key, _)) = lines[k].split_once(": ") {
                if k > 1 && !key.trim_start().starts_with('-') {
                    lines[k] = format!("{key}: {other}");
                }
            }
            fs::write(&p, lines.join("\n") + "\n").expect("write");
        }
        2 => fs::write(&p, format!("{text}okand-nyckel-{step}: 1\n")).expect("write"),
        3 => fs::write(&p, text.replacen(':', "", 1)).expect("write"),
        _ => {
            let copy = rel.replace(".yaml", &format!("-kopia{step}.yaml"));
            fs::write(cat.join(copy), &text).expect("write");
        }
    }
}

#[test]
fn seeded_random_changes_give_the_merge_base_exactly() {
    let mut compared = 0;
    for seed in 1..=6u64 {
        let mut dice = Dice(seed);
        // Random faults already on main …
        let (repo, cat) = repo(|cat| {
            let mut dice = Dice(seed + 100);
            for step in 0..3 {
                mutate(cat, &mut dice, step);
            }
        });
        // … and random changes on the branch, some committed, some not.
        for step in 0..4 {
            mutate(&cat, &mut dice, step + 10);
            if dice.next(2) == 0 {
                git(repo.path(), &["add", "-A"]);
                git(
                    repo.path(),
                    &["commit", "-q", "-m", "step", "--allow-empty"],
                );
            }
        }
        compared += assert_base_is_exact(repo.path(), &cat);
    }
    assert!(
        compared > 6,
        "the merge-bases have findings to compare ({compared})"
    );
}

#[test]
fn a_catalog_new_since_the_merge_base_is_changed_whole() {
    let repo = tempfile::tempdir().expect("tempdir");
    fs::write(repo.path().join("README.md"), "x\n").expect("write");
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    git(repo.path(), &["checkout", "-q", "-b", "change"]);
    let cat = repo.path().join("katalog");
    copy_dir(&root().join("tests/fixtures/base"), &cat);
    fs::remove_file(cat.join("personer/erik-sand.yaml")).expect("delete");
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "the catalog"]);

    let mut working = lint(&opts(&cat, true)).expect("lint");
    let all = findings(&working);
    assert!(!all.is_empty());
    let prepared = changed::prepare(&cat, "main").expect("git");
    let (ch, tree) = changed::complete(prepared, &working).expect("git");
    assert_eq!(
        ch.files.len(),
        working.catalog.files.len(),
        "every file, kdl.yaml too"
    );
    let base = changed::lint_base(&mut working, &ch, &tree, &opts(&cat, true)).expect("base");
    changed::filter(&mut working, &base, &ch);
    assert_eq!(findings(&working), all, "everything is the change's");
}
