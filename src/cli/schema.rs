//! `kdl schema [KIND]`: the JSON Schemas kdl validates with, for editors.
//!
//! The schemas are the embedded ones with the active model's vocabulary
//! injected ([`crate::schema::schema_for`]), plus hover text and completion
//! hints from the model that do not change what validates: each role of
//! the model as a documented property of `roles` (with the same value
//! schema as any other role), the model's titles as `examples` of a
//! person's `title`, and the categories' names in `category`'s description.
//! So an editor and `kdl lint` accept and reject the same files.
//!
//! The printed schemas declare JSON Schema draft-07 although kdl compiles
//! them as 2020-12: the YAML language server (VS Code, Neovim, …) supports
//! draft-07 fully and shows a "not yet fully supported" warning on every
//! file for 2020-12. The two drafts read these schemas identically, because
//! they use no keyword whose meaning differs between them (no `$ref` beside
//! constraints, no tuple `items`, nothing introduced after draft-07; the
//! `$defs` pointers resolve either way) — a unit test keeps it so, and the
//! CLI tests run an independent draft-07 validator over the written files.

use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::Args;
use serde_json::{json, Value as Json};

use super::{active_model, files, lint::print};
use crate::i18n::Lang;
use crate::model::Model;
use crate::schema::{schema_for, SCHEMAS};

/// Every schema's `$id` starts with this; a file that has it was written by
/// kdl and may be replaced by `--write`.
pub const ID_BASE: &str = "https://kdl.example/schemas/";

/// The draft the editor schemas declare (see the module docs).
pub const EDITOR_DRAFT: &str = "http://json-schema.org/draft-07/schema#";

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Only this schema: kdl (for kdl.yaml), namnd, person, system, avtal or
    /// behandling. Default: all of them, printed as one JSON object keyed by kind
    #[arg(value_parser = PossibleValuesParser::new(["kdl", "namnd", "person", "system", "avtal", "behandling"]))]
    pub kind: Option<String>,
    /// Write KIND.schema.json files into DIR (created if missing) instead of
    /// printing; replaces only files kdl wrote before
    #[arg(long, value_name = "DIR", visible_alias = "out")]
    pub write: Option<PathBuf>,
    /// The catalog whose model's vocabulary to use (default: the current one, else the default model)
    #[arg(long, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
}

/// The schema of `kind` as shown to editors (see the module docs).
pub fn editor_schema(kind: &str, model: &Model) -> Option<Json> {
    let mut schema = schema_for(kind, Some(model))?;
    if let Some(o) = schema.as_object_mut() {
        o.insert("$schema".into(), Json::String(EDITOR_DRAFT.to_string()));
    }
    match kind {
        "system" => {
            if let Some(cat) = schema.pointer_mut("/properties/category") {
                let names: Vec<String> = model
                    .categories
                    .iter()
                    .map(|(id, c)| format!("{id} ({})", c.label))
                    .collect();
                append_description(cat, &format!("Aktiv modell: {}.", names.join(", ")));
            }
            if let Some(roles) = schema.pointer_mut("/properties/roles") {
                let props: serde_json::Map<String, Json> = model
                    .roles
                    .keys()
                    .map(|id| {
                        (
                            id.clone(),
                            json!({
                                "$ref": "#/$defs/role-holders",
                                "description": role_description(model, id),
                            }),
                        )
                    })
                    .collect();
                roles["properties"] = Json::Object(props);
            }
        }
        "person" => {
            if let Some(title) = schema.pointer_mut("/properties/title") {
                let ids: Vec<Json> = model
                    .titles
                    .keys()
                    .map(|t| Json::String(t.clone()))
                    .collect();
                let labels: Vec<String> = model
                    .titles
                    .iter()
                    .map(|(id, t)| {
                        let chef = if t.manager { ", chef" } else { "" };
                        format!("{id} ({}{chef})", t.label)
                    })
                    .collect();
                append_description(
                    title,
                    &format!("Befattningar i aktiv modell: {}.", labels.join(", ")),
                );
                title["examples"] = Json::Array(ids);
            }
        }
        _ => {}
    }
    inline_refs_beside_constraints(&mut schema);
    Some(schema)
}

