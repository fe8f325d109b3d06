//! Roles (M §4, §4.1, §5): mandatory roles per category and per nämnd type
//! (single roles or `any-of` groups, each with its own severity and
//! selector), vacant roles, roles a category does not have, cardinality,
//! and who may hold a role (`roles/holder`).

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::index::Ref;
use crate::catalog::{Entity, Head, Namnd, Person, RoleAssignment, Sp, SpStr, System};
use crate::diagnostic::{Diagnostic, Msg, Severity};
use crate::load::Span;
use crate::model::{Holder, Mandatory, Model, SevSpec};

use super::kind::{Cx, Kind, ParamError, Rule};
use super::select::{when_namnd, when_system};
use super::Ctx;

/// Whether `role` belongs to the system's category. A role that does not
/// is `roles/not-applicable`'s finding alone: the other role rules skip it
/// (one fault, one diagnostic).
fn applies(cx: &Cx, s: &System, role: &str) -> bool {
    let Some(cat) = s.category.as_ref().and_then(|c| cx.model.category(&c.v)) else {
        return true;
    };
    !cat.not_applicable.iter().any(|x| x == role) && cat.knows(role)
}

/// The severity of a requirement for an entity in `status` (None: the
/// rule's own).
fn requirement_severity(model: &Model, m: &Mandatory, status: Option<&str>) -> Option<Severity> {
    match &m.severity {
        None => None,
        Some(SevSpec::One(s)) => Some(*s),
        Some(SevSpec::ByStatus(map)) => map
            .iter()
            .rfind(|(from, _)| status.is_some_and(|st| model.status_reached(st, from)))
            .map(|(_, s)| *s),
    }
}

/// A requirement's finding, if no role of it is held.
fn unmet(
    name: &str,
    m: &Mandatory,
    roles: &[RoleAssignment],
    of: &str,
    namnd_type: bool,
) -> Option<Msg> {
    let held = |r: &str| roles.iter().any(|x| x.name.v == r && !x.holders.is_empty());
    if m.any_of.is_empty() {
        if held(name) {
            return None;
        }
        return Some(if namnd_type {
            Msg::RoleMissingForNamndType {
                role: name.to_string(),
                namnd_type: of.to_string(),
            }
        } else {
            Msg::RoleMissing {
                role: name.to_string(),
                category: of.to_string(),
            }
        });
    }
    if m.any_of.iter().any(|r| held(r)) {
        return None;
    }
    Some(Msg::RoleGroupMissing {
        roles: m.any_of.clone(),
        of: of.to_string(),
        namnd_type,
    })
}

/// `roles/mandatory`: the category's (or the nämnd type's) mandatory roles.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MandatoryRoles {}

impl Kind for MandatoryRoles {}

/// The mandatory-role requirements of a system's category that are due and
/// unmet: (requirement name, its severity if it has its own, the finding).
/// `roles/mandatory` reports them; the yearly report lists them.
pub fn unmet_requirements<'m>(ctx: &Ctx<'m>, s: &System) -> Vec<(&'m str, Option<Severity>, Msg)> {
    let Some(cat_id) = &s.category else {
        return Vec::new();
    };
    let Some(cat) = ctx.model.category(&cat_id.v) else {
        return Vec::new();
    };
    let status = s.status.as_ref().map(|x| x.v.as_str());
    cat.mandatory
        .iter()
        .filter(|(_, m)| {
            m.start().is_none_or(|from| ctx.reached(s, from)) && when_system(ctx, s, &m.when)
        })
        .filter_map(|(name, m)| {
            let msg = unmet(name, m, &s.roles, &cat_id.v, false)?;
            Some((
                name.as_str(),
                requirement_severity(ctx.model, m, status),
                msg,
            ))
        })
        .collect()
}

