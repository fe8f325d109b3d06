//! Every rule id kdl knows. Loading and reference rules belong to the
//! catalog format and exist for every model (their severity is fixed here);
//! the others are rule kinds a model switches on in its `rules:` table,
//! where their severity, source clause and parameters live.

use crate::diagnostic::Severity;
use crate::model::{EntityKind, Model};

use super::kind::{self, Kind, KindDef};
use super::{
    contracts, cycle, documents, exceptions, field, infosec, personal_data, record, register,
    roles, scope, unique,
};

/// Rules of the catalog format itself: (id, default severity).
pub const FORMAT_RULES: &[(&str, Severity)] = &[
    ("parse/syntax", Severity::Error),
    ("schema/invalid", Severity::Error),
    ("ref/unknown", Severity::Error),
    ("id/duplicate", Severity::Error),
    ("id/file-name", Severity::Warning),
    ("config/invalid", Severity::Error),
];

/// Every rule kind, registered once: (id, entity kinds, builder, params
/// schema). A model's `rules:` instantiates these; format 1 ids that became
/// instances of a general kind (`roles/owner-title` → `roles/holder`, …)
/// stay here as kinds with their old parameters, so format 1 models load
/// unchanged.
pub static KINDS: &[KindDef] = &[
    k::<roles::MandatoryRoles>("roles/mandatory", SYS_NAM),
    k::<roles::Vacant>("roles/vacant", SYS_NAM),
    k::<roles::NotApplicable>("roles/not-applicable", SYS),
    k::<roles::Cardinality>("roles/cardinality", SYS_NAM),
    k::<roles::HolderRule>("roles/holder", SYS_NAM),
    legacy("roles/owner-title", SYS, roles::legacy::owner_title),
    legacy("roles/budget-manager", SYS, roles::legacy::budget_manager),
    legacy("roles/digitalt-center", SYS, roles::legacy::digitalt_center),
    legacy(
        "roles/informationsagare",
        SYS,
        roles::legacy::informationsagare,
    ),
    legacy(
        "scope/kommungemensam-owner",
        SYS,
        roles::legacy::kommungemensam_owner,
    ),
    k::<scope::StodprocessOwner>("scope/kommungemensam-agare", SYS),
    k::<scope::UsedByAll>("scope/used-by-all", SYS),
    k::<scope::SingleUser>("scope/single-user-kommungemensam", SYS),
    k::<documents::Agreement>("docs/agreement", SYS),
    k::<documents::Agreement>("docs/grundavtal", SYS),
    k::<documents::Agreement>("docs/sla", SYS),
    k::<contracts::Expiring>("contract/expiring", AVT),
    k::<contracts::Expired>("contract/expired", SYS),
    k::<personal_data::PubMissing>("pub/missing", SYS),
    k::<personal_data::PubNotAssessed>("pub/not-assessed", SYS),
    k::<personal_data::PubPublicService>("pub/public-service", SYS),
    k::<personal_data::DecidedBy>("pub/decided-by", AVT),
    k::<personal_data::Fullmakt>("pub/fullmakt", AVT),
    k::<personal_data::Clauses>("pub/clauses", AVT),
    k::<personal_data::ThirdCountry>("pub/third-country", SYS_AVT),
    k::<personal_data::InternalProcessor>("pub/internal-processor", SYS),
    k::<personal_data::Delegation>("delegation/required", NAM),
    k::<personal_data::Delegation>("delegation/pub-kommungemensamma", NAM),
    k::<personal_data::Delegation>("delegation/fullmakt", NAM),
    k::<cycle::PlanMissing>("plan/missing", SYS),
    k::<cycle::PlanLate>("plan/late", SYS),
    k::<cycle::PlanApprover>("plan/approver", SYS),
    k::<cycle::PlanNextYear>("plan/next-year", SYS),
    k::<cycle::ReportMissing>("report/missing", SYS),
    k::<cycle::ReportApprover>("report/approver", SYS),
    k::<cycle::Followup>("forum/avtalsuppfoljning", SYS),
    k::<infosec::Classification>("infosec/classification", SYS),
    k::<infosec::ClassificationAge>("infosec/classification-age", SYS),
    k::<infosec::DpiaThreshold>("dpia/threshold", SYS),
    k::<infosec::DpiaRequired>("dpia/required", SYS),
    k::<infosec::DpiaDso>("dpia/dso", SYS),
    k::<register::Missing>("register/missing", SYS),
    k::<register::Joint>("register/joint", BEH),
    k::<record::RequireRecord>("require/record", ALL),
    k::<field::RequireField>("require/field", ALL),
    k::<unique::UniqueAttribute>("unique/attribute", SYS),
    k::<exceptions::ExceptionRule>("exception/expired", NONE),
    k::<exceptions::ExceptionRule>("exception/unused", NONE),
    k::<exceptions::ExceptionRule>("exception/invalid", NONE),
];

