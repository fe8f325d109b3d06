//! `--changed-since REF`: lint the whole catalog, report what the change
//! is responsible for.
//!
//! **Changed files** are those that differ between the merge-base of `REF`
//! and `HEAD` and the working tree — added, modified, deleted, both sides
//! of a rename, staged or not — plus untracked files that are not ignored,
//! all relative to the catalog root (which may be a subdirectory of the
//! repository). Git is run as the `git` command.
//!
//! **What is reported** (the rule): every diagnostic in a changed file,
//! plus every diagnostic in an unchanged file that the catalog at the
//! merge-base did not have. To know the latter, the catalog as it was at
//! the merge-base is read from git into a temporary directory and linted
//! with the same options and evaluation date; a diagnostic is "the same"
//! when its file, rule, entity, YAML path, message, severity and
//! suppression match (never its line: the file is unchanged anyway).
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

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diagnostic::Diagnostic;
use crate::i18n::Lang;
use crate::Run;

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

/// Why `--changed-since` cannot run: exit 2.
#[derive(Debug)]
pub enum GitError {
    /// `git` could not be started.
    NoGit(String),
    NotARepo(String),
    UnknownRef {
        reference: String,
        shallow: bool,
    },
    /// History too short to contain a merge-base.
    Shallow {
        reference: String,
    },
    NoMergeBase {
        reference: String,
    },
    Failed {
        command: String,
        stderr: String,
    },
}

impl GitError {
    pub fn message(&self, lang: Lang) -> String {
        const FETCH: &str = "actions/checkout med `fetch-depth: 0`";
        const FETCH_EN: &str = "actions/checkout with `fetch-depth: 0`";
        match (self, lang) {
            (GitError::NoGit(e), Lang::Sv) => {
                format!("--changed-since behöver git, men `git` kunde inte startas: {e}")
            }
            (GitError::NoGit(e), Lang::En) => {
                format!("--changed-since needs git, but `git` could not be started: {e}")
            }
            (GitError::NotARepo(e), Lang::Sv) => {
                format!("--changed-since: katalogen ligger inte i ett git-förråd ({e})")
            }
            (GitError::NotARepo(e), Lang::En) => {
                format!("--changed-since: the catalog is not in a git repository ({e})")
            }
            (GitError::UnknownRef { reference, shallow }, Lang::Sv) => format!(
                "--changed-since: okänd git-referens `{reference}`{}\n  tips: hämta den först, t.ex. `git fetch origin main`; i GitHub Actions: {FETCH}",
                if *shallow { " (förrådet är en grund klon)" } else { "" }
            ),
            (GitError::UnknownRef { reference, shallow }, Lang::En) => format!(
                "--changed-since: unknown git reference `{reference}`{}\n  hint: fetch it first, e.g. `git fetch origin main`; in GitHub Actions: {FETCH_EN}",
                if *shallow { " (the repository is a shallow clone)" } else { "" }
            ),
            (GitError::Shallow { reference }, Lang::Sv) => format!(
                "--changed-since: ingen merge-base med `{reference}` – förrådet är en grund klon (shallow clone) utan den gemensamma historiken\n  tips: hämta hela historiken: i GitHub Actions {FETCH}; i GitLab CI `GIT_DEPTH: 0`; lokalt `git fetch --unshallow`"
            ),
            (GitError::Shallow { reference }, Lang::En) => format!(
                "--changed-since: no merge-base with `{reference}` – the repository is a shallow clone without the common history\n  hint: fetch the full history: in GitHub Actions {FETCH_EN}; in GitLab CI `GIT_DEPTH: 0`; locally `git fetch --unshallow`"
            ),
            (GitError::NoMergeBase { reference }, Lang::Sv) => format!(
                "--changed-since: `{reference}` och HEAD har ingen gemensam historik (ingen merge-base)"
            ),
            (GitError::NoMergeBase { reference }, Lang::En) => format!(
                "--changed-since: `{reference}` and HEAD share no history (no merge-base)"
            ),
            (GitError::Failed { command, stderr }, Lang::Sv) => {
                format!("--changed-since: `{command}` misslyckades: {}", stderr.trim())
            }
            (GitError::Failed { command, stderr }, Lang::En) => {
                format!("--changed-since: `{command}` failed: {}", stderr.trim())
            }
        }
    }
}

/// Runs `git args…` in `dir`; Ok(stdout) on success, Err(stderr) otherwise.
fn git(dir: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, GitError> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        // Never let a partial clone fetch from its remote (no network).
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    if out.status.success() {
        Ok(Ok(out.stdout))
    } else {
        Ok(Err(String::from_utf8_lossy(&out.stderr).into_owned()))
    }
}

