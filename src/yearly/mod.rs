//! `kdl report`: the yearly follow-up (årlig uppföljning) of a catalog.
//!
//! [`build`] turns a completed lint [`Run`] into a [`Report`]: a plain,
//! serialisable model that is the `json` format as it stands and that the
//! other renderers ([`html`], [`md`], [`xlsx`]) lay out. Nothing here
//! decides compliance anew: the violations are the lint run's; the tables
//! (roles, PUB-avtal, yearly cycle, agreements, exceptions) read the same
//! typed entities and the model's parameters, so the report and `kdl lint`
//! never disagree. [`git`] adds the year's history (`--compare-git`).

pub mod git;
pub mod html;
pub mod md;
pub mod text;
pub mod xlsx;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::catalog::{Avtal, Index, NamndSet, Person, System};
use crate::diagnostic::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::Run;

/// Written into every report so that `-o` recognises a previous one.
pub const FORMAT_ID: &str = "kdl-yearly-report";
/// Version of the JSON model; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// What to report on.
#[derive(Clone, Debug)]
pub struct Options {
    pub year: i32,
    /// Limit to one nämnd (already checked to exist).
    pub namnd: Option<String>,
    pub lang: Lang,
    /// The diarienummer the report is filed under (`--reference`).
    pub reference: Option<String>,
}

// ---- the model --------------------------------------------------------

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub version: u32,
    pub lang: &'static str,
    pub municipality: Option<String>,
    pub model: ModelRef,
    pub year: i32,
    pub as_of: String,
    /// The nämnd the report is limited to (`--namnd`), else the whole municipality.
    pub namnd: Option<NamedRef>,
    /// The diarienummer the report is filed under (`--reference`), shown
    /// in the header of every printed page.
    pub reference: Option<String>,
    /// `report.preface` of `kdl.yaml`, in paragraphs (split at blank
    /// lines; plain text, each paragraph's lines joined by spaces).
    pub preface: Vec<String>,
    pub summary: Summary,
    pub compliance: Vec<GroupCompliance>,
    pub categories: Vec<CategoryCompliance>,
    /// The sum of `categories` (`category` is `null`): its `systems +
    /// retired` is `summary.systems`.
    pub categories_total: CategoryCompliance,
    pub violations: Vec<Violation>,
    pub roles: Vec<RoleIssue>,
    pub pub_coverage: PubCoverage,
    pub cycle: Vec<CycleSystem>,
    pub followups: Vec<FollowupSystem>,
    pub expiring: Vec<ExpiringAgreement>,
    pub exceptions: Vec<ExceptionEntry>,
    /// Decisions, plans and other records the model's `require/record`
    /// rules ask for, and how far they are met.
    pub records: Vec<RecordCoverage>,
    /// Every system in scope (the appendix).
    pub systems: Vec<SystemRow>,
    /// `--compare-git` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes>,
    /// The municipality's logo for the HTML header (`--logo`), as a
    /// `data:` URI ([`html::logo_data_uri`]); not part of the JSON.
    #[serde(skip)]
    pub logo: Option<String>,
    /// Every id the report names (systems, persons, nämnder, agreements,
    /// behandlingar, and `all` of `used_by`), with what a reader sees
    /// instead: the renderers show `label` and keep the id as secondary
    /// text. Ids the catalog does not define are absent.
    pub names: BTreeMap<String, EntityName>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EntityName {
    /// `system`, `person`, `namnd`, `avtal`, `behandling` or `all`.
    pub kind: &'static str,
    /// The entity's `name` (its id when it has none).
    pub name: String,
    /// A person's title, as the model labels it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The name, with a person's title: "Anna Berg, IT-strateg".
    pub label: String,
}

