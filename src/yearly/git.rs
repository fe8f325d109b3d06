//! The catalog's history for `kdl report --compare-git`, through the `git`
//! command-line tool (read-only: `rev-parse`, `log`, `ls-tree`,
//! `cat-file`; the repository, its index and work tree are never touched).
//!
//! - [`year_history`] finds the last commit on or before 1 January of the
//!   year (the catalog as it was there is linted in memory, read from
//!   git's object database: [`crate::changed::lint_commit`]), and walks the
//!   commits of the year up to the report date for changes of role
//!   holders, reading only the files each commit touched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::NaiveDate;

use crate::catalog::Entity;
use crate::i18n::Lang;

use super::RoleChange;

/// Why the history could not be read.
#[derive(Debug)]
pub enum GitError {
    /// `git` is not installed or cannot be run.
    NoGit(String),
    /// The catalog is not inside a git work tree.
    NotARepo,
    /// A git command failed.
    Failed {
        command: String,
        stderr: String,
    },
    Io(String),
}

impl GitError {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (GitError::NoGit(e), Lang::Sv) => format!("kan inte köra `git` ({e}); --compare-git kräver git"),
            (GitError::NoGit(e), Lang::En) => format!("cannot run `git` ({e}); --compare-git needs git"),
            (GitError::NotARepo, Lang::Sv) => {
                "katalogen ligger inte i ett git-förråd; --compare-git kräver katalogens historik i git".into()
            }
            (GitError::NotARepo, Lang::En) => {
                "the catalog is not in a git repository; --compare-git needs its history in git".into()
            }
            (GitError::Failed { command, stderr }, Lang::Sv) => {
                format!("`{command}` misslyckades: {}", stderr.trim())
            }
            (GitError::Failed { command, stderr }, Lang::En) => {
                format!("`{command}` failed: {}", stderr.trim())
            }
            (GitError::Io(e), Lang::Sv) => format!("git-historiken kunde inte läsas: {e}"),
            (GitError::Io(e), Lang::En) => format!("could not read the git history: {e}"),
        }
    }
}

/// The catalog at the start of the year, checked out into a temporary
/// directory that lives as long as this value.
pub struct BaselineTree {
    pub commit: String,
    /// Committer date of the commit.
    pub date: String,
    /// The catalog's path in the repository (empty at the top).
    pub prefix: String,
}

pub struct History {
    pub baseline: Option<BaselineTree>,
    pub role_changes: Vec<RoleChange>,
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off", "--no-pager"])
        .env("GIT_OPTIONAL_LOCKS", "0")
        // A partial clone would otherwise fetch missing objects from its
        // remote: kdl never touches the network. A missing object is
        // reported instead.
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::null());
    c
}