impl Rule for MandatoryRoles {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let Some(cat_id) = &s.category else { return };
        for (name, sev, msg) in unmet_requirements(cx, s) {
            let span = s.roles_key.unwrap_or(cat_id.key);
            let mut d = cx.diag(&s.head, span, format!("roles.{name}"), msg);
            if let Some(sev) = sev {
                d = d.severity_hint(sev);
            }
            out.push(d);
        }
    }

    fn namnd(&self, cx: &Cx, n: &Namnd, out: &mut Vec<Diagnostic>) {
        let Some(t) = &n.typ else { return };
        let Some(nt) = cx.model.namnd_types.get(t.v.as_str()) else {
            return;
        };
        for (name, m) in &nt.mandatory {
            if !when_namnd(cx, n, &m.when) {
                continue;
            }
            if let Some(msg) = unmet(name, m, &n.roles, &t.v, true) {
                let span = n.roles_key.unwrap_or(t.key);
                let mut d = cx.diag(&n.head, span, format!("roles.{name}"), msg);
                if let Some(sev) = requirement_severity(cx.model, m, None) {
                    d = d.severity_hint(sev);
                }
                out.push(d);
            }
        }
    }
}

/// `roles/vacant`: a role holder has left.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Vacant {}

impl Kind for Vacant {}

impl Rule for Vacant {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        vacant(cx, &s.head, &s.roles, out);
    }
    fn namnd(&self, cx: &Cx, n: &Namnd, out: &mut Vec<Diagnostic>) {
        vacant(cx, &n.head, &n.roles, out);
    }
}

fn vacant(cx: &Cx, head: &Head, roles: &[RoleAssignment], out: &mut Vec<Diagnostic>) {
    for (r, h, p, left) in departed_holders(cx, roles) {
        out.push(
            cx.diag(
                head,
                h.span,
                format!("roles.{}", r.name.v),
                Msg::RoleVacant {
                    role: r.name.v.to_string(),
                    person: h.v.to_string(),
                    left_on: left.v.to_string(),
                },
            )
            .related(
                p.head.file,
                left.span,
                Msg::PersonLeftOn {
                    date: left.v.to_string(),
                },
            ),
        );
    }
}

/// Each holder of a role in `roles` that the model gives to a person, who
/// had left by the run's date: (the role, the holder as written, the
/// person, the day they left). The fact behind `roles/vacant` and the
/// yearly report's roles section. Holders are looked up among the persons
/// who have left ([`Ctx::departed`]), so a catalog where nobody has left
/// costs nothing here.
pub fn departed_holders<'r, 'a: 'r>(
    ctx: &'r Ctx<'a>,
    roles: &'r [RoleAssignment],
) -> impl Iterator<
    Item = (
        &'r RoleAssignment,
        &'r SpStr,
        &'a Person,
        &'a Sp<chrono::NaiveDate>,
    ),
> + 'r {
    let departed = ctx.departed();
    roles
        .iter()
        .take(if departed.is_empty() { 0 } else { roles.len() })
        .filter(move |r| {
            ctx.model.roles.get(r.name.v.as_str()).map(|x| x.holder) == Some(Holder::Person)
        })
        .flat_map(move |r| {
            r.holders.iter().filter_map(move |h| {
                let p = ctx.ix.persons.get(*departed.get(h.v.as_str())?)?;
                Some((r, h, *p, p.left_on.as_ref()?))
            })
        })
}

/// `roles/not-applicable`: a role the system's category excludes or does
/// not know.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NotApplicable {}

impl Kind for NotApplicable {}

impl Rule for NotApplicable {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let Some(cat_id) = &s.category else { return };
        let Some(cat) = cx.model.category(&cat_id.v) else {
            return;
        };
        for r in &s.roles {
            let name = r.name.v.as_str();
            if !cx.model.roles.contains_key(name) {
                continue; // ref/unknown
            }
            let msg = if cat.not_applicable.iter().any(|x| x == name) {
                Msg::RoleNotApplicable {
                    role: name.to_string(),
                    category: cat_id.v.to_string(),
                }
            } else if !cat.knows(name) {
                Msg::RoleUnknownForCategory {
                    role: name.to_string(),
                    category: cat_id.v.to_string(),
                }
            } else {
                continue;
            };
            out.push(cx.diag(&s.head, r.name.span, format!("roles.{name}"), msg));
        }
    }
}