/// Keywords that only annotate: beside `$ref` they mean the same in every draft.
const ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "title",
    "default",
    "examples",
    "$comment",
];

/// A `$ref` next to constraints (the injected category `enum`) would be
/// read differently by draft-07 (which ignores `$ref`'s siblings): replace
/// such a `$ref` with the keywords of the definition it points to.
fn inline_refs_beside_constraints(schema: &mut Json) {
    let root = schema.clone();
    fn walk(node: &mut Json, root: &Json) {
        match node {
            Json::Object(m) => {
                let needs =
                    m.contains_key("$ref") && m.keys().any(|k| !ANNOTATIONS.contains(&k.as_str()));
                if needs {
                    let target = m
                        .get("$ref")
                        .and_then(Json::as_str)
                        .and_then(|r| r.strip_prefix('#'))
                        .and_then(|p| root.pointer(p))
                        .and_then(Json::as_object)
                        .cloned();
                    if let Some(target) = target {
                        m.remove("$ref");
                        for (k, v) in target {
                            if k != "description" && !m.contains_key(&k) {
                                m.insert(k, v);
                            }
                        }
                    }
                }
                for v in m.values_mut() {
                    walk(v, root);
                }
            }
            Json::Array(a) => a.iter_mut().for_each(|v| walk(v, root)),
            _ => {}
        }
    }
    walk(schema, &root);
}

fn append_description(node: &mut Json, text: &str) {
    let old = node
        .get("description")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_string();
    node["description"] = Json::String(if old.is_empty() {
        text.to_string()
    } else {
        format!("{old} {text}")
    });
}

/// "Ägare. Person-id. Obligatorisk för verksamhetssystem (från upphandling), …"
fn role_description(model: &Model, role: &str) -> String {
    let Some(r) = model.roles.get(role) else {
        return String::new();
    };
    let mut out = format!("{}.", r.label);
    out.push_str(match (r.holder, r.single) {
        (crate::model::Holder::Namnd, _) => " Ett nämnd-id.",
        (_, true) => " Ett person-id (högst en innehavare).",
        (_, false) => " Ett person-id eller en lista med person-id.",
    });
    let mut mandatory = Vec::new();
    let mut optional = Vec::new();
    let mut not_applicable = Vec::new();
    for (id, c) in &model.categories {
        let required = c
            .mandatory
            .iter()
            .find(|(k, m)| *k == role || m.any_of.iter().any(|r| r == role))
            .map(|(_, m)| m);
        if let Some(m) = required {
            let cond = if m.when.is_empty() {
                String::new()
            } else {
                let parts: Vec<String> = m.when.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!(", när {}", parts.join(", "))
            };
            let from = m.start().map_or_else(String::new, |f| format!("från {f}"));
            let group = if m.any_of.len() > 1 {
                let others: Vec<&str> = m
                    .any_of
                    .iter()
                    .filter(|r| *r != role)
                    .map(String::as_str)
                    .collect();
                format!(", eller {}", others.join(" eller "))
            } else {
                String::new()
            };
            mandatory.push(format!("{id} ({from}{cond}{group})"));
        } else if c.optional.iter().any(|x| x == role) {
            optional.push(id.clone());
        } else if c.not_applicable.iter().any(|x| x == role) {
            not_applicable.push(id.clone());
        }
    }
    for (label, list) in [
        ("Obligatorisk för", mandatory),
        ("Valfri för", optional),
        ("Finns inte för", not_applicable),
    ] {
        if !list.is_empty() {
            out.push_str(&format!(" {label}: {}.", list.join(", ")));
        }
    }
    out
}

fn pretty(schema: &Json) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}

