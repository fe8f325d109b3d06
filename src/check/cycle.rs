//! The yearly cycle (M §6.5, §7.3, §7.4): förvaltningsplan approved by the
//! deadline by a budgetansvarig, next year's plan under way, the
//! uppföljningsrapport of last year, a contract follow-up every 12 months.
//! A category's `yearly-cycle: true` selects it for these kinds (sugar for
//! their `applies-to.categories`).

use chrono::Months;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::facts::needs_yearly_documents;
use crate::catalog::{Plan, System};
use crate::diagnostic::{Diagnostic, Msg, Severity};
use crate::model::Model;

use super::kind::{Cx, Kind, ParamError, Rule};

/// The status of an approved plan (catalog format v1's plan statuses).
const APPROVED: &str = "godkand";

fn check_role(m: &Model, role: &str) -> Result<(), ParamError> {
    if m.roles.contains_key(role) {
        return Ok(());
    }
    Err(ParamError::unknown(
        &["role"],
        ("roll", "role"),
        role,
        m.roles.keys().map(String::as_str),
    ))
}

fn check_mm_dd(path: &str, v: &str) -> Result<(), ParamError> {
    if crate::catalog::parse_date(&format!("2024-{v}")).is_some() {
        return Ok(());
    }
    Err(ParamError::at(
        &[path],
        format!("`{v}` är inget datum på formen MM-DD (t.ex. 03-31)"),
        format!("`{v}` is not a date of the form MM-DD (e.g. 03-31)"),
    ))
}

/// Plans recorded on the system and on systems that `covers` it.
fn plans<'a>(ctx: &'a Cx, s: &'a System) -> impl Iterator<Item = &'a Plan> + 'a {
    let covering = ctx
        .ix
        .plans_covering(&s.head.id.v)
        .iter()
        .filter_map(|(si, pi)| ctx.ix.systems.get(*si).and_then(|o| o.plans.get(*pi)));
    s.plans.iter().chain(covering)
}

fn plan_year(p: &Plan) -> Option<i32> {
    p.year.as_ref().and_then(|y| i32::try_from(y.v).ok())
}

fn plans_span(s: &System) -> crate::load::Span {
    s.plans_key.unwrap_or_else(|| s.category_or_id_key())
}

/// `plan/missing`: no approved förvaltningsplan for the date's year (due
/// for a system in the selector's `from` status or later on 1 January).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PlanMissing {}

impl Kind for PlanMissing {}

impl Rule for PlanMissing {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        plan_missing(ctx, s, out);
    }
}

fn plan_missing(ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
    let year = ctx.year();
    if !needs_yearly_documents(ctx.model, s, ctx.from(), year) {
        return;
    }
    let approved = plans(ctx, s).any(|pl| {
        plan_year(pl) == Some(year) && pl.status.as_ref().is_some_and(|st| st.v == APPROVED)
    });
    if !approved {
        out.push(ctx.diag(
            &s.head,
            plans_span(s),
            "forvaltningsplaner",
            Msg::PlanMissing { year },
        ));
    }
}

/// `plan/late`: the plan for year Y was approved after `deadline` of Y−1.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PlanLate {
    /// The deadline in the year before, MM-DD (default 12-31).
    #[serde(default = "dec31")]
    pub deadline: String,
}

fn dec31() -> String {
    "12-31".into()
}

impl Kind for PlanLate {
    fn validate(&self, _m: &Model) -> Result<(), ParamError> {
        check_mm_dd("deadline", &self.deadline)
    }
}

impl Rule for PlanLate {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        plan_late(ctx, &self.deadline, s, out);
    }
}

fn plan_late(ctx: &Cx, deadline_md: &str, s: &System, out: &mut Vec<Diagnostic>) {
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

/// `plan/approver`: a current or future plan approved by someone who does
/// not hold `role` on the system.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PlanApprover {
    /// The role whose holders may approve (e.g. `budgetansvarig`).
    pub role: String,
}

impl Kind for PlanApprover {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        check_role(m, &self.role)
    }
}

impl Rule for PlanApprover {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        plan_approver(ctx, &self.role, s, out);
    }
}

