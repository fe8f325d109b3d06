//! Model format 2: what the general engine lets a model say without code
//! (`tests/models/vastby.yaml`, a fictional municipality, with the catalog
//! `tests/fixtures/vastby/`), and that every misspelling in a model or in
//! `kdl.yaml` is an error at its place with a suggestion.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::Path;

mod common;
use common::{copy_dir, kdl, root};

const AS_OF: &str = "2026-11-23";

fn lint(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = kdl()
        .arg("lint")
        .arg(dir)
        .args(["--format", "json", "--as-of", AS_OF])
        .args(extra)
        .output()
        .expect("run");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

/// (rule, severity, file, line) of every finding, sorted.
fn found(json: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    let mut v: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

fn message_of(json: &serde_json::Value, rule: &str, file: &str) -> String {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == rule && d["file"] == file)
        .and_then(|d| d["message"].as_str())
        .unwrap_or_else(|| panic!("no {rule} in {file}: {json}"))
        .to_string()
}

fn catalog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/vastby"), dir.path());
    // The model path in kdl.yaml is relative to the catalog root.
    let cfg = dir.path().join("kdl.yaml");
    let model = root().join("tests/models/vastby.yaml");
    let text = fs::read_to_string(&cfg)
        .expect("kdl.yaml")
        .replace("../../models/vastby.yaml", "model.yaml");
    fs::write(&cfg, text).expect("write");
    fs::copy(model, dir.path().join("model.yaml")).expect("model");
    dir
}

#[test]
fn the_engine_says_it_without_code() {
    let dir = catalog();
    let (code, json) = lint(dir.path(), &[]);
    assert_eq!(code, Some(1), "{json}");
    let expect: Vec<(String, String, String, u64)> = [
        // `bolagsstyrelse` is a nämnd type with its own mandatory role.
        ("roles/mandatory", "error", "namnder/vastby-energi.yaml", 4),
        // An undantagsbeslut must be decided by IT-styrgruppen (a body).
        (
            "exception/invalid",
            "error",
            "system/lokal-bokning.yaml",
            20,
        ),
        // One kind, two instances, selected by category and status: the
        // central one applies from upphandling, the local one does not.
        (
            "vast/klassning-centralt",
            "error",
            "system/nytt-ekonomisystem.yaml",
            4,
        ),
        // "systemförvaltare eller systemadministratör" as an any-of group.
        ("roles/mandatory", "error", "system/procapita.yaml", 16),
        // A *bör* role: its own severity, only where an attribute says so.
        ("roles/mandatory", "warning", "system/procapita.yaml", 16),
        // The systemägare is a nämnd that uses the system.
        ("vast/agare-nyttjar", "error", "system/procapita.yaml", 17),
        // Who appointed the systemadministratör.
        ("vast/sysadm-utses", "error", "system/skolwebb.yaml", 18),
        // A third instance of a classification kind, selected by an
        // ordered attribute's value.
        ("vast/klassning-hog", "error", "system/skolwebb.yaml", 20),
    ]
    .iter()
    .map(|(r, s, f, l)| (r.to_string(), s.to_string(), f.to_string(), *l))
    .collect();
    let mut expect = expect;
    expect.sort();
    assert_eq!(found(&json), expect);

    let group = message_of(&json, "roles/mandatory", "system/procapita.yaml");
    assert!(
        group.contains("Systemförvaltare") || group.contains("pilot"),
        "{group}"
    );
    let appointer = message_of(&json, "vast/sysadm-utses", "system/skolwebb.yaml");
    assert!(
        appointer.contains("`omar-said`") && appointer.contains("enhetschef"),
        "{appointer}"
    );
    let decider = message_of(&json, "exception/invalid", "system/lokal-bokning.yaml");
    assert!(decider.contains("it-styrgruppen"), "{decider}");
}

#[test]
fn no_kungsbacka_names_in_another_models_output() {
    let dir = catalog();
    for lang in ["sv", "en"] {
        for format in ["human", "json", "sarif", "github"] {
            let out = kdl()
                .arg("lint")
                .arg(dir.path())
                .args(["--as-of", AS_OF, "--lang", lang, "--format", format])
                .env("NO_COLOR", "1")
                .output()
                .expect("run");
            let text = String::from_utf8_lossy(&out.stdout);
            for banned in [
                "Förvaltningen för Service",
                "Kommunstyrelsens förvaltning",
                "Kungsbacka",
                "Modell för digitala tjänster",
                "Digitalt center",
            ] {
                assert!(
                    !text.contains(banned),
                    "{lang}/{format} prints {banned:?}:\n{text}"
                );
            }
            // "ägaren"/"the owner" as a word of its own (this model has no
            // ägare role; "systemägaren" would be fine).
            for word in ["ägaren", "Ägaren", "informationsägaren", "the owner"] {
                let standalone = text.match_indices(word).any(|(i, _)| {
                    !text[..i]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphabetic)
                });
                assert!(!standalone, "{lang}/{format} prints {word:?}:\n{text}");
            }
        }
    }
}