pub fn run(args: SchemaArgs, lang: Lang) -> i32 {
    let model = active_model(args.catalog.as_ref());
    let kinds: Vec<&str> = match &args.kind {
        Some(k) => vec![k.as_str()],
        None => SCHEMAS.iter().map(|(k, _)| *k).collect(),
    };
    let mut schemas = Vec::new();
    for kind in kinds {
        match editor_schema(kind, &model) {
            Some(s) => schemas.push((kind, s)),
            None => {
                eprintln!("kdl: internal error: no schema for `{kind}`");
                return 2;
            }
        }
    }
    match &args.write {
        Some(dir) => write_all(dir, &schemas, lang),
        None => {
            if let (Some(_), [(_, one)]) = (&args.kind, schemas.as_slice()) {
                print(&pretty(one));
            } else {
                let all: serde_json::Map<String, Json> = schemas
                    .into_iter()
                    .map(|(k, s)| (k.to_string(), s))
                    .collect();
                print(&pretty(&Json::Object(all)));
            }
            0
        }
    }
}

/// Largest existing schema file read to decide whether kdl wrote it.
const MAX_SCHEMA_BYTES: u64 = 16 * 1024 * 1024;

/// Whether an existing file may be replaced: it is a schema kdl wrote (a
/// regular file; a FIFO or device there is refused, never opened).
fn written_by_kdl(path: &Path) -> bool {
    crate::load::read::read_text(path, MAX_SCHEMA_BYTES)
        .ok()
        .and_then(|t| serde_json::from_str::<Json>(&t).ok())
        .and_then(|j| j.get("$id").and_then(Json::as_str).map(str::to_string))
        .is_some_and(|id| id.starts_with(ID_BASE))
}

