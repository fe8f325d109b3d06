//! Data-driven rule fixtures: `tests/rules/<group>-<name>.yaml`.
//!
//! Each case overlays files onto a copy of the compliant catalog in
//! `tests/fixtures/base/` (or the fixture's `base:`, checked against its own
//! `kdl.yaml` model or the fixture's `model:`), runs `kdl lint --format json --as-of DATE`, and
//! compares — exactly — the set of `(rule, file, line)` of every error and
//! warning, plus every diagnostic of the fixture's own rule, with `expect`.
//! So a case fails both when the rule misses the fault and when anything
//! else (a false alarm) fires.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

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
    /// The compliant catalog the cases start from (repository-relative;
    /// default `tests/fixtures/base`).
    #[serde(default)]
    base: Option<String>,
    /// A model file (repository-relative) replacing the one the base's
    /// `kdl.yaml` names.
    #[serde(default)]
    model: Option<String>,
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
    /// The finding's subject (the other entity it is about); compared only
    /// for findings whose expectation names one.
    #[serde(default)]
    subject: Option<String>,
}

fn read_yaml<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let node = kdl::load::yaml::parse(&text, kdl::load::Budget::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    serde_json::from_value(node.to_json()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Lays out a case's catalog in a temporary directory that mirrors the
/// repository (`<tmp>/<base>`, `<tmp>/tests/models/`), so that a base's
/// relative `model:` path resolves as it does in the repository. Returns
/// the directory and the catalog root.
fn lay_out(fixture: &Fixture) -> Result<(tempfile::TempDir, PathBuf), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let base = fixture.base.as_deref().unwrap_or("tests/fixtures/base");
    let cat = tmp.path().join(base);
    fs::create_dir_all(&cat).map_err(|e| e.to_string())?;
    copy_dir(&root().join(base), &cat);
    let models = tmp.path().join("tests/models");
    fs::create_dir_all(&models).map_err(|e| e.to_string())?;
    copy_dir(&root().join("tests/models"), &models);
    if let Some(model) = &fixture.model {
        let dest = tmp.path().join(model);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::copy(root().join(model), &dest).map_err(|e| format!("{model}: {e}"))?;
        let up = "../".repeat(Path::new(base).components().count());
        let config = cat.join("kdl.yaml");
        let text = fs::read_to_string(&config).map_err(|e| e.to_string())?;
        let text: Vec<String> = text
            .lines()
            .map(|l| {
                if l.starts_with("model:") {
                    format!("model: {up}{model}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        fs::write(&config, text.join("\n") + "\n").map_err(|e| e.to_string())?;
    }
    Ok((tmp, cat))
}

/// Runs one case; `Err` describes the mismatch.
fn run_case(fixture: &Fixture, case: &Case) -> Result<(), String> {
    let rule = fixture.rule.as_str();
    let (_tmp, root_dir) = lay_out(fixture)?;
    let dir = root_dir.as_path();
    for rel in &case.delete {
        fs::remove_file(dir.join(rel)).map_err(|e| format!("delete {rel}: {e}"))?;
    }
    for (rel, text) in &case.files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    let as_of = case.as_of.as_deref().unwrap_or(DEFAULT_AS_OF);
    let mut cmd = Command::cargo_bin("kdl").map_err(|e| e.to_string())?;
    cmd.arg("lint")
        .arg(dir)
        .args(["--format", "json", "--as-of", as_of])
        // The fixtures' models live beside the catalogs, in tests/models/.
        .arg("--allow-external-model")
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
        let mut e = Expect {
            rule: r.to_string(),
            file: d["file"].as_str().unwrap_or_default().to_string(),
            line: d["line"].as_u64().unwrap_or_default(),
            subject: d["subject"].as_str().map(str::to_string),
        };
        // A subject counts only where the expectation names one.
        let named = case.expect.iter().any(|x| {
            x.subject.is_some() && x.rule == e.rule && x.file == e.file && x.line == e.line
        });
        if !named {
            e.subject = None;
        }
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
            .map(|e| match &e.subject {
                Some(s) => format!("{} {}:{} ({s})", e.rule, e.file, e.line),
                None => format!("{} {}:{}", e.rule, e.file, e.line),
            })
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

/// All fixture files; `KDL_RULES_ONLY=engine-` narrows them to the files
/// whose name contains it (while working on one rule).
fn fixtures() -> Vec<(PathBuf, Fixture)> {
    let only = std::env::var("KDL_RULES_ONLY").unwrap_or_default();
    let mut paths: Vec<PathBuf> = fs::read_dir(root().join("tests/rules"))
        .expect("tests/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(only.as_str()))
        })
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

/// Every other base catalog a fixture names is compliant under its model.
#[test]
fn other_base_catalogs_are_compliant() {
    let mut bases: Vec<String> = fixtures().into_iter().filter_map(|(_, f)| f.base).collect();
    bases.sort();
    bases.dedup();
    for base in &bases {
        let out = Command::cargo_bin("kdl")
            .expect("binary")
            .arg("lint")
            .arg(root().join(base))
            .args(["--format", "json", "--as-of", DEFAULT_AS_OF])
            .arg("--allow-external-model")
            .output()
            .expect("run");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(
            json["diagnostics"].as_array().map(Vec::len),
            Some(0),
            "{base}: {json:#}"
        );
        assert_eq!(out.status.code(), Some(0), "{base}");
    }
}

#[test]
fn every_rule_fixture_case() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for (path, fixture) in fixtures() {
        for case in &fixture.cases {
            cases += 1;
            if let Err(e) = run_case(&fixture, case) {
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
        // The rule catalogue's own fixture file; other models' fixture
        // files for the same kind (`ef-roles-vacant.yaml`) come after it.
        let want = format!("{}.yaml", id.replace('/', "-"));
        let named = |p: &PathBuf| p.file_name().is_some_and(|n| n.to_string_lossy() == want);
        let Some((path, f)) = fixtures
            .iter()
            .find(|(p, f)| f.rule == id && named(p))
            .or_else(|| fixtures.iter().find(|(_, f)| f.rule == id))
        else {
            missing.push(format!("{id}: no fixture file"));
            continue;
        };
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
