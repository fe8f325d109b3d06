//! Finds the catalog's YAML files: hidden directories skipped, `exclude`
//! globs honoured, symbolic links followed only while they stay inside the
//! root, loops reported instead of followed.

use std::path::{Path, PathBuf};

use globset::GlobSet;
use walkdir::WalkDir;

use super::LoadError;

/// A file the walk found, or a place it could not go.
#[derive(Clone, Debug)]
pub struct Found {
    pub rel: String,
    pub problem: Option<LoadError>,
}

/// Lists the YAML files below `root` (canonical), sorted by relative path.
/// `kdl.yaml` at the root is not included.
pub fn walk(root: &Path, exclude: &GlobSet) -> Vec<Found> {
    let mut found = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    let mut outside: Vec<(PathBuf, PathBuf)> = Vec::new();
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
                        problem: Some(problem),
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
                        problem: Some(LoadError::Io(e.to_string())),
                    });
                    continue;
                }
            }
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
        found.push(Found { rel, problem: None });
    }
    for (link, target) in outside {
        if link.is_dir() || is_yaml(&link) {
            found.push(Found {
                rel: relative(root, &link),
                problem: Some(LoadError::SymlinkOutside {
                    target: target.display().to_string(),
                }),
            });
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.dedup_by(|a, b| a.rel == b.rel);
    found
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
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

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
            .any(|f| matches!(f.problem, Some(LoadError::SymlinkLoop { .. }))));
        assert!(found
            .iter()
            .any(|f| matches!(f.problem, Some(LoadError::SymlinkOutside { .. }))));
    }
}
