//! Stage 2 — validate: each document against the JSON Schema of its kind
//! (`schemas/`, embedded), every error mapped to the span of the offending
//! key or value.
//!
//! `jsonschema` is built without default features (no HTTP or file
//! resolution: a catalog can never make kdl fetch anything) and with the
//! linear-time `regex` engine for `pattern`. The active model's categories
//! are injected as an `enum`, so the schema a user sees (`kdl schema`) and
//! the one kdl checks with name the same vocabulary.

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::{PatternOptions, Validator};
use serde_json::Value as Json;

use crate::diagnostic::Msg;
use crate::load::{Node, PathSeg, Span};
use crate::model::Model;

/// The embedded schemas: (kind, text). `kdl` is the kdl.yaml schema.
pub const SCHEMAS: &[(&str, &str)] = &[
    ("kdl", include_str!("../../schemas/kdl.schema.json")),
    ("namnd", include_str!("../../schemas/namnd.schema.json")),
    ("person", include_str!("../../schemas/person.schema.json")),
    ("system", include_str!("../../schemas/system.schema.json")),
    ("avtal", include_str!("../../schemas/avtal.schema.json")),
    (
        "behandling",
        include_str!("../../schemas/behandling.schema.json"),
    ),
];

/// The entity kinds of catalog format v1.
pub const KINDS: &[&str] = &["namnd", "person", "system", "avtal", "behandling"];

/// One schema violation, located.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaError {
    pub span: Span,
    /// The YAML path of the offending key or value.
    pub path: Vec<PathSeg>,
    pub msg: Msg,
}

pub struct Schemas {
    compiled: Vec<(&'static str, Json, Validator)>,
}

impl Schemas {
    /// Compiles every schema, with the model's vocabulary injected.
    pub fn new(model: &Model) -> Result<Schemas, String> {
        let mut compiled = Vec::new();
        for (kind, _) in SCHEMAS {
            let schema = schema_for(kind, Some(model)).ok_or("unknown kind")?;
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .with_pattern_options(PatternOptions::regex())
                .build(&schema)
                .map_err(|e| format!("schema {kind}: {e}"))?;
            compiled.push((*kind, schema, validator));
        }
        Ok(Schemas { compiled })
    }

    /// Validates `node` against the schema of `kind`. Errors are sorted by
    /// position and de-duplicated per span.
    pub fn validate(&self, kind: &str, node: &Node) -> Vec<SchemaError> {
        let Some((_, schema, validator)) = self.compiled.iter().find(|(k, _, _)| *k == kind) else {
            return Vec::new();
        };
        let instance = node.to_json();
        let mut out: Vec<SchemaError> = Vec::new();
        for err in validator.iter_errors(&instance) {
            let path: Vec<PathSeg> = err
                .instance_path()
                .iter()
                .map(|seg| match seg {
                    LocationSegment::Property(p) => PathSeg::Key(p.to_string()),
                    LocationSegment::Index(i) => PathSeg::Index(i),
                })
                .collect();
            let Some((target, key_span)) = node.lookup(&path) else {
                continue;
            };
            let schema_here = parent_schema(schema, err.schema_path().as_str());
            match err.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected }
                | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                    let allowed = property_names(schema_here, schema);
                    // One lookup table per mapping: linear in its keys.
                    let spans: std::collections::HashMap<&str, Span> = target
                        .entries()
                        .iter()
                        .map(|e| (e.key.as_str(), e.key_span))
                        .collect();
                    for key in unexpected {
                        let span = spans.get(key.as_str()).copied().unwrap_or(key_span);
                        let mut p = path.clone();
                        p.push(PathSeg::Key(key.clone()));
                        out.push(SchemaError {
                            span,
                            path: p,
                            msg: Msg::UnknownKey {
                                key: key.clone(),
                                suggestion: crate::suggest::closest(
                                    key,
                                    allowed.iter().map(String::as_str),
                                ),
                            },
                        });
                    }
                }
                ValidationErrorKind::Required { property } => {
                    let key = property.as_str().unwrap_or_default().to_string();
                    // At the parent's key; for the document root, its first key.
                    let span = if path.is_empty() {
                        node.entries()
                            .first()
                            .map_or(Span::FILE_START, |e| e.key_span)
                    } else {
                        key_span
                    };
                    out.push(SchemaError {
                        span,
                        path: path.clone(),
                        msg: Msg::MissingKey { key },
                    });
                }
                kind => out.push(SchemaError {
                    span: target.span,
                    path: path.clone(),
                    msg: value_message(kind, target, schema_here, schema),
                }),
            }
        }
        // One fault, one diagnostic: a misspelt required key (`categroy`) is
        // reported once, as the unknown key with its suggestion, not also as
        // the missing `category`.
        let misspelt: Vec<(Vec<PathSeg>, String)> = out
            .iter()
            .filter_map(|e| match &e.msg {
                Msg::UnknownKey {
                    suggestion: Some(s),
                    ..
                } => Some((e.path[..e.path.len().saturating_sub(1)].to_vec(), s.clone())),
                _ => None,
            })
            .collect();
        out.retain(|e| match &e.msg {
            Msg::MissingKey { key } => !misspelt.iter().any(|(p, s)| *p == e.path && s == key),
            _ => true,
        });
        out.sort_by_key(|e| (e.span.start, e.span.end));
        out.dedup_by(|a, b| a.span == b.span);
        out
    }
}