/// Runs a git command and returns its standard output.
fn run(mut cmd: Command, what: &str) -> Result<Vec<u8>, GitError> {
    let out = cmd.output().map_err(|e| GitError::NoGit(e.to_string()))?;
    if !out.status.success() {
        return Err(GitError::Failed {
            command: format!("git {what}"),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(out.stdout)
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Reads the year's history of the catalog at `root`.
pub fn year_history(root: &Path, year: i32, as_of: NaiveDate) -> Result<History, GitError> {
    // where the catalog sits in the repository
    let mut c = git(root);
    c.args(["rev-parse", "--is-inside-work-tree"]);
    let inside = c.output().map_err(|e| GitError::NoGit(e.to_string()))?;
    if !inside.status.success() || !text(inside.stdout).trim().eq("true") {
        return Err(GitError::NotARepo);
    }
    let mut c = git(root);
    c.args(["rev-parse", "--show-toplevel", "--show-prefix"]);
    let out = text(run(c, "rev-parse --show-toplevel --show-prefix")?);
    let mut lines = out.lines();
    let top = PathBuf::from(lines.next().unwrap_or_default());
    let prefix = lines
        .next()
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();

    // no commit at all yet: nothing to compare with
    let mut c = git(root);
    c.args(["rev-parse", "--verify", "--quiet", "HEAD"]);
    let has_head = c
        .output()
        .map_err(|e| GitError::NoGit(e.to_string()))?
        .status
        .success();
    if !has_head {
        return Ok(History {
            baseline: None,
            role_changes: Vec::new(),
        });
    }

    let mut c = git(root);
    c.args([
        "log",
        "-1",
        "--format=%H%x09%cs",
        &format!("--before={year:04}-01-01T23:59:59"),
        "HEAD",
        "--",
    ]);
    let found = text(run(c, "log --before")?);
    let baseline = found
        .trim()
        .split_once('\t')
        .map(|(commit, date)| baseline_at(commit, date, &prefix));

    let role_changes = role_changes(
        root,
        &top,
        baseline.as_ref().map(|b| b.commit.as_str()),
        as_of,
    )?;
    Ok(History {
        baseline,
        role_changes,
    })
}

/// The baseline commit (the catalog is linted there by
/// [`crate::changed::lint_commit`], in memory).
fn baseline_at(commit: &str, date: &str, prefix: &str) -> BaselineTree {
    BaselineTree {
        commit: commit.to_string(),
        date: date.to_string(),
        prefix: prefix.to_string(),
    }
}

/// Reads objects (`<oid>` or `<rev>:<path>`) with one `git cat-file
/// --batch` ([`crate::changed::cat_file`]); `None` for those that do not
/// exist.
fn cat_file(top: &Path, requests: &[String]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    crate::changed::cat_file(top, requests).map_err(|e| match e {
        crate::changed::GitError::NoGit(e) => GitError::NoGit(e),
        crate::changed::GitError::Failed { command, stderr } => {
            GitError::Failed { command, stderr }
        }
        other => GitError::Io(other.message(Lang::En)),
    })
}

/// The roles of a system file's text: (system id, role → holders).
fn roles_of(bytes: &[u8]) -> Option<(String, BTreeMap<String, Vec<String>>)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let node = crate::load::yaml::parse(text, crate::load::Budget::default()).ok()?;
    if node.get("kind").and_then(crate::load::Node::as_str) != Some("system") {
        return None;
    }
    let Entity::System(s) = Entity::from_node("system", &node, 0)? else {
        return None;
    };
    let roles = s
        .roles
        .iter()
        .map(|r| {
            let mut h: Vec<String> = r.holders.iter().map(|x| x.v.to_string()).collect();
            h.sort();
            (r.name.v.to_string(), h)
        })
        .collect();
    Some((s.head.id.v.to_string(), roles))
}

struct CommitInfo {
    sha: String,
    date: String,
    author: String,
    files: Vec<String>,
}

/// Role holder changes in the commits after `baseline` (all commits when
/// `None`) up to the end of `as_of`, oldest first. A system that appears
/// or disappears in a commit is not a role change (it is a system added or
/// removed); only systems present before and after each commit count.
fn role_changes(
    root: &Path,
    top: &Path,
    baseline: Option<&str>,
    as_of: NaiveDate,
) -> Result<Vec<RoleChange>, GitError> {
    let range = match baseline {
        Some(b) => format!("{b}..HEAD"),
        None => "HEAD".to_string(),
    };
    let mut c = git(root);
    c.args([
        "log",
        "--no-merges",
        "--reverse",
        "--no-renames",
        "--format=%x01%H%x09%cs%x09%an",
        "--name-only",
        &format!("--before={as_of}T23:59:59"),
        &range,
        "--",
        ".",
    ]);
    let log = text(run(c, "log --name-only")?);
    let mut commits: Vec<CommitInfo> = Vec::new();
    for block in log.split('\u{1}').filter(|b| !b.trim().is_empty()) {
        let mut lines = block.lines();
        let head = lines.next().unwrap_or_default();
        let mut parts = head.splitn(3, '\t');
        let (Some(sha), Some(date), Some(author)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let files = lines
            .map(str::trim)
            .filter(|l| l.ends_with(".yaml") || l.ends_with(".yml"))
            .map(str::to_string)
            .collect();
        commits.push(CommitInfo {
            sha: sha.to_string(),
            date: date.to_string(),
            author: author.to_string(),
            files,
        });
    }
    let mut requests = Vec::new();
    for c in &commits {
        for f in &c.files {
            requests.push(format!("{}^:{f}", c.sha));
            requests.push(format!("{}:{f}", c.sha));
        }
    }
    let blobs = cat_file(top, &requests)?;
    let mut blobs = blobs.into_iter();
    let mut out = Vec::new();
    for c in &commits {
        type Roles = BTreeMap<String, Vec<String>>;
        let mut before: BTreeMap<String, Roles> = BTreeMap::new();
        let mut after: BTreeMap<String, Roles> = BTreeMap::new();
        for _ in &c.files {
            let old = blobs.next().flatten();
            let new = blobs.next().flatten();
            if let Some((id, r)) = old.as_deref().and_then(roles_of) {
                before.insert(id, r);
            }
            if let Some((id, r)) = new.as_deref().and_then(roles_of) {
                after.insert(id, r);
            }
        }
        for (system, old) in &before {
            let Some(new) = after.get(system) else {
                continue;
            };
            let names: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
            for role in names {
                let was = old.get(role).cloned().unwrap_or_default();
                let is = new.get(role).cloned().unwrap_or_default();
                if was != is {
                    out.push(RoleChange {
                        date: c.date.clone(),
                        system: system.clone(),
                        role: role.clone(),
                        role_label: String::new(),
                        before: was,
                        after: is,
                        commit: c.sha.clone(),
                        author: c.author.clone(),
                    });
                }
            }
        }
    }
    Ok(out)
}
