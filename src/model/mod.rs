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
    #[serde(default)]
    pub organisation: IndexMap<String, OrgPartKind>,
    #[serde(default)]
    pub titles: IndexMap<String, Title>,
    pub roles: IndexMap<String, Role>,
    #[serde(default)]
    pub documents: IndexMap<String, Document>,
    pub categories: IndexMap<String, Category>,
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
    #[serde(default)]
    pub mandatory: IndexMap<String, Mandatory>,
    #[serde(default)]
    pub optional: Vec<String>,
    #[serde(default)]
    pub not_applicable: Vec<String>,
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub yearly_cycle: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Mandatory {
    /// The lifecycle status from which the role must be appointed.
    pub from: String,
    /// Conditions on the system's top-level fields (e.g. `fee: true`).
    #[serde(default)]
    pub when: Map<String, Json>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Gdpr {
    #[serde(default, rename = "art-28-3")]
    pub art_28_3: Vec<String>,
    #[serde(default)]
    pub eu_ees: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleSpec {
    pub severity: Severity,
    pub source: String,
    /// The source clause verbatim, in the document's language.
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub params: Map<String, Json>,
}

/// A problem with a model file, at a place in it.
#[derive(Debug)]
pub struct ModelError {
    pub message: String,
    pub span: load::Span,
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
        let text =
            load::read::read_text(path, load::DEFAULT_MAX_FILE_BYTES).map_err(|e| ModelError {
                message: e.to_string(),
                span: load::Span::FILE_START,
            })?;
        Model::from_text(&text).map(|m| (m, text))
    }

    /// Parses and validates a model file's text.
    pub fn from_text(text: &str) -> Result<Model, ModelError> {
        let node = load::yaml::parse(text, load::Budget::default()).map_err(|e| ModelError {
            message: yaml_error_text(&e),
            span: e.span(),
        })?;
        let model: Model =
            serde_path_to_error::deserialize(node.to_json()).map_err(|e| ModelError {
                span: locate_serde_error(&node, e.path(), &e.inner().to_string()),
                message: e.inner().to_string(),
            })?;
        model.check_consistency(&node)?;
        Ok(model)
    }

    /// Cross-references inside the model: every role, document, status and
    /// title it names must be defined in it.
    fn check_consistency(&self, node: &Node) -> Result<(), ModelError> {
        let err = |path: &[&str], message: String| {
            let segs: Vec<load::PathSeg> = path
                .iter()
                .map(|s| load::PathSeg::Key((*s).to_string()))
                .collect();
            let span = node
                .lookup(&segs)
                .map(|(_, key)| key)
                .unwrap_or(load::Span::FILE_START);
            Err(ModelError { message, span })
        };
        let status_known = |s: &str| self.lifecycle.order.iter().any(|o| o == s);
        for s in self
            .lifecycle
            .in_use
            .iter()
            .chain(self.lifecycle.retired.iter())
        {
            if !status_known(s) {
                return err(&["lifecycle"], format!("unknown lifecycle status `{s}`"));
            }
        }
        for (cid, cat) in &self.categories {
            for (role, m) in &cat.mandatory {
                if !self.roles.contains_key(role) {
                    return err(
                        &["categories", cid, "mandatory", role],
                        format!("unknown role `{role}`"),
                    );
                }
                if !status_known(&m.from) {
                    return err(
                        &["categories", cid, "mandatory", role],
                        format!("unknown lifecycle status `{}`", m.from),
                    );
                }
                // The facts a condition may test (src/check/roles.rs); any
                // other key would make the role silently never mandatory.
                for key in m.when.keys() {
                    if !["fee", "hosting", "scope"].contains(&key.as_str()) {
                        return err(
                            &["categories", cid, "mandatory", role, "when", key],
                            format!("unknown condition `{key}` (known: fee, hosting, scope)"),
                        );
                    }
                }
            }
            for role in cat.optional.iter().chain(&cat.not_applicable) {
                if !self.roles.contains_key(role) {
                    return err(&["categories", cid], format!("unknown role `{role}`"));
                }
            }
            for doc in &cat.documents {
                if !self.documents.contains_key(doc) {
                    return err(
                        &["categories", cid, "documents"],
                        format!("unknown document `{doc}`"),
                    );
                }
            }
        }
        for rule in self.rules.keys() {
            if crate::check::registry::find(rule).is_none() {
                return err(&["rules", rule], format!("unknown rule `{rule}`"));
            }
        }
        Ok(())
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

/// A model file's YAML fault in words.
fn yaml_error_text(e: &load::YamlError) -> String {
    use load::YamlError as E;
    match e {
        E::Syntax { message, .. } => format!("YAML syntax error: {message}"),
        E::DuplicateKey { key, .. } => format!("duplicate key `{key}`"),
        E::AliasBudget { budget, .. } => format!("alias expansion over {budget} nodes"),
        E::TooDeep { max, .. } => format!("nesting deeper than {max}"),
        E::ComplexKey { .. } => "a mapping key must be a scalar".into(),
        E::MultipleDocuments { .. } => "more than one YAML document".into(),
        E::Empty => "the model file is empty".into(),
    }
}

/// Typed access to a rule's parameters, after configuration is merged in.
#[derive(Clone, Debug, Default)]
pub struct Params(pub Map<String, Json>);

impl Params {
    pub fn str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Json::as_str)
    }

    pub fn i64(&self, key: &str) -> Option<i64> {
        self.0.get(key).and_then(Json::as_i64)
    }

    pub fn list(&self, key: &str) -> Vec<&str> {
        match self.0.get(key) {
            Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
            Some(Json::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }

    pub fn map(&self, key: &str) -> Option<&Map<String, Json>> {
        self.0.get(key).and_then(Json::as_object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(err.span.line > 1);
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
        assert_eq!(err.span.line, line_of(&broken, "severity: fatal"));
        // An unknown key: at the key.
        let broken = text.replacen("    source: M §7.1\n", "    sorce: M §7.1\n", 1);
        let err = Model::from_text(&broken).unwrap_err();
        assert!(err.message.contains("sorce"), "{}", err.message);
        assert_eq!(err.span.line, line_of(&broken, "sorce:"));
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
        assert!(err.span.line > 1);
    }
}