#[test]
fn attributes_and_vocabularies_are_schema_checked() {
    let dir = catalog();
    let p = dir.path().join("system/treserva.yaml");
    let text = fs::read_to_string(&p)
        .expect("read")
        .replace("funktion: arende", "funktion: arenden")
        .replace("skyddsniva: grund", "skyddsnivå: grund");
    fs::write(&p, text).expect("write");
    let (_, json) = lint(dir.path(), &["--lang", "en"]);
    let schema: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "schema/invalid" && d["file"] == "system/treserva.yaml")
        .collect();
    assert_eq!(schema.len(), 2, "{schema:?}");
    assert!(schema
        .iter()
        .any(|d| d["line"] == 13 && d["message"].as_str().unwrap_or_default().contains("arende")));
    assert!(schema.iter().any(|d| d["line"] == 14
        && d["message"]
            .as_str()
            .unwrap_or_default()
            .contains("skyddsniva")));
    // A nämnd type outside the model's vocabulary.
    let p = dir.path().join("namnder/vastby-energi.yaml");
    let text = fs::read_to_string(&p)
        .expect("read")
        .replace("type: bolagsstyrelse", "type: bolag");
    fs::write(&p, text).expect("write");
    let (_, json) = lint(dir.path(), &["--lang", "en"]);
    let m = message_of(&json, "schema/invalid", "namnder/vastby-energi.yaml");
    assert!(m.contains("bolagsstyrelse"), "{m}");
}

/// The model file with `from` replaced by `to`; lint; the config/invalid
/// message and the line it names in the model.
fn broken_model(from: &str, to: &str) -> (String, u32) {
    let dir = catalog();
    let path = dir.path().join("model.yaml");
    let good = fs::read_to_string(&path).expect("model");
    let bad = good.replacen(from, to, 1);
    assert_ne!(bad, good, "{from:?} not in the model");
    fs::write(&path, &bad).expect("write");
    let line = bad
        .lines()
        .position(|l| l.contains(to.lines().next().unwrap_or(to).trim()))
        .map_or(0, |i| i as u32 + 1);
    let (code, json) = lint(dir.path(), &[]);
    assert_eq!(code, Some(2), "a broken model is a broken run: {json}");
    (message_of(&json, "config/invalid", "kdl.yaml"), line)
}

#[test]
fn every_misspelling_in_a_model_is_an_error_at_its_place() {
    let cases = [
        // a parameter of a kind
        (
            "params: {years: 1}",
            "params: {yeras: 1}",
            "menade du `years`?",
        ),
        // a selector key
        (
            "applies-to: {categories: [lokalt], from: inforande}",
            "applies-to: {categoriez: [lokalt], from: inforande}",
            "menade du `categories`?",
        ),
        // a vocabulary value in a selector
        (
            "applies-to: {categories: [centralt], from: upphandling}",
            "applies-to: {categories: [centralt], from: upphandlng}",
            "menade du `upphandling`?",
        ),
        // an attribute name in a condition
        (
            "when: {attributes.skyddsniva: [hog]}",
            "when: {attributes.skyddsnivan: [hog]}",
            "menade du `skyddsniva`?",
        ),
        // an attribute value in a condition
        (
            "when: {attributes.skyddsniva: [hog]}",
            "when: {attributes.skyddsniva: [hgo]}",
            "menade du `hog`?",
        ),
        // a nämnd type in a selector
        (
            "applies-to: {namnd-types: [namnd]}",
            "applies-to: {namnd-types: [namd]}",
            "menade du `namnd`?",
        ),
        // a title in a parameter
        (
            "appointer: {titles: [enhetschef]}",
            "appointer: {titles: [enhetchef]}",
            "menade du `enhetschef`?",
        ),
        // a rule kind
        (
            "kind: infosec/classification-age",
            "kind: infosec/clasification-age",
            "menade du `infosec/classification-age`?",
        ),
        // a role in an any-of group
        (
            "any-of: [systemforvaltare, systemadministrator]",
            "any-of: [systemforvaltare, systemadminstrator]",
            "menade du `systemadministrator`?",
        ),
        // a body
        (
            "decided-by: {body: it-styrgruppen}",
            "decided-by: {body: it-styrgrupp}",
            "menade du `it-styrgruppen`?",
        ),
    ];
    for (from, to, hint) in cases {
        let (msg, line) = broken_model(from, to);
        assert!(msg.contains(hint), "{to}: {msg}");
        assert!(
            msg.contains(&format!("({line}:")),
            "{to}: line {line}: {msg}"
        );
    }
}

