//! The failing and the passing example of every generic rule kind's
//! `kdl explain` page are run: each becomes an instance of its kind in the
//! engine test model (`tests/models/engine.yaml`, the model the examples
//! are written for), with the `# params:` and `# applies-to:` of the
//! example's comment lines, and the example entity is laid over the
//! compliant engine catalog (`tests/fixtures/engine`) together with any
//! `# <file> has <key>: <value>` it names. The failing example must fire
//! the instance, the passing one must not.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fs;
use std::path::Path;

use common::{copy_dir, kdl, root};
use serde_json::Value;

/// The kinds whose examples are run (the generic kinds of model format 2).
const KINDS: &[&str] = &["require/record", "require/field", "unique/attribute"];

fn yaml(text: &str) -> Value {
    kdl::load::yaml::parse(text, kdl::load::Budget::default())
        .unwrap_or_else(|e| panic!("example is not YAML: {e:?}\n{text}"))
        .to_json()
}

/// An entity file as JSON (valid YAML): the catalog's file of that id
/// with the given keys laid over it, or a copy of `base` with them.
fn overlay(dir: &Path, rel: &str, base: &str, keys: &Value) {
    let path = dir.join(rel);
    let existing = fs::read_to_string(&path)
        .or_else(|_| fs::read_to_string(dir.join(base)))
        .expect("a base file");
    let mut doc = yaml(&existing);
    // The example says all there is of these; the base only fills in the
    // required fields the example leaves out (scope, lifecycle …).
    if let Some(m) = doc.as_object_mut() {
        for k in ["records", "attributes", "roles", "exceptions"] {
            m.remove(k);
        }
    }
    for (k, v) in keys.as_object().expect("a mapping") {
        doc[k] = v.clone();
    }
    fs::write(&path, serde_json::to_string_pretty(&doc).expect("json")).expect("write");
}

/// How many findings of the example's instance a run gives about the
/// example's entities.
fn fires(kind: &str, example: &str) -> usize {
    let mut params = "{}".to_string();
    let mut applies = "{}".to_string();
    let mut extra: Vec<(String, String, String)> = Vec::new();
    for line in example.lines().filter_map(|l| l.trim().strip_prefix("# ")) {
        if let Some(p) = line.strip_prefix("params: ") {
            params = p.to_string();
        } else if let Some(a) = line.strip_prefix("applies-to: ") {
            applies = a.to_string();
        } else if let Some((file, rest)) = line.split_once(" has ") {
            let (key, value) = rest.split_once(": ").expect("`key: value`");
            extra.push((file.to_string(), key.to_string(), value.to_string()));
        }
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    copy_dir(&root().join("tests/fixtures/engine"), dir);
    let model = fs::read_to_string(root().join("tests/models/engine.yaml")).expect("model");
    fs::write(
        dir.join("model.yaml"),
        format!(
            "{model}\n  ex/example:\n    kind: {kind}\n    severity: error\n    source: T §1\n    applies-to: {applies}\n    params: {params}\n"
        ),
    )
    .expect("model");
    let config = fs::read_to_string(dir.join("kdl.yaml")).expect("kdl.yaml");
    fs::write(
        dir.join("kdl.yaml"),
        config.replace("model: ../../models/engine.yaml", "model: ./model.yaml"),
    )
    .expect("kdl.yaml");
    for (file, key, value) in &extra {
        let id = Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        let keys = serde_json::json!({ "id": id, key.as_str(): yaml(value) });
        overlay(dir, file, "system/ekonomi.yaml", &keys);
    }
    let entity = yaml(example);
    let folder = match entity["kind"].as_str() {
        Some("system") => "system",
        Some("namnd") => "namnder",
        Some("person") => "personer",
        Some("avtal") => "avtal",
        other => panic!("example of kind {other:?}"),
    };
    let id = entity["id"].as_str().expect("id");
    overlay(
        dir,
        &format!("{folder}/{id}.yaml"),
        "system/ekonomi.yaml",
        &entity,
    );
    let out = kdl()
        .arg("lint")
        .arg(dir)
        .args(["--format", "json", "--as-of", "2026-11-23"])
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    assert!(
        !diags.iter().any(|d| d["rule"] == "config/invalid"),
        "{kind}: the example's parameters are invalid: {json:#}"
    );
    // Only findings about the example's entities: the instance also
    // checks the rest of the catalog, which the example says nothing of.
    let mut ids = vec![id.to_string()];
    ids.extend(extra.iter().filter_map(|(file, _, _)| {
        Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .map(String::from)
    }));
    diags
        .iter()
        .filter(|d| d["rule"] == "ex/example")
        .filter(|d| {
            d["entity"]
                .as_str()
                .is_some_and(|e| ids.iter().any(|i| i == e))
        })
        .count()
}

#[test]
fn every_failing_example_fires_and_every_passing_one_does_not() {
    let mut problems = Vec::new();
    for kind in KINDS {
        let doc = kdl::check::explain::get(kind).expect("explain page");
        let failing = fires(kind, &doc.fail);
        let passing = fires(kind, &doc.pass);
        if failing == 0 {
            problems.push(format!("{kind}: the failing example does not fire"));
        }
        if passing != 0 {
            problems.push(format!(
                "{kind}: the passing example fires {passing} time(s)"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
