//! `kdl report`: the yearly follow-up (årlig uppföljning) of a catalog.
//!
//! [`build`] turns a completed lint [`Run`] into a [`Report`]: a plain,
//! serialisable model that is the `json` format as it stands and that the
//! other renderers ([`html`], [`md`], [`xlsx`]) lay out. Nothing here
//! decides compliance anew: the violations are the lint run's; the tables
//! (roles, PUB-avtal, yearly cycle, agreements, exceptions) read the same
//! typed entities and the model's parameters, so the report and `kdl lint`
//! never disagree. [`git`] adds the year's history (`--compare-git`).

mod changes;
mod counts;
pub mod git;
pub mod html;
pub mod md;
mod model;
mod names;
mod records;
mod scope;
mod sections;
pub mod text;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;

pub use changes::compare;
use counts::{categories, compliance, summary, system_rows, total};
pub use model::*;
pub(crate) use names::add_names;
use names::{by_name, referenced, text_of};
pub use names::{collate, quoted, readable};
use records::{exceptions, records};
pub(crate) use scope::Scope;
use sections::{cycle, expiring, followups, pub_coverage, roles};

use crate::catalog::{Index, System};
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

pub(super) fn name_of(sys: &System) -> NamedRef {
    NamedRef {
        id: sys.head.id.v.to_string(),
        name: sys
            .head
            .name
            .as_ref()
            .map_or_else(|| sys.head.id.v.to_string(), |n| n.v.to_string()),
    }
}

pub(super) fn person_ref(ix: &Index, id: &str) -> NamedRef {
    NamedRef {
        id: id.to_string(),
        name: ix
            .person(id)
            .and_then(|p| p.head.name.as_ref())
            .map_or_else(|| id.to_string(), |n| n.v.to_string()),
    }
}

pub(super) fn str_of(s: &Option<crate::catalog::SpStr>) -> Option<String> {
    s.as_ref().map(|x| x.v.to_string())
}

pub(super) fn date_of(d: &Option<crate::catalog::Sp<NaiveDate>>) -> Option<NaiveDate> {
    d.as_ref().map(|x| x.v)
}

/// The severity's machine name.
pub(super) fn sev(s: Severity) -> &'static str {
    s.as_str()
}

/// The rule group of a rule id; every catalog-format rule is `format`.
pub fn group_of(rule: &str) -> &str {
    if crate::check::registry::is_format_rule(rule) {
        return "format";
    }
    rule.split('/').next().unwrap_or(rule)
}

pub(super) fn owner_role(run: &Run) -> String {
    run.model.owner_role().unwrap_or_default().to_string()
}

pub(super) fn retired(run: &Run, s: &System) -> bool {
    s.status
        .as_ref()
        .is_some_and(|st| run.model.is_retired(&st.v))
}

pub(super) fn in_use(run: &Run, s: &System) -> bool {
    s.status
        .as_ref()
        .is_some_and(|st| run.model.is_in_use(&st.v))
}

pub(super) fn reached(run: &Run, s: &System, from: &str) -> bool {
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
                .map_or_else(|| n.clone(), |x| x.v.to_string()),
        }),
        reference: opts.reference.clone(),
        preface: paragraphs(run.config.report_preface.as_deref().unwrap_or_default()),
        compliance: compliance(run, &scope, &active, lang),
        categories_total: total(&categories, text::word("total", lang)),
        categories,
        summary,
        // one message per finding, hundreds of thousands at 100k: on every core
        violations: active
            .par_iter()
            .map(|d| Violation {
                file: run.rel(d.file).to_string(),
                line: d.pos.line,
                column: d.pos.col,
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
    let names = &report.names;
    report
        .violations
        .par_iter_mut()
        .for_each(|v| v.text = text_of(&v.rule, &v.message, names));
    for g in report.records.iter_mut().flat_map(|r| r.gaps.iter_mut()) {
        g.text = readable(&g.message, &report.names);
    }
    report
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

/// The report date of `year`: 31 December.
pub fn year_end(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}
