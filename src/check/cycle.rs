//! The yearly cycle (M §6.5, §7.3, §7.4): förvaltningsplan approved by the
//! deadline by a budgetansvarig, next year's plan under way, the
//! uppföljningsrapport of last year, a contract follow-up every 12 months.
//! Only for categories the model marks `yearly-cycle`.

use chrono::{Months, NaiveDate};

use crate::catalog::{Plan, System};
use crate::diagnostic::{Diagnostic, Msg, Severity};

use super::Ctx;

/// The status literal of an approved plan (catalog format v1).
const APPROVED: &str = "godkand";

pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let yearly = s
        .category
        .as_ref()
        .and_then(|c| ctx.model.category(&c.v))
        .is_some_and(|c| c.yearly_cycle);
    if !yearly {
        return;
    }
    plan_missing(ctx, s, out);
    plan_late(ctx, s, out);
    plan_approver(ctx, s, out);
    plan_next_year(ctx, s, out);
    report_missing(ctx, s, out);
    report_approver(ctx, s, out);
    followup(ctx, s, out);
}

/// Whether the system needs a plan for `year` (see [`needs_yearly_documents`]).
fn needs_plan(ctx: &Ctx, s: &System, from: Option<&str>, year: i32) -> bool {
    needs_yearly_documents(ctx.model, s, from, year)
}

/// Whether `s` needs the yearly documents for `year`: in status `from` or
/// later on 1 January of that year. A system now past `from` is taken to
/// have passed through it before; one in `from` itself only if it got there
/// by 1 January. No `from` in the model: from the first status on, like
/// every other rule kind with a `from` parameter. (Also used by the yearly
/// report, so the two always agree.)
pub fn needs_yearly_documents(
    model: &crate::model::Model,
    s: &System,
    from: Option<&str>,
    year: i32,
) -> bool {
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
    match (&s.since, NaiveDate::from_ymd_opt(year, 1, 1)) {
        (Some(since), Some(jan1)) => since.v <= jan1,
        _ => true,
    }
}

/// Plans recorded on the system and on systems that `covers` it.
fn plans<'a>(ctx: &'a Ctx, s: &'a System) -> impl Iterator<Item = &'a Plan> + 'a {
    let covering = ctx
        .ix
        .plans_covering
        .get(s.head.id.v.as_str())
        .into_iter()
        .flatten()
        .filter_map(|(si, pi)| ctx.ix.systems.get(*si).and_then(|o| o.plans.get(*pi)));
    s.plans.iter().chain(covering)
}

fn plan_year(p: &Plan) -> Option<i32> {
    p.year.as_ref().and_then(|y| i32::try_from(y.v).ok())
}

fn plans_span(s: &System) -> crate::load::Span {
    s.plans_key.unwrap_or_else(|| s.category_or_id_key())
}

fn plan_missing(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("plan/missing") else {
        return;
    };
    let year = ctx.year();
    if !needs_plan(ctx, s, p.str("from"), year) {
        return;
    }
    let approved = plans(ctx, s).any(|pl| {
        plan_year(pl) == Some(year) && pl.status.as_ref().is_some_and(|st| st.v == APPROVED)
    });
    if !approved {
        out.push(ctx.diag(
            "plan/missing",
            &s.head,
            plans_span(s),
            "forvaltningsplaner",
            Msg::PlanMissing { year },
        ));
    }
}

fn plan_late(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("plan/late") else { return };
    let deadline_md = p.str("deadline").unwrap_or("12-31");
    for pl in &s.plans {
        let (Some(year), Some(on)) = (plan_year(pl), &pl.approved_on) else {
            continue;
        };
        if year < ctx.year() {
            continue; // history
        }
        let Some(deadline) = ctx.date_in(year - 1, deadline_md) else {
            continue;
        };
        if on.v > deadline {
            out.push(ctx.diag(
                "plan/late",
                &s.head,
                on.span,
                format!("forvaltningsplaner[{}].approved-on", pl.index),
                Msg::PlanLate {
                    year,
                    approved_on: on.v.to_string(),
                    deadline: deadline.to_string(),
                },
            ));
        }
    }
}

fn plan_approver(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("plan/approver") else {
        return;
    };
    let Some(role) = p.str("role") else { return };
    for pl in &s.plans {
        let (Some(year), Some(by)) = (plan_year(pl), &pl.approved_by) else {
            continue;
        };
        if year < ctx.year() || ctx.ix.person(&by.v).is_none() {
            continue;
        }
        if !s.holders(role).any(|h| h.v == by.v) {
            out.push(ctx.diag(
                "plan/approver",
                &s.head,
                by.span,
                format!("forvaltningsplaner[{}].approved-by", pl.index),
                Msg::PlanApprover {
                    person: by.v.clone(),
                    year,
                    role: role.to_string(),
                },
            ));
        }
    }
}

