//! The catalog: the loaded files, the typed entities read from them, and
//! the index every cross-entity check uses.

pub mod entity;
pub mod facts;
pub mod index;
pub mod source;

use rayon::prelude::*;

pub use entity::*;
pub use index::Index;

use crate::diagnostic::{Diagnostic, FileId, Msg};
use crate::load::{LoadError, Node, SourceFile, Value, YamlError};
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
}

impl Catalog {
    pub fn rel(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.rel.as_str())
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
fn assemble(files: Vec<SourceFile>, results: Vec<Read>) -> (Catalog, Vec<Diagnostic>) {
    let mut entities = Vec::with_capacity(results.len());
    let mut failed_keys = Vec::with_capacity(results.len());
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
    found: &[crate::load::walk::Found],
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
    found: &[crate::load::walk::Found],
    max_bytes: u64,
    schemas: &Schemas,
    drop_documents: bool,
    keep: bool,
) -> (Catalog, Vec<Diagnostic>, Option<source::Loads>) {
    let results: Vec<_> = found
        .par_iter()
        .enumerate()
        .map(|(i, f)| match source.read(root, i + 1, f, max_bytes) {
            source::FileRead::Parsed(mut src) => {
                let id = if keep {
                    source::file_blob_id(&src)
                } else {
                    None
                };
                let (entity, diags) = read_entity(i + 1, &src, schemas);
                if drop_documents {
                    if let Ok(node) = &mut src.doc {
                        *node = crate::load::Node {
                            value: crate::load::Value::Null,
                            span: node.span,
                        };
                    }
                }
                (src, entity, diags, id)
            }
            source::FileRead::Reused { src, entity, diags } => (src, entity, diags, None),
        })
        .collect();
    let mut kept = keep.then(|| {
        let mut loads = source::Loads {
            diags: Vec::with_capacity(results.len() + 1),
            blob_ids: Vec::with_capacity(results.len() + 1),
        };
        loads.diags.push(Vec::new());
        loads.blob_ids.push(source::file_blob_id(&config));
        loads
    });
    let mut files = Vec::with_capacity(results.len() + 1);
    files.push(config);
    let mut reads = Vec::with_capacity(results.len());
    for (src, entity, d, id) in results {
        files.push(src);
        if let Some(k) = &mut kept {
            k.diags.push(d.clone());
            k.blob_ids.push(id);
        }
        reads.push((entity, d));
    }
    let (cat, diags) = assemble(files, reads);
    (cat, diags, kept)
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
