//! `applies-to`: the one selector every rule instance (and every mandatory
//! role) uses to say which entities it concerns, and the closed set of
//! named facts its `when:` conditions may test.
//!
//! The selector is data; evaluating it against a typed entity is
//! `check::select`. Validation against the model's vocabularies happens
//! when the model loads (`Model::check_consistency`), so a misspelt fact,
//! status or category is a model error at its span, never a rule that
//! silently selects nothing.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value as Json;

use super::EntityKind;

/// Which entities a rule instance applies to. Lists are OR-ed, keys are
/// AND-ed; an absent key does not restrict.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AppliesTo {
    /// The entity kind the instance checks (default: the kind's own).
    #[serde(default)]
    pub entity: Option<EntityKind>,
    /// System categories (model `categories`).
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    /// System categories left out.
    #[serde(default)]
    pub not_categories: Vec<String>,
    /// System scopes (model `scopes`).
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Lifecycle status from which the instance applies (this status or any
    /// later one in `lifecycle.order`).
    #[serde(default)]
    pub from: Option<String>,
    /// Lifecycle status until which it applies (inclusive).
    #[serde(default)]
    pub until: Option<String>,
    /// Exactly these lifecycle statuses.
    #[serde(default)]
    pub statuses: Option<Vec<String>>,
    /// Nämnd types (model `namnd-types`), for nämnd instances.
    #[serde(default)]
    pub namnd_types: Option<Vec<String>>,
    /// Avtal types (model `avtal-types`), for agreement instances.
    #[serde(default)]
    pub avtal_types: Option<Vec<String>>,
    /// Organisation parts (model `organisation`, kind `namnd`): the nämnd is
    /// one of them.
    #[serde(default)]
    pub org_parts: Option<Vec<String>>,
    /// Organisation parts the nämnd is not.
    #[serde(default)]
    pub not_org_parts: Vec<String>,
    /// Conditions over named facts (`fee`, `hosting`, `attributes.funktion`,
    /// `used-by.count` …), each a value, a list of values, `present`/
    /// `absent`, or `{min, max}`.
    #[serde(default)]
    pub when: IndexMap<String, Json>,
}

impl AppliesTo {
    pub fn is_empty(&self) -> bool {
        *self == AppliesTo::default()
    }
}

/// A `when:` condition, parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// The fact equals one of these values.
    In(Vec<Json>),
    /// The fact equals none of these values (an absent fact passes).
    NotIn(Vec<Json>),
    /// The fact is present (true) or absent (false).
    Present(bool),
    /// An integer fact within bounds (inclusive).
    Range { min: Option<i64>, max: Option<i64> },
}

impl Cond {
    /// Reads a condition; `Err` says what is wrong with its shape.
    pub fn parse(v: &Json) -> Result<Cond, String> {
        match v {
            Json::String(s) if s == "present" => Ok(Cond::Present(true)),
            Json::String(s) if s == "absent" => Ok(Cond::Present(false)),
            Json::Array(items) => Ok(Cond::In(items.clone())),
            Json::Object(m) => {
                let mut min = None;
                let mut max = None;
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("min", Json::Number(n)) => min = n.as_i64(),
                        ("max", Json::Number(n)) => max = n.as_i64(),
                        ("not-in", Json::Array(items)) if m.len() == 1 => {
                            return Ok(Cond::NotIn(items.clone()))
                        }
                        ("not", x) if m.len() == 1 && !x.is_array() && !x.is_object() => {
                            return Ok(Cond::NotIn(vec![x.clone()]))
                        }
                        _ => {
                            return Err(format!(
                                "`{k}`: a condition is a value, a list, `present`, `absent`, `{{min: N, max: N}}`, `{{not: V}}` or `{{not-in: [...]}}`"
                            ))
                        }
                    }
                }
                Ok(Cond::Range { min, max })
            }
            Json::Null => Err("an empty condition".into()),
            other => Ok(Cond::In(vec![other.clone()])),
        }
    }

    /// The values a condition names (for validation against a vocabulary).
    pub fn values(&self) -> &[Json] {
        match self {
            Cond::In(v) | Cond::NotIn(v) => v,
            _ => &[],
        }
    }
}

/// What kind of value a named fact has, for validating conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    Bool,
    Int,
    Text,
    Date,
    /// One of a model vocabulary's ids.
    Vocab(VocabName),
    /// One of a fixed set of catalog format values.
    Fixed(&'static [&'static str]),
}

/// The model vocabularies a fact's values come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VocabName {
    Categories,
    Scopes,
    Statuses,
    NamndTypes,
    AvtalTypes,
    Titles,
}

/// The named facts of catalog entities (besides `attributes.<name>`, which
/// the model declares). Shared by validation and evaluation.
pub const FACTS: &[(EntityKind, &str, Domain)] = &[
    (
        EntityKind::System,
        "category",
        Domain::Vocab(VocabName::Categories),
    ),
    (
        EntityKind::System,
        "scope",
        Domain::Vocab(VocabName::Scopes),
    ),
    (
        EntityKind::System,
        "status",
        Domain::Vocab(VocabName::Statuses),
    ),
    (EntityKind::System, "fee", Domain::Bool),
    (
        EntityKind::System,
        "hosting",
        Domain::Fixed(&["extern", "intern"]),
    ),
    (EntityKind::System, "processed", Domain::Bool),
    (EntityKind::System, "sensitive", Domain::Bool),
    (
        EntityKind::System,
        "storage",
        Domain::Fixed(&["eu", "third-country"]),
    ),
    (EntityKind::System, "stodprocess", Domain::Text),
    (EntityKind::System, "supplier", Domain::Text),
    (EntityKind::System, "used-by.count", Domain::Int),
    (EntityKind::System, "used-by.all", Domain::Bool),
    (
        EntityKind::Namnd,
        "type",
        Domain::Vocab(VocabName::NamndTypes),
    ),
    (
        EntityKind::Avtal,
        "type",
        Domain::Vocab(VocabName::AvtalTypes),
    ),
    (
        EntityKind::Person,
        "title",
        Domain::Vocab(VocabName::Titles),
    ),
];

/// The fact names known for an entity kind (without attributes).
pub fn fact_names(entity: EntityKind) -> impl Iterator<Item = &'static str> {
    FACTS
        .iter()
        .filter(move |(e, _, _)| *e == entity)
        .map(|(_, n, _)| *n)
}

pub fn fact_domain(entity: EntityKind, name: &str) -> Option<Domain> {
    FACTS
        .iter()
        .find(|(e, n, _)| *e == entity && *n == name)
        .map(|(_, _, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conditions_parse() {
        assert_eq!(
            Cond::parse(&json!(true)).unwrap(),
            Cond::In(vec![json!(true)])
        );
        assert_eq!(Cond::parse(&json!("absent")).unwrap(), Cond::Present(false));
        assert_eq!(
            Cond::parse(&json!({"min": 2})).unwrap(),
            Cond::Range {
                min: Some(2),
                max: None
            }
        );
        assert_eq!(
            Cond::parse(&json!({"not": "intern"})).unwrap(),
            Cond::NotIn(vec![json!("intern")])
        );
        assert!(Cond::parse(&json!({"minimum": 2})).is_err());
        assert!(Cond::parse(&json!(null)).is_err());
    }
}
