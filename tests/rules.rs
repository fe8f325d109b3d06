//! Data-driven rule fixtures: `tests/rules/<group>-<name>.yaml`.
//!
//! Each case overlays files onto a copy of the compliant catalog in
//! `tests/fixtures/base/`, runs `kdl lint --format json --as-of DATE`, and
//! compares — exactly — the set of `(rule, file, line)` of every error and
//! warning, plus every diagnostic of the fixture's own rule, with `expect`.
//! So a case fails both when the rule misses the fault and when anything
//! else (a false alarm) fires.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde::Deserialize;

mod common;
use common::{copy_dir, root};

const DEFAULT_AS_OF: &str = "2026-11-23";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    rule: String,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Case {
    name: String,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    no_exceptions: bool,
    #[serde(default)]
    files: indexmap::IndexMap<String, String>,
    #[serde(default)]
    delete: Vec<String>,
    expect: Vec<Expect>,
}

#[derive(Debug, Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Expect {
    rule: String,
    file: String,
    line: u64,
}

fn read_yaml<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let node = kdl::load::yaml::parse(&text, kdl::load::Budget::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    serde_json::from_value(node.to_json()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs one case; `Err` describes the mismatch.
fn run_case(rule: &str, case: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    for rel in &case.delete {
        fs::remove_file(dir.path().join(rel)).map_err(|e| format!("delete {rel}: {e}"))?;
    }
    for (rel, text) in &case.files {
        let path = dir.path().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    let as_of = case.as_of.as_deref().unwrap_or(DEFAULT_AS_OF);
    let mut cmd = Command::cargo_bin("kdl").map_err(|e| e.to_string())?;
    cmd.arg("lint")
        .arg(dir.path())
        .args(["--format", "json", "--as-of", as_of])
        .env("LANG", "sv_SE.UTF-8");
    if case.no_exceptions {
        cmd.arg("--no-exceptions");
    }
    let out = cmd.output().map_err(|e| e.to_string())?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "not JSON ({e}); exit {:?}; stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let mut actual = BTreeSet::new();
    let mut messages = Vec::new();
    for d in json["diagnostics"].as_array().into_iter().flatten() {
        let r = d["rule"].as_str().unwrap_or_default();
        let sev = d["severity"].as_str().unwrap_or_default();
        if sev == "info" && r != rule {
            continue;
        }
        let e = Expect {
            rule: r.to_string(),
            file: d["file"].as_str().unwrap_or_default().to_string(),
            line: d["line"].as_u64().unwrap_or_default(),
        };
        messages.push(format!(
            "    {} {}:{} {}",
            e.rule,
            e.file,
            e.line,
            d["message"].as_str().unwrap_or_default()
        ));
        actual.insert(e);
    }
    let expected: BTreeSet<Expect> = case.expect.iter().cloned().collect();
    if actual == expected {
        // The exit code agrees with the findings: 2 when the run itself
        // failed (a broken kdl.yaml or unknown model), else 1 on errors.
        let failing = json["summary"]["errors"].as_u64().unwrap_or(0) > 0;
        let broken_config = actual.iter().any(|e| e.rule == "config/invalid");
        let code = out.status.code();
        let ok = match code {
            Some(2) => broken_config,
            Some(c) => c == i32::from(failing),
            None => false,
        };
        if !ok {
            return Err(format!("exit code {code:?} but errors: {failing}"));
        }
        return Ok(());
    }
    let fmt = |set: &BTreeSet<Expect>| {
        set.iter()
            .map(|e| format!("{} {}:{}", e.rule, e.file, e.line))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(format!(
        "expected [{}]\n  actual   [{}]\n{}",
        fmt(&expected),
        fmt(&actual),
        messages.join("\n")
    ))
}

fn fixtures() -> Vec<(PathBuf, Fixture)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(root().join("tests/rules"))
        .expect("tests/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let f = read_yaml(&p);
            (p, f)
        })
        .collect()
}

#[test]
fn base_fixture_catalog_is_compliant() {
    let out = Command::cargo_bin("kdl")
        .expect("binary")
        .arg("lint")
        .arg(root().join("tests/fixtures/base"))
        .args(["--format", "json", "--as-of", DEFAULT_AS_OF])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["diagnostics"].as_array().map(Vec::len),
        Some(0),
        "{json:#}"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn every_rule_fixture_case() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (path, fixture) in fixtures() {
        for case in &fixture.cases {
            cases += 1;
            if let Err(e) = run_case(&fixture.rule, case) {
                failures.push(format!(
                    "{} — {}:\n  {e}",
                    path.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                    case.name
                ));
            }
        }
    }
    assert!(cases > 0, "no fixture cases found");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every rule of the rule catalogue has a fixture file named after it, with
/// at least one case where it fires and one where it does not.
#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    let ids = fs::read_to_string(root().join("tests/data/rules-spec-ids.txt")).expect("ids");
    let fixtures = fixtures();
    let mut missing = Vec::new();
    for id in ids.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((path, f)) = fixtures.iter().find(|(_, f)| f.rule == id) else {
            missing.push(format!("{id}: no fixture file"));
            continue;
        };
        let want = format!("{}.yaml", id.replace('/', "-"));
        if path.file_name().is_none_or(|n| n.to_string_lossy() != want) {
            missing.push(format!("{id}: fixture should be tests/rules/{want}"));
        }
        let fails = f
            .cases
            .iter()
            .any(|c| c.expect.iter().any(|e| e.rule == id));
        let passes = f
            .cases
            .iter()
            .any(|c| c.expect.iter().all(|e| e.rule != id));
        if !fails {
            missing.push(format!("{id}: no case where it fires"));
        }
        if !passes {
            missing.push(format!("{id}: no case where it stays silent"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
