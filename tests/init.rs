//! `kdl init [DIR]`: a new catalog that lints clean, for every built-in
//! model; never overwrites (a second run refuses and changes nothing);
//! editor settings that point at schemas it wrote; CI files on request.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

mod common;
use common::kdl;

/// Every file under `dir` with its content.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn lint_json(dir: &Path, as_of: &str) -> (Option<i32>, serde_json::Value) {
    let out = kdl()
        .args(["lint", "--format", "json", "--as-of", as_of])
        .current_dir(dir)
        .output()
        .expect("run");
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).expect("json"),
    )
}

#[test]
fn init_then_lint_exits_0_for_every_built_in_model() {
    for model in ["kungsbacka-2023.1", "soderkoping-2018"] {
        let dir = tempfile::tempdir().expect("tmp");
        let cat = dir.path().join("katalog");
        kdl()
            .args(["init", "--model", model])
            .arg(&cat)
            .assert()
            .code(0);
        for f in [
            "kdl.yaml",
            "namnder/kommunstyrelsen.yaml",
            "personer/anna-exempel.yaml",
            "system/exempelsystem.yaml",
            ".vscode/settings.json",
            "schemas/system.schema.json",
        ] {
            assert!(cat.join(f).is_file(), "{model}: {f} written");
        }
        for d in ["namnder", "personer", "system", "avtal", "behandlingar"] {
            assert!(cat.join(d).is_dir(), "{model}: {d}/");
        }
        let config = fs::read_to_string(cat.join("kdl.yaml")).expect("kdl.yaml");
        assert!(config.contains(&format!("model: {model}")), "{config}");
        assert!(config.contains("\n# "), "commented: {config}");
        // Clean today (found upward from the catalog, as a user runs it) and
        // for years to come: the examples do not rot.
        kdl().arg("lint").current_dir(&cat).assert().code(0);
        for as_of in ["2025-06-01", "2027-12-31", "2035-01-01"] {
            let (code, json) = lint_json(&cat, as_of);
            assert_eq!(code, Some(0), "{model} {as_of}: {json:#}");
            assert_eq!(
                json["diagnostics"].as_array().map(Vec::len),
                Some(0),
                "{model} {as_of}: {json:#}"
            );
            assert_eq!(json["summary"]["entities"], 3);
        }
    }
}

#[test]
fn a_second_init_refuses_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    kdl().arg("init").arg(dir.path()).assert().code(0);
    // The user edits the configuration; a second init must keep it.
    let config = dir.path().join("kdl.yaml");
    let edited = fs::read_to_string(&config).expect("read") + "exclude: [utkast/**]\n";
    fs::write(&config, &edited).expect("write");
    let before = tree(dir.path());
    let out = kdl().arg("init").arg(dir.path()).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vägrar skriva över"), "{err}");
    assert!(err.contains("kdl.yaml"), "{err}");
    assert_eq!(tree(dir.path()), before, "nothing changed");
}

#[test]
fn one_existing_file_stops_every_write() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(dir.path().join("system")).expect("mkdir");
    fs::write(dir.path().join("system/exempelsystem.yaml"), "mitt eget\n").expect("write");
    kdl()
        .args(["init", "--lang", "en"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("Nothing was written"));
    assert!(!dir.path().join("kdl.yaml").exists());
    assert_eq!(
        fs::read_to_string(dir.path().join("system/exempelsystem.yaml")).expect("read"),
        "mitt eget\n"
    );
}

#[test]
fn editor_settings_map_every_schema_it_wrote() {
    let dir = tempfile::tempdir().expect("tmp");
    kdl()
        .args(["init", "--municipality", "Tvåstad kommun"])
        .arg(dir.path())
        .assert()
        .code(0);
    let settings: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(dir.path().join(".vscode/settings.json")).expect("settings"),
    )
    .expect("valid JSON");
    let map = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    assert_eq!(map.len(), 6, "{map:#?}");
    for (schema, globs) in map {
        let path = dir.path().join(schema.trim_start_matches("./"));
        let text = fs::read_to_string(&path).unwrap_or_else(|_| panic!("{schema} written"));
        serde_json::from_str::<serde_json::Value>(&text).expect("schema is JSON");
        assert!(globs.as_array().is_some_and(|g| !g.is_empty()), "{schema}");
    }
    let config = fs::read_to_string(dir.path().join("kdl.yaml")).expect("kdl.yaml");
    assert!(config.contains("municipality: Tvåstad kommun"), "{config}");
}

#[test]
fn ci_files_on_request_only() {
    let none = tempfile::tempdir().expect("tmp");
    kdl().arg("init").arg(none.path()).assert().code(0);
    assert!(!none.path().join(".github").exists());
    assert!(!none.path().join(".gitlab-ci.yml").exists());

    let gh = tempfile::tempdir().expect("tmp");
    kdl()
        .args(["init", "--ci", "github"])
        .arg(gh.path())
        .assert()
        .code(0);
    let wf = fs::read_to_string(gh.path().join(".github/workflows/kdl.yml")).expect("workflow");
    assert!(wf.contains("kdl lint --format github"), "{wf}");
    assert!(
        !wf.contains("kdl lint catalog"),
        "the catalog is the repository root"
    );

    let gl = tempfile::tempdir().expect("tmp");
    kdl()
        .args(["init", "--ci", "gitlab"])
        .arg(gl.path())
        .assert()
        .code(0);
    let ci = fs::read_to_string(gl.path().join(".gitlab-ci.yml")).expect("gitlab ci");
    assert!(
        ci.contains("--output gitlab=gl-code-quality-report.json"),
        "{ci}"
    );
}

#[test]
fn unknown_model_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    kdl()
        .args(["init", "--model", "kungsbaka-2023.1"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(!dir.path().join("kdl.yaml").exists());
}

#[test]
fn no_catalog_inside_another() {
    let dir = tempfile::tempdir().expect("tmp");
    kdl().arg("init").arg(dir.path()).assert().code(0);
    let before = tree(dir.path());
    for inner in ["system", "ny/katalog"] {
        kdl()
            .arg("init")
            .arg(dir.path().join(inner))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("ligger inne i katalogen"));
    }
    assert_eq!(tree(dir.path()), before, "nothing changed");
    assert!(!dir.path().join("ny").exists());
}