/// `roles/cardinality`: a single-holder role given several holders.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Cardinality {}

impl Kind for Cardinality {}

impl Rule for Cardinality {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let roles = s.roles.iter().filter(|r| applies(cx, s, &r.name.v));
        cardinality(cx, &s.head, roles, out);
    }
    fn namnd(&self, cx: &Cx, n: &Namnd, out: &mut Vec<Diagnostic>) {
        cardinality(cx, &n.head, n.roles.iter(), out);
    }
}

fn cardinality<'r>(
    cx: &Cx,
    head: &Head,
    roles: impl Iterator<Item = &'r RoleAssignment>,
    out: &mut Vec<Diagnostic>,
) {
    for r in roles {
        let single = cx
            .model
            .roles
            .get(r.name.v.as_str())
            .is_some_and(|x| x.single);
        if single && r.holders.len() > 1 {
            out.push(cx.diag(
                head,
                r.value_span,
                format!("roles.{}", r.name.v),
                Msg::RoleCardinality {
                    role: r.name.v.to_string(),
                    count: r.holders.len(),
                },
            ));
        }
    }
}

/// What a role holder (or appointer) must be. Every predicate given must
/// hold; the first that fails is the finding.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pred {
    /// The person has one of these titles.
    #[serde(default)]
    pub titles: Vec<String>,
    /// The person's title is a manager title.
    #[serde(default)]
    pub manager: bool,
    /// The person works at this organisation part (kind `unit`).
    #[serde(default)]
    pub unit: Option<String>,
    /// The person is employed in the förvaltning of one of these
    /// organisation parts (kind `namnd`).
    #[serde(default)]
    pub in_forvaltning_of: Vec<String>,
    /// The person is employed in the förvaltning of a nämnd that uses the
    /// system.
    #[serde(default)]
    pub in_user_forvaltning: bool,
    /// The holder is a nämnd.
    #[serde(default)]
    pub is_namnd: bool,
    /// The holder is a nämnd that uses the system.
    #[serde(default)]
    pub namnd_in_used_by: bool,
    /// The holder is the nämnd of one of these organisation parts.
    #[serde(default)]
    pub namnd_in_org_parts: Vec<String>,
    /// The holder is the nämnd of none of these organisation parts.
    #[serde(default)]
    pub namnd_not_in_org_parts: Vec<String>,
}

impl Pred {
    fn validate(&self, m: &Model, at: &[&str]) -> Result<(), ParamError> {
        let path = |k: &'static str| -> Vec<&str> { at.iter().copied().chain([k]).collect() };
        for t in &self.titles {
            if !m.titles.contains_key(t) {
                return Err(ParamError::unknown(
                    &path("titles"),
                    ("titel", "title"),
                    t,
                    m.titles.keys().map(String::as_str),
                ));
            }
        }
        let parts = self
            .unit
            .iter()
            .map(|u| ("unit", u))
            .chain(
                self.in_forvaltning_of
                    .iter()
                    .map(|p| ("in-forvaltning-of", p)),
            )
            .chain(
                self.namnd_in_org_parts
                    .iter()
                    .map(|p| ("namnd-in-org-parts", p)),
            )
            .chain(
                self.namnd_not_in_org_parts
                    .iter()
                    .map(|p| ("namnd-not-in-org-parts", p)),
            );
        for (k, part) in parts {
            if !m.organisation.contains_key(part) {
                return Err(ParamError::unknown(
                    &path(k),
                    ("organisationsdel", "organisation part"),
                    part,
                    m.organisation.keys().map(String::as_str),
                ));
            }
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        *self == Pred::default()
    }
}

/// `roles/holder`: who may hold `role` (or each of `roles`) — titles,
/// manager, unit, förvaltning, a nämnd, a using nämnd, organisation parts —
/// optionally per category, and who must have appointed the holder.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct HolderRule {
    /// The role checked.
    #[serde(default)]
    pub role: Option<String>,
    /// Several roles checked alike.
    #[serde(default)]
    pub roles: Vec<String>,
    /// What the holder must be.
    #[serde(default)]
    pub holder: Pred,
    /// What the holder must be in these categories, instead of `holder`.
    #[serde(default)]
    pub by_category: IndexMap<String, Pred>,
    /// What the person who appointed the holder (`appointed-by`) must be;
    /// a holder without `appointed-by` is a finding.
    #[serde(default)]
    pub appointer: Option<Pred>,
}

