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

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};

use crate::catalog::source::{blob_id, BlobId, Disk, FileRead, Loads, Source};
use crate::catalog::Entity;
use crate::diagnostic::{Diagnostic, FileId};
use crate::i18n::Lang;
use crate::load::{self, walk::Found, walk::MAX_FILES, SourceFile, CONFIG_FILE};
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

/// The merge-base of `reference` and `HEAD`, and the catalog root's path
/// in the repository; the set of changed files is still empty.
fn merge_base(root: &Path, reference: &str) -> Result<Changed, GitError> {
    let prefix = match git(root, &["rev-parse", "--show-prefix"])? {
        Ok(out) => text(out),
        Err(e) => return Err(GitError::NotARepo(e.trim().to_string())),
    };
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
    Ok(Changed {
        reference: reference.to_string(),
        base,
        files: BTreeSet::new(),
        prefix,
    })
}

/// The changed files as `git diff` and `git ls-files` see them: tracked
/// files, merge-base tree vs working tree (staged and unstaged), and
/// untracked files that are not ignored.
fn diff_files(root: &Path, base: &str) -> Result<BTreeSet<String>, GitError> {
    let mut files = BTreeSet::new();
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
            base,
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
    Ok(files)
}

/// One YAML blob of the catalog at the merge-base.
#[derive(Clone, Debug)]
struct BaseEntry {
    /// Relative to the catalog root, `/`-separated.
    rel: String,
    sha: String,
    /// The id as bytes, in the SHA-1 object format.
    sha1: Option<BlobId>,
    size: u64,
}

/// The catalog's YAML files at the merge-base, as git lists them (read
/// from the object database; nothing is written to disk).
#[derive(Clone, Debug, Default)]
pub struct BaseTree {
    entries: Vec<BaseEntry>,
}

/// Lists the YAML blobs of the catalog at `changed.base`. A catalog that
/// did not exist then is an empty tree.
pub fn base_tree(root: &Path, changed: &Changed) -> Result<BaseTree, GitError> {
    tree_at(root, &changed.base, &changed.prefix)
}

/// Lists the YAML blobs under `prefix` (the catalog's path in the
/// repository) at `commit`.
fn tree_at(root: &Path, commit: &str, prefix: &str) -> Result<BaseTree, GitError> {
    let tree = format!("{commit}:{prefix}");
    // `--full-tree`: otherwise ls-tree lists only what is under the
    // current directory, itself taken relative to the tree given.
    let args = ["ls-tree", "-r", "-l", "-z", "--full-tree", &tree];
    let listing = match git(root, &args)? {
        Ok(listing) => listing,
        // The catalog directory did not exist then.
        Err(_) if git(root, &["rev-parse", "--verify", "--quiet", &tree])?.is_err() => {
            return Ok(BaseTree::default())
        }
        Err(stderr) => {
            return Err(GitError::Failed {
                command: format!("git {}", args.join(" ")),
                stderr,
            })
        }
    };
    let mut entries = Vec::new();
    // `<mode> blob <sha> <size>\t<path>`; symbolic links (120000) and
    // submodules (commits) are not files of the catalog.
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split_whitespace();
        let (Some(mode), Some(kind), Some(sha), Some(size)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let yaml = path.ends_with(".yaml") || path.ends_with(".yml");
        if kind != "blob" || mode == "120000" || !yaml {
            continue;
        }
        let normal = Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !normal {
            continue;
        }
        entries.push(BaseEntry {
            rel: path.to_string(),
            sha1: sha1_of_hex(sha),
            sha: sha.to_string(),
            // `-` when git does not have the blob (a partial clone): it is
            // asked for all the same, and reported missing.
            size: size.parse().unwrap_or(0),
        });
    }
    Ok(BaseTree { entries })
}

