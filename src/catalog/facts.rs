//! The questions every consumer asks of the catalog — the rules, the yearly
//! report, `kdl list`, an editor server: the value of a named fact, whether
//! a system needs its yearly documents, which agreements are valid on a
//! date, who holds a role. One definition each, so that lint and report
//! never disagree.

use chrono::{Datelike, NaiveDate};
use serde_json::Value as Json;

use super::entity::{AttrValue, Avtal, Head, Namnd, NamndSet, Person, SpStr, System};
use super::Index;
use crate::load::Span;
use crate::model::{EntityKind, Model};

/// The value of a named fact.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact<'a> {
    Bool(bool),
    Int(i64),
    Str(&'a str),
    /// A list attribute: a condition holds when any item does.
    List(Vec<&'a str>),
}

impl Fact<'_> {
    /// Equality with a condition's value.
    pub fn equals(&self, v: &Json) -> bool {
        match (self, v) {
            (Fact::Bool(a), Json::Bool(b)) => a == b,
            (Fact::Int(a), Json::Number(b)) => b.as_i64() == Some(*a),
            (Fact::Str(a), Json::String(b)) => a == b,
            (Fact::List(items), Json::String(b)) => items.iter().any(|i| i == b),
            _ => false,
        }
    }
}

/// `attributes.<name>` of any entity.
pub fn head<'a>(model: &Model, kind: EntityKind, h: &'a Head, name: &str) -> Option<Fact<'a>> {
    let attr = name.strip_prefix("attributes.")?;
    model.attribute(kind, attr)?;
    let a = h.attributes.iter().find(|a| a.name.v == attr)?;
    Some(match &a.value.v {
        AttrValue::Str(s) => Fact::Str(s),
        AttrValue::Bool(b) => Fact::Bool(*b),
        AttrValue::Int(i) => Fact::Int(*i),
        AttrValue::List(items) => Fact::List(items.iter().map(|i| i.v.as_str()).collect()),
    })
}

/// A named fact of a system (`model::selector::FACTS`).
pub fn system<'a>(ix: &Index, model: &Model, s: &'a System, name: &str) -> Option<Fact<'a>> {
    let str_of = |x: &'a Option<super::SpStr>| x.as_ref().map(|v| Fact::Str(v.v.as_str()));
    match name {
        "category" => str_of(&s.category),
        "scope" => str_of(&s.scope),
        "status" => str_of(&s.status),
        "stodprocess" => str_of(&s.stodprocess),
        "supplier" => str_of(&s.supplier),
        "fee" => Some(Fact::Bool(s.fee)),
        // The catalog format's default hosting is extern.
        "hosting" => Some(Fact::Str(
            s.hosting.as_ref().map_or("extern", |h| h.v.as_str()),
        )),
        "processed" => s.processed().map(Fact::Bool),
        "sensitive" => s
            .personal_data
            .as_ref()
            .and_then(|p| p.sensitive)
            .map(Fact::Bool),
        "storage" => s
            .personal_data
            .as_ref()
            .and_then(|p| p.storage.as_ref())
            .map(|x| Fact::Str(x.v.as_str())),
        "used-by.count" => s.used_by.as_ref().map(|u| {
            Fact::Int(match &u.v {
                NamndSet::All => ix.namnder.len() as i64,
                NamndSet::List(l) => l.len() as i64,
            })
        }),
        "used-by.all" => s
            .used_by
            .as_ref()
            .map(|u| Fact::Bool(matches!(u.v, NamndSet::All))),
        other => head(model, EntityKind::System, &s.head, other),
    }
}

pub fn namnd<'a>(model: &Model, n: &'a Namnd, name: &str) -> Option<Fact<'a>> {
    match name {
        "type" => n.typ.as_ref().map(|t| Fact::Str(t.v.as_str())),
        other => head(model, EntityKind::Namnd, &n.head, other),
    }
}

pub fn avtal<'a>(a: &'a Avtal, name: &str) -> Option<Fact<'a>> {
    match name {
        "type" => a.typ.as_ref().map(|t| Fact::Str(t.v.as_str())),
        _ => None,
    }
}

pub fn person<'a>(p: &'a Person, name: &str) -> Option<Fact<'a>> {
    match name {
        "title" => p.title.as_ref().map(|t| Fact::Str(t.v.as_str())),
        _ => None,
    }
}

/// Whether `s` needs the yearly documents (plan, report) for `year`: in
/// status `from` or later on 1 January of that year. A system now past
/// `from` is taken to have passed through it before; one in `from` itself
/// only if it got there by 1 January. No `from`: from the first status on.
/// The rules and the yearly report both ask this.
pub fn needs_yearly_documents(model: &Model, s: &System, from: Option<&str>, year: i32) -> bool {
    let Some(status) = s.status.as_ref().map(|x| x.v.as_str()) else {
        return false;
    };
    let Some(from) = from else { return true };
    if !model.status_reached(status, from) {
        return false;
    }
    if status != from {
        return true;
    }
    match &s.since {
        Some(since) => NaiveDate::from_ymd_opt(year, 1, 1).is_some_and(|jan1| since.v <= jan1),
        None => true,
    }
}

/// The agreements of the given types that cover `system` and are valid on
/// `date`.
pub fn valid_agreements<'a>(
    ix: &'a Index,
    system: &'a str,
    types: &'a [String],
    date: NaiveDate,
) -> impl Iterator<Item = &'a Avtal> + 'a {
    ix.agreements(system)
        .filter(move |a| types.iter().any(|t| a.type_is(t)) && a.valid_on(date))
}

