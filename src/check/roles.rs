//! Roles (M §4, §4.1, §5): mandatory roles per category, vacant roles,
//! roles a category does not have, cardinality, who may hold a role.

use crate::catalog::index::Ref;
use crate::catalog::{Entity, System};
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::Holder;

use super::Ctx;

pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    mandatory(ctx, s, out);
    vacant(ctx, s, out);
    not_applicable(ctx, s, out);
    cardinality(ctx, s, out);
    owner_title(ctx, s, out);
    budget_manager(ctx, s, out);
    digitalt_center(ctx, s, out);
    informationsagare(ctx, s, out);
}

/// Whether a mandatory role's `when` conditions hold for the system.
fn conditions_hold(s: &System, when: &serde_json::Map<String, serde_json::Value>) -> bool {
    when.iter().all(|(field, want)| match field.as_str() {
        "fee" => want.as_bool() == Some(s.fee),
        "hosting" => want.as_str() == Some(s.hosting.as_ref().map_or("extern", |h| h.v.as_str())),
        "scope" => want.as_str() == s.scope.as_ref().map(|x| x.v.as_str()),
        _ => false,
    })
}

/// Whether `role` belongs to the system's category. A role that does not
/// is `roles/not-applicable`'s finding alone: the other role rules skip it
/// (one fault, one diagnostic).
fn applies(ctx: &Ctx, s: &System, role: &str) -> bool {
    let Some(cat) = s.category.as_ref().and_then(|c| ctx.model.category(&c.v)) else {
        return true;
    };
    !cat.not_applicable.iter().any(|x| x == role)
        && (cat.mandatory.contains_key(role) || cat.optional.iter().any(|x| x == role))
}

fn mandatory(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("roles/mandatory").is_none() {
        return;
    }
    let Some(cat_id) = &s.category else { return };
    let Some(cat) = ctx.model.category(&cat_id.v) else {
        return;
    };
    for (role, m) in &cat.mandatory {
        if !ctx.reached(s, &m.from) || !conditions_hold(s, &m.when) {
            continue;
        }
        let held = s.role(role).is_some_and(|r| !r.holders.is_empty());
        if !held {
            let span = s.roles_key.unwrap_or(cat_id.key);
            out.push(ctx.diag(
                "roles/mandatory",
                &s.head,
                span,
                format!("roles.{role}"),
                Msg::RoleMissing {
                    role: role.clone(),
                    category: cat_id.v.clone(),
                },
            ));
        }
    }
}