/// A 40-digit hexadecimal object id as bytes.
fn sha1_of_hex(hex: &str) -> Option<BlobId> {
    if hex.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
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

/// Reads blobs by id with one `git cat-file --batch`, in memory.
fn cat_blobs(root: &Path, shas: &[&str]) -> Result<Vec<Vec<u8>>, GitError> {
    if shas.is_empty() {
        return Ok(Vec::new());
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
    let input: String = shas.iter().map(|sha| format!("{sha}\n")).collect();
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
    let mut blobs = Vec::with_capacity(shas.len());
    for _ in shas {
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
        blobs.push(body.to_vec());
        rest = rest.get(nl + 1 + size + 1..).unwrap_or_default();
    }
    Ok(blobs)
}

/// `name` (a `model:` path) as a path relative to the catalog root, without
/// touching the disk; `None` when it leads out of the catalog.
fn lexical_rel(name: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if name.starts_with('/') || name.starts_with('\\') || name.contains(':') {
        return None;
    }
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Whether the walk would list `rel`: no hidden component, a YAML file,
/// not `kdl.yaml` at the root, not excluded (see `load::walk::walk`).
fn walked(rel: &str, exclude: &globset::GlobSet) -> bool {
    rel != CONFIG_FILE && !rel.split('/').any(|c| c.starts_with('.')) && !exclude.is_match(rel)
}

/// An entity with the paths that failed its schema.
type Lent = Option<(Entity, Vec<String>)>;

/// What the lint of the working tree loaded, handed over file by file.
struct Reuse<'a> {
    files: &'a [SourceFile],
    loads: &'a [Vec<Diagnostic>],
    /// The working tree's entities (by index), lent to the merge-base's
    /// catalog — moved, not copied — and given back after its lint.
    lent: Vec<Mutex<Lent>>,
    lent_count: usize,
    /// Working-tree file id by relative path.
    by_rel: HashMap<&'a str, FileId>,
    /// The entity (index) each working-tree file gave, by file id.
    entity_of: Vec<Option<usize>>,
    changed: &'a BTreeSet<String>,
}

impl Reuse<'_> {
    /// The working-tree file with the same bytes as `rel` at the merge-base.
    fn same(&self, rel: &str) -> Option<FileId> {
        if self.changed.contains(rel) {
            return None;
        }
        self.by_rel.get(rel).copied()
    }

    fn read(&self, from: FileId, to: FileId) -> Option<FileRead> {
        let src = self.files.get(from)?;
        let entity = self.entity_of.get(from).copied().flatten();
        let entity = entity.and_then(|k| {
            let mut slot = self
                .lent
                .get(k)?
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let (mut e, failed) = slot.take()?;
            e.head_mut().file = to;
            Some((e, failed))
        });
        let diags = self
            .loads
            .get(from)?
            .iter()
            .map(|d| {
                let mut d = d.clone();
                d.file = to;
                for r in &mut d.related {
                    if r.file == from {
                        r.file = to;
                    }
                }
                d
            })
            .collect();
        Some(FileRead::Reused {
            src: SourceFile {
                rel: src.rel.clone(),
                // Only a file without an entity needs its text in the
                // pipeline (for the ids it declares); none is rendered.
                text: if entity.is_none() {
                    src.text.clone()
                } else {
                    String::new()
                },
                doc: match &src.doc {
                    Ok(n) => Ok(n.clone()),
                    Err(e) => Err(e.clone()),
                },
            },
            entity,
            diags,
        })
    }
}

/// The catalog at the merge-base as a [`Source`]: the files the change did
/// not touch are taken over from the lint of the working tree, the others
/// come from git's object database.
struct AtBase<'a> {
    tree: &'a BaseTree,
    /// By relative path: the blob's size, and its bytes if they were read.
    blobs: HashMap<&'a str, (u64, Option<Vec<u8>>)>,
    reuse: Option<Reuse<'a>>,
}

impl AtBase<'_> {
    fn parse(&self, rel: &str, limit: u64) -> SourceFile {
        let fail = |e: load::LoadError| SourceFile {
            rel: rel.to_string(),
            text: String::new(),
            doc: Err(e),
        };
        match self.blobs.get(rel) {
            Some((size, _)) if *size > limit => {
                fail(load::LoadError::TooLarge { size: *size, limit })
            }
            Some((_, Some(bytes))) => {
                load::parse_bytes(rel.to_string(), bytes.clone(), load::Budget::default())
            }
            _ => fail(load::LoadError::Io(not_found())),
        }
    }
}

/// The operating system's "no such file" text, as the lint of a working
/// tree would give it.
fn not_found() -> String {
    #[cfg(unix)]
    let e = std::io::Error::from_raw_os_error(2);
    #[cfg(not(unix))]
    let e = std::io::Error::from(std::io::ErrorKind::NotFound);
    e.to_string()
}