fn write_all(dir: &Path, schemas: &[(&str, Json)], lang: Lang) -> i32 {
    let sv = lang == Lang::Sv;
    if dir.exists() && !dir.is_dir() {
        eprintln!(
            "kdl: {}: {}",
            dir.display(),
            if sv {
                "finns redan och är ingen mapp"
            } else {
                "exists and is not a directory"
            }
        );
        return 2;
    }
    let targets: Vec<(PathBuf, String)> = schemas
        .iter()
        .map(|(k, s)| (dir.join(format!("{k}.schema.json")), pretty(s)))
        .collect();
    // Refuse before writing anything.
    for (path, _) in &targets {
        if path.exists() && !written_by_kdl(path) {
            eprintln!(
                "kdl: {}",
                if sv {
                    format!(
                        "vägrar skriva över {}: filen finns redan och är inget schema som kdl har skrivit.\n  tips: flytta filen eller välj en annan mapp med --write",
                        path.display()
                    )
                } else {
                    format!(
                        "refusing to overwrite {}: the file exists and is not a schema kdl wrote.\n  hint: move the file or choose another directory with --write",
                        path.display()
                    )
                }
            );
            return 2;
        }
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("kdl: {}: {e}", dir.display());
        return 2;
    }
    let mut out = String::new();
    for (path, text) in &targets {
        if crate::load::read::read_text(path, MAX_SCHEMA_BYTES).is_ok_and(|old| old == *text) {
            out.push_str(&format!(
                "{} {}\n",
                if sv { "oförändrad" } else { "unchanged" },
                path.display()
            ));
            continue;
        }
        if let Err(e) = files::replace(path, text.as_bytes()) {
            eprintln!("kdl: {}: {e}", path.display());
            return 2;
        }
        out.push_str(&format!(
            "{} {}\n",
            if sv { "skrev" } else { "wrote" },
            path.display()
        ));
    }
    out.push_str(if sv {
        "Peka ut schemat överst i en YAML-fil, t.ex. i system/raindance.yaml:\n  # yaml-language-server: $schema=../schemas/system.schema.json\n(se docs/editor.md för VS Code och andra redigerare)\n"
    } else {
        "Point to the schema at the top of a YAML file, e.g. in system/raindance.yaml:\n  # yaml-language-server: $schema=../schemas/system.schema.json\n(see docs/editor.md for VS Code and other editors)\n"
    });
    print(&out);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::builtin(crate::model::DEFAULT_MODEL)
            .unwrap()
            .unwrap()
            .0
    }

    /// Every property at every depth has a Swedish description (hover text).
    #[test]
    fn every_property_is_described() {
        fn walk(node: &Json, path: &str, missing: &mut Vec<String>) {
            match node {
                Json::Object(m) => {
                    if let Some(Json::Object(props)) = m.get("properties") {
                        for (k, v) in props {
                            if v.get("description").and_then(Json::as_str).is_none() {
                                missing.push(format!("{path}/{k}"));
                            }
                        }
                    }
                    for (k, v) in m {
                        walk(v, &format!("{path}/{k}"), missing);
                    }
                }
                Json::Array(a) => a.iter().for_each(|v| walk(v, path, missing)),
                _ => {}
            }
        }
        let m = model();
        for (kind, _) in SCHEMAS {
            let mut missing = Vec::new();
            walk(&editor_schema(kind, &m).unwrap(), kind, &mut missing);
            // Properties repeated inside if/then only narrow a described one.
            missing.retain(|p| !p.contains("/then/") && !p.contains("/if/"));
            assert!(missing.is_empty(), "{kind}: {missing:?}");
        }
    }

    #[test]
    fn roles_are_documented_without_changing_validation() {
        let m = model();
        let s = editor_schema("system", &m).unwrap();
        let agare = s.pointer("/properties/roles/properties/agare").unwrap();
        let d = agare["description"].as_str().unwrap();
        assert!(d.starts_with("Ägare."), "{d}");
        assert!(d.contains("verksamhetssystem (från upphandling)"), "{d}");
        assert!(d.contains("Finns inte för: publik-tjanst"), "{d}");
        assert_eq!(
            agare["$ref"],
            s.pointer("/properties/roles/additionalProperties/$ref")
                .unwrap()
                .clone()
        );
        let cats = s.pointer("/properties/category/enum").unwrap();
        assert_eq!(cats.as_array().unwrap().len(), m.categories.len());
    }

    /// What makes relabelling the schemas draft-07 safe (module docs).
    #[test]
    fn schemas_read_the_same_under_draft_07() {
        const LATER: &[&str] = &[
            "unevaluatedProperties",
            "unevaluatedItems",
            "prefixItems",
            "dependentRequired",
            "dependentSchemas",
            "minContains",
            "maxContains",
            "$dynamicRef",
            "$dynamicAnchor",
            "$recursiveRef",
            "$recursiveAnchor",
            "$anchor",
            "$vocabulary",
        ];
        const ANNOTATIONS: &[&str] = &[
            "$ref",
            "description",
            "title",
            "default",
            "examples",
            "$comment",
        ];
        fn walk(node: &Json, under_properties: bool, path: &str, bad: &mut Vec<String>) {
            match node {
                Json::Object(m) => {
                    if !under_properties {
                        for k in m.keys() {
                            if LATER.contains(&k.as_str()) {
                                bad.push(format!("{path}/{k}"));
                            }
                        }
                        if m.contains_key("$ref")
                            && m.keys().any(|k| !ANNOTATIONS.contains(&k.as_str()))
                        {
                            bad.push(format!("{path}: $ref beside constraints"));
                        }
                        if m.get("items").is_some_and(Json::is_array) {
                            bad.push(format!("{path}/items is a tuple"));
                        }
                    }
                    for (k, v) in m {
                        let props = !under_properties
                            && matches!(k.as_str(), "properties" | "$defs" | "patternProperties");
                        walk(v, props, &format!("{path}/{k}"), bad);
                    }
                }
                Json::Array(a) => a.iter().for_each(|v| walk(v, false, path, bad)),
                _ => {}
            }
        }
        let m = model();
        for (kind, _) in SCHEMAS {
            let s = editor_schema(kind, &m).unwrap();
            assert_eq!(s["$schema"], EDITOR_DRAFT);
            let mut bad = Vec::new();
            walk(&s, false, kind, &mut bad);
            assert!(bad.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn every_schema_has_an_id_kdl_recognises() {
        let m = model();
        for (kind, _) in SCHEMAS {
            let s = editor_schema(kind, &m).unwrap();
            assert!(s["$id"].as_str().unwrap().starts_with(ID_BASE), "{kind}");
        }
    }
}