impl HolderRule {
    fn role_ids(&self) -> impl Iterator<Item = &str> {
        self.role
            .iter()
            .chain(self.roles.iter())
            .map(String::as_str)
    }
}

impl Kind for HolderRule {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        if self.role_ids().next().is_none() {
            return Err(ParamError::at(
                &[],
                "ange rollen som kontrolleras: `role` eller `roles`".into(),
                "name the role checked: `role` or `roles`".into(),
            ));
        }
        for r in self.role_ids() {
            if !m.roles.contains_key(r) {
                let path = if self.role.as_deref() == Some(r) {
                    "role"
                } else {
                    "roles"
                };
                return Err(ParamError::unknown(
                    &[path],
                    ("roll", "role"),
                    r,
                    m.roles.keys().map(String::as_str),
                ));
            }
        }
        self.holder.validate(m, &["holder"])?;
        for (cat, p) in &self.by_category {
            if !m.categories.contains_key(cat) {
                return Err(ParamError::unknown(
                    &["by-category"],
                    ("kategori", "category"),
                    cat,
                    m.categories.keys().map(String::as_str),
                ));
            }
            p.validate(m, &["by-category", cat])?;
        }
        if let Some(a) = &self.appointer {
            a.validate(m, &["appointer"])?;
        }
        if self.holder.is_empty() && self.by_category.is_empty() && self.appointer.is_none() {
            return Err(ParamError::at(
                &[],
                "regeln ställer inget krav: ange `holder`, `by-category` eller `appointer`".into(),
                "the rule requires nothing: give `holder`, `by-category` or `appointer`".into(),
            ));
        }
        Ok(())
    }
}

impl Rule for HolderRule {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let cat = s
            .category
            .as_ref()
            .map(|c| c.v.as_str())
            .unwrap_or_default();
        let pred = self.by_category.get(cat).unwrap_or(&self.holder);
        for role in self.role_ids() {
            if !applies(cx, s, role) {
                continue;
            }
            if let Some(r) = s.role(role) {
                check_holders(cx, self, pred, &s.head, r, Some(s), out);
            }
        }
    }

    fn namnd(&self, cx: &Cx, n: &Namnd, out: &mut Vec<Diagnostic>) {
        for role in self.role_ids() {
            if let Some(r) = n.role(role) {
                check_holders(cx, self, &self.holder, &n.head, r, None, out);
            }
        }
    }
}

fn check_holders(
    cx: &Cx,
    rule: &HolderRule,
    pred: &Pred,
    head: &Head,
    r: &RoleAssignment,
    system: Option<&System>,
    out: &mut Vec<Diagnostic>,
) {
    let role = r.name.v.as_str();
    let path = format!("roles.{role}");
    for (i, h) in r.holders.iter().enumerate() {
        if let Some((msg, related)) = failure(cx, pred, role, h, system) {
            let mut d = cx.diag(head, h.span, path.clone(), msg);
            if let Some((file, span, m)) = related {
                d = d.related(file, span, m);
            }
            out.push(d);
            continue;
        }
        let Some(ap) = &rule.appointer else { continue };
        let appointment = r.appointments.get(i);
        match appointment.and_then(|a| a.by.as_ref()) {
            None => out.push(cx.diag(
                head,
                h.span,
                path.clone(),
                Msg::AppointerMissing {
                    role: role.to_string(),
                    holder: h.v.to_string(),
                },
            )),
            Some(by) => {
                if let Some((inner, related)) = failure(cx, ap, role, by, system) {
                    let msg = match inner {
                        Msg::HolderTitle { title, allowed, .. } => Msg::AppointerTitle {
                            role: role.to_string(),
                            holder: h.v.to_string(),
                            appointer: by.v.to_string(),
                            title,
                            allowed,
                        },
                        other => Msg::AppointedBy {
                            role: role.to_string(),
                            holder: h.v.to_string(),
                            failure: Box::new(other),
                        },
                    };
                    let mut d = cx.diag(head, by.span, format!("{path}.appointed-by"), msg);
                    if let Some((file, span, m)) = related {
                        d = d.related(file, span, m);
                    }
                    out.push(d);
                }
            }
        }
    }
}

