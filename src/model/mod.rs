//! The governance model: a municipality's facts as data (`rules/*.yaml`).
//!
//! A model names its categories, roles, titles, mandatory documents,
//! lifecycle, organisation parts, and for every rule its default severity,
//! source clause and parameters. Rule kinds (code in `check/`) read only
//! this; no category, role or title is named in Rust.

use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::diagnostic::Severity;
use crate::load::{self, Node};

pub mod selector;
pub mod sugar;
pub mod validate;
pub mod vocab;

pub use selector::AppliesTo;
pub use vocab::{
    AttrDef, AttrType, Attributes, EntityKind, ExceptionKind, ExceptionPolicy, NamndType,
    RecordType, Term, Vocab,
};

/// Built-in models, embedded in the binary: (id, file text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "kungsbacka-2023.1",
        include_str!("../../rules/kungsbacka-2023.1.yaml"),
    ),
    (
        "soderkoping-2018",
        include_str!("../../rules/soderkoping-2018.yaml"),
    ),
    (
        "e-forvaltning-riktlinje",
        include_str!("../../rules/e-forvaltning-riktlinje.yaml"),
    ),
    (
        "stockholm-2018",
        include_str!("../../rules/stockholm-2018.yaml"),
    ),
    (
        "goteborg-2023-reviderad",
        include_str!("../../rules/goteborg-2023-reviderad.yaml"),
    ),
];

