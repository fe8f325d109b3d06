//! Organisation scope (M §3): who may own and pay for a kommungemensam
//! system, and whether the scope matches who uses it.

use crate::catalog::{NamndSet, System};
use crate::diagnostic::{Diagnostic, Msg};

use super::Ctx;

pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    kommungemensam_owner(ctx, s, out);
    kommungemensam_agare(ctx, s, out);
    used_by_all(ctx, s, out);
    single_user(ctx, s, out);
}

/// The stödprocess of `s`, if one of the organisation parts `parts` lists
/// it; returns (part, nämnd id).
pub fn stodprocess_owner<'a>(
    ctx: &'a Ctx,
    s: &System,
    parts: &[&'a str],
) -> Option<(&'a str, &'a str)> {
    let sp = s.stodprocess.as_ref()?;
    parts.iter().find_map(|part| {
        let id = ctx.org_namnd(part)?;
        let n = ctx.ix.namnd(id)?;
        n.stodprocesser
            .iter()
            .any(|x| x.v == sp.v)
            .then_some((*part, n.head.id.v.as_str()))
    })
}

fn kommungemensam_owner(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("scope/kommungemensam-owner") else {
        return;
    };
    if !p.str("scope").is_some_and(|sc| s.scope_is(sc)) {
        return;
    }
    let allowed: Vec<&str> = p
        .list("organisations")
        .into_iter()
        .filter_map(|part| ctx.org_namnd(part))
        .collect();
    if allowed.is_empty() {
        return; // organisation not configured: config/invalid says so
    }
    for role in p.list("roles") {
        for (h, person) in ctx.holders(s, role) {
            let Some(forv) = &person.forvaltning else {
                continue;
            };
            let Some(n) = ctx.ix.namnd_of_person(person) else {
                continue;
            };
            if !allowed.contains(&n.head.id.v.as_str()) {
                out.push(
                    ctx.diag(
                        "scope/kommungemensam-owner",
                        &s.head,
                        h.span,
                        format!("roles.{role}"),
                        Msg::KommungemensamOwner {
                            role: role.to_string(),
                            person: h.v.clone(),
                            forvaltning: forv.v.clone(),
                        },
                    )
                    .related(person.head.file, forv.span, Msg::DefinedHere),
                );
            }
        }
    }
}

fn kommungemensam_agare(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("scope/kommungemensam-agare") else {
        return;
    };
    if !p.str("scope").is_some_and(|sc| s.scope_is(sc)) {
        return;
    }
    if s.category
        .as_ref()
        .is_some_and(|c| p.list("skip-categories").contains(&c.v.as_str()))
    {
        return;
    }
    let Some(role) = p.str("role") else { return };
    let part = p.str("stodprocess-organisation").unwrap_or_default();
    for (h, person) in ctx.holders(s, role) {
        let title = person.title.as_ref().map(|t| t.v.as_str());
        let msg = match stodprocess_owner(ctx, s, &[part]) {
            Some((_, namnd_id)) => {
                let want_title = p.str("stodprocess-title");
                let in_namnd = ctx
                    .ix
                    .namnd_of_person(person)
                    .is_some_and(|n| n.head.id.v == namnd_id);
                if in_namnd && title == want_title {
                    continue;
                }
                let chef = ctx
                    .ix
                    .namnd(namnd_id)
                    .and_then(|n| n.forvaltning.as_ref())
                    .and_then(|f| f.chef.as_ref())
                    .map_or_else(
                        || want_title.unwrap_or_default().to_string(),
                        |c| c.v.clone(),
                    );
                Msg::AgareShouldBeStodprocessChef {
                    person: h.v.clone(),
                    stodprocess: s
                        .stodprocess
                        .as_ref()
                        .map(|x| x.v.clone())
                        .unwrap_or_default(),
                    expected: chef,
                }
            }
            None => {
                let want = p.str("default-title").unwrap_or_default();
                if title.is_none() || title == Some(want) {
                    continue;
                }
                Msg::AgareShouldHaveTitle {
                    person: h.v.clone(),
                    title: want.to_string(),
                }
            }
        };
        out.push(ctx.diag(
            "scope/kommungemensam-agare",
            &s.head,
            h.span,
            format!("roles.{role}"),
            msg,
        ));
    }
}

fn used_by_all(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("scope/used-by-all") else {
        return;
    };
    if !p.str("scope").is_some_and(|sc| s.scope_is(sc)) {
        return;
    }
    let Some(used) = &s.used_by else { return };
    let all = match &used.v {
        NamndSet::All => true,
        NamndSet::List(list) => {
            let total = ctx.ix.namnder.len();
            total > 1
                && ctx
                    .ix
                    .namnder
                    .iter()
                    .all(|n| list.iter().any(|x| x.v == n.head.id.v))
        }
    };
    if all {
        out.push(ctx.diag(
            "scope/used-by-all",
            &s.head,
            used.key,
            "used-by",
            Msg::UsedByAll,
        ));
    }
}

fn single_user(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("scope/single-user-kommungemensam") else {
        return;
    };
    if !p.str("scope").is_some_and(|sc| s.scope_is(sc)) || s.stodprocess.is_some() {
        return;
    }
    if let Some(used) = &s.used_by {
        if let NamndSet::List(list) = &used.v {
            if let [only] = list.as_slice() {
                out.push(ctx.diag(
                    "scope/single-user-kommungemensam",
                    &s.head,
                    used.key,
                    "used-by",
                    Msg::SingleUserKommungemensam {
                        namnd: only.v.clone(),
                    },
                ));
            }
        }
    }
}
