//! Exceptions: a decided, documented deviation from one rule for one
//! entity (or one relation, with `subject:`). The model declares the
//! exception kinds (Kungsbacka's avsteg; Göteborg's avsteg and avvikelse;
//! Stockholm's undantagsbeslut): what each must state, whether it expires,
//! who may decide it, and whether it suppresses the finding or only
//! documents it. A valid suppressing exception marks the findings it covers;
//! expired, unused and incomplete ones are findings themselves.

use std::collections::HashMap;

use crate::catalog::{Catalog, Exception, Head};
use crate::diagnostic::{Diagnostic, Msg, Suppression};
use crate::load::Span;
use crate::model::vocab::{DecidedBy, DeciderNamnd, Expiry};
use crate::model::ExceptionKind;

use super::kind::{Kind, Rule};
use super::{registry, Ctx, Cx};

/// The `exception/*` kinds: applied here once per run, not per entity.
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRule {}

impl Rule for ExceptionRule {}
impl Kind for ExceptionRule {}

/// The kind of an exception: its `kind:` or the model's first.
fn kind_of<'m>(ctx: &'m Ctx, e: &Exception) -> Option<(&'m str, &'m ExceptionKind)> {
    match &e.kind {
        Some(k) => ctx
            .model
            .exception_kinds
            .get_key_value(k.v.as_str())
            .map(|(a, b)| (a.as_str(), b)),
        None => ctx.model.default_exception_kind(),
    }
}

/// The fields the exception lacks (its kind's required ones, and `rule`).
fn missing(kind: &ExceptionKind, e: &Exception) -> Vec<String> {
    std::iter::once("rule")
        .chain(kind.requires.iter().map(String::as_str))
        .chain((kind.expires == Expiry::Required).then_some("expires"))
        .filter(|f| !e.has(f))
        .fold(Vec::new(), |mut acc, f| {
            if !acc.iter().any(|x: &String| x == f) {
                acc.push(f.to_string());
            }
            acc
        })
}

/// Whether `decided-by` satisfies a constraint; `concerned` is the nämnd
/// the exception is about (its own file's, or its subject), if any.
fn decider_ok(ctx: &Ctx, d: &DecidedBy, by: &str, concerned: Option<&str>) -> bool {
    let namnd_ok = match d.namnd {
        None => false,
        Some(DeciderNamnd::Any) => ctx.ix.namnd(by).is_some(),
        Some(DeciderNamnd::Concerned) => match concerned {
            Some(n) => n == by,
            None => ctx.ix.namnd(by).is_some(),
        },
    };
    let body_ok = d.body.as_deref() == Some(by);
    let title_ok = !d.titles.is_empty()
        && ctx
            .ix
            .person(by)
            .and_then(|p| p.title.as_ref())
            .is_some_and(|t| d.titles.iter().any(|s| s == t.v.as_str()));
    namnd_ok || body_ok || title_ok
}

/// Words for a decider constraint, for the message.
fn decider_words(ctx: &Ctx, d: &DecidedBy, concerned: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    match (d.namnd, concerned) {
        (Some(DeciderNamnd::Concerned), Some(n)) => out.push(format!("`{n}`")),
        (Some(_), _) => out.push("nämnd".into()),
        _ => {}
    }
    if let Some(b) = &d.body {
        out.push(format!("`{b}` ({})", ctx.model.body_label(b, false)));
    }
    out.extend(d.titles.iter().map(|t| ctx.model.title_label(t, false)));
    out
}

struct Emit<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

impl Emit<'_, '_> {
    fn diag(&self, kind: &str, h: &Head, span: Span, path: String, msg: Msg) -> Option<Diagnostic> {
        let inst = self.ctx.instance_of(kind)?;
        Some(
            Cx {
                ctx: self.ctx,
                inst,
            }
            .diag(h, span, path, msg),
        )
    }
}

