//! `require/record`: an entity must carry a record (decision, approval,
//! consultation, plan, report) of a model record type under `records:` —
//! made by the right person, nämnd or body, in consultation with the right
//! party, in time (standing, per year, within N months), per user nämnd,
//! ordered against another record, with a status and sections.
//!
//! One fault, one finding: the records of the type are ranked by how many
//! of the requirement's stages they pass (timing, who, consultation,
//! status, sections, order) and only the best one's first failing stage is
//! reported.

use chrono::{Datelike, Months, NaiveDate};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::facts::EntityRef;
use crate::catalog::{Avtal, Behandling, Namnd, NamndSet, Person, Record, System};
use crate::diagnostic::{Diagnostic, Msg, Severity};
use crate::load::Span;
use crate::messages::{Due, Who};
use crate::model::{EntityKind, Model};

use super::kind::{per_entity_rule, targets, Cx, Kind, ParamError, Rule};
use super::Ctx;

/// `require/record` parameters.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RequireRecord {
    /// The record type that satisfies the requirement (model
    /// `record-types`). Give this or `any-of`.
    #[serde(default)]
    pub record: Option<String>,
    /// Several record types, any of which satisfies it.
    #[serde(default)]
    pub any_of: Vec<String>,
    /// Who must have made it (`by:` of the record); alternatives.
    #[serde(default)]
    pub by: Option<By>,
    /// Who it must have been made in consultation with (`consulted:`).
    #[serde(default)]
    pub consulted: Option<Consulted>,
    /// A living document: any record of the type, any date (the default
    /// when neither `per-year` nor `within-months` is given).
    #[serde(default)]
    pub standing: bool,
    /// One record per year.
    #[serde(default)]
    pub per_year: Option<PerYear>,
    /// A record dated within the N months before the evaluation date.
    #[serde(default)]
    pub within_months: Option<u32>,
    /// One record by each nämnd in the system's `used-by`; one finding
    /// per nämnd without one, with that nämnd as its subject.
    #[serde(default)]
    pub per_user_namnd: bool,
    /// The record is dated on or after a record of this type.
    #[serde(default)]
    pub after: Option<String>,
    /// The record is dated before a record of this type.
    #[serde(default)]
    pub before: Option<String>,
    /// The record's `status:` must be this.
    #[serde(default)]
    pub status: Option<String>,
    /// The record's `sections:` must include these.
    #[serde(default)]
    pub sections: Vec<String>,
}

/// Who made a record: any one of the given alternatives will do.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct By {
    /// A person with one of these titles.
    #[serde(default)]
    pub titles: Vec<String>,
    /// The holder of this role on the entity.
    #[serde(default)]
    pub role: Option<String>,
    /// This body (model `bodies`).
    #[serde(default)]
    pub body: Option<String>,
    /// A nämnd: `concerned` (on a nämnd's file that nämnd; on a system the
    /// nämnd of its owner), `user` (a nämnd in `used-by`), `any`.
    #[serde(default)]
    pub namnd: Option<WhichNamnd>,
    /// The nämnd of one of these organisation parts.
    #[serde(default)]
    pub org_parts: Vec<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum WhichNamnd {
    Concerned,
    User,
    Any,
}