/// The id of the model used when `kdl.yaml` cannot be read.
pub const DEFAULT_MODEL: &str = "kungsbacka-2023.1";

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Model {
    pub format: u32,
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub sources: IndexMap<String, String>,
    pub lifecycle: Lifecycle,
    /// The role whose holder's nämnd owns a system (reports and listings
    /// group systems by it). Default: the role `roles/owner-title` checks,
    /// else the first single-holder role.
    #[serde(default)]
    pub owner_role: Option<String>,
    #[serde(default)]
    pub organisation: IndexMap<String, OrgPartKind>,
    #[serde(default)]
    pub titles: IndexMap<String, Title>,
    pub roles: IndexMap<String, Role>,
    #[serde(default)]
    pub documents: IndexMap<String, Document>,
    pub categories: IndexMap<String, Category>,
    /// System scopes (default: catalog format v1's two).
    #[serde(default = "vocab::defaults::scopes")]
    pub scopes: Vocab,
    /// Nämnd types (default: kommunstyrelse, namnd).
    #[serde(default = "vocab::defaults::namnd_types")]
    pub namnd_types: IndexMap<String, NamndType>,
    /// Avtal types (default: catalog format v1's five).
    #[serde(default = "vocab::defaults::avtal_types")]
    pub avtal_types: Vocab,
    /// Deciding groups that are not catalog entities (IT-styrgruppen, …).
    #[serde(default)]
    pub bodies: Vocab,
    /// Typed attributes per entity kind, carried under `attributes:`.
    #[serde(default)]
    pub attributes: Attributes,
    /// Record types, carried under `records:`.
    #[serde(default)]
    pub record_types: IndexMap<String, RecordType>,
    /// Exception kinds (default: one implicit kind, Kungsbacka's avsteg).
    #[serde(default)]
    pub exception_kinds: IndexMap<String, ExceptionKind>,
    #[serde(default)]
    pub gdpr: Gdpr,
    #[serde(default)]
    pub rules: IndexMap<String, RuleSpec>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Lifecycle {
    pub order: Vec<String>,
    #[serde(default)]
    pub retired: Option<String>,
    #[serde(default)]
    pub in_use: Vec<String>,
    /// Labels of the statuses (default: the catalog format's labels for its
    /// own statuses, else the id; see [`Model::status_label`]).
    #[serde(default)]
    pub labels: IndexMap<String, Term>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum OrgPartKind {
    /// A nämnd id.
    Namnd,
    /// A unit of a förvaltning (`{forvaltning, unit}`).
    Unit,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Title {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(default)]
    pub manager: bool,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Holder {
    #[default]
    Person,
    Namnd,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Role {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(default)]
    pub single: bool,
    #[serde(default)]
    pub holder: Holder,
    /// Entity kinds on which the role is held (default: system).
    #[serde(default = "default_role_on")]
    pub on: Vec<EntityKind>,
}

fn default_role_on() -> Vec<EntityKind> {
    vec![EntityKind::System]
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Document {
    pub label: String,
    /// The avtal type that fulfils this document, if it is an agreement.
    #[serde(default)]
    pub avtal: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Category {
    pub label: String,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    /// Mandatory roles: a role id, or a group name with `any-of`.
    #[serde(default)]
    pub mandatory: IndexMap<String, Mandatory>,
    #[serde(default)]
    pub optional: Vec<String>,
    #[serde(default)]
    pub not_applicable: Vec<String>,
    #[serde(default)]
    pub documents: Vec<String>,
    /// Sugar: the category takes part in the yearly cycle (`plan/*`,
    /// `report/*`, `forum/avtalsuppfoljning` select it when their
    /// `applies-to` names no categories).
    #[serde(default)]
    pub yearly_cycle: bool,
}

impl Category {
    /// The roles a mandatory requirement can be met by.
    pub fn mandatory_roles(&self) -> impl Iterator<Item = &str> {
        self.mandatory.iter().flat_map(|(k, m)| {
            if m.any_of.is_empty() {
                vec![k.as_str()]
            } else {
                m.any_of.iter().map(String::as_str).collect()
            }
        })
    }

    /// Whether the category knows `role` (mandatory, in a group, or optional).
    pub fn knows(&self, role: &str) -> bool {
        self.mandatory_roles().any(|r| r == role) || self.optional.iter().any(|r| r == role)
    }
}

/// A severity, or one per lifecycle status from which it applies
/// (`{upphandling: warning, inforande: error}`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum SevSpec {
    One(Severity),
    ByStatus(IndexMap<String, Severity>),
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Mandatory {
    /// The lifecycle status from which the role must be appointed (default:
    /// the first status; with a per-status `severity`, its first status).
    #[serde(default)]
    pub from: Option<String>,
    /// Conditions over named facts (`fee: true`, `attributes.storre: true`).
    #[serde(default)]
    pub when: IndexMap<String, Json>,
    /// The requirement is met by any one of these roles (the key is then
    /// the group's name).
    #[serde(default)]
    pub any_of: Vec<String>,
    /// This requirement's severity (default: the `roles/mandatory` rule's).
    #[serde(default)]
    pub severity: Option<SevSpec>,
}

impl Mandatory {
    /// The status from which the requirement applies.
    pub fn start(&self) -> Option<&str> {
        self.from.as_deref().or(match &self.severity {
            Some(SevSpec::ByStatus(m)) => m.keys().next().map(String::as_str),
            _ => None,
        })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Gdpr {
    #[serde(default, rename = "art-28-3")]
    pub art_28_3: Vec<String>,
    #[serde(default)]
    pub eu_ees: Vec<String>,
}

/// A text in Swedish and English.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub sv: String,
    #[serde(default)]
    pub en: Option<String>,
}

impl Bilingual {
    pub fn get(&self, en: bool) -> &str {
        match (&self.en, en) {
            (Some(e), true) => e,
            _ => &self.sv,
        }
    }
}

/// A further source clause shown by `kdl explain` (e.g. a conflicting one).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AlsoSource {
    pub source: String,
    #[serde(default)]
    pub quote: Option<String>,
}

/// A rule instance: the model's id for it, the kind it instantiates, and
/// its severity, source, parameters and selector.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleSpec {
    /// The rule kind (default: the instance's own id, as in format 1).
    #[serde(default)]
    pub kind: Option<String>,
    pub severity: Severity,
    pub source: String,
    /// The source clause verbatim, in the document's language.
    #[serde(default)]
    pub quote: Option<String>,
    /// Other clauses `kdl explain` quotes (a conflicting or later source).
    #[serde(default)]
    pub also: Vec<AlsoSource>,
    /// The model author's note on how the rule reads its source (a
    /// default that is kdl's, a conflict between documents …).
    #[serde(default)]
    pub note: Option<Bilingual>,
    #[serde(default)]
    pub params: Map<String, Json>,
    #[serde(default)]
    pub applies_to: AppliesTo,
    /// The finding's message, replacing the kind's (`{entity}`,
    /// `{subject}` and `{message}` are filled in).
    #[serde(default)]
    pub message: Option<Bilingual>,
    /// Which exception kinds may waive it, decided by whom.
    #[serde(default)]
    pub exceptions: Option<ExceptionPolicy>,
}

impl RuleSpec {
    /// The kind id: `kind:` or, in its absence, the instance id.
    pub fn kind_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.kind.as_deref().unwrap_or(id)
    }
}

/// A problem with a model file, at a place in it.
#[derive(Debug)]
pub struct ModelError {
    /// In English.
    pub message: String,
    /// In Swedish.
    pub message_sv: String,
    pub span: load::Span,
    /// The span's line and column in the model file.
    pub pos: load::Pos,
}

impl ModelError {
    /// The same text in both languages (a fault from a library).
    pub fn plain(message: String, span: load::Span) -> ModelError {
        ModelError {
            message_sv: message.clone(),
            message,
            span,
            pos: load::Pos::default(),
        }
    }

    pub fn text(&self, en: bool) -> &str {
        if en {
            &self.message
        } else {
            &self.message_sv
        }
    }
}

impl Model {
    /// Loads a built-in model by id.
    pub fn builtin(id: &str) -> Option<Result<(Model, String), ModelError>> {
        BUILTIN
            .iter()
            .find(|(bid, _)| *bid == id)
            .map(|(_, text)| Model::from_text(text).map(|m| (m, text.to_string())))
    }

    /// Loads a model file from disk: a regular file of at most the entity
    /// file limit (never a FIFO or device, never read without bound).
    pub fn from_file(path: &Path) -> Result<(Model, String), ModelError> {
        let text = load::read::read_text(path, load::DEFAULT_MAX_FILE_BYTES)
            .map_err(|e| ModelError::plain(e.to_string(), load::Span::FILE_START))?;
        Model::from_text(&text).map(|m| (m, text))
    }

    /// Parses and validates a model file's text.
    pub fn from_text(text: &str) -> Result<Model, ModelError> {
        Model::parse_text(text).map_err(|mut e| {
            e.pos = load::Lines::new(text).pos(e.span);
            e
        })
    }

    fn parse_text(text: &str) -> Result<Model, ModelError> {
        let node = load::yaml::parse(text, load::Budget::default()).map_err(|e| {
            let (sv, en) = yaml_error_text(&e);
            ModelError {
                message: en,
                message_sv: sv,
                span: e.span(),
                pos: load::Pos::default(),
            }
        })?;
        let mut model: Model = serde_path_to_error::deserialize(node.to_json()).map_err(|e| {
            let inner = e.inner().to_string();
            let span = locate_serde_error(&node, e.path(), &inner);
            let path = e.path().to_string();
            let hint = unknown_field_hint(&inner);
            ModelError {
                message_sv: format!("`{path}`: {}{}", serde_sv(&inner), hint.0),
                message: format!("`{path}`: {inner}{}", hint.1),
                span,
                pos: load::Pos::default(),
            }
        })?;
        sugar::apply(&mut model);
        validate::check(&model, &node)?;
        Ok(model)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.get(id)
    }

    /// Position of a lifecycle status in the model's order.
    pub fn status_rank(&self, status: &str) -> Option<usize> {
        self.lifecycle.order.iter().position(|s| s == status)
    }

    /// Whether `status` is at or after `from` in the lifecycle.
    pub fn status_reached(&self, status: &str, from: &str) -> bool {
        match (self.status_rank(status), self.status_rank(from)) {
            (Some(s), Some(f)) => s >= f,
            _ => false,
        }
    }

    pub fn is_retired(&self, status: &str) -> bool {
        self.lifecycle.retired.as_deref() == Some(status)
    }

    pub fn is_in_use(&self, status: &str) -> bool {
        self.lifecycle.in_use.iter().any(|s| s == status)
    }

    pub fn is_manager(&self, title: &str) -> bool {
        self.titles.get(title).is_some_and(|t| t.manager)
    }

    pub fn role_label(&self, role: &str, en: bool) -> String {
        self.roles
            .get(role)
            .map(|r| {
                if en {
                    r.label_en.clone().unwrap_or_else(|| r.label.clone())
                } else {
                    r.label.clone()
                }
            })
            .unwrap_or_else(|| role.to_string())
    }

    pub fn category_label(&self, cat: &str, en: bool) -> String {
        self.categories
            .get(cat)
            .map(|c| {
                if en {
                    c.label_en.clone().unwrap_or_else(|| c.label.clone())
                } else {
                    c.label.clone()
                }
            })
            .unwrap_or_else(|| cat.to_string())
    }

    pub fn title_label(&self, title: &str, en: bool) -> String {
        self.titles
            .get(title)
            .map(|t| {
                if en {
                    t.label_en.clone().unwrap_or_else(|| t.label.clone())
                } else {
                    t.label.clone()
                }
            })
            .unwrap_or_else(|| title.to_string())
    }

    /// The role whose holder owns a system (see `owner-role`).
    pub fn owner_role(&self) -> Option<&str> {
        if let Some(r) = &self.owner_role {
            return Some(r);
        }
        let from_rule = self
            .rules
            .get("roles/owner-title")
            .and_then(|r| r.params.get("role"))
            .and_then(Json::as_str);
        from_rule.or_else(|| {
            self.roles
                .iter()
                .find(|(_, r)| r.single && r.on.contains(&EntityKind::System))
                .map(|(k, _)| k.as_str())
        })
    }

    pub fn scope_label(&self, scope: &str, en: bool) -> String {
        self.scopes
            .get(scope)
            .map_or_else(|| scope.to_string(), |t| t.label(en).to_string())
    }

    /// The scope's label in the neuter form ("systemet är kommungemensamt").
    pub fn scope_label_neuter(&self, scope: &str, en: bool) -> String {
        match self.scopes.get(scope) {
            Some(t) if !en => t.label_neuter.clone().unwrap_or_else(|| t.label.clone()),
            Some(t) => t.label(en).to_string(),
            None => scope.to_string(),
        }
    }

    /// A lifecycle status in running text: the model's label, else the
    /// catalog format's for its own statuses, else the id.
    pub fn status_label(&self, status: &str, en: bool) -> String {
        match self.lifecycle.labels.get(status) {
            Some(t) => t.label(en).to_string(),
            None => vocab::defaults::status(status)
                .map_or(status, |(sv, e)| if en { e } else { sv })
                .to_string(),
        }
    }

    /// A status standing on its own (a table cell, a page's facts, hover).
    pub fn status_display(&self, status: &str, en: bool) -> String {
        crate::i18n::upper_first(&self.status_label(status, en))
    }

    /// A scope standing on its own (a table cell, a page's facts, hover).
    pub fn scope_display(&self, scope: &str, en: bool) -> String {
        crate::i18n::upper_first(&self.scope_label(scope, en))
    }

    pub fn namnd_type_label(&self, t: &str, en: bool) -> String {
        self.namnd_types.get(t).map_or_else(
            || t.to_string(),
            |x| match (&x.label_en, en) {
                (Some(l), true) => l.clone(),
                _ => x.label.clone(),
            },
        )
    }

    pub fn avtal_type_label(&self, t: &str, en: bool) -> String {
        self.avtal_types
            .get(t)
            .map_or_else(|| t.to_string(), |x| x.label(en).to_string())
    }

    pub fn body_label(&self, b: &str, en: bool) -> String {
        self.bodies
            .get(b)
            .map_or_else(|| b.to_string(), |x| x.label(en).to_string())
    }

    pub fn exception_kind_label(&self, k: &str, en: bool) -> String {
        self.exception_kinds.get(k).map_or_else(
            || k.to_string(),
            |x| match (&x.label_en, en) {
                (Some(l), true) => l.clone(),
                _ => x.label.clone(),
            },
        )
    }

    pub fn record_type_label(&self, t: &str, en: bool) -> String {
        self.record_types
            .get(t)
            .map_or_else(|| t.to_string(), |x| x.label(en).to_string())
    }

    pub fn attribute(&self, entity: EntityKind, name: &str) -> Option<&AttrDef> {
        self.attributes.get(&entity)?.get(name)
    }

    /// The exception kind a catalog exception without `kind:` has: the
    /// model's first.
    pub fn default_exception_kind(&self) -> Option<(&str, &ExceptionKind)> {
        self.exception_kinds
            .iter()
            .next()
            .map(|(k, v)| (k.as_str(), v))
    }

    /// The rule instance `id`, with its kind id.
    pub fn instance(&self, id: &str) -> Option<(&str, &RuleSpec)> {
        self.rules
            .get_key_value(id)
            .map(|(k, spec)| (spec.kind_of(k), spec))
    }

    /// The human-readable source clause of a rule: the model's document
    /// abbreviations (`M`, `R`, `D`) expanded.
    pub fn source_of(&self, rule: &str) -> Option<String> {
        let spec = self.rules.get(rule)?;
        Some(self.expand_source(&spec.source))
    }

    pub fn expand_source(&self, source: &str) -> String {
        // "M §4.1" → "Modell för digitala tjänster och system 2023.1 §4.1"
        let mut out = String::with_capacity(source.len() + 32);
        for (i, part) in source.split("; ").enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            let (head, rest) = part.split_once(' ').unwrap_or((part, ""));
            match self.sources.get(head) {
                Some(title) if rest.is_empty() => out.push_str(title),
                Some(title) => {
                    out.push_str(title);
                    out.push(' ');
                    out.push_str(rest);
                }
                None => out.push_str(part),
            }
        }
        out
    }
}

/// serde_json reports "... at line L column C" of its own JSON, which is
/// meaningless here; find the key it names instead, if any.
/// Where a deserialisation error points: the value at the error's path, or
/// — for an unknown field, whose path is its mapping — that field's key.
fn locate_serde_error(node: &Node, path: &serde_path_to_error::Path, message: &str) -> load::Span {
    use serde_path_to_error::Segment;
    let mut segs: Vec<load::PathSeg> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(load::PathSeg::Key(key.clone())),
            Segment::Seq { index } => Some(load::PathSeg::Index(*index)),
            _ => None,
        })
        .collect();
    if message.starts_with("unknown field") {
        if let Some(key) = message.split('`').nth(1) {
            segs.push(load::PathSeg::Key(key.to_string()));
            if let Some((_, key_span)) = node.lookup(&segs) {
                return key_span;
            }
            segs.pop();
        }
    }
    // The deepest part of the path that exists.
    while !segs.is_empty() {
        if let Some((n, _)) = node.lookup(&segs) {
            return n.span;
        }
        segs.pop();
    }
    load::Span::FILE_START
}

