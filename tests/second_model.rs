//! A second municipality needs a model file, not code.
//!
//! - `tests/models/tvastad.yaml`: a fictional model (other categories, role
//!   names, titles, organisation part, a subset of the rules with other
//!   parameters), used by `tests/fixtures/tvastad/` through a path in
//!   `kdl.yaml`;
//! - `rules/soderkoping-2018.yaml`: a built-in model from a real guideline
//!   (seed 001), used by `tests/fixtures/soderkoping/` by id;
//! - a broken model file is `config/invalid` with its position, exit 2.

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

/// The format rules, listed by `kdl rules` for every model.
const FORMAT_RULES: &[&str] = &[
    "parse/syntax",
    "schema/invalid",
    "ref/unknown",
    "id/duplicate",
    "id/file-name",
    "config/invalid",
];

/// `kdl lint DIR --format json --as-of AS_OF`: exit code and JSON.
fn lint_json(dir: &Path) -> (Option<i32>, serde_json::Value) {
    let out = kdl()
        .arg("lint")
        .arg(dir)
        .args(["--format", "json", "--as-of", AS_OF])
        // The fixtures keep their model files beside the catalogs.
        .arg("--allow-external-model")
        .output()
        .expect("run");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

/// (rule, file, line) of every diagnostic, sorted.
fn found(json: &serde_json::Value) -> Vec<(String, String, u64)> {
    let mut v: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

fn owned(expect: &[(&str, &str, u64)]) -> Vec<(String, String, u64)> {
    let mut v: Vec<_> = expect
        .iter()
        .map(|(r, f, l)| (r.to_string(), f.to_string(), *l))
        .collect();
    v.sort();
    v
}

/// `kdl rules --format json` run in `dir`: the rule ids, in order.
fn rule_ids(dir: &Path) -> Vec<String> {
    let out = kdl()
        .args(["rules", "--format", "json", "--allow-external-model"])
        .current_dir(dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json.as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in text"))
        + 1
}

#[test]
fn tvastad_catalog_is_checked_against_its_own_model_file() {
    let (code, json) = lint_json(&root().join("tests/fixtures/tvastad"));
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(json["model"], "tvastad-2025");
    let expect = owned(&[
        // A grundavtal ending within the model's 90 days (Kungsbacka: 180).
        (
            "contract/expiring",
            "avtal/ekonomisystem-grundavtal.yaml",
            9,
        ),
        // bokningstjanst (stodsystem, i-drift)
        ("infosec/classification", "system/bokningstjanst.yaml", 7),
        ("docs/grundavtal", "system/bokningstjanst.yaml", 9),
        ("roles/mandatory", "system/bokningstjanst.yaml", 15),
        ("roles/owner-title", "system/bokningstjanst.yaml", 16),
        ("roles/digitalt-center", "system/bokningstjanst.yaml", 17),
        ("roles/not-applicable", "system/bokningstjanst.yaml", 18),
        // ekonomisystem: Kungsbacka's `agare` is no role of this model.
        ("roles/mandatory", "system/ekonomisystem.yaml", 14),
        ("ref/unknown", "system/ekonomisystem.yaml", 15),
        (
            "infosec/classification-age",
            "system/ekonomisystem.yaml",
            19,
        ),
        ("plan/approver", "system/ekonomisystem.yaml", 23),
        // lonesystem (inforande): roles yes; avtal, plan, classification not yet.
        ("roles/mandatory", "system/lonesystem.yaml", 14),
        ("roles/cardinality", "system/lonesystem.yaml", 15),
    ]);
    assert_eq!(found(&json), expect);
    let unknown = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "ref/unknown")
        .expect("ref/unknown");
    assert!(
        unknown["message"]
            .as_str()
            .unwrap_or_default()
            .contains("agare"),
        "{unknown:#}"
    );
    assert_eq!(json["summary"]["errors"], 10);
    assert_eq!(json["summary"]["warnings"], 3);
}

#[test]
fn kdl_rules_in_a_catalog_lists_only_its_models_rules() {
    let ids = rule_ids(&root().join("tests/fixtures/tvastad"));
    let mut expect: Vec<String> = FORMAT_RULES.iter().map(|s| s.to_string()).collect();
    expect.extend(
        [
            "roles/mandatory",
            "roles/not-applicable",
            "roles/cardinality",
            "roles/owner-title",
            "roles/digitalt-center",
            "docs/grundavtal",
            "contract/expiring",
            "plan/missing",
            "plan/approver",
            "infosec/classification",
            "infosec/classification-age",
        ]
        .map(String::from),
    );
    assert_eq!(ids, expect);

    let ids = rule_ids(&root().join("tests/fixtures/soderkoping"));
    let mut expect: Vec<String> = FORMAT_RULES.iter().map(|s| s.to_string()).collect();
    expect.extend(
        [
            "roles/mandatory",
            "roles/vacant",
            "roles/cardinality",
            "soc/systemagare",
            "soc/systemagaransvar",
            "soc/forvaltningsplan",
            "soc/kontrolltider",
            "soc/arlig-kontroll",
            "infosec/classification",
            "soc/klassa-fore-upphandling",
            "soc/nytt-system-godkant",
            "soc/projektplan",
            "soc/kontakt-verksamhetsutvecklare",
            "soc/avveckling",
            "soc/utvecklingsplan",
            "soc/rutiner-informationssakerhet",
            "soc/tillsatts-av-forvaltningschef",
            "soc/systemadministrator-utses",
            "soc/forvaltas-i-verksamheten",
            "soc/pilot",
        ]
        .map(String::from),
    );
    assert_eq!(ids, expect);
}

/// Writes `model` next to a one-file catalog that names it by path, lints
/// the catalog, and returns the `config/invalid` message at `model:`.
fn lint_with_model(model: &str) -> String {
    let dir = tempfile::tempdir().expect("tmp");
    fs::write(dir.path().join("model.yaml"), model).expect("write");
    let cat = dir.path().join("katalog");
    fs::create_dir_all(&cat).expect("mkdir");
    fs::write(
        cat.join("kdl.yaml"),
        "municipality: Tvåstad kommun\nmodel: ../model.yaml\norganisation: {}\n",
    )
    .expect("write");
    let (code, json) = lint_json(&cat);
    assert_eq!(code, Some(2), "a broken model breaks the run: {json:#}");
    let d = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "config/invalid" && d["path"] == "model")
        .unwrap_or_else(|| panic!("no config/invalid at model: {json:#}"))
        .clone();
    assert_eq!(d["file"], "kdl.yaml");
    assert_eq!(d["line"], 2, "at the `model:` value");
    assert_eq!(d["severity"], "error");
    d["message"].as_str().unwrap_or_default().to_string()
}

#[test]
fn broken_model_file_is_config_invalid_at_a_position() {
    let good = fs::read_to_string(root().join("tests/models/tvastad.yaml")).expect("model");

    // An unknown key (deny_unknown_fields), reported at that key.
    let unknown_key = good.replacen(
        "  superanvandare: {label: Superanvändare, label-en: Super user}",
        "  superanvandare: {label: Superanvändare, label-en: Super user, colour: blue}",
        1,
    );
    assert_ne!(unknown_key, good);
    let line = line_of(&unknown_key, "colour: blue");
    let msg = lint_with_model(&unknown_key);
    assert!(msg.contains("colour"), "{msg}");
    assert!(msg.contains(&format!("({line}:")), "line {line}: {msg}");

    // A category naming a role the model does not define.
    let unknown_role = good.replacen(
        "      systemansvarig: {from: i-drift}",
        "      agare: {from: i-drift}",
        1,
    );
    assert_ne!(unknown_role, good);
    let line = line_of(&unknown_role, "agare: {from: i-drift}");
    let msg = lint_with_model(&unknown_role);
    assert!(msg.contains("okänd roll `agare`"), "{msg}");
    assert!(msg.contains(&format!("({line}:")), "line {line}: {msg}");

    // A rule kdl does not know.
    let unknown_rule = good.replacen("  plan/approver:", "  plan/approved:", 1);
    assert_ne!(unknown_rule, good);
    let line = line_of(&unknown_rule, "plan/approved:");
    let msg = lint_with_model(&unknown_rule);
    assert!(msg.contains("okänd regeltyp `plan/approved`"), "{msg}");
    assert!(msg.contains("menade du `plan/approver`?"), "{msg}");
    assert!(msg.contains(&format!("({line}:")), "line {line}: {msg}");
}

#[test]
fn soderkoping_builtin_model_catalog_is_clean() {
    let (code, json) = lint_json(&root().join("tests/fixtures/soderkoping"));
    assert_eq!(json["model"], "soderkoping-2018");
    assert_eq!(found(&json), Vec::new(), "{json:#}");
    assert_eq!(code, Some(0));
}

#[test]
fn soderkoping_system_of_one_unit_needs_a_systemadministrator() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/soderkoping"), dir.path());
    let file = dir.path().join("system/nyckelhantering.yaml");
    let text = fs::read_to_string(&file).expect("read");
    let broken = text.replacen(
        "  systemadministrator:\n    - {holder: omar-said, appointed-by: eva-lind, appointed-on: 2021-09-01}\n",
        "",
        1,
    );
    assert_ne!(broken, text);
    fs::write(&file, &broken).expect("write");

    let (code, json) = lint_json(dir.path());
    assert_eq!(code, Some(1));
    let roles_line = line_of(&broken, "roles:") as u64;
    assert_eq!(
        found(&json),
        owned(&[("roles/mandatory", "system/nyckelhantering.yaml", roles_line)])
    );
    let d = &json["diagnostics"][0];
    assert_eq!(d["path"], "roles.systemadministrator");
    assert!(
        d["source"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Riktlinje verksamhetssystem socialförvaltningen (Söderköpings kommun)"),
        "{d:#}"
    );
}

/// A `kdl.yaml` setting for a rule the model does not have is reported (it
/// would silently do nothing), and a model file inside the catalog is not
/// walked as an entity.
#[test]
fn settings_for_rules_outside_the_model_and_a_model_inside_the_catalog() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/tvastad"), dir.path());
    fs::copy(
        root().join("tests/models/tvastad.yaml"),
        dir.path().join("modell.yaml"),
    )
    .expect("copy model");
    let config = fs::read_to_string(dir.path().join("kdl.yaml")).expect("read");
    let config = config.replace("model: ../../models/tvastad.yaml", "model: ./modell.yaml")
        + "rules:\n  pub/missing: warning\n  roles/mandatory: error\n";
    fs::write(dir.path().join("kdl.yaml"), &config).expect("write");
    let (_, json) = lint_json(dir.path());
    let diags = found(&json);
    assert!(
        diags.contains(&(
            "config/invalid".to_string(),
            "kdl.yaml".to_string(),
            line_of(&config, "pub/missing") as u64
        )),
        "{diags:#?}"
    );
    assert!(
        !diags.iter().any(|(_, f, _)| f == "modell.yaml"),
        "{diags:#?}"
    );
    // roles/mandatory is in the model: no complaint about that setting.
    assert_eq!(
        diags
            .iter()
            .filter(|(r, f, _)| r == "config/invalid" && f == "kdl.yaml")
            .count(),
        1
    );
}

