//! The vocabularies a model declares: scopes, nämnd types, avtal types,
//! bodies, typed attributes per entity kind, record types and exception
//! kinds. Each is injected into the JSON Schemas (`schema::schema_for`), so
//! a catalog value outside them is `schema/invalid` at its span.
//!
//! A model that declares none of them gets catalog format v1's values
//! (`defaults`), so format 1 models load unchanged.

use indexmap::IndexMap;
use serde::Deserialize;

use super::Mandatory;

/// The entity kinds of the catalog.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    System,
    Namnd,
    Person,
    Avtal,
    Behandling,
}

impl EntityKind {
    pub const ALL: [EntityKind; 5] = [
        EntityKind::System,
        EntityKind::Namnd,
        EntityKind::Person,
        EntityKind::Avtal,
        EntityKind::Behandling,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::System => "system",
            EntityKind::Namnd => "namnd",
            EntityKind::Person => "person",
            EntityKind::Avtal => "avtal",
            EntityKind::Behandling => "behandling",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A vocabulary entry: an id with a Swedish label and optionally an
/// English one.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Term {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    /// The neuter form of an adjective label ("kommungemensamt"), used
    /// where the label agrees with "systemet".
    #[serde(default)]
    pub label_neuter: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

impl Term {
    pub fn plain(label: &str, en: &str) -> Term {
        Term {
            label: label.to_string(),
            label_en: Some(en.to_string()),
            label_neuter: None,
            description: None,
        }
    }

    pub fn label(&self, en: bool) -> &str {
        match (&self.label_en, en) {
            (Some(l), true) => l,
            _ => &self.label,
        }
    }
}

pub type Vocab = IndexMap<String, Term>;

/// A nämnd type, with the roles every nämnd of the type must have.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct NamndType {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(default)]
    pub mandatory: IndexMap<String, Mandatory>,
}

/// The type of a model-declared attribute.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AttrType {
    /// One of `values`.
    Enum,
    /// One of `values`, in order (lowest first): supports `at-least`.
    Ordered,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    Text,
    Int,
    /// The id of an entity of kind `ref` (or a body).
    Ref,
    /// A list of `values` (when given), of references (when `ref` is given)
    /// or of text.
    List,
}

/// What a `ref` attribute (or a record's `by:`) may name.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum RefTarget {
    System,
    Namnd,
    Person,
    Avtal,
    Body,
}

/// A typed attribute of an entity kind, carried by catalog files under
/// `attributes:`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AttrDef {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(rename = "type")]
    pub ty: AttrType,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default, rename = "ref")]
    pub target: Option<RefTarget>,
    #[serde(default)]
    pub description: Option<String>,
}

impl AttrDef {
    pub fn label(&self, en: bool) -> &str {
        match (&self.label_en, en) {
            (Some(l), true) => l,
            _ => &self.label,
        }
    }

    /// The rank of an ordered (or enum) value.
    pub fn rank(&self, value: &str) -> Option<usize> {
        self.values.iter().position(|v| v == value)
    }
}

/// Who makes a record of a type: `by:` names one of these.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ByKind {
    #[default]
    Person,
    Namnd,
    Body,
    /// A person, a nämnd or a body.
    Any,
}

/// A record type: a decision, approval, consultation, plan or report that
/// entities carry under `records:`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RecordType {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    /// Entity kinds that may carry it (default: system).
    #[serde(default = "default_on")]
    pub on: Vec<EntityKind>,
    /// What `by:` names.
    #[serde(default)]
    pub by: ByKind,
    /// Allowed `status:` values (empty: no status).
    #[serde(default)]
    pub statuses: Vec<String>,
    /// Allowed `sections:` tags (empty: any).
    #[serde(default)]
    pub sections: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

fn default_on() -> Vec<EntityKind> {
    vec![EntityKind::System]
}

impl RecordType {
    pub fn label(&self, en: bool) -> &str {
        match (&self.label_en, en) {
            (Some(l), true) => l,
            _ => &self.label,
        }
    }
}

/// Whether an exception kind needs an expiry date.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Expiry {
    #[default]
    Required,
    Optional,
}

/// The type of an exception kind's extra field.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    Date,
    Text,
    Year,
    Ref,
}

/// Who may decide an exception: the nämnd concerned (the finding's
/// subject, or the nämnd holding the entity), a body, or persons with a
/// title.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DecidedBy {
    #[serde(default)]
    pub namnd: Option<DeciderNamnd>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub titles: Vec<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DeciderNamnd {
    /// The nämnd the exception is about (the finding's subject) or, on a
    /// nämnd's own file, that nämnd.
    Concerned,
    /// Any nämnd.
    Any,
}