const SYS: &[EntityKind] = &[EntityKind::System];
const NAM: &[EntityKind] = &[EntityKind::Namnd];
const AVT: &[EntityKind] = &[EntityKind::Avtal];
const BEH: &[EntityKind] = &[EntityKind::Behandling];
const SYS_NAM: &[EntityKind] = &[EntityKind::System, EntityKind::Namnd];
const SYS_AVT: &[EntityKind] = &[EntityKind::System, EntityKind::Avtal];
const NONE: &[EntityKind] = &[];
/// The generic kinds: system first (their default subject).
const ALL: &[EntityKind] = &[
    EntityKind::System,
    EntityKind::Namnd,
    EntityKind::Avtal,
    EntityKind::Person,
    EntityKind::Behandling,
];

const fn k<K: Kind + schemars::JsonSchema + Send + Sync>(
    id: &'static str,
    entities: &'static [EntityKind],
) -> KindDef {
    KindDef {
        id,
        entities,
        build: kind::build::<K>,
        params: kind::params_schema::<K>,
    }
}

const fn legacy(
    id: &'static str,
    entities: &'static [EntityKind],
    build: fn(
        &serde_json::Map<String, serde_json::Value>,
        &crate::model::Model,
    ) -> Result<kind::Built, kind::ParamError>,
) -> KindDef {
    KindDef {
        id,
        entities,
        build,
        params: no_schema,
    }
}

fn no_schema() -> serde_json::Value {
    serde_json::Value::Null
}

/// The kind `id`.
pub fn kind(id: &str) -> Option<&'static KindDef> {
    KINDS.iter().find(|k| k.id == id)
}

/// Every kind id.
pub fn kind_ids() -> impl Iterator<Item = &'static str> + Clone {
    KINDS.iter().map(|k| k.id)
}

/// The canonical `&'static str` of a format rule or kind id.
pub fn find(id: &str) -> Option<&'static str> {
    FORMAT_RULES
        .iter()
        .map(|(r, _)| *r)
        .chain(kind_ids())
        .find(|r| *r == id)
}

pub fn is_format_rule(id: &str) -> bool {
    FORMAT_RULES.iter().any(|(r, _)| *r == id)
}

pub fn format_severity(id: &str) -> Option<Severity> {
    FORMAT_RULES.iter().find(|(r, _)| *r == id).map(|(_, s)| *s)
}

/// The rule ids of a run: the format rules and the model's instances.
pub fn rule_ids(model: &Model) -> impl Iterator<Item = &str> {
    FORMAT_RULES
        .iter()
        .map(|(r, _)| *r)
        .chain(model.rules.keys().map(String::as_str))
}

/// Whether a rule id (or `group/*` pattern) names something in the run.
pub fn pattern_known(model: &Model, pattern: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(group) => rule_ids(model).any(|r| r.split('/').next() == Some(group)),
        None => rule_ids(model).any(|r| r == pattern),
    }
}

/// A known rule id (or `group/*`) close to a misspelt one.
pub fn suggest(model: &Model, id: &str) -> Option<String> {
    let mut groups: Vec<String> = rule_ids(model)
        .filter_map(|r| r.split('/').next())
        .map(|g| format!("{g}/*"))
        .collect();
    groups.dedup();
    let mut names: Vec<&str> = rule_ids(model).collect();
    names.extend(groups.iter().map(String::as_str));
    crate::suggest::closest(id, names)
}

