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
use serde_json::{json, Map, Value as Json};

use crate::diagnostic::Msg;
use crate::load::{Node, PathSeg, Span};
use crate::model::{EntityKind, Model};

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
                    for key in unexpected {
                        let span = target.entry(key).map_or(key_span, |e| e.key_span);
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

/// The schema of `kind` as JSON, with the model's vocabularies injected:
/// categories, scopes, lifecycle statuses, nämnd and avtal types, typed
/// `attributes:`, `records:` of the record types the kind may carry,
/// nämnd roles, long-form role holders, and exception kinds with their own
/// fields. So validation, `kdl schema` and editors name one vocabulary.
pub fn schema_for(kind: &str, model: Option<&Model>) -> Option<Json> {
    let (_, text) = SCHEMAS.iter().find(|(k, _)| *k == kind)?;
    let mut schema: Json = serde_json::from_str(text).ok()?;
    let Some(model) = model else {
        return Some(schema);
    };
    let keys = |m: &mut dyn Iterator<Item = &String>| -> Json {
        Json::Array(m.map(|k| Json::String(k.clone())).collect())
    };
    let set_enum = |schema: &mut Json, pointer: &str, values: Json| {
        if let Some(x) = schema.pointer_mut(pointer) {
            x["enum"] = values;
        }
    };
    match kind {
        "system" => {
            set_enum(
                &mut schema,
                "/properties/category",
                keys(&mut model.categories.keys()),
            );
            set_enum(
                &mut schema,
                "/properties/scope",
                keys(&mut model.scopes.keys()),
            );
            set_enum(
                &mut schema,
                "/properties/lifecycle/properties/status",
                keys(&mut model.lifecycle.order.iter()),
            );
        }
        "namnd" => {
            set_enum(
                &mut schema,
                "/properties/type",
                keys(&mut model.namnd_types.keys()),
            );
        }
        "avtal" => {
            set_enum(
                &mut schema,
                "/properties/type",
                keys(&mut model.avtal_types.keys()),
            );
        }
        _ => {}
    }
    let Some(entity) = EntityKind::parse(kind) else {
        return Some(schema);
    };
    if let Some(defs) = schema.get_mut("$defs").and_then(Json::as_object_mut) {
        defs.insert("role-holders".into(), role_holders());
    }
    let Some(props) = schema.get_mut("properties").and_then(Json::as_object_mut) else {
        return Some(schema);
    };
    // Roles held on nämnder.
    if entity == EntityKind::Namnd
        && model
            .roles
            .values()
            .any(|r| r.on.contains(&EntityKind::Namnd))
    {
        let names: Vec<Json> = model
            .roles
            .iter()
            .filter(|(_, r)| r.on.contains(&EntityKind::Namnd))
            .map(|(k, _)| Json::String(k.clone()))
            .collect();
        props.insert(
            "roles".into(),
            json!({
                "type": ["object", "null"],
                "description": "Roller som nämnden har: rollnamn ur modellen → person-id (eller lista, eller {holder, appointed-by, appointed-on}).",
                "propertyNames": {"enum": names},
                "additionalProperties": {"$ref": "#/$defs/role-holders"}
            }),
        );
    }
    // Typed attributes.
    if let Some(attrs) = model.attributes.get(&entity).filter(|a| !a.is_empty()) {
        let mut ap = Map::new();
        for (name, a) in attrs {
            ap.insert(name.clone(), attribute_schema(a));
        }
        props.insert(
            "attributes".into(),
            json!({
                "type": ["object", "null"],
                "description": "Egenskaper som styrmodellen deklarerar för den här sortens entitet.",
                "additionalProperties": false,
                "properties": ap
            }),
        );
    }
    // Records.
    let types: Vec<(&String, &crate::model::RecordType)> = model
        .record_types
        .iter()
        .filter(|(_, t)| t.on.contains(&entity))
        .collect();
    if !types.is_empty() {
        let names: Vec<Json> = types
            .iter()
            .map(|(k, _)| Json::String((*k).clone()))
            .collect();
        let statuses: Vec<Json> = {
            let mut v: Vec<&String> = types.iter().flat_map(|(_, t)| t.statuses.iter()).collect();
            v.dedup();
            v.into_iter().map(|x| Json::String(x.clone())).collect()
        };
        let mut status = json!({"type": "string", "description": "Status, enligt posttypen."});
        if !statuses.is_empty() {
            status["enum"] = Json::Array(statuses);
        }
        props.insert(
            "records".into(),
            json!({
                "type": ["array", "null"],
                "description": "Beslut, godkännanden, samråd, planer och rapporter som styrmodellen kräver.",
                "items": {
                    "type": "object",
                    "required": ["type"],
                    "additionalProperties": false,
                    "properties": {
                        "type": {"type": "string", "enum": names, "description": "Posttyp ur styrmodellen."},
                        "date": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "Datum (ÅÅÅÅ-MM-DD)."},
                        "by": {"type": "string", "pattern": SLUG, "description": "Vem som fattade beslutet: person-, nämnd- eller organ-id."},
                        "consulted": {"type": "array", "items": {"type": "string", "pattern": SLUG}, "description": "Vilka som rådfrågades (id)."},
                        "year": {"type": "integer", "minimum": 1900, "maximum": 2200, "description": "Året posten gäller."},
                        "status": status,
                        "reference": {"type": "string", "description": "Diarienummer."},
                        "systems": {"type": "array", "items": {"type": "string", "pattern": SLUG}, "description": "System som posten gäller (för nämndposter)."},
                        "sections": {"type": "array", "items": {"type": "string", "pattern": SLUG}, "description": "Avsnitt som dokumentet innehåller."},
                        "description": {"type": "string"}
                    }
                }
            }),
        );
    }
    // Exception kinds and their fields.
    let kinds: Vec<Json> = model
        .exception_kinds
        .keys()
        .map(|k| Json::String(k.clone()))
        .collect();
    let mut fields = Map::new();
    for k in model.exception_kinds.values() {
        for (f, t) in &k.fields {
            fields.insert(f.clone(), field_schema(*t));
        }
    }
    if let Some(item) = schema
        .pointer_mut("/$defs/exceptions/items/properties")
        .and_then(Json::as_object_mut)
    {
        item.insert("kind".into(), json!({"type": "string", "enum": kinds, "description": "Sorts avsteg (styrmodellens exception-kinds); saknas: den första."}));
        item.insert("subject".into(), json!({"type": "string", "pattern": SLUG, "description": "Den andra entiteten som avsteget gäller (t.ex. systemet en nämnd inte använder)."}));
        item.insert("decided-by".into(), json!({"type": "string", "pattern": SLUG, "description": "Vem som beslutade: nämnd-, person- eller organ-id."}));
        for (f, v) in fields {
            item.entry(f).or_insert(v);
        }
    }
    if let Some(rule) = schema.pointer_mut("/$defs/exceptions/items/properties/rule") {
        // Instance ids are the model's; the shape stays group/name.
        rule["pattern"] = json!("^[a-z]+/[a-z0-9-]+$");
    }
    Some(schema)
}

