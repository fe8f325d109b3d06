//! Stage 3 — resolve: every reference names an entity of the right kind
//! (`ref/unknown`, with a suggestion), ids are unique (`id/duplicate`) and
//! match file names (`id/file-name`), and `kdl.yaml`'s organisation parts
//! exist (`config/invalid`).
//!
//! Cost: O(references) lookups in the index; suggestions are computed only
//! for references that fail, over candidates of similar length.

use rayon::prelude::*;

use crate::catalog::{AttrValue, Catalog, Entity, Head, Index, NamndSet, SpStr};
use crate::config::{Config, OrgRef};
use crate::diagnostic::{Diagnostic, FileId, Msg};
use crate::messages::RefKind;
use crate::model::vocab::{ByKind, RefTarget};
use crate::model::{EntityKind, Holder, Model, OrgPartKind};
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
    fn unknown(&mut self, what: RefKind, r: &SpStr, path: String) {
        let pool = match what {
            RefKind::Person => Some(&self.names.persons),
            RefKind::Namnd => Some(&self.names.namnder),
            RefKind::System => Some(&self.names.systems),
            RefKind::Forvaltning => Some(&self.names.forvaltningar),
            RefKind::Stodprocess => Some(&self.names.stodprocess_suggester),
            RefKind::Role => Some(&self.names.roles),
            RefKind::Unit | RefKind::Rule | RefKind::Entity => None,
        };
        let suggestion = pool.and_then(|p| p.closest(&r.v));
        self.out.push(
            Diagnostic::new(
                "ref/unknown",
                self.file,
                r.span,
                Msg::UnknownRef {
                    what,
                    id: r.v.to_string(),
                    suggestion,
                },
            )
            .at_path(path)
            .entity(self.entity),
        );
    }

    fn person(&mut self, r: Option<&SpStr>, path: &str) {
        if let Some(r) = r {
            if self.ix.person(&r.v).is_none() {
                self.unknown(RefKind::Person, r, path.to_string());
            }
        }
    }

    fn namnd(&mut self, r: &SpStr, path: String) {
        if self.ix.namnd(&r.v).is_none() {
            self.unknown(RefKind::Namnd, r, path);
        }
    }

    fn system(&mut self, r: &SpStr, path: String) {
        if self.ix.system(&r.v).is_none() {
            self.unknown(RefKind::System, r, path);
        }
    }

    fn namnd_set(&mut self, set: Option<&crate::catalog::Sp<NamndSet>>, key: &str) {
        if let Some(crate::catalog::Sp {
            v: NamndSet::List(list),
            ..
        }) = set
        {
            for (i, n) in list.iter().enumerate() {
                self.namnd(n, format!("{key}[{i}]"));
            }
        }
    }

    /// An id that may name any entity or a model body (`by:`,
    /// `consulted:`, `decided-by:`, `subject:`).
    fn any(&mut self, r: &SpStr, path: String) {
        if self.ix.by_id.contains_key(r.v.as_str()) || self.model.bodies.contains_key(r.v.as_str())
        {
            return;
        }
        let suggestion = self
            .names
            .persons
            .closest(&r.v)
            .or_else(|| self.names.namnder.closest(&r.v))
            .or_else(|| {
                crate::suggest::closest(&r.v, self.model.bodies.keys().map(String::as_str))
            });
        self.out.push(
            Diagnostic::new(
                "ref/unknown",
                self.file,
                r.span,
                Msg::UnknownRef {
                    what: RefKind::Entity,
                    id: r.v.to_string(),
                    suggestion,
                },
            )
            .at_path(path)
            .entity(self.entity),
        );
    }

    /// References every entity kind can have: `ref` attributes, records,
    /// exceptions' subject and decider.
    fn head(&mut self, kind: EntityKind, h: &Head) {
        for a in &h.attributes {
            let Some(def) = self.model.attribute(kind, &a.name.v) else {
                continue; // schema/invalid
            };
            let Some(target) = def.target else { continue };
            let ids: Vec<SpStr> = match &a.value.v {
                AttrValue::Str(v) => vec![SpStr {
                    v: v.as_str().into(),
                    key: a.value.key,
                    span: a.value.span,
                }],
                AttrValue::List(items) => items.clone(),
                _ => Vec::new(),
            };
            for (i, r) in ids.iter().enumerate() {
                let path = if matches!(a.value.v, AttrValue::List(_)) {
                    format!("attributes.{}[{i}]", a.name.v)
                } else {
                    format!("attributes.{}", a.name.v)
                };
                match target {
                    RefTarget::System => self.system(r, path),
                    RefTarget::Namnd => self.namnd(r, path),
                    RefTarget::Person => self.person(Some(r), &path),
                    RefTarget::Avtal | RefTarget::Body => self.any(r, path),
                }
            }
        }
        for r in &h.records {
            let at = format!("records[{}]", r.index);
            if let Some(by) = &r.by {
                let kind = r
                    .typ
                    .as_ref()
                    .and_then(|t| self.model.record_types.get(t.v.as_str()))
                    .map(|t| t.by);
                match kind {
                    Some(ByKind::Person) => self.person(Some(by), &format!("{at}.by")),
                    Some(ByKind::Namnd) => self.namnd(by, format!("{at}.by")),
                    _ => self.any(by, format!("{at}.by")),
                }
            }
            for (i, c) in r.consulted.iter().enumerate() {
                self.any(c, format!("{at}.consulted[{i}]"));
            }
            for (i, sys) in r.systems.iter().enumerate() {
                self.system(sys, format!("{at}.systems[{i}]"));
            }
        }
        for e in &h.exceptions {
            let at = format!("exceptions[{}]", e.index);
            if let Some(x) = &e.subject {
                self.any(x, format!("{at}.subject"));
            }
            if let Some(x) = &e.decided_by {
                self.any(x, format!("{at}.decided-by"));
            }
        }
    }

    /// Holders of roles on a nämnd.
    fn namnd_roles(&mut self, n: &crate::catalog::Namnd) {
        for r in &n.roles {
            for (i, h) in r.holders.iter().enumerate() {
                let path = if r.is_list {
                    format!("roles.{}[{i}]", r.name.v)
                } else {
                    format!("roles.{}", r.name.v)
                };
                match self.model.roles.get(r.name.v.as_str()).map(|x| x.holder) {
                    Some(Holder::Namnd) => self.namnd(h, path),
                    _ => self.person(Some(h), &path),
                }
            }
            for (i, a) in r.appointments.iter().enumerate() {
                if let Some(by) = &a.by {
                    self.person(Some(by), &format!("roles.{}[{i}].appointed-by", r.name.v));
                }
            }
        }
    }

    fn entity(&mut self, e: &Entity) {
        let kind = match e {
            Entity::Namnd(_) => EntityKind::Namnd,
            Entity::Person(_) => EntityKind::Person,
            Entity::System(_) => EntityKind::System,
            Entity::Avtal(_) => EntityKind::Avtal,
            Entity::Behandling(_) => EntityKind::Behandling,
        };
        self.head(kind, e.head());
        match e {
            Entity::Namnd(n) => {
                if let Some(f) = &n.forvaltning {
                    self.person(f.chef.as_ref(), "forvaltning.chef");
                }
                self.person(n.dataskyddskontakt.as_ref(), "dataskyddskontakt");
                self.namnd_roles(n);
            }
            Entity::Person(p) => {
                if let Some(f) = &p.forvaltning {
                    match self.ix.forvaltning.get(f.v.as_str()) {
                        None => self.unknown(RefKind::Forvaltning, f, "forvaltning".into()),
                        Some(ni) => {
                            if let (Some(unit), Some(forv)) = (
                                &p.unit,
                                self.ix
                                    .namnder
                                    .get(*ni)
                                    .and_then(|n| n.forvaltning.as_ref()),
                            ) {
                                if !forv.units.iter().any(|u| u.v == unit.v) {
                                    let suggestion = crate::suggest::closest(
                                        &unit.v,
                                        forv.units.iter().map(|u| u.v.as_str()),
                                    );
                                    self.out.push(
                                        Diagnostic::new(
                                            "ref/unknown",
                                            self.file,
                                            unit.span,
                                            Msg::UnknownRef {
                                                what: RefKind::Unit,
                                                id: unit.v.to_string(),
                                                suggestion,
                                            },
                                        )
                                        .at_path("unit")
                                        .entity(self.entity),
                                    );
                                }
                            }
                        }
                    }
                }
            }
            Entity::System(s) => {
                for r in &s.roles {
                    let Some(role) = self.model.roles.get(r.name.v.as_str()) else {
                        self.unknown(RefKind::Role, &r.name, format!("roles.{}", r.name.v));
                        continue;
                    };
                    for (i, h) in r.holders.iter().enumerate() {
                        let path = if r.is_list {
                            format!("roles.{}[{i}]", r.name.v)
                        } else {
                            format!("roles.{}", r.name.v)
                        };
                        match role.holder {
                            Holder::Person => self.person(Some(h), &path),
                            // A non-nämnd entity here is roles/informationsagare
                            // (a check); only a name of nothing is unknown.
                            Holder::Namnd => {
                                if !self.ix.by_id.contains_key(h.v.as_str())
                                    && !self.ix.forvaltning.contains_key(h.v.as_str())
                                {
                                    self.unknown(RefKind::Namnd, h, path);
                                }
                            }
                        }
                    }
                }
                for r in &s.roles {
                    for (i, a) in r.appointments.iter().enumerate() {
                        if let Some(by) = &a.by {
                            self.person(Some(by), &format!("roles.{}[{i}].appointed-by", r.name.v));
                        }
                    }
                }
                self.namnd_set(s.used_by.as_ref(), "used-by");
                if let Some(sp) = &s.stodprocess {
                    if !self.names.stodprocesser.contains(&sp.v.as_str()) {
                        self.unknown(RefKind::Stodprocess, sp, "stodprocess".into());
                    }
                }
                for p in &s.plans {
                    self.person(
                        p.approved_by.as_ref(),
                        &format!("forvaltningsplaner[{}].approved-by", p.index),
                    );
                    for (i, c) in p.covers.iter().enumerate() {
                        self.system(c, format!("forvaltningsplaner[{}].covers[{i}]", p.index));
                    }
                }
                for r in &s.reports {
                    self.person(
                        r.approved_by.as_ref(),
                        &format!("uppfoljningsrapporter[{}].approved-by", r.index),
                    );
                }
            }
            Entity::Avtal(a) => {
                for (i, s) in a.systems.iter().enumerate() {
                    self.system(s, format!("systems[{i}]"));
                }
                self.namnd_set(a.controllers.as_deref(), "controllers");
                self.person(a.decided_by.as_ref(), "decided-by");
                self.person(a.signed_by.as_ref(), "signed-by");
                if let Some(f) = &a.from {
                    self.namnd(f, "from".into());
                }
                self.person(a.to.as_ref(), "to");
            }
            Entity::Behandling(b) => {
                if let Some(c) = &b.controller {
                    self.namnd(c, "controller".into());
                }
                for (i, n) in b.joint_with.iter().enumerate() {
                    self.namnd(n, format!("joint-with[{i}]"));
                }
                for (i, s) in b.systems.iter().enumerate() {
                    self.system(s, format!("systems[{i}]"));
                }
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
