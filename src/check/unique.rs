//! `unique/attribute`: at most (at least) N of the selected systems share a
//! value of a fact, usually `attributes.funktion` ("kommunen har bara ett
//! av den kategorin"), and no selected system shares its value with a
//! system another selector picks (`conflicts-with`: "no local system with
//! a function a common solution has").
//!
//! Whole-catalog: it runs once per run, over the systems in file order
//! (the order `id/duplicate` uses), so the first holders of a value are
//! the ones kept and each later one is reported.

use indexmap::IndexMap;
use rustc_hash::FxHashMap as HashMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value as Json;

use crate::catalog::facts::{EntityRef, Fact};
use crate::catalog::System;
use crate::diagnostic::{Diagnostic, Msg};
use crate::load::Span;
use crate::model::{AppliesTo, EntityKind, Model};

use super::kind::{Cx, Kind, ParamError, Rule};
use super::select::Selector;

/// `unique/attribute` parameters.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UniqueAttribute {
    /// The fact whose values are counted (usually `attributes.funktion`).
    pub key: String,
    /// At most this many selected systems per value (default 1 unless
    /// `min` is given).
    #[serde(default)]
    pub max: Option<u32>,
    /// At least this many selected systems with `value`.
    #[serde(default)]
    pub min: Option<u32>,
    /// Count only this value.
    #[serde(default)]
    pub value: Option<Json>,
    /// No selected system may share its value with a system this selector
    /// selects (same keys as `applies-to`).
    #[serde(default)]
    #[schemars(with = "Option<Json>")]
    pub conflicts_with: Option<AppliesTo>,
}

impl UniqueAttribute {
    fn max(&self) -> Option<u32> {
        match (self.max, self.min, &self.conflicts_with) {
            (Some(m), _, _) => Some(m),
            (None, None, None) => Some(1),
            _ => None,
        }
    }
}

impl Kind for UniqueAttribute {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        let attr = self.key.strip_prefix("attributes.");
        let known_core =
            crate::model::selector::fact_names(EntityKind::System).any(|f| f == self.key);
        let def = attr.and_then(|a| m.attribute(EntityKind::System, a));
        if def.is_none() && !known_core {
            let mut known: Vec<String> = crate::model::selector::fact_names(EntityKind::System)
                .map(str::to_string)
                .collect();
            if let Some(a) = m.attributes.get(&EntityKind::System) {
                known.extend(a.keys().map(|k| format!("attributes.{k}")));
            }
            return Err(ParamError::unknown(
                &["key"],
                ("faktum", "fact"),
                &self.key,
                known.iter().map(String::as_str),
            ));
        }
        if let (Some(Json::String(v)), Some(def)) = (&self.value, def) {
            if !def.values.is_empty() && !def.values.contains(v) {
                return Err(ParamError::unknown(
                    &["value"],
                    ("värde", "value"),
                    v,
                    def.values.iter().map(String::as_str),
                ));
            }
        }
        if self.min.is_some() && self.value.is_none() {
            return Err(ParamError::at(
                &["min"],
                "`min` kräver `value`: vilket värde ska finnas på minst så många system?".into(),
                "`min` needs `value`: which value must at least that many systems have?".into(),
            ));
        }
        if let (Some(lo), Some(hi)) = (self.min, self.max) {
            if lo > hi {
                return Err(ParamError::at(
                    &["min"],
                    format!("`min` ({lo}) är större än `max` ({hi})"),
                    format!("`min` ({lo}) is greater than `max` ({hi})"),
                ));
            }
        }
        if self.max == Some(0) && self.value.is_none() {
            return Err(ParamError::at(
                &["max"],
                "`max: 0` utan `value` förbjuder varje värde; ange `value`".into(),
                "`max: 0` without `value` forbids every value; give `value`".into(),
            ));
        }
        if let Some(sel) = &self.conflicts_with {
            if sel.entity.is_some_and(|e| e != EntityKind::System) {
                return Err(ParamError::at(
                    &["conflicts-with", "entity"],
                    "`conflicts-with` väljer system".into(),
                    "`conflicts-with` selects systems".into(),
                ));
            }
            crate::model::validate::applies_to_text(m, sel, EntityKind::System)
                .map_err(|(sv, en)| ParamError::at(&["conflicts-with"], sv, en))?;
        }
        Ok(())
    }
}

/// One selected system's values of the key, with their spans.
struct Holder<'a> {
    system: &'a System,
    values: Vec<(String, Span)>,
}