/// A model file's YAML fault in words: (Swedish, English).
fn yaml_error_text(e: &load::YamlError) -> (String, String) {
    use load::YamlError as E;
    match e {
        E::Syntax { message, .. } => {
            let message = load::syntax::split(message).1;
            (
                format!("YAML-syntaxfel: {message}"),
                format!("YAML syntax error: {message}"),
            )
        }
        E::DuplicateKey { key, .. } => (
            format!("nyckeln `{key}` förekommer två gånger"),
            format!("duplicate key `{key}`"),
        ),
        E::AliasBudget { budget, .. } => (
            format!("alias expanderar till fler än {budget} noder"),
            format!("alias expansion over {budget} nodes"),
        ),
        E::TooDeep { max, .. } => (
            format!("nästlat djupare än {max} nivåer"),
            format!("nesting deeper than {max}"),
        ),
        E::ComplexKey { .. } => (
            "en nyckel måste vara ett enkelt värde".into(),
            "a mapping key must be a scalar".into(),
        ),
        E::MultipleDocuments { .. } => (
            "mer än ett YAML-dokument".into(),
            "more than one YAML document".into(),
        ),
        E::Empty => (
            "modellfilen är tom".into(),
            "the model file is empty".into(),
        ),
    }
}

/// serde's "unknown field `x`, expected one of `a`, `b`" → a suggestion.
fn unknown_field_hint(message: &str) -> (String, String) {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return (String::new(), String::new());
    };
    let field = rest.split('`').next().unwrap_or_default();
    let expected: Vec<&str> = message
        .split("expected")
        .nth(1)
        .map(|e| e.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    match crate::suggest::closest(field, expected) {
        Some(s) => (
            format!(" – menade du `{s}`?"),
            format!(" – did you mean `{s}`?"),
        ),
        None => (String::new(), String::new()),
    }
}

