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
    /// [`RefKind::Entity`] is any entity or a model body;
    /// [`RefKind::Unit`] is a unit of `forvaltning`.
    pub what: RefKind,
    /// For a nämnd: whether any entity's id or a förvaltning's also
    /// resolves it (a system's role that a nämnd holds; that it is not a
    /// nämnd is then a rule's finding, not an unknown reference).
    pub lenient: bool,
    /// For a unit: the förvaltning it must belong to.
    pub forvaltning: Option<&'a str>,
    /// Where it is in its entity.
    pub at: At<'a>,
}

/// Where a reference is in its entity, as findings name it
/// (`roles.agare[1]`, `records[2].consulted[0]`); rendered only when
/// needed ([`At::path`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At<'a> {
    /// `decided-by`
    Key(&'static str),
    /// `systems[2]`
    Item(&'static str, usize),
    /// `attributes.name` or `attributes.name[i]`
    Attribute(&'a str, Option<usize>),
    /// `roles.name` or `roles.name[i]`
    Role(&'a str, Option<usize>),
    /// `roles.name[i].appointed-by`
    Appointed(&'a str, usize),
    /// `records[3].by`
    Field(&'static str, usize, &'static str),
    /// `records[3].consulted[1]`
    FieldItem(&'static str, usize, &'static str, usize),
}

impl At<'_> {
    pub fn path(&self) -> String {
        match *self {
            At::Key(k) => k.to_string(),
            At::Item(k, i) => format!("{k}[{i}]"),
            At::Attribute(n, None) => format!("attributes.{n}"),
            At::Attribute(n, Some(i)) => format!("attributes.{n}[{i}]"),
            At::Role(n, None) => format!("roles.{n}"),
            At::Role(n, Some(i)) => format!("roles.{n}[{i}]"),
            At::Appointed(n, i) => format!("roles.{n}[{i}].appointed-by"),
            At::Field(k, i, f) => format!("{k}[{i}].{f}"),
            At::FieldItem(k, i, f, j) => format!("{k}[{i}].{f}[{j}]"),
        }
    }
}

impl<'a> Reference<'a> {
    fn of(r: &'a SpStr, what: RefKind, at: At<'a>) -> Reference<'a> {
        Reference {
            id: r.v.as_str(),
            span: r.span,
            what,
            lenient: false,
            forvaltning: None,
            at,
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

/// Every reference `e` makes, in the order the resolve stage reports them.
pub fn references<'a>(e: &'a Entity, model: &Model) -> Vec<Reference<'a>> {
    let mut out = Vec::new();
    head(&mut out, kind_of(e), e.head(), model);
    match e {
        Entity::Namnd(n) => {
            one(
                &mut out,
                n.forvaltning.as_ref().and_then(|f| f.chef.as_ref()),
                RefKind::Person,
                "forvaltning.chef",
            );
            one(
                &mut out,
                n.dataskyddskontakt.as_ref(),
                RefKind::Person,
                "dataskyddskontakt",
            );
            roles(&mut out, &n.roles, model, false);
        }
        Entity::Person(p) => {
            one(
                &mut out,
                p.forvaltning.as_ref(),
                RefKind::Forvaltning,
                "forvaltning",
            );
            if let (Some(unit), Some(f)) = (&p.unit, &p.forvaltning) {
                out.push(Reference {
                    forvaltning: Some(f.v.as_str()),
                    ..Reference::of(unit, RefKind::Unit, At::Key("unit"))
                });
            }
        }
        Entity::System(s) => {
            roles(&mut out, &s.roles, model, true);
            namnd_set(&mut out, s.used_by.as_ref(), "used-by");
            if let Some(sp) = &s.stodprocess {
                out.push(Reference::of(
                    sp,
                    RefKind::Stodprocess,
                    At::Key("stodprocess"),
                ));
            }
            for p in &s.plans {
                const PLANS: &str = "forvaltningsplaner";
                if let Some(r) = &p.approved_by {
                    let at = At::Field(PLANS, p.index, "approved-by");
                    out.push(Reference::of(r, RefKind::Person, at));
                }
                for (i, c) in p.covers.iter().enumerate() {
                    let at = At::FieldItem(PLANS, p.index, "covers", i);
                    out.push(Reference::of(c, RefKind::System, at));
                }
            }
            for r in &s.reports {
                if let Some(by) = &r.approved_by {
                    let at = At::Field("uppfoljningsrapporter", r.index, "approved-by");
                    out.push(Reference::of(by, RefKind::Person, at));
                }
            }
        }
        Entity::Avtal(a) => {
            for (i, s) in a.systems.iter().enumerate() {
                out.push(Reference::of(s, RefKind::System, At::Item("systems", i)));
            }
            namnd_set(&mut out, a.controllers.as_deref(), "controllers");
            one(
                &mut out,
                a.decided_by.as_ref(),
                RefKind::Person,
                "decided-by",
            );
            one(&mut out, a.signed_by.as_ref(), RefKind::Person, "signed-by");
            one(&mut out, a.from.as_ref(), RefKind::Namnd, "from");
            one(&mut out, a.to.as_ref(), RefKind::Person, "to");
        }
        Entity::Behandling(b) => {
            one(
                &mut out,
                b.controller.as_ref(),
                RefKind::Namnd,
                "controller",
            );
            for (i, n) in b.joint_with.iter().enumerate() {
                out.push(Reference::of(n, RefKind::Namnd, At::Item("joint-with", i)));
            }
            for (i, s) in b.systems.iter().enumerate() {
                out.push(Reference::of(s, RefKind::System, At::Item("systems", i)));
            }
        }
    }
    out
}

fn one<'a>(out: &mut Vec<Reference<'a>>, r: Option<&'a SpStr>, what: RefKind, key: &'static str) {
    if let Some(r) = r {
        out.push(Reference::of(r, what, At::Key(key)));
    }
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
            continue; // not in the model: schema/invalid
        };
        let what = match target {
            RefTarget::System => RefKind::System,
            RefTarget::Namnd => RefKind::Namnd,
            RefTarget::Person => RefKind::Person,
            RefTarget::Avtal | RefTarget::Body => RefKind::Entity,
        };
        let name = a.name.v.as_str();
        match &a.value.v {
            AttrValue::Str(v) => out.push(Reference {
                id: v.as_str(),
                span: a.value.span,
                what,
                lenient: false,
                forvaltning: None,
                at: At::Attribute(name, None),
            }),
            AttrValue::List(items) => out.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Reference::of(r, what, At::Attribute(name, Some(i)))),
            ),
            _ => {}
        }
    }
    for r in &h.records {
        const RECORDS: &str = "records";
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
            out.push(Reference::of(by, what, At::Field(RECORDS, r.index, "by")));
        }
        out.extend(r.consulted.iter().enumerate().map(|(i, c)| {
            let at = At::FieldItem(RECORDS, r.index, "consulted", i);
            Reference::of(c, RefKind::Entity, at)
        }));
        out.extend(r.systems.iter().enumerate().map(|(i, s)| {
            let at = At::FieldItem(RECORDS, r.index, "systems", i);
            Reference::of(s, RefKind::System, at)
        }));
    }
    for e in &h.exceptions {
        const EXCEPTIONS: &str = "exceptions";
        if let Some(x) = &e.subject {
            let at = At::Field(EXCEPTIONS, e.index, "subject");
            out.push(Reference::of(x, RefKind::Entity, at));
        }
        if let Some(x) = &e.decided_by {
            let at = At::Field(EXCEPTIONS, e.index, "decided-by");
            out.push(Reference::of(x, RefKind::Entity, at));
        }
    }
}