/// The parameter reference of every kind, as Markdown (docs/model.md
/// holds it between `<!-- kinds:begin -->` and `<!-- kinds:end -->`; a test
/// keeps the two equal — run `KDL_BLESS=1 cargo test --lib docs_list` to
/// rewrite it).
pub fn kinds_markdown() -> String {
    let mut out = String::new();
    let mut defs_seen: Vec<String> = Vec::new();
    for k in KINDS {
        let schema = (k.params)();
        let entities: Vec<&str> = k.entities.iter().map(|e| e.as_str()).collect();
        out.push_str(&format!("#### `{}`\n\n", k.id));
        if schema.is_null() {
            out.push_str("Format 1 kind, kept so format 1 models load unchanged; an instance of `roles/holder` (its old parameters are translated when the model loads).\n\n");
            continue;
        }
        if !entities.is_empty() {
            out.push_str(&format!("Checks: {}.", entities.join(", ")));
        } else {
            out.push_str("Applied once per run to the catalog's exceptions.");
        }
        if let Some(d) = schema.get("description").and_then(|d| d.as_str()) {
            out.push(' ');
            out.push_str(&d.replace('\n', " "));
        }
        out.push_str("\n\n");
        out.push_str(&params_table(&schema));
        if let Some(defs) = schema.get("$defs").and_then(|d| d.as_object()) {
            for (name, def) in defs {
                if defs_seen.contains(name) {
                    out.push_str(&format!("`{name}`: as above.\n\n"));
                    continue;
                }
                defs_seen.push(name.clone());
                out.push_str(&format!("`{name}`:\n\n"));
                out.push_str(&params_table(def));
            }
        }
    }
    out
}

fn params_table(schema: &serde_json::Value) -> String {
    let Some(props) = schema.get("properties").and_then(|p| p.as_object()) else {
        return "No parameters.\n\n".into();
    };
    if props.is_empty() {
        return "No parameters.\n\n".into();
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(|r| r.as_array())
        .map(|r| r.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let mut out = String::from("| parameter | type | default | meaning |\n|---|---|---|---|\n");
    for (name, p) in props {
        let ty = type_name(p);
        let default = match p.get("default") {
            Some(d) => format!("`{d}`"),
            None if required.contains(&name.as_str()) => "required".into(),
            None => "–".into(),
        };
        let desc = p
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .replace('\n', " ")
            .replace('|', "\\|");
        out.push_str(&format!("| `{name}` | {ty} | {default} | {desc} |\n"));
    }
    out.push('\n');
    out
}

fn type_name(p: &serde_json::Value) -> String {
    if let Some(r) = p.get("$ref").and_then(|r| r.as_str()) {
        return format!("`{}`", r.rsplit('/').next().unwrap_or(r));
    }
    if let Some(any) = p.get("anyOf").and_then(|a| a.as_array()) {
        let parts: Vec<String> = any
            .iter()
            .filter(|x| x.get("type").and_then(|t| t.as_str()) != Some("null"))
            .map(type_name)
            .collect();
        return parts.join(" or ");
    }
    match p.get("type") {
        Some(serde_json::Value::String(t)) if t == "array" => {
            let item = p.get("items").map(type_name).unwrap_or_default();
            format!("list of {item}")
        }
        Some(serde_json::Value::String(t)) if t == "object" => {
            match p.get("additionalProperties") {
                Some(v) if v.is_object() => format!("map to {}", type_name(v)),
                _ => "mapping".into(),
            }
        }
        Some(serde_json::Value::String(t)) => t.clone(),
        Some(serde_json::Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str())
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let ids: Vec<&str> = FORMAT_RULES
            .iter()
            .map(|(r, _)| *r)
            .chain(kind_ids())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
        for id in ids {
            assert!(crate::model::validate::is_instance_id(id), "{id}");
        }
    }

    #[test]
    fn every_rule_in_the_spec_is_known() {
        let spec = include_str!("../../tests/data/rules-spec-ids.txt");
        for id in spec.lines().filter(|l| !l.is_empty()) {
            assert!(find(id).is_some(), "{id} from rules.md is not implemented");
        }
    }

    /// docs/model.md lists every kind's parameters exactly as the code
    /// declares them.
    #[test]
    fn docs_list_every_kinds_parameters() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/model.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let (begin, end) = ("<!-- kinds:begin -->\n", "<!-- kinds:end -->");
        let a = doc.find(begin).expect("begin marker") + begin.len();
        let b = doc.find(end).expect("end marker");
        let generated = kinds_markdown();
        if std::env::var_os("KDL_BLESS").is_some() {
            let new = format!("{}{}{}", &doc[..a], generated, &doc[b..]);
            std::fs::write(path, new).unwrap();
            return;
        }
        assert!(
            doc[a..b] == generated,
            "docs/model.md's rule kind reference is stale: run KDL_BLESS=1 cargo test --lib docs_list"
        );
    }

    #[test]
    fn every_kind_with_typed_params_has_a_schema() {
        for k in KINDS {
            let schema = (k.params)();
            let legacy = schema.is_null();
            assert!(
                legacy || schema.get("type").is_some() || schema.get("properties").is_some(),
                "{}",
                k.id
            );
        }
    }
}
