//! Writes a site into its directory. Nothing is written outside it: every
//! path is one [`paths`] produced (a kind's directory and a sanitised file
//! name, or one of the fixed files), a symbolic link where a file or a
//! kind's directory would go is refused, and a directory that holds
//! anything but a previous kdl site is not touched without `--force`.
//!
//! The marker file [`MARKER`] names the format and lists every file the
//! site consists of; a rebuild removes the files of the previous site that
//! the new one no longer has (a deleted system's page), so the directory
//! always holds exactly one site: the same catalog gives the same files,
//! byte for byte.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::render::{search_index, Renderer, CSS, JS};
use super::{paths, Site, FORMAT_ID, VERSION};

/// The marker file: `kdl-site v1`, then one file of the site per line.
pub const MARKER: &str = ".kdl-site";

/// Why a site was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The directory holds other files and `--force` was not given.
    NotASite(PathBuf),
    /// A path that must be a directory is something else (or a link).
    NotADirectory(PathBuf),
    /// A file's place holds a directory or a symbolic link.
    NotAFile(PathBuf),
    Render(String),
    Io(PathBuf, io::Error),
}

/// What was written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// Files of the previous site that this one no longer has, removed.
    pub removed: usize,
}

/// The files a previous site in `dir` consists of, or `None` when `dir`
/// holds no previous kdl site. Only names this module could have written
/// are returned.
fn previous(dir: &Path) -> Option<Vec<String>> {
    let text = crate::load::read::read_head(&dir.join(MARKER), 64 << 20).ok()?;
    let text = String::from_utf8(text).ok()?;
    let mut lines = text.lines();
    let head = lines.next()?;
    head.strip_prefix(FORMAT_ID)?.strip_prefix(" v")?;
    Some(
        lines
            .filter(|l| paths::is_site_path(l))
            .map(str::to_string)
            .collect(),
    )
}

/// Creates `dir` (and missing parents) or checks that it is a directory
/// kdl may write into.
fn prepare(dir: &Path, force: bool) -> Result<Vec<String>, WriteError> {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| WriteError::Io(dir.to_path_buf(), e))?;
            return Ok(Vec::new());
        }
        Err(e) => return Err(WriteError::Io(dir.to_path_buf(), e)),
        // `-o` may name a link to a directory: the user chose it
        Ok(_) if !dir.is_dir() => return Err(WriteError::NotADirectory(dir.to_path_buf())),
        Ok(_) => {}
    }
    if let Some(files) = previous(dir) {
        return Ok(files);
    }
    let empty = fs::read_dir(dir)
        .map_err(|e| WriteError::Io(dir.to_path_buf(), e))?
        .next()
        .is_none();
    if empty || force {
        Ok(Vec::new())
    } else {
        Err(WriteError::NotASite(dir.to_path_buf()))
    }
}

/// Writes `bytes` to `dir/rel`, replacing a regular file but never
/// writing through a link or into a directory.
fn put(dir: &Path, rel: &str, bytes: &[u8]) -> Result<u64, WriteError> {
    let path = dir.join(rel);
    match fs::symlink_metadata(&path) {
        Ok(m) if !m.file_type().is_file() => return Err(WriteError::NotAFile(path)),
        _ => {}
    }
    fs::write(&path, bytes).map_err(|e| WriteError::Io(path, e))?;
    Ok(bytes.len() as u64)
}

/// Renders `site` and writes it into `dir`.
pub fn write(site: &Site, dir: &Path, force: bool) -> Result<Written, WriteError> {
    let old = prepare(dir, force)?;
    let render = |e: minijinja::Error| WriteError::Render(format!("{e:#}"));
    let renderer = Renderer::new(site).map_err(render)?;
    for kind in paths::KINDS {
        let sub = dir.join(kind);
        match fs::symlink_metadata(&sub) {
            Ok(m) if m.file_type().is_dir() => {}
            Ok(_) => return Err(WriteError::NotADirectory(sub)),
            Err(_) => fs::create_dir(&sub).map_err(|e| WriteError::Io(sub.clone(), e))?,
        }
    }
    let mut files: Vec<String> = Vec::with_capacity(site.pages.len() + paths::FIXED.len());
    let mut bytes = 0;
    let fixed: [(&str, String); 5] = [
        ("index.html", renderer.home(site).map_err(render)?),
        ("search.html", renderer.search_page().map_err(render)?),
        (
            "search.json",
            search_index(site).map_err(|e| WriteError::Render(e.to_string()))?,
        ),
        ("site.css", CSS.to_string()),
        ("site.js", JS.to_string()),
    ];
    for (rel, content) in &fixed {
        bytes += put(dir, rel, content.as_bytes())?;
        files.push((*rel).to_string());
    }
    for l in &site.lists {
        bytes += put(dir, &l.path, renderer.list(l).map_err(render)?.as_bytes())?;
        files.push(l.path.clone());
    }
    let sizes: Vec<u64> = site
        .pages
        .par_iter()
        .map(|p| {
            let html = renderer.page(p).map_err(render)?;
            put(dir, &p.path, html.as_bytes())
        })
        .collect::<Result<_, _>>()?;
    bytes += sizes.iter().sum::<u64>();
    files.extend(site.pages.iter().map(|p| p.path.clone()));
    // the previous site's files that this one does not have
    let new: std::collections::HashSet<&str> = files.iter().map(String::as_str).collect();
    let mut removed = 0;
    for rel in old.iter().filter(|r| !new.contains(r.as_str())) {
        let path = dir.join(rel);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file())
            && fs::remove_file(&path).is_ok()
        {
            removed += 1;
        }
    }
    let mut marker = format!("{FORMAT_ID} v{VERSION}\n");
    let mut sorted = files.clone();
    sorted.sort_unstable();
    for f in &sorted {
        marker.push_str(f);
        marker.push('\n');
    }
    bytes += put(dir, MARKER, marker.as_bytes())?;
    Ok(Written {
        files: files.len() + 1,
        bytes,
        removed,
    })
}
