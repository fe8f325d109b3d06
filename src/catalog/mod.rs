//! The catalog: the loaded files, the typed entities read from them, and
//! the index every cross-entity check uses.

pub mod entity;
pub mod facts;
pub mod index;
pub mod refs;
pub mod source;

use rayon::prelude::*;

pub use entity::*;
pub use index::Index;

use crate::diagnostic::{Diagnostic, FileId, Msg};
use crate::load::{LoadError, Node, Pos, SourceFile, Span, Value, YamlError};
use crate::schema::{Schemas, KINDS};

/// Everything a run has read.
pub struct Catalog {
    /// `files[0]` is `kdl.yaml`; the rest are entity files, sorted by path.
    pub files: Vec<SourceFile>,
    pub entities: Vec<Entity>,
    /// Per entity (same index as `entities`): the YAML paths that failed
    /// their schema (`roles.agare`), so rules and references do not report
    /// on them again.
    pub failed_keys: Vec<Vec<String>>,
    /// The texts freed after loading, read again when a report asks.
    pub set_aside: SetAside,
}

impl Catalog {
    pub fn rel(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.rel.as_str())
    }

    /// The line and column of a span in one of the catalog's files.
    pub fn pos(&self, file: FileId, span: Span) -> Pos {
        self.files
            .get(file)
            .map_or(Pos::FILE_START, |f| f.pos(span))
    }

    /// Sets every finding's lines and columns (see [`Diagnostic::locate`]).
    pub fn locate(&self, diags: &mut [Diagnostic]) {
        for d in diags {
            d.locate(|file, span| self.pos(file, span));
        }
    }

    /// A file's text, for snippets. A text set aside after loading is read
    /// again on first use (see [`SetAside`]).
    pub fn text(&self, file: FileId) -> &str {
        let Some(f) = self.files.get(file) else {
            return "";
        };
        match self.set_aside.marks.get(file).copied().flatten() {
            None => &f.text,
            Some(mark) => match self.set_aside.again.get(file) {
                Some(cell) => cell.get_or_init(|| self.set_aside.reread(&f.rel, mark)),
                None => "",
            },
        }
    }
}

/// The texts of files that loaded cleanly (an entity, no finding while
/// loading), freed once their entity is built: only the few files with
/// findings are ever shown in a snippet, and keeping every text doubled
/// the memory of the catalog's bytes (229 MB at 100,000 systems).
///
/// A text is read again on first use, from the same file under the catalog
/// root with the same bounded reader, and used only if it is still the
/// text that was loaded (same length and hash); otherwise the snippet is
/// empty, as for a file that cannot be read.
#[derive(Debug, Default)]
pub struct SetAside {
    root: std::path::PathBuf,
    max_bytes: u64,
    /// Per file: the mark (length and hash) of a text set aside.
    marks: Vec<Option<Mark>>,
    again: Vec<std::sync::OnceLock<String>>,
}

/// What identifies a text set aside: its length and its hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    len: usize,
    hash: u64,
}

impl Mark {
    fn of(text: &str) -> Mark {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(text.as_bytes());
        Mark {
            len: text.len(),
            hash: h.finish(),
        }
    }
}

impl SetAside {
    fn reread(&self, rel: &str, mark: Mark) -> String {
        let path = self.root.join(rel);
        // Only a file that still lies inside the catalog (a link may have
        // changed since the walk).
        let inside = path.canonicalize().is_ok_and(|p| p.starts_with(&self.root));
        if !inside {
            return String::new();
        }
        crate::load::read::read_bounded(&path, self.max_bytes)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|t| Mark::of(t) == mark)
            .unwrap_or_default()
    }
}

/// Turns one file into its entity and its loading/schema diagnostics.
pub fn read_entity(
    file: FileId,
    src: &SourceFile,
    schemas: &Schemas,
) -> (Option<(Entity, Vec<String>)>, Vec<Diagnostic>) {
    let node = match &src.doc {
        Ok(n) => n,
        Err(e) => return (None, vec![load_diagnostic(file, e)]),
    };
    if !node.is_map() {
        return (
            None,
            vec![Diagnostic::new(
                "parse/syntax",
                file,
                node.span,
                Msg::NotAMapping,
            )],
        );
    }
    let kind = match node.entry("kind") {
        None => {
            let span = node.entries().first().map_or(node.span, |e| e.key_span);
            return (
                None,
                vec![Diagnostic::new(
                    "parse/syntax",
                    file,
                    span,
                    Msg::MissingKind,
                )],
            );
        }
        Some(e) => match e.value.as_str() {
            Some(k) if KINDS.contains(&k) => k,
            _ => {
                let kind = match &e.value.value {
                    Value::Str(s) => s.clone(),
                    _ => e.value.to_json().to_string(),
                };
                let suggestion = crate::suggest::closest(&kind, KINDS.iter().copied());
                return (
                    None,
                    vec![Diagnostic::new(
                        "parse/syntax",
                        file,
                        e.value.span,
                        Msg::UnknownKind { kind, suggestion },
                    )
                    .at_path("kind")],
                );
            }
        },
    };
    let errors = schemas.validate(kind, node);
    let id = node.get("id").and_then(Node::as_str);
    let mut failed: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let diags = errors
        .into_iter()
        .map(|e| {
            let path = crate::load::node::path_to_string(&e.path);
            if !path.is_empty() && seen.insert(path.clone()) {
                failed.push(path.clone());
            }
            let mut d = Diagnostic::new("schema/invalid", file, e.span, e.msg).at_path(path);
            d.entity = id.map(str::to_string);
            d
        })
        .collect();
    // An entity whose id failed (missing, not a slug) is not indexed.
    if failed.iter().any(|k| k == "id" || k.starts_with("id.")) {
        return (None, diags);
    }
    let entity = Entity::from_node(kind, node, file).map(|e| (e, failed));
    (entity, diags)
}