#[test]
fn a_misspelt_parameter_in_kdl_yaml_is_config_invalid_at_its_key() {
    let dir = catalog();
    let cfg = dir.path().join("kdl.yaml");
    let text = fs::read_to_string(&cfg).expect("read");
    fs::write(
        &cfg,
        format!("{text}rules:\n  vast/klassning-hog:\n    yeras: 2\n  vast/klassning-hgo: off\n"),
    )
    .expect("write");
    let (_, json) = lint(dir.path(), &[]);
    let problems: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "config/invalid")
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    let lines = fs::read_to_string(&cfg).expect("read");
    let line_of = |needle: &str| {
        lines
            .lines()
            .position(|l| l.contains(needle))
            .map_or(0, |i| i + 1) as u64
    };
    assert!(problems.iter().any(|d| d["line"] == line_of("yeras")
        && d["message"]
            .as_str()
            .unwrap_or_default()
            .contains("menade du `years`?")));
    assert!(problems
        .iter()
        .any(|d| d["line"] == line_of("klassning-hgo")
            && d["message"]
                .as_str()
                .unwrap_or_default()
                .contains("menade du `vast/klassning-hog`?")));
}

#[test]
fn rules_and_explain_list_the_models_instances() {
    let dir = catalog();
    let out = kdl()
        .args(["rules", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("run");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids: Vec<&str> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for id in [
        "vast/klassning-centralt",
        "vast/klassning-lokalt",
        "vast/klassning-hog",
    ] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    let out = kdl()
        .args(["explain", "vast/klassning-hog", "--catalog"])
        .arg(dir.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("infosec/classification-age"), "{text}");
    assert!(
        text.contains("System med hög skyddsnivå klassas om varje år."),
        "{text}"
    );
    // --rule takes the model's instance ids and groups.
    let (_, json) = lint(dir.path(), &["--rule", "vast/*"]);
    assert!(
        found(&json).iter().all(|(r, ..)| r.starts_with("vast/")),
        "{json}"
    );
}

/// Regression: a model whose `plan/missing` has no `from` (allowed) made
/// `kdl lint` report the plan missing while `kdl report` showed it as not
/// due. Both now ask the same fact function.
#[test]
fn lint_and_report_agree_on_a_plan_rule_without_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/tvastad"), dir.path());
    let model = fs::read_to_string(root().join("tests/models/tvastad.yaml"))
        .expect("model")
        .replace(
            "    quote: \"Huvudsystem i drift har en godkänd förvaltningsplan för innevarande år.\"\n    params: {from: i-drift}\n",
            "    quote: \"Huvudsystem i drift har en godkänd förvaltningsplan för innevarande år.\"\n",
        );
    assert!(
        !model.contains("params: {from: i-drift}\n  plan/approver"),
        "the plan rule still has `from`"
    );
    fs::write(dir.path().join("model.yaml"), model).expect("write");
    let cfg = dir.path().join("kdl.yaml");
    let text = fs::read_to_string(&cfg)
        .expect("read")
        .replace("../../models/tvastad.yaml", "model.yaml");
    fs::write(&cfg, text).expect("write");
    let (_, lint) = lint(dir.path(), &[]);
    let flagged: Vec<String> = lint["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "plan/missing")
        .filter_map(|d| d["entity"].as_str().map(str::to_string))
        .collect();
    assert!(
        !flagged.is_empty(),
        "the fixture must have a missing plan: {lint}"
    );
    let out = kdl()
        .arg("report")
        .arg(dir.path())
        .args(["--format", "json", "--year", "2026", "--as-of", AS_OF])
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    for id in &flagged {
        let row = report["cycle"]
            .as_array()
            .expect("cycle")
            .iter()
            .find(|c| c["system"]["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{id} not in the report's cycle"));
        assert_eq!(row["plan"]["status"], "missing", "{id}: {row}");
    }
}
