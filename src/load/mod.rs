//! Stage 1 — load: find the catalog root, walk it, read and parse every
//! YAML file in parallel, keeping a span for every key and value.
//!
//! Loading never stops at a bad file: each fault becomes a [`LoadError`]
//! on that file and the rest of the catalog is still loaded.

pub mod node;
pub mod read;
pub mod span;
pub mod syntax;
pub mod walk;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use node::{Entry, Node, PathSeg, Value};
pub use span::{Lines, Pos, Span};
pub use yaml::{Budget, YamlError};

/// The name of the file that marks a catalog root.
pub const CONFIG_FILE: &str = "kdl.yaml";

/// Default largest file kdl reads.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1024 * 1024;

/// One file of the catalog as read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the catalog root, `/`-separated.
    pub rel: String,
    /// The file's text ("" if it could not be read as UTF-8).
    pub text: String,
    /// The parsed document, or why there is none.
    pub doc: Result<Node, LoadError>,
    /// Lines and columns of the text, kept when the text is freed.
    pub lines: Lines,
}

impl SourceFile {
    /// A file with its lines computed from `text`.
    pub fn new(rel: String, text: String, doc: Result<Node, LoadError>) -> SourceFile {
        let lines = Lines::new(&text);
        SourceFile {
            rel,
            text,
            doc,
            lines,
        }
    }

    /// A file that produced no text.
    pub fn failed(rel: String, e: LoadError) -> SourceFile {
        SourceFile::new(rel, String::new(), Err(e))
    }

    /// The line and column of a span in this file.
    pub fn pos(&self, span: Span) -> Pos {
        self.lines.pos(span)
    }
}

/// Why a file produced no document.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    Yaml(YamlError),
    TooLarge {
        size: u64,
        limit: u64,
    },
    NotUtf8 {
        offset: usize,
        line: u32,
        col: u32,
    },
    Io(String),
    SymlinkLoop {
        target: String,
    },
    SymlinkOutside {
        target: String,
    },
    /// A FIFO, device, socket or other file that is not a regular file.
    NotRegular {
        kind: &'static str,
    },
    /// A directory the walk had already entered by another path (through a
    /// symbolic link): its files are read once, under `first`.
    DirectoryRepeated {
        first: String,
    },
    /// The catalog holds more files than the walk reads.
    TooManyFiles {
        limit: usize,
    },
}

impl From<read::ReadError> for LoadError {
    fn from(e: read::ReadError) -> Self {
        match e {
            read::ReadError::NotRegular { kind } => LoadError::NotRegular { kind },
            read::ReadError::TooLarge { size, limit } => LoadError::TooLarge { size, limit },
            read::ReadError::Io(e) => LoadError::Io(e),
        }
    }
}

impl LoadError {
    pub fn span(&self) -> Span {
        match self {
            LoadError::Yaml(e) => e.span(),
            LoadError::NotUtf8 { offset, .. } => Span::new(*offset as u32, *offset as u32),
            _ => Span::FILE_START,
        }
    }
}

/// Searches `start` and its ancestors for [`CONFIG_FILE`].
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Reads and parses one file. Never panics on any input.
pub fn read_file(path: &Path, rel: String, max_bytes: u64, budget: Budget) -> SourceFile {
    let bytes = match read::read_bounded(path, max_bytes) {
        Ok(b) => b,
        Err(e) => return SourceFile::failed(rel, e.into()),
    };
    parse_bytes(rel, bytes, budget)
}

/// Decodes and parses a file's bytes.
pub fn parse_bytes(rel: String, bytes: Vec<u8>, budget: Budget) -> SourceFile {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e
                .as_bytes()
                .get(..e.utf8_error().valid_up_to())
                .unwrap_or_default();
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() as u32 + 1;
            let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            // Keep the valid prefix so the snippet can show the place.
            return SourceFile::new(
                rel,
                valid.to_string(),
                Err(LoadError::NotUtf8 {
                    offset: valid.len(),
                    line,
                    col,
                }),
            );
        }
    };
    // A byte order mark is allowed at the start; the parser handles it.
    let index = span::LineIndex::new(&text);
    let doc = parse_guarded(&text, &index, budget).map_err(LoadError::Yaml);
    SourceFile {
        rel,
        lines: index.into_lines(),
        text,
        doc,
    }
}

/// Parses with a last line of defence: should the parser library ever
/// panic on some input, that file becomes a syntax error instead of taking
/// the whole run down.
fn parse_guarded(text: &str, index: &span::LineIndex, budget: Budget) -> Result<Node, YamlError> {
    std::panic::catch_unwind(|| yaml::parse_indexed(text, index, budget)).unwrap_or_else(|_| {
        Err(YamlError::Syntax {
            message: "the YAML parser failed on this input".into(),
            span: Span::FILE_START,
        })
    })
}

/// Reads and parses one file the walk found (or records why it could not).
pub fn read_found(root: &Path, f: walk::Found, max_bytes: u64) -> SourceFile {
    match f.problem {
        Some(p) => SourceFile::failed(f.rel, *p),
        None => {
            let path = f.path(root);
            read_file(&path, f.rel, max_bytes, Budget::default())
        }
    }
}

/// Reads every listed file in parallel, preserving the order given.
pub fn read_all(root: &Path, files: &[walk::Found], max_bytes: u64) -> Vec<SourceFile> {
    files
        .par_iter()
        .map(|f| read_found(root, f.clone(), max_bytes))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_utf8_points_at_the_bad_byte() {
        let f = parse_bytes(
            "x.yaml".into(),
            b"kind: system\nid: \xff\n".to_vec(),
            Budget::default(),
        );
        match f.doc {
            Err(LoadError::NotUtf8 { line, col, .. }) => assert_eq!((line, col), (2, 5)),
            other => panic!("unexpected {other:?}"),
        }
    }
}
