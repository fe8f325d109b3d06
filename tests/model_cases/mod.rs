//! Rule cases for a built-in model, run against its demo catalog
//! `examples/<id>/` (used by `tests/models_<id>.rs`).
//!
//! The demo catalog is compliant except for its documented deliberate
//! violations (the *baseline*). A case overlays or deletes files on a copy
//! of it, runs `kdl lint --format json --as-of DATE`, and requires that the
//! findings that are NEW compared with the baseline are exactly `expect`
//! (rule, file, line and, where given, subject) — so a case fails both when
//! the rule misses the fault and when anything else fires. `gone` lists
//! baseline findings the case must remove (a fix).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde::Deserialize;

use super::common::{copy_dir, kdl, root};

pub const AS_OF: &str = "2026-11-23";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCases {
    pub rule: String,
    pub cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Case {
    pub name: String,
    #[serde(default)]
    pub as_of: Option<String>,
    #[serde(default)]
    pub files: indexmap::IndexMap<String, String>,
    #[serde(default)]
    pub delete: Vec<String>,
    pub expect: Vec<Finding>,
    #[serde(default)]
    pub gone: Vec<Finding>,
}

#[derive(Debug, Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub rule: String,
    pub file: String,
    pub line: u64,
    #[serde(default)]
    pub subject: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}:{}", self.rule, self.file, self.line)?;
        if let Some(s) = &self.subject {
            write!(f, " ({s})")?;
        }
        Ok(())
    }
}

/// Reads the case file (YAML, with anchors) `rel` of the repository.
pub fn read_cases(rel: &str) -> Vec<RuleCases> {
    let text = fs::read_to_string(root().join(rel)).expect("cases file");
    let node = kdl::load::yaml::parse(&text, kdl::load::Budget::default()).expect("cases YAML");
    serde_json::from_value(node.to_json()).expect("cases shape")
}

/// All findings of a lint of `dir` (every severity), with their subjects.
pub fn lint(dir: &Path, as_of: &str) -> (BTreeSet<Finding>, serde_json::Value) {
    let out = kdl()
        .arg("lint")
        .arg(dir)
        .args(["--format", "json", "--as-of", as_of])
        .output()
        .expect("run kdl");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let set = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| Finding {
            rule: d["rule"].as_str().unwrap_or_default().to_string(),
            file: d["file"].as_str().unwrap_or_default().to_string(),
            line: d["line"].as_u64().unwrap_or_default(),
            subject: d["subject"].as_str().map(str::to_string),
        })
        .collect();
    (set, json)
}

/// Drops the subject of findings whose expectation names none.
fn normalise(actual: &BTreeSet<Finding>, expect: &[Finding]) -> BTreeSet<Finding> {
    actual
        .iter()
        .map(|a| {
            let named = expect.iter().any(|x| {
                x.subject.is_some() && x.rule == a.rule && x.file == a.file && x.line == a.line
            });
            let mut a = a.clone();
            if !named {
                a.subject = None;
            }
            a
        })
        .collect()
}

