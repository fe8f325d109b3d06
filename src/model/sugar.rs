//! Shorthands of model format 1 (and conveniences of format 2), rewritten
//! into the one selector when a model loads, so the engine knows a single
//! mechanism:
//!
//! - rule parameters `from`, `scope`, `categories`, `skip-categories` move
//!   to `applies-to` (`from`, `scopes`, `categories`, `not-categories`);
//! - a category's `yearly-cycle: true` adds it to the categories of the
//!   yearly-cycle kinds that name none;
//! - format 1's `pub/missing` never applied to internally hosted systems:
//!   that becomes `when: {hosting: {not: intern}}`;
//! - a model that declares no exception kind gets the implicit one.

use serde_json::Value as Json;

use super::vocab::ExceptionKind;
use super::Model;

/// The kinds that follow a category's `yearly-cycle` flag.
pub const YEARLY_KINDS: &[&str] = &[
    "plan/missing",
    "plan/late",
    "plan/approver",
    "plan/next-year",
    "report/missing",
    "report/approver",
    "forum/avtalsuppfoljning",
];

pub fn apply(model: &mut Model) {
    let yearly: Vec<String> = model
        .categories
        .iter()
        .filter(|(_, c)| c.yearly_cycle)
        .map(|(id, _)| id.clone())
        .collect();
    let format = model.format;
    for (id, spec) in model.rules.iter_mut() {
        let kind = spec.kind_of(id).to_string();
        let a = &mut spec.applies_to;
        let params = &mut spec.params;
        if a.from.is_none() {
            if let Some(Json::String(from)) = params.get("from") {
                a.from = Some(from.clone());
                params.remove("from");
            }
        }
        if a.scopes.is_none() {
            if let Some(Json::String(scope)) = params.get("scope") {
                a.scopes = Some(vec![scope.clone()]);
                params.remove("scope");
            }
        }
        if a.categories.is_none() {
            if let Some(list) = params.get("categories").and_then(strings) {
                a.categories = Some(list);
                params.remove("categories");
            }
        }
        if a.not_categories.is_empty() {
            if let Some(list) = params.get("skip-categories").and_then(strings) {
                a.not_categories = list;
                params.remove("skip-categories");
            }
        }
        if a.categories.is_none() && YEARLY_KINDS.contains(&kind.as_str()) {
            a.categories = Some(yearly.clone());
        }
        if format == 1 && kind == "pub/missing" && !a.when.contains_key("hosting") {
            a.when
                .insert("hosting".into(), serde_json::json!({"not": "intern"}));
        }
    }
    if model.exception_kinds.is_empty() {
        model
            .exception_kinds
            .insert("avsteg".into(), ExceptionKind::implicit());
    }
}

fn strings(v: &Json) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}