fn plan_next_year(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("plan/next-year") else {
        return;
    };
    let year = ctx.year();
    let (Some(info_from), Some(warn_from)) = (
        ctx.date_in(year, p.str("info-from").unwrap_or("08-01")),
        ctx.date_in(year, p.str("warning-from").unwrap_or("12-01")),
    ) else {
        return;
    };
    if ctx.as_of < info_from || !p.str("from").is_none_or(|from| ctx.reached(s, from)) {
        return;
    }
    if plans(ctx, s).any(|pl| plan_year(pl) == Some(year + 1)) {
        return;
    }
    let severity = if ctx.as_of >= warn_from {
        Severity::Warning
    } else {
        Severity::Info
    };
    out.push(
        ctx.diag(
            "plan/next-year",
            &s.head,
            plans_span(s),
            "forvaltningsplaner",
            Msg::PlanNextYear { year: year + 1 },
        )
        .severity_hint(severity),
    );
}

fn report_missing(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("report/missing") else {
        return;
    };
    let year = ctx.year() - 1;
    if !needs_plan(ctx, s, p.str("from"), year) {
        return;
    }
    let Some(deadline) = ctx.date_in(year + 1, p.str("deadline").unwrap_or("03-31")) else {
        return;
    };
    // A report may be recorded on a system whose plan covers this one.
    let covering = ctx
        .ix
        .plans_covering
        .get(s.head.id.v.as_str())
        .into_iter()
        .flatten()
        .filter_map(|(si, _)| ctx.ix.systems.get(*si).copied());
    let done = std::iter::once(s).chain(covering).any(|sys| {
        sys.reports.iter().any(|r| {
            r.year.as_ref().is_some_and(|y| y.v == i64::from(year))
                && r.completed_on.as_ref().is_some_and(|c| c.v <= ctx.as_of)
        })
    });
    if done {
        return;
    }
    let severity = if ctx.as_of > deadline {
        Severity::Error
    } else {
        Severity::Info
    };
    let span = s.reports_key.unwrap_or_else(|| s.category_or_id_key());
    out.push(
        ctx.diag(
            "report/missing",
            &s.head,
            span,
            "uppfoljningsrapporter",
            Msg::ReportMissing {
                year,
                deadline: deadline.to_string(),
            },
        )
        .severity_hint(severity),
    );
}

fn report_approver(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("report/approver") else {
        return;
    };
    let Some(role) = p.str("role") else { return };
    let latest = s
        .reports
        .iter()
        .filter(|r| r.year.is_some())
        .max_by_key(|r| r.year.as_ref().map(|y| y.v));
    let Some(r) = latest else { return };
    let Some(by) = &r.approved_by else { return };
    if ctx.ix.person(&by.v).is_none() || s.holders(role).any(|h| h.v == by.v) {
        return;
    }
    let year = r.year.as_ref().map_or(0, |y| y.v as i32);
    out.push(ctx.diag(
        "report/approver",
        &s.head,
        by.span,
        format!("uppfoljningsrapporter[{}].approved-by", r.index),
        Msg::ReportApprover {
            person: by.v.clone(),
            year,
            role: role.to_string(),
        },
    ));
}

fn followup(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("forum/avtalsuppfoljning") else {
        return;
    };
    let months = p.i64("months").unwrap_or(12).clamp(1, 1200);
    let Some(cutoff) = ctx.as_of.checked_sub_months(Months::new(months as u32)) else {
        return;
    };
    let Some(status) = ctx.status(s) else { return };
    if !ctx.model.is_in_use(status) {
        return;
    }
    // In use for at least `months`: the first in-use status must have
    // begun by the cutoff; later in-use statuses imply earlier use.
    let first_in_use = ctx.model.lifecycle.in_use.first().map(String::as_str);
    if first_in_use == Some(status) && s.since.as_ref().is_some_and(|d| d.v > cutoff) {
        return;
    }
    if s.followups
        .iter()
        .any(|f| f.v >= cutoff && f.v <= ctx.as_of)
    {
        return;
    }
    let span = s.followups_key.unwrap_or_else(|| s.category_or_id_key());
    out.push(ctx.diag(
        "forum/avtalsuppfoljning",
        &s.head,
        span,
        "avtalsuppfoljningar",
        Msg::FollowupMissing {
            months,
            since: cutoff.to_string(),
        },
    ));
}
