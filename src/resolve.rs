//! Stage 3 — resolve: every reference names an entity of the right kind
//! (`ref/unknown`, with a suggestion), ids are unique (`id/duplicate`) and
//! match file names (`id/file-name`), and `kdl.yaml`'s organisation parts
//! exist (`config/invalid`).
//!
//! Cost: O(references) lookups in the index; suggestions are computed only
//! for references that fail, over candidates of similar length.

use rayon::prelude::*;

use crate::catalog::refs::{self, At, Reference};
use crate::catalog::{Catalog, Entity, Head, Index};
use crate::config::{Config, OrgRef};
use crate::diagnostic::{Diagnostic, FileId, Msg};
use crate::load::Span;
use crate::messages::RefKind;
use crate::model::{Model, OrgPartKind};
use crate::suggest::Suggester;

/// Candidate names per reference kind, for suggestions.
struct Names<'a> {
    persons: Suggester<'a>,
    namnder: Suggester<'a>,
    systems: Suggester<'a>,
    forvaltningar: Suggester<'a>,
    stodprocesser: Vec<&'a str>,
    stodprocess_suggester: Suggester<'a>,
    roles: Suggester<'a>,
}

pub fn resolve(cat: &Catalog, ix: &Index, model: &Model, config: &Config) -> Vec<Diagnostic> {
    let stodprocesser: Vec<&str> = ["kommunstyrelse", "service"]
        .iter()
        .filter_map(|p| config.org_namnd(p))
        .filter_map(|id| ix.namnd(id))
        .flat_map(|n| n.stodprocesser.iter().map(|s| s.v.as_str()))
        .collect();
    let names = Names {
        persons: Suggester::new(ix.persons.iter().map(|p| p.head.id.v.as_str()).collect()),
        namnder: Suggester::new(ix.namnder.iter().map(|n| n.head.id.v.as_str()).collect()),
        systems: Suggester::new(ix.systems.iter().map(|s| s.head.id.v.as_str()).collect()),
        forvaltningar: Suggester::new(ix.forvaltning.keys().copied().collect()),
        stodprocess_suggester: Suggester::new(stodprocesser.clone()),
        stodprocesser,
        roles: Suggester::new(model.roles.keys().map(String::as_str).collect()),
    };
    let mut out: Vec<Diagnostic> = cat
        .entities
        .par_iter()
        .flat_map_iter(|e| {
            let mut r = Resolver {
                ix,
                model,
                names: &names,
                out: Vec::new(),
                file: e.head().file,
                entity: &e.head().id.v,
            };
            r.entity(e);
            r.file_name(cat, e);
            r.out
        })
        .collect();
    out.extend(duplicates(cat, ix));
    out.extend(organisation(ix, model, config));
    out
}

struct Resolver<'a, 'b> {
    ix: &'b Index<'a>,
    model: &'b Model,
    names: &'b Names<'a>,
    out: Vec<Diagnostic>,
    file: FileId,
    entity: &'b str,
}

impl Resolver<'_, '_> {
    fn unknown(&mut self, what: RefKind, id: &str, span: Span, path: String) {
        let pool = match what {
            RefKind::Person => Some(&self.names.persons),
            RefKind::Namnd => Some(&self.names.namnder),
            RefKind::System => Some(&self.names.systems),
            RefKind::Forvaltning => Some(&self.names.forvaltningar),
            RefKind::Stodprocess => Some(&self.names.stodprocess_suggester),
            RefKind::Role => Some(&self.names.roles),
            RefKind::Unit | RefKind::Rule | RefKind::Entity => None,
        };
        let suggestion = pool.and_then(|p| p.closest(id));
        self.push(span, path, what, id, suggestion);
    }

    fn push(
        &mut self,
        span: Span,
        path: String,
        what: RefKind,
        id: &str,
        suggestion: Option<String>,
    ) {
        self.out.push(
            Diagnostic::new(
                "ref/unknown",
                self.file,
                span,
                Msg::UnknownRef {
                    what,
                    id: id.to_string(),
                    suggestion,
                },
            )
            .at_path(path)
            .entity(self.entity),
        );
    }

