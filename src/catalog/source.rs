//! Where a lint reads its files from: the file system ([`Disk`]), or —
//! for `--changed-since` — the catalog as it was at the merge-base, read
//! from git's object database in memory (`crate::changed::AtBase`).
//!
//! The pipeline asks a source for four things only: `kdl.yaml`, the model
//! file a `model:` path names, the list of entity files, and each file's
//! contents. A source may hand over a file's load result from another run
//! of the very same bytes under the very same configuration instead of its
//! bytes ([`FileRead::Reused`]), so that pull-request mode does not parse
//! the unchanged part of the catalog twice.

use std::path::Path;

use globset::GlobSet;

use crate::catalog::Entity;
use crate::diagnostic::{Diagnostic, FileId};
use crate::load::{self, walk::Found, SourceFile, CONFIG_FILE};
use crate::model::{Model, ModelError};
use crate::ModelPathError;

/// One entity file as a source gives it (moved once into the catalog,
/// never stored, so the variants' sizes do not matter).
#[allow(clippy::large_enum_variant)]
pub enum FileRead {
    /// Read now: the pipeline parses, validates and types it.
    Parsed(SourceFile),
    /// The load result of the same bytes from another run, with its file
    /// ids already changed to this run's.
    Reused {
        src: SourceFile,
        entity: Option<(Entity, Vec<String>)>,
        diags: Vec<Diagnostic>,
    },
}

/// What loading each file of a run gave, kept for `--changed-since`
/// ([`crate::LintOptions::keep_loads`]), by file id (0 is `kdl.yaml`).
#[derive(Clone, Debug, Default)]
pub struct Loads {
    /// The file's own load diagnostics (parse, schema), before severities.
    pub diags: Vec<Vec<Diagnostic>>,
    /// The file's git blob id (SHA-1 of `blob <len>\0` + its bytes), when
    /// its bytes were read whole: the same id at the merge-base means the
    /// same bytes, so its load result holds there too.
    pub blob_ids: Vec<Option<BlobId>>,
}

/// A git object id in the SHA-1 object format.
pub type BlobId = [u8; 20];

/// The git blob id of `bytes`.
pub fn blob_id(bytes: &[u8]) -> BlobId {
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    h.update(format!("blob {}\0", bytes.len()).as_bytes());
    h.update(bytes);
    h.finalize().into()
}

/// The blob id of a loaded file, when its text is all of its bytes.
pub fn file_blob_id(src: &SourceFile) -> Option<BlobId> {
    match &src.doc {
        Ok(_) | Err(load::LoadError::Yaml(_)) => Some(blob_id(src.text.as_bytes())),
        Err(_) => None,
    }
}

/// A model file as read: the model (or why it does not load) and whether
/// the file lies outside the catalog.
pub type ModelRead = (Result<(Model, String), ModelError>, bool);

/// What a lint reads.
pub trait Source: Sync {
    /// `kdl.yaml` at the root. `exists` says whether the catalog has one;
    /// a missing one is a file whose document is `Io("missing")`.
    fn config(&self, root: &Path, exists: bool) -> SourceFile;
    /// The model file that `model: name` (a path) leads to.
    fn model(&self, root: &Path, name: &str, external: bool) -> Result<ModelRead, ModelPathError>;
    /// The catalog-relative path of a model file inside the catalog.
    fn model_rel(&self, root: &Path, name: &str) -> Option<String>;
    /// The entity files, sorted by relative path (`kdl.yaml` not included).
    fn list(&self, root: &Path, exclude: &GlobSet) -> Vec<Found>;
    /// One listed file; `file` is the id it gets in this run.
    fn read(&self, root: &Path, file: FileId, found: Found, max_bytes: u64) -> FileRead;
}

/// The catalog on disk.
pub struct Disk;

impl Source for Disk {
    fn config(&self, root: &Path, exists: bool) -> SourceFile {
        // A `kdl.yaml` that is a link out of the catalog is not followed.
        let outside = exists
            .then(|| root.join(CONFIG_FILE).canonicalize().ok())
            .flatten()
            .filter(|p| !p.starts_with(root));
        if let Some(target) = outside {
            SourceFile::failed(
                CONFIG_FILE.to_string(),
                load::LoadError::SymlinkOutside {
                    target: target.display().to_string(),
                },
            )
        } else if exists {
            load::read_file(
                &root.join(CONFIG_FILE),
                CONFIG_FILE.to_string(),
                load::DEFAULT_MAX_FILE_BYTES,
                load::Budget::default(),
            )
        } else {
            missing_config()
        }
    }

    fn model(&self, root: &Path, name: &str, external: bool) -> Result<ModelRead, ModelPathError> {
        let path = crate::model_path(root, name, external)?;
        let outside = !root.canonicalize().is_ok_and(|r| path.starts_with(r));
        Ok((Model::from_file(&path), outside))
    }

    fn model_rel(&self, root: &Path, name: &str) -> Option<String> {
        if !crate::is_model_path(name) {
            return None;
        }
        let path = root.join(name).canonicalize().ok()?;
        let root = root.canonicalize().ok()?;
        let rel = path.strip_prefix(&root).ok()?;
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    fn list(&self, root: &Path, exclude: &GlobSet) -> Vec<Found> {
        load::walk::walk(root, exclude)
    }

    fn read(&self, root: &Path, _file: FileId, found: Found, max_bytes: u64) -> FileRead {
        FileRead::Parsed(load::read_found(root, found, max_bytes))
    }
}

/// The stand-in for a catalog without `kdl.yaml`.
pub fn missing_config() -> SourceFile {
    SourceFile::failed(
        CONFIG_FILE.to_string(),
        load::LoadError::Io("missing".into()),
    )
}