/// Builds the catalog from already loaded files, in parallel (the stage
/// benchmarks use this; `lint` uses [`load`], which frees trees early).
pub fn build(files: Vec<SourceFile>, schemas: &Schemas) -> (Catalog, Vec<Diagnostic>) {
    let results: Vec<_> = files
        .par_iter()
        .enumerate()
        .skip(1)
        .map(|(i, f)| read_entity(i, f, schemas))
        .collect();
    assemble(files, results)
}

/// One file's entity (with its failed schema paths) and diagnostics.
type Read = (Option<(Entity, Vec<String>)>, Vec<Diagnostic>);

/// Puts the per-file results together, in file order.
fn assemble(
    files: Vec<SourceFile>,
    results: impl IntoIterator<Item = Read>,
) -> (Catalog, Vec<Diagnostic>) {
    let mut entities = Vec::with_capacity(files.len());
    let mut failed_keys = Vec::with_capacity(files.len());
    let mut diags = Vec::new();
    for (entity, d) in results {
        if let Some((e, failed)) = entity {
            entities.push(e);
            failed_keys.push(failed);
        }
        diags.extend(d);
    }
    (
        Catalog {
            files,
            entities,
            failed_keys,
            set_aside: SetAside::default(),
        },
        diags,
    )
}

/// Reads, parses, validates and types every found file in one parallel
/// pass, each file start to finish on one thread. With `drop_documents`
/// each parsed tree is freed as soon as its entity is built, so the trees
/// of the whole catalog never exist at once (peak memory is the texts plus
/// the typed entities). `config` becomes file 0.
pub fn load(
    root: &std::path::Path,
    config: SourceFile,
    found: Vec<crate::load::walk::Found>,
    max_bytes: u64,
    schemas: &Schemas,
    drop_documents: bool,
) -> (Catalog, Vec<Diagnostic>) {
    let (cat, diags, _) = load_from(
        &source::Disk,
        root,
        config,
        found,
        max_bytes,
        schemas,
        drop_documents,
        false,
    );
    (cat, diags)
}

