//! Agreement terms (M §5.1.1, §7.1): agreements about to end without a
//! decision, systems in use whose grundavtal have all ended.

use chrono::Days;

use crate::catalog::{Avtal, System};
use crate::diagnostic::{Diagnostic, Msg};

use super::Ctx;

/// `contract/expiring`, once per agreement (not once per system it covers).
pub fn avtal(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("contract/expiring") else {
        return;
    };
    let Some(t) = &a.typ else { return };
    if !p.list("types").contains(&t.v.as_str()) || a.extension_decided_on.is_some() {
        return;
    }
    let Some(until) = &a.valid_until else { return };
    let days = p.i64("days").unwrap_or(180).max(0);
    let horizon = ctx
        .as_of
        .checked_add_days(Days::new(days as u64))
        .unwrap_or(ctx.as_of);
    if until.v < ctx.as_of || until.v > horizon {
        return;
    }
    // A successor already in place (an agreement of the same type that is
    // valid the day after this one ends) answers the question: nothing to
    // decide for that system.
    let next_day = until.v.succ_opt().unwrap_or(until.v);
    let renewed = |s: &System| {
        ctx.ix
            .agreements(&s.head.id.v)
            .any(|o| !std::ptr::eq(o, a) && o.type_is(&t.v) && o.valid_on(next_day))
    };
    let in_use = a
        .systems
        .iter()
        .filter_map(|s| ctx.ix.system(&s.v))
        .find(|s| ctx.in_use(s) && !renewed(s));
    if let Some(system) = in_use {
        out.push(
            ctx.diag(
                "contract/expiring",
                &a.head,
                until.span,
                "valid-until",
                Msg::ContractExpiring {
                    avtal: a.head.id.v.clone(),
                    until: until.v.to_string(),
                    days,
                },
            )
            .subject(&system.head.id.v),
        );
    }
}

/// `contract/expired`: a system in use covered only by ended grundavtal;
/// reported at the latest one's `valid-until:`.
pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("contract/expired") else {
        return;
    };
    let Some(t) = p.str("type") else { return };
    if !ctx.in_use(s) {
        return;
    }
    let of_type: Vec<&Avtal> = ctx
        .ix
        .agreements(&s.head.id.v)
        .filter(|a| a.type_is(t))
        .collect();
    if of_type.is_empty() || of_type.iter().any(|a| a.valid_on(ctx.as_of)) {
        return;
    }
    let latest = of_type
        .iter()
        .filter_map(|a| {
            a.valid_until
                .as_ref()
                .filter(|u| u.v < ctx.as_of)
                .map(|u| (a, u))
        })
        .max_by_key(|(_, u)| u.v);
    if let Some((a, until)) = latest {
        out.push(
            ctx.diag(
                "contract/expired",
                &a.head,
                until.span,
                "valid-until",
                Msg::ContractExpired {
                    system: s.head.id.v.clone(),
                    until: until.v.to_string(),
                },
            )
            .subject(&s.head.id.v),
        );
    }
}