/// Runs every case of `rel` against `examples/<id>`; panics with all
/// mismatches. Checks that every rule instance of the model has a failing
/// and a passing case.
pub fn run_all(id: &str, rel: &str) {
    let example = root().join("examples").join(id);
    let mut baselines = std::collections::HashMap::new();
    let mut failures = Vec::new();
    let all = read_cases(rel);
    for rc in &all {
        for case in &rc.cases {
            let as_of = case.as_of.clone().unwrap_or_else(|| AS_OF.to_string());
            let baseline = baselines
                .entry(as_of.clone())
                .or_insert_with(|| lint(&example, &as_of).0)
                .clone();
            let tmp = tempfile::tempdir().expect("tempdir");
            copy_dir(&example, tmp.path());
            for d in &case.delete {
                if let Err(e) = fs::remove_file(tmp.path().join(d)) {
                    failures.push(format!("{} / {}: delete {d}: {e}", rc.rule, case.name));
                }
            }
            for (p, text) in &case.files {
                let path = tmp.path().join(p);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).expect("mkdir");
                }
                fs::write(&path, text).expect("write");
            }
            let (actual, _) = lint(tmp.path(), &as_of);
            let new: BTreeSet<Finding> = actual.difference(&baseline).cloned().collect();
            let new = normalise(&new, &case.expect);
            let expect: BTreeSet<Finding> = case.expect.iter().cloned().collect();
            let show = |s: &BTreeSet<Finding>| {
                s.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if new != expect {
                failures.push(format!(
                    "{} / {}:\n  expected new [{}]\n  actual new   [{}]",
                    rc.rule,
                    case.name,
                    show(&expect),
                    show(&new)
                ));
            }
            for g in &case.gone {
                if actual.iter().any(|a| {
                    a.rule == g.rule
                        && a.file == g.file
                        && a.line == g.line
                        && (g.subject.is_none() || a.subject == g.subject)
                }) {
                    failures.push(format!("{} / {}: still reported: {g}", rc.rule, case.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every rule instance id of the model named in the model file `rules/<id>.yaml`.
pub fn model_rule_ids(id: &str) -> Vec<String> {
    let text = fs::read_to_string(root().join("rules").join(format!("{id}.yaml"))).expect("model");
    let node = kdl::load::yaml::parse(&text, kdl::load::Budget::default()).expect("model YAML");
    let json = node.to_json();
    json["rules"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every rule instance has at least one case expecting a finding of it and
/// one expecting none of it.
pub fn assert_coverage(id: &str, rel: &str) {
    let all = read_cases(rel);
    let mut missing = Vec::new();
    for rule in model_rule_ids(id) {
        let cases: Vec<&Case> = all
            .iter()
            .filter(|rc| rc.rule == rule)
            .flat_map(|rc| rc.cases.iter())
            .collect();
        let failing = cases
            .iter()
            .any(|c| c.expect.iter().any(|f| f.rule == rule));
        let passing = cases
            .iter()
            .any(|c| !c.expect.iter().any(|f| f.rule == rule));
        if !failing || !passing {
            missing.push(format!("{rule} (failing: {failing}, passing: {passing})"));
        }
    }
    assert!(missing.is_empty(), "rules without cases: {missing:?}");
}

/// The demo catalog's findings (every severity) are exactly `expected`
/// (rule, file, line, subject).
pub fn assert_demo(id: &str, expected: &[(&str, &str, u64, Option<&str>)]) {
    let (actual, json) = lint(&root().join("examples").join(id), AS_OF);
    assert_eq!(json["model"].as_str(), Some(id), "model id in JSON");
    let expected: BTreeSet<Finding> = expected
        .iter()
        .map(|(rule, file, line, subject)| Finding {
            rule: (*rule).to_string(),
            file: (*file).to_string(),
            line: *line,
            subject: subject.map(str::to_string),
        })
        .collect();
    let actual = normalise(&actual, &expected.iter().cloned().collect::<Vec<_>>());
    assert_eq!(actual, expected);
}

/// The 1-based line of the `nth` (1-based) line of `examples/<id>/<rel>`
/// containing `needle`.
pub fn line_in(id: &str, rel: &str, needle: &str, nth: usize) -> u64 {
    let text = fs::read_to_string(root().join("examples").join(id).join(rel)).expect("read");
    let i = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth - 1)
        .unwrap_or_else(|| panic!("`{needle}` not in {rel}"))
        .0;
    i as u64 + 1
}

/// `kdl explain <instance>` in the demo catalog prints each instance's
/// quote (its first line of 40 characters, as the quote may be wrapped).
pub fn assert_explain_quotes(id: &str) {
    let text = fs::read_to_string(root().join("rules").join(format!("{id}.yaml"))).expect("model");
    let node = kdl::load::yaml::parse(&text, kdl::load::Budget::default()).expect("model YAML");
    let json = node.to_json();
    let rules = json["rules"].as_object().expect("rules");
    assert!(!rules.is_empty());
    for (rule, spec) in rules {
        let quote = spec["quote"]
            .as_str()
            .unwrap_or_else(|| panic!("{rule} has no quote"));
        let head: String = quote.chars().take(40).collect();
        let out = kdl()
            .current_dir(root().join("examples").join(id))
            .args(["explain", rule])
            .output()
            .expect("run kdl explain");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "kdl explain {rule} failed");
        assert!(
            stdout.contains(&head),
            "kdl explain {rule} does not print its quote ({head})"
        );
    }
}

/// `kdl report --format json`, `kdl list`, `kdl new` and `kdl schema` work
/// on the demo catalog and use the model.
pub fn assert_commands(id: &str, a_system: &str, a_category: &str) {
    let dir = root().join("examples").join(id);
    let out = kdl()
        .arg("report")
        .arg(&dir)
        .args(["--format", "json", "--year", "2026", "--as-of", AS_OF])
        .output()
        .expect("run kdl report");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "report is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        json.to_string().contains(a_system),
        "report names {a_system}"
    );
    let out = kdl().arg("list").arg(&dir).output().expect("run kdl list");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "kdl list failed");
    assert!(stdout.contains(a_system) && stdout.contains(a_category));
    // `kdl new` writes a system of the model's category and scope that
    // passes the model's schema.
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&dir, tmp.path());
    let out = kdl()
        .current_dir(tmp.path())
        .args(["new", "system", "nytt-testsystem", "--category", a_category])
        .output()
        .expect("run kdl new");
    assert!(
        out.status.success(),
        "kdl new failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (found, _) = lint(tmp.path(), AS_OF);
    let schema: Vec<&Finding> = found
        .iter()
        .filter(|f| f.file == "system/nytt-testsystem.yaml" && f.rule == "schema/invalid")
        .collect();
    assert!(
        schema.is_empty(),
        "kdl new wrote an invalid file: {schema:?}"
    );
    let out = kdl()
        .current_dir(&dir)
        .arg("schema")
        .output()
        .expect("run kdl schema");
    assert!(out.status.success(), "kdl schema failed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(a_category),
        "the schema lists the model's category {a_category}"
    );
}
