//! Every reference an entity makes, with its span and what it must name:
//! the same fields, in the same way, as the resolve stage checks them
//! (`resolve.rs`), for consumers that ask "what does the id at this place
//! name?" — an editor server's go to definition, hover and completion.
//!
//! A test below checks that every `ref/unknown` finding of a catalog whose
//! every id is renamed lies on a reference listed here, so the two lists
//! cannot drift apart unnoticed.

use super::entity::{AttrValue, Entity, Head, NamndSet, RoleAssignment, Sp, SpStr};
use crate::load::Span;
use crate::messages::RefKind;
use crate::model::vocab::{ByKind, RefTarget};
use crate::model::{EntityKind, Holder, Model};

/// One reference: the id as written, its span and what it must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference<'a> {
    pub id: &'a str,
    pub span: Span,
    /// [`RefKind::Namnd`] for a role that a nämnd holds also accepts a
    /// förvaltning (as the resolve stage does); [`RefKind::Entity`] is
    /// any entity or a model body; [`RefKind::Unit`] is a unit of
    /// `forvaltning`.
    pub what: RefKind,
    /// For a unit: the förvaltning it must belong to.
    pub forvaltning: Option<&'a str>,
}

impl<'a> Reference<'a> {
    fn of(r: &'a SpStr, what: RefKind) -> Reference<'a> {
        Reference {
            id: r.v.as_str(),
            span: r.span,
            what,
            forvaltning: None,
        }
    }

    /// Whether byte `offset` lies on the reference (its end included, where
    /// an editor's cursor stands after typing it).
    pub fn contains(&self, offset: usize) -> bool {
        self.span.start as usize <= offset && offset <= self.span.end as usize
    }
}

/// The kind of an entity.
pub fn kind_of(e: &Entity) -> EntityKind {
    match e {
        Entity::Namnd(_) => EntityKind::Namnd,
        Entity::Person(_) => EntityKind::Person,
        Entity::System(_) => EntityKind::System,
        Entity::Avtal(_) => EntityKind::Avtal,
        Entity::Behandling(_) => EntityKind::Behandling,
    }
}

/// Every reference `e` makes, in no particular order.
pub fn references<'a>(e: &'a Entity, model: &Model) -> Vec<Reference<'a>> {
    let mut out = Vec::new();
    head(&mut out, kind_of(e), e.head(), model);
    let mut one = |r: Option<&'a SpStr>, what: RefKind| {
        if let Some(r) = r {
            out.push(Reference::of(r, what));
        }
    };
    match e {
        Entity::Namnd(n) => {
            one(
                n.forvaltning.as_ref().and_then(|f| f.chef.as_ref()),
                RefKind::Person,
            );
            one(n.dataskyddskontakt.as_ref(), RefKind::Person);
            roles(&mut out, &n.roles, model);
        }
        Entity::Person(p) => {
            one(p.forvaltning.as_ref(), RefKind::Forvaltning);
            if let (Some(unit), Some(f)) = (&p.unit, &p.forvaltning) {
                out.push(Reference {
                    forvaltning: Some(f.v.as_str()),
                    ..Reference::of(unit, RefKind::Unit)
                });
            }
        }
        Entity::System(s) => {
            one(s.stodprocess.as_ref(), RefKind::Stodprocess);
            roles(&mut out, &s.roles, model);
            namnd_set(&mut out, s.used_by.as_ref());
            for p in &s.plans {
                if let Some(r) = &p.approved_by {
                    out.push(Reference::of(r, RefKind::Person));
                }
                for c in &p.covers {
                    out.push(Reference::of(c, RefKind::System));
                }
            }
            for r in &s.reports {
                if let Some(r) = &r.approved_by {
                    out.push(Reference::of(r, RefKind::Person));
                }
            }
        }
        Entity::Avtal(a) => {
            one(a.decided_by.as_ref(), RefKind::Person);
            one(a.signed_by.as_ref(), RefKind::Person);
            one(a.from.as_ref(), RefKind::Namnd);
            one(a.to.as_ref(), RefKind::Person);
            for s in &a.systems {
                out.push(Reference::of(s, RefKind::System));
            }
            namnd_set(&mut out, a.controllers.as_deref());
        }
        Entity::Behandling(b) => {
            one(b.controller.as_ref(), RefKind::Namnd);
            for n in &b.joint_with {
                out.push(Reference::of(n, RefKind::Namnd));
            }
            for s in &b.systems {
                out.push(Reference::of(s, RefKind::System));
            }
        }
    }
    out
}

