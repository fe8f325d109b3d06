//! Rule documentation: what each rule kind checks, why, how to fix it, and
//! a failing and a passing example — kept beside the checks in
//! `src/check/docs/<group>.yaml` and embedded. `kdl explain` joins this with
//! the model's facts (severity, source clause, quote).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::i18n::Lang;

const FILES: &[&str] = &[
    include_str!("docs/loading.yaml"),
    include_str!("docs/roles.yaml"),
    include_str!("docs/scope.yaml"),
    include_str!("docs/docs.yaml"),
    include_str!("docs/pub.yaml"),
    include_str!("docs/cycle.yaml"),
    include_str!("docs/infosec.yaml"),
    include_str!("docs/register.yaml"),
    include_str!("docs/exception.yaml"),
    include_str!("docs/require.yaml"),
];

#[derive(Clone, Debug, Deserialize)]
pub struct Text {
    pub sv: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct RuleDoc {
    pub summary: Text,
    pub what: Text,
    pub why: Text,
    pub fix: Text,
    pub fail: String,
    pub pass: String,
}

/// All rule docs by id. The files are part of the binary and tested, so a
/// file that fails to parse is skipped rather than taking the CLI down.
pub fn docs() -> &'static BTreeMap<String, RuleDoc> {
    static DOCS: OnceLock<BTreeMap<String, RuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let mut all = BTreeMap::new();
        for text in FILES {
            if let Ok(map) = parse(text) {
                all.extend(map);
            }
        }
        all
    })
}

fn parse(text: &str) -> Result<BTreeMap<String, RuleDoc>, String> {
    let node = crate::load::yaml::parse(text, Default::default()).map_err(|e| format!("{e:?}"))?;
    serde_json::from_value(node.to_json()).map_err(|e| e.to_string())
}

pub fn get(id: &str) -> Option<&'static RuleDoc> {
    docs().get(id)
}

/// The documentation of a rule instance: its own page if it has one (the
/// format 1 ids do), else its kind's.
pub fn for_rule(id: &str, kind: &str) -> Option<&'static RuleDoc> {
    get(id).or_else(|| get(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses() {
        for text in FILES {
            parse(text).unwrap();
        }
    }

    #[test]
    fn every_rule_has_docs_with_examples() {
        let format = crate::check::registry::FORMAT_RULES.iter().map(|(r, _)| *r);
        for id in format.chain(crate::check::registry::kind_ids()) {
            let d = get(id).unwrap_or_else(|| panic!("{id} has no explain page"));
            assert!(!d.summary.sv.is_empty() && !d.summary.en.is_empty(), "{id}");
            assert!(
                !d.fail.trim().is_empty() && !d.pass.trim().is_empty(),
                "{id}"
            );
        }
    }
}