fn vacant(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("roles/vacant").is_none() {
        return;
    }
    for r in &s.roles {
        if ctx.model.roles.get(&r.name.v).map(|x| x.holder) != Some(Holder::Person) {
            continue;
        }
        for h in &r.holders {
            let Some(p) = ctx.ix.person(&h.v) else {
                continue;
            };
            let Some(left) = &p.left_on else { continue };
            if left.v < ctx.as_of {
                out.push(
                    ctx.diag(
                        "roles/vacant",
                        &s.head,
                        h.span,
                        format!("roles.{}", r.name.v),
                        Msg::RoleVacant {
                            role: r.name.v.clone(),
                            person: h.v.clone(),
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
    }
}

fn not_applicable(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("roles/not-applicable").is_none() {
        return;
    }
    let Some(cat_id) = &s.category else { return };
    let Some(cat) = ctx.model.category(&cat_id.v) else {
        return;
    };
    for r in &s.roles {
        let name = r.name.v.as_str();
        if !ctx.model.roles.contains_key(name) {
            continue; // ref/unknown
        }
        let msg = if cat.not_applicable.iter().any(|x| x == name) {
            Msg::RoleNotApplicable {
                role: name.to_string(),
                category: cat_id.v.clone(),
            }
        } else if !cat.mandatory.contains_key(name) && !cat.optional.iter().any(|x| x == name) {
            Msg::RoleUnknownForCategory {
                role: name.to_string(),
                category: cat_id.v.clone(),
            }
        } else {
            continue;
        };
        out.push(ctx.diag(
            "roles/not-applicable",
            &s.head,
            r.name.span,
            format!("roles.{name}"),
            msg,
        ));
    }
}

fn cardinality(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("roles/cardinality").is_none() {
        return;
    }
    for r in &s.roles {
        let single = ctx.model.roles.get(&r.name.v).is_some_and(|x| x.single);
        if single && applies(ctx, s, &r.name.v) && r.holders.len() > 1 {
            out.push(ctx.diag(
                "roles/cardinality",
                &s.head,
                r.value_span,
                format!("roles.{}", r.name.v),
                Msg::RoleCardinality {
                    role: r.name.v.clone(),
                    count: r.holders.len(),
                },
            ));
        }
    }
}

fn owner_title(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("roles/owner-title") else {
        return;
    };
    let Some(role) = p.str("role") else { return };
    let category = s
        .category
        .as_ref()
        .map(|c| c.v.as_str())
        .unwrap_or_default();
    let special = p.map("by-category").and_then(|m| m.get(category));
    let titles: Vec<&str> = match special
        .and_then(|s| s.get("titles"))
        .and_then(|t| t.as_array())
    {
        Some(a) => a.iter().filter_map(|t| t.as_str()).collect(),
        None => p.list("titles"),
    };
    let unit = special.and_then(|s| s.get("unit")).and_then(|u| u.as_str());
    if !applies(ctx, s, role) {
        return;
    }
    for (h, person) in ctx.holders(s, role) {
        let Some(title) = &person.title else { continue };
        let mut d = None;
        if !titles.contains(&title.v.as_str()) {
            d = Some(Msg::OwnerTitle {
                person: h.v.clone(),
                title: title.v.clone(),
                allowed: titles.iter().map(|t| t.to_string()).collect(),
            });
        } else if let Some(unit) = unit {
            if !ctx.works_at_unit(person, unit) {
                let (f, u) = ctx.config.org_unit(unit).unwrap_or(("?", unit));
                d = Some(Msg::OwnerUnit {
                    person: h.v.clone(),
                    forvaltning: f.to_string(),
                    unit: u.to_string(),
                });
            }
        }
        if let Some(msg) = d {
            out.push(
                ctx.diag(
                    "roles/owner-title",
                    &s.head,
                    h.span,
                    format!("roles.{role}"),
                    msg,
                )
                .related(
                    person.head.file,
                    title.span,
                    Msg::TitleHere {
                        title: title.v.clone(),
                    },
                ),
            );
        }
    }
}

fn budget_manager(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("roles/budget-manager") else {
        return;
    };
    let Some(role) = p.str("role") else { return };
    if !applies(ctx, s, role) {
        return;
    }
    for (h, person) in ctx.holders(s, role) {
        let Some(title) = &person.title else { continue };
        if !ctx.model.is_manager(&title.v) {
            out.push(
                ctx.diag(
                    "roles/budget-manager",
                    &s.head,
                    h.span,
                    format!("roles.{role}"),
                    Msg::BudgetManager {
                        person: h.v.clone(),
                        title: title.v.clone(),
                    },
                )
                .related(
                    person.head.file,
                    title.span,
                    Msg::TitleHere {
                        title: title.v.clone(),
                    },
                ),
            );
        }
    }
}

fn digitalt_center(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("roles/digitalt-center") else {
        return;
    };
    let Some(unit) = p.str("unit") else { return };
    let Some((forv, unit_id)) = ctx.config.org_unit(unit) else {
        return;
    };
    for role in p.list("roles").into_iter().filter(|r| applies(ctx, s, r)) {
        for (h, person) in ctx.holders(s, role) {
            if !ctx.works_at_unit(person, unit) {
                out.push(ctx.diag(
                    "roles/digitalt-center",
                    &s.head,
                    h.span,
                    format!("roles.{role}"),
                    Msg::NotAtUnit {
                        role: role.to_string(),
                        person: h.v.clone(),
                        forvaltning: forv.to_string(),
                        unit: unit_id.to_string(),
                    },
                ));
            }
        }
    }
}

fn informationsagare(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("roles/informationsagare").is_none() {
        return;
    }
    for r in &s.roles {
        if ctx.model.roles.get(&r.name.v).map(|x| x.holder) != Some(Holder::Namnd) {
            continue;
        }
        for h in &r.holders {
            let by_id = ctx.ix.by_id.get(h.v.as_str());
            // A förvaltning id names the administration, not its nämnd.
            let forvaltning = ctx
                .ix
                .forvaltning
                .get(h.v.as_str())
                .and_then(|i| ctx.ix.namnder.get(*i));
            let related = match (by_id, forvaltning) {
                (Some(Ref::Namnd(_)), _) | (None, None) => continue, // a nämnd, or ref/unknown
                (Some(other), _) => {
                    entity_of(ctx, *other).map(|e| (e.head().file, e.head().id.span))
                }
                (None, Some(n)) => n.forvaltning.as_ref().map(|f| (n.head.file, f.id.span)),
            };
            let mut d = ctx.diag(
                "roles/informationsagare",
                &s.head,
                h.span,
                format!("roles.{}", r.name.v),
                Msg::InformationsagareNotNamnd { value: h.v.clone() },
            );
            if let Some((file, span)) = related {
                d = d.related(file, span, Msg::DefinedHere);
            }
            out.push(d);
        }
    }
}

fn entity_of<'a>(ctx: &Ctx<'a>, r: Ref) -> Option<&'a Entity> {
    let ix = ctx.ix;
    let ei = match r {
        Ref::Namnd(i) => ix.namnd_entity.get(i),
        Ref::Person(i) => ix.person_entity.get(i),
        Ref::System(i) => ix.system_entity.get(i),
        Ref::Avtal(i) => ix.avtal_entity.get(i),
        Ref::Behandling(i) => ix.behandling_entity.get(i),
    }?;
    ctx.cat.entities.get(*ei)
}