/// The reference of `e` at byte `offset` of its file, if any.
pub fn reference_at<'a>(e: &'a Entity, model: &Model, offset: usize) -> Option<Reference<'a>> {
    references(e, model)
        .into_iter()
        .filter(|r| r.contains(offset))
        // The innermost (shortest) one, should spans nest.
        .min_by_key(|r| r.span.end.saturating_sub(r.span.start))
}

/// `ref` attributes, records, exceptions' subject and decider.
fn head<'a>(out: &mut Vec<Reference<'a>>, kind: EntityKind, h: &'a Head, model: &Model) {
    for a in &h.attributes {
        let Some(target) = model.attribute(kind, &a.name.v).and_then(|d| d.target) else {
            continue;
        };
        let what = match target {
            RefTarget::System => RefKind::System,
            RefTarget::Namnd => RefKind::Namnd,
            RefTarget::Person => RefKind::Person,
            RefTarget::Avtal | RefTarget::Body => RefKind::Entity,
        };
        match &a.value.v {
            AttrValue::Str(v) => out.push(Reference {
                id: v.as_str(),
                span: a.value.span,
                what,
                forvaltning: None,
            }),
            AttrValue::List(items) => out.extend(items.iter().map(|r| Reference::of(r, what))),
            _ => {}
        }
    }
    for r in &h.records {
        if let Some(by) = &r.by {
            let by_kind = r
                .typ
                .as_ref()
                .and_then(|t| model.record_types.get(t.v.as_str()))
                .map(|t| t.by);
            let what = match by_kind {
                Some(ByKind::Person) => RefKind::Person,
                Some(ByKind::Namnd) => RefKind::Namnd,
                _ => RefKind::Entity,
            };
            out.push(Reference::of(by, what));
        }
        out.extend(
            r.consulted
                .iter()
                .map(|c| Reference::of(c, RefKind::Entity)),
        );
        out.extend(r.systems.iter().map(|s| Reference::of(s, RefKind::System)));
    }
    for e in &h.exceptions {
        for x in [&e.subject, &e.decided_by].into_iter().flatten() {
            out.push(Reference::of(x, RefKind::Entity));
        }
    }
}

/// Role holders (a person, or a nämnd for a role the model gives one) and
/// who appointed them.
fn roles<'a>(out: &mut Vec<Reference<'a>>, roles: &'a [RoleAssignment], model: &Model) {
    for r in roles {
        let what = match model.roles.get(r.name.v.as_str()).map(|x| x.holder) {
            Some(Holder::Namnd) => RefKind::Namnd,
            _ => RefKind::Person,
        };
        out.extend(r.holders.iter().map(|h| Reference::of(h, what)));
        for a in &r.appointments {
            if let Some(by) = &a.by {
                out.push(Reference::of(by, RefKind::Person));
            }
        }
    }
}