const SLUG: &str = "^[a-z0-9][a-z0-9-]*$";

/// A role value: an id, a list of ids, or the long form with who appointed
/// the holder.
fn role_holders() -> Json {
    // One flat schema (no anyOf), so a bad value gets a precise error:
    // `pattern` applies to strings, `properties` to the long form, `items`
    // to lists.
    let long_props = json!({
        "holder": {"type": "string", "pattern": SLUG, "description": "Person- eller nämnd-id."},
        "appointed-by": {"type": "string", "pattern": SLUG, "description": "Vem som utsåg innehavaren (person-id)."},
        "appointed-on": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "När innehavaren utsågs."}
    });
    json!({
        "type": ["string", "array", "object", "null"],
        "description": "Rollinnehavare: ett id, en lista med id, eller {holder, appointed-by, appointed-on}. Tomt värde eller tom lista betyder att rollen saknar innehavare.",
        "pattern": SLUG,
        "required": ["holder"],
        "additionalProperties": false,
        "properties": long_props.clone(),
        "uniqueItems": true,
        "items": {
            "type": ["string", "object"],
            "pattern": SLUG,
            "required": ["holder"],
            "additionalProperties": false,
            "properties": long_props
        }
    })
}

fn attribute_schema(a: &crate::model::AttrDef) -> Json {
    use crate::model::AttrType as T;
    let values = || Json::Array(a.values.iter().map(|v| Json::String(v.clone())).collect());
    let mut s = match a.ty {
        T::Enum | T::Ordered => json!({"type": "string", "enum": values()}),
        T::Bool => json!({"type": "boolean"}),
        T::Date => {
            json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
        }
        T::Text => json!({"type": "string"}),
        T::Int => json!({"type": "integer"}),
        T::Ref => json!({"type": "string", "pattern": SLUG}),
        T::List if !a.values.is_empty() => {
            json!({"type": "array", "items": {"type": "string", "enum": values()}, "uniqueItems": true})
        }
        T::List => json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true}),
    };
    let mut d = a.label.clone();
    if let Some(desc) = &a.description {
        d.push_str(". ");
        d.push_str(desc);
    }
    s["description"] = Json::String(d);
    s
}

fn field_schema(t: crate::model::vocab::FieldType) -> Json {
    use crate::model::vocab::FieldType as F;
    match t {
        F::Date => {
            json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})
        }
        F::Text => json!({"type": "string"}),
        F::Year => json!({"type": "integer", "minimum": 1900, "maximum": 2200}),
        F::Ref => json!({"type": "string", "pattern": SLUG}),
    }
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
