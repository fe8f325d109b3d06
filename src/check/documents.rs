//! Mandatory agreements per category (M §7, "Obligatorisk dokumentation"):
//! `docs/grundavtal`, `docs/sla` — one rule kind, the document a parameter.

use crate::catalog::System;
use crate::diagnostic::{Diagnostic, Msg};

use super::Ctx;

pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    for rule in ["docs/grundavtal", "docs/sla"] {
        document(ctx, rule, s, out);
    }
}

fn document(ctx: &Ctx, rule: &'static str, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on(rule) else { return };
    let (Some(doc_id), Some(cat_id)) = (p.str("document"), &s.category) else {
        return;
    };
    let Some(cat) = ctx.model.category(&cat_id.v) else {
        return;
    };
    if !cat.documents.iter().any(|d| d == doc_id) {
        return;
    }
    if !p.str("from").is_none_or(|from| ctx.reached(s, from)) {
        return;
    }
    let Some(doc) = ctx.model.documents.get(doc_id) else {
        return;
    };
    let Some(avtal_type) = doc.avtal.as_deref() else {
        return;
    };
    let of_type: Vec<_> = ctx
        .ix
        .agreements(&s.head.id.v)
        .filter(|a| a.type_is(avtal_type))
        .collect();
    if of_type.iter().any(|a| a.valid_on(ctx.as_of)) {
        return;
    }
    // Only expired ones, on a system in use: that is `contract/expired`'s
    // finding (the more specific rule), not a missing document.
    let expired = of_type
        .iter()
        .any(|a| a.valid_until.as_ref().is_some_and(|u| u.v < ctx.as_of));
    if expired
        && ctx.in_use(s)
        && ctx
            .on("contract/expired")
            .is_some_and(|c| c.str("type") == Some(avtal_type))
    {
        return;
    }
    out.push(ctx.diag(
        rule,
        &s.head,
        cat_id.key,
        "category",
        Msg::DocumentMissing {
            document: doc.label.clone(),
            category: cat_id.v.clone(),
        },
    ));
}
