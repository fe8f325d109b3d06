//! Finds the catalog's YAML files: hidden directories skipped, `exclude`
//! globs honoured, symbolic links followed only while they stay inside the
//! root, loops reported instead of followed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use walkdir::WalkDir;

use super::LoadError;

/// Most YAML files one catalog may hold; the walk stops after them (and
/// says so on the first file it leaves out).
pub const MAX_FILES: usize = 1_000_000;

/// A file the walk found, or a place it could not go.
#[derive(Clone, Debug)]
pub struct Found {
    pub rel: String,
    /// Boxed: rare, and a found file is then 56 bytes instead of 120
    /// (400,000 of them at 100k systems).
    pub problem: Option<Box<LoadError>>,
    /// The path as found on disk, when `rel` (shown to people, always UTF-8)
    /// could not spell it exactly (a file name that is not UTF-8).
    pub os_path: Option<PathBuf>,
}

impl Found {
    /// The file's path on disk.
    pub fn path(&self, root: &Path) -> PathBuf {
        match &self.os_path {
            Some(p) => p.clone(),
            None => root.join(&self.rel),
        }
    }
}

/// Lists the YAML files below `root` (canonical), sorted by relative path.
/// `kdl.yaml` at the root is not included.
pub fn walk(root: &Path, exclude: &GlobSet) -> Vec<Found> {
    let mut found = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        // By file name: the entries of one directory share its path, so
        // comparing whole paths as bytes gives the same order without
        // parsing each name out of its path per comparison (walkdir's
        // `sort_by_file_name` did; 4 % of a lint at 100,000 systems).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    let mut outside: Vec<(PathBuf, PathBuf)> = Vec::new();
    // Every real directory is entered once, whatever links lead to it:
    // a DAG of links (`d1/x`, `d1/y` → `d2`, …) would otherwise make the
    // walk exponential in its depth without ever forming a loop.
    let mut entered: HashMap<(u64, u64), String> = HashMap::new();
    let mut it = walker;
    loop {
        let entry = match it.next() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(err)) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let rel = relative(root, &path);
                let problem = match err.loop_ancestor() {
                    Some(anc) => LoadError::SymlinkLoop {
                        target: relative(root, anc),
                    },
                    None => LoadError::Io(err.to_string()),
                };
                if !rel.is_empty() {
                    found.push(Found {
                        rel,
                        problem: Some(Box::new(problem)),
                        os_path: None,
                    });
                }
                continue;
            }
        };
        if entry.path_is_symlink() {
            // Resolve and refuse anything that leads out of the root.
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(root) => {}
                Ok(target) => {
                    if entry.file_type().is_dir() {
                        it.skip_current_dir();
                    }
                    outside.push((entry.path().to_path_buf(), target));
                    continue;
                }
                Err(e) => {
                    found.push(Found {
                        rel: relative(root, entry.path()),
                        problem: Some(Box::new(LoadError::Io(e.to_string()))),
                        os_path: None,
                    });
                    continue;
                }
            }
        }
        if entry.file_type().is_dir() {
            if let Some(key) = dir_key(&entry) {
                let rel = relative(root, entry.path());
                if let Some(first) = entered.get(&key) {
                    it.skip_current_dir();
                    found.push(Found {
                        rel,
                        problem: Some(Box::new(LoadError::DirectoryRepeated {
                            first: first.clone(),
                        })),
                        os_path: None,
                    });
                    continue;
                }
                entered.insert(key, rel);
            }
            continue;
        }
        if !entry.file_type().is_file() || !is_yaml(entry.path()) {
            continue;
        }
        let rel = relative(root, entry.path());
        if entry.depth() == 1 && rel == super::CONFIG_FILE {
            continue;
        }
        if exclude.is_match(&rel) {
            continue;
        }
        if found.len() >= MAX_FILES {
            found.push(Found {
                rel,
                problem: Some(Box::new(LoadError::TooManyFiles { limit: MAX_FILES })),
                os_path: None,
            });
            break;
        }
        let os_path = entry
            .path()
            .to_str()
            .is_none()
            .then(|| entry.path().to_path_buf());
        found.push(Found {
            rel,
            problem: None,
            os_path,
        });
    }
    for (link, target) in outside {
        if link.is_dir() || is_yaml(&link) {
            found.push(Found {
                rel: relative(root, &link),
                problem: Some(Box::new(LoadError::SymlinkOutside {
                    target: target.display().to_string(),
                })),
                os_path: None,
            });
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.dedup_by(|a, b| a.rel == b.rel);
    found.shrink_to_fit();
    found
}

/// The device and inode of a directory (what it is, not how it was reached).
#[cfg(unix)]
fn dir_key(entry: &walkdir::DirEntry) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    entry.metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_key(_entry: &walkdir::DirEntry) -> Option<(u64, u64)> {
    None
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// `path` relative to `root` with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // On Unix a walked path already is `/`-separated, without `.` parts.
    #[cfg(unix)]
    if let Some(s) = rel.to_str() {
        if !s.split('/').any(|c| c == "." || c.is_empty()) {
            return s.to_string();
        }
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_slash_separated_parts() {
        let root = Path::new("/k/root");
        for (path, rel) in [
            ("/k/root/system/a.yaml", "system/a.yaml"),
            ("/k/root/./system//a.yaml", "system/a.yaml"),
            ("/k/root/a b/å.yaml", "a b/å.yaml"),
            ("/k/root", ""),
            // Outside the root (never walked): as the parts give it.
            ("/elsewhere/x.yaml", "//elsewhere/x.yaml"),
        ] {
            assert_eq!(relative(root, Path::new(path)), rel, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_and_escape_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("system")).unwrap();
        std::fs::write(root.join("system/a.yaml"), "kind: system\n").unwrap();
        std::fs::write(root.join(".hidden.yaml"), "x").unwrap();
        std::os::unix::fs::symlink(&root, root.join("system/loop")).unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "x: 1").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("escape")).unwrap();
        let found = walk(&root, &GlobSet::empty());
        let rels: Vec<_> = found.iter().map(|f| f.rel.as_str()).collect();
        assert!(rels.contains(&"system/a.yaml"));
        assert!(!rels.iter().any(|r| r.contains("secret")));
        assert!(found
            .iter()
            .any(|f| matches!(f.problem.as_deref(), Some(LoadError::SymlinkLoop { .. }))));
        assert!(found
            .iter()
            .any(|f| matches!(f.problem.as_deref(), Some(LoadError::SymlinkOutside { .. }))));
    }

    #[cfg(unix)]
    #[test]
    fn a_dag_of_links_enters_each_directory_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let n = 24;
        for i in 0..=n {
            std::fs::create_dir(root.join(format!("d{i}"))).unwrap();
        }
        std::fs::write(root.join(format!("d{n}/a.yaml")), "kind: system\n").unwrap();
        for i in 0..n {
            let next = format!("../d{}", i + 1);
            std::os::unix::fs::symlink(&next, root.join(format!("d{i}/x"))).unwrap();
            std::os::unix::fs::symlink(&next, root.join(format!("d{i}/y"))).unwrap();
        }
        let found = walk(&root, &GlobSet::empty());
        let files: Vec<_> = found.iter().filter(|f| f.problem.is_none()).collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(found.iter().any(|f| matches!(
            f.problem.as_deref(),
            Some(LoadError::DirectoryRepeated { .. })
        )));
        // At most one repeat per link: linear, not 2^n.
        assert!(found.len() <= 2 * n + 1, "{}", found.len());
    }
}