/// Like [`git`], but a failure is an error.
fn git_ok(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    git(dir, args)?.map_err(|stderr| GitError::Failed {
        command: format!("git {}", args.join(" ")),
        stderr,
    })
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// NUL-separated paths (`-z` output).
fn paths(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// The files of the catalog at `root` changed since the merge-base of
/// `reference` and `HEAD`.
pub fn changed_files(root: &Path, reference: &str) -> Result<Changed, GitError> {
    if let Err(e) = git(root, &["rev-parse", "--show-toplevel"])? {
        return Err(GitError::NotARepo(e.trim().to_string()));
    }
    let prefix = text(git_ok(root, &["rev-parse", "--show-prefix"])?);
    let shallow = || {
        git(root, &["rev-parse", "--is-shallow-repository"])
            .ok()
            .and_then(Result::ok)
            .is_some_and(|o| text(o) == "true")
    };
    let spec = format!("{reference}^{{commit}}");
    // A "reference" starting with `-` would be read as an option by git.
    if reference.starts_with('-')
        || git(root, &["rev-parse", "--verify", "--quiet", &spec])?.is_err()
    {
        return Err(GitError::UnknownRef {
            reference: reference.to_string(),
            shallow: shallow(),
        });
    }
    let base = match git(root, &["merge-base", reference, "HEAD"])? {
        Ok(o) => text(o),
        Err(_) if shallow() => {
            return Err(GitError::Shallow {
                reference: reference.to_string(),
            })
        }
        Err(_) => {
            return Err(GitError::NoMergeBase {
                reference: reference.to_string(),
            })
        }
    };
    let mut files = BTreeSet::new();
    // Tracked files, base tree vs working tree (staged and unstaged),
    // restricted to and relative to the catalog root.
    let diff = git_ok(
        root,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--relative",
            &base,
            "--",
            ".",
        ],
    )?;
    files.extend(paths(&diff));
    // Untracked files that are not ignored (paths relative to the root).
    let untracked = git_ok(
        root,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--",
            ".",
        ],
    )?;
    files.extend(paths(&untracked));
    Ok(Changed {
        reference: reference.to_string(),
        base,
        files,
        prefix,
    })
}

/// Writes the catalog as it was at `changed.base` (its YAML files) into
/// `dir`. A catalog that did not exist then gives an empty directory.
pub fn checkout_base(root: &Path, changed: &Changed, dir: &Path) -> Result<(), GitError> {
    let tree = format!("{}:{}", changed.base, changed.prefix);
    if git(root, &["rev-parse", "--verify", "--quiet", &tree])?.is_err() {
        return Ok(()); // the catalog directory did not exist then
    }
    // `--full-tree`: otherwise ls-tree lists only what is under the
    // current directory, itself taken relative to the tree given.
    let listing = git_ok(root, &["ls-tree", "-r", "-z", "--full-tree", &tree])?;
    // `<mode> blob <sha>\t<path>`; symlinks (120000) and submodules skipped.
    let mut wanted: Vec<(String, PathBuf)> = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (Some(mode), Some(kind), Some(sha)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let yaml = path.ends_with(".yaml") || path.ends_with(".yml");
        if kind != "blob" || mode == "120000" || !yaml {
            continue;
        }
        // Never write outside `dir`.
        let rel = Path::new(path);
        if rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        wanted.push((sha.to_string(), dir.join(rel)));
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let mut child = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "--batch"])
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    let input: String = wanted.iter().map(|(sha, _)| format!("{sha}\n")).collect();
    let mut stdin = child.stdin.take();
    // Feed stdin from a thread so a large output cannot deadlock.
    let feeder = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(input.as_bytes());
        }
        drop(stdin);
    });
    let out = child
        .wait_with_output()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    let _ = feeder.join();
    let failed = |why: &str| GitError::Failed {
        command: "git cat-file --batch".into(),
        stderr: format!("{why} {}", String::from_utf8_lossy(&out.stderr)),
    };
    if !out.status.success() {
        return Err(failed(""));
    }
    // `<sha> blob <size>\n<content>\n` per object, in order.
    let mut rest: &[u8] = &out.stdout;
    let mut blobs: Vec<(&Path, &[u8])> = Vec::with_capacity(wanted.len());
    for (_, target) in &wanted {
        let nl = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| failed("short output"))?;
        let header = String::from_utf8_lossy(&rest[..nl]).to_string();
        if let Some(oid) = header.strip_suffix(" missing") {
            // A partial clone without the blob: kdl never fetches it.
            return Err(GitError::Failed {
                command: "git cat-file --batch".into(),
                stderr: format!(
                    "object {oid} is missing from the local repository (a partial or shallow clone?); kdl never fetches: fetch the history first (e.g. `git fetch --unshallow` or `git fetch --refetch --no-filter`)"
                ),
            });
        }
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| failed(&format!("bad header `{header}`")))?;
        let body = rest
            .get(nl + 1..nl + 1 + size)
            .ok_or_else(|| failed("truncated output"))?;
        blobs.push((target.as_path(), body));
        rest = rest.get(nl + 1 + size + 1..).unwrap_or_default();
    }
    // Creating files dominates on large catalogs: directories first, then
    // the files in parallel.
    let dirs: BTreeSet<&Path> = blobs.iter().filter_map(|(t, _)| t.parent()).collect();
    for d in dirs {
        std::fs::create_dir_all(d).map_err(|e| failed(&e.to_string()))?;
    }
    use rayon::prelude::*;
    blobs
        .par_iter()
        .try_for_each(|(target, body)| std::fs::write(target, body))
        .map_err(|e| failed(&e.to_string()))
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
    let mut before: HashMap<Key, Vec<&Diagnostic>> = HashMap::new();
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

/// Lints the catalog at the merge-base with the options of `run`.
pub fn lint_base(run: &Run, changed: &Changed, opts: &crate::LintOptions) -> Result<Run, GitError> {
    let dir = tempfile::Builder::new()
        .prefix("kdl-base-")
        .tempdir()
        .map_err(|e| GitError::Failed {
            command: "tempdir".into(),
            stderr: e.to_string(),
        })?;
    checkout_base(&run.root, changed, dir.path())?;
    let opts = crate::LintOptions {
        path: Some(dir.path().to_path_buf()),
        as_of: Some(run.as_of),
        ..opts.clone()
    };
    let base = crate::lint(&opts).map_err(|f| GitError::Failed {
        command: "kdl lint (merge-base)".into(),
        stderr: f.message(Lang::En),
    })?;
    Ok(base)
}