/// Whom a record was made in consultation with: `consulted:` must name
/// one of them.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Consulted {
    /// The holder of this role on the entity.
    #[serde(default)]
    pub role: Option<String>,
    /// A person with one of these titles.
    #[serde(default)]
    pub titles: Vec<String>,
    /// This body.
    #[serde(default)]
    pub body: Option<String>,
    /// The nämnd of one of these organisation parts.
    #[serde(default)]
    pub org_parts: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PerYear {
    /// MM-DD of the evaluation date's year: before it a missing record is
    /// info, after it the instance's severity.
    #[serde(default)]
    pub deadline: Option<String>,
    /// Which year's record: `current` (the evaluation date's) or
    /// `previous`.
    #[serde(default)]
    pub year: WhichYear,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum WhichYear {
    #[default]
    Current,
    Previous,
}

impl RequireRecord {
    fn types(&self) -> Vec<&str> {
        self.record
            .iter()
            .map(String::as_str)
            .chain(self.any_of.iter().map(String::as_str))
            .collect()
    }
}

fn record_type(m: &Model, path: &[&str], t: &str) -> Result<(), ParamError> {
    if m.record_types.contains_key(t) {
        return Ok(());
    }
    Err(ParamError::unknown(
        path,
        ("posttyp", "record type"),
        t,
        m.record_types.keys().map(String::as_str),
    ))
}

fn titles(m: &Model, path: &[&str], ts: &[String]) -> Result<(), ParamError> {
    for t in ts {
        if !m.titles.contains_key(t) {
            return Err(ParamError::unknown(
                path,
                ("titel", "title"),
                t,
                m.titles.keys().map(String::as_str),
            ));
        }
    }
    Ok(())
}

fn role(m: &Model, path: &[&str], r: &Option<String>) -> Result<(), ParamError> {
    match r {
        Some(r) if !m.roles.contains_key(r) => Err(ParamError::unknown(
            path,
            ("roll", "role"),
            r,
            m.roles.keys().map(String::as_str),
        )),
        _ => Ok(()),
    }
}

fn body(m: &Model, path: &[&str], b: &Option<String>) -> Result<(), ParamError> {
    match b {
        Some(b) if !m.bodies.contains_key(b) => Err(ParamError::unknown(
            path,
            ("organ", "body"),
            b,
            m.bodies.keys().map(String::as_str),
        )),
        _ => Ok(()),
    }
}

fn org_parts(m: &Model, path: &[&str], parts: &[String]) -> Result<(), ParamError> {
    for p in parts {
        if !m.organisation.contains_key(p) {
            return Err(ParamError::unknown(
                path,
                ("organisationsdel", "organisation part"),
                p,
                m.organisation.keys().map(String::as_str),
            ));
        }
    }
    Ok(())
}

fn mm_dd(path: &[&str], v: &str) -> Result<(), ParamError> {
    if v.len() == 5 && crate::catalog::parse_date(&format!("2024-{v}")).is_some() {
        return Ok(());
    }
    Err(ParamError::at(
        path,
        format!("`{v}` är inget datum på formen MM-DD (t.ex. 03-31)"),
        format!("`{v}` is not a date of the form MM-DD (e.g. 03-31)"),
    ))
}

impl Kind for RequireRecord {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        match (&self.record, self.any_of.is_empty()) {
            (Some(_), false) => {
                return Err(ParamError::at(
                    &["any-of"],
                    "ange antingen `record` eller `any-of`, inte båda".into(),
                    "give either `record` or `any-of`, not both".into(),
                ))
            }
            (None, true) => {
                return Err(ParamError::at(
                    &[],
                    "parametern `record` (eller `any-of`) saknas".into(),
                    "parameter `record` (or `any-of`) is missing".into(),
                ))
            }
            _ => {}
        }
        if let Some(t) = &self.record {
            record_type(m, &["record"], t)?;
        }
        for t in &self.any_of {
            record_type(m, &["any-of"], t)?;
        }
        let timings = [
            self.standing,
            self.per_year.is_some(),
            self.within_months.is_some(),
        ];
        if timings.iter().filter(|x| **x).count() > 1 {
            return Err(ParamError::at(
                &[],
                "ange högst en av `standing`, `per-year` och `within-months`".into(),
                "give at most one of `standing`, `per-year` and `within-months`".into(),
            ));
        }
        if let Some(py) = &self.per_year {
            if let Some(d) = &py.deadline {
                mm_dd(&["per-year", "deadline"], d)?;
            }
        }
        if self.within_months == Some(0) {
            return Err(ParamError::at(
                &["within-months"],
                "`within-months` ska vara minst 1".into(),
                "`within-months` must be at least 1".into(),
            ));
        }
        if let Some(b) = &self.by {
            if self.per_user_namnd {
                return Err(ParamError::at(
                    &["by"],
                    "`per-user-namnd` säger redan vem posten ska komma från; ta bort `by`".into(),
                    "`per-user-namnd` already says whom the record comes from; remove `by`".into(),
                ));
            }
            let empty = b.titles.is_empty()
                && b.role.is_none()
                && b.body.is_none()
                && b.namnd.is_none()
                && b.org_parts.is_empty();
            if empty {
                return Err(ParamError::at(
                    &["by"],
                    "`by` är tom; ange `titles`, `role`, `body`, `namnd` eller `org-parts`".into(),
                    "`by` is empty; give `titles`, `role`, `body`, `namnd` or `org-parts`".into(),
                ));
            }
            titles(m, &["by", "titles"], &b.titles)?;
            role(m, &["by", "role"], &b.role)?;
            body(m, &["by", "body"], &b.body)?;
            org_parts(m, &["by", "org-parts"], &b.org_parts)?;
        }
        if let Some(c) = &self.consulted {
            let empty = c.titles.is_empty()
                && c.role.is_none()
                && c.body.is_none()
                && c.org_parts.is_empty();
            if empty {
                return Err(ParamError::at(
                    &["consulted"],
                    "`consulted` är tom; ange `role`, `titles`, `body` eller `org-parts`".into(),
                    "`consulted` is empty; give `role`, `titles`, `body` or `org-parts`".into(),
                ));
            }
            titles(m, &["consulted", "titles"], &c.titles)?;
            role(m, &["consulted", "role"], &c.role)?;
            body(m, &["consulted", "body"], &c.body)?;
            org_parts(m, &["consulted", "org-parts"], &c.org_parts)?;
        }
        if let Some(t) = &self.after {
            record_type(m, &["after"], t)?;
        }
        if let Some(t) = &self.before {
            record_type(m, &["before"], t)?;
        }
        let types = self.types();
        if let Some(st) = &self.status {
            // Every type that declares statuses must know this one.
            for t in &types {
                let known = m.record_types.get(*t).map(|r| &r.statuses);
                if let Some(known) = known.filter(|k| !k.is_empty()) {
                    if !known.contains(st) {
                        return Err(ParamError::unknown(
                            &["status"],
                            ("status", "status"),
                            st,
                            known.iter().map(String::as_str),
                        ));
                    }
                }
            }
        }
        for s in &self.sections {
            for t in &types {
                let known = m.record_types.get(*t).map(|r| &r.sections);
                if let Some(known) = known.filter(|k| !k.is_empty()) {
                    if !known.contains(s) {
                        return Err(ParamError::unknown(
                            &["sections"],
                            ("avsnitt", "section"),
                            s,
                            known.iter().map(String::as_str),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

per_entity_rule!(RequireRecord);

/// The nämnder that use `e`, each once, in `used-by` order; an id that
/// names no nämnd is left out (it is `ref/unknown`, not a missing decision
/// as well).
fn user_namnder<'a>(ctx: &'a Ctx, e: EntityRef<'a>) -> Vec<&'a str> {
    let Some(used) = e.used_by() else {
        return Vec::new();
    };
    let users: Vec<&str> = match &used.v {
        NamndSet::All => ctx
            .ix
            .namnder
            .iter()
            .map(|n| n.head.id.v.as_str())
            .collect(),
        NamndSet::List(l) => l.iter().map(|n| n.v.as_str()).collect(),
    };
    let mut seen: Vec<&str> = Vec::new();
    for n in users {
        if !seen.contains(&n) && ctx.ix.namnd(n).is_some() {
            seen.push(n);
        }
    }
    seen
}

/// What one `require/record` instance asks for on the run's date: the
/// record types, and each entity it selects and is due for, with the
/// nämnder each must have a record from (per user nämnd) or none. The
/// yearly report counts coverage from this and the rule's own findings.
pub struct Requirement<'a> {
    pub rule: &'static str,
    pub types: Vec<&'a str>,
    pub per_user_namnd: bool,
    /// (entity id, the nämnder a record is due from; empty: one record).
    pub entities: Vec<(&'a str, Vec<&'a str>)>,
}

/// Every `require/record` instance's requirement, with the selection, the
/// decommissioned-system exemption and the per-year due date the rule
/// checks with.
pub fn requirements<'a>(ctx: &'a Ctx<'a>) -> Vec<Requirement<'a>> {
    let mut out = Vec::new();
    for inst in &ctx.instances {
        let Some(rr) = inst.params.downcast_ref::<RequireRecord>() else {
            continue;
        };
        let cx = Cx { ctx, inst };
        let mut entities = Vec::new();
        let mut take = |e: EntityRef<'a>| {
            if !rr.due_for(&cx, e) {
                return;
            }
            let namnder = if rr.per_user_namnd {
                user_namnder(ctx, e)
            } else {
                Vec::new()
            };
            entities.push((e.head().id.v.as_str(), namnder));
        };
        let kind = |k: EntityKind| inst.checks(k) && targets(&cx, k);
        if kind(EntityKind::System) {
            for s in &ctx.ix.systems {
                let retired = ctx.status(s).is_some_and(|st| ctx.model.is_retired(st));
                if !retired && inst.select.system(ctx, s) {
                    take(EntityRef::System(s));
                }
            }
        }
        if kind(EntityKind::Namnd) {
            for n in &ctx.ix.namnder {
                if inst.select.namnd(ctx, n) {
                    take(EntityRef::Namnd(n));
                }
            }
        }
        if kind(EntityKind::Avtal) {
            for a in &ctx.ix.avtal {
                if inst.select.avtal(ctx, a) {
                    take(EntityRef::Avtal(a));
                }
            }
        }
        if kind(EntityKind::Behandling) {
            for b in &ctx.ix.behandlingar {
                if inst.select.behandling(ctx, b) {
                    take(EntityRef::Behandling(b));
                }
            }
        }
        if kind(EntityKind::Person) {
            for p in &ctx.ix.persons {
                if inst.select.person(ctx, p) {
                    take(EntityRef::Person(p));
                }
            }
        }
        out.push(Requirement {
            rule: inst.id,
            types: rr.types(),
            per_user_namnd: rr.per_user_namnd,
            entities,
        });
    }
    out
}

/// A record's failure at one stage of the requirement.
struct Fault {
    span: Span,
    path: String,
    msg: Msg,
    related: Option<(usize, Span, Msg)>,
}

impl RequireRecord {
    /// The year a per-year requirement asks for.
    fn year(&self, cx: &Cx) -> Option<i32> {
        self.per_year.as_ref().map(|py| match py.year {
            WhichYear::Current => cx.year(),
            WhichYear::Previous => cx.year() - 1,
        })
    }

    fn due(&self, cx: &Cx) -> Due {
        match (&self.per_year, self.within_months) {
            (Some(py), _) => Due::Year {
                year: self.year(cx).unwrap_or_else(|| cx.year()),
                deadline: py
                    .deadline
                    .as_ref()
                    .and_then(|d| cx.date_in(cx.year(), d))
                    .map(|d| d.to_string()),
            },
            (None, Some(m)) => Due::WithinMonths(i64::from(m)),
            _ => Due::Standing,
        }
    }

    /// Whether a record of the right type counts for the requirement's time.
    fn in_time(&self, cx: &Cx, r: &Record) -> bool {
        if let Some(year) = self.year(cx) {
            let y = r
                .year
                .as_ref()
                .map(|y| y.v)
                .or_else(|| r.date.as_ref().map(|d| i64::from(d.v.year())));
            return y == Some(i64::from(year));
        }
        if let Some(m) = self.within_months {
            let Some(cutoff) = cx.as_of.checked_sub_months(Months::new(m.min(1200))) else {
                return false;
            };
            return r
                .date
                .as_ref()
                .is_some_and(|d| d.v >= cutoff && d.v <= cx.as_of);
        }
        true
    }

    /// Whether a per-year requirement applies to a system this year (it
    /// reached the selector's `from` status by 1 January).
    fn due_for(&self, cx: &Cx, e: EntityRef) -> bool {
        match (e, self.year(cx)) {
            (EntityRef::System(s), Some(year)) if cx.from().is_some() => {
                crate::catalog::facts::needs_yearly_documents(cx.model, s, cx.from(), year)
            }
            _ => true,
        }
    }

    fn check(&self, cx: &Cx, e: EntityRef, out: &mut Vec<Diagnostic>) {
        if !self.due_for(cx, e) {
            return;
        }
        let types = self.types();
        let h = e.head();
        let candidates: Vec<&Record> = h
            .records
            .iter()
            .filter(|r| {
                r.typ
                    .as_ref()
                    .is_some_and(|t| types.contains(&t.v.as_str()))
            })
            .filter(|r| self.in_time(cx, r))
            .collect();
        if self.per_user_namnd {
            let Some(used) = e.used_by() else { return };
            for n in user_namnder(cx.ctx, e) {
                let mine: Vec<&Record> = candidates
                    .iter()
                    .copied()
                    .filter(|r| r.by.as_ref().is_some_and(|b| b.v == n))
                    .collect();
                if let Some(d) = self.judge(cx, e, &mine, Some(n), used.key) {
                    out.push(d.subject(n));
                }
            }
            return;
        }
        let trigger = self.trigger(cx, e);
        if let Some(d) = self.judge(cx, e, &candidates, None, trigger) {
            out.push(d);
        }
    }

    /// Where a missing record is reported when the entity has no
    /// `records:`: the value that triggered the requirement.
    fn trigger(&self, cx: &Cx, e: EntityRef) -> Span {
        let h = e.head();
        match e {
            EntityRef::System(s) => {
                let sel = &cx.inst.select;
                let by_status = sel.from.is_some() || sel.until.is_some() || sel.statuses.is_some();
                match &s.status {
                    Some(st) if by_status => st.span,
                    _ => s.category.as_ref().map_or(h.id.key, |c| c.key),
                }
            }
            EntityRef::Namnd(n) => n.typ.as_ref().map_or(h.id.key, |t| t.key),
            _ => h.id.key,
        }
    }

    /// The finding for one requirement given the records that fit its type
    /// and time, or `None` when one of them satisfies it.
    fn judge(
        &self,
        cx: &Cx,
        e: EntityRef,
        candidates: &[&Record],
        by_namnd: Option<&str>,
        trigger: Span,
    ) -> Option<Diagnostic> {
        let h = e.head();
        if candidates.is_empty() {
            let span = h.records_key.unwrap_or(trigger);
            let mut d = cx.diag(
                h,
                span,
                "records",
                Msg::RecordMissing {
                    types: self.types().iter().map(|t| t.to_string()).collect(),
                    due: self.due(cx),
                    by: by_namnd.map(str::to_string),
                },
            );
            if let Some(hint) = self.severity_before_deadline(cx) {
                d = d.severity_hint(hint);
            }
            return Some(d);
        }
        // The best candidate: the one that passes the most stages in order.
        let mut best: Option<(usize, Fault)> = None;
        for r in candidates {
            match self.stages(cx, e, r) {
                None => return None,
                Some((passed, fault)) => {
                    if best.as_ref().is_none_or(|(b, _)| passed > *b) {
                        best = Some((passed, fault));
                    }
                }
            }
        }
        let (_, f) = best?;
        let mut d = cx.diag(h, f.span, f.path, f.msg);
        if let Some((file, span, msg)) = f.related {
            d = d.related(file, span, msg);
        }
        Some(d)
    }

    /// Before a per-year deadline, a missing record is only info.
    fn severity_before_deadline(&self, cx: &Cx) -> Option<Severity> {
        let d = self.per_year.as_ref()?.deadline.as_ref()?;
        let deadline: NaiveDate = cx.date_in(cx.year(), d)?;
        (cx.as_of <= deadline).then_some(Severity::Info)
    }

    /// Runs a record through the stages after type and time: who made it,
    /// consultation, status, sections, order. `Err` carries how many
    /// stages passed and the first failure.
    fn stages(&self, cx: &Cx, e: EntityRef, r: &Record) -> Option<(usize, Fault)> {
        let typ = r.typ.as_ref().map(|t| t.v.clone()).unwrap_or_default();
        let path = |field: &str| {
            if field.is_empty() {
                format!("records[{}]", r.index)
            } else {
                format!("records[{}].{field}", r.index)
            }
        };
        if let Some(b) = &self.by {
            if let Some(f) = self.check_by(cx, e, b, r, &typ, path("by")) {
                return Some((0, f));
            }
        }
        if let Some(c) = &self.consulted {
            if !consulted_ok(cx, e, c, r) {
                let span = r.consulted.first().map_or(r.span, |c| c.span);
                return Some((
                    1,
                    Fault {
                        span,
                        path: path("consulted"),
                        msg: Msg::RecordNotConsulted {
                            record: typ.to_string(),
                            expected: consulted_who(cx, e, c),
                        },
                        related: None,
                    },
                ));
            }
        }
        if let Some(want) = &self.status {
            if r.status.as_ref().is_none_or(|s| s.v != want) {
                return Some((
                    2,
                    Fault {
                        span: r.status.as_ref().map_or(r.span, |s| s.span),
                        path: path("status"),
                        msg: Msg::RecordStatus {
                            record: typ.to_string(),
                            status: r.status.as_ref().map(|s| s.v.to_string()),
                            expected: want.clone(),
                        },
                        related: None,
                    },
                ));
            }
        }
        let missing: Vec<String> = self
            .sections
            .iter()
            .filter(|s| !r.sections.iter().any(|x| x.v == *s))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Some((
                3,
                Fault {
                    span: r.span,
                    path: path("sections"),
                    msg: Msg::RecordSections {
                        record: typ.to_string(),
                        missing,
                    },
                    related: None,
                },
            ));
        }
        for (other, after) in [(&self.after, true), (&self.before, false)] {
            let Some(other) = other else { continue };
            if let Some(f) = order(e, r, other, after, &typ, path("date")) {
                return Some((4, f));
            }
        }
        None
    }

    fn check_by(
        &self,
        cx: &Cx,
        e: EntityRef,
        b: &By,
        r: &Record,
        typ: &str,
        path: String,
    ) -> Option<Fault> {
        let expected = by_who(cx, e, b);
        let Some(by) = &r.by else {
            return Some(Fault {
                span: r.span,
                path,
                msg: Msg::RecordWrongBy {
                    record: typ.to_string(),
                    by: None,
                    expected,
                },
                related: None,
            });
        };
        let who = by.v.as_str();
        let person = cx.ix.person(who);
        let is_namnd = cx.ix.namnd(who).is_some();
        // `by` naming nothing is `ref/unknown` at its span; one finding.
        if person.is_none() && !is_namnd && !cx.model.bodies.contains_key(who) {
            return None;
        }
        let ok = (!b.titles.is_empty()
            && person
                .and_then(|p| p.title.as_ref())
                .is_some_and(|t| b.titles.iter().any(|s| s == t.v.as_str())))
            || b.role
                .as_ref()
                .is_some_and(|role| e.role_holders(role).iter().any(|h| h.v == who))
            || b.body.as_deref() == Some(who)
            || match b.namnd {
                Some(WhichNamnd::Concerned) => concerned(cx, e) == Some(who),
                Some(WhichNamnd::User) => {
                    is_namnd && e.used_by().is_some_and(|u| u.v.contains(who))
                }
                Some(WhichNamnd::Any) => is_namnd,
                None => false,
            }
            || b.org_parts.iter().any(|p| cx.org_namnd(p) == Some(who));
        if ok {
            return None;
        }
        let related = person.and_then(|p| {
            p.title.as_ref().map(|t| {
                (
                    p.head.file,
                    t.span,
                    Msg::TitleHere {
                        title: t.v.to_string(),
                    },
                )
            })
        });
        Some(Fault {
            span: by.span,
            path,
            msg: Msg::RecordWrongBy {
                record: typ.to_string(),
                by: Some(who.to_string()),
                expected,
            },
            related,
        })
    }
}

/// The nämnd concerned by an entity: a nämnd itself; for a system, the
/// nämnd holding (or employing the holder of) the model's owner role.
fn concerned<'a>(cx: &'a Cx, e: EntityRef<'a>) -> Option<&'a str> {
    match e {
        EntityRef::Namnd(n) => Some(n.head.id.v.as_str()),
        EntityRef::System(s) => {
            let role = cx.model.owner_role()?;
            let holder = s.holders(role).next()?;
            if let Some(n) = cx.ix.namnd(&holder.v) {
                return Some(n.head.id.v.as_str());
            }
            cx.ix.owner_namnd(s, role).map(|n| n.head.id.v.as_str())
        }
        _ => None,
    }
}

fn by_who(cx: &Cx, e: EntityRef, b: &By) -> Vec<Who> {
    let mut w = Vec::new();
    if !b.titles.is_empty() {
        w.push(Who::Titles(b.titles.clone()));
    }
    if let Some(r) = &b.role {
        w.push(Who::Role(r.clone()));
    }
    if let Some(x) = &b.body {
        w.push(Who::Body(x.clone()));
    }
    match b.namnd {
        Some(WhichNamnd::Concerned) => match concerned(cx, e) {
            Some(n) => w.push(Who::Namnd(n.to_string())),
            None => w.push(Who::AnyNamnd),
        },
        Some(WhichNamnd::User) => w.push(Who::UserNamnd),
        Some(WhichNamnd::Any) => w.push(Who::AnyNamnd),
        None => {}
    }
    for p in &b.org_parts {
        if let Some(n) = cx.org_namnd(p) {
            w.push(Who::Namnd(n.to_string()));
        }
    }
    w
}

fn consulted_ok(cx: &Cx, e: EntityRef, c: &Consulted, r: &Record) -> bool {
    r.consulted.iter().any(|x| {
        let who = x.v.as_str();
        c.role
            .as_ref()
            .is_some_and(|role| e.role_holders(role).iter().any(|h| h.v == who))
            || (!c.titles.is_empty()
                && cx
                    .ix
                    .person(who)
                    .and_then(|p| p.title.as_ref())
                    .is_some_and(|t| c.titles.iter().any(|s| s == t.v.as_str())))
            || c.body.as_deref() == Some(who)
            || c.org_parts.iter().any(|p| cx.org_namnd(p) == Some(who))
    })
}

fn consulted_who(cx: &Cx, e: EntityRef, c: &Consulted) -> Vec<Who> {
    let mut w = Vec::new();
    if let Some(r) = &c.role {
        // Name the holders when there are any: "`socialnamnden`".
        let holders = e.role_holders(r);
        if holders.is_empty() {
            w.push(Who::Role(r.clone()));
        } else {
            w.extend(holders.iter().map(|h| Who::Namnd(h.v.to_string())));
        }
    }
    if !c.titles.is_empty() {
        w.push(Who::Titles(c.titles.clone()));
    }
    if let Some(b) = &c.body {
        w.push(Who::Body(b.clone()));
    }
    for p in &c.org_parts {
        if let Some(n) = cx.org_namnd(p) {
            w.push(Who::Namnd(n.to_string()));
        }
    }
    w
}

/// `after`/`before`: the record against the records of type `other` on
/// the same entity (any one of them will do).
fn order(
    e: EntityRef,
    r: &Record,
    other: &str,
    after: bool,
    typ: &str,
    path: String,
) -> Option<Fault> {
    let dates: Vec<NaiveDate> = e
        .head()
        .records
        .iter()
        .filter(|o| o.typ.as_ref().is_some_and(|t| t.v == other))
        .filter_map(|o| o.date.as_ref().map(|d| d.v))
        .collect();
    let msg = |other_date: Option<NaiveDate>| Msg::RecordOrder {
        record: typ.to_string(),
        other: other.to_string(),
        after,
        date: r.date.as_ref().map(|d| d.v.to_string()),
        other_date: other_date.map(|d| d.to_string()),
    };
    let span = r.date.as_ref().map_or(r.span, |d| d.span);
    let Some(bound) = (if after {
        dates.iter().min()
    } else {
        dates.iter().max()
    }) else {
        return Some(Fault {
            span: e.head().records_key.unwrap_or(r.span),
            path,
            msg: msg(None),
            related: None,
        });
    };
    let ok = r
        .date
        .as_ref()
        .is_some_and(|d| if after { d.v >= *bound } else { d.v < *bound });
    if ok {
        return None;
    }
    Some(Fault {
        span,
        path,
        msg: msg(Some(*bound)),
        related: None,
    })
}

#[cfg(test)]
mod tests;