fn values(cx: &Cx, s: &System, key: &str) -> Vec<(String, Span)> {
    let e = EntityRef::System(s);
    let span = e.fact_anchor(key);
    match e.fact(cx.ix, cx.model, key) {
        None => Vec::new(),
        Some(Fact::List(items)) => {
            // Each item at its own span when the attribute is a list.
            let spans: Vec<Span> = key
                .strip_prefix("attributes.")
                .and_then(|a| s.head.attribute(a))
                .map(|a| match &a.value.v {
                    crate::catalog::AttrValue::List(l) => l.iter().map(|i| i.span).collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (v.to_string(), spans.get(i).copied().unwrap_or(span)))
                .collect()
        }
        Some(Fact::Str(v)) => vec![(v.to_string(), span)],
        Some(Fact::Int(i)) => vec![(i.to_string(), span)],
        Some(Fact::Bool(b)) => vec![(b.to_string(), span)],
    }
}

fn json_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Rule for UniqueAttribute {
    fn catalog(&self, cx: &Cx, out: &mut Vec<Diagnostic>) {
        let only = self.value.as_ref().map(json_text);
        let live = |s: &System| {
            !s.status
                .as_ref()
                .is_some_and(|st| cx.model.is_retired(&st.v))
        };
        let selected: Vec<Holder> = cx
            .ix
            .systems
            .iter()
            .copied()
            .filter(|s| live(s) && cx.selects(s))
            .map(|s| Holder {
                system: s,
                values: values(cx, s, &self.key)
                    .into_iter()
                    .filter(|(v, _)| only.as_ref().is_none_or(|o| o == v))
                    .collect(),
            })
            .collect();
        // value → holders, in file order.
        let mut by_value: IndexMap<&str, Vec<(&System, Span)>> = IndexMap::new();
        for h in &selected {
            for (v, span) in &h.values {
                let list = by_value.entry(v.as_str()).or_default();
                if !list.iter().any(|(s, _)| std::ptr::eq(*s, h.system)) {
                    list.push((h.system, *span));
                }
            }
        }
        if let Some(max) = self.max() {
            for (value, holders) in &by_value {
                let max = max as usize;
                for (i, (s, span)) in holders.iter().enumerate().skip(max) {
                    let kept: Vec<String> = holders
                        .iter()
                        .take(max)
                        .map(|(o, _)| o.head.id.v.to_string())
                        .collect();
                    let mut d = cx.diag(
                        &s.head,
                        *span,
                        self.key.clone(),
                        Msg::UniqueDuplicate {
                            fact: self.key.clone(),
                            value: value.to_string(),
                            others: kept,
                            max: i64::from(max as u32),
                        },
                    );
                    // Related: the others with the value (a few suffice).
                    for (o, ospan) in holders
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, x)| x)
                        .take(10)
                    {
                        d = d.related(
                            o.head.file,
                            *ospan,
                            Msg::ValueAlsoHere {
                                entity: o.head.id.v.to_string(),
                            },
                        );
                    }
                    out.push(d);
                }
            }
        }
        if let (Some(min), Some(value)) = (self.min, &only) {
            let count = by_value.get(value.as_str()).map_or(0, Vec::len);
            // Reported once, at the first selected system's key; with no
            // selected system there is no file to point at (kdl.yaml does
            // not select), so nothing is reported.
            if count < min as usize {
                if let Some(first) = cx
                    .ix
                    .systems
                    .iter()
                    .copied()
                    .find(|s| live(s) && cx.selects(s))
                {
                    out.push(cx.diag(
                        &first.head,
                        EntityRef::System(first).fact_anchor(&self.key),
                        self.key.clone(),
                        Msg::UniqueTooFew {
                            fact: self.key.clone(),
                            value: value.clone(),
                            count: count as i64,
                            min: i64::from(min),
                        },
                    ));
                }
            }
        }
        if let Some(sel) = &self.conflicts_with {
            let other = Selector::new(sel);
            // value → the other selector's systems with it (built once, so
            // the check stays linear).
            let mut theirs: HashMap<String, Vec<(&System, Span)>> = HashMap::default();
            for s in cx
                .ix
                .systems
                .iter()
                .copied()
                .filter(|s| live(s) && other.system(cx.ctx, s))
            {
                for (v, span) in values(cx, s, &self.key) {
                    let list = theirs.entry(v).or_default();
                    if !list.iter().any(|(o, _)| std::ptr::eq(*o, s)) {
                        list.push((s, span));
                    }
                }
            }
            for h in &selected {
                let hit = h.values.iter().find_map(|(v, span)| {
                    let with: Vec<(&System, Span)> = theirs
                        .get(v)
                        .into_iter()
                        .flatten()
                        .filter(|(o, _)| !std::ptr::eq(*o, h.system))
                        .take(10)
                        .copied()
                        .collect();
                    (!with.is_empty()).then_some((v, *span, with))
                });
                let Some((value, span, with)) = hit else {
                    continue;
                };
                let first = with
                    .first()
                    .map(|(o, _)| o.head.id.v.to_string())
                    .unwrap_or_default();
                let mut d = cx.diag(
                    &h.system.head,
                    span,
                    self.key.clone(),
                    Msg::UniqueConflict {
                        fact: self.key.clone(),
                        value: value.clone(),
                        other: first.to_string(),
                    },
                );
                for (o, ospan) in with {
                    d = d.related(
                        o.head.file,
                        ospan,
                        Msg::ValueAlsoHere {
                            entity: o.head.id.v.to_string(),
                        },
                    );
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{findings, model, model_error, run};

    const ATTRS: &str = "attributes:
  system:
    funktion: {label: Funktion, label-en: Function, type: enum, values: [gis, e-post, vaxel]}
    del-av: {label: Del av, type: ref, ref: system}
";

    fn rule(params: &str, applies: &str) -> crate::model::Model {
        model(&format!(
            "{ATTRS}rules:\n  t/u:\n    kind: unique/attribute\n    severity: error\n    source: T\n    applies-to: {applies}\n    params: {params}\n"
        ))
    }

    fn sys(id: &str, category: &str, status: &str, attrs: &str) -> (String, String) {
        (
            format!("system/{id}.yaml"),
            format!("kind: system\nid: {id}\nname: S\ncategory: {category}\nused-by: all\nlifecycle:\n  status: {status}\nattributes:\n{attrs}"),
        )
    }

    fn check(m: &crate::model::Model, systems: &[(String, String)]) -> Vec<String> {
        let f: Vec<(&str, &str)> = systems
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        findings(m, &f, "2026-05-01")
    }

    #[test]
    fn each_later_duplicate_is_reported_with_the_others_related() {
        let m = rule(
            "{key: attributes.funktion}",
            "{when: {attributes.del-av: absent}}",
        );
        let systems = [
            sys("a", "lokal", "i-drift", "  funktion: gis\n"),
            sys("b", "lokal", "i-drift", "  funktion: gis\n"),
            sys("c", "lokal", "i-drift", "  funktion: gis\n"),
            sys("d", "lokal", "i-drift", "  funktion: gis\n  del-av: a\n"),
            sys("e", "lokal", "avvecklad", "  funktion: gis\n"),
            sys("f", "lokal", "i-drift", "  funktion: e-post\n"),
        ];
        assert_eq!(
            check(&m, &systems),
            [
                "t/u system/b.yaml:9 Function (`attributes.funktion`) `gis` is already used by `a`; at most 1 system may have that value",
                "t/u system/c.yaml:9 Function (`attributes.funktion`) `gis` is already used by `a`; at most 1 system may have that value"
            ]
        );
        let f: Vec<(&str, &str)> = systems
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let d = run(&m, &f, "2026-05-01");
        // c's finding relates to a and b.
        let files: Vec<usize> = d[1].related.iter().map(|r| r.file).collect();
        assert_eq!(files, [1, 2]);
        // max: 2 keeps a and b.
        let m = rule(
            "{key: attributes.funktion, max: 2}",
            "{when: {attributes.del-av: absent}}",
        );
        assert_eq!(check(&m, &systems).len(), 1);
    }

    #[test]
    fn min_with_a_value_is_reported_once_at_the_first_selected_system() {
        let m = rule(
            "{key: attributes.funktion, value: vaxel, min: 1, max: 1}",
            "{}",
        );
        let systems = [
            sys("a", "lokal", "i-drift", "  funktion: gis\n"),
            sys("b", "lokal", "i-drift", "  funktion: gis\n"),
        ];
        assert_eq!(
            check(&m, &systems),
            ["t/u system/a.yaml:9 at least 1 system must have function (`attributes.funktion`) `vaxel`, but 0 do"]
        );
        // Nothing selected: no file to point at, nothing reported.
        let m = rule(
            "{key: attributes.funktion, value: vaxel, min: 1}",
            "{categories: [gemensam]}",
        );
        assert!(check(&m, &systems).is_empty());
    }

    #[test]
    fn conflicts_with_reports_the_selected_system_sharing_a_value() {
        let m = rule(
            "{key: attributes.funktion, conflicts-with: {categories: [gemensam]}}",
            "{categories: [lokal]}",
        );
        let systems = [
            sys("gem", "gemensam", "i-drift", "  funktion: gis\n"),
            sys("lok", "lokal", "behov", "  funktion: gis\n"),
            sys("ovr", "lokal", "i-drift", "  funktion: e-post\n"),
        ];
        assert_eq!(
            check(&m, &systems),
            ["t/u system/lok.yaml:9 the system has function (`attributes.funktion`) `gis`, which `gem` already has; they must not share it"]
        );
    }

    #[test]
    fn bad_parameters_are_model_errors_with_suggestions() {
        let rule = |params: &str| {
            model_error(&format!(
                "attributes:\n  system:\n    funktion: {{label: F, type: enum, values: [gis, vaxel]}}\nrules:\n  t/u:\n    kind: unique/attribute\n    severity: error\n    source: T\n    params: {params}\n"
            ))
        };
        assert!(rule("{key: attributes.funktio}").contains("did you mean `attributes.funktion`"));
        assert!(rule("{key: attributes.funktion, value: vxel}").contains("did you mean `vaxel`"));
        assert!(rule("{key: attributes.funktion, min: 1}").contains("`min` needs `value`"));
        assert!(
            rule("{key: attributes.funktion, value: gis, min: 3, max: 1}").contains("greater than")
        );
        assert!(
            rule("{key: attributes.funktion, conflicts-with: {categories: [lokl]}}")
                .contains("did you mean `lokal`")
        );
        assert!(
            rule("{key: attributes.funktion, conflicts-with: {kategorier: [lokal]}}")
                .contains("kategorier")
        );
        assert_eq!(rule("{key: attributes.funktion, max: 1}"), "");
    }
}
