//! Finds the catalog's YAML files: hidden directories skipped, `exclude`
//! globs honoured, symbolic links followed only while they stay inside the
//! root, loops reported instead of followed.
//!
//! Written on `std::fs::read_dir` rather than the `walkdir` crate, for
//! scale: every entry's type comes from the listing (only links and
//! directories are looked up), each name is looked at once in the order the
//! listing gives, no path is built for a plain UTF-8 file, and a directory
//! is sorted by keys gathered from the names ([`sorted_order`]) instead of
//! comparing whole paths scattered in memory. With 240,000 agreements in
//! one directory (100,000 systems) the walk took 1.1 s with `walkdir` and
//! 0.63 s this way (10,000 systems: 75 and 55 ms).

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::FileType;
use std::path::{Path, PathBuf};

use globset::GlobSet;

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

    fn problem(rel: String, problem: LoadError) -> Found {
        Found {
            rel,
            problem: Some(Box::new(problem)),
            os_path: None,
        }
    }
}

/// A directory to read: where it is on disk (through any links that led to
/// it), its path relative to the root, and what it is (device and inode).
struct Dir {
    path: PathBuf,
    rel: String,
    /// `rel` spells the path exactly (every name on the way is UTF-8).
    exact: bool,
    key: Option<(u64, u64)>,
}

/// An entry of a directory listing, before it is sorted.
struct Listed {
    rel: String,
    /// `rel` spells the path exactly.
    exact: bool,
    /// The name ends in `.yaml` or `.yml`.
    yaml: bool,
    /// The entry's type as the listing gives it (not followed).
    ft: Option<FileType>,
    name: OsString,
}

/// The next step of the depth-first walk.
enum Step {
    Enter(Dir),
    /// Leaving the directory entered last: it is no longer an ancestor.
    Leave,
}

/// State of one walk.
struct Walk<'a> {
    root: &'a Path,
    exclude: &'a GlobSet,
    found: Vec<Found>,
    /// Links that lead out of the root: (link, target).
    outside: Vec<(PathBuf, PathBuf)>,
    /// Every real directory is entered once, whatever links lead to it:
    /// a DAG of links (`d1/x`, `d1/y` → `d2`, …) would otherwise make the
    /// walk exponential in its depth without ever forming a loop.
    entered: HashMap<(u64, u64), String>,
    /// The directories being walked, outermost first.
    ancestors: Vec<((u64, u64), String)>,
    full: bool,
}

/// Lists the YAML files below `root` (canonical), sorted by relative path.
/// `kdl.yaml` at the root is not included.
pub fn walk(root: &Path, exclude: &GlobSet) -> Vec<Found> {
    let mut w = Walk {
        root,
        exclude,
        found: Vec::new(),
        outside: Vec::new(),
        entered: HashMap::new(),
        ancestors: Vec::new(),
        full: false,
    };
    let mut stack = vec![Step::Enter(Dir {
        path: root.to_path_buf(),
        rel: String::new(),
        exact: true,
        key: dir_key(root),
    })];
    while let Some(step) = stack.pop() {
        if w.full {
            break;
        }
        match step {
            Step::Leave => {
                w.ancestors.pop();
            }
            Step::Enter(dir) => {
                if let Some(key) = dir.key {
                    if let Some((_, anc)) = w.ancestors.iter().find(|(k, _)| *k == key) {
                        let target = anc.clone();
                        w.found
                            .push(Found::problem(dir.rel, LoadError::SymlinkLoop { target }));
                        continue;
                    }
                    if let Some(first) = w.entered.get(&key) {
                        let first = first.clone();
                        w.found.push(Found::problem(
                            dir.rel,
                            LoadError::DirectoryRepeated { first },
                        ));
                        continue;
                    }
                    w.entered.insert(key, dir.rel.clone());
                    w.ancestors.push((key, dir.rel.clone()));
                    stack.push(Step::Leave);
                }
                let subdirs = w.read(&dir);
                // Reversed, so that the first in order is entered first.
                stack.extend(subdirs.into_iter().rev().map(Step::Enter));
            }
        }
    }
    let Walk {
        mut found, outside, ..
    } = w;
    for (link, target) in outside {
        if link.is_dir() || is_yaml(&link) {
            found.push(Found::problem(
                relative(root, &link),
                LoadError::SymlinkOutside {
                    target: target.display().to_string(),
                },
            ));
        }
    }
    // Nearly sorted already (each directory's entries are read in order),
    // which the sort finds in linear time.
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    found.dedup_by(|a, b| a.rel == b.rel);
    found.shrink_to_fit();
    found
}