    /// An id that may name any entity or a model body (`by:`,
    /// `consulted:`, `decided-by:`, `subject:`).
    fn any(&mut self, r: &Reference) {
        if self.ix.by_id.contains_key(r.id) || self.model.bodies.contains_key(r.id) {
            return;
        }
        let suggestion = self
            .names
            .persons
            .closest(r.id)
            .or_else(|| self.names.namnder.closest(r.id))
            .or_else(|| {
                crate::suggest::closest(r.id, self.model.bodies.keys().map(String::as_str))
            });
        self.push(r.span, r.at.path(), RefKind::Entity, r.id, suggestion);
    }

    /// A unit must be one of its förvaltning's (when that förvaltning is
    /// known: an unknown one is its own finding).
    fn unit(&mut self, r: &Reference) {
        let Some(forv) = r
            .forvaltning
            .and_then(|f| self.ix.forvaltning.get(f))
            .and_then(|ni| self.ix.namnder.get(*ni))
            .and_then(|n| n.forvaltning.as_ref())
        else {
            return;
        };
        if !forv.units.iter().any(|u| u.v == r.id) {
            let suggestion = crate::suggest::closest(r.id, forv.units.iter().map(|u| u.v.as_str()));
            self.push(r.span, r.at.path(), RefKind::Unit, r.id, suggestion);
        }
    }

    /// Every reference the entity makes ([`refs::references`], the same
    /// list the editor server navigates), each checked against what it
    /// must name; and a system's role names against the model.
    fn entity(&mut self, e: &Entity) {
        let system = matches!(e, Entity::System(_));
        if let Entity::System(s) = e {
            for r in &s.roles {
                if !self.model.roles.contains_key(r.name.v.as_str()) {
                    let path = format!("roles.{}", r.name.v);
                    self.unknown(RefKind::Role, &r.name.v, r.name.span, path);
                }
            }
        }
        for r in refs::references(e, self.model) {
            // The holders of a role the model does not know are not
            // checked: the role itself is the finding.
            if let At::Role(name, _) = r.at {
                if system && !self.model.roles.contains_key(name) {
                    continue;
                }
            }
            let known = match r.what {
                RefKind::Person => self.ix.person(r.id).is_some(),
                RefKind::Namnd if r.lenient => {
                    self.ix.by_id.contains_key(r.id) || self.ix.forvaltning.contains_key(r.id)
                }
                RefKind::Namnd => self.ix.namnd(r.id).is_some(),
                RefKind::System => self.ix.system(r.id).is_some(),
                RefKind::Forvaltning => self.ix.forvaltning.contains_key(r.id),
                RefKind::Stodprocess => self.names.stodprocesser.contains(&r.id),
                RefKind::Entity => {
                    self.any(&r);
                    true
                }
                RefKind::Unit => {
                    self.unit(&r);
                    true
                }
                RefKind::Role | RefKind::Rule => true,
            };
            if !known {
                self.unknown(r.what, r.id, r.span, r.at.path());
            }
        }
    }

    fn file_name(&mut self, cat: &Catalog, e: &Entity) {
        let head = e.head();
        let rel = cat.rel(head.file);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let stem = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
            .unwrap_or(name);
        if stem != head.id.v {
            self.out.push(
                Diagnostic::new(
                    "id/file-name",
                    head.file,
                    head.id.span,
                    Msg::FileName {
                        id: head.id.v.to_string(),
                        stem: stem.to_string(),
                    },
                )
                .at_path("id")
                .entity(&head.id.v),
            );
        }
    }
}

