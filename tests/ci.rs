//! kdl in CI: the `sarif`, `github`, `gitlab` and `junit` formats,
//! `--output`, `--changed-since` (against real git repositories) and
//! baselines.
//!
//! Each test copies the compliant catalog `tests/fixtures/base/` to a
//! temporary directory and overlays a few faults (see [`OVERLAY`]).

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
use serde_json::Value;

mod common;
use common::{copy_dir, git, root};

const AS_OF: &str = "2026-11-23";

/// survey-and-report's owner does not have an owner's title, but an
/// exception (avsteg) covers that: a suppressed finding.
const SURVEY: &str = "kind: system
id: survey-and-report
name: Survey & Report
description: Enkätverktyg för anonyma brukarundersökningar
category: kommersiell-tjanst
scope: forvaltningsspecifik
used-by: [socialnamnden]
supplier: Artologik AB
lifecycle:
  status: i-drift
  since: 2023-02-01
roles:
  agare: per-holm
  budgetansvarig: per-holm
  huvudansvarig-superanvandare: lisa-nord
personal-data:
  processed: false
  dataskyddskontakt-dialog: 2023-01-17
information-classification:
  date: 2025-01-20
  konfidentialitet: 1
  riktighet: 2
  tillganglighet: 1
exceptions:
  - rule: roles/owner-title
    decision: SN-2026-00077
    decided-on: 2026-02-01
    motivation: Tillförordnad ägare under rekrytering av ny förvaltningschef.
    expires: 2027-06-30
";

/// The w3d3 grundavtal ends within 180 days of AS_OF: a warning.
const W3D3_GRUNDAVTAL: &str = "kind: avtal
id: w3d3-grundavtal
type: grundavtal
systems: [w3d3]
counterparty: Formpipe Software AB
signed-on: 2011-10-03
valid-until: 2027-03-31
reference: KS-2011-00733
";

/// The faults: erik-sand's person file deleted (raindance's
/// systemförvaltare now dangles: an error), an expiring agreement (a
/// warning), and a suppressed finding.
const OVERLAY: &[(&str, Option<&str>)] = &[
    ("personer/erik-sand.yaml", None),
    ("avtal/w3d3-grundavtal.yaml", Some(W3D3_GRUNDAVTAL)),
    ("system/survey-and-report.yaml", Some(SURVEY)),
];

fn apply(dir: &Path, overlay: &[(&str, Option<&str>)]) {
    for (rel, text) in overlay {
        let p = dir.join(rel);
        match text {
            Some(t) => {
                if let Some(parent) = p.parent() {
                    fs::create_dir_all(parent).expect("mkdir");
                }
                fs::write(&p, t).expect("write");
            }
            None => fs::remove_file(&p).expect("delete"),
        }
    }
}

/// The base catalog with [`OVERLAY`], in a fresh temporary directory.
fn catalog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    apply(dir.path(), OVERLAY);
    dir
}