type Related = Option<(usize, Span, Msg)>;

/// The first predicate that `who` (a holder or appointer id) fails.
fn failure(
    cx: &Cx,
    p: &Pred,
    role: &str,
    who: &SpStr,
    system: Option<&System>,
) -> Option<(Msg, Related)> {
    let role_s = role.to_string();
    // Predicates on a nämnd holder.
    if p.is_namnd
        || p.namnd_in_used_by
        || !p.namnd_in_org_parts.is_empty()
        || !p.namnd_not_in_org_parts.is_empty()
    {
        let Some(n) = cx.ix.namnd(&who.v) else {
            // Not a nämnd: unknown ids are ref/unknown; a förvaltning or
            // another entity is this rule's finding.
            let by_id = cx.ix.by_id.get(who.v.as_str());
            let forvaltning = cx
                .ix
                .forvaltning
                .get(who.v.as_str())
                .and_then(|i| cx.ix.namnder.get(*i));
            let related = match (by_id, forvaltning) {
                (None, None) => return None,
                (Some(other), _) => entity_of(cx, other)
                    .map(|e| (e.head().file, e.head().id.span, Msg::DefinedHere)),
                (None, Some(n)) => n
                    .forvaltning
                    .as_ref()
                    .map(|f| (n.head.file, f.id.span, Msg::DefinedHere)),
            };
            return Some((
                Msg::HolderNotNamnd {
                    role: role_s,
                    value: who.v.to_string(),
                },
                related,
            ));
        };
        let id = n.head.id.v.as_str();
        if p.namnd_in_used_by {
            if let Some(s) = system {
                if !s.used_by.as_ref().is_some_and(|u| u.v.contains(id)) {
                    return Some((
                        Msg::HolderNamndNotUser {
                            role: role_s,
                            namnd: id.to_string(),
                        },
                        None,
                    ));
                }
            }
        }
        let is = |part: &String| cx.org_namnd(part) == Some(id);
        if !p.namnd_in_org_parts.is_empty() && !p.namnd_in_org_parts.iter().any(is) {
            let expected = p
                .namnd_in_org_parts
                .iter()
                .filter_map(|x| cx.org_namnd(x))
                .map(str::to_string)
                .collect();
            return Some((
                Msg::HolderNamndOrgPart {
                    role: role_s,
                    namnd: id.to_string(),
                    namnder: expected,
                    allowed: true,
                },
                None,
            ));
        }
        if p.namnd_not_in_org_parts.iter().any(is) {
            let expected = p
                .namnd_not_in_org_parts
                .iter()
                .filter_map(|x| cx.org_namnd(x))
                .map(str::to_string)
                .collect();
            return Some((
                Msg::HolderNamndOrgPart {
                    role: role_s,
                    namnd: id.to_string(),
                    namnder: expected,
                    allowed: false,
                },
                None,
            ));
        }
        return None;
    }
    // Predicates on a person.
    let person: &Person = cx.ix.person(&who.v)?;
    let title_related = person.title.as_ref().map(|t| {
        (
            person.head.file,
            t.span,
            Msg::TitleHere {
                title: t.v.to_string(),
            },
        )
    });
    if let Some(title) = &person.title {
        if !p.titles.is_empty() && !p.titles.iter().any(|s| s == title.v.as_str()) {
            return Some((
                Msg::HolderTitle {
                    role: role_s,
                    person: who.v.to_string(),
                    title: title.v.to_string(),
                    allowed: p.titles.clone(),
                },
                title_related,
            ));
        }
        if p.manager && !cx.model.is_manager(&title.v) {
            return Some((
                Msg::HolderNotManager {
                    role: role_s,
                    person: who.v.to_string(),
                    title: title.v.to_string(),
                },
                title_related,
            ));
        }
    }
    if let Some(unit) = &p.unit {
        if !cx.works_at_unit(person, unit) {
            let (f, u) = cx.config.org_unit(unit)?;
            // The related title span only where a title rule chose the unit.
            let related = if p.titles.is_empty() {
                None
            } else {
                title_related
            };
            return Some((
                Msg::HolderNotAtUnit {
                    role: role_s,
                    person: who.v.to_string(),
                    forvaltning: f.to_string(),
                    unit: u.to_string(),
                },
                related,
            ));
        }
    }
    if !p.in_forvaltning_of.is_empty() {
        let allowed: Vec<&str> = p
            .in_forvaltning_of
            .iter()
            .filter_map(|x| cx.org_namnd(x))
            .collect();
        if allowed.is_empty() {
            return None; // organisation not configured: config/invalid says so
        }
        let forv = person.forvaltning.as_ref()?;
        let n = cx.ix.namnd_of_person(person)?;
        if !allowed.contains(&n.head.id.v.as_str()) {
            return Some((
                Msg::HolderNotInForvaltning {
                    role: role_s,
                    person: who.v.to_string(),
                    forvaltning: forv.v.to_string(),
                    namnder: allowed.iter().map(|x| x.to_string()).collect(),
                },
                Some((person.head.file, forv.span, Msg::DefinedHere)),
            ));
        }
    }
    if p.in_user_forvaltning {
        if let (Some(s), Some(forv)) = (system, &person.forvaltning) {
            let n = cx.ix.namnd_of_person(person)?;
            let users = s.used_by.as_ref()?;
            if !users.v.contains(&n.head.id.v) {
                return Some((
                    Msg::HolderNotInUserForvaltning {
                        role: role_s,
                        person: who.v.to_string(),
                        forvaltning: forv.v.to_string(),
                    },
                    Some((person.head.file, forv.span, Msg::DefinedHere)),
                ));
            }
        }
    }
    None
}

