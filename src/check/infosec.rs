//! Information security and DPIA (R "Lämplig säkerhet", "Tröskelanalys",
//! "Konsekvensbedömning").

use chrono::Months;

use crate::catalog::System;
use crate::diagnostic::{Diagnostic, Msg};

use super::Ctx;

pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    classification(ctx, s, out);
    classification_age(ctx, s, out);
    dpia_threshold(ctx, s, out);
    dpia_required(ctx, s, out);
    dpia_dso(ctx, s, out);
}

fn classification(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("infosec/classification") else {
        return;
    };
    if !p.str("from").is_none_or(|from| ctx.reached(s, from)) {
        return;
    }
    if s.classification.as_ref().is_some_and(|c| c.date.is_some()) {
        return;
    }
    out.push(ctx.diag(
        "infosec/classification",
        &s.head,
        s.head.id.key,
        "information-classification",
        Msg::ClassificationMissing,
    ));
}

fn classification_age(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("infosec/classification-age") else {
        return;
    };
    let years = p.i64("years").unwrap_or(3).clamp(1, 100);
    let Some(date) = s.classification.as_ref().and_then(|c| c.date.as_ref()) else {
        return;
    };
    let Some(cutoff) = ctx.as_of.checked_sub_months(Months::new(years as u32 * 12)) else {
        return;
    };
    if date.v < cutoff {
        out.push(ctx.diag(
            "infosec/classification-age",
            &s.head,
            date.span,
            "information-classification.date",
            Msg::ClassificationOld {
                date: date.v.to_string(),
                years,
            },
        ));
    }
}

fn dpia_threshold(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("dpia/threshold").is_none() || s.processed() != Some(true) {
        return;
    }
    if s.dpia.as_ref().is_some_and(|d| d.threshold_date.is_some()) {
        return;
    }
    let Some(pd) = &s.personal_data else { return };
    out.push(ctx.diag(
        "dpia/threshold",
        &s.head,
        pd.key,
        "dpia",
        Msg::DpiaThreshold,
    ));
}

fn dpia_required(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("dpia/required") else {
        return;
    };
    let threshold = p.i64("criteria-threshold").unwrap_or(2);
    let Some(d) = &s.dpia else { return };
    let Some(met) = &d.criteria_met else { return };
    if met.v <= threshold || d.assessment_date.is_some() || d.motivation.is_some() {
        return;
    }
    out.push(ctx.diag(
        "dpia/required",
        &s.head,
        met.span,
        "dpia.threshold-analysis.criteria-met",
        Msg::DpiaRequired {
            criteria: met.v,
            threshold,
        },
    ));
}

fn dpia_dso(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("dpia/dso").is_none() {
        return;
    }
    let Some(d) = &s.dpia else { return };
    if d.dso_consulted || (d.assessment_date.is_none() && d.motivation.is_none()) {
        return;
    }
    // At the assessment (where `dso-consulted` belongs) when there is one,
    // else at the motivation.
    let span = d
        .assessment
        .or(d.motivation.as_ref().map(|m| m.key))
        .unwrap_or(d.key);
    out.push(ctx.diag("dpia/dso", &s.head, span, "dpia.assessment", Msg::DpiaDso));
}
