//! The catalog as the editor has it: the buffers of open files over the
//! files on disk. A buffer is read by the same rules as a file on disk
//! (the same size limit, the same parser); the list of files, the model
//! file and every file that is not open come from [`Disk`].

use std::collections::HashMap;
use std::path::Path;

use globset::GlobSet;

use crate::catalog::source::{Disk, FileRead, ModelRead, Source};
use crate::diagnostic::FileId;
use crate::load::{self, walk::Found, SourceFile, CONFIG_FILE};
use crate::ModelPathError;

/// Open editor buffers by catalog-relative path (`/`-separated, as the
/// walk spells it), read instead of the disk.
#[derive(Debug, Default)]
pub struct Overlay {
    buffers: HashMap<String, String>,
}

impl Overlay {
    /// The editor's text of `rel` from now on.
    pub fn set(&mut self, rel: String, text: String) {
        self.buffers.insert(rel, text);
    }

    /// `rel` is read from disk again.
    pub fn remove(&mut self, rel: &str) {
        self.buffers.remove(rel);
    }

    /// The open buffer of `rel`, if any.
    pub fn get(&self, rel: &str) -> Option<&str> {
        self.buffers.get(rel).map(String::as_str)
    }

    /// The open buffer of `rel`, to edit in place.
    pub fn get_mut(&mut self, rel: &str) -> Option<&mut String> {
        self.buffers.get_mut(rel)
    }
}

/// A buffer parsed as [`load::read_file`] parses a file of the same bytes.
fn parse(rel: &str, text: &str, max_bytes: u64) -> SourceFile {
    let size = text.len() as u64;
    if size > max_bytes {
        return SourceFile::failed(
            rel.to_string(),
            load::LoadError::TooLarge {
                size,
                limit: max_bytes,
            },
        );
    }
    load::parse_bytes(
        rel.to_string(),
        text.as_bytes().to_vec(),
        load::Budget::default(),
    )
}

impl Source for Overlay {
    fn config(&self, root: &Path, exists: bool) -> SourceFile {
        let disk = Disk.config(root, exists);
        // A `kdl.yaml` that is a link out of the catalog stays refused.
        let refused = matches!(disk.doc, Err(load::LoadError::SymlinkOutside { .. }));
        match self.buffers.get(CONFIG_FILE) {
            Some(text) if exists && !refused => {
                parse(CONFIG_FILE, text, load::DEFAULT_MAX_FILE_BYTES)
            }
            _ => disk,
        }
    }

    fn model(&self, root: &Path, name: &str, external: bool) -> Result<ModelRead, ModelPathError> {
        Disk.model(root, name, external)
    }

    fn model_rel(&self, root: &Path, name: &str) -> Option<String> {
        Disk.model_rel(root, name)
    }

    fn list(&self, root: &Path, exclude: &GlobSet) -> Vec<Found> {
        Disk.list(root, exclude)
    }

    fn read(&self, root: &Path, file: FileId, found: Found, max_bytes: u64) -> FileRead {
        // Only a plainly spelt file the walk could read: a link out of the
        // catalog, a loop or a FIFO is reported as on disk.
        if found.problem.is_none() && found.os_path.is_none() {
            if let Some(text) = self.buffers.get(&found.rel) {
                return FileRead::Parsed(parse(&found.rel, text, max_bytes));
            }
        }
        Disk.read(root, file, found, max_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_over_the_limit_is_too_large() {
        let f = parse("system/x.yaml", "kind: system\n", 4);
        assert!(matches!(
            f.doc,
            Err(load::LoadError::TooLarge { size: 13, limit: 4 })
        ));
        let f = parse("system/x.yaml", "kind: system\n", 1024);
        assert!(f.doc.is_ok());
        assert_eq!(f.text, "kind: system\n");
    }
}
