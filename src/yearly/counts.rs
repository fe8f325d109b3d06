//! Counts and breakdowns: the summary (section 1), compliance by rule
//! group (section 2) and by category (section 3), the appendix of systems.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{
    collate, group_of, in_use, name_of, owner_role, percent, retired, str_of, text,
    CategoryCompliance, Count, GroupCompliance, NamedRef, Scope, Summary, SystemRow,
};
use crate::catalog::{Index, NamndSet, System};
use crate::diagnostic::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::Run;

pub(super) fn summary(
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
            .map(|v| run.model.status_label(v, en))
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
            .map(|n| n.head.id.v.to_string());
        add(&mut by_owner, owner);
    }
    s.by_scope = value_counts(by_scope, |v| run.model.scope_display(v, en));
    // lifecycle in the model's order, unknown statuses after
    let rank = |x: &Option<String>| {
        x.as_deref()
            .and_then(|v| run.model.status_rank(v))
            .unwrap_or(usize::MAX)
    };
    let mut statuses: Vec<(Option<String>, (usize, usize))> = by_status.into_iter().collect();
    statuses.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
    s.by_lifecycle = value_counts(statuses, |v| run.model.status_display(v, en));
    let mut owners: Vec<Count> = by_owner
        .into_iter()
        .map(|(id, (count, retired))| Count {
            label: id
                .as_deref()
                .and_then(|n| ix.namnd(n))
                .and_then(|n| n.head.name.as_ref())
                .map(|n| n.v.to_string())
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

pub(super) fn system_rows(
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
                id: s.head.id.v.to_string(),
                name: name_of(s).name,
                category: str_of(&s.category),
                category_label: s
                    .category
                    .as_ref()
                    .map(|c| run.model.category_label(&c.v, en)),
                scope: str_of(&s.scope),
                scope_label: s.scope.as_ref().map(|c| run.model.scope_display(&c.v, en)),
                status: str_of(&s.status),
                status_label: s
                    .status
                    .as_ref()
                    .map(|c| run.model.status_display(&c.v, en)),
                owner: ix.owner_namnd(s, &owner_role).map(|n| NamedRef {
                    id: n.head.id.v.to_string(),
                    name: n
                        .head
                        .name
                        .as_ref()
                        .map_or_else(|| n.head.id.v.to_string(), |x| x.v.to_string()),
                }),
                used_by: match s.used_by.as_ref().map(|u| &u.v) {
                    Some(NamndSet::All) => vec!["all".to_string()],
                    Some(NamndSet::List(l)) => l.iter().map(|x| x.v.to_string()).collect(),
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

pub(super) fn compliance(
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
pub(super) fn worst_by_system<'a>(active: &[&'a Diagnostic]) -> HashMap<&'a str, Severity> {
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

/// The sum of the rows of section 3.
pub(super) fn total(rows: &[CategoryCompliance], label: String) -> CategoryCompliance {
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
pub(super) fn category_key(s: &System) -> Option<String> {
    str_of(&s.category)
}

/// Systems by category: every category of the model in its order (zero
/// included), then any other value in order of first appearance, then the
/// systems without a category.
pub(super) fn category_buckets(run: &Run, systems: &[&System], en: bool) -> Vec<Count> {
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
pub(super) fn categories(
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

/// Rows of counts per value (a scope, a lifecycle status), labelled with
/// the value's readable name, in the order given.
fn value_counts(
    counts: impl IntoIterator<Item = (Option<String>, (usize, usize))>,
    label: impl Fn(&str) -> String,
) -> Vec<Count> {
    counts
        .into_iter()
        .map(|(id, (count, retired))| Count {
            label: id.as_deref().map(&label).unwrap_or_default(),
            id,
            count,
            retired,
        })
        .collect()
}