/// Where an exception stands on the run's date: the one definition the
/// rules (suppression and the `exception/*` findings) and the yearly report
/// share.
#[derive(Debug)]
pub enum Standing<'m> {
    /// `kind:` names no exception kind of the model (`schema/invalid`).
    UnknownKind,
    /// `rule:` names no rule of the model.
    UnknownRule { kind: &'m str, rule: String },
    /// Required fields are missing.
    Incomplete { kind: &'m str, missing: Vec<String> },
    /// The rule instance accepts only other exception kinds.
    KindNotAllowed {
        kind: &'m str,
        rule: String,
        allowed: Vec<String>,
    },
    /// Decided by someone the kind or the rule instance does not allow.
    WrongDecider {
        kind: &'m str,
        decider: String,
        expected: Vec<String>,
    },
    /// Expired before the run's date.
    Expired { kind: &'m str, rule: String },
    /// Decided after the run's date.
    NotYet { kind: &'m str },
    /// In force: it waives the findings it names (and suppresses them when
    /// its kind suppresses).
    InForce { kind: &'m str, suppresses: bool },
}

impl Standing<'_> {
    /// The exception kind's id, when it has one.
    pub fn kind(&self) -> Option<&str> {
        match self {
            Standing::UnknownKind => None,
            Standing::UnknownRule { kind, .. }
            | Standing::Incomplete { kind, .. }
            | Standing::KindNotAllowed { kind, .. }
            | Standing::WrongDecider { kind, .. }
            | Standing::Expired { kind, .. }
            | Standing::NotYet { kind }
            | Standing::InForce { kind, .. } => Some(kind),
        }
    }
}

/// The nämnd an exception is about: its own entity's, or its subject.
fn concerned(ctx: &Ctx, h: &Head, e: &Exception) -> Option<String> {
    let is_namnd = |id: &str| ctx.ix.namnd(id).is_some();
    if is_namnd(&h.id.v) {
        Some(h.id.v.to_string())
    } else {
        e.subject
            .as_ref()
            .filter(|s| is_namnd(&s.v))
            .map(|s| s.v.to_string())
    }
}

/// Where exception `e` of entity `h` stands on `ctx.as_of`.
pub fn standing<'m>(ctx: &'m Ctx, h: &Head, e: &Exception) -> Standing<'m> {
    let Some((kind_id, kind)) = kind_of(ctx, e) else {
        return Standing::UnknownKind;
    };
    if let Some(r) = &e.rule {
        let known = registry::is_format_rule(&r.v) || ctx.model.rules.contains_key(r.v.as_str());
        if !known {
            return Standing::UnknownRule {
                kind: kind_id,
                rule: r.v.to_string(),
            };
        }
    }
    let lacks = missing(kind, e);
    if !lacks.is_empty() {
        return Standing::Incomplete {
            kind: kind_id,
            missing: lacks,
        };
    }
    let rule = e.rule.as_ref().map(|r| r.v.clone()).unwrap_or_default();
    let policy = ctx
        .model
        .rules
        .get(rule.as_str())
        .and_then(|r| r.exceptions.as_ref());
    if let Some(p) = policy.filter(|p| !p.kinds.is_empty() && !p.kinds.iter().any(|k| k == kind_id))
    {
        return Standing::KindNotAllowed {
            kind: kind_id,
            rule: rule.to_string(),
            allowed: p.kinds.clone(),
        };
    }
    let constraint = policy
        .and_then(|p| p.decided_by.as_ref())
        .or(kind.decided_by.as_ref());
    if let Some(c) = constraint {
        let by = e.decided_by.as_ref().map(|b| b.v.as_str());
        let who = concerned(ctx, h, e);
        if !by.is_some_and(|b| decider_ok(ctx, c, b, who.as_deref())) {
            return Standing::WrongDecider {
                kind: kind_id,
                decider: by.unwrap_or_default().to_string(),
                expected: decider_words(ctx, c, who.as_deref()),
            };
        }
    }
    if e.expires.as_ref().is_some_and(|x| x.v < ctx.as_of) {
        return Standing::Expired {
            kind: kind_id,
            rule: rule.to_string(),
        };
    }
    if e.decided_on.as_ref().is_some_and(|d| d.v > ctx.as_of) {
        return Standing::NotYet { kind: kind_id };
    }
    Standing::InForce {
        kind: kind_id,
        suppresses: kind.suppresses,
    }
}

/// Marks findings suppressed by valid exceptions, then reports
/// `exception/*` findings. `diags` must already have final severities and
/// be filtered; suppressed findings stay in the list, marked.
pub fn apply(ctx: &Ctx, cat: &Catalog, diags: &mut Vec<Diagnostic>) {
    let emit = Emit { ctx };
    let heads: HashMap<&str, &Head> = cat
        .entities
        .iter()
        .map(|e| (e.head().id.v.as_str(), e.head()))
        .filter(|(_, h)| !h.exceptions.is_empty())
        .collect();
    // Each exception's standing, computed once.
    let standings: HashMap<(&str, usize), Standing> = heads
        .iter()
        .flat_map(|(id, h)| {
            h.exceptions
                .iter()
                .map(move |e| ((*id, e.index), standing(ctx, h, e)))
        })
        .collect();
    let mut used: HashMap<(&str, usize), bool> = HashMap::new();
    for d in diags.iter_mut() {
        let mut found = None;
        for (holder, other) in [(&d.entity, &d.subject), (&d.subject, &d.entity)] {
            let Some(h) = holder.as_ref().and_then(|id| heads.get(id.as_str())) else {
                continue;
            };
            let hit = h.exceptions.iter().find_map(|e| {
                let names = e.rule.as_ref().is_some_and(|r| r.v == d.rule)
                    // A relation exception names the other side.
                    && e.subject.as_ref().is_none_or(|s| other.as_deref() == Some(s.v.as_str()));
                match standings.get(&(h.id.v.as_str(), e.index)) {
                    Some(Standing::InForce { suppresses, .. }) if names => Some((e, *suppresses)),
                    _ => None,
                }
            });
            if let Some((e, suppresses)) = hit {
                found = Some((h.id.v.as_str(), e, suppresses));
                break;
            }
        }
        if let Some((id, e, suppresses)) = found {
            used.insert((id, e.index), true);
            if suppresses {
                d.suppressed_by = Some(Suppression {
                    entity: id.to_string(),
                    decision: e
                        .decision
                        .as_ref()
                        .map(|x| x.v.to_string())
                        .unwrap_or_default(),
                    motivation: e
                        .motivation
                        .as_ref()
                        .map(|x| x.v.to_string())
                        .unwrap_or_default(),
                });
            }
        }
    }
    let mut found = Vec::new();
    for (id, h) in &heads {
        for e in &h.exceptions {
            let path = format!("exceptions[{}]", e.index);
            let Some(st) = standings.get(&(*id, e.index)) else {
                continue;
            };
            match st {
                // An unknown kind is schema/invalid.
                Standing::UnknownKind => {}
                Standing::UnknownRule { rule, .. } => {
                    let span = e.rule.as_ref().map_or(e.span, |r| r.span);
                    found.extend(emit.diag(
                        "exception/invalid",
                        h,
                        span,
                        format!("{path}.rule"),
                        Msg::ExceptionUnknownRule {
                            rule: rule.clone(),
                            suggestion: crate::suggest::closest(
                                rule,
                                ctx.model.rules.keys().map(String::as_str),
                            ),
                        },
                    ));
                }
                Standing::Incomplete { kind, missing } => {
                    found.extend(emit.diag(
                        "exception/invalid",
                        h,
                        e.span,
                        path,
                        Msg::ExceptionInvalid {
                            kind: kind.to_string(),
                            missing: missing.clone(),
                        },
                    ));
                }
                Standing::KindNotAllowed {
                    kind,
                    rule,
                    allowed,
                } => {
                    let span = e.kind.as_ref().map_or(e.span, |k| k.span);
                    found.extend(emit.diag(
                        "exception/invalid",
                        h,
                        span,
                        format!("{path}.kind"),
                        Msg::ExceptionKindNotAllowed {
                            kind: kind.to_string(),
                            rule: rule.clone(),
                            allowed: allowed.clone(),
                        },
                    ));
                }
                Standing::WrongDecider {
                    kind,
                    decider,
                    expected,
                } => {
                    let span = e.decided_by.as_ref().map_or(e.span, |b| b.span);
                    found.extend(emit.diag(
                        "exception/invalid",
                        h,
                        span,
                        format!("{path}.decided-by"),
                        Msg::ExceptionWrongDecider {
                            kind: kind.to_string(),
                            decider: decider.clone(),
                            expected: expected.clone(),
                        },
                    ));
                }
                Standing::Expired { kind, rule } => {
                    if let Some(x) = &e.expires {
                        found.extend(emit.diag(
                            "exception/expired",
                            h,
                            x.span,
                            format!("{path}.expires"),
                            Msg::ExceptionExpired {
                                kind: kind.to_string(),
                                rule: rule.clone(),
                                expires: x.v.to_string(),
                            },
                        ));
                    }
                }
                Standing::NotYet { .. } => {}
                Standing::InForce { kind, .. } => {
                    let rule = e.rule.as_ref().map(|r| r.v.clone()).unwrap_or_default();
                    // Only a rule that ran can show an exception is unused.
                    let ran = registry::is_format_rule(&rule)
                        || ctx.instances.iter().any(|i| i.id == rule);
                    if ran && !used.contains_key(&(*id, e.index)) {
                        let span = e.rule.as_ref().map_or(e.span, |r| r.span);
                        found.extend(emit.diag(
                            "exception/unused",
                            h,
                            span,
                            format!("{path}.rule"),
                            Msg::ExceptionUnused {
                                kind: kind.to_string(),
                                rule: rule.to_string(),
                            },
                        ));
                    }
                }
            }
        }
    }
    diags.extend(found);
}