/// A kind of exception (avsteg, avvikelse, undantagsbeslut): what it must
/// say and whether it suppresses findings.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ExceptionKind {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    /// Fields an exception of this kind must have (core fields `decision`,
    /// `decided-on`, `decided-by`, `motivation`, `expires`, or an extra
    /// field of `fields`).
    #[serde(default = "default_requires")]
    pub requires: Vec<String>,
    /// Extra fields, typed.
    #[serde(default)]
    pub fields: IndexMap<String, FieldType>,
    #[serde(default)]
    pub expires: Expiry,
    /// Whether a valid exception of this kind suppresses the finding it
    /// names (false: it only documents it, e.g. an avvikelse).
    #[serde(default = "yes")]
    pub suppresses: bool,
    /// Who may decide it (for every rule); a rule instance may narrow it.
    #[serde(default)]
    pub decided_by: Option<DecidedBy>,
    #[serde(default)]
    pub description: Option<String>,
}

fn yes() -> bool {
    true
}

fn default_requires() -> Vec<String> {
    ["decision", "decided-on", "motivation"]
        .map(String::from)
        .to_vec()
}

impl ExceptionKind {
    pub fn label(&self, en: bool) -> &str {
        match (&self.label_en, en) {
            (Some(l), true) => l,
            _ => &self.label,
        }
    }

    /// The implicit kind of a model that declares none: Kungsbacka's
    /// avsteg (decision, decision date, motivation and expiry required).
    pub fn implicit() -> ExceptionKind {
        ExceptionKind {
            label: "Avsteg".into(),
            label_en: Some("Exception".into()),
            requires: ["decision", "decided-on", "motivation", "expires"]
                .map(String::from)
                .to_vec(),
            fields: IndexMap::new(),
            expires: Expiry::Required,
            suppresses: true,
            decided_by: None,
            description: None,
        }
    }
}

/// A rule instance's constraint on the exceptions that may waive it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ExceptionPolicy {
    /// Exception kinds that may waive it (default: every suppressing kind).
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub decided_by: Option<DecidedBy>,
}

/// Catalog format v1's values for the vocabularies a model may leave out.
pub mod defaults {
    use super::{NamndType, Term, Vocab};
    use indexmap::IndexMap;

    pub fn scopes() -> Vocab {
        IndexMap::from([
            (
                "kommungemensam".to_string(),
                Term {
                    label_neuter: Some("kommungemensamt".into()),
                    ..Term::plain("kommungemensam", "municipality-wide")
                },
            ),
            (
                "forvaltningsspecifik".to_string(),
                Term {
                    label_neuter: Some("förvaltningsspecifikt".into()),
                    ..Term::plain("förvaltningsspecifik", "administration-specific")
                },
            ),
        ])
    }

    /// Labels of the catalog format's lifecycle statuses (catalog.md,
    /// `lifecycle.status`), for a model that gives none: (Swedish, English),
    /// in running text.
    pub fn status(id: &str) -> Option<(&'static str, &'static str)> {
        Some(match id {
            "behov" => ("behov", "need"),
            "upphandling" => ("upphandling", "procurement"),
            "inforande" => ("införande", "implementation"),
            "i-drift" => ("i drift", "in operation"),
            "under-avveckling" => ("under avveckling", "being decommissioned"),
            "avvecklad" => ("avvecklad", "decommissioned"),
            _ => return None,
        })
    }

    pub fn namnd_types() -> IndexMap<String, NamndType> {
        let t = |l: &str, en: &str| NamndType {
            label: l.into(),
            label_en: Some(en.into()),
            mandatory: IndexMap::new(),
        };
        IndexMap::from([
            (
                "kommunstyrelse".to_string(),
                t("Kommunstyrelse", "Municipal executive board"),
            ),
            ("namnd".to_string(), t("Nämnd", "Committee")),
        ])
    }

    pub fn avtal_types() -> Vocab {
        IndexMap::from([
            (
                "grundavtal".to_string(),
                Term::plain("Grundavtal", "Main agreement"),
            ),
            (
                "pub-avtal".to_string(),
                Term::plain("PUB-avtal", "Data processing agreement"),
            ),
            (
                "gpa".to_string(),
                Term::plain(
                    "Avtal om gemensamt personuppgiftsansvar",
                    "Joint controllership agreement",
                ),
            ),
            (
                "sla".to_string(),
                Term::plain("SLA", "Service level agreement"),
            ),
            (
                "fullmakt".to_string(),
                Term::plain("Fullmakt", "Power of attorney"),
            ),
        ])
    }
}

/// Attributes per entity kind.
pub type Attributes = IndexMap<EntityKind, IndexMap<String, AttrDef>>;
