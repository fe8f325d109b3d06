//! The git commands of `--changed-since` and `--compare-git`: the merge-base,
//! the changed files as git sees them, a commit's tree of YAML blobs and
//! the blobs themselves (`git cat-file --batch`, in memory). Every child runs
//! with `GIT_NO_LAZY_FETCH=1`: nothing is ever fetched.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::catalog::source::BlobId;
use crate::i18n::Lang;

use super::Changed;

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
pub(super) fn git(dir: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, GitError> {
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
pub(super) fn git_ok(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    git(dir, args)?.map_err(|stderr| GitError::Failed {
        command: format!("git {}", args.join(" ")),
        stderr,
    })
}

pub(super) fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// NUL-separated paths (`-z` output).
pub(super) fn paths(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// The merge-base of `reference` and `HEAD`, and the catalog root's path
/// in the repository; the set of changed files is still empty.
pub(super) fn merge_base(root: &Path, reference: &str) -> Result<Changed, GitError> {
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
pub(super) fn diff_files(root: &Path, base: &str) -> Result<BTreeSet<String>, GitError> {
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
pub(super) struct BaseEntry {
    /// Relative to the catalog root, `/`-separated.
    pub(super) rel: String,
    pub(super) sha: String,
    /// The id as bytes, in the SHA-1 object format.
    pub(super) sha1: Option<BlobId>,
    pub(super) size: u64,
}

/// The catalog's YAML files at the merge-base, as git lists them (read
/// from the object database; nothing is written to disk).
#[derive(Clone, Debug, Default)]
pub struct BaseTree {
    pub(super) entries: Vec<BaseEntry>,
}

/// Lists the YAML blobs of the catalog at `changed.base`. A catalog that
/// did not exist then is an empty tree.
pub fn base_tree(root: &Path, changed: &Changed) -> Result<BaseTree, GitError> {
    tree_at(root, &changed.base, &changed.prefix)
}

/// Lists the YAML blobs under `prefix` (the catalog's path in the
/// repository) at `commit`.
pub(super) fn tree_at(root: &Path, commit: &str, prefix: &str) -> Result<BaseTree, GitError> {
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
pub(super) fn sha1_of_hex(hex: &str) -> Option<BlobId> {
    if hex.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Objects larger than this are not read (the loader refuses files over
/// 1 MiB by default anyway).
const MAX_BLOB: usize = crate::config::MAX_FILE_SIZE_CEILING as usize;

/// The error for an object the local repository does not have.
fn missing_object(oid: &str) -> GitError {
    GitError::Failed {
        command: "git cat-file --batch".into(),
        stderr: format!(
            "object {oid} is missing from the local repository (a partial or shallow clone?); kdl never fetches: fetch the history first (e.g. `git fetch --unshallow` or `git fetch --refetch --no-filter`)"
        ),
    }
}

/// Reads objects (`<oid>` or `<rev>:<path>`) with one `git cat-file
/// --batch`, streamed, in memory: `None` for a `<rev>:<path>` that does
/// not exist and for an object over 16 MiB (skipped unread). An object id
/// the repository does not have (a partial clone) is an error: kdl never
/// fetches.
pub fn cat_file<S: AsRef<str>>(
    root: &Path,
    requests: &[S],
) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    use std::io::{BufRead, BufReader, Read};
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "--batch"])
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| GitError::NoGit(e.to_string()))?;
    let failed = |why: &str| GitError::Failed {
        command: "git cat-file --batch".into(),
        stderr: why.to_string(),
    };
    let mut stdin = child.stdin.take().ok_or_else(|| failed("no stdin"))?;
    let input: String = requests
        .iter()
        .map(|r| format!("{}\n", r.as_ref()))
        .collect();
    // Feed the requests from another thread so neither pipe fills up.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let stdout = child.stdout.take().ok_or_else(|| failed("no stdout"))?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::with_capacity(requests.len());
    let io = |e: std::io::Error| failed(&e.to_string());
    for _ in requests {
        let mut header = Vec::new();
        if reader.read_until(b'\n', &mut header).map_err(io)? == 0 {
            break;
        }
        let header = String::from_utf8_lossy(&header);
        let fields: Vec<&str> = header.trim_end().split(' ').collect();
        // `<oid> <type> <size>`, or `<name> missing` / `<name> ambiguous`
        let size = match fields.as_slice() {
            [_, kind, size] if !matches!(*kind, "missing" | "ambiguous") => {
                size.parse::<usize>().ok()
            }
            _ => None,
        };
        let Some(size) = size else {
            // An object id from a tree that is not here: a partial clone
            // without the blob (fetching it would use the network).
            let req = requests.get(out.len()).map(|r| r.as_ref());
            if let Some(req) = req.filter(|r| !r.contains(':')) {
                let _ = child.kill();
                let _ = child.wait();
                return Err(missing_object(req));
            }
            out.push(None);
            continue;
        };
        if size > MAX_BLOB {
            // far beyond what the loader accepts: skip it, unread
            std::io::copy(
                &mut (&mut reader).take(size as u64 + 1),
                &mut std::io::sink(),
            )
            .map_err(io)?;
            out.push(None);
            continue;
        }
        let mut body = vec![0u8; size];
        reader.read_exact(&mut body).map_err(io)?;
        let mut nl = [0u8; 1];
        reader.read_exact(&mut nl).map_err(io)?;
        out.push(Some(body));
    }
    let _ = writer.join();
    let _ = child.wait();
    out.resize(requests.len(), None);
    Ok(out)
}