/// `id/duplicate`: entity ids across the catalog, and förvaltning ids.
/// Entities are in file order, so "the second" is the later file.
fn duplicates(cat: &Catalog, ix: &Index) -> Vec<Diagnostic> {
    let duplicate = |file, span, id: &str, path: &str, entity: &str, first: &Head, first_span| {
        Diagnostic::new(
            "id/duplicate",
            file,
            span,
            Msg::DuplicateId { id: id.to_string() },
        )
        .at_path(path)
        .entity(entity)
        .related(first.file, first_span, Msg::FirstIdHere)
    };
    let ids = ix.duplicate_ids.iter().filter_map(|&(ei, first)| {
        let h = cat.entities.get(ei)?.head();
        let f = ix.head(first)?;
        Some(duplicate(
            h.file, h.id.span, &h.id.v, "id", &h.id.v, f, f.id.span,
        ))
    });
    let forvaltningar = ix.duplicate_forvaltningar.iter().filter_map(|&(n, first)| {
        let n = ix.namnder.get(n)?;
        let f = n.forvaltning.as_ref()?;
        let first = ix.namnder.get(first)?;
        let first_span = first.forvaltning.as_ref()?.id.span;
        Some(duplicate(
            n.head.file,
            f.id.span,
            &f.id.v,
            "forvaltning.id",
            &n.head.id.v,
            &first.head,
            first_span,
        ))
    });
    ids.chain(forvaltningar).collect()
}

/// `config/invalid` for organisation parts: each one the model needs is
/// configured and names an existing nämnd or unit.
fn organisation(ix: &Index, model: &Model, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let known: Vec<String> = model.organisation.keys().cloned().collect();
    for (part, kind) in &model.organisation {
        let configured = config.organisation.iter().find(|(k, _, _)| k == part);
        let Some((_, _, r)) = configured else {
            out.push(
                Diagnostic::new(
                    "config/invalid",
                    0,
                    config_org_span(config),
                    Msg::OrgPartMissing { part: part.clone() },
                )
                .at_path(format!("organisation.{part}")),
            );
            continue;
        };
        match (kind, r) {
            (OrgPartKind::Namnd, OrgRef::Namnd { id, span }) => {
                if ix.namnd(id).is_none() {
                    out.push(
                        Diagnostic::new(
                            "config/invalid",
                            0,
                            *span,
                            Msg::OrgPartUnknownNamnd {
                                part: part.clone(),
                                id: id.clone(),
                            },
                        )
                        .at_path(format!("organisation.{part}")),
                    );
                }
            }
            (
                OrgPartKind::Unit,
                OrgRef::Unit {
                    forvaltning,
                    unit,
                    span,
                },
            ) => {
                let ok = ix
                    .forvaltning
                    .get(forvaltning.as_str())
                    .and_then(|i| ix.namnder.get(*i))
                    .and_then(|n| n.forvaltning.as_ref())
                    .is_some_and(|f| f.units.iter().any(|u| u.v == unit));
                if !ok {
                    out.push(
                        Diagnostic::new(
                            "config/invalid",
                            0,
                            *span,
                            Msg::OrgPartUnknownUnit {
                                part: part.clone(),
                                forvaltning: forvaltning.clone(),
                                unit: unit.clone(),
                            },
                        )
                        .at_path(format!("organisation.{part}")),
                    );
                }
            }
            (_, OrgRef::Namnd { span, .. } | OrgRef::Unit { span, .. }) => out.push(
                Diagnostic::new(
                    "config/invalid",
                    0,
                    *span,
                    Msg::WrongShape {
                        found: String::new(),
                        expected: match kind {
                            OrgPartKind::Namnd => "nämnd-id".into(),
                            OrgPartKind::Unit => "{forvaltning, unit}".into(),
                        },
                    },
                )
                .at_path(format!("organisation.{part}")),
            ),
        }
    }
    for (part, key_span, _) in &config.organisation {
        if !model.organisation.contains_key(part) {
            out.push(
                Diagnostic::new(
                    "config/invalid",
                    0,
                    *key_span,
                    Msg::UnknownOrgPart {
                        part: part.clone(),
                        known: known.clone(),
                    },
                )
                .at_path(format!("organisation.{part}")),
            );
        }
    }
    out
}

fn config_org_span(config: &Config) -> crate::load::Span {
    config.org_span.unwrap_or(crate::load::Span::FILE_START)
}