fn entity_of<'a>(cx: &Cx<'_, 'a>, r: Ref) -> Option<&'a Entity> {
    let ix = cx.ix;
    let ei = match r {
        Ref::Namnd(i) => ix.namnd_entity.get(i),
        Ref::Person(i) => ix.person_entity.get(i),
        Ref::System(i) => ix.system_entity.get(i),
        Ref::Avtal(i) => ix.avtal_entity.get(i),
        Ref::Behandling(i) => ix.behandling_entity.get(i),
    }?;
    cx.cat.entities.get(*ei)
}

/// Format 1 kinds that are now instances of `roles/holder`: each reads its
/// old parameters and builds the equivalent `HolderRule`.
pub mod legacy {
    use super::*;
    use crate::check::kind::{build, Built};
    use serde_json::{json, Map, Value as Json};

    fn as_holder(params: Json, model: &Model) -> Result<Built, ParamError> {
        match params {
            Json::Object(m) => build::<HolderRule>(&m, model),
            _ => Err(ParamError::at(
                &[],
                "fel parametrar".into(),
                "bad parameters".into(),
            )),
        }
    }

    fn take(params: &Map<String, Json>, allowed: &[&str]) -> Result<(), ParamError> {
        for k in params.keys() {
            if !allowed.contains(&k.as_str()) {
                let hint = crate::suggest::closest(k, allowed.iter().copied());
                let list = allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let (hs, he) = match hint {
                    Some(h) => (
                        format!(" – menade du `{h}`?"),
                        format!(" – did you mean `{h}`?"),
                    ),
                    None => (format!("; tillåtna: {list}"), format!("; allowed: {list}")),
                };
                let mut e = ParamError::at(
                    &[k],
                    format!("okänd parameter `{k}`{hs}"),
                    format!("unknown parameter `{k}`{he}"),
                );
                e.at_key = true;
                return Err(e);
            }
        }
        Ok(())
    }