fn kdl() -> Command {
    let mut c = Command::cargo_bin("kdl").expect("binary");
    c.env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn lint(dir: &Path, args: &[&str]) -> Out {
    let out = kdl()
        .arg("lint")
        .arg(dir)
        .args(["--as-of", AS_OF])
        .args(args)
        .output()
        .expect("run kdl");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// Replaces what changes between runs and releases: the elapsed time of
/// the summary line and the version.
fn stable(s: &str) -> String {
    let s = s.replace(env!("CARGO_PKG_VERSION"), "[version]");
    let mut out = String::new();
    for line in s.split_inclusive('\n') {
        match (line.rfind(" på "), line.rfind(" in "), line.find(" ms")) {
            (Some(i), _, Some(_)) | (None, Some(i), Some(_))
                if line.contains("kontrollerade") || line.contains("checked") =>
            {
                let (head, tail) = line.split_at(i);
                let sep = if tail.starts_with(" på ") {
                    " på "
                } else {
                    " in "
                };
                let rest = tail.trim_start_matches(sep);
                let after = rest.find(" ms").map_or("", |j| &rest[j..]);
                out.push_str(head);
                out.push_str(sep);
                out.push_str("[N]");
                out.push_str(after);
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

// ---------------------------------------------------------------- formats

#[test]
fn sarif_snapshot() {
    let dir = catalog();
    let out = lint(
        dir.path(),
        &["--format", "sarif", "--sarif-include-suppressed"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    // Only the descriptors of the rules in the results (the full list is
    // checked by `sarif_validates_against_the_schema`), so that editing
    // another rule's documentation does not churn this snapshot.
    let mut log = json(&stable(&out.stdout));
    let used: BTreeSet<String> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["ruleId"].as_str().map(str::to_string))
        .collect();
    if let Some(rules) = log["runs"][0]["tool"]["driver"]["rules"].as_array_mut() {
        rules.retain(|r| r["id"].as_str().is_some_and(|id| used.contains(id)));
    }
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&log).expect("json"));
}

#[test]
fn github_snapshot() {
    let dir = catalog();
    let out = lint(dir.path(), &["--format", "github"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("github", stable(&out.stdout));
}

#[test]
fn gitlab_snapshot() {
    let dir = catalog();
    let out = lint(dir.path(), &["--format", "gitlab", "--lang", "en"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("gitlab", out.stdout);
}

#[test]
fn junit_snapshot() {
    let dir = catalog();
    let out = lint(dir.path(), &["--format", "junit"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("junit", out.stdout);
}

fn sarif_validator() -> jsonschema::Validator {
    let schema = json(
        &fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).expect("schema"),
    );
    jsonschema::validator_for(&schema).expect("SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) -> Value {
    let log = json(text);
    let v = sarif_validator();
    let errors: Vec<String> = v
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    log
}

#[test]
fn sarif_validates_against_the_schema() {
    let dir = catalog();
    for lang in ["sv", "en"] {
        let out = lint(dir.path(), &["--format", "sarif", "--lang", lang]);
        let log = assert_valid_sarif(&out.stdout);
        let run = &log["runs"][0];
        // One descriptor per rule id, each with help and its source clause.
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let ids: BTreeSet<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids.len(), rules.len(), "duplicate rule descriptors");
        for r in rules {
            assert!(r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
            assert!(r["properties"]["source"].as_str().is_some(), "{r}");
        }
        for res in run["results"].as_array().expect("results") {
            let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[i]["id"], res["ruleId"]);
        }
    }
}

#[test]
fn sarif_of_the_bundled_catalog_validates() {
    let cat = root().join("catalog");
    if !cat.join("kdl.yaml").is_file() {
        eprintln!("no bundled catalog yet; skipped");
        return;
    }
    let out = lint(&cat, &["--format", "sarif"]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let log = assert_valid_sarif(&out.stdout);
    // Inside a git checkout, URIs are relative to the repository root;
    // in an exported tree (no `.git`), to the catalog root.
    let prefix = if root().join(".git").exists() {
        "catalog/"
    } else {
        ""
    };
    for res in log["runs"][0]["results"].as_array().expect("results") {
        let uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with(prefix) && !uri.starts_with("/"), "{uri}");
    }
}

#[test]
fn sarif_suppressions_carry_the_exception() {
    let dir = catalog();
    let log = json(
        &lint(
            dir.path(),
            &["--format", "sarif", "--sarif-include-suppressed"],
        )
        .stdout,
    );
    let results = log["runs"][0]["results"].as_array().expect("results");
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1, "{results:#?}");
    let r = suppressed[0];
    assert_eq!(r["ruleId"], "roles/owner-title");
    let s = &r["suppressions"][0];
    assert_eq!(s["kind"], "inSource");
    assert_eq!(s["status"], "accepted");
    let j = s["justification"].as_str().expect("justification");
    assert!(j.contains("SN-2026-00077"), "{j}");
    assert!(j.contains("Tillförordnad ägare"), "{j}");
    // The active findings are the error and the warning.
    let active: Vec<(&str, &str)> = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default(),
                r["level"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        active,
        [("contract/expiring", "warning"), ("ref/unknown", "error")]
    );
}

fn fingerprints(log: &Value) -> Vec<(String, String, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["partialFingerprints"]["kdl/v1"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let dir = catalog();
    let before = fingerprints(&json(&lint(dir.path(), &["--format", "sarif"]).stdout));
    for rel in ["system/raindance.yaml", "avtal/w3d3-grundavtal.yaml"] {
        let p = dir.path().join(rel);
        let text = fs::read_to_string(&p).expect("read");
        fs::write(&p, format!("# a comment\n# and another\n\n{text}")).expect("write");
    }
    let after = fingerprints(&json(&lint(dir.path(), &["--format", "sarif"]).stdout));
    assert_eq!(before.len(), after.len());
    for ((r1, f1, l1), (r2, f2, l2)) in before.iter().zip(&after) {
        assert_eq!(r1, r2);
        assert_eq!(f1, f2, "{r1}: fingerprint changed with the line");
        if r1 != "roles/owner-title" {
            assert_eq!(l1 + 3, *l2, "{r1}: the finding did move");
        }
    }
    let unique: BTreeSet<&String> = after.iter().map(|(_, f, _)| f).collect();
    assert_eq!(unique.len(), after.len(), "fingerprints are unique");
}

#[test]
fn github_annotations_escape_messages_and_properties() {
    // A role holder whose id needs every escape: `%`, `,`, `:`, newline.
    let dir = catalog();
    let p = dir.path().join("system/raindance.yaml");
    let text = fs::read_to_string(&p)
        .expect("read")
        .replace("jonas-ek", "\"x%y,z:w\\nv\"");
    fs::write(&p, text).expect("write");
    let out = lint(dir.path(), &["--format", "github", "--lang", "en"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    // Every finding is one line: no raw newline survives.
    assert!(lines
        .iter()
        .all(|l| l.starts_with("::") || l.contains(" checked")));
    let odd = lines
        .iter()
        .find(|l| l.contains("x%25y"))
        .unwrap_or_else(|| panic!("no annotation for the odd id:\n{}", out.stdout));
    let (props, message) = odd
        .strip_prefix("::error ")
        .and_then(|l| l.split_once("::"))
        .expect("an error command");
    assert!(
        props.starts_with("file=system/raindance.yaml,line="),
        "{props}"
    );
    assert!(props.contains(",title=kdl "), "{props}");
    assert!(message.contains("x%25y,z:w%0Av"), "{message}");
    assert!(message.contains("%0Asource: "), "{message}");
}

#[test]
fn github_escaping_units() {
    use kdl::report::github::{escape_data, escape_property};
    assert_eq!(
        escape_data("50% av 2,5: klart\r\nnästa"),
        "50%25 av 2,5: klart%0D%0Anästa"
    );
    assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    assert_eq!(escape_data("%0A"), "%250A");
    assert_eq!(escape_property("system/ärende.yaml"), "system/ärende.yaml");
}

#[test]
fn gitlab_report_has_the_required_fields() {
    let dir = catalog();
    let v = json(&lint(dir.path(), &["--format", "gitlab"]).stdout);
    let issues = v.as_array().expect("array");
    assert_eq!(issues.len(), 2);
    for i in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].as_str().is_some_and(|s| !s.is_empty()), "{key}: {i}");
        }
        assert!(i["location"]["path"].as_str().is_some());
        assert!(i["location"]["lines"]["begin"]
            .as_u64()
            .is_some_and(|l| l >= 1));
    }
    let sev: Vec<&str> = issues
        .iter()
        .map(|i| i["severity"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(sev, ["minor", "major"]);
}

#[test]
fn junit_escapes_xml() {
    let dir = catalog();
    let p = dir.path().join("system/raindance.yaml");
    let text = fs::read_to_string(&p)
        .expect("read")
        .replace("jonas-ek", "\"<a & 'b'>\"");
    fs::write(&p, text).expect("write");
    let out = lint(dir.path(), &["--format", "junit"]);
    assert!(out.stdout.starts_with("<?xml"), "{}", out.stdout);
    assert!(
        out.stdout.contains("&lt;a &amp; &apos;b&apos;&gt;"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("<a &"), "{}", out.stdout);
}

#[test]
fn output_writes_more_formats_in_the_same_run() {
    let dir = catalog();
    let files = tempfile::tempdir().expect("tempdir");
    let sarif = files.path().join("kdl.sarif");
    let junit = files.path().join("kdl.xml");
    let gitlab = files.path().join("gl.json");
    let out = lint(
        dir.path(),
        &[
            "--output",
            &format!("sarif={}", sarif.display()),
            "--output",
            &format!("junit={}", junit.display()),
            "--output",
            &format!("gitlab={}", gitlab.display()),
        ],
    );
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("ref/unknown"), "human on stdout");
    assert_valid_sarif(&fs::read_to_string(&sarif).expect("sarif written"));
    assert!(fs::read_to_string(&junit)
        .expect("junit written")
        .contains("<testsuites"));
    assert_eq!(
        json(&fs::read_to_string(&gitlab).expect("gitlab written"))
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // A bad spec is a usage error.
    let bad = lint(dir.path(), &["--output", "pdf=x.pdf"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown format `pdf`"),
        "{}",
        bad.stderr
    );
    let bad = lint(dir.path(), &["--output", "sarif"]);
    assert_eq!(bad.code, 2);
}

// ------------------------------------------------------------ exit codes

#[test]
fn exit_codes_deny_warnings_and_rule_selection() {
    let dir = catalog();
    assert_eq!(lint(dir.path(), &["-q"]).code, 1, "an error fails");
    // Only the warning left: passes, unless warnings are denied.
    assert_eq!(lint(dir.path(), &["-q", "--skip", "ref/unknown"]).code, 0);
    assert_eq!(
        lint(dir.path(), &["-q", "--skip", "ref/*", "--deny-warnings"]).code,
        1
    );
    assert_eq!(
        lint(dir.path(), &["-q", "--rule", "contract/expiring"]).code,
        0
    );
    assert_eq!(
        lint(
            dir.path(),
            &["-q", "--rule", "contract/expiring", "--deny-warnings"]
        )
        .code,
        1
    );
    let unknown = lint(dir.path(), &["--rule", "roles/mandatroy"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("roles/mandatory"),
        "{}",
        unknown.stderr
    );
    let clean = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), clean.path());
    assert_eq!(lint(clean.path(), &["-q"]).code, 0);
    assert_eq!(
        lint(clean.path(), &["--format", "github"])
            .stdout
            .lines()
            .count(),
        1,
        "only the summary line"
    );
}

// ------------------------------------------------------------- baseline

fn summary(out: &Out) -> Value {
    json(&out.stdout)["summary"].clone()
}

#[test]
fn baseline_round_trip_line_moves_and_stale_entries() {
    let dir = catalog();
    let files = tempfile::tempdir().expect("tempdir");
    let bl = files.path().join("kdl-baseline.json");
    let bls = bl.to_string_lossy().to_string();

    let wrote = lint(dir.path(), &["--write-baseline", &bls, "--format", "json"]);
    assert_eq!(wrote.code, 0, "the findings just recorded do not fail");
    let text = fs::read_to_string(&bl).expect("baseline written");
    insta::assert_snapshot!("baseline", text);
    assert!(!text.contains("line"), "never keyed by line");
    assert_eq!(summary(&wrote)["baseline"]["baselined"], 2);

    // Same run again: same bytes.
    lint(dir.path(), &["--write-baseline", &bls]);
    assert_eq!(fs::read_to_string(&bl).expect("read"), text);

    let used = lint(dir.path(), &["--baseline", &bls, "--format", "json"]);
    assert_eq!(used.code, 0, "{}", used.stdout);
    let s = summary(&used);
    assert_eq!(s["errors"], 0);
    assert_eq!(s["warnings"], 0);
    assert_eq!(s["baseline"]["baselined"], 2);
    assert_eq!(s["baseline"]["stale"], Value::Array(vec![]));

    // Lines inserted above the baselined finding: still covered.
    let p = dir.path().join("system/raindance.yaml");
    let original = fs::read_to_string(&p).expect("read");
    fs::write(&p, format!("# kommentar\n# till\n{original}")).expect("write");
    let moved = lint(dir.path(), &["--baseline", &bls, "--format", "json"]);
    assert_eq!(moved.code, 0, "{}", moved.stdout);
    assert_eq!(summary(&moved)["baseline"]["baselined"], 2);

    // A new finding is not covered.
    let p2 = dir.path().join("system/survey-and-report.yaml");
    fs::write(&p2, SURVEY.replace("lisa-nord", "lisa-nord-x")).expect("write");
    let new = lint(dir.path(), &["--baseline", &bls, "--format", "json"]);
    assert_eq!(new.code, 1);
    assert_eq!(summary(&new)["errors"], 1);
    fs::write(&p2, SURVEY).expect("write");

    // Fixed: the entry is stale, reported in the JSON summary and on stderr.
    fs::write(&p, original.replace("erik-sand", "jonas-ek")).expect("write");
    let fixed = lint(dir.path(), &["--baseline", &bls, "--format", "json"]);
    assert_eq!(fixed.code, 0);
    let s = summary(&fixed);
    assert_eq!(s["baseline"]["baselined"], 1);
    assert_eq!(
        s["baseline"]["stale"],
        serde_json::json!([{"entity": "raindance", "rule": "ref/unknown", "path": "roles.systemforvaltare"}])
    );
    assert!(
        fixed
            .stderr
            .contains("raindance: ref/unknown @ roles.systemforvaltare"),
        "{}",
        fixed.stderr
    );
    let gh = lint(dir.path(), &["--baseline", &bls, "--format", "github"]);
    assert!(
        gh.stdout.contains("::notice title=kdl baseline::"),
        "{}",
        gh.stdout
    );
    let sarif = lint(
        dir.path(),
        &[
            "--baseline",
            &bls,
            "--format",
            "sarif",
            "--sarif-include-suppressed",
        ],
    );
    let log = assert_valid_sarif(&sarif.stdout);
    let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes.as_array().map(Vec::len), Some(1), "{notes}");
    // The baselined warning is in the SARIF, suppressed externally.
    let external: Vec<&Value> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "external")
        .collect();
    assert_eq!(external.len(), 1);
    assert_eq!(external[0]["ruleId"], "contract/expiring");

    // A rule that did not run cannot make its entries stale.
    let only = lint(
        dir.path(),
        &["--baseline", &bls, "--format", "json", "--rule", "roles/*"],
    );
    assert_eq!(summary(&only)["baseline"]["stale"], Value::Array(vec![]));

    // Rewriting the baseline drops the stale entry: it only shrinks.
    lint(dir.path(), &["--write-baseline", &bls]);
    let shrunk = fs::read_to_string(&bl).expect("read");
    assert!(!shrunk.contains("ref/unknown"), "{shrunk}");
    assert!(shrunk.contains("contract/expiring"), "{shrunk}");
}

#[test]
fn unreadable_baseline_is_a_usage_error() {
    let dir = catalog();
    let out = lint(
        dir.path(),
        &["--baseline", "/nonexistent/kdl-baseline.json"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--write-baseline"), "{}", out.stderr);
    let files = tempfile::tempdir().expect("tempdir");
    let bad = files.path().join("b.json");
    fs::write(&bad, "{\"version\": 1, \"entries\": [{\"line\": 3}]}").expect("write");
    let out = lint(dir.path(), &["--baseline", &bad.to_string_lossy()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

// -------------------------------------------------------- changed-since

/// (rule, file, line) of every diagnostic in kdl's JSON.
fn found(out: &Out) -> BTreeSet<(String, String, u64)> {
    json(&out.stdout)["diagnostics"]
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
        .collect()
}

fn set(items: &[(&str, &str, u64)]) -> BTreeSet<(String, String, u64)> {
    items
        .iter()
        .map(|(r, f, l)| ((*r).to_string(), (*f).to_string(), *l))
        .collect()
}

/// A repository whose catalog lives in `katalog/` (not the top), with an
/// old unrelated finding on main (the expiring w3d3 grundavtal).
fn repo() -> (tempfile::TempDir, PathBuf) {
    let repo = tempfile::tempdir().expect("tempdir");
    let cat = repo.path().join("katalog");
    copy_dir(&root().join("tests/fixtures/base"), &cat);
    apply(
        &cat,
        &[("avtal/w3d3-grundavtal.yaml", Some(W3D3_GRUNDAVTAL))],
    );
    fs::write(repo.path().join("README.md"), "katalog\n").expect("write");
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    (repo, cat)
}

#[test]
fn changed_since_reports_the_change_and_what_it_caused() {
    let (repo, cat) = repo();
    let r = repo.path();
    git(r, &["checkout", "-q", "-b", "feature"]);
    // Main moves on after the branch point: not part of this change, so
    // the agreement it touches is not "changed" (it would be, compared
    // with main itself rather than the merge-base).
    git(r, &["checkout", "-q", "main"]);
    let w = cat.join("avtal/w3d3-grundavtal.yaml");
    fs::write(&w, format!("# förnyas?\n{W3D3_GRUNDAVTAL}")).expect("write");
    git(r, &["commit", "-q", "-am", "main moves on"]);
    git(r, &["checkout", "-q", "feature"]);

    // The change: erik-sand leaves the catalog (his file deleted, which
    // leaves raindance — unchanged — with a dangling systemforvaltare);
    // natverk's agare edited to a person who does not exist; an agreement
    // renamed without its id (id/file-name, in the new file), committed;
    // an untracked new system file with a fault, not committed.
    git(r, &["rm", "-q", "katalog/personer/erik-sand.yaml"]);
    let nv = cat.join("system/natverk.yaml");
    let natverk = fs::read_to_string(&nv).expect("read");
    fs::write(
        &nv,
        natverk.replace("agare: helena-dahl", "agare: ingen-alls"),
    )
    .expect("write");
    git(
        r,
        &[
            "mv",
            "katalog/avtal/natverk-sla.yaml",
            "katalog/avtal/natverk-serviceniva.yaml",
        ],
    );
    git(r, &["commit", "-q", "-am", "change"]);
    // Not committed either: jonas-ek leaves (his file only is edited).
    let je = cat.join("personer/jonas-ek.yaml");
    let jonas = fs::read_to_string(&je).expect("read");
    fs::write(&je, format!("{jonas}left-on: 2026-08-31\n")).expect("write");
    let mut extra = fs::read_to_string(cat.join("system/w3d3.yaml")).expect("read");
    extra = extra.replace("id: w3d3", "id: w3d3-kopia");
    fs::write(cat.join("system/w3d3-kopia.yaml"), &extra).expect("write");

    // The whole catalog, for reference.
    let all = found(&lint(&cat, &["--format", "json"]));

    let out = lint(&cat, &["--format", "json", "--changed-since", "main"]);
    assert!(out.code == 1, "{}\n{}", out.stdout, out.stderr);
    let got = found(&out);
    let want = set(&[
        // changed files: every finding in them
        ("ref/unknown", "system/natverk.yaml", 14),
        ("id/file-name", "avtal/natverk-serviceniva.yaml", 2),
        ("docs/grundavtal", "system/w3d3-kopia.yaml", 5),
        ("docs/sla", "system/w3d3-kopia.yaml", 5),
        ("register/missing", "system/w3d3-kopia.yaml", 7),
        ("roles/vacant", "system/w3d3-kopia.yaml", 16),
        ("pub/missing", "system/w3d3-kopia.yaml", 18),
        // unchanged files, caused by the change: erik-sand deleted …
        ("ref/unknown", "system/raindance.yaml", 16),
        // … and jonas-ek left
        ("roles/vacant", "system/raindance.yaml", 17),
        ("roles/vacant", "system/integrationsplattform.yaml", 17),
        ("roles/vacant", "system/timecare.yaml", 16),
        ("roles/vacant", "system/treserva.yaml", 16),
        ("roles/vacant", "system/w3d3.yaml", 16),
    ]);
    assert_eq!(got, want);
    // Not the old expiring agreement, though the whole catalog has it.
    assert!(all.contains(&(
        "contract/expiring".to_string(),
        "avtal/w3d3-grundavtal.yaml".to_string(),
        7
    )));
    assert!(out.stderr.contains("merge-base"), "{}", out.stderr);

    // The summary counts only what is reported; the exit code follows it.
    let s = summary(&out);
    assert_eq!(
        s["errors"].as_u64().unwrap_or_default() + s["warnings"].as_u64().unwrap_or_default(),
        json(&out.stdout)["diagnostics"]
            .as_array()
            .map_or(0, |a| a.len() as u64)
    );

    // With nothing changed, nothing is reported and the run passes, even
    // though the catalog has an old warning.
    git(r, &["stash", "-q", "-u"]);
    git(r, &["checkout", "-q", "main"]);
    let none = lint(&cat, &["--format", "json", "--changed-since", "main"]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(found(&none).is_empty());
}

/// A finding two references away from the change: the two nämnder swap
/// their förvaltningar (only the nämnd files change), so anders-ny —
/// unchanged, still in `forvaltningen-for-vard-och-omsorg` — now works
/// for socialnämnden, and the PUB agreement he signed for vård och omsorg
/// — unchanged, referring to him, not to the förvaltning — lacks a
/// fullmakt (avtal → person → förvaltning).
#[test]
fn changed_since_reports_a_finding_two_references_away() {
    let (repo, cat) = repo();
    let r = repo.path();
    git(r, &["checkout", "-q", "-b", "feature"]);
    let swap = |file: &str, from: &str, to: &str| {
        let path = cat.join("namnder").join(file);
        let text = fs::read_to_string(&path).expect("read");
        let old = format!("\n  id: {from}\n");
        assert!(text.contains(&old), "{file}");
        fs::write(&path, text.replace(&old, &format!("\n  id: {to}\n"))).expect("write");
    };
    swap(
        "namnden-for-vard-och-omsorg.yaml",
        "forvaltningen-for-vard-och-omsorg",
        "socialforvaltningen",
    );
    swap(
        "socialnamnden.yaml",
        "socialforvaltningen",
        "forvaltningen-for-vard-och-omsorg",
    );
    git(r, &["commit", "-q", "-am", "swap"]);
    let out = lint(&cat, &["--format", "json", "--changed-since", "main"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        found(&out),
        set(&[("pub/fullmakt", "avtal/treserva-pub.yaml", 8)])
    );
}

#[test]
fn changed_since_fails_clearly_on_a_shallow_clone() {
    let (repo, cat) = repo();
    let r = repo.path();
    git(r, &["checkout", "-q", "-b", "feature"]);
    fs::write(cat.join("personer/ny.yaml"), "kind: person\n").expect("write");
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "one"]);
    git(r, &["checkout", "-q", "main"]);
    fs::write(r.join("README.md"), "main\n").expect("write");
    git(r, &["commit", "-q", "-am", "two"]);

    // What actions/checkout does by default: one commit, no history.
    let clones = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", r.display());
    git(
        clones.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "c",
        ],
    );
    let c = clones.path().join("c");
    git(
        &c,
        &[
            "fetch",
            "-q",
            "--depth",
            "1",
            "origin",
            "main:refs/remotes/origin/main",
        ],
    );
    let out = lint(
        &c.join("katalog"),
        &["--changed-since", "origin/main", "--lang", "en"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("shallow"), "{}", out.stderr);
    assert!(out.stderr.contains("fetch-depth: 0"), "{}", out.stderr);
    let sv = lint(&c.join("katalog"), &["--changed-since", "origin/main"]);
    assert_eq!(sv.code, 2);
    assert!(sv.stderr.contains("grund klon"), "{}", sv.stderr);

    let unknown = lint(&cat, &["--changed-since", "no-such-branch", "--lang", "en"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("unknown git reference `no-such-branch`"),
        "{}",
        unknown.stderr
    );

    let outside = catalog();
    let out = lint(outside.path(), &["--changed-since", "main", "--lang", "en"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not in a git repository"),
        "{}",
        out.stderr
    );
}
