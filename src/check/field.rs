//! `require/field`: an assertion over one named fact of the selected
//! entities — the facts `applies-to.when` knows (`category`, `scope`,
//! `hosting`, …, `attributes.<name>`) and, for systems, `used-by` with
//! `covers-all` / `covers-none-of`. No arbitrary YAML paths.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value as Json;

use crate::catalog::facts::{EntityRef, Fact};
use crate::catalog::{Avtal, Behandling, Namnd, NamndSet, Person, System};
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::selector::{fact_domain, fact_names, Domain, VocabName};
use crate::model::{AttrType, EntityKind, Model};

use super::kind::{per_entity_rule, targets};
use super::kind::{Cx, Kind, ParamError, Rule};

/// `require/field` parameters: the fact and exactly one predicate.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RequireField {
    /// A named fact (`category`, `hosting`, `attributes.funktion`, …) or,
    /// for `covers-all`/`covers-none-of`, `used-by`.
    pub fact: String,
    /// The fact is given (`true`) or not given (`false`).
    #[serde(default)]
    pub present: Option<bool>,
    /// The fact has this value.
    #[serde(default)]
    pub equals: Option<Json>,
    /// The fact has one of these values.
    #[serde(default, rename = "in")]
    pub one_of: Option<Vec<Json>>,
    /// The fact has none of these values (an absent fact passes).
    #[serde(default)]
    pub not_in: Option<Vec<Json>>,
    /// An integer or ordered attribute is at least this.
    #[serde(default)]
    pub at_least: Option<Json>,
    /// `used-by` names every nämnd of these types or organisation parts
    /// (one finding per missing nämnd, with it as the subject).
    #[serde(default)]
    pub covers_all: Option<Cover>,
    /// `used-by` names no nämnd of these types or organisation parts.
    #[serde(default)]
    pub covers_none_of: Option<Cover>,
}

/// A set of nämnder: by type, by organisation part (either matches).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Cover {
    #[serde(default)]
    pub namnd_types: Vec<String>,
    #[serde(default)]
    pub org_parts: Vec<String>,
}

/// The entity kinds the kind can check.
const KINDS: [EntityKind; 5] = EntityKind::ALL;

fn vocab(m: &Model, name: VocabName) -> Vec<&str> {
    match name {
        VocabName::Categories => m.categories.keys().map(String::as_str).collect(),
        VocabName::Scopes => m.scopes.keys().map(String::as_str).collect(),
        VocabName::Statuses => m.lifecycle.order.iter().map(String::as_str).collect(),
        VocabName::NamndTypes => m.namnd_types.keys().map(String::as_str).collect(),
        VocabName::AvtalTypes => m.avtal_types.keys().map(String::as_str).collect(),
        VocabName::Titles => m.titles.keys().map(String::as_str).collect(),
    }
}

/// What a fact's values may be: its domain, the allowed words (empty: any)
/// and whether it is ordered (`at-least` applies).
struct FactInfo<'m> {
    domain: Domain,
    words: Vec<&'m str>,
    ordered: bool,
}

fn fact_info<'m>(m: &'m Model, fact: &str) -> Option<FactInfo<'m>> {
    if let Some(attr) = fact.strip_prefix("attributes.") {
        let def = m.attributes.values().find_map(|a| a.get(attr))?;
        let domain = match def.ty {
            AttrType::Bool => Domain::Bool,
            AttrType::Int => Domain::Int,
            AttrType::Date => Domain::Date,
            _ => Domain::Text,
        };
        return Some(FactInfo {
            domain,
            words: def.values.iter().map(String::as_str).collect(),
            ordered: def.ty == AttrType::Ordered || def.ty == AttrType::Int,
        });
    }
    let domain = KINDS.iter().find_map(|k| fact_domain(*k, fact))?;
    let words = match domain {
        Domain::Vocab(v) => vocab(m, v),
        Domain::Fixed(vals) => vals.to_vec(),
        _ => Vec::new(),
    };
    Some(FactInfo {
        domain,
        words,
        ordered: domain == Domain::Int,
    })
}