    /// `roles/owner-title` {role, titles, by-category}.
    pub fn owner_title(p: &Map<String, Json>, m: &Model) -> Result<Built, ParamError> {
        take(p, &["role", "titles", "by-category"])?;
        as_holder(
            json!({"role": p.get("role"), "holder": {"titles": p.get("titles").cloned().unwrap_or(json!([]))},
                   "by-category": p.get("by-category").cloned().unwrap_or(json!({}))}),
            m,
        )
    }

    /// `roles/budget-manager` {role}.
    pub fn budget_manager(p: &Map<String, Json>, m: &Model) -> Result<Built, ParamError> {
        take(p, &["role"])?;
        as_holder(
            json!({"role": p.get("role"), "holder": {"manager": true}}),
            m,
        )
    }

    /// `roles/digitalt-center` {roles, unit}.
    pub fn digitalt_center(p: &Map<String, Json>, m: &Model) -> Result<Built, ParamError> {
        take(p, &["roles", "unit"])?;
        as_holder(
            json!({"roles": p.get("roles"), "holder": {"unit": p.get("unit")}}),
            m,
        )
    }

    /// `roles/informationsagare` {}: every role the model gives to a nämnd.
    pub fn informationsagare(p: &Map<String, Json>, m: &Model) -> Result<Built, ParamError> {
        take(p, &[])?;
        let roles: Vec<&String> = m
            .roles
            .iter()
            .filter(|(_, r)| r.holder == Holder::Namnd)
            .map(|(k, _)| k)
            .collect();
        if roles.is_empty() {
            return build::<crate::check::kind::Noop>(&Map::new(), m);
        }
        as_holder(json!({"roles": roles, "holder": {"is-namnd": true}}), m)
    }

    /// `scope/kommungemensam-owner` {roles, organisations} (its `scope` is
    /// the selector's).
    pub fn kommungemensam_owner(p: &Map<String, Json>, m: &Model) -> Result<Built, ParamError> {
        take(p, &["roles", "organisations"])?;
        as_holder(
            json!({"roles": p.get("roles"), "holder": {"in-forvaltning-of": p.get("organisations")}}),
            m,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::findings;
    use super::super::testkit::model;

    fn vacant_model() -> crate::model::Model {
        model("rules:\n  t/vacant:\n    kind: roles/vacant\n    severity: error\n    source: T\n")
    }

    fn person(id: &str, left: Option<&str>) -> String {
        let left = left.map(|d| format!("left-on: {d}\n")).unwrap_or_default();
        format!("kind: person\nid: {id}\nname: P\n{left}")
    }

    /// `roles/vacant` reads the persons who had left by the run's date
    /// ([`super::Ctx::departed`]); each case here is one way a holder is
    /// or is not such a person.
    #[test]
    fn a_holder_who_left_before_the_date_makes_the_role_vacant() {
        let m = vacant_model();
        let system = "kind: system\nid: s\nname: S\ncategory: lokal\nused-by: all\nlifecycle:\n  status: i-drift\nroles:\n  systemansvarig: [kvar, slutat, slutar-senare, dubbel, okand]\n  systemagare: slutat\n";
        let files = [
            ("system/s.yaml", system),
            ("personer/kvar.yaml", &*person("kvar", None)),
            (
                "personer/slutat.yaml",
                &*person("slutat", Some("2026-01-31")),
            ),
            (
                "personer/slutar-senare.yaml",
                &*person("slutar-senare", Some("2026-05-01")),
            ),
            // Two persons with one id: the id names the first, who stays.
            ("personer/dubbel.yaml", &*person("dubbel", None)),
            (
                "personer/dubbel-2.yaml",
                &*person("dubbel", Some("2025-01-01")),
            ),
        ];
        let got: Vec<String> = findings(&m, &files, "2026-05-01")
            .into_iter()
            .filter(|f| f.starts_with("t/vacant"))
            .collect();
        // `slutar-senare` leaves on the date itself: not yet gone. The
        // system owner is a nämnd's role in this model, so a person named
        // there is not this rule's finding.
        assert_eq!(
            got,
            ["t/vacant system/s.yaml:9 role `systemansvarig` (Systemansvarig) is held by `slutat`, who left on 2026-01-31; the role is vacant"]
        );
    }
}
