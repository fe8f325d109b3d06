//! The last lint, kept for the requests that read the catalog (definition,
//! hover, completion, quick fixes): its [`Run`], the catalog's [`Index`]
//! and what finds a file's entity fast. The index is built once per lint,
//! when the snapshot is taken (a small part of a lint: 0.2 s of 15 s at
//! 100,000 systems), so a hover or a jump answers without building it.
//!
//! The run is always of the text the editor has: the server lints after
//! every burst of edits before it reads the next request.

use std::collections::HashMap;

use lsp_types::{Location, Position, Url};

use super::convert::{uri_of, Encoding, Text};
use super::overlay::Overlay;
use crate::catalog::facts::EntityRef;
use crate::catalog::index::Ref;
use crate::catalog::refs::Reference;
use crate::catalog::{Entity, Index, Namnd, SpStr};
use crate::diagnostic::FileId;
use crate::i18n::Lang;
use crate::load::Span;
use crate::messages::RefKind;
use crate::Run;

self_cell::self_cell!(
    /// A run and the index of its catalog, which borrows the catalog.
    struct Indexed {
        owner: Run,
        #[covariant]
        dependent: Index,
    }
);

/// A lint's result, ready for requests.
pub struct Snapshot {
    indexed: Indexed,
    /// Catalog-relative path → file.
    files: HashMap<String, FileId>,
    /// File → its entity (index into `Catalog::entities`).
    entities: HashMap<FileId, usize>,
}

impl Snapshot {
    pub fn new(run: Run) -> Snapshot {
        let files = run
            .catalog
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.rel.clone(), i))
            .collect();
        let entities = run
            .catalog
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.head().file, i))
            .collect();
        Snapshot {
            indexed: Indexed::new(run, |run| Index::build(&run.catalog)),
            files,
            entities,
        }
    }

    pub fn run(&self) -> &Run {
        self.indexed.borrow_owner()
    }

    pub fn file(&self, rel: &str) -> Option<FileId> {
        self.files.get(rel).copied()
    }

    /// The entity read from `file`, if one was.
    pub fn entity(&self, file: FileId) -> Option<&Entity> {
        let i = self.entities.get(&file)?;
        self.run().catalog.entities.get(*i)
    }

    pub fn index(&self) -> &Index<'_> {
        self.indexed.borrow_dependent()
    }
}

/// What a request reads: the last lint and the editor's state.
pub struct View<'a> {
    pub snap: &'a Snapshot,
    pub overlay: &'a Overlay,
    /// The open files' URIs, by catalog-relative path.
    pub open: &'a HashMap<String, Url>,
    pub lang: Lang,
    pub encoding: Encoding,
}

/// The document a request is about, as the last lint read it.
pub struct Doc<'a> {
    pub rel: &'a str,
    pub file: FileId,
    pub text: Text<'a>,
    /// The byte offset of the request's position.
    pub offset: usize,
}

impl<'a> View<'a> {
    /// The text of `file` as the lint read it: the open buffer, or the file.
    pub fn text(&self, file: FileId) -> &'a str {
        let run = self.snap.run();
        self.overlay
            .get(run.rel(file))
            .unwrap_or_else(|| run.catalog.text(file))
    }

    pub fn doc(&self, rel: &'a str, pos: Position) -> Option<Doc<'a>> {
        let file = self.snap.file(rel)?;
        let text = Text::new(self.text(file));
        let offset = text.offset(pos, self.encoding);
        Some(Doc {
            rel,
            file,
            text,
            offset,
        })
    }

    pub fn uri(&self, file: FileId) -> Option<Url> {
        let rel = self.snap.run().rel(file);
        if rel.is_empty() {
            return None;
        }
        uri_of(&self.snap.run().root, rel, self.open)
    }

    /// The location of a span in a catalog file.
    pub fn location(&self, file: FileId, span: Span) -> Option<Location> {
        let text = Text::new(self.text(file));
        if text.as_str().len() < span.end as usize {
            return None;
        }
        Some(Location::new(
            self.uri(file)?,
            text.range(span, self.encoding),
        ))
    }
}

/// What a reference names.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    Entity(EntityRef<'a>),
    /// A förvaltning, declared in its nämnd's file.
    Forvaltning(&'a Namnd),
    /// A unit of a nämnd's förvaltning.
    Unit(&'a Namnd, &'a SpStr),
    /// A support process listed by a nämnd.
    Stodprocess(&'a Namnd, &'a SpStr),
    /// A body of the model (no file).
    Body(&'a str),
}

impl<'a> Target<'a> {
    /// Where it is declared: a file and the span of its id.
    pub fn declared(self) -> Option<(FileId, Span)> {
        match self {
            Target::Entity(e) => Some((e.head().file, e.head().id.span)),
            Target::Forvaltning(n) => Some((n.head.file, n.forvaltning.as_ref()?.id.span)),
            Target::Unit(n, s) | Target::Stodprocess(n, s) => Some((n.head.file, s.span)),
            Target::Body(_) => None,
        }
    }
}

/// The entity a [`Ref`] of the index names.
pub fn entity_ref<'a>(ix: &Index<'a>, r: Ref) -> Option<EntityRef<'a>> {
    Some(match r {
        Ref::Namnd(i) => EntityRef::Namnd(ix.namnder.get(i)?),
        Ref::Person(i) => EntityRef::Person(ix.persons.get(i)?),
        Ref::System(i) => EntityRef::System(ix.systems.get(i)?),
        Ref::Avtal(i) => EntityRef::Avtal(ix.avtal.get(i)?),
        Ref::Behandling(i) => EntityRef::Behandling(ix.behandlingar.get(i)?),
    })
}

/// What `r` names in the catalog (or the model), when it names something:
/// looked up as the resolve stage looks it up.
pub fn target<'a>(ix: &Index<'a>, run: &'a Run, r: &Reference) -> Option<Target<'a>> {
    let forvaltning = |id: &str| {
        let n = *ix.namnder.get(*ix.forvaltning.get(id)?)?;
        Some(Target::Forvaltning(n))
    };
    let any = || entity_ref(ix, ix.by_id.get(r.id)?).map(Target::Entity);
    match r.what {
        RefKind::Person => ix
            .person(r.id)
            .map(|p| Target::Entity(EntityRef::Person(p))),
        RefKind::System => ix
            .system(r.id)
            .map(|s| Target::Entity(EntityRef::System(s))),
        // A role a nämnd holds may also name a förvaltning.
        RefKind::Namnd => any().or_else(|| forvaltning(r.id)),
        RefKind::Entity => any().or_else(|| {
            let (id, _) = run.model.bodies.get_key_value(r.id)?;
            Some(Target::Body(id.as_str()))
        }),
        RefKind::Forvaltning => forvaltning(r.id),
        RefKind::Unit => {
            let n = *ix.namnder.get(*ix.forvaltning.get(r.forvaltning?)?)?;
            let unit = n.forvaltning.as_ref()?.units.iter().find(|u| u.v == r.id)?;
            Some(Target::Unit(n, unit))
        }
        RefKind::Stodprocess => ["kommunstyrelse", "service"]
            .iter()
            .filter_map(|p| run.config.org_namnd(p))
            .filter_map(|id| ix.namnd(id))
            .find_map(|n| {
                let s = n.stodprocesser.iter().find(|s| s.v == r.id)?;
                Some(Target::Stodprocess(n, s))
            }),
        RefKind::Role | RefKind::Rule => None,
    }
}
