//! The catalog at a commit as a [`Source`]: the files a change did not touch
//! taken over from the lint of the working tree, the others read from git.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rustc_hash::FxHashMap as HashMap;

use crate::catalog::source::{Disk, FileRead, Source};
use crate::catalog::Entity;
use crate::diagnostic::{Diagnostic, FileId};
use crate::load::{self, walk::Found, walk::MAX_FILES, SourceFile, CONFIG_FILE};

use super::git::{BaseEntry, BaseTree};

/// `name` (a `model:` path) as a path relative to the catalog root, without
/// touching the disk; `None` when it leads out of the catalog.
pub(super) fn lexical_rel(name: &str) -> Option<String> {
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
pub(super) fn walked(rel: &str, exclude: &globset::GlobSet) -> bool {
    rel != CONFIG_FILE && !rel.split('/').any(|c| c.starts_with('.')) && !exclude.is_match(rel)
}

/// An entity with the paths that failed its schema.
pub(super) type Lent = Option<(Entity, Vec<String>)>;

/// What the lint of the working tree loaded, handed over file by file.
pub(super) struct Reuse<'a> {
    pub(super) files: &'a [SourceFile],
    pub(super) loads: &'a [Vec<Diagnostic>],
    /// The working tree's entities (by index), lent to the merge-base's
    /// catalog — moved, not copied — and given back after its lint.
    pub(super) lent: Vec<Mutex<Lent>>,
    pub(super) lent_count: usize,
    /// Working-tree file id by relative path.
    pub(super) by_rel: HashMap<&'a str, FileId>,
    /// The entity (index) each working-tree file gave, by file id.
    pub(super) entity_of: Vec<Option<usize>>,
    pub(super) changed: &'a BTreeSet<String>,
}

impl Reuse<'_> {
    /// The working-tree file with the same bytes as `rel` at the merge-base.
    pub(super) fn same(&self, rel: &str) -> Option<FileId> {
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
                lines: src.lines.clone(),
            },
            entity,
            diags,
        })
    }
}

/// By relative path: a blob's size, and its bytes if they were read.
pub(super) type Blobs<'a> = HashMap<&'a str, (u64, Option<Vec<u8>>)>;

/// The catalog at the merge-base as a [`Source`]: the files the change did
/// not touch are taken over from the lint of the working tree, the others
/// come from git's object database.
pub(super) struct AtBase<'a> {
    pub(super) tree: &'a BaseTree,
    /// By relative path: the blob's size, and its bytes if they were read.
    pub(super) blobs: Blobs<'a>,
    pub(super) reuse: Option<Reuse<'a>>,
}

impl AtBase<'_> {
    fn parse(&self, rel: &str, limit: u64) -> SourceFile {
        let fail = |e: load::LoadError| SourceFile::failed(rel.to_string(), e);
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
pub(super) fn not_found() -> String {
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
            return FileRead::Parsed(SourceFile::failed(found.rel, *p));
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