fn namnd_set<'a>(out: &mut Vec<Reference<'a>>, set: Option<&'a Sp<NamndSet>>) {
    if let Some(Sp {
        v: NamndSet::List(list),
        ..
    }) = set
    {
        out.extend(list.iter().map(|n| Reference::of(n, RefKind::Namnd)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse_bytes, Budget};

    fn entity(kind: &str, text: &str) -> Entity {
        let f = parse_bytes("x.yaml".into(), text.as_bytes().to_vec(), Budget::default());
        let node = f.doc.ok().unwrap_or_else(|| panic!("parses: {text}"));
        Entity::from_node(kind, &node, 1).unwrap_or_else(|| panic!("an entity: {text}"))
    }

    fn model() -> Model {
        Model::builtin(crate::model::DEFAULT_MODEL)
            .and_then(Result::ok)
            .map(|(m, _)| m)
            .unwrap_or_else(|| panic!("the default model loads"))
    }

    #[test]
    fn the_reference_at_an_offset_and_what_it_names() {
        let text = "kind: avtal\nid: a\nsystems: [raindance, heroma]\ndecided-by: anna\ncontrollers: [ks]\n";
        let e = entity("avtal", text);
        let m = model();
        let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s}"));
        let r = reference_at(&e, &m, at("heroma")).unwrap_or_else(|| panic!("heroma"));
        assert_eq!((r.id, r.what), ("heroma", RefKind::System));
        // The end of the id counts (the cursor after typing it).
        let end = at("heroma") + "heroma".len();
        assert_eq!(reference_at(&e, &m, end).map(|r| r.id), Some("heroma"));
        let r = reference_at(&e, &m, at("anna") + 2).unwrap_or_else(|| panic!("anna"));
        assert_eq!((r.id, r.what), ("anna", RefKind::Person));
        let r = reference_at(&e, &m, at("ks]")).unwrap_or_else(|| panic!("ks"));
        assert_eq!((r.id, r.what), ("ks", RefKind::Namnd));
        // A key, the id itself and the kind are no references.
        for s in ["systems", "id: a", "kind", "avtal"] {
            assert_eq!(reference_at(&e, &m, at(s)), None, "{s}");
        }
    }

    #[test]
    fn a_role_held_by_a_namnd_names_a_namnd_and_a_unit_its_forvaltning() {
        let m = model();
        let text = "kind: system\nid: s\nroles:\n  informationsagare: ks\n  agare: [anna]\n";
        let e = entity("system", text);
        let whats: Vec<(&str, RefKind)> =
            references(&e, &m).iter().map(|r| (r.id, r.what)).collect();
        assert!(whats.contains(&("ks", RefKind::Namnd)), "{whats:?}");
        assert!(whats.contains(&("anna", RefKind::Person)), "{whats:?}");
        let text = "kind: person\nid: p\nforvaltning: sf\nunit: it\n";
        let e = entity("person", text);
        let refs = references(&e, &m);
        assert!(refs
            .iter()
            .any(|r| r.id == "sf" && r.what == RefKind::Forvaltning));
        assert!(refs
            .iter()
            .any(|r| r.id == "it" && r.what == RefKind::Unit && r.forvaltning == Some("sf")));
    }

    /// The base catalog with every entity's id (and förvaltning id)
    /// renamed, so that every reference in it is unknown.
    fn renamed_catalog() -> tempfile::TempDir {
        fn copy(from: &std::path::Path, to: &std::path::Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap() {
                let e = e.unwrap();
                let path = e.path();
                let name = e.file_name().into_string().unwrap();
                if path.is_dir() {
                    copy(&path, &to.join(&name));
                } else if name == "kdl.yaml" {
                    std::fs::copy(&path, to.join(&name)).unwrap();
                } else {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let text: String = text
                        .lines()
                        .map(|l| match l.split_once("id: ") {
                            Some((indent, id)) if indent.trim().is_empty() => {
                                format!("{indent}id: zz-{id}\n")
                            }
                            _ => format!("{l}\n"),
                        })
                        .collect();
                    std::fs::write(to.join(format!("zz-{name}")), text).unwrap();
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        copy(&base, dir.path());
        dir
    }

    #[test]
    fn every_unknown_reference_is_a_listed_reference() {
        let dir = renamed_catalog();
        let opts = crate::LintOptions {
            path: Some(dir.path().to_path_buf()),
            ..Default::default()
        };
        let run = crate::lint(&opts).unwrap();
        let model = &run.model;
        let mut unknown = 0;
        for d in run.diagnostics.iter().filter(|d| d.rule == "ref/unknown") {
            let crate::diagnostic::Msg::UnknownRef { what, .. } = &d.msg else {
                panic!("{d:?}");
            };
            // A role key is a name in the model, not a reference to an id.
            if *what == RefKind::Role {
                continue;
            }
            unknown += 1;
            let e = run
                .catalog
                .entities
                .iter()
                .find(|e| e.head().file == d.file)
                .unwrap();
            let listed = references(e, model)
                .iter()
                .any(|r| r.span == d.span && r.what == *what);
            assert!(listed, "{} {:?} not listed", run.rel(d.file), d);
        }
        // Most references of the base catalog are unknown now.
        assert!(unknown > 100, "{unknown}");
    }
}
