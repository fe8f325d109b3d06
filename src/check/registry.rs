//! Every rule id kdl knows. Loading and reference rules belong to the
//! catalog format and exist for every model (their severity is fixed here);
//! the others are rule kinds a model switches on in its `rules:` table,
//! where their severity, source clause and parameters live.

use crate::diagnostic::Severity;

/// Rules of the catalog format itself: (id, default severity).
pub const FORMAT_RULES: &[(&str, Severity)] = &[
    ("parse/syntax", Severity::Error),
    ("schema/invalid", Severity::Error),
    ("ref/unknown", Severity::Error),
    ("id/duplicate", Severity::Error),
    ("id/file-name", Severity::Warning),
    ("config/invalid", Severity::Error),
];

/// Rule kinds a model can enable (the code in `check/` implements each).
pub const MODEL_RULES: &[&str] = &[
    "roles/mandatory",
    "roles/vacant",
    "roles/not-applicable",
    "roles/cardinality",
    "roles/owner-title",
    "roles/budget-manager",
    "roles/digitalt-center",
    "roles/informationsagare",
    "scope/kommungemensam-owner",
    "scope/kommungemensam-agare",
    "scope/used-by-all",
    "scope/single-user-kommungemensam",
    "docs/grundavtal",
    "docs/sla",
    "contract/expiring",
    "contract/expired",
    "pub/missing",
    "pub/not-assessed",
    "pub/public-service",
    "pub/decided-by",
    "pub/fullmakt",
    "pub/clauses",
    "pub/third-country",
    "pub/internal-processor",
    "delegation/pub-kommungemensamma",
    "delegation/fullmakt",
    "plan/missing",
    "plan/late",
    "plan/approver",
    "plan/next-year",
    "report/missing",
    "report/approver",
    "forum/avtalsuppfoljning",
    "infosec/classification",
    "infosec/classification-age",
    "dpia/threshold",
    "dpia/required",
    "dpia/dso",
    "register/missing",
    "register/joint",
    "exception/expired",
    "exception/unused",
    "exception/invalid",
];

/// The canonical `&'static str` of a rule id.
pub fn find(id: &str) -> Option<&'static str> {
    FORMAT_RULES
        .iter()
        .map(|(r, _)| *r)
        .chain(MODEL_RULES.iter().copied())
        .find(|r| *r == id)
}

pub fn all() -> impl Iterator<Item = &'static str> {
    FORMAT_RULES
        .iter()
        .map(|(r, _)| *r)
        .chain(MODEL_RULES.iter().copied())
}

pub fn is_format_rule(id: &str) -> bool {
    FORMAT_RULES.iter().any(|(r, _)| *r == id)
}

pub fn format_severity(id: &str) -> Option<Severity> {
    FORMAT_RULES.iter().find(|(r, _)| *r == id).map(|(_, s)| *s)
}

pub fn group_exists(group: &str) -> bool {
    all().any(|r| r.split('/').next() == Some(group))
}

/// A known rule id (or `group/*`) close to a misspelt one.
pub fn suggest(id: &str) -> Option<String> {
    let groups: Vec<String> = all()
        .filter_map(|r| r.split('/').next())
        .map(|g| format!("{g}/*"))
        .collect();
    let mut names: Vec<&str> = all().collect();
    names.extend(groups.iter().map(String::as_str));
    crate::suggest::closest(id, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let ids: Vec<&str> = all().collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
        for id in ids {
            let (g, n) = id.split_once('/').unwrap();
            assert!(!g.is_empty() && !n.is_empty());
        }
    }

    #[test]
    fn every_rule_in_the_spec_is_known() {
        let spec = include_str!("../../tests/data/rules-spec-ids.txt");
        for id in spec.lines().filter(|l| !l.is_empty()) {
            assert!(find(id).is_some(), "{id} from rules.md is not implemented");
        }
    }
}
