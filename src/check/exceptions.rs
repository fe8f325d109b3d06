//! Exceptions (avsteg): a decided, documented deviation from one rule for
//! one entity, valid until it expires. A valid exception suppresses the
//! rule's findings on its entity (or about it, for findings on its
//! agreements); expired, unused and incomplete ones are findings themselves.

use std::collections::HashMap;

use crate::catalog::{Catalog, Exception, Head};
use crate::diagnostic::{Diagnostic, Msg, Suppression};

use super::{registry, Ctx};

/// Whether an exception has what it needs to apply.
fn complete(e: &Exception) -> bool {
    e.rule.is_some()
        && filled(&e.decision)
        && filled(&e.motivation)
        && e.decided_on.is_some()
        && e.expires.is_some()
}

/// A free-text field that says something (not absent, not blank).
fn filled(s: &Option<crate::catalog::SpStr>) -> bool {
    s.as_ref().is_some_and(|x| !x.v.trim().is_empty())
}

/// Marks findings suppressed by valid exceptions, then reports
/// `exception/*` findings. `diags` must already have final severities and
/// be filtered; suppressed findings stay in the list, marked.
pub fn apply(ctx: &Ctx, cat: &Catalog, diags: &mut Vec<Diagnostic>) {
    let heads: HashMap<&str, &Head> = cat
        .entities
        .iter()
        .map(|e| (e.head().id.v.as_str(), e.head()))
        .filter(|(_, h)| !h.exceptions.is_empty())
        .collect();
    let mut used: HashMap<(&str, usize), bool> = HashMap::new();
    for d in diags.iter_mut() {
        let candidates = d.entity.iter().chain(d.subject.iter());
        let mut found = None;
        for id in candidates {
            let Some(h) = heads.get(id.as_str()) else {
                continue;
            };
            if let Some(e) = h.exceptions.iter().find(|e| {
                complete(e)
                    && e.rule.as_ref().is_some_and(|r| r.v == d.rule)
                    && e.decided_on.as_ref().is_some_and(|x| x.v <= ctx.as_of)
                    && e.expires.as_ref().is_some_and(|x| ctx.as_of <= x.v)
            }) {
                found = Some((h.id.v.as_str(), e));
                break;
            }
        }
        if let Some((id, e)) = found {
            used.insert((id, e.index), true);
            d.suppressed_by = Some(Suppression {
                entity: id.to_string(),
                decision: e.decision.as_ref().map(|x| x.v.clone()).unwrap_or_default(),
                motivation: e
                    .motivation
                    .as_ref()
                    .map(|x| x.v.clone())
                    .unwrap_or_default(),
            });
        }
    }
    for (id, h) in &heads {
        for e in &h.exceptions {
            let path = format!("exceptions[{}]", e.index);
            if let Some(r) = &e.rule {
                if registry::find(&r.v).is_none() {
                    if ctx.on("exception/invalid").is_some() {
                        diags.push(ctx.diag(
                            "exception/invalid",
                            h,
                            r.span,
                            format!("{path}.rule"),
                            Msg::ExceptionUnknownRule {
                                rule: r.v.clone(),
                                suggestion: registry::suggest(&r.v),
                            },
                        ));
                    }
                    continue;
                }
            }
            if !complete(e) {
                if ctx.on("exception/invalid").is_some() {
                    let missing: Vec<String> = [
                        ("rule", e.rule.is_none()),
                        ("decision", !filled(&e.decision)),
                        ("decided-on", e.decided_on.is_none()),
                        ("motivation", !filled(&e.motivation)),
                        ("expires", e.expires.is_none()),
                    ]
                    .iter()
                    .filter(|(_, m)| *m)
                    .map(|(k, _)| (*k).to_string())
                    .collect();
                    diags.push(ctx.diag(
                        "exception/invalid",
                        h,
                        e.span,
                        path,
                        Msg::ExceptionInvalid { missing },
                    ));
                }
                continue;
            }
            let rule = e.rule.as_ref().map(|r| r.v.clone()).unwrap_or_default();
            match &e.expires {
                Some(x) if x.v < ctx.as_of => {
                    if ctx.on("exception/expired").is_some() {
                        diags.push(ctx.diag(
                            "exception/expired",
                            h,
                            x.span,
                            format!("{path}.expires"),
                            Msg::ExceptionExpired {
                                rule,
                                expires: x.v.to_string(),
                            },
                        ));
                    }
                }
                _ => {
                    let not_yet = e.decided_on.as_ref().is_some_and(|d| d.v > ctx.as_of);
                    // Only a rule that ran can show an exception is unused.
                    let ran = registry::is_format_rule(&rule) || ctx.on(&rule).is_some();
                    if ran
                        && !not_yet
                        && !used.contains_key(&(*id, e.index))
                        && ctx.on("exception/unused").is_some()
                    {
                        let span = e.rule.as_ref().map_or(e.span, |r| r.span);
                        diags.push(ctx.diag(
                            "exception/unused",
                            h,
                            span,
                            format!("{path}.rule"),
                            Msg::ExceptionUnused { rule },
                        ));
                    }
                }
            }
        }
    }
}