/// Role holders (a person, or a nämnd for a role the model gives one) and
/// who appointed them. On a system (`lenient`), a nämnd-held role also
/// accepts any entity's or förvaltning's id.
fn roles<'a>(
    out: &mut Vec<Reference<'a>>,
    roles: &'a [RoleAssignment],
    model: &Model,
    lenient: bool,
) {
    for r in roles {
        let name = r.name.v.as_str();
        let namnd = model.roles.get(name).map(|x| x.holder) == Some(Holder::Namnd);
        let what = if namnd {
            RefKind::Namnd
        } else {
            RefKind::Person
        };
        out.extend(r.holders.iter().enumerate().map(|(i, h)| Reference {
            lenient: lenient && namnd,
            ..Reference::of(h, what, At::Role(name, r.is_list.then_some(i)))
        }));
    }
    for r in roles {
        let name = r.name.v.as_str();
        for (i, a) in r.appointments.iter().enumerate() {
            if let Some(by) = &a.by {
                out.push(Reference::of(by, RefKind::Person, At::Appointed(name, i)));
            }
        }
    }
}

fn namnd_set<'a>(out: &mut Vec<Reference<'a>>, set: Option<&'a Sp<NamndSet>>, key: &'static str) {
    if let Some(Sp {
        v: NamndSet::List(list),
        ..
    }) = set
    {
        out.extend(
            list.iter()
                .enumerate()
                .map(|(i, n)| Reference::of(n, RefKind::Namnd, At::Item(key, i))),
        );
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
