//! The built-in model `e-forvaltning-riktlinje` (*Riktlinje för e-förvaltningsutveckling*, seed 002) on its demo catalog
//! `examples/e-forvaltning-riktlinje/`: exactly the deliberate violations its README lists,
//! `kdl explain` quoting every instance, and `kdl report`, `kdl list`,
//! `kdl schema` working on it.

use std::fs;
use std::path::PathBuf;

mod common;
use common::{kdl, root};

const AS_OF: &str = "2026-11-23";
const MODEL: &str = "e-forvaltning-riktlinje";

fn example() -> PathBuf {
    root().join("examples").join(MODEL)
}

/// 1-based line of the `nth` (1-based) line of `rel` containing `needle`.
fn line(rel: &str, needle: &str, nth: usize) -> u64 {
    let text = fs::read_to_string(example().join(rel)).expect("read");
    let i = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .nth(nth - 1)
        .unwrap_or_else(|| panic!("`{needle}` not in {rel}"))
        .0;
    i as u64 + 1
}

type Finding = (String, String, u64, Option<String>);

fn lint() -> (Option<i32>, serde_json::Value) {
    let out = kdl()
        .arg("lint")
        .arg(example())
        .args(["--format", "json", "--as-of", AS_OF])
        .output()
        .expect("run");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

fn findings(json: &serde_json::Value) -> Vec<Finding> {
    let mut v: Vec<Finding> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["subject"].as_str().map(str::to_string),
            )
        })
        .collect();
    v.sort();
    v
}

fn f(rule: &str, file: &str, line: u64, subject: Option<&str>) -> Finding {
    (
        rule.to_string(),
        file.to_string(),
        line,
        subject.map(str::to_string),
    )
}

/// The model's instances with their quotes, read from the model file.
fn instances() -> Vec<(String, String)> {
    let text =
        fs::read_to_string(root().join("rules").join(format!("{MODEL}.yaml"))).expect("model");
    let node = kdl::load::yaml::parse(&text, kdl::load::Budget::default()).expect("yaml");
    let json = node.to_json();
    json["rules"]
        .as_object()
        .expect("rules")
        .iter()
        .map(|(id, r)| {
            (
                id.clone(),
                r["quote"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn demo_catalog_has_exactly_the_deliberate_violations() {
    let (code, json) = lint();
    assert_eq!(json["model"], MODEL);
    let mut expect = expected();
    expect.sort();
    assert_eq!(findings(&json), expect, "{json:#}");
    assert_eq!(code, Some(1), "errors fail the run");
}

#[test]
fn explain_quotes_every_instance() {
    let all = instances();
    assert!(all.len() >= MIN_INSTANCES, "{}", all.len());
    for (id, quote) in all {
        assert!(!quote.is_empty(), "{id} has no quote");
        let out = kdl()
            .args(["explain", &id])
            .current_dir(example())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0), "kdl explain {id}");
        let text = String::from_utf8_lossy(&out.stdout);
        // Compare with whitespace folded: the quote may be wrapped.
        let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let first = quote.split("[…]").next().unwrap_or_default();
        assert!(
            fold(&text).contains(&fold(first)),
            "kdl explain {id} does not quote {first:?}:\n{text}"
        );
    }
}

#[test]
fn report_list_and_schema_work_on_the_demo_catalog() {
    let out = kdl()
        .arg("report")
        .arg(example())
        .args(["--format", "json", "--as-of", AS_OF])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report json");
    assert!(json.is_object(), "{json:#}");

    let out = kdl()
        .arg("list")
        .arg(example())
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("list json");
    let systems = fs::read_dir(example().join("system"))
        .expect("system")
        .count();
    assert_eq!(list.as_array().map(Vec::len), Some(systems), "{list:#}");

    let out = kdl()
        .arg("schema")
        .current_dir(example())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for word in CATEGORIES {
        assert!(text.contains(word), "schema lacks category {word}");
    }
}

const MIN_INSTANCES: usize = 19;
const CATEGORIES: &[&str] = &["kommungemensamt", "verksamhetsinriktat"];

/// The deliberate violations of `examples/e-forvaltning-riktlinje/README.md`.
fn expected() -> Vec<Finding> {
    let bef = "system/befolkningsregister.yaml";
    vec![
        f(
            "ef/ett-per-funktion",
            "system/stratsys.yaml",
            line("system/stratsys.yaml", "funktion:", 1),
            None,
        ),
        f(
            "ef/listade-kommungemensamma",
            "system/gis.yaml",
            line("system/gis.yaml", "category:", 1),
            None,
        ),
        f(
            "ef/hela-organisationen",
            bef,
            line(bef, "used-by:", 1),
            Some("barn-och-utbildningsnamnden"),
        ),
        f(
            "ef/hela-organisationen",
            bef,
            line(bef, "used-by:", 1),
            Some("samhallsbyggnadsnamnden"),
        ),
        f(
            "ef/egen-finansiering",
            "system/treserva.yaml",
            line("system/treserva.yaml", "systemagare:", 1),
            None,
        ),
        f(
            "ef/delfinansiering",
            "system/e-tjanst-bygglov.yaml",
            line("system/e-tjanst-bygglov.yaml", "category:", 1),
            None,
        ),
        f(
            "ef/forankring",
            "system/e-arkiv.yaml",
            line("system/e-arkiv.yaml", "date: 2026-03-17", 1),
            None,
        ),
        f(
            "ef/mote-med-bolag",
            "namnder/norrbyhem.yaml",
            line("namnder/norrbyhem.yaml", "records:", 1),
            None,
        ),
        f(
            "ef/uppdragsplan",
            "namnder/samhallsbyggnadsnamnden.yaml",
            line("namnder/samhallsbyggnadsnamnden.yaml", "records:", 1),
            None,
        ),
    ]
}
