//! The processing register (R "Behandlingsregister"): every nämnd using a
//! system with personal data has a behandling for it; joint controllership
//! with the nämnd whose support process a kommungemensam system serves.

use std::collections::HashSet;

use crate::catalog::{Behandling, System};
use crate::diagnostic::{Diagnostic, Msg};

use super::Ctx;

/// `register/missing`. Cost: O(behandlingar listing the system + users).
pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("register/missing") else {
        return;
    };
    if s.processed() != Some(true) || !p.str("from").is_none_or(|from| ctx.reached(s, from)) {
        return;
    }
    let Some(used) = &s.used_by else { return };
    let registered: HashSet<&str> = ctx
        .ix
        .behandlingar_by_system
        .get(s.head.id.v.as_str())
        .into_iter()
        .flatten()
        .filter_map(|i| ctx.ix.behandlingar.get(*i))
        .flat_map(|b| b.controller.iter().chain(b.joint_with.iter()))
        .map(|n| n.v.as_str())
        .collect();
    let namnder: Vec<String> = ctx
        .ix
        .namnd_ids(&used.v)
        .into_iter()
        .filter(|n| !registered.contains(n) && ctx.ix.namnd(n).is_some())
        .map(str::to_string)
        .collect();
    if !namnder.is_empty() {
        out.push(ctx.diag(
            "register/missing",
            &s.head,
            used.key,
            "used-by",
            Msg::RegisterMissing { namnder },
        ));
    }
}

/// `register/joint`.
pub fn behandling(ctx: &Ctx, b: &Behandling, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("register/joint") else {
        return;
    };
    let Some(scope) = p.str("scope") else { return };
    let parts = p.list("stodprocess-organisations");
    let controller = b.controller.as_ref().map(|c| c.v.as_str());
    let mut reported: HashSet<&str> = HashSet::new();
    for sref in &b.systems {
        let Some(s) = ctx.ix.system(&sref.v) else {
            continue;
        };
        if !s.scope_is(scope) {
            continue;
        }
        let Some((_, namnd)) = super::scope::stodprocess_owner(ctx, s, &parts) else {
            continue;
        };
        if controller == Some(namnd)
            || b.joint_with.iter().any(|j| j.v == namnd)
            || !reported.insert(namnd)
        {
            continue;
        }
        let span = b
            .joint_with_key
            .or(b.controller.as_ref().map(|c| c.key))
            .unwrap_or(b.head.id.key);
        out.push(
            ctx.diag(
                "register/joint",
                &b.head,
                span,
                "joint-with",
                Msg::RegisterJoint {
                    namnd: namnd.to_string(),
                    system: s.head.id.v.clone(),
                },
            )
            .subject(&s.head.id.v),
        );
    }
}