/// serde's common messages in Swedish (the rest as they are).
fn serde_sv(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        let expected = rest.split("expected ").nth(1).unwrap_or_default();
        return format!(
            "okänd nyckel {field}; tillåtna: {}",
            expected.replace("one of ", "").replace(" or ", " eller ")
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("nyckeln {rest} saknas");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let value = rest.split(',').next().unwrap_or(rest);
        let expected = rest.split("expected ").nth(1).unwrap_or_default();
        return format!(
            "okänt värde {value}; tillåtna: {}",
            expected.replace("one of ", "").replace(" or ", " eller ")
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("fel typ: {}", rest.replace(", expected ", ", väntade "));
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_and_status_labels_come_from_the_model_else_the_format() {
        let (k, _) = Model::builtin(DEFAULT_MODEL).unwrap().unwrap();
        // Kungsbacka gives no status labels: the catalog format's.
        assert!(k.lifecycle.labels.is_empty());
        assert_eq!(k.status_label("i-drift", false), "i drift");
        assert_eq!(k.status_label("i-drift", true), "in operation");
        assert_eq!(
            k.status_display("under-avveckling", false),
            "Under avveckling"
        );
        assert_eq!(k.status_label("egen-status", false), "egen-status");
        assert_eq!(k.scope_display("kommungemensam", false), "Kommungemensam");
        assert_eq!(k.scope_display("kommungemensam", true), "Municipality-wide");
        // A model's own label wins.
        let (g, _) = Model::builtin("goteborg-2023-reviderad").unwrap().unwrap();
        assert_eq!(g.status_label("inforande", true), "introduction");
        assert_eq!(g.status_display("inforande", false), "Införande");
    }

    #[test]
    fn builtin_models_load_and_are_consistent() {
        for (id, _) in BUILTIN {
            let (m, _) = Model::builtin(id).unwrap().unwrap();
            assert_eq!(&m.id, id);
            assert!(!m.categories.is_empty(), "{id}");
            if *id == DEFAULT_MODEL {
                assert_eq!(m.categories.len(), 7);
            }
        }
    }

    #[test]
    fn sources_expand() {
        let (m, _) = Model::builtin(DEFAULT_MODEL).unwrap().unwrap();
        assert_eq!(
            m.source_of("roles/mandatory").unwrap(),
            "Modell för digitala tjänster och system 2023.1 §4.1.1–4.1.6"
        );
    }

    #[test]
    fn unknown_role_in_a_category_is_reported_with_a_position() {
        let (_, text) = Model::builtin(DEFAULT_MODEL).unwrap().unwrap();
        let broken = text.replacen(
            "huvudansvarig-superanvandare: {from: i-drift}",
            "huvudansvarig-superanvandar: {from: i-drift}",
            1,
        );
        let err = Model::from_text(&broken).unwrap_err();
        assert!(err.message.contains("huvudansvarig-superanvandar"));
        assert!(err.pos.line > 1);
    }

    #[test]
    fn bad_values_and_unknown_keys_point_at_their_line() {
        let (_, text) = Model::builtin(DEFAULT_MODEL).unwrap().unwrap();
        let line_of =
            |t: &str, needle: &str| t.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1;
        // An unknown enum value: at the value.
        let broken = text.replacen("    severity: warning", "    severity: fatal", 1);
        let err = Model::from_text(&broken).unwrap_err();
        assert!(err.message.contains("fatal"), "{}", err.message);
        assert_eq!(err.pos.line, line_of(&broken, "severity: fatal"));
        // An unknown key: at the key.
        let broken = text.replacen("    source: M §7.1\n", "    sorce: M §7.1\n", 1);
        let err = Model::from_text(&broken).unwrap_err();
        assert!(err.message.contains("sorce"), "{}", err.message);
        assert_eq!(err.pos.line, line_of(&broken, "sorce:"));
        // A YAML fault: in words, not as a debug dump.
        let err = Model::from_text("format: [1\n").unwrap_err();
        assert!(
            err.message.starts_with("YAML syntax error"),
            "{}",
            err.message
        );
    }

    #[test]
    fn an_unknown_condition_is_a_model_error() {
        let (_, text) = Model::builtin(DEFAULT_MODEL).unwrap().unwrap();
        let broken = text.replacen("when: {fee: true}", "when: {avgift: true}", 1);
        assert_ne!(broken, text);
        let err = Model::from_text(&broken).unwrap_err();
        assert!(err.message.contains("avgift"), "{}", err.message);
        assert!(err.pos.line > 1);
    }
}