fn check_value(info: &FactInfo, path: &[&str], fact: &str, v: &Json) -> Result<(), ParamError> {
    let ok = match (info.domain, v) {
        (Domain::Bool, Json::Bool(_)) | (Domain::Int, Json::Number(_)) => true,
        (Domain::Bool | Domain::Int, _) => false,
        (_, Json::String(s)) => info.words.is_empty() || info.words.contains(&s.as_str()),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let shown = match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    if info.words.is_empty() {
        return Err(ParamError::at(
            path,
            format!("`{fact}` kan inte vara `{shown}`"),
            format!("`{fact}` cannot be `{shown}`"),
        ));
    }
    Err(ParamError::unknown(
        path,
        ("värde", "value"),
        &shown,
        info.words.iter().copied(),
    ))
}

fn check_cover(m: &Model, key: &str, c: &Cover) -> Result<(), ParamError> {
    for t in &c.namnd_types {
        if !m.namnd_types.contains_key(t) {
            return Err(ParamError::unknown(
                &[key, "namnd-types"],
                ("nämndtyp", "nämnd type"),
                t,
                m.namnd_types.keys().map(String::as_str),
            ));
        }
    }
    for p in &c.org_parts {
        if !m.organisation.contains_key(p) {
            return Err(ParamError::unknown(
                &[key, "org-parts"],
                ("organisationsdel", "organisation part"),
                p,
                m.organisation.keys().map(String::as_str),
            ));
        }
    }
    if c.namnd_types.is_empty() && c.org_parts.is_empty() {
        return Err(ParamError::at(
            &[key],
            format!("`{key}` är tom; ange `namnd-types` eller `org-parts`"),
            format!("`{key}` is empty; give `namnd-types` or `org-parts`"),
        ));
    }
    Ok(())
}

impl Kind for RequireField {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        let given = [
            self.present.is_some(),
            self.equals.is_some(),
            self.one_of.is_some(),
            self.not_in.is_some(),
            self.at_least.is_some(),
            self.covers_all.is_some(),
            self.covers_none_of.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if given != 1 {
            return Err(ParamError::at(
                &[],
                "ange exakt en av `present`, `equals`, `in`, `not-in`, `at-least`, `covers-all` och `covers-none-of`".into(),
                "give exactly one of `present`, `equals`, `in`, `not-in`, `at-least`, `covers-all` and `covers-none-of`".into(),
            ));
        }
        let f = self.fact.as_str();
        let covers = self.covers_all.is_some() || self.covers_none_of.is_some();
        if f == "used-by" {
            if !covers {
                return Err(ParamError::at(
                    &["fact"],
                    "`used-by` prövas med `covers-all` eller `covers-none-of` (antalet heter `used-by.count`)".into(),
                    "`used-by` is tested with `covers-all` or `covers-none-of` (the count is `used-by.count`)".into(),
                ));
            }
            if let Some(c) = &self.covers_all {
                check_cover(m, "covers-all", c)?;
            }
            if let Some(c) = &self.covers_none_of {
                check_cover(m, "covers-none-of", c)?;
            }
            return Ok(());
        }
        if covers {
            return Err(ParamError::at(
                &["fact"],
                "`covers-all` och `covers-none-of` gäller faktumet `used-by`".into(),
                "`covers-all` and `covers-none-of` apply to the fact `used-by`".into(),
            ));
        }
        let Some(info) = fact_info(m, f) else {
            let mut known: Vec<String> = KINDS
                .iter()
                .flat_map(|k| fact_names(*k))
                .map(str::to_string)
                .collect();
            known.push("used-by".into());
            for attrs in m.attributes.values() {
                known.extend(attrs.keys().map(|k| format!("attributes.{k}")));
            }
            known.sort();
            known.dedup();
            return Err(ParamError::unknown(
                &["fact"],
                ("faktum", "fact"),
                f,
                known.iter().map(String::as_str),
            ));
        };
        if let Some(v) = &self.equals {
            check_value(&info, &["equals"], f, v)?;
        }
        if let Some(vs) = &self.one_of {
            for v in vs {
                check_value(&info, &["in"], f, v)?;
            }
        }
        if let Some(vs) = &self.not_in {
            for v in vs {
                check_value(&info, &["not-in"], f, v)?;
            }
        }
        if let Some(v) = &self.at_least {
            if !info.ordered {
                return Err(ParamError::at(
                    &["at-least"],
                    format!("`{f}` är varken ett heltal eller en ordnad uppräkning; `at-least` går inte att använda"),
                    format!("`{f}` is neither an integer nor an ordered enumeration; `at-least` does not apply"),
                ));
            }
            check_value(&info, &["at-least"], f, v)?;
        }
        Ok(())
    }
}

per_entity_rule!(RequireField);

/// A fact's value in a message.
fn shown(f: &Fact) -> String {
    match f {
        Fact::Bool(b) => b.to_string(),
        Fact::Int(i) => i.to_string(),
        Fact::Str(s) => (*s).to_string(),
        Fact::List(items) => items.join(", "),
    }
}

fn json_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl RequireField {
    fn check(&self, cx: &Cx, e: EntityRef, out: &mut Vec<Diagnostic>) {
        let fact = self.fact.as_str();
        let h = e.head();
        let path = if fact.starts_with("attributes.") {
            fact.to_string()
        } else {
            fact.split('.').next().unwrap_or(fact).to_string()
        };
        if let Some(c) = &self.covers_all {
            return self.covers(cx, e, c, true, out);
        }
        if let Some(c) = &self.covers_none_of {
            return self.covers(cx, e, c, false, out);
        }
        let value = e.fact(cx.ix, cx.model, fact);
        let anchor = e.fact_anchor(fact);
        let missing = || {
            cx.diag(
                h,
                anchor,
                path.clone(),
                Msg::FieldMissing {
                    fact: fact.to_string(),
                },
            )
        };
        match (self.present, &value) {
            (Some(true), None) => return out.push(missing()),
            (Some(false), Some(_)) => {
                return out.push(cx.diag(
                    h,
                    anchor,
                    path.clone(),
                    Msg::FieldPresent {
                        fact: fact.to_string(),
                    },
                ))
            }
            (Some(_), _) => return,
            _ => {}
        }
        let wanted: Option<Vec<Json>> = self
            .equals
            .as_ref()
            .map(|v| vec![v.clone()])
            .or_else(|| self.one_of.clone());
        if let Some(wanted) = wanted {
            match &value {
                None => out.push(missing()),
                Some(f) if !wanted.iter().any(|w| f.equals(w)) => out.push(cx.diag(
                    h,
                    anchor,
                    path,
                    Msg::FieldNotIn {
                        fact: fact.to_string(),
                        value: shown(f),
                        values: wanted.iter().map(json_text).collect(),
                        forbidden: false,
                    },
                )),
                Some(_) => {}
            }
            return;
        }
        if let Some(bad) = &self.not_in {
            if let Some(f) = &value {
                if let Some(b) = bad.iter().find(|b| f.equals(b)) {
                    out.push(cx.diag(
                        h,
                        anchor,
                        path,
                        Msg::FieldNotIn {
                            fact: fact.to_string(),
                            value: json_text(b),
                            values: bad.iter().map(json_text).collect(),
                            forbidden: true,
                        },
                    ));
                }
            }
            return;
        }
        if let Some(min) = &self.at_least {
            let Some(f) = &value else {
                return out.push(missing());
            };
            let ok = match (f, min) {
                (Fact::Int(i), Json::Number(n)) => n.as_i64().is_none_or(|n| *i >= n),
                (Fact::Str(s), Json::String(m)) => {
                    let def = fact
                        .strip_prefix("attributes.")
                        .and_then(|a| cx.model.attribute(e.kind(), a));
                    match def.map(|d| (d.rank(s), d.rank(m))) {
                        Some((Some(a), Some(b))) => a >= b,
                        // A value outside the vocabulary is schema/invalid.
                        _ => true,
                    }
                }
                _ => true,
            };
            if !ok {
                out.push(cx.diag(
                    h,
                    anchor,
                    path,
                    Msg::FieldBelow {
                        fact: fact.to_string(),
                        value: shown(f),
                        min: json_text(min),
                    },
                ));
            }
        }
    }

    /// `covers-all` (`all: true`) / `covers-none-of` over `used-by`.
    fn covers(&self, cx: &Cx, e: EntityRef, c: &Cover, all: bool, out: &mut Vec<Diagnostic>) {
        let EntityRef::System(s) = e else { return };
        let h = &s.head;
        let in_cover = |n: &Namnd| {
            n.typ
                .as_ref()
                .is_some_and(|t| c.namnd_types.iter().any(|s| s == t.v.as_str()))
                || c.org_parts
                    .iter()
                    .any(|p| cx.org_namnd(p) == Some(n.head.id.v.as_str()))
        };
        let anchor = s
            .used_by
            .as_ref()
            .map_or_else(|| s.category_or_id_key(), |u| u.span);
        if all {
            for n in cx.ix.namnder.iter().filter(|n| in_cover(n)) {
                let id = n.head.id.v.as_str();
                if s.used_by.as_ref().is_some_and(|u| u.v.contains(id)) {
                    continue;
                }
                out.push(
                    cx.diag(
                        h,
                        anchor,
                        "used-by",
                        Msg::NamndNotCovered {
                            namnd: id.to_string(),
                        },
                    )
                    .subject(id),
                );
            }
            return;
        }
        let Some(used) = &s.used_by else { return };
        let listed: Vec<(&str, crate::load::Span)> = match &used.v {
            NamndSet::All => cx
                .ix
                .namnder
                .iter()
                .map(|n| (n.head.id.v.as_str(), used.span))
                .collect(),
            NamndSet::List(l) => l.iter().map(|n| (n.v.as_str(), n.span)).collect(),
        };
        let mut seen: Vec<&str> = Vec::new();
        for (id, span) in listed {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            if cx.ix.namnd(id).is_some_and(&in_cover) {
                out.push(
                    cx.diag(
                        h,
                        span,
                        "used-by",
                        Msg::NamndCovered {
                            namnd: id.to_string(),
                        },
                    )
                    .subject(id),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{findings, model, model_error};

    const ATTRS: &str = "attributes:
  system:
    niva: {label: Säkerhetsnivå, label-en: Security level, type: ordered, values: [lag, grund, hog]}
    antal: {label: Antal, type: int}
    funktion: {label: Funktion, label-en: Function, type: enum, values: [gis, e-post]}
";

    fn rule(params: &str, applies: &str) -> crate::model::Model {
        model(&format!(
            "{ATTRS}rules:\n  t/f:\n    kind: require/field\n    severity: error\n    source: T\n    applies-to: {applies}\n    params: {params}\n"
        ))
    }

    fn namnder() -> Vec<(&'static str, String)> {
        [
            ("kommunstyrelsen", "kommunstyrelse"),
            ("sn", "namnd"),
            ("pn", "namnd"),
            ("bolag", "bolagsstyrelse"),
        ]
        .iter()
        .map(|(id, t)| {
            (
                match *id {
                    "kommunstyrelsen" => "namnder/kommunstyrelsen.yaml",
                    "sn" => "namnder/sn.yaml",
                    "pn" => "namnder/pn.yaml",
                    _ => "namnder/bolag.yaml",
                },
                format!("kind: namnd\nid: {id}\nname: N\ntype: {t}\nforvaltning: {{id: f-{id}}}\n"),
            )
        })
        .collect()
    }

    fn check(params: &str, applies: &str, system: &str) -> Vec<String> {
        let m = rule(params, applies);
        let mut owned = namnder();
        owned.push(("system/s.yaml", system.to_string()));
        let f: Vec<(&str, &str)> = owned.iter().map(|(p, t)| (*p, t.as_str())).collect();
        findings(&m, &f, "2026-05-01")
    }

    fn sys(used_by: &str, attrs: &str) -> String {
        format!("kind: system\nid: s\nname: S\ncategory: lokal\nused-by: {used_by}\nlifecycle:\n  status: i-drift\n{attrs}")
    }

    #[test]
    fn equals_in_and_not_in_point_at_the_value() {
        let s = sys("[sn]", "");
        assert!(check("{fact: category, equals: lokal}", "{}", &s).is_empty());
        assert_eq!(
            check("{fact: category, equals: gemensam}", "{}", &s),
            ["t/f system/s.yaml:4 `category` is `lokal`, but must be `gemensam`"]
        );
        assert!(check("{fact: category, in: [gemensam, lokal]}", "{}", &s).is_empty());
        assert_eq!(
            check("{fact: category, not-in: [lokal]}", "{}", &s),
            ["t/f system/s.yaml:4 `category` must not be `lokal`"]
        );
        // `hosting` has the catalog's default, `extern`.
        assert!(check("{fact: hosting, equals: extern}", "{}", &s).is_empty());
    }

    #[test]
    fn present_and_absent_attributes() {
        let s = sys("[sn]", "attributes:\n  funktion: gis\n");
        assert!(check("{fact: attributes.funktion, present: true}", "{}", &s).is_empty());
        assert_eq!(
            check("{fact: attributes.niva, present: true}", "{}", &s),
            ["t/f system/s.yaml:8 Security level (`attributes.niva`) is missing"]
        );
        assert_eq!(
            check("{fact: attributes.funktion, present: false}", "{}", &s),
            ["t/f system/s.yaml:9 Function (`attributes.funktion`) must not be given"]
        );
        // No `attributes:` at all: at `id:`.
        assert_eq!(
            check(
                "{fact: attributes.niva, present: true}",
                "{}",
                &sys("[sn]", "")
            ),
            ["t/f system/s.yaml:2 Security level (`attributes.niva`) is missing"]
        );
    }

    #[test]
    fn at_least_follows_the_declared_order_or_the_integer() {
        let s = sys("[sn]", "attributes:\n  niva: lag\n  antal: 3\n");
        assert_eq!(
            check("{fact: attributes.niva, at-least: grund}", "{}", &s),
            ["t/f system/s.yaml:9 Security level (`attributes.niva`) is `lag`, but must be at least `grund`"]
        );
        assert!(check("{fact: attributes.niva, at-least: lag}", "{}", &s).is_empty());
        assert!(check("{fact: attributes.antal, at-least: 3}", "{}", &s).is_empty());
        assert_eq!(
            check("{fact: attributes.antal, at-least: 4}", "{}", &s).len(),
            1
        );
        assert_eq!(
            check("{fact: used-by.count, at-least: 2}", "{}", &s).len(),
            1
        );
    }

    #[test]
    fn covers_all_reports_each_missing_nämnd_as_subject() {
        let p = "{fact: used-by, covers-all: {namnd-types: [namnd, bolagsstyrelse]}}";
        assert_eq!(
            check(p, "{}", &sys("[kommunstyrelsen, sn]", "")),
            [
                "t/f system/s.yaml:5 [bolag] the system must be used by `bolag`, which is missing from `used-by`",
                "t/f system/s.yaml:5 [pn] the system must be used by `pn`, which is missing from `used-by`"
            ]
        );
        assert!(check(p, "{}", &sys("all", "")).is_empty());
        // By organisation part.
        let p = "{fact: used-by, covers-all: {org-parts: [ks]}}";
        assert_eq!(check(p, "{}", &sys("[sn]", "")).len(), 1);
    }

    #[test]
    fn covers_none_of_reports_each_forbidden_nämnd_at_its_item() {
        let p = "{fact: used-by, covers-none-of: {namnd-types: [bolagsstyrelse]}}";
        assert_eq!(
            check(p, "{}", &sys("\n  - sn\n  - bolag", "")),
            ["t/f system/s.yaml:7 [bolag] the system must not be used by `bolag`, but `bolag` is in `used-by`"]
        );
        assert_eq!(check(p, "{}", &sys("all", "")).len(), 1);
        assert!(check(p, "{}", &sys("[sn]", "")).is_empty());
    }

    #[test]
    fn the_selector_decides_which_entities_are_checked() {
        let s = sys("[sn]", "attributes:\n  funktion: e-post\n");
        let p = "{fact: category, equals: gemensam}";
        assert_eq!(
            check(p, "{when: {attributes.funktion: [e-post]}}", &s).len(),
            1
        );
        assert!(check(p, "{when: {attributes.funktion: [gis]}}", &s).is_empty());
        // A nämnd instance does not look at systems, and vice versa.
        assert!(check(
            "{fact: type, equals: namnd}",
            "{entity: namnd, namnd-types: [namnd]}",
            &s
        )
        .is_empty());
        assert_eq!(
            check("{fact: type, equals: namnd}", "{entity: namnd}", &s),
            [
                "t/f namnder/kommunstyrelsen.yaml:4 `type` is `kommunstyrelse`, but must be `namnd`",
                "t/f namnder/bolag.yaml:4 `type` is `bolagsstyrelse`, but must be `namnd`"
            ]
        );
    }

    #[test]
    fn parameter_errors_read_well_in_swedish() {
        let m = crate::model::Model::from_text(
            "format: 2\nid: t\nname: T\nlifecycle:\n  order: [a]\nroles: {}\ncategories:\n  lokal: {label: L}\nrules:\n  t/f:\n    kind: require/field\n    severity: error\n    source: T\n    params: {fact: categry, equals: lokal}\n",
        );
        let e = m.err().map(|e| e.message_sv).unwrap_or_default();
        assert!(
            e.starts_with("okänt faktum `categry` – menade du `category`?"),
            "{e}"
        );
    }

    #[test]
    fn bad_parameters_are_model_errors_with_suggestions() {
        let rule = |params: &str| {
            model_error(&format!(
                "attributes:\n  system:\n    niva: {{label: N, type: ordered, values: [lag, hog]}}\n    text: {{label: T, type: text}}\nrules:\n  t/f:\n    kind: require/field\n    severity: error\n    source: T\n    params: {params}\n"
            ))
        };
        assert!(rule("{fact: categry, equals: lokal}").contains("did you mean `category`"));
        assert!(rule("{fact: attributes.nivaa, present: true}")
            .contains("did you mean `attributes.niva`"));
        assert!(rule("{fact: category, equals: lokl}").contains("did you mean `lokal`"));
        assert!(rule("{fact: attributes.niva, at-least: hgo}").contains("did you mean `hog`"));
        assert!(rule("{fact: attributes.text, at-least: x}").contains("`at-least` does not apply"));
        assert!(rule("{fact: category, equals: lokal, in: [lokal]}").contains("exactly one"));
        assert!(rule("{fact: fee, equals: ja}").contains("cannot be `ja`"));
        assert!(rule("{fact: used-by, present: true}").contains("covers-all"));
        assert!(rule("{fact: category, covers-all: {namnd-types: [namnd]}}")
            .contains("apply to the fact `used-by`"));
        assert!(rule("{fact: used-by, covers-all: {namnd-types: [namd]}}")
            .contains("did you mean `namnd`"));
        assert!(
            rule("{fact: used-by, covers-all: {org-parts: [kss]}}").contains("did you mean `ks`")
        );
        assert_eq!(rule("{fact: attributes.niva, at-least: hog}"), "");
    }
}
