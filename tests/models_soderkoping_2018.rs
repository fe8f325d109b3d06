//! The built-in model `soderkoping-2018` (Söderköping, *Riktlinje verksamhetssystem socialförvaltningen*, seed 001) on its demo catalog
//! `examples/soderkoping-2018/`: exactly the deliberate violations its README lists,
//! `kdl explain` quoting every instance, and `kdl report`, `kdl list`,
//! `kdl schema` working on it.

use std::fs;
use std::path::PathBuf;

mod common;
use common::{kdl, root};

const AS_OF: &str = "2026-11-23";
const MODEL: &str = "soderkoping-2018";

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

const MIN_INSTANCES: usize = 20;
const CATEGORIES: &[&str] = &[
    "forvaltningsgemensamt-system",
    "verksamhetsspecifikt-system",
];

/// The deliberate violations of `examples/soderkoping-2018/README.md`.
fn expected() -> Vec<Finding> {
    vec![
        f(
            "soc/forvaltningsplan",
            "system/tes.yaml",
            line("system/tes.yaml", "- type: forvaltningsplan", 1),
            None,
        ),
        f(
            "soc/arlig-kontroll",
            "system/nyckelhantering.yaml",
            line("system/nyckelhantering.yaml", "records:", 1),
            None,
        ),
        f(
            "soc/systemadministrator-utses",
            "system/mobil-dokumentation.yaml",
            line(
                "system/mobil-dokumentation.yaml",
                "appointed-by: lina-berg",
                1,
            ),
            None,
        ),
        f(
            "soc/kontakt-verksamhetsutvecklare",
            "system/digitalt-stod-ifo.yaml",
            line("system/digitalt-stod-ifo.yaml", "records:", 1),
            None,
        ),
        f(
            "soc/avveckling",
            "system/procapita.yaml",
            line("system/procapita.yaml", "records:", 1),
            None,
        ),
    ]
}