/// [`load`] from any [`source::Source`]. With `keep`, also returns what
/// `--changed-since` hands over to the lint of the merge-base: each file's
/// own load diagnostics and its git blob id.
#[allow(clippy::too_many_arguments)]
pub fn load_from(
    source: &dyn source::Source,
    root: &std::path::Path,
    config: SourceFile,
    found: Vec<crate::load::walk::Found>,
    max_bytes: u64,
    schemas: &Schemas,
    drop_documents: bool,
    keep: bool,
) -> (Catalog, Vec<Diagnostic>, Option<source::Loads>) {
    let config_id = if keep {
        source::file_blob_id(&config)
    } else {
        None
    };
    // Each file's source and its result go straight into their own
    // vectors (reserved to size, written in place): no vector of pairs to
    // split afterwards, which held every file twice at the end of loading.
    let mut files = Vec::with_capacity(found.len() + 1);
    files.push(config);
    let mut out = (files, Vec::with_capacity(found.len()));
    out.par_extend(found.into_par_iter().enumerate().map(|(i, f)| {
        let plain_path = f.os_path.is_none();
        match source.read(root, i + 1, f, max_bytes) {
            source::FileRead::Parsed(mut src) => {
                // The blob id from the bytes read, before the text may go.
                let id = if keep {
                    source::file_blob_id(&src)
                } else {
                    None
                };
                let (entity, diags) = read_entity(i + 1, &src, schemas);
                let mut mark = None;
                if drop_documents {
                    if let Ok(node) = &mut src.doc {
                        *node = crate::load::Node {
                            value: crate::load::Value::Null,
                            span: node.span,
                        };
                        // A file with an entity and nothing to report gives
                        // up its text (read again if a later finding needs a
                        // snippet); one whose path is not plain UTF-8 keeps it.
                        if entity.is_some() && diags.is_empty() && plain_path {
                            mark = Some(Mark::of(&src.text));
                            src.text = String::new();
                        }
                    }
                }
                (src, ((entity, diags), mark, id))
            }
            source::FileRead::Reused { src, entity, diags } => (src, ((entity, diags), None, None)),
        }
    }));
    let (files, reads) = out;
    let mut marks = Vec::with_capacity(reads.len() + 1);
    marks.push(None);
    let mut kept = keep.then(|| source::Loads {
        diags: vec![Vec::new()],
        blob_ids: vec![config_id],
    });
    let reads = reads.into_iter().map(|(read, mark, id)| {
        marks.push(mark);
        if let Some(k) = &mut kept {
            k.diags.push(read.1.clone());
            k.blob_ids.push(id);
        }
        read
    });
    let (mut catalog, diags) = assemble(files, reads);
    if marks.iter().any(Option::is_some) {
        catalog.set_aside = SetAside {
            root: root.to_path_buf(),
            max_bytes,
            again: (0..marks.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            marks,
        };
    }
    (catalog, diags, kept)
}

/// The `parse/syntax` diagnostic of a file that could not be loaded.
pub fn load_diagnostic(file: FileId, e: &LoadError) -> Diagnostic {
    let msg = match e {
        LoadError::Yaml(y) => match y {
            YamlError::Syntax { message, .. } => Msg::Syntax {
                detail: message.clone(),
            },
            YamlError::DuplicateKey { key, .. } => Msg::DuplicateKey { key: key.clone() },
            YamlError::AliasBudget { budget, .. } => Msg::AliasBudget { budget: *budget },
            YamlError::TooDeep { max, .. } => Msg::TooDeep { max: *max },
            YamlError::ComplexKey { .. } => Msg::ComplexKey,
            YamlError::MultipleDocuments { .. } => Msg::MultipleDocuments,
            YamlError::Empty => Msg::EmptyFile,
        },
        LoadError::TooLarge { size, limit } => Msg::TooLarge {
            size: *size,
            limit: *limit,
        },
        LoadError::NotUtf8 { .. } => Msg::NotUtf8,
        LoadError::Io(err) => Msg::Io { error: err.clone() },
        LoadError::SymlinkLoop { target } => Msg::SymlinkLoop {
            target: target.clone(),
        },
        LoadError::SymlinkOutside { target } => Msg::SymlinkOutside {
            target: target.clone(),
        },
        LoadError::NotRegular { kind } => Msg::NotRegularFile {
            kind: (*kind).to_string(),
        },
        LoadError::DirectoryRepeated { first } => Msg::DirectoryRepeated {
            first: first.clone(),
        },
        LoadError::TooManyFiles { limit } => Msg::TooManyFiles { limit: *limit },
    };
    let mut d = Diagnostic::new("parse/syntax", file, e.span(), msg);
    if let LoadError::Yaml(YamlError::DuplicateKey { first, .. }) = e {
        d = d.related(file, *first, Msg::FirstKeyHere);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(rel: &str, text: &str) -> SourceFile {
        SourceFile::new(
            rel.into(),
            text.into(),
            Err(LoadError::Io("not parsed".into())),
        )
    }

    #[test]
    fn a_set_aside_text_is_read_again_only_while_unchanged_and_inside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (a, b, c) = ("kind: person\nid: a\n", "kind: person\nid: b\n", "id: c\n");
        std::fs::write(root.join("a.yaml"), a).unwrap();
        // Changed after loading, same length: not shown.
        std::fs::write(root.join("b.yaml"), "kind: person\nid: x\n").unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("c.yaml"), c).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path().join("c.yaml"), root.join("c.yaml")).unwrap();
        let cat = Catalog {
            files: vec![
                source("kdl.yaml", "model: x\n"),
                source("a.yaml", ""),
                source("b.yaml", ""),
                source("c.yaml", ""),
            ],
            entities: Vec::new(),
            failed_keys: Vec::new(),
            set_aside: SetAside {
                root,
                max_bytes: 1024,
                marks: vec![
                    None,
                    Some(Mark::of(a)),
                    Some(Mark::of(b)),
                    Some(Mark::of(c)),
                ],
                again: (0..4).map(|_| std::sync::OnceLock::new()).collect(),
            },
        };
        assert_eq!(cat.text(0), "model: x\n");
        assert_eq!(cat.text(1), a);
        assert_eq!(cat.text(1), a);
        assert_eq!(cat.text(2), "");
        // A link out of the catalog is not followed, whatever it holds.
        assert_eq!(cat.text(3), "");
        assert_eq!(cat.text(4), "");
    }
}
