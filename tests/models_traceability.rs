//! The four seed models other than Kungsbacka, taken together:
//! - every checkable requirement of the analysis (S1-01 … S4-36,
//!   `tests/data/analysis-requirement-ids.txt`) has exactly one row in
//!   exactly one `docs/models/<model>.md`, and that row names rule instances
//!   the model really has, or says why it is not checked;
//! - at least 90 of the 97 are checked by some rule instance;
//! - no finding under these models names a Kungsbacka organisation part or
//!   a Kungsbacka role the model does not have, in either language, even on
//!   a catalog stripped of its roles, records and classifications.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::{copy_dir, kdl, root};

/// The models of seeds 001–004 with their requirement prefix.
const MODELS: &[(&str, &str)] = &[
    ("soderkoping-2018", "S1-"),
    ("e-forvaltning-riktlinje", "S2-"),
    ("stockholm-2018", "S3-"),
    ("goteborg-2023-reviderad", "S4-"),
];

fn requirement_ids() -> Vec<String> {
    fs::read_to_string(root().join("tests/data/analysis-requirement-ids.txt"))
        .expect("ids")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// Rule ids the model of an example catalog has (`kdl rules --format json`).
fn model_rules(id: &str) -> BTreeSet<String> {
    let out = kdl()
        .args(["rules", "--format", "json"])
        .arg(root().join("examples").join(id))
        .output()
        .expect("run");
    assert!(out.status.success(), "{id}: {out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json.as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["id"].as_str().map(String::from))
        .collect()
}

/// `| S1-01 | … | instances | … |` rows of a traceability file.
fn rows(text: &str) -> Vec<(String, Vec<String>)> {
    text.lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let id = cols.first()?;
            let ok = id.len() == 5
                && id.starts_with('S')
                && id.as_bytes()[2] == b'-'
                && id[3..].bytes().all(|b| b.is_ascii_digit());
            ok.then(|| (id.to_string(), cols.iter().map(|c| c.to_string()).collect()))
        })
        .collect()
}

/// Backticked names in a cell that look like rule ids (`group/name`).
fn rule_names(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains('/') && !s.contains(' '))
        // `kind `exception/invalid``: a kind named beside its instance.
        .filter(|s| !s.starts_with("exception/"))
        .map(String::from)
        .collect()
}

#[test]
fn every_requirement_is_traced_once_and_at_least_90_are_checked() {
    let ids = requirement_ids();
    assert_eq!(ids.len(), 97, "the analysis lists 97 requirements");
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut checked = BTreeSet::new();
    let mut problems = Vec::new();
    for (model, prefix) in MODELS {
        let file = format!("docs/models/{model}.md");
        let text = fs::read_to_string(root().join(&file)).expect("traceability file");
        let known = model_rules(model);
        for (id, cols) in rows(&text) {
            seen.entry(id.clone()).or_default().push(file.clone());
            if !id.starts_with(prefix) {
                problems.push(format!("{file}: {id} belongs to another seed"));
            }
            let instances = cols.get(2).map_or(Vec::new(), |c| rule_names(c));
            let unknown: Vec<&String> = instances
                .iter()
                .filter(|r| !known.contains(*r) && !r.ends_with("/*"))
                .collect();
            if !unknown.is_empty() {
                problems.push(format!("{file}: {id} names {unknown:?}, not in the model"));
            }
            if instances.iter().any(|r| known.contains(r)) {
                checked.insert(id.clone());
            } else if !cols.iter().skip(2).any(|c| c.len() > 20) {
                problems.push(format!("{file}: {id} is not checked and gives no reason"));
            }
        }
    }
    for id in &ids {
        match seen.get(id).map(Vec::len) {
            Some(1) => {}
            Some(n) => problems.push(format!("{id}: {n} rows ({:?})", seen[id])),
            None => problems.push(format!("{id}: in no docs/models file")),
        }
    }
    for id in seen.keys() {
        if !ids.contains(id) {
            problems.push(format!("{id}: not a requirement of the analysis"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        checked.len() >= 90,
        "{} of 97 requirements checked: {:?} are not",
        checked.len(),
        ids.iter()
            .filter(|i| !checked.contains(*i))
            .collect::<Vec<_>>()
    );
}

/// Kungsbacka's organisation and role words that must never appear in a
/// finding under another model (unless that model has the role itself).
fn kungsbacka_words(model: &str) -> Vec<String> {
    let (kba, _) = kdl::model::Model::builtin("kungsbacka-2023.1")
        .expect("builtin")
        .expect("loads");
    let (m, _) = kdl::model::Model::builtin(model)
        .expect("builtin")
        .expect("loads");
    let mut words: Vec<String> = [
        "Kungsbacka",
        "Kommunstyrelsens förvaltning",
        "Förvaltningen för Service",
        "förvaltningschefen för Service",
        "Digitalt center",
        "the Service förvaltning",
        "Service förvaltningschef",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for role in kba.roles.keys() {
        if !m.roles.contains_key(role) {
            words.push(format!("`{role}`"));
        }
    }
    for part in kba.organisation.keys() {
        if !m.organisation.contains_key(part) {
            words.push(format!("`{part}`"));
        }
    }
    words
}

/// Removes the block of each top-level key in `keys` from a YAML file.
fn strip_keys(text: &str, keys: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let top = !line.starts_with(' ') && !line.starts_with('-') && !line.is_empty();
        if top {
            skipping = keys.iter().any(|k| line.starts_with(&format!("{k}:")));
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn lint_messages(dir: &Path, lang: &str) -> Vec<String> {
    let out = kdl()
        .args([
            "lint",
            ".",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
            "--lang",
            lang,
        ])
        .current_dir(dir)
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut messages = Vec::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        messages.push(format!(
            "{} {}: {}",
            d["rule"].as_str().unwrap_or(""),
            d["file"].as_str().unwrap_or(""),
            d["message"].as_str().unwrap_or("")
        ));
        for r in d["related"].as_array().into_iter().flatten() {
            messages.push(r["message"].as_str().unwrap_or("").to_string());
        }
    }
    messages
}

#[test]
fn no_finding_names_kungsbackas_organisation_or_roles() {
    for (model, _) in MODELS {
        let words = kungsbacka_words(model);
        let tmp = tempfile::tempdir().expect("tmp");
        copy_dir(&root().join("examples").join(model), tmp.path());
        let demo: Vec<String> = ["sv", "en"]
            .iter()
            .flat_map(|l| lint_messages(tmp.path(), l))
            .collect();
        // A catalog with its roles, records, classifications and
        // delegations gone: most rule instances fire.
        for entry in walkdir::WalkDir::new(tmp.path()) {
            let entry = entry.expect("walk");
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("kdl.yaml") {
                let text = fs::read_to_string(p).expect("read");
                let stripped = strip_keys(
                    &text,
                    &[
                        "roles",
                        "records",
                        "information-classification",
                        "delegations",
                        "forvaltningsplaner",
                        "uppfoljningsrapporter",
                    ],
                );
                fs::write(p, stripped).expect("write");
            }
        }
        let stripped: Vec<String> = ["sv", "en"]
            .iter()
            .flat_map(|l| lint_messages(tmp.path(), l))
            .collect();
        assert!(
            stripped.len() > demo.len() + 10,
            "{model}: the stripped catalog should fire many instances ({} findings)",
            stripped.len()
        );
        let bad: Vec<String> = demo
            .iter()
            .chain(&stripped)
            .filter(|m| words.iter().any(|w| m.contains(w.as_str())))
            .cloned()
            .collect();
        assert!(bad.is_empty(), "{model}: {}", bad.join("\n"));
    }
}
