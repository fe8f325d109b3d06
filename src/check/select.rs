//! Evaluating `applies-to` against typed entities. The selector keys of
//! one entity kind apply to that kind: categories, scopes and lifecycle keys
//! to systems (and, for agreement rules, to the systems an agreement covers:
//! [`super::kind::Cx::selects`]); nämnd types and organisation parts to
//! nämnder; avtal types to agreements; `when:` to the entity checked.

use serde_json::Value as Json;

use crate::catalog::facts::{self, Fact};
use crate::catalog::{Avtal, Behandling, Head, Namnd, Person, System};
use crate::model::selector::Cond;
use crate::model::{AppliesTo, EntityKind, Model};

use super::Ctx;

/// `applies-to`, with its conditions parsed.
#[derive(Clone, Debug, Default)]
pub struct Selector {
    pub entity: Option<EntityKind>,
    pub categories: Option<Vec<String>>,
    pub not_categories: Vec<String>,
    pub scopes: Option<Vec<String>>,
    pub from: Option<String>,
    pub until: Option<String>,
    pub statuses: Option<Vec<String>>,
    pub namnd_types: Option<Vec<String>>,
    pub avtal_types: Option<Vec<String>>,
    pub org_parts: Option<Vec<String>>,
    pub not_org_parts: Vec<String>,
    pub when: Vec<(String, Cond)>,
}

impl Selector {
    /// Compiles a validated `applies-to` (conditions that do not parse were
    /// rejected when the model loaded; here they are dropped).
    pub fn new(a: &AppliesTo) -> Selector {
        Selector {
            entity: a.entity,
            categories: a.categories.clone(),
            not_categories: a.not_categories.clone(),
            scopes: a.scopes.clone(),
            from: a.from.clone(),
            until: a.until.clone(),
            statuses: a.statuses.clone(),
            namnd_types: a.namnd_types.clone(),
            avtal_types: a.avtal_types.clone(),
            org_parts: a.org_parts.clone(),
            not_org_parts: a.not_org_parts.clone(),
            when: a
                .when
                .iter()
                .filter_map(|(k, v)| Cond::parse(v).ok().map(|c| (k.clone(), c)))
                .collect(),
        }
    }

    /// The system keys: category, scope, lifecycle.
    pub fn system_keys(&self, model: &Model, s: &System) -> bool {
        let cat = s.category.as_ref().map(|c| c.v.as_str());
        if let Some(list) = &self.categories {
            if !cat.is_some_and(|c| list.iter().any(|x| x == c)) {
                return false;
            }
        }
        if cat.is_some_and(|c| self.not_categories.iter().any(|x| x == c)) {
            return false;
        }
        if let Some(list) = &self.scopes {
            if !s
                .scope
                .as_ref()
                .is_some_and(|x| list.iter().any(|s| s == x.v.as_str()))
            {
                return false;
            }
        }
        if self.from.is_some() || self.until.is_some() || self.statuses.is_some() {
            let Some(status) = s.status.as_ref().map(|x| x.v.as_str()) else {
                return false;
            };
            if let Some(from) = &self.from {
                if !model.status_reached(status, from) {
                    return false;
                }
            }
            if let Some(until) = &self.until {
                if !model.status_reached(until, status) {
                    return false;
                }
            }
            if let Some(list) = &self.statuses {
                if !list.iter().any(|x| x == status) {
                    return false;
                }
            }
        }
        true
    }

    pub fn system(&self, ctx: &Ctx, s: &System) -> bool {
        self.system_keys(ctx.model, s)
            && self.conditions(|f| facts::system(ctx.ix, ctx.model, s, f))
    }

    pub fn namnd(&self, ctx: &Ctx, n: &Namnd) -> bool {
        if let Some(list) = &self.namnd_types {
            if !n
                .typ
                .as_ref()
                .is_some_and(|t| list.iter().any(|s| s == t.v.as_str()))
            {
                return false;
            }
        }
        let is_part = |part: &String| ctx.org_namnd(part) == Some(n.head.id.v.as_str());
        if let Some(list) = &self.org_parts {
            if !list.iter().any(is_part) {
                return false;
            }
        }
        if self.not_org_parts.iter().any(is_part) {
            return false;
        }
        self.conditions(|f| facts::namnd(ctx.model, n, f))
    }

    pub fn avtal(&self, ctx: &Ctx, a: &Avtal) -> bool {
        if let Some(list) = &self.avtal_types {
            if !a
                .typ
                .as_ref()
                .is_some_and(|t| list.iter().any(|s| s == t.v.as_str()))
            {
                return false;
            }
        }
        self.conditions(|f| {
            facts::head(ctx.model, EntityKind::Avtal, &a.head, f).or_else(|| facts::avtal(a, f))
        })
    }

    pub fn person(&self, ctx: &Ctx, p: &Person) -> bool {
        self.conditions(|f| {
            facts::head(ctx.model, EntityKind::Person, &p.head, f).or_else(|| facts::person(p, f))
        })
    }

    pub fn behandling(&self, ctx: &Ctx, b: &Behandling) -> bool {
        self.conditions(|f| facts::head(ctx.model, EntityKind::Behandling, &b.head, f))
    }

    fn conditions<'f>(&self, fact: impl Fn(&str) -> Option<Fact<'f>>) -> bool {
        self.when.iter().all(|(name, cond)| holds(cond, fact(name)))
    }
}

/// Whether a condition holds for a fact's value (`None`: absent).
pub fn holds(cond: &Cond, fact: Option<Fact>) -> bool {
    match cond {
        Cond::Present(want) => fact.is_some() == *want,
        Cond::In(values) => fact.is_some_and(|f| values.iter().any(|v| f.equals(v))),
        Cond::NotIn(values) => !fact.is_some_and(|f| values.iter().any(|v| f.equals(v))),
        Cond::Range { min, max } => match fact {
            Some(Fact::Int(i)) => min.is_none_or(|m| i >= m) && max.is_none_or(|m| i <= m),
            _ => false,
        },
    }
}

/// Whether a `when:` map (a mandatory role's) holds for a system.
pub fn when_system(ctx: &Ctx, s: &System, when: &indexmap::IndexMap<String, Json>) -> bool {
    when.iter().all(|(name, v)| {
        Cond::parse(v).is_ok_and(|c| holds(&c, facts::system(ctx.ix, ctx.model, s, name)))
    })
}

/// Whether a `when:` map holds for a nämnd.
pub fn when_namnd(ctx: &Ctx, n: &Namnd, when: &indexmap::IndexMap<String, Json>) -> bool {
    when.iter()
        .all(|(name, v)| Cond::parse(v).is_ok_and(|c| holds(&c, facts::namnd(ctx.model, n, name))))
}

/// The head of the entity a fact is about (for callers holding only a head).
pub fn head_fact<'h>(
    model: &Model,
    kind: EntityKind,
    head: &'h Head,
    name: &str,
) -> Option<Fact<'h>> {
    facts::head(model, kind, head, name)
}