impl Source for AtBase<'_> {
    fn config(&self, _root: &Path, exists: bool) -> SourceFile {
        if exists {
            self.parse(CONFIG_FILE, load::DEFAULT_MAX_FILE_BYTES)
        } else {
            crate::catalog::source::missing_config()
        }
    }

    fn model(
        &self,
        root: &Path,
        name: &str,
        external: bool,
    ) -> Result<crate::catalog::source::ModelRead, crate::ModelPathError> {
        let Some(rel) = lexical_rel(name) else {
            // Outside the catalog: the same file the working tree's lint read.
            return Disk.model(root, name, external);
        };
        let file = self.parse(&rel, load::DEFAULT_MAX_FILE_BYTES);
        let loaded = match file.doc {
            Err(load::LoadError::Io(e)) => return Err(crate::ModelPathError::Unreadable(e)),
            Err(load::LoadError::TooLarge { size, limit }) => Err(crate::model::ModelError::plain(
                load::read::ReadError::TooLarge { size, limit }.to_string(),
                load::Span::FILE_START,
            )),
            _ => crate::model::Model::from_text(&file.text).map(|m| (m, file.text.clone())),
        };
        Ok((loaded, false))
    }

    fn model_rel(&self, _root: &Path, name: &str) -> Option<String> {
        crate::is_model_path(name)
            .then(|| lexical_rel(name))
            .flatten()
    }

    fn list(&self, _root: &Path, exclude: &globset::GlobSet) -> Vec<Found> {
        let mut found: Vec<&BaseEntry> = self
            .tree
            .entries
            .iter()
            .filter(|e| walked(&e.rel, exclude))
            .collect();
        // The walk stops at its limit in directory order.
        let mut limited = None;
        if found.len() > MAX_FILES {
            found.sort_by(|a, b| a.rel.split('/').cmp(b.rel.split('/')));
            limited = found.get(MAX_FILES).map(|e| e.rel.clone());
            found.truncate(MAX_FILES);
        }
        let mut out: Vec<Found> = found
            .into_iter()
            .map(|e| Found {
                rel: e.rel.clone(),
                problem: None,
                os_path: None,
            })
            .collect();
        if let Some(rel) = limited {
            out.push(Found {
                rel,
                problem: Some(Box::new(load::LoadError::TooManyFiles { limit: MAX_FILES })),
                os_path: None,
            });
        }
        out.sort_by(|a, b| a.rel.cmp(&b.rel));
        out
    }

    fn read(&self, _root: &Path, file: FileId, found: Found, max_bytes: u64) -> FileRead {
        if let Some(p) = found.problem {
            return FileRead::Parsed(SourceFile {
                rel: found.rel,
                text: String::new(),
                doc: Err(*p),
            });
        }
        if let Some(reuse) = &self.reuse {
            if let Some(read) = reuse
                .same(&found.rel)
                .and_then(|from| reuse.read(from, file))
            {
                return read;
            }
        }
        FileRead::Parsed(self.parse(&found.rel, max_bytes))
    }
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
    let wanted: Vec<&BaseEntry> = tree
        .entries
        .iter()
        .filter(|e| {
            e.rel == CONFIG_FILE
                || model_rels.iter().flatten().any(|m| *m == e.rel)
                || reuse.as_ref().is_none_or(|r| r.same(&e.rel).is_none())
        })
        // Never read more than the largest file kdl reads.
        .filter(|e| e.size <= crate::config::MAX_FILE_SIZE_CEILING)
        .collect();
    let shas: Vec<&str> = wanted.iter().map(|e| e.sha.as_str()).collect();
    let mut source = AtBase {
        tree,
        blobs: tree
            .entries
            .iter()
            .map(|e| (e.rel.as_str(), (e.size, None)))
            .collect(),
        reuse,
    };
    let mut base = cat_blobs(&run.root, &shas).and_then(|bodies| {
        for (e, body) in wanted.iter().zip(bodies) {
            source.blobs.insert(e.rel.as_str(), (e.size, Some(body)));
        }
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
    let wanted: Vec<&BaseEntry> = tree
        .entries
        .iter()
        .filter(|e| e.size <= crate::config::MAX_FILE_SIZE_CEILING)
        .collect();
    let shas: Vec<&str> = wanted.iter().map(|e| e.sha.as_str()).collect();
    let bodies = cat_blobs(root, &shas)?;
    let mut source = AtBase {
        tree: &tree,
        blobs: tree
            .entries
            .iter()
            .map(|e| (e.rel.as_str(), (e.size, None)))
            .collect(),
        reuse: None,
    };
    for (e, body) in wanted.iter().zip(bodies) {
        source.blobs.insert(e.rel.as_str(), (e.size, Some(body)));
    }
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

#[cfg(test)]
mod tests {
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
