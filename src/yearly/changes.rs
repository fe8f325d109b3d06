//! The year's changes (`--compare-git`): findings resolved and
//! introduced since the baseline commit, systems added and decommissioned,
//! role holders changed.

use std::collections::{BTreeMap, HashMap};

use super::{
    add_names, name_of, quoted, retired, sev, text_of, Baseline, ChangedViolation, Changes,
    Decommissioned, Options, Report, RoleChange, Scope,
};
use crate::catalog::{Index, System};
use crate::diagnostic::Diagnostic;
use crate::i18n::Lang;
use crate::Run;

/// The key a finding is matched by across commits: entity (or file, for
/// findings outside any entity), rule, YAML path — never the line.
pub(super) fn key(run: &Run, d: &Diagnostic) -> (String, String, String) {
    (
        d.entity
            .clone()
            .unwrap_or_else(|| run.rel(d.file).to_string()),
        d.rule.to_string(),
        d.path.clone(),
    )
}

pub(super) fn changed(run: &Run, d: &Diagnostic, lang: Lang) -> ChangedViolation {
    let (entity, rule, path) = key(run, d);
    ChangedViolation {
        entity,
        rule,
        path,
        severity: sev(d.severity),
        file: run.rel(d.file).to_string(),
        line: d.pos.line,
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
