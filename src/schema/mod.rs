//! Stage 2 — validate: each document against the JSON Schema of its kind
//! (`schemas/`, embedded), every error mapped to the span of the offending
//! key or value.
//!
//! `jsonschema` is built without default features (no HTTP or file
//! resolution: a catalog can never make kdl fetch anything) and with the
//! linear-time `regex` engine for `pattern`. The active model's categories
//! are injected as an `enum`, so the schema a user sees (`kdl schema`) and
//! the one kdl checks with name the same vocabulary.

use jsonschema::error::{TypeKind, ValidationErrorKind};
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
                        msg: Msg::MissingKey {
                            key,
                            parent: crate::load::node::path_to_string(&path),
                        },
                    });
                }
                ValidationErrorKind::PropertyNames { error } => {
                    // At the offending key itself, not at the mapping.
                    let bad = error.instance().as_str().unwrap_or_default().to_string();
                    let span = target.entry(&bad).map_or(key_span, |e| e.key_span);
                    let mut p = path.clone();
                    p.push(PathSeg::Key(bad.clone()));
                    out.push(SchemaError {
                        span,
                        path: p,
                        msg: Msg::BadKeyName {
                            suggestion: slug_of(&bad),
                            key: bad,
                            parent: leaf_key(&path),
                        },
                    });
                }
                kind => out.push(SchemaError {
                    span: target.span,
                    path: path.clone(),
                    msg: value_message(kind, target, &path, schema_here),
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
                } => Some((
                    e.path
                        .split_last()
                        .map(|(_, parent)| parent.to_vec())
                        .unwrap_or_default(),
                    s.clone(),
                )),
                _ => None,
            })
            .collect();
        out.retain(|e| match &e.msg {
            Msg::MissingKey { key, .. } => !misspelt.iter().any(|(p, s)| *p == e.path && s == key),
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
            if let Some(o) = status.as_object_mut() {
                o.insert("enum".into(), Json::Array(statuses));
            }
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
    if let Some(o) = s.as_object_mut() {
        o.insert("description".into(), Json::String(d));
    }
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
/// without its last segment), following local `$ref`s on the way.
fn parent_schema<'a>(schema: &'a Json, keyword_location: &str) -> &'a Json {
    let parent = keyword_location.rsplit_once('/').map_or("", |(p, _)| p);
    let mut here = schema;
    for seg in parent.split('/').filter(|s| !s.is_empty()) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        let next = if seg == "$ref" {
            here.get("$ref")
                .and_then(Json::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| schema.pointer(p))
        } else {
            match here {
                Json::Object(m) => m.get(&seg),
                Json::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            }
        };
        match next {
            Some(n) => here = n,
            None => return &Json::Null,
        }
    }
    here
}

/// The last key of a YAML path (`since` for `lifecycle.since`), with `[]`
/// for an item of a list (`used-by[]` for `used-by[2]`); empty for the
/// document itself.
fn leaf_key(path: &[PathSeg]) -> String {
    let key = path
        .iter()
        .rev()
        .find_map(|s| match s {
            PathSeg::Key(k) => Some(k.clone()),
            PathSeg::Index(_) => None,
        })
        .unwrap_or_default();
    match path.last() {
        Some(PathSeg::Index(_)) if !key.is_empty() => format!("{key}[]"),
        _ => key,
    }
}

/// `name` folded to an id slug (å→a, ä→a, ö→o, é→e, lowercase, spaces and
/// underscores to hyphens), when that is a valid, different slug.
pub fn slug_of(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            ' ' | '_' | '.' => '-',
            c => c,
        };
        out.push(c);
    }
    let valid = out
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && out
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (valid && out != name).then_some(out)
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

/// A scalar as the user wrote it (strings without quotes).
fn shown(node: &Node) -> String {
    match &node.value {
        crate::load::Value::Str(s) => s.clone(),
        crate::load::Value::Null => String::new(),
        _ => node.to_json().to_string(),
    }
}