impl Walk<'_> {
    /// Reads one directory: its YAML files go to `found`; its subdirectories
    /// (real, or links that stay inside the root) are returned in order.
    fn read(&mut self, dir: &Dir) -> Vec<Dir> {
        let listing = match std::fs::read_dir(&dir.path) {
            Ok(rd) => rd,
            Err(e) => {
                if !dir.rel.is_empty() {
                    self.found.push(Found::problem(
                        dir.rel.clone(),
                        LoadError::Io(e.to_string()),
                    ));
                }
                return Vec::new();
            }
        };
        // Each name is looked at once, in the order the listing gives
        // (its bytes are then still in the cache), before sorting.
        let mut entries = Vec::new();
        for e in listing {
            let e = match e {
                Ok(e) => e,
                Err(e) => {
                    // The listing broke off (an I/O error): said once, on
                    // the directory; what was listed is still walked.
                    self.found.push(Found::problem(
                        dir.rel.clone(),
                        LoadError::Io(e.to_string()),
                    ));
                    break;
                }
            };
            let name = e.file_name();
            let ft = e.file_type().ok();
            // A name that is not UTF-8 is shown with replacement characters
            // and read by its path on disk.
            let (text, utf8) = match name.to_str() {
                Some(t) => (std::borrow::Cow::Borrowed(t), true),
                None => (name.to_string_lossy(), false),
            };
            let yaml = is_yaml_name(&text);
            if text.starts_with('.') || (!yaml && ft.is_some_and(|t| t.is_file())) {
                continue;
            }
            let rel = join(&dir.rel, &text);
            entries.push(Listed {
                rel,
                exact: dir.exact && utf8,
                yaml,
                ft,
                name,
            });
        }
        // By bytes, the order `/`-joined paths sort in.
        let skip = if dir.rel.is_empty() {
            0
        } else {
            dir.rel.len() + 1
        };
        let names: Vec<&[u8]> = entries
            .iter()
            .map(|e| e.rel.as_bytes().get(skip..).unwrap_or_default())
            .collect();
        let order = sorted_order(&names);
        drop(names);
        let mut slots: Vec<Option<Listed>> = entries.into_iter().map(Some).collect();
        let sorted = order
            .into_iter()
            .filter_map(|i| slots.get_mut(i as usize).and_then(Option::take));
        let mut subdirs = Vec::new();
        for Listed {
            rel,
            exact,
            yaml,
            ft,
            name,
        } in sorted
        {
            let mut ft = ft;
            if ft.is_none_or(|t| t.is_symlink()) {
                let path = dir.path.join(&name);
                if ft.is_some() {
                    // Resolve and refuse anything that leads out of the root.
                    match path.canonicalize() {
                        Ok(target) if target.starts_with(self.root) => {}
                        Ok(target) => {
                            self.outside.push((path, target));
                            continue;
                        }
                        Err(e) => {
                            self.found
                                .push(Found::problem(rel, LoadError::Io(e.to_string())));
                            continue;
                        }
                    }
                }
                // A link inside the root, or an entry whose type the listing
                // did not give: what it leads to.
                match std::fs::metadata(&path) {
                    Ok(m) => ft = Some(m.file_type()),
                    Err(e) => {
                        self.found
                            .push(Found::problem(rel, LoadError::Io(e.to_string())));
                        continue;
                    }
                }
            }
            let Some(ft) = ft else { continue };
            if ft.is_dir() {
                let path = dir.path.join(&name);
                subdirs.push(Dir {
                    key: dir_key(&path),
                    path,
                    rel,
                    exact,
                });
            } else if ft.is_file() {
                if yaml {
                    self.file(rel, &name, dir, exact);
                }
                if self.full {
                    break;
                }
            }
        }
        subdirs
    }

    /// A regular YAML file (or a link to one) named `name` in `dir`.
    fn file(&mut self, rel: String, name: &OsString, dir: &Dir, exact: bool) {
        if dir.rel.is_empty() && rel == super::CONFIG_FILE {
            return;
        }
        if self.exclude.is_match(&rel) {
            return;
        }
        if self.found.len() >= MAX_FILES {
            self.found.push(Found::problem(
                rel,
                LoadError::TooManyFiles { limit: MAX_FILES },
            ));
            self.full = true;
            return;
        }
        let os_path = (!exact).then(|| dir.path.join(name));
        self.found.push(Found {
            rel,
            problem: None,
            os_path,
        });
    }
}

/// The order of `names` sorted by their bytes: positions into `names`.
///
/// A comparison sort of a large directory's names chases a pointer to each
/// name at every comparison, and once the names outgrow the cache (240,000
/// agreements in one directory) most comparisons miss it. Here the names'
/// bytes are gathered eight at a time into keys stored next to their
/// positions, the keys are sorted, and only the names that tie on all eight
/// bytes are gathered again, at the next eight: each name is read a few
/// times in a row rather than at every comparison.
fn sorted_order(names: &[&[u8]]) -> Vec<u32> {
    let mut order: Vec<(u64, u32)> = names
        .iter()
        .zip(0u32..)
        .map(|(n, i)| (key_at(n, 0), i))
        .collect();
    refine(&mut order, names, 0);
    order.into_iter().map(|(_, i)| i).collect()
}