/// The persons holding `role` on `s` (unknown holders are skipped: they are
/// `ref/unknown`).
pub fn person_holders<'a>(
    ix: &'a Index,
    s: &'a System,
    role: &'a str,
) -> impl Iterator<Item = &'a Person> + 'a {
    s.holders(role).filter_map(|h| ix.person(&h.v))
}

/// The year an evaluation date's yearly documents belong to.
pub fn year_of(date: NaiveDate) -> i32 {
    date.year()
}

/// Any entity, borrowed: what the generic rule kinds (`require/*`,
/// `unique/*`) and an editor server need to ask one question of whatever
/// entity they hold.
#[derive(Clone, Copy, Debug)]
pub enum EntityRef<'a> {
    System(&'a System),
    Namnd(&'a Namnd),
    Avtal(&'a Avtal),
    Person(&'a Person),
    Behandling(&'a super::entity::Behandling),
}

impl<'a> EntityRef<'a> {
    pub fn head(self) -> &'a Head {
        match self {
            EntityRef::System(x) => &x.head,
            EntityRef::Namnd(x) => &x.head,
            EntityRef::Avtal(x) => &x.head,
            EntityRef::Person(x) => &x.head,
            EntityRef::Behandling(x) => &x.head,
        }
    }

    pub fn kind(self) -> EntityKind {
        match self {
            EntityRef::System(_) => EntityKind::System,
            EntityRef::Namnd(_) => EntityKind::Namnd,
            EntityRef::Avtal(_) => EntityKind::Avtal,
            EntityRef::Person(_) => EntityKind::Person,
            EntityRef::Behandling(_) => EntityKind::Behandling,
        }
    }

    /// The value of a named fact (as `applies-to.when` reads it).
    pub fn fact(self, ix: &Index, model: &Model, name: &str) -> Option<Fact<'a>> {
        match self {
            EntityRef::System(s) => system(ix, model, s, name),
            EntityRef::Namnd(n) => namnd(model, n, name),
            EntityRef::Avtal(a) => {
                head(model, EntityKind::Avtal, &a.head, name).or_else(|| avtal(a, name))
            }
            EntityRef::Person(p) => {
                head(model, EntityKind::Person, &p.head, name).or_else(|| person(p, name))
            }
            EntityRef::Behandling(b) => head(model, EntityKind::Behandling, &b.head, name),
        }
    }

    /// The span of a fact's value, when the fact is written in the file.
    pub fn fact_span(self, name: &str) -> Option<Span> {
        match self {
            EntityRef::System(s) => system_span(s, name),
            EntityRef::Namnd(n) => match name {
                "type" => n.typ.as_ref().map(|t| t.span),
                other => head_span(&n.head, other),
            },
            EntityRef::Avtal(a) => match name {
                "type" => a.typ.as_ref().map(|t| t.span),
                other => head_span(&a.head, other),
            },
            EntityRef::Person(p) => match name {
                "title" => p.title.as_ref().map(|t| t.span),
                other => head_span(&p.head, other),
            },
            EntityRef::Behandling(b) => head_span(&b.head, name),
        }
    }

    /// Where a finding about a fact points: the value when it is written,
    /// else the key of what would hold it (`attributes:`,
    /// `personal-data:`), else `id:`.
    pub fn fact_anchor(self, name: &str) -> Span {
        if let Some(s) = self.fact_span(name) {
            return s;
        }
        let h = self.head();
        let parent = match (self, name) {
            (_, n) if n.starts_with("attributes.") => h.attributes_key,
            (EntityRef::System(s), "sensitive" | "storage" | "processed") => {
                s.personal_data.as_ref().map(|p| p.key)
            }
            _ => None,
        };
        parent.unwrap_or(h.id.key)
    }

    /// The holders of a role on the entity (systems and nämnder hold roles).
    pub fn role_holders(self, role: &str) -> &'a [SpStr] {
        let r = match self {
            EntityRef::System(s) => s.role(role),
            EntityRef::Namnd(n) => n.role(role),
            _ => None,
        };
        r.map_or(&[], |r| r.holders.as_slice())
    }

    /// `used-by` of a system.
    pub fn used_by(self) -> Option<&'a super::Sp<NamndSet>> {
        match self {
            EntityRef::System(s) => s.used_by.as_ref(),
            _ => None,
        }
    }
}

/// The span of the value of a system's named fact (`category` → the
/// category's value, `attributes.funktion` → that attribute's value …), or
/// `None` when the file does not write it. `fee` and `hosting` have
/// defaults: absent, they have no span.
pub fn system_span(s: &System, name: &str) -> Option<Span> {
    let sp = |x: &Option<SpStr>| x.as_ref().map(|v| v.span);
    match name {
        "category" => sp(&s.category),
        "scope" => sp(&s.scope),
        "status" => sp(&s.status),
        "stodprocess" => sp(&s.stodprocess),
        "supplier" => sp(&s.supplier),
        "fee" => s.fee_span,
        "hosting" => sp(&s.hosting),
        "processed" => s
            .personal_data
            .as_ref()
            .and_then(|p| p.processed.as_ref())
            .map(|p| p.span),
        "storage" => s.personal_data.as_ref().and_then(|p| sp(&p.storage)),
        "used-by" | "used-by.count" | "used-by.all" => s.used_by.as_ref().map(|u| u.span),
        other => head_span(&s.head, other),
    }
}

/// The span of `attributes.<name>`'s value on any entity.
pub fn head_span(h: &Head, name: &str) -> Option<Span> {
    let attr = name.strip_prefix("attributes.")?;
    h.attribute(attr).map(|a| a.value.span)
}