impl Report {
    /// What a reader sees for `id`: its label, or the id itself.
    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.names.get(id).map_or(id, |n| n.label.as_str())
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ModelRef {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct NamedRef {
    pub id: String,
    pub name: String,
}

/// One bucket of the systems in scope (by category, scope, lifecycle
/// status or owner). Every breakdown counts the same systems — all of them
/// in scope, decommissioned ones included — so each adds up to
/// `summary.systems`.
#[derive(Clone, Debug, Serialize)]
pub struct Count {
    /// `null` for entities that lack the field (or whose owner is unknown).
    pub id: Option<String>,
    pub label: String,
    /// Systems in the bucket, decommissioned ones included.
    pub count: usize,
    /// Of `count`, the systems decommissioned (the model's retired status).
    pub retired: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Every system in scope, decommissioned ones included.
    pub systems: usize,
    /// Of `systems`, the decommissioned ones (the model's retired status).
    pub retired: usize,
    /// Of `systems`, the ones in use: at one of `in_use_statuses`.
    pub in_use: usize,
    /// The lifecycle statuses the model counts as in use (`i-drift`,
    /// `under-avveckling`), so `in_use` is the sum of their rows in
    /// `by_lifecycle`.
    pub in_use_statuses: Vec<String>,
    /// "I bruk (i drift, under avveckling)": what `in_use` counts.
    pub in_use_label: String,
    /// Agreements in scope, expired and future ones included.
    pub agreements: usize,
    /// Of `agreements`, those valid on the report date.
    pub agreements_valid: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    pub by_category: Vec<Count>,
    pub by_scope: Vec<Count>,
    pub by_lifecycle: Vec<Count>,
    pub by_owner: Vec<Count>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SystemRow {
    pub id: String,
    pub name: String,
    pub category: Option<String>,
    pub category_label: Option<String>,
    pub scope: Option<String>,
    pub status: Option<String>,
    pub owner: Option<NamedRef>,
    /// `["all"]` for `used-by: all`.
    pub used_by: Vec<String>,
    pub file: String,
    /// Open errors and warnings on or about the system.
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupCompliance {
    pub group: String,
    pub label: String,
    /// Rules of the group the model enables.
    pub rules: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    /// Distinct entities with an open finding of the group.
    pub entities: usize,
    /// `red` (errors), `yellow` (warnings), `green`.
    pub status: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct CategoryCompliance {
    /// The same buckets as `summary.by_category`, in the same order: the
    /// model's categories, then any other value, then `null` (no category).
    pub category: Option<String>,
    pub label: String,
    /// Systems of the category not decommissioned: the ones assessed here.
    pub systems: usize,
    /// Systems of the category decommissioned: not assessed. `systems +
    /// retired` is the category's count in `summary.by_category`.
    pub retired: usize,
    pub compliant: usize,
    pub with_warnings: usize,
    pub with_errors: usize,
    /// `compliant / systems` in per cent, rounded half up ([`percent`]);
    /// 100 when the category has no system assessed.
    pub percent: u32,
}

/// `num / den` in whole per cent, rounded half up (2 of 3 is 67, 1 of 8 is
/// 13); `None` when `den` is zero.
pub fn percent(num: usize, den: usize) -> Option<u32> {
    let num = u128::try_from(num).ok()?;
    let den = u128::try_from(den).ok()?;
    if den == 0 {
        return None;
    }
    u32::try_from((num * 200 + den) / (2 * den)).ok()
}

#[derive(Clone, Debug, Serialize)]
pub struct Violation {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub severity: &'static str,
    pub rule: String,
    pub entity: Option<String>,
    /// Another entity the finding is about (the system, for a finding in
    /// its agreement's file).
    pub subject: Option<String>,
    pub path: String,
    /// The rule's message, with ids.
    pub message: String,
    /// The message as a person reads it: the ids of entities the report
    /// names replaced by their names ([`readable`]), except in findings of
    /// the catalog format, which are about the ids themselves.
    pub text: String,
    pub source: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RoleIssue {
    pub system: NamedRef,
    pub category: Option<String>,
    pub role: String,
    pub role_label: String,
    /// `vacant` (mandatory, nobody appointed) or `left`.
    pub status: &'static str,
    pub person: Option<NamedRef>,
    pub left_on: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PubCoverage {
    /// Systems not decommissioned with `personal-data.processed: true`:
    /// `covered + partial + missing + not_required`.
    pub processing: usize,
    pub covered: usize,
    pub partial: usize,
    pub missing: usize,
    /// No PUB-avtal required: not due (category, lifecycle) or run
    /// internally (`internal`).
    pub not_required: usize,
    /// Of `not_required`, the systems run internally.
    pub internal: usize,
    /// Systems whose category needs a PUB-avtal but whose personal data is
    /// not assessed (`processed` absent).
    pub not_assessed: Vec<NamedRef>,
    pub systems: Vec<PubSystem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PubSystem {
    pub system: NamedRef,
    pub category: Option<String>,
    /// `covered`, `partial`, `missing`, `not-required`, `internal`.
    pub status: &'static str,
    pub agreements: Vec<AgreementRef>,
    pub used_by: Vec<String>,
    pub covered: Vec<String>,
    pub uncovered: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreementRef {
    pub id: String,
    #[serde(rename = "type")]
    pub typ: Option<String>,
    pub valid_until: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CycleSystem {
    pub system: NamedRef,
    pub category: Option<String>,
    pub plan: PlanStatus,
    pub next_plan: PlanStatus,
    pub report: ReportStatus,
}

#[derive(Clone, Debug, Serialize)]
pub struct PlanStatus {
    pub year: i32,
    /// `approved`, `approved-late`, `in-progress`, `missing`, `not-due`.
    pub status: &'static str,
    pub deadline: Option<String>,
    pub approved_on: Option<String>,
    pub approved_by: Option<NamedRef>,
    pub reference: Option<String>,
    /// The system whose plan `covers` this one, if not its own.
    pub via: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportStatus {
    pub year: i32,
    /// `done`, `late`, `missing`, `not-due`.
    pub status: &'static str,
    pub deadline: Option<String>,
    pub completed_on: Option<String>,
    pub approved_by: Option<NamedRef>,
    pub via: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FollowupSystem {
    pub system: NamedRef,
    pub category: Option<String>,
    /// `held` (at least one in the year up to the report date) or `missing`.
    pub status: &'static str,
    pub dates: Vec<FollowupDate>,
    /// The latest follow-up on or before the report date, any year.
    pub last: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FollowupDate {
    pub date: String,
    pub with_supplier: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExpiringAgreement {
    pub id: String,
    #[serde(rename = "type")]
    pub typ: Option<String>,
    /// The type's label in the model, else the type.
    pub type_label: Option<String>,
    pub systems: Vec<String>,
    pub counterparty: Option<String>,
    pub valid_until: String,
    pub days_left: i64,
    pub extension_decided_on: Option<String>,
    /// Another agreement of the same type is valid the day after, for every system.
    pub successor: bool,
}

/// How far one `require/record` instance is met: the records it asks for
/// on the report's date (an entity each, or an entity per user nämnd) and
/// the findings the rule gave where one is missing or wrong.
#[derive(Clone, Debug, Serialize)]
pub struct RecordCoverage {
    pub rule: String,
    /// The record types' labels ("Digitaliseringsplan"; alternatives
    /// joined by " / ").
    pub label: String,
    pub per_user_namnd: bool,
    /// Records due: one per selected entity, or one per entity and user
    /// nämnd.
    pub due: usize,
    /// Due records present and correct (no finding of the rule).
    pub met: usize,
    /// Findings of the rule set aside by an exception.
    pub waived: usize,
    pub gaps: Vec<RecordGap>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecordGap {
    pub entity: String,
    /// The user nämnd whose record is missing (per-user-nämnd rules).
    pub subject: Option<String>,
    pub severity: &'static str,
    pub message: String,
    /// `message` with names for ids (what the HTML and Markdown show).
    pub text: String,
    pub waived: bool,
    pub file: String,
    pub line: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExceptionEntry {
    pub entity: String,
    pub file: String,
    pub line: u32,
    /// The exception kind (`avsteg`, `avvikelse`, …) and its label.
    pub kind: Option<String>,
    pub kind_label: Option<String>,
    pub rule: Option<String>,
    pub decision: Option<String>,
    pub decided_on: Option<String>,
    pub motivation: Option<String>,
    pub expires: Option<String>,
    /// `in-force`, `documenting` (in force, of a kind that documents a
    /// finding without waiving it), `expired`, `not-yet`, `invalid`
    /// (incomplete, unknown rule, a kind or decider the rule does not
    /// accept).
    pub status: &'static str,
    /// Findings this exception suppresses in the report's run.
    pub suppressed: usize,
    /// In force but suppressing nothing.
    pub unused: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Changes {
    /// The commit compared with; `null` when the repository has none on or
    /// before 1 January (then everything counts as introduced).
    pub baseline: Option<Baseline>,
    pub resolved: Vec<ChangedViolation>,
    pub introduced: Vec<ChangedViolation>,
    pub systems_added: Vec<NamedRef>,
    pub systems_decommissioned: Vec<Decommissioned>,
    pub role_changes: Vec<RoleChange>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Baseline {
    pub commit: String,
    pub date: String,
    /// The date the baseline was evaluated as of (31 December of the year before).
    pub as_of: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChangedViolation {
    pub entity: String,
    pub rule: String,
    pub path: String,
    pub severity: &'static str,
    pub file: String,
    pub line: u32,
    pub message: String,
    /// The message as a person reads it (see [`Violation::text`]).
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Decommissioned {
    pub system: NamedRef,
    /// `retired` (status now the model's retired status) or `removed`.
    pub how: &'static str,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoleChange {
    pub date: String,
    pub system: String,
    pub role: String,
    /// The role's label in the model (filled in by [`compare`]).
    pub role_label: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub commit: String,
    pub author: String,
}

// ---- building ---------------------------------------------------------

/// The rule instances of the run's model (with `kdl.yaml` merged in), for
/// the same fact functions the rules use.
fn rule_ctx<'a>(run: &'a Run, ix: &'a Index<'a>) -> crate::check::Ctx<'a> {
    let (instances, _) = crate::check::compile(&run.model, &run.config, |_| true);
    crate::check::Ctx::new(
        &run.catalog,
        ix,
        &run.model,
        &run.config,
        run.as_of,
        instances,
    )
}

fn name_of(sys: &System) -> NamedRef {
    NamedRef {
        id: sys.head.id.v.clone(),
        name: sys
            .head
            .name
            .as_ref()
            .map_or_else(|| sys.head.id.v.clone(), |n| n.v.clone()),
    }
}

fn person_ref(ix: &Index, id: &str) -> NamedRef {
    NamedRef {
        id: id.to_string(),
        name: ix
            .person(id)
            .and_then(|p| p.head.name.as_ref())
            .map_or_else(|| id.to_string(), |n| n.v.clone()),
    }
}

/// A key that sorts names as a Swedish reader expects: case aside, and
/// å, ä, ö after z in that order.
pub fn collate(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => '\u{7b}',
            'ä' | 'æ' => '\u{7c}',
            'ö' | 'ø' => '\u{7d}',
            'é' | 'è' => 'e',
            'ü' => 'y',
            c => c,
        })
        .collect()
}

/// Sort key of a named thing: its name as read, then its id. Computed
/// once per element (`sort_by_cached_key`), not once per comparison.
fn by_name(x: &NamedRef) -> (String, String) {
    (collate(&x.name), x.id.clone())
}

fn str_of(s: &Option<crate::catalog::SpStr>) -> Option<String> {
    s.as_ref().map(|x| x.v.clone())
}

fn date_of(d: &Option<crate::catalog::Sp<NaiveDate>>) -> Option<NaiveDate> {
    d.as_ref().map(|x| x.v)
}

/// The severity's machine name.
fn sev(s: Severity) -> &'static str {
    s.as_str()
}

/// The rule group of a rule id; every catalog-format rule is `format`.
pub fn group_of(rule: &str) -> &str {
    if crate::check::registry::is_format_rule(rule) {
        return "format";
    }
    rule.split('/').next().unwrap_or(rule)
}

/// Which entities the report covers.
pub(crate) struct Scope {
    all: bool,
    ids: HashSet<String>,
}

impl Scope {
    /// Everything, or what concerns nämnd `n`: the systems it owns (its
    /// förvaltning employs the ägare) or uses, their agreements, its
    /// behandlingar, its own file and its förvaltning's persons.
    pub(crate) fn new(run: &Run, ix: &Index, namnd: Option<&str>) -> Scope {
        let Some(n) = namnd else {
            return Scope {
                all: true,
                ids: HashSet::new(),
            };
        };
        let owner_role = owner_role(run);
        let mut ids = HashSet::new();
        ids.insert(n.to_string());
        let forvaltning = ix
            .namnd(n)
            .and_then(|x| x.forvaltning.as_ref())
            .map(|f| f.id.v.clone());
        for s in &ix.systems {
            let uses = s.used_by.as_ref().is_some_and(|u| u.v.contains(n));
            let owns = ix
                .owner_namnd(s, &owner_role)
                .is_some_and(|o| o.head.id.v == n);
            if uses || owns {
                ids.insert(s.head.id.v.clone());
            }
        }
        for a in &ix.avtal {
            let about = a.systems.iter().any(|s| ids.contains(&s.v))
                || a.from.as_ref().is_some_and(|f| f.v == n)
                || matches!(&a.controllers, Some(c) if matches!(&c.v, NamndSet::List(_)) && c.v.contains(n));
            if about {
                ids.insert(a.head.id.v.clone());
            }
        }
        for b in &ix.behandlingar {
            if b.controller.as_ref().is_some_and(|c| c.v == n)
                || b.joint_with.iter().any(|j| j.v == n)
            {
                ids.insert(b.head.id.v.clone());
            }
        }
        for p in &ix.persons {
            if forvaltning.is_some() && p.forvaltning.as_ref().map(|f| &f.v) == forvaltning.as_ref()
            {
                ids.insert(p.head.id.v.clone());
            }
        }
        Scope { all: false, ids }
    }

    pub(crate) fn has(&self, id: &str) -> bool {
        self.all || self.ids.contains(id)
    }

    /// A finding is in scope when its entity or its subject is.
    pub(crate) fn covers(&self, d: &Diagnostic) -> bool {
        self.all
            || d.entity.as_deref().is_some_and(|e| self.has(e))
            || d.subject.as_deref().is_some_and(|e| self.has(e))
    }
}

fn owner_role(run: &Run) -> String {
    run.model.owner_role().unwrap_or_default().to_string()
}

fn retired(run: &Run, s: &System) -> bool {
    s.status
        .as_ref()
        .is_some_and(|st| run.model.is_retired(&st.v))
}

fn in_use(run: &Run, s: &System) -> bool {
    s.status
        .as_ref()
        .is_some_and(|st| run.model.is_in_use(&st.v))
}

fn reached(run: &Run, s: &System, from: &str) -> bool {
    s.status
        .as_ref()
        .is_some_and(|st| run.model.status_reached(&st.v, from))
}

/// Builds the report. `run` must have been evaluated as of the report date.
pub fn build(run: &Run, opts: &Options) -> Report {
    let ix = Index::build(&run.catalog);
    let scope = Scope::new(run, &ix, opts.namnd.as_deref());
    let lang = opts.lang;
    let en = lang == Lang::En;
    let systems: Vec<&System> = ix
        .systems
        .iter()
        .copied()
        .filter(|s| scope.has(&s.head.id.v))
        .collect();
    let live: Vec<&System> = systems
        .iter()
        .copied()
        .filter(|s| !retired(run, s))
        .collect();
    let active: Vec<&Diagnostic> = run.active().filter(|d| scope.covers(d)).collect();
    let ctx = rule_ctx(run, &ix);
    let summary = summary(run, &ix, &scope, &systems, &active, en);
    let categories = categories(run, &summary.by_category, &systems, &active);

    let mut report = Report {
        format: FORMAT_ID,
        version: VERSION,
        lang: if en { "en" } else { "sv" },
        municipality: run
            .config
            .municipality
            .clone()
            .or_else(|| run.model.municipality.clone()),
        model: ModelRef {
            id: run.model.id.clone(),
            name: run.model.name.clone(),
        },
        year: opts.year,
        as_of: run.as_of.to_string(),
        namnd: opts.namnd.as_ref().map(|n| NamedRef {
            id: n.clone(),
            name: ix
                .namnd(n)
                .and_then(|x| x.head.name.as_ref())
                .map_or_else(|| n.clone(), |x| x.v.clone()),
        }),
        reference: opts.reference.clone(),
        preface: paragraphs(run.config.report_preface.as_deref().unwrap_or_default()),
        compliance: compliance(run, &scope, &active, lang),
        categories_total: total(&categories, text::word("total", lang)),
        categories,
        summary,
        violations: active
            .iter()
            .map(|d| Violation {
                file: run.rel(d.file).to_string(),
                line: d.span.line,
                column: d.span.col,
                severity: sev(d.severity),
                rule: d.rule.to_string(),
                entity: d.entity.clone(),
                subject: d.subject.clone().filter(|s| Some(s) != d.entity.as_ref()),
                path: d.path.clone(),
                message: d.msg.render(lang, &run.model),
                text: String::new(),
                source: crate::report::source(run, d.rule),
            })
            .collect(),
        roles: roles(run, &ctx, &live, en),
        pub_coverage: pub_coverage(run, &ctx, &live),
        cycle: cycle(run, &ctx, &live, opts.year),
        followups: followups(run, &ctx, &live, opts.year),
        expiring: expiring(run, &ix, &scope, en),
        exceptions: exceptions(run, &ctx, &scope, en),
        records: records(run, &ctx, &scope, lang),
        systems: system_rows(run, &ix, &systems, &active, en),
        changes: None,
        logo: None,
        names: BTreeMap::new(),
    };
    let ids = referenced(&report);
    add_names(&mut report.names, &ids, &[run], lang);
    for v in &mut report.violations {
        v.text = text_of(&v.rule, &v.message, &report.names);
    }
    for g in report.records.iter_mut().flat_map(|r| r.gaps.iter_mut()) {
        g.text = readable(&g.message, &report.names);
    }
    report
}

fn text_of(rule: &str, message: &str, names: &BTreeMap<String, EntityName>) -> String {
    if group_of(rule) == "format" {
        message.to_string()
    } else {
        readable(message, names)
    }
}

/// Every id the report shows, outside `changes`.
fn referenced(r: &Report) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut one = |x: &NamedRef| ids.push(x.id.clone());
    if let Some(n) = &r.namnd {
        one(n);
    }
    for x in &r.roles {
        one(&x.system);
        if let Some(p) = &x.person {
            one(p);
        }
    }
    for p in &r.pub_coverage.systems {
        one(&p.system);
    }
    for x in &r.pub_coverage.not_assessed {
        one(x);
    }
    for c in &r.cycle {
        one(&c.system);
        for b in [
            &c.plan.approved_by,
            &c.next_plan.approved_by,
            &c.report.approved_by,
        ]
        .into_iter()
        .flatten()
        {
            one(b);
        }
    }
    for f in &r.followups {
        one(&f.system);
    }
    for p in &r.pub_coverage.systems {
        ids.extend(p.agreements.iter().map(|a| a.id.clone()));
        ids.extend(p.used_by.iter().cloned());
    }
    for c in &r.cycle {
        ids.extend(
            [&c.plan.via, &c.next_plan.via, &c.report.via]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    for v in &r.violations {
        ids.extend(v.entity.iter().chain(v.subject.iter()).cloned());
        ids.extend(quoted(&v.message).map(str::to_string));
    }
    for a in &r.expiring {
        ids.push(a.id.clone());
        ids.extend(a.systems.iter().cloned());
    }
    for e in &r.exceptions {
        ids.push(e.entity.clone());
    }
    for g in r.records.iter().flat_map(|r| &r.gaps) {
        ids.push(g.entity.clone());
        ids.extend(g.subject.iter().cloned());
        ids.extend(quoted(&g.message).map(str::to_string));
    }
    for s in &r.systems {
        ids.push(s.id.clone());
        ids.extend(s.owner.iter().map(|o| o.id.clone()));
        ids.extend(s.used_by.iter().cloned());
    }
    for c in r.summary.by_owner.iter().filter_map(|c| c.id.as_ref()) {
        ids.push(c.clone());
    }
    ids
}

/// A title as it follows a name ("Erik Sand, systemförvaltare"): the
/// first letter lower-cased, unless the word is an abbreviation ("IT-chef").
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if !b.is_uppercase() => a
            .to_lowercase()
            .chain(label[a.len_utf8()..].chars())
            .collect(),
        _ => label.to_string(),
    }
}

/// The `quoted` parts of a rule message (ids, keys, values).
pub fn quoted(message: &str) -> impl Iterator<Item = &str> {
    let parts: Vec<&str> = message.split('`').collect();
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .filter(move |(i, p)| i % 2 == 1 && i + 1 < n && !p.is_empty())
        .map(|(_, p)| p)
}

/// A rule message as a person reads it: every `quoted` id of an entity the
/// report names becomes that entity's name (the JSON keeps the message
/// with its ids).
pub fn readable(message: &str, names: &BTreeMap<String, EntityName>) -> String {
    let parts: Vec<&str> = message.split('`').collect();
    let n = parts.len();
    let mut out = String::with_capacity(message.len());
    for (i, part) in parts.iter().enumerate() {
        let quoted = i % 2 == 1 && i + 1 < n;
        // only a real name: an entity without one keeps its quoted id
        match names
            .get(*part)
            .filter(|e| e.kind != "all" && e.name != *part)
        {
            Some(e) if quoted => out.push_str(&e.name),
            _ if quoted => {
                out.push('`');
                out.push_str(part);
                out.push('`');
            }
            _ => {
                if i % 2 == 1 {
                    out.push('`');
                }
                out.push_str(part);
            }
        }
    }
    out
}

/// Adds to `names` the entities of `ids` found in the runs' catalogs (the
/// first run first), and `all` (of `used-by: all`).
fn add_names(names: &mut BTreeMap<String, EntityName>, ids: &[String], runs: &[&Run], lang: Lang) {
    use crate::catalog::Entity;
    let Some(model) = runs.first().map(|r| &r.model) else {
        return;
    };
    let mut by_id: HashMap<&str, &Entity> = HashMap::new();
    for run in runs.iter().rev() {
        for e in &run.catalog.entities {
            by_id.insert(e.head().id.v.as_str(), e);
        }
    }
    for id in ids {
        if names.contains_key(id) {
            continue;
        }
        let entry = match by_id.get(id.as_str()) {
            Some(e) => {
                let h = e.head();
                let name = h.name.as_ref().map_or_else(|| id.clone(), |n| n.v.clone());
                let (kind, title) = match e {
                    Entity::Namnd(_) => ("namnd", None),
                    Entity::Person(p) => (
                        "person",
                        str_of(&p.title)
                            .map(|t| lower_first(&model.title_label(&t, lang == Lang::En))),
                    ),
                    Entity::System(_) => ("system", None),
                    Entity::Avtal(_) => ("avtal", None),
                    Entity::Behandling(_) => ("behandling", None),
                };
                let label = match &title {
                    Some(t) if !t.trim().is_empty() => format!("{name}, {t}"),
                    _ => name.clone(),
                };
                EntityName {
                    kind,
                    name,
                    title,
                    label,
                }
            }
            None if id == "all" => {
                let label = text::word("all_namnder", lang);
                EntityName {
                    kind: "all",
                    name: label.clone(),
                    title: None,
                    label,
                }
            }
            None => continue,
        };
        names.insert(id.clone(), entry);
    }
}

fn summary(
    run: &Run,
    ix: &Index,
    scope: &Scope,
    systems: &[&System],
    active: &[&Diagnostic],
    en: bool,
) -> Summary {
    let mut s = Summary {
        systems: systems.len(),
        in_use: systems.iter().filter(|x| in_use(run, x)).count(),
        agreements: ix.avtal.iter().filter(|a| scope.has(&a.head.id.v)).count(),
        agreements_valid: ix
            .avtal
            .iter()
            .filter(|a| scope.has(&a.head.id.v) && a.valid_on(run.as_of))
            .count(),
        ..Summary::default()
    };
    for d in active {
        match d.severity {
            Severity::Error => s.errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Info => s.infos += 1,
        }
    }
    s.suppressed = run
        .diagnostics
        .iter()
        .filter(|d| d.suppressed_by.is_some() && scope.covers(d))
        .count();

    s.retired = systems.iter().filter(|x| retired(run, x)).count();
    s.in_use_statuses = run.model.lifecycle.in_use.clone();
    let lang = if en { Lang::En } else { Lang::Sv };
    s.in_use_label = format!(
        "{} ({})",
        text::word("k_in_use", lang),
        s.in_use_statuses
            .iter()
            .map(|v| text::value_label(v, lang).to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    );
    s.by_category = category_buckets(run, systems, en);
    let mut by_scope: BTreeMap<Option<String>, (usize, usize)> = BTreeMap::new();
    let mut by_status: BTreeMap<Option<String>, (usize, usize)> = BTreeMap::new();
    let mut by_owner: BTreeMap<Option<String>, (usize, usize)> = BTreeMap::new();
    let owner_role = owner_role(run);
    for sys in systems {
        let r = usize::from(retired(run, sys));
        let add = |m: &mut BTreeMap<Option<String>, (usize, usize)>, k: Option<String>| {
            let e = m.entry(k).or_default();
            e.0 += 1;
            e.1 += r;
        };
        add(&mut by_scope, str_of(&sys.scope));
        add(&mut by_status, str_of(&sys.status));
        let owner = ix
            .owner_namnd(sys, &owner_role)
            .map(|n| n.head.id.v.clone());
        add(&mut by_owner, owner);
    }
    s.by_scope = by_scope
        .into_iter()
        .map(|(id, (count, retired))| Count {
            label: id
                .as_deref()
                .map(|v| text::value_label(v, lang))
                .unwrap_or_default(),
            id,
            count,
            retired,
        })
        .collect();
    // lifecycle in the model's order, unknown statuses after
    let rank = |x: &Option<String>| {
        x.as_deref()
            .and_then(|v| run.model.status_rank(v))
            .unwrap_or(usize::MAX)
    };
    let mut statuses: Vec<(Option<String>, (usize, usize))> = by_status.into_iter().collect();
    statuses.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
    s.by_lifecycle = statuses
        .into_iter()
        .map(|(id, (count, retired))| Count {
            label: id
                .as_deref()
                .map(|v| text::value_label(v, lang))
                .unwrap_or_default(),
            id,
            count,
            retired,
        })
        .collect();
    let mut owners: Vec<Count> = by_owner
        .into_iter()
        .map(|(id, (count, retired))| Count {
            label: id
                .as_deref()
                .and_then(|n| ix.namnd(n))
                .and_then(|n| n.head.name.as_ref())
                .map(|n| n.v.clone())
                .or_else(|| id.clone())
                .unwrap_or_else(|| {
                    text::texts(lang)
                        .get("no_owner")
                        .copied()
                        .unwrap_or_default()
                        .to_string()
                }),
            id,
            count,
            retired,
        })
        .collect();
    // known owners by name, the unknown bucket last
    owners.sort_by(|a, b| (a.id.is_none(), &a.label).cmp(&(b.id.is_none(), &b.label)));
    s.by_owner = owners;
    s
}

fn system_rows(
    run: &Run,
    ix: &Index,
    systems: &[&System],
    active: &[&Diagnostic],
    en: bool,
) -> Vec<SystemRow> {
    let owner_role = owner_role(run);
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for d in active {
        for id in d.entity.iter().chain(d.subject.iter()) {
            let c = counts.entry(id.as_str()).or_default();
            match d.severity {
                Severity::Error => c.0 += 1,
                Severity::Warning => c.1 += 1,
                Severity::Info => {}
            }
        }
    }
    let mut rows: Vec<SystemRow> = systems
        .iter()
        .map(|s| {
            let (errors, warnings) = counts
                .get(s.head.id.v.as_str())
                .copied()
                .unwrap_or_default();
            SystemRow {
                id: s.head.id.v.clone(),
                name: name_of(s).name,
                category: str_of(&s.category),
                category_label: s
                    .category
                    .as_ref()
                    .map(|c| run.model.category_label(&c.v, en)),
                scope: str_of(&s.scope),
                status: str_of(&s.status),
                owner: ix.owner_namnd(s, &owner_role).map(|n| NamedRef {
                    id: n.head.id.v.clone(),
                    name: n
                        .head
                        .name
                        .as_ref()
                        .map_or_else(|| n.head.id.v.clone(), |x| x.v.clone()),
                }),
                used_by: match s.used_by.as_ref().map(|u| &u.v) {
                    Some(NamndSet::All) => vec!["all".to_string()],
                    Some(NamndSet::List(l)) => l.iter().map(|x| x.v.clone()).collect(),
                    None => Vec::new(),
                },
                file: run.rel(s.head.file).to_string(),
                errors,
                warnings,
            }
        })
        .collect();
    rows.sort_by_cached_key(|r| (collate(&r.name), r.id.clone()));
    rows
}

fn compliance(
    run: &Run,
    scope: &Scope,
    active: &[&Diagnostic],
    lang: Lang,
) -> Vec<GroupCompliance> {
    let mut groups: Vec<String> = Vec::new();
    for rule in run.model.rules.keys() {
        let g = group_of(rule).to_string();
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    groups.push("format".to_string());
    for d in active {
        let g = group_of(d.rule).to_string();
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let rules = if g == "format" {
                crate::check::registry::FORMAT_RULES.len()
            } else {
                run.model.rules.keys().filter(|r| group_of(r) == g).count()
            };
            let of_group: Vec<&&Diagnostic> =
                active.iter().filter(|d| group_of(d.rule) == g).collect();
            let count = |s: Severity| of_group.iter().filter(|d| d.severity == s).count();
            let (errors, warnings, infos) = (
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
            );
            let entities: HashSet<&str> = of_group
                .iter()
                .map(|d| d.entity.as_deref().unwrap_or_else(|| run.rel(d.file)))
                .collect();
            let suppressed = run
                .diagnostics
                .iter()
                .filter(|d| d.suppressed_by.is_some() && group_of(d.rule) == g && scope.covers(d))
                .count();
            GroupCompliance {
                label: text::group_label(&g, lang),
                group: g,
                rules,
                errors,
                warnings,
                infos,
                suppressed,
                entities: entities.len(),
                status: if errors > 0 {
                    "red"
                } else if warnings > 0 {
                    "yellow"
                } else {
                    "green"
                },
            }
        })
        .collect()
}

/// Worst open severity per system (findings on it or about it).
fn worst_by_system<'a>(active: &[&'a Diagnostic]) -> HashMap<&'a str, Severity> {
    let mut worst: HashMap<&str, Severity> = HashMap::new();
    for d in active {
        if d.severity == Severity::Info {
            continue;
        }
        for id in d.entity.iter().chain(d.subject.iter()) {
            let w = worst.entry(id.as_str()).or_insert(d.severity);
            *w = (*w).max(d.severity);
        }
    }
    worst
}

/// Plain text in paragraphs: split at blank lines, each paragraph's lines
/// trimmed and joined by spaces; empty paragraphs dropped.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim).chain(std::iter::once("")) {
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(cur.join(" "));
                cur.clear();
            }
        } else {
            cur.push(line);
        }
    }
    out
}

/// The sum of the rows of section 3.
fn total(rows: &[CategoryCompliance], label: String) -> CategoryCompliance {
    let sum = |f: fn(&CategoryCompliance) -> usize| rows.iter().map(f).sum::<usize>();
    let (systems, compliant) = (sum(|c| c.systems), sum(|c| c.compliant));
    CategoryCompliance {
        category: None,
        label,
        systems,
        retired: sum(|c| c.retired),
        compliant,
        with_warnings: sum(|c| c.with_warnings),
        with_errors: sum(|c| c.with_errors),
        percent: percent(compliant, systems).unwrap_or(100),
    }
}

/// The category of a system as the report buckets it: the `category`
/// value, `None` without one. Both breakdowns by category (section 1 and
/// section 3) use it.
fn category_key(s: &System) -> Option<String> {
    str_of(&s.category)
}

/// Systems by category: every category of the model in its order (zero
/// included), then any other value in order of first appearance, then the
/// systems without a category.
fn category_buckets(run: &Run, systems: &[&System], en: bool) -> Vec<Count> {
    let mut out: Vec<Count> = run
        .model
        .categories
        .keys()
        .map(|c| Count {
            id: Some(c.clone()),
            label: run.model.category_label(c, en),
            count: 0,
            retired: 0,
        })
        .collect();
    let mut none = Count {
        id: None,
        label: String::new(),
        count: 0,
        retired: 0,
    };
    for sys in systems {
        let cat = category_key(sys);
        let r = usize::from(retired(run, sys));
        if cat.is_none() {
            none.count += 1;
            none.retired += r;
        } else if let Some(b) = out.iter_mut().find(|c| c.id == cat) {
            b.count += 1;
            b.retired += r;
        } else {
            out.push(Count {
                label: cat.clone().unwrap_or_default(),
                id: cat,
                count: 1,
                retired: r,
            });
        }
    }
    if none.count > 0 {
        out.push(none);
    }
    out
}

/// Compliance per category, over the buckets of `summary.by_category`:
/// the systems not decommissioned are assessed, the decommissioned ones
/// counted apart.
fn categories(
    run: &Run,
    buckets: &[Count],
    systems: &[&System],
    active: &[&Diagnostic],
) -> Vec<CategoryCompliance> {
    let worst = worst_by_system(active);
    buckets
        .iter()
        .map(|b| {
            let (mut ok, mut warn, mut err, mut gone) = (0, 0, 0, 0);
            for s in systems.iter().filter(|s| category_key(s) == b.id) {
                if retired(run, s) {
                    gone += 1;
                    continue;
                }
                match worst.get(s.head.id.v.as_str()) {
                    Some(Severity::Error) => err += 1,
                    Some(Severity::Warning) => warn += 1,
                    _ => ok += 1,
                }
            }
            let n = ok + warn + err;
            CategoryCompliance {
                category: b.id.clone(),
                label: b.label.clone(),
                systems: n,
                retired: gone,
                compliant: ok,
                with_warnings: warn,
                with_errors: err,
                percent: percent(ok, n).unwrap_or(100),
            }
        })
        .collect()
}

fn roles(run: &Run, ctx: &crate::check::Ctx, live: &[&System], en: bool) -> Vec<RoleIssue> {
    let ix = ctx.ix;
    let mut out = Vec::new();
    for s in live {
        let cat_id = str_of(&s.category);
        for (name, _, _) in crate::check::roles::unmet_requirements(ctx, s) {
            let label = match cat_id
                .as_deref()
                .and_then(|c| run.model.category(c))
                .and_then(|c| c.mandatory.get(name))
            {
                Some(m) if !m.any_of.is_empty() => m
                    .any_of
                    .iter()
                    .map(|r| run.model.role_label(r, en))
                    .collect::<Vec<_>>()
                    .join(if en { " or " } else { " eller " }),
                _ => run.model.role_label(name, en),
            };
            out.push(RoleIssue {
                system: name_of(s),
                category: cat_id.clone(),
                role: name.to_string(),
                role_label: label,
                status: "vacant",
                person: None,
                left_on: None,
            });
        }
        for r in &s.roles {
            for h in &r.holders {
                let Some(p): Option<&Person> = ix.person(&h.v) else {
                    continue;
                };
                let Some(left) = &p.left_on else { continue };
                if left.v < run.as_of {
                    out.push(RoleIssue {
                        system: name_of(s),
                        category: cat_id.clone(),
                        role: r.name.v.clone(),
                        role_label: run.model.role_label(&r.name.v, en),
                        status: "left",
                        person: Some(person_ref(ix, &h.v)),
                        left_on: Some(left.v.to_string()),
                    });
                }
            }
        }
    }
    out.sort_by_cached_key(|x| (by_name(&x.system), x.role.clone(), x.person.clone()));
    out
}

fn category_requires(run: &Run, s: &System, document: &str) -> bool {
    s.category
        .as_ref()
        .and_then(|c| run.model.category(&c.v))
        .is_some_and(|c| c.documents.iter().any(|d| d == document))
}

fn pub_coverage(run: &Run, ctx: &crate::check::Ctx, live: &[&System]) -> PubCoverage {
    let ix = ctx.ix;
    let rule = ctx.first::<crate::check::personal_data::PubMissing>("pub/missing");
    let document = rule.map(|(_, p)| p.document.clone()).unwrap_or_default();
    let types: Vec<String> = match rule.map(|(_, p)| &p.types) {
        Some(t) if !t.is_empty() => t.clone(),
        _ => run
            .model
            .documents
            .get(&document)
            .and_then(|d| d.avtal.clone())
            .into_iter()
            .collect(),
    };
    let from = rule.and_then(|(i, _)| i.select.from.clone());
    let mut cov = PubCoverage::default();
    for s in live {
        let requires_doc = category_requires(run, s, &document);
        match s.processed() {
            Some(true) => {}
            None if requires_doc => {
                cov.not_assessed.push(name_of(s));
                continue;
            }
            _ => continue,
        }
        cov.processing += 1;
        let agreements: Vec<&Avtal> = ix
            .agreements(&s.head.id.v)
            .filter(|a| types.iter().any(|t| a.type_is(t)) && a.valid_on(run.as_of))
            .collect();
        let used_by: Vec<String> = s
            .used_by
            .as_ref()
            .map(|u| ix.namnd_ids(&u.v).into_iter().map(str::to_string).collect())
            .unwrap_or_default();
        let (covered, uncovered): (Vec<String>, Vec<String>) =
            used_by.iter().cloned().partition(|n| {
                agreements
                    .iter()
                    .any(|a| a.controllers.as_ref().is_some_and(|c| c.v.contains(n)))
            });
        let internal = s.hosting.as_ref().is_some_and(|h| h.v == "intern");
        let due = from.as_deref().is_none_or(|f| reached(run, s, f));
        let status = if !requires_doc || !due {
            "not-required"
        } else if internal {
            "internal"
        } else if agreements.is_empty() {
            "missing"
        } else if uncovered.is_empty() {
            "covered"
        } else {
            "partial"
        };
        // Coverage by nämnd means something only where a PUB-avtal is due:
        // an internally run or exempt system has no uncovered nämnder.
        let (covered, uncovered) = match status {
            "internal" | "not-required" => (Vec::new(), Vec::new()),
            _ => (covered, uncovered),
        };
        match status {
            "covered" => cov.covered += 1,
            "partial" => cov.partial += 1,
            "missing" => cov.missing += 1,
            "internal" => {
                cov.not_required += 1;
                cov.internal += 1;
            }
            _ => cov.not_required += 1,
        }
        let mut refs: Vec<AgreementRef> = agreements
            .iter()
            .map(|a| AgreementRef {
                id: a.head.id.v.clone(),
                typ: str_of(&a.typ),
                valid_until: date_of(&a.valid_until).map(|d| d.to_string()),
            })
            .collect();
        refs.sort_by(|a, b| a.id.cmp(&b.id));
        cov.systems.push(PubSystem {
            system: name_of(s),
            category: str_of(&s.category),
            status,
            agreements: refs,
            used_by,
            covered,
            uncovered,
        });
    }
    cov.systems.sort_by_cached_key(|x| by_name(&x.system));
    cov.not_assessed.sort_by_cached_key(by_name);
    cov
}

/// Whether the system is in the yearly cycle: the categories the
/// `plan/missing` instance selects (a category's `yearly-cycle` flag).
fn yearly(ctx: &crate::check::Ctx, s: &System) -> bool {
    let Some((inst, _)) = ctx.first::<crate::check::cycle::PlanMissing>("plan/missing") else {
        return false;
    };
    let cat = s.category.as_ref().map(|c| c.v.as_str());
    inst.select
        .categories
        .as_ref()
        .is_none_or(|list| cat.is_some_and(|c| list.iter().any(|x| x == c)))
}

fn date_in(year: i32, mm_dd: &str) -> Option<NaiveDate> {
    crate::catalog::parse_date(&format!("{year:04}-{mm_dd}"))
}

/// Whether the system needs the yearly documents for `year` (as `plan/missing`
/// decides it: at or past `from` on 1 January of the year).
fn needs(run: &Run, s: &System, from: Option<&str>, year: i32) -> bool {
    crate::check::needs_yearly_documents(&run.model, s, from, year)
}

fn plan_status(
    run: &Run,
    ix: &Index,
    s: &System,
    year: i32,
    deadline_md: &str,
    required: bool,
) -> PlanStatus {
    let deadline = date_in(year - 1, deadline_md);
    // own plans first, then plans of other systems that cover this one
    let own = s.plans.iter().map(|p| (None, s, p));
    let covering = ix
        .plans_covering
        .get(s.head.id.v.as_str())
        .into_iter()
        .flatten()
        .filter_map(|(si, pi)| {
            let o = ix.systems.get(*si)?;
            Some((Some(o.head.id.v.clone()), *o, o.plans.get(*pi)?))
        });
    let candidates: Vec<_> = own
        .chain(covering)
        .filter(|(_, _, p)| p.year.as_ref().is_some_and(|y| y.v == i64::from(year)))
        .collect();
    let approved = |p: &crate::catalog::Plan| p.status.as_ref().is_some_and(|x| x.v == "godkand");
    let best = candidates
        .iter()
        .find(|(_, _, p)| approved(p))
        .or_else(|| candidates.first());
    let Some((via, _, p)) = best else {
        let due = deadline.is_some_and(|d| d < run.as_of);
        return PlanStatus {
            year,
            status: if required && due {
                "missing"
            } else {
                "not-due"
            },
            deadline: deadline.map(|d| d.to_string()),
            approved_on: None,
            approved_by: None,
            reference: None,
            via: None,
        };
    };
    let approved_on = date_of(&p.approved_on);
    let status = if approved(p) {
        match (approved_on, deadline) {
            (Some(on), Some(d)) if on > d => "approved-late",
            _ => "approved",
        }
    } else {
        "in-progress"
    };
    let reference = p.reference.clone();
    PlanStatus {
        year,
        status,
        deadline: deadline.map(|d| d.to_string()),
        approved_on: approved_on.map(|d| d.to_string()),
        approved_by: p.approved_by.as_ref().map(|b| person_ref(ix, &b.v)),
        reference,
        via: via.clone(),
    }
}

fn report_status(
    run: &Run,
    ix: &Index,
    s: &System,
    year: i32,
    deadline_md: &str,
    required: bool,
) -> ReportStatus {
    let deadline = date_in(year + 1, deadline_md);
    let covering = ix
        .plans_covering
        .get(s.head.id.v.as_str())
        .into_iter()
        .flatten()
        .filter_map(|(si, _)| ix.systems.get(*si).copied());
    let found = std::iter::once(s).chain(covering).find_map(|sys| {
        sys.reports
            .iter()
            .find(|r| {
                r.year.as_ref().is_some_and(|y| y.v == i64::from(year))
                    && r.completed_on.as_ref().is_some_and(|c| c.v <= run.as_of)
            })
            .map(|r| (sys, r))
    });
    match found {
        Some((sys, r)) => {
            let on = date_of(&r.completed_on);
            let late = matches!((on, deadline), (Some(o), Some(d)) if o > d);
            ReportStatus {
                year,
                status: if late { "late" } else { "done" },
                deadline: deadline.map(|d| d.to_string()),
                completed_on: on.map(|d| d.to_string()),
                approved_by: r.approved_by.as_ref().map(|b| person_ref(ix, &b.v)),
                via: (!std::ptr::eq(sys, s)).then(|| sys.head.id.v.clone()),
            }
        }
        None => ReportStatus {
            year,
            status: if required && deadline.is_some_and(|d| d < run.as_of) {
                "missing"
            } else {
                "not-due"
            },
            deadline: deadline.map(|d| d.to_string()),
            completed_on: None,
            approved_by: None,
            via: None,
        },
    }
}

fn cycle(run: &Run, ctx: &crate::check::Ctx, live: &[&System], year: i32) -> Vec<CycleSystem> {
    use crate::check::cycle::{PlanLate, PlanMissing, ReportMissing};
    let ix = ctx.ix;
    let plan_from = ctx
        .first::<PlanMissing>("plan/missing")
        .and_then(|(i, _)| i.select.from.clone());
    let plan_deadline = ctx
        .first::<PlanLate>("plan/late")
        .map_or_else(|| "12-31".to_string(), |(_, p)| p.deadline.clone());
    let rp = ctx.first::<ReportMissing>("report/missing");
    let report_from = rp.and_then(|(i, _)| i.select.from.clone());
    let report_deadline = rp.map_or_else(|| "03-31".to_string(), |(_, p)| p.deadline.clone());
    let mut out: Vec<CycleSystem> = live
        .iter()
        .filter(|s| yearly(ctx, s))
        .map(|s| CycleSystem {
            system: name_of(s),
            category: str_of(&s.category),
            plan: plan_status(
                run,
                ix,
                s,
                year,
                &plan_deadline,
                needs(run, s, plan_from.as_deref(), year),
            ),
            next_plan: plan_status(
                run,
                ix,
                s,
                year + 1,
                &plan_deadline,
                plan_from.as_deref().is_none_or(|f| reached(run, s, f)),
            ),
            report: report_status(
                run,
                ix,
                s,
                year - 1,
                &report_deadline,
                needs(run, s, report_from.as_deref(), year - 1),
            ),
        })
        .collect();
    out.sort_by_cached_key(|x| by_name(&x.system));
    out
}

fn followups(
    run: &Run,
    ctx: &crate::check::Ctx,
    live: &[&System],
    year: i32,
) -> Vec<FollowupSystem> {
    let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let mut out: Vec<FollowupSystem> = live
        .iter()
        .filter(|s| yearly(ctx, s) && in_use(run, s))
        .map(|s| {
            let with_supplier = |date: NaiveDate| {
                s.followups_with_supplier
                    .iter()
                    .find(|(d, _)| *d == date)
                    .map(|(_, w)| *w)
            };
            let mut dates: Vec<NaiveDate> = s
                .followups
                .iter()
                .map(|f| f.v)
                .filter(|d| *d >= jan1 && *d <= run.as_of)
                .collect();
            dates.sort();
            dates.dedup();
            let last = s
                .followups
                .iter()
                .map(|f| f.v)
                .filter(|d| *d <= run.as_of)
                .max();
            FollowupSystem {
                system: name_of(s),
                category: str_of(&s.category),
                status: if dates.is_empty() { "missing" } else { "held" },
                dates: dates
                    .into_iter()
                    .map(|d| FollowupDate {
                        date: d.to_string(),
                        with_supplier: with_supplier(d),
                    })
                    .collect(),
                last: last.map(|d| d.to_string()),
            }
        })
        .collect();
    out.sort_by_cached_key(|x| by_name(&x.system));
    out
}

fn expiring(run: &Run, ix: &Index, scope: &Scope, en: bool) -> Vec<ExpiringAgreement> {
    let horizon = run
        .as_of
        .checked_add_months(Months::new(12))
        .unwrap_or(run.as_of);
    let mut out: Vec<ExpiringAgreement> = ix
        .avtal
        .iter()
        .filter(|a| scope.has(&a.head.id.v))
        .filter_map(|a| {
            let until = date_of(&a.valid_until)?;
            if until < run.as_of || until > horizon {
                return None;
            }
            let next_day = until.succ_opt().unwrap_or(until);
            let successor = !a.systems.is_empty()
                && a.systems.iter().all(|s| {
                    ix.agreements(&s.v).any(|o| {
                        !std::ptr::eq(o, *a)
                            && a.typ.as_ref().is_some_and(|t| o.type_is(&t.v))
                            && o.valid_on(next_day)
                    })
                });
            let counterparty = a.counterparty.clone();
            Some(ExpiringAgreement {
                id: a.head.id.v.clone(),
                typ: str_of(&a.typ),
                type_label: a.typ.as_ref().map(|t| run.model.avtal_type_label(&t.v, en)),
                systems: a.systems.iter().map(|s| s.v.clone()).collect(),
                counterparty,
                valid_until: until.to_string(),
                days_left: (until - run.as_of).num_days(),
                extension_decided_on: date_of(&a.extension_decided_on).map(|d| d.to_string()),
                successor,
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.valid_until, &a.id).cmp(&(&b.valid_until, &b.id)));
    out
}

/// Coverage of every `require/record` instance, from the rule's own
/// requirement (`check::record::requirements`) and its findings in the run.
fn records(run: &Run, ctx: &crate::check::Ctx, scope: &Scope, lang: Lang) -> Vec<RecordCoverage> {
    let en = lang == Lang::En;
    let mut out = Vec::new();
    for req in crate::check::record::requirements(ctx) {
        let mut due = 0;
        for (entity, namnder) in &req.entities {
            if req.per_user_namnd {
                due += namnder
                    .iter()
                    .filter(|n| scope.has(entity) || scope.has(n))
                    .count();
            } else if scope.has(entity) {
                due += 1;
            }
        }
        let gaps: Vec<RecordGap> = run
            .diagnostics
            .iter()
            .filter(|d| d.rule == req.rule && scope.covers(d))
            .map(|d| RecordGap {
                entity: d.entity.clone().unwrap_or_default(),
                subject: d.subject.clone(),
                severity: sev(d.severity),
                message: d.msg.render(lang, &run.model),
                text: String::new(),
                waived: d.suppressed_by.is_some(),
                file: run.rel(d.file).to_string(),
                line: d.span.line,
            })
            .collect();
        let waived = gaps.iter().filter(|g| g.waived).count();
        out.push(RecordCoverage {
            rule: req.rule.to_string(),
            label: req
                .types
                .iter()
                .map(|t| run.model.record_type_label(t, en))
                .collect::<Vec<_>>()
                .join(" / "),
            per_user_namnd: req.per_user_namnd,
            due,
            met: due.saturating_sub(gaps.len()),
            waived,
            gaps,
        });
    }
    out
}

fn exceptions(run: &Run, ctx: &crate::check::Ctx, scope: &Scope, en: bool) -> Vec<ExceptionEntry> {
    use crate::check::exceptions::{standing, Standing};
    let mut suppressed: HashMap<(&str, &str), usize> = HashMap::new();
    for d in &run.diagnostics {
        if let Some(s) = &d.suppressed_by {
            *suppressed.entry((s.entity.as_str(), d.rule)).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for e in &run.catalog.entities {
        let h = e.head();
        if !scope.has(&h.id.v) {
            continue;
        }
        for x in &h.exceptions {
            // The same standing the rules use to waive findings.
            let st = standing(ctx, h, x);
            let status = match &st {
                Standing::InForce {
                    suppresses: false, ..
                } => "documenting",
                Standing::InForce { .. } => "in-force",
                Standing::Expired { .. } => "expired",
                Standing::NotYet { .. } => "not-yet",
                _ => "invalid",
            };
            let rule = str_of(&x.rule);
            let n = rule
                .as_deref()
                .and_then(|r| suppressed.get(&(h.id.v.as_str(), r)))
                .copied()
                .unwrap_or(0);
            out.push(ExceptionEntry {
                entity: h.id.v.clone(),
                file: run.rel(h.file).to_string(),
                line: x.span.line,
                kind: st.kind().map(String::from),
                kind_label: st.kind().map(|k| run.model.exception_kind_label(k, en)),
                rule,
                decision: str_of(&x.decision),
                decided_on: date_of(&x.decided_on).map(|d| d.to_string()),
                motivation: str_of(&x.motivation),
                expires: date_of(&x.expires).map(|d| d.to_string()),
                status,
                suppressed: n,
                unused: status == "in-force" && n == 0,
            });
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

// ---- the year's changes (`--compare-git`) ------------------------------

/// The key a finding is matched by across commits: entity (or file, for
/// findings outside any entity), rule, YAML path — never the line.
fn key(run: &Run, d: &Diagnostic) -> (String, String, String) {
    (
        d.entity
            .clone()
            .unwrap_or_else(|| run.rel(d.file).to_string()),
        d.rule.to_string(),
        d.path.clone(),
    )
}

fn changed(run: &Run, d: &Diagnostic, lang: Lang) -> ChangedViolation {
    let (entity, rule, path) = key(run, d);
    ChangedViolation {
        entity,
        rule,
        path,
        severity: sev(d.severity),
        file: run.rel(d.file).to_string(),
        line: d.span.line,
        message: d.msg.render(lang, &run.model),
        text: String::new(),
    }
}

/// Fills `report.changes` from the year's history: `base_run` is the lint
/// run of the catalog at the last commit on or before 1 January, `baseline`
/// that commit. Without a run (no such commit, or no catalog in it) the
/// comparison is against an empty catalog.
pub fn compare(
    report: &mut Report,
    current: &Run,
    base_run: Option<&Run>,
    baseline: Option<Baseline>,
    mut role_changes: Vec<RoleChange>,
    opts: &Options,
) {
    let lang = opts.lang;
    let cur_ix = Index::build(&current.catalog);
    let cur_scope = Scope::new(current, &cur_ix, opts.namnd.as_deref());
    let mut ch = Changes::default();

    // findings, as multisets by key
    let mut now: BTreeMap<(String, String, String), Vec<&Diagnostic>> = BTreeMap::new();
    for d in current.active().filter(|d| cur_scope.covers(d)) {
        now.entry(key(current, d)).or_default().push(d);
    }
    let mut before: BTreeMap<(String, String, String), Vec<&Diagnostic>> = BTreeMap::new();
    let base_ix = base_run.map(|r| Index::build(&r.catalog));
    if let (Some(base), Some(ix)) = (base_run, &base_ix) {
        let scope = Scope::new(base, ix, opts.namnd.as_deref());
        for d in base.active().filter(|d| scope.covers(d)) {
            before.entry(key(base, d)).or_default().push(d);
        }
    }
    for (k, ds) in &now {
        let had = before.get(k).map_or(0, Vec::len);
        for d in ds.iter().skip(had) {
            ch.introduced.push(changed(current, d, lang));
        }
    }
    if let Some(base) = base_run {
        for (k, ds) in &before {
            let has = now.get(k).map_or(0, Vec::len);
            for d in ds.iter().skip(has) {
                ch.resolved.push(changed(base, d, lang));
            }
        }
    }
    ch.introduced.sort();
    ch.resolved.sort();

    // systems added and decommissioned
    let cur_systems: HashMap<&str, &System> = cur_ix
        .systems
        .iter()
        .filter(|s| cur_scope.has(&s.head.id.v))
        .map(|s| (s.head.id.v.as_str(), *s))
        .collect();
    let base_systems: HashMap<&str, &System> = match (base_run, &base_ix) {
        (Some(base), Some(ix)) => {
            let scope = Scope::new(base, ix, opts.namnd.as_deref());
            ix.systems
                .iter()
                .filter(|s| scope.has(&s.head.id.v))
                .map(|s| (s.head.id.v.as_str(), *s))
                .collect()
        }
        _ => HashMap::new(),
    };
    for (id, s) in &cur_systems {
        if !base_systems.contains_key(id) {
            ch.systems_added.push(name_of(s));
        }
    }
    if let Some(base) = base_run {
        for (id, s) in &base_systems {
            let how = match cur_systems.get(id) {
                None => "removed",
                Some(now) if retired(current, now) && !retired(base, s) => "retired",
                Some(_) => continue,
            };
            ch.systems_decommissioned.push(Decommissioned {
                system: name_of(s),
                how,
            });
        }
    }
    ch.systems_added.sort();
    ch.systems_decommissioned
        .sort_by(|a, b| a.system.id.cmp(&b.system.id));

    // role holder changes, limited to the systems in scope now or then
    role_changes.retain(|c| {
        cur_scope.has(&c.system)
            && (opts.namnd.is_none() || cur_systems.contains_key(c.system.as_str()))
            || base_systems.contains_key(c.system.as_str())
    });
    role_changes.sort();
    for c in &mut role_changes {
        c.role_label = current.model.role_label(&c.role, lang == Lang::En);
    }
    ch.role_changes = role_changes;
    ch.baseline = baseline;
    let mut ids: Vec<String> = Vec::new();
    for v in ch.resolved.iter().chain(&ch.introduced) {
        ids.push(v.entity.clone());
        ids.extend(quoted(&v.message).map(str::to_string));
    }
    ids.extend(ch.systems_added.iter().map(|s| s.id.clone()));
    ids.extend(
        ch.systems_decommissioned
            .iter()
            .map(|s| s.system.id.clone()),
    );
    for c in &ch.role_changes {
        ids.push(c.system.clone());
        ids.extend(c.before.iter().chain(&c.after).cloned());
    }
    let runs: Vec<&Run> = std::iter::once(current).chain(base_run).collect();
    add_names(&mut report.names, &ids, &runs, lang);
    for v in ch.resolved.iter_mut().chain(ch.introduced.iter_mut()) {
        v.text = text_of(&v.rule, &v.message, &report.names);
    }
    report.changes = Some(ch);
}

/// The report date of `year`: 31 December.
pub fn year_end(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}