fn plan_approver(ctx: &Cx, role: &str, s: &System, out: &mut Vec<Diagnostic>) {
    for pl in &s.plans {
        let (Some(year), Some(by)) = (plan_year(pl), &pl.approved_by) else {
            continue;
        };
        if year < ctx.year() || ctx.ix.person(&by.v).is_none() {
            continue;
        }
        if !s.holders(role).any(|h| h.v == by.v) {
            out.push(ctx.diag(
                &s.head,
                by.span,
                format!("forvaltningsplaner[{}].approved-by", pl.index),
                Msg::PlanApprover {
                    person: by.v.to_string(),
                    year,
                    role: role.to_string(),
                },
            ));
        }
    }
}

/// `plan/next-year`: no plan (any status) for next year — info from
/// `info-from`, a warning from `warning-from`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PlanNextYear {
    /// MM-DD from which the rule reports (info), default 08-01.
    #[serde(default = "aug1")]
    pub info_from: String,
    /// MM-DD from which it is a warning, default 12-01.
    #[serde(default = "dec1")]
    pub warning_from: String,
}

fn aug1() -> String {
    "08-01".into()
}

fn dec1() -> String {
    "12-01".into()
}

impl Kind for PlanNextYear {
    fn validate(&self, _m: &Model) -> Result<(), ParamError> {
        check_mm_dd("info-from", &self.info_from)?;
        check_mm_dd("warning-from", &self.warning_from)
    }
}

impl Rule for PlanNextYear {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        plan_next_year(ctx, self, s, out);
    }
}

fn plan_next_year(ctx: &Cx, p: &PlanNextYear, s: &System, out: &mut Vec<Diagnostic>) {
    let year = ctx.year();
    let (Some(info_from), Some(warn_from)) = (
        ctx.date_in(year, &p.info_from),
        ctx.date_in(year, &p.warning_from),
    ) else {
        return;
    };
    if ctx.as_of < info_from {
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
            &s.head,
            plans_span(s),
            "forvaltningsplaner",
            Msg::PlanNextYear { year: year + 1 },
        )
        .severity_hint(severity),
    );
}

/// `report/missing`: no completed uppföljningsrapport for last year — info
/// until `deadline`, an error after it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ReportMissing {
    /// MM-DD of the year after by which the report is due (default 03-31).
    #[serde(default = "mar31")]
    pub deadline: String,
}

fn mar31() -> String {
    "03-31".into()
}

impl Kind for ReportMissing {
    fn validate(&self, _m: &Model) -> Result<(), ParamError> {
        check_mm_dd("deadline", &self.deadline)
    }
}

impl Rule for ReportMissing {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        report_missing(ctx, &self.deadline, s, out);
    }
}

fn report_missing(ctx: &Cx, deadline_md: &str, s: &System, out: &mut Vec<Diagnostic>) {
    let year = ctx.year() - 1;
    if !needs_yearly_documents(ctx.model, s, ctx.from(), year) {
        return;
    }
    let Some(deadline) = ctx.date_in(year + 1, deadline_md) else {
        return;
    };
    // A report may be recorded on a system whose plan covers this one.
    let covering = ctx
        .ix
        .plans_covering(&s.head.id.v)
        .iter()
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

/// `report/approver`: the latest report approved by someone who does not
/// hold `role` on the system.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ReportApprover {
    /// The role whose holders may approve.
    pub role: String,
}

impl Kind for ReportApprover {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        check_role(m, &self.role)
    }
}

impl Rule for ReportApprover {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        report_approver(ctx, &self.role, s, out);
    }
}

fn report_approver(ctx: &Cx, role: &str, s: &System, out: &mut Vec<Diagnostic>) {
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
        &s.head,
        by.span,
        format!("uppfoljningsrapporter[{}].approved-by", r.index),
        Msg::ReportApprover {
            person: by.v.to_string(),
            year,
            role: role.to_string(),
        },
    ));
}

/// `forum/avtalsuppfoljning`: in use for at least `months` and no contract
/// follow-up in the last `months`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Followup {
    /// The interval in months (default 12: "minst en gång per år").
    #[serde(default = "twelve")]
    pub months: u32,
}

fn twelve() -> u32 {
    12
}

impl Kind for Followup {}

impl Rule for Followup {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        followup(ctx, self.months, s, out);
    }
}

fn followup(ctx: &Cx, months: u32, s: &System, out: &mut Vec<Diagnostic>) {
    let months = months.clamp(1, 1200);
    let Some(cutoff) = ctx.as_of.checked_sub_months(Months::new(months)) else {
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
        &s.head,
        span,
        "avtalsuppfoljningar",
        Msg::FollowupMissing {
            months: i64::from(months),
            since: cutoff.to_string(),
        },
    ));
}