/// Sorts `order`, whose keys are the names' bytes from `depth`; the names
/// in it share their first `depth` bytes.
fn refine(order: &mut [(u64, u32)], names: &[&[u8]], depth: usize) {
    order.sort_unstable_by_key(|e| e.0);
    let name = |e: &(u64, u32)| names.get(e.1 as usize).copied().unwrap_or_default();
    let next = depth + 8;
    for group in order.chunk_by_mut(|a, b| a.0 == b.0) {
        if group.len() < 2 {
            continue;
        }
        // A name that ends within these eight bytes ties with any name that
        // continues with NUL bytes: those groups, and small ones, are sorted
        // by comparing the rest of the names.
        if group.len() <= 16 || group.iter().any(|e| name(e).len() <= next) {
            group.sort_unstable_by(|a, b| name(a).get(depth..).cmp(&name(b).get(depth..)));
            continue;
        }
        for e in group.iter_mut() {
            e.0 = key_at(name(e), next);
        }
        refine(group, names, next);
    }
}

/// Bytes `at..at + 8` of `name` as a big-endian number (missing bytes 0),
/// so that numbers compare as the bytes do.
fn key_at(name: &[u8], at: usize) -> u64 {
    let mut k = [0u8; 8];
    if let Some(rest) = name.get(at..) {
        for (d, s) in k.iter_mut().zip(rest) {
            *d = *s;
        }
    }
    u64::from_be_bytes(k)
}

/// `rel/name`, or `name` at the root.
fn join(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        name.to_string()
    } else {
        let mut s = String::with_capacity(rel.len() + 1 + name.len());
        s.push_str(rel);
        s.push('/');
        s.push_str(name);
        s
    }
}

/// The device and inode of a directory (what it is, not how it was reached).
#[cfg(unix)]
fn dir_key(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_key(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// Whether a file name ends in `.yaml` or `.yml` after a non-empty stem
/// (what [`Path::extension`] gives, without parsing the path).
fn is_yaml_name(name: &str) -> bool {
    (name.len() > 5 && name.ends_with(".yaml")) || (name.len() > 4 && name.ends_with(".yml"))
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

    #[cfg(unix)]
    #[test]
    fn a_directory_name_that_is_not_utf8_keeps_its_files_readable() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let odd = root.join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
        if std::fs::create_dir(&odd).is_err() {
            return; // a file system that refuses such names
        }
        std::fs::write(odd.join("a.yaml"), "kind: system\n").unwrap();
        std::fs::write(odd.join("notes.txt"), "x").unwrap();
        std::fs::write(root.join("b.yml"), "kind: system\n").unwrap();
        let found = walk(&root, &GlobSet::empty());
        let rels: Vec<_> = found.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["b.yml", "caf\u{fffd}/a.yaml"]);
        assert_eq!(found[0].path(&root), root.join("b.yml"));
        assert_eq!(found[1].path(&root), odd.join("a.yaml"));
        assert!(found[1].path(&root).is_file());
    }

    #[test]
    fn yaml_names_are_those_path_extension_gives() {
        for name in [
            "a.yaml",
            "a.yml",
            ".yaml",
            ".yml",
            "yaml",
            "a.YAML",
            "a.yaml.bak",
            "..yaml",
            "a.b.yml",
            "ayaml",
            "a.",
            "",
        ] {
            assert_eq!(is_yaml_name(name), is_yaml(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn names_sort_by_their_bytes() {
        let cases: &[&[&str]] = &[
            &[],
            &["a"],
            &["b", "a"],
            // Ties on the first eight bytes and beyond, a name ending where
            // another goes on, and more than a small group.
            &[
                "active-directory-10-sla.yaml",
                "active-directory-10-pub.yaml",
                "active-directory-1.yaml",
                "active-directory-100-grundavtal.yaml",
                "active-dir",
                "active-directory",
                "active-directory-",
                "active-directorx",
                "activf",
                "Zeta",
                "ä.yaml",
                "a-b.yaml",
                "a",
                "active-directory-10-grundavtal-2008.yaml",
                "active-directory-10-grundavtal.yaml",
                "active-directory-101-grundavtal-2016.yaml",
                "active-directory-11.yaml",
                "active-directory-12.yaml",
                "active-directory-13.yaml",
                "active-directory-14.yaml",
            ],
        ];
        for names in cases {
            let bytes: Vec<&[u8]> = names.iter().map(|n| n.as_bytes()).collect();
            let got: Vec<&str> = sorted_order(&bytes)
                .into_iter()
                .map(|i| names[i as usize])
                .collect();
            let mut want = names.to_vec();
            want.sort();
            assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        // Names with long shared prefixes (so that groups tie on eight bytes
        // and are refined), NUL bytes and names that end inside a group.
        #[test]
        fn sorted_order_is_the_byte_order(names in proptest::collection::vec(
            (0usize..3, proptest::collection::vec(0usize..4, 0..12)),
            0..200,
        )) {
            let names: Vec<Vec<u8>> = names
                .into_iter()
                .map(|(p, tail)| {
                    let mut n = b"abababababababab"[..p * 8].to_vec();
                    n.extend(tail.into_iter().map(|c| b"\0ab\xff"[c]));
                    n
                })
                .collect();
            let bytes: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
            let got: Vec<&[u8]> = sorted_order(&bytes).into_iter().map(|i| bytes[i as usize]).collect();
            let mut want = bytes.clone();
            want.sort();
            proptest::prop_assert_eq!(got, want);
        }
    }

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