/// Whether the schema object describes a date.
fn is_date(here: &Json) -> bool {
    here.get("format").and_then(Json::as_str) == Some("date")
        || here
            .get("pattern")
            .and_then(Json::as_str)
            .is_some_and(|p| p.contains("[0-9]{4}-"))
}

fn limit(v: &Json) -> String {
    v.as_f64().map_or_else(
        || v.to_string(),
        |f| {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", f as i64)
            } else {
                f.to_string()
            }
        },
    )
}

/// Every other error kind, as a message about the value at `path`.
fn value_message(kind: &ValidationErrorKind, target: &Node, path: &[PathSeg], here: &Json) -> Msg {
    let key = leaf_key(path);
    let value = shown(target);
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
                suggestion: crate::suggest::closest(&value, options.iter().map(String::as_str)),
                key,
                value,
                allowed: options,
            }
        }
        ValidationErrorKind::Constant { expected_value } => Msg::NotAllowed {
            key,
            value,
            allowed: vec![expected_value
                .as_str()
                .map_or(expected_value.to_string(), str::to_string)],
            suggestion: None,
        },
        ValidationErrorKind::Format { format } if format == "date" => Msg::BadDate { key, value },
        ValidationErrorKind::Pattern { pattern } => {
            if pattern.contains("[0-9]{4}-") {
                Msg::BadDate { key, value }
            } else {
                Msg::BadPattern {
                    suggestion: if pattern.starts_with("^[a-z0-9]") {
                        slug_of(&value)
                    } else if pattern == "^[A-Z]{2}$" {
                        Some(value.to_uppercase()).filter(|u| u.len() == 2 && *u != value)
                    } else {
                        None
                    },
                    key,
                    value,
                    pattern: pattern.clone(),
                }
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected: Vec<String> = match kind {
                TypeKind::Single(t) => vec![t.as_str().to_string()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.as_str().to_string()).collect(),
            };
            let found = target.type_name().to_string();
            if is_date(here) && matches!(found.as_str(), "integer" | "number") {
                return Msg::YearNotDate { key, value };
            }
            Msg::WrongType {
                key,
                expected,
                found,
                value,
            }
        }
        ValidationErrorKind::Minimum { limit: l }
        | ValidationErrorKind::ExclusiveMinimum { limit: l } => Msg::OutOfRange {
            key,
            value,
            min: Some(limit(l)),
            max: here.get("maximum").map(limit),
        },
        ValidationErrorKind::Maximum { limit: l }
        | ValidationErrorKind::ExclusiveMaximum { limit: l } => Msg::OutOfRange {
            key,
            value,
            min: here.get("minimum").map(limit),
            max: Some(limit(l)),
        },
        ValidationErrorKind::MinLength { limit } => Msg::TooShort {
            key,
            min: *limit,
            list: false,
        },
        ValidationErrorKind::MinItems { limit } => Msg::TooShort {
            key,
            min: *limit,
            list: true,
        },
        ValidationErrorKind::UniqueItems => {
            let items: Vec<String> = target
                .as_seq()
                .map(|s| s.iter().map(shown).collect())
                .unwrap_or_default();
            let repeated = items
                .iter()
                .enumerate()
                .find(|(i, v)| items.iter().take(*i).any(|x| x == *v))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            Msg::NotUnique {
                key,
                value: repeated,
            }
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            Msg::WrongShape {
                found: target.type_name().to_string(),
                expected: here
                    .get("description")
                    .and_then(Json::as_str)
                    .map(str::to_string)
                    .unwrap_or_default(),
            }
        }
        other => Msg::SchemaOther {
            key,
            keyword: other.keyword().to_string(),
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

    fn line(text: &str, span: Span) -> u32 {
        crate::load::Lines::new(text).line_col(span.start).0
    }

    #[test]
    fn unknown_key_points_at_the_key_with_a_suggestion() {
        let doc = "kind: person\nid: a\nname: A\ntitel: x\ntitle: enhetschef\nforvaltning: f\n";
        let errs = schemas().validate("person", &parse(doc));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(line(doc, errs[0].span), 4);
        assert!(
            matches!(&errs[0].msg, Msg::UnknownKey { suggestion: Some(s), .. } if s == "title")
        );
    }

    #[test]
    fn bad_calendar_date_and_category() {
        let doc = "kind: system\nid: s\nname: S\ncategory: verksamhetsystem\nscope: kommungemensam\nused-by: all\nlifecycle:\n  status: i-drift\n  since: 2025-02-30\n";
        let errs = schemas().validate("system", &parse(doc));
        let lines: Vec<u32> = errs.iter().map(|e| line(doc, e.span)).collect();
        assert_eq!(lines, vec![4, 9], "{errs:?}");
    }

    #[test]
    fn missing_required_key_points_at_the_parent() {
        let doc = "kind: system\nid: s\nname: S\ncategory: plattform\nscope: kommungemensam\nused-by: all\nlifecycle:\n  since: 2025-01-01\n";
        let errs = schemas().validate("system", &parse(doc));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(line(doc, errs[0].span), 7);
        assert!(
            matches!(&errs[0].msg, Msg::MissingKey { key, parent } if parent == "lifecycle" && key == "status")
        );
    }

    /// Every validation keyword kdl's schemas use, so that a new one cannot
    /// be added without a case (and a message) below.
    fn keywords_in_schemas() -> std::collections::BTreeSet<String> {
        const VALIDATION: &[&str] = &[
            "type",
            "enum",
            "const",
            "pattern",
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "uniqueItems",
            "propertyNames",
            "additionalProperties",
            "unevaluatedProperties",
            "required",
            "anyOf",
            "oneOf",
            "not",
            "contains",
            "minProperties",
            "maxProperties",
            "multipleOf",
            "dependentRequired",
        ];
        fn walk(v: &Json, out: &mut std::collections::BTreeSet<String>) {
            match v {
                Json::Object(m) => {
                    for (k, v) in m {
                        // `additionalProperties: {schema}` validates the
                        // values; only `false` rejects keys.
                        if VALIDATION.contains(&k.as_str())
                            && !(k == "additionalProperties" && v.is_object())
                        {
                            out.insert(k.clone());
                        }
                        if k != "examples" && k != "default" {
                            walk(v, out);
                        }
                    }
                }
                Json::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = std::collections::BTreeSet::new();
        for (_, text) in SCHEMAS {
            walk(&serde_json::from_str(text).unwrap(), &mut out);
        }
        out
    }

    #[test]
    fn every_error_kind_the_schemas_can_produce_is_a_sentence() {
        let sys = "kind: system\nid: s\nname: S\ncategory: verksamhetssystem\nscope: kommungemensam\nused-by: all\nlifecycle:\n  status: i-drift\n";
        // (keyword, kind, document, line of the finding)
        let cases: Vec<(&str, &str, String, u32)> = vec![
            ("type", "system", format!("{sys}fee: ja\n"), 9),
            ("type", "system", sys.replace("  status: i-drift\n", "  status: i-drift\n  since: 2012\n"), 9),
            ("type", "system", format!("{sys}roles:\n  agare: 5\n"), 10),
            ("type", "person", "kind: person\nid: p\nname: 360\ntitle: enhetschef\nforvaltning: f\n".into(), 3),
            ("enum", "system", sys.replace("verksamhetssystem", "verksamhetsystem"), 4),
            ("const", "system", sys.replace("used-by: all", "used-by: alla"), 6),
            ("pattern", "system", sys.replace("id: s", "id: Heroma"), 2),
            ("pattern", "system", format!("{sys}personal-data:\n  processed: true\n  third-countries: [usa]\n"), 11),
            ("format", "system", sys.replace("  status: i-drift\n", "  status: i-drift\n  since: 2025-02-30\n"), 9),
            ("minimum", "system", format!("{sys}information-classification:\n  date: 2025-01-01\n  konfidentialitet: -1\n"), 11),
            ("maximum", "system", format!("{sys}information-classification:\n  date: 2025-01-01\n  konfidentialitet: 7\n"), 11),
            ("minLength", "system", sys.replace("name: S", "name: ''"), 3),
            ("minItems", "system", sys.replace("used-by: all", "used-by: []"), 6),
            ("uniqueItems", "system", sys.replace("used-by: all", "used-by: [a, b, a]"), 6),
            ("propertyNames", "system", format!("{sys}roles:\n  systemförvaltare: [p]\n"), 10),
            ("additionalProperties", "system", format!("{sys}catgory: x\n"), 9),
            ("required", "system", sys.replace("  status: i-drift\n", "  since: 2025-01-01\n"), 7),
        ];
        let (m, _) = Model::builtin(crate::model::DEFAULT_MODEL)
            .unwrap()
            .unwrap();
        let schemas = Schemas::new(&m).unwrap();
        let rust = [
            "{",
            "}",
            "Some(",
            "None",
            "::",
            "Number(",
            "Single",
            "Multiple",
            "Value",
            "Error",
            "multiple(",
            "\"\"",
        ];
        let mut covered = std::collections::BTreeSet::new();
        for (keyword, kind, doc, line) in &cases {
            let errs = schemas.validate(kind, &parse(doc));
            assert_eq!(errs.len(), 1, "{keyword}: {doc}\n{errs:#?}");
            assert_eq!(self::line(doc, errs[0].span), *line, "{keyword}: {doc}");
            for lang in [crate::i18n::Lang::Sv, crate::i18n::Lang::En] {
                let text = errs[0].msg.render(lang, &m);
                for bad in rust {
                    assert!(
                        !text.contains(bad),
                        "{keyword} ({lang:?}) shows `{bad}`: {text}"
                    );
                }
                assert!(
                    text.contains('`'),
                    "{keyword} ({lang:?}) names no key or value: {text}"
                );
            }
            covered.insert(keyword.to_string());
        }
        let used = keywords_in_schemas();
        assert!(
            used.len() >= 12 && used.contains("propertyNames"),
            "{used:?}"
        );
        let missing: Vec<&String> = used.difference(&covered).collect();
        assert!(
            missing.is_empty(),
            "schema keywords without a message case: {missing:?}"
        );
    }

    #[test]
    fn the_issues_examples_read_as_written() {
        let (m, _) = Model::builtin(crate::model::DEFAULT_MODEL)
            .unwrap()
            .unwrap();
        let schemas = Schemas::new(&m).unwrap();
        let sys = "kind: system\nid: s\nname: S\ncategory: verksamhetssystem\nscope: kommungemensam\nused-by: all\nlifecycle:\n  status: i-drift\n";
        let render = |doc: String| {
            let errs = schemas.validate("system", &parse(&doc));
            assert_eq!(errs.len(), 1, "{errs:#?}");
            (
                errs[0].msg.render(crate::i18n::Lang::Sv, &m),
                line(&doc, errs[0].span),
            )
        };
        assert_eq!(
            render(format!(
                "{sys}information-classification:\n  date: 2025-01-01\n  konfidentialitet: 7\n"
            ))
            .0,
            "`konfidentialitet` är 7, men högsta nivån är 4 (KLASSA 0–4)"
        );
        assert_eq!(
            render(format!("{sys}personal-data:\n  processed: ja\n")).0,
            "`processed: ja` är inget sanningsvärde – skriv `true` eller `false`"
        );
        assert_eq!(
            render(sys.replace("  status: i-drift\n", "  status: i-drift\n  since: 2012\n")).0,
            "`since: 2012` är ett år, inte ett datum – skriv t.ex. `2012-01-01`"
        );
        // At the offending key (line 11), not at the first key under roles.
        assert_eq!(
            render(format!("{sys}roles:\n  agare: p\n  systemförvaltare: [p]\n")),
            (
                "rollnyckeln `systemförvaltare` innehåller å, ä eller ö – rollnamn skrivs utan, menade du `systemforvaltare`?".to_string(),
                11
            )
        );
    }
}
