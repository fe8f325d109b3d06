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