/// The schema of `kind` as JSON, with the model's categories injected.
pub fn schema_for(kind: &str, model: Option<&Model>) -> Option<Json> {
    let (_, text) = SCHEMAS.iter().find(|(k, _)| *k == kind)?;
    let mut schema: Json = serde_json::from_str(text).ok()?;
    if let (Some(model), "system") = (model, kind) {
        if let Some(cat) = schema.pointer_mut("/properties/category") {
            let names: Vec<Json> = model
                .categories
                .keys()
                .map(|k| Json::String(k.clone()))
                .collect();
            cat["enum"] = Json::Array(names);
        }
    }
    Some(schema)
}

/// The schema object holding the failing keyword (the keyword location
/// without its last segment).
fn parent_schema<'a>(schema: &'a Json, keyword_location: &str) -> &'a Json {
    let parent = keyword_location.rsplit_once('/').map_or("", |(p, _)| p);
    schema.pointer(parent).unwrap_or(&Json::Null)
}

/// The `properties` an object schema allows (following one local `$ref`).
fn property_names(object_schema: &Json, root: &Json) -> Vec<String> {
    let resolved = match object_schema.get("$ref").and_then(Json::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .unwrap_or(object_schema),
        None => object_schema,
    };
    resolved
        .get("properties")
        .and_then(Json::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn value_message(kind: &ValidationErrorKind, target: &Node, here: &Json, root: &Json) -> Msg {
    let shown = match &target.value {
        crate::load::Value::Str(s) => s.clone(),
        _ => target.to_json().to_string(),
    };
    match kind {
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|o| o.as_str().map_or(o.to_string(), str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            Msg::NotAllowed {
                suggestion: crate::suggest::closest(&shown, options.iter().map(String::as_str)),
                value: shown,
                allowed: options,
            }
        }
        ValidationErrorKind::Constant { expected_value } => Msg::NotAllowed {
            value: shown,
            allowed: vec![expected_value
                .as_str()
                .map_or(expected_value.to_string(), str::to_string)],
            suggestion: None,
        },
        ValidationErrorKind::Format { format } if format == "date" => Msg::BadDate { value: shown },
        ValidationErrorKind::Pattern { pattern } => {
            if pattern.contains("[0-9]{4}-") {
                Msg::BadDate { value: shown }
            } else {
                Msg::BadPattern {
                    value: shown,
                    pattern: pattern.clone(),
                }
            }
        }
        ValidationErrorKind::Type { kind } => Msg::WrongType {
            expected: format!("{kind:?}")
                .to_lowercase()
                .replace("single(", "")
                .replace(')', ""),
            found: target.type_name().to_string(),
        },
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            // Name the shapes the schema accepts, when it says.
            let expected = here
                .get("description")
                .and_then(Json::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    let _ = root;
                    String::new()
                });
            Msg::WrongShape {
                found: target.type_name().to_string(),
                expected,
            }
        }
        other => Msg::SchemaOther {
            detail: format!("{other:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> Schemas {
        let (m, _) = Model::builtin(crate::model::DEFAULT_MODEL)
            .unwrap()
            .unwrap();
        Schemas::new(&m).unwrap()
    }

    fn parse(s: &str) -> Node {
        crate::load::yaml::parse(s, Default::default()).unwrap()
    }

    #[test]
    fn unknown_key_points_at_the_key_with_a_suggestion() {
        let n =
            parse("kind: person\nid: a\nname: A\ntitel: x\ntitle: enhetschef\nforvaltning: f\n");
        let errs = schemas().validate("person", &n);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].span.line, 4);
        assert!(
            matches!(&errs[0].msg, Msg::UnknownKey { suggestion: Some(s), .. } if s == "title")
        );
    }

    #[test]
    fn bad_calendar_date_and_category() {
        let n = parse(
            "kind: system\nid: s\nname: S\ncategory: verksamhetsystem\nscope: kommungemensam\nused-by: all\nlifecycle:\n  status: i-drift\n  since: 2025-02-30\n",
        );
        let errs = schemas().validate("system", &n);
        let lines: Vec<u32> = errs.iter().map(|e| e.span.line).collect();
        assert_eq!(lines, vec![4, 9], "{errs:?}");
    }

    #[test]
    fn missing_required_key_points_at_the_parent() {
        let n = parse("kind: system\nid: s\nname: S\ncategory: plattform\nscope: kommungemensam\nused-by: all\nlifecycle:\n  since: 2025-01-01\n");
        let errs = schemas().validate("system", &n);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].span.line, 7);
        assert!(matches!(&errs[0].msg, Msg::MissingKey { key } if key == "status"));
    }
}
