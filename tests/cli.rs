//! `kdl lint` end to end: the bundled catalog in every language and human
//! or JSON form (snapshots), exit codes, and bad input — every broken file
//! gets exactly one diagnostic at its position while the rest is checked.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::Path;

use predicates::prelude::*;

mod common;
use common::{copy_dir, kdl, root};

const AS_OF: &str = "2026-11-23";

/// The summary line ends with the elapsed time, which varies.
fn redact_ms(s: &str) -> String {
    s.lines()
        .map(|l| {
            let words: Vec<&str> = l.split(' ').collect();
            words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let next = words.get(i + 1).copied().unwrap_or_default();
                    let number = !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
                    if number && next.trim_end_matches(';') == "ms" {
                        "<ms>"
                    } else {
                        w
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn bundled_catalog_human_swedish() {
    let out = kdl()
        .args(["lint", "catalog", "--as-of", AS_OF])
        .current_dir(root())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "the demo catalog has errors");
    insta::assert_snapshot!(
        "lint_catalog_human_sv",
        redact_ms(&String::from_utf8_lossy(&out.stdout))
    );
}

#[test]
fn bundled_catalog_human_english() {
    let out = kdl()
        .args(["lint", "catalog", "--as-of", AS_OF, "--lang", "en"])
        .current_dir(root())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(
        "lint_catalog_human_en",
        redact_ms(&String::from_utf8_lossy(&out.stdout))
    );
}

#[test]
fn bundled_catalog_json_is_stable_and_documented_shape() {
    let run = || {
        kdl()
            .args(["lint", "catalog", "--as-of", AS_OF, "--format", "json"])
            .current_dir(root())
            .output()
            .expect("run")
    };
    let a = run();
    let b = run();
    assert_eq!(a.stdout, b.stdout, "byte-identical across runs");
    let json: serde_json::Value = serde_json::from_slice(&a.stdout).expect("valid JSON");
    assert_eq!(json["version"], 1);
    assert_eq!(json["as_of"], AS_OF);
    assert_eq!(json["model"], "kungsbacka-2023.1");
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    for d in diags {
        for key in [
            "rule",
            "severity",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
        ] {
            assert!(d.get(key).is_some(), "{key} missing in {d}");
        }
        assert!(d["line"].as_u64().is_some_and(|l| l >= 1));
        assert!(!d["file"].as_str().unwrap_or("\\").contains('\\'));
    }
    // Sorted by file, line, column, rule.
    let keys: Vec<(String, u64, u64, String)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["rule"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    insta::assert_json_snapshot!("lint_catalog_json", json);
}

#[test]
fn quiet_prints_only_the_summary() {
    let out = kdl()
        .args(["lint", "catalog", "--as-of", AS_OF, "-q", "--lang", "en"])
        .current_dir(root())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("14 errors, 3 warnings, 3 infos in 259 files (258 entities)"));
}

#[test]
fn no_exceptions_shows_what_the_avsteg_hides() {
    let out = kdl()
        .args(["lint", "catalog", "--as-of", AS_OF, "--format", "json"])
        .arg("--no-exceptions")
        .current_dir(root())
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let hidden = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|d| d["rule"] == "pub/public-service" && d["file"] == "system/ssbtek.yaml");
    assert!(hidden);
    assert_eq!(json["summary"]["suppressed"], 0);
}

#[test]
fn deny_warnings_and_rule_selection() {
    // Only warnings left: exit 0, or 1 with --deny-warnings.
    kdl()
        .args(["lint", "catalog", "--as-of", AS_OF, "--rule", "scope/*"])
        .current_dir(root())
        .assert()
        .code(1); // scope/kommungemensam-owner is an error
    kdl()
        .args([
            "lint",
            "catalog",
            "--as-of",
            AS_OF,
            "--rule",
            "id/file-name",
        ])
        .current_dir(root())
        .assert()
        .code(0);
    kdl()
        .args([
            "lint",
            "catalog",
            "--as-of",
            AS_OF,
            "--rule",
            "id/file-name",
        ])
        .arg("--deny-warnings")
        .current_dir(root())
        .assert()
        .code(1);
    kdl()
        .args(["lint", "catalog", "--rule", "roles/mandatry"])
        .current_dir(root())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("roles/mandatory"));
}

#[test]
fn no_catalog_and_bad_flags_exit_2() {
    let dir = tempfile::tempdir().expect("tmp");
    kdl()
        .arg("lint")
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kdl.yaml"));
    kdl()
        .args(["lint", "catalog", "--as-of", "2026-02-30"])
        .current_dir(root())
        .assert()
        .code(2);
    kdl()
        .args(["lint", "does/not/exist"])
        .current_dir(root())
        .assert()
        .code(2);
}

fn lint_json(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
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

fn found(json: &serde_json::Value) -> Vec<(String, String, u64)> {
    json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn every_bad_input_is_one_diagnostic_and_the_rest_is_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    copy_dir(&root().join("tests/fixtures/base"), d);
    let bad = d.join("bad");
    fs::create_dir_all(&bad).expect("mkdir");
    let w = |name: &str, bytes: &[u8]| fs::write(bad.join(name), bytes).expect("write");
    w(
        "syntax.yaml",
        b"kind: system\nid: syntax\nname: [oavslutad\n",
    );
    w("dup.yaml", b"kind: person\nid: dup\nname: A\nname: B\n");
    w(
        "latin1.yaml",
        b"kind: person\nid: latin1\nname: Bj\xf6rn\ntitle: handlaggare\n",
    );
    w("list.yaml", b"- kind: person\n- id: list\n");
    w("nokind.yaml", b"id: nokind\nname: Utan kind\n");
    w("badkind.yaml", b"kind: sytem\nid: badkind\n");
    w("empty.yaml", b"");
    let mut laughs = String::from("kind: person\nid: laughs\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        laughs.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    w("laughs.yaml", laughs.as_bytes());
    let mut big = String::from("kind: person\nid: big\nname: Stor\ntitle: handlaggare\n");
    big.push_str(&format!("# {}\n", "x".repeat(1024 * 1024)));
    w("big.yaml", big.as_bytes());
    #[cfg(unix)]
    std::os::unix::fs::symlink(".", bad.join("loop")).expect("symlink");
    // A good file with a dangling reference proves the rest is checked.
    fs::write(
        d.join("personer/ny-person.yaml"),
        "kind: person\nid: ny-person\nname: Ny Person\ntitle: handlaggare\nforvaltning: forvaltningen-som-inte-finns\n",
    )
    .expect("write");

    let (code, json) = lint_json(d, &[]);
    assert_eq!(code, Some(1));
    let diags = found(&json);
    let expect: &[(&str, &str, u64)] = &[
        // At the unclosed `[` itself, not at the end of the file.
        ("parse/syntax", "bad/syntax.yaml", 3),
        ("parse/syntax", "bad/dup.yaml", 4),
        ("parse/syntax", "bad/latin1.yaml", 3),
        ("parse/syntax", "bad/list.yaml", 1),
        ("parse/syntax", "bad/nokind.yaml", 1),
        ("parse/syntax", "bad/badkind.yaml", 1),
        ("parse/syntax", "bad/empty.yaml", 1),
        ("parse/syntax", "bad/laughs.yaml", 0), // line checked below
        ("parse/syntax", "bad/big.yaml", 1),
        ("ref/unknown", "personer/ny-person.yaml", 5),
    ];
    for (rule, file, line) in expect {
        let hits: Vec<_> = diags
            .iter()
            .filter(|(r, f, _)| r == rule && f == file)
            .collect();
        assert_eq!(hits.len(), 1, "{rule} {file}: {diags:#?}");
        if *line > 0 {
            assert_eq!(hits[0].2, *line, "{rule} {file}");
        }
    }
    #[cfg(unix)]
    assert!(
        diags
            .iter()
            .any(|(r, f, _)| r == "parse/syntax" && f.starts_with("bad/loop")),
        "symlink loop reported: {diags:#?}"
    );
    // The billion laughs is stopped at an alias, not at the file start.
    let laughs_line = diags
        .iter()
        .find(|(_, f, _)| f == "bad/laughs.yaml")
        .map(|(_, _, l)| *l);
    assert!(laughs_line.is_some_and(|l| l > 3), "{laughs_line:?}");
    // Nothing else: the base catalog stays clean.
    assert_eq!(
        diags.len(),
        expect.len() + usize::from(cfg!(unix)),
        "{diags:#?}"
    );
}

#[test]
fn missing_or_broken_kdl_yaml_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    fs::remove_file(dir.path().join("kdl.yaml")).expect("rm");
    let (code, json) = lint_json(dir.path(), &[]);
    assert_eq!(code, Some(2));
    assert!(found(&json)
        .iter()
        .any(|(r, f, l)| r == "config/invalid" && f == "kdl.yaml" && *l == 1));

    fs::write(dir.path().join("kdl.yaml"), "model: [\n").expect("write");
    let (code, _) = lint_json(dir.path(), &[]);
    assert_eq!(code, Some(2));

    fs::write(
        dir.path().join("kdl.yaml"),
        "model: kungsbaka-2023.1\norganisation: {}\n",
    )
    .expect("write");
    kdl()
        .arg("lint")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::contains("kungsbacka-2023.1"));
}
