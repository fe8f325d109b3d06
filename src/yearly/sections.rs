//! The per-system sections: roles (section 4), PUB-avtal coverage
//! (section 5), the yearly cycle of plans, reports and follow-ups
//! (section 6) and the agreements that expire within a year (section 7).
//! Each reads the typed entities and the rules' own fact functions.

use chrono::{Months, NaiveDate};

use super::{
    by_name, date_of, in_use, name_of, person_ref, reached, str_of, AgreementRef, CycleSystem,
    ExpiringAgreement, FollowupDate, FollowupSystem, PlanStatus, PubCoverage, PubSystem,
    ReportStatus, RoleIssue, Scope,
};
use crate::catalog::{Avtal, Index, System};
use crate::Run;

pub(super) fn roles(
    run: &Run,
    ctx: &crate::check::Ctx,
    live: &[&System],
    en: bool,
) -> Vec<RoleIssue> {
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
        for (r, h, _, left) in crate::check::roles::departed_holders(ctx, &s.roles) {
            out.push(RoleIssue {
                system: name_of(s),
                category: cat_id.clone(),
                role: r.name.v.to_string(),
                role_label: run.model.role_label(&r.name.v, en),
                status: "left",
                person: Some(person_ref(ix, &h.v)),
                left_on: Some(left.v.to_string()),
            });
        }
    }
    out.sort_by_cached_key(|x| (by_name(&x.system), x.role.clone(), x.person.clone()));
    out
}

pub(super) fn category_requires(run: &Run, s: &System, document: &str) -> bool {
    s.category
        .as_ref()
        .and_then(|c| run.model.category(&c.v))
        .is_some_and(|c| c.documents.iter().any(|d| d == document))
}

pub(super) fn pub_coverage(run: &Run, ctx: &crate::check::Ctx, live: &[&System]) -> PubCoverage {
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
                id: a.head.id.v.to_string(),
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
pub(super) fn yearly(ctx: &crate::check::Ctx, s: &System) -> bool {
    let Some((inst, _)) = ctx.first::<crate::check::cycle::PlanMissing>("plan/missing") else {
        return false;
    };
    let cat = s.category.as_ref().map(|c| c.v.as_str());
    inst.select
        .categories
        .as_ref()
        .is_none_or(|list| cat.is_some_and(|c| list.iter().any(|x| x == c)))
}

pub(super) fn date_in(year: i32, mm_dd: &str) -> Option<NaiveDate> {
    crate::catalog::parse_date(&format!("{year:04}-{mm_dd}"))
}

/// Whether the system needs the yearly documents for `year` (as `plan/missing`
/// decides it: at or past `from` on 1 January of the year).
pub(super) fn needs(run: &Run, s: &System, from: Option<&str>, year: i32) -> bool {
    crate::check::needs_yearly_documents(&run.model, s, from, year)
}

pub(super) fn plan_status(
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
        .plans_covering(&s.head.id.v)
        .iter()
        .filter_map(|(si, pi)| {
            let o = ix.systems.get(*si)?;
            Some((Some(o.head.id.v.to_string()), *o, o.plans.get(*pi)?))
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
        return PlanStatus {
            year,
            status: absent(required, deadline, run.as_of),
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

pub(super) fn report_status(
    run: &Run,
    ix: &Index,
    s: &System,
    year: i32,
    deadline_md: &str,
    required: bool,
) -> ReportStatus {
    let deadline = date_in(year + 1, deadline_md);
    let covering = ix
        .plans_covering(&s.head.id.v)
        .iter()
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
                via: (!std::ptr::eq(sys, s)).then(|| sys.head.id.v.to_string()),
            }
        }
        None => ReportStatus {
            year,
            status: absent(required, deadline, run.as_of),
            deadline: deadline.map(|d| d.to_string()),
            completed_on: None,
            approved_by: None,
            via: None,
        },
    }
}

/// The status of a required document that is not there: missing once its
/// deadline has passed, else not yet due.
fn absent(required: bool, deadline: Option<NaiveDate>, as_of: NaiveDate) -> &'static str {
    if required && deadline.is_some_and(|d| d < as_of) {
        "missing"
    } else {
        "not-due"
    }
}

pub(super) fn cycle(
    run: &Run,
    ctx: &crate::check::Ctx,
    live: &[&System],
    year: i32,
) -> Vec<CycleSystem> {
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

pub(super) fn followups(
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

pub(super) fn expiring(run: &Run, ix: &Index, scope: &Scope, en: bool) -> Vec<ExpiringAgreement> {
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
                id: a.head.id.v.to_string(),
                typ: str_of(&a.typ),
                type_label: a.typ.as_ref().map(|t| run.model.avtal_type_label(&t.v, en)),
                systems: a.systems.iter().map(|s| s.v.to_string()).collect(),
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
