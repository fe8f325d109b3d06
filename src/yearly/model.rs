//! The report's model: plain, serialisable structs that are the `json`
//! format as it stands and that the other renderers lay out.

use std::collections::BTreeMap;

use serde::Serialize;

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
    /// `data:` URI ([`super::html::logo_data_uri`]); not part of the JSON.
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
    /// The scope's label, as the model (else the catalog format) gives it.
    pub scope_label: Option<String>,
    pub status: Option<String>,
    pub status_label: Option<String>,
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
    /// names replaced by their names ([`readable`](super::readable)), except in findings of
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
    /// The role's label in the model (filled in by [`compare`](super::compare)).
    pub role_label: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub commit: String,
    pub author: String,
}