/// Söderköping in format 2: the systemägare is a mandatory nämnd that uses
/// the system (reported as systemägare, not informationsägare); the
/// general "systemförvaltare eller systemadministratör"; KLASSA before
/// procurement for förvaltningsövergripande systems; the delegation of the
/// systemägaransvar.
#[test]
fn soderkoping_format_2_says_what_format_1_could_not() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/soderkoping"), dir.path());
    let edit = |rel: &str, from: &str, to: &str| {
        let p = dir.path().join(rel);
        let text = fs::read_to_string(&p).expect("read");
        let new = text.replacen(from, to, 1);
        assert_ne!(new, text, "{rel}: {from:?}");
        fs::write(&p, new).expect("write");
    };
    // A central system with a systemadministratör instead of a
    // systemförvaltare meets the general rule.
    edit(
        "system/treserva.yaml",
        "  systemforvaltare:\n    - {holder: lina-berg, appointed-by: asa-wall, appointed-on: 2019-01-15}\n",
        "  systemadministrator:\n    - {holder: lina-berg, appointed-by: eva-lind, appointed-on: 2019-01-15}\n",
    );
    // A systemägare that is a person, and one that does not use the system.
    edit(
        "system/tes.yaml",
        "  systemagare: socialnamnden\n",
        "  systemagare: jens-orn\n",
    );
    edit(
        "system/lok.yaml",
        "  systemagare: socialnamnden\n",
        "  systemagare: kommunstyrelsen\n",
    );
    // No systemägare at all, and a central system in procurement without KLASSA.
    fs::write(
        dir.path().join("system/nytt-system.yaml"),
        "kind: system\nid: nytt-system\nname: Nytt system\ncategory: forvaltningsgemensamt-system\nscope: forvaltningsspecifik\nused-by: [socialnamnden]\nlifecycle:\n  status: upphandling\n  since: 2026-10-01\n",
    )
    .expect("write");
    // The nämnd's delegation missing.
    let p = dir.path().join("namnder/socialnamnden.yaml");
    let text = fs::read_to_string(&p).expect("read");
    let cut = text.find("delegations:").expect("delegations");
    let end = text.find("records:").expect("records");
    fs::write(&p, format!("{}{}", &text[..cut], &text[end..])).expect("write");

    let (_, json) = lint_json(dir.path());
    let f = found(&json);
    let tes = fs::read_to_string(dir.path().join("system/tes.yaml")).expect("tes");
    let lok = fs::read_to_string(dir.path().join("system/lok.yaml")).expect("lok");
    let expect = owned(&[
        ("roles/mandatory", "system/nytt-system.yaml", 4),
        ("soc/klassa-fore-upphandling", "system/nytt-system.yaml", 2),
        (
            "soc/systemagare",
            "system/tes.yaml",
            line_of(&tes, "systemagare:") as u64,
        ),
        (
            "soc/systemagare",
            "system/lok.yaml",
            line_of(&lok, "systemagare:") as u64,
        ),
        ("soc/systemagaransvar", "namnder/socialnamnden.yaml", 2),
        // The complete model: the new system's approval and project plan
        // are missing, and lok's approval did not consult its (new)
        // systemägare.
        ("soc/nytt-system-godkant", "system/lok.yaml", 30),
        ("soc/nytt-system-godkant", "system/nytt-system.yaml", 8),
        ("soc/projektplan", "system/nytt-system.yaml", 8),
    ]);
    assert_eq!(f, expect, "{json:#}");
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Systemägare") && m.contains("ingen nämnd")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("nformationsägare")),
        "{messages:?}"
    );
}
