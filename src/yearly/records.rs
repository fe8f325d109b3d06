//! Exceptions (avsteg, avvikelser) and the records `require/record` asks
//! for: their standing and coverage, as the rules decide them.

use std::collections::HashMap;

use super::{date_of, sev, str_of, ExceptionEntry, RecordCoverage, RecordGap, Scope};
use crate::i18n::Lang;
use crate::Run;

/// Coverage of every `require/record` instance, from the rule's own
/// requirement (`check::record::requirements`) and its findings in the run.
pub(super) fn records(
    run: &Run,
    ctx: &crate::check::Ctx,
    scope: &Scope,
    lang: Lang,
) -> Vec<RecordCoverage> {
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
                line: d.pos.line,
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

pub(super) fn exceptions(
    run: &Run,
    ctx: &crate::check::Ctx,
    scope: &Scope,
    en: bool,
) -> Vec<ExceptionEntry> {
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
                entity: h.id.v.to_string(),
                file: run.rel(h.file).to_string(),
                line: run.catalog.pos(h.file, x.span).line,
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
