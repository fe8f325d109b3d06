//! `kdl report`: the yearly follow-up, on `tests/fixtures/report/` — a
//! small catalog with a few violations, a person who left, an expiring
//! agreement, an exception in force and an expired one, and a system whose
//! name carries `<script>alert(1)</script>`.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use serde_json::Value;

mod common;
use common::browser::{chromium_or_skip, headless};
use common::{copy_dir, kdl, root};

// The catalog generator, included as a module (it is an example binary).
#[allow(dead_code)]
#[path = "../examples/gen_catalog.rs"]
mod gen_catalog;

fn fixture() -> PathBuf {
    root().join("tests/fixtures/report")
}

/// Runs `kdl report` with `args` on `catalog`; returns stdout, asserting exit 0.
fn report(catalog: &Path, args: &[&str]) -> String {
    let out = kdl()
        .arg("report")
        .arg(catalog)
        .args(args)
        .output()
        .expect("run kdl");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(catalog: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&report(catalog, &all)).expect("json")
}

#[test]
fn markdown_snapshot() {
    let md = report(
        &fixture(),
        &["--year", "2026", "--format", "md", "--lang", "sv"],
    );
    insta::assert_snapshot!("report_md_sv", md);
}

#[test]
fn json_snapshot() {
    let text = report(
        &fixture(),
        &["--year", "2026", "--format", "json", "--lang", "sv"],
    );
    insta::assert_snapshot!("report_json_sv", text);
}

#[test]
fn json_is_stable_across_runs() {
    let a = report(&fixture(), &["--year", "2026", "--format", "json"]);
    let b = report(&fixture(), &["--year", "2026", "--format", "json"]);
    assert_eq!(a, b);
}

#[test]
fn english_markdown() {
    let md = report(
        &fixture(),
        &["--year", "2026", "--format", "md", "--lang", "en"],
    );
    assert!(md.contains("# Yearly follow-up of digital services and systems 2026"));
    assert!(md.contains("## 4. Open violations"));
    assert!(md.contains("| Raindance (`raindance`) | System manager | holder has left | Erik Sand, system manager (`erik-sand`) | 2026-09-30 |"), "{md}");
}

#[test]
fn the_report_holds_what_the_issue_asks_for() {
    let r = json(&fixture(), &["--year", "2026"]);
    assert_eq!(r["as_of"], "2026-12-31");
    assert_eq!(r["summary"]["systems"], 9);
    assert_eq!(r["summary"]["errors"], 4);
    assert_eq!(r["summary"]["warnings"], 2);
    assert_eq!(r["summary"]["suppressed"], 1);
    // every open violation, with file and line
    let v: Vec<String> = r["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            format!(
                "{}:{} {}",
                v["file"].as_str().unwrap(),
                v["line"],
                v["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        v,
        [
            "avtal/timecare-grundavtal.yaml:7 contract/expiring",
            "system/integrationsplattform.yaml:13 roles/mandatory",
            "system/raindance.yaml:16 roles/vacant",
            "system/treserva.yaml:19 pub/missing",
            "system/w3d3.yaml:32 plan/missing",
            "system/w3d3.yaml:52 exception/expired",
        ]
    );
    // a person who left, a vacant mandatory role
    let roles = r["roles"].as_array().unwrap();
    assert!(roles
        .iter()
        .any(|x| x["status"] == "left" && x["person"]["id"] == "erik-sand"));
    assert!(roles
        .iter()
        .any(|x| x["status"] == "vacant" && x["role"] == "processagare"));
    // PUB-avtal coverage: treserva covers only one of its two nämnder
    let treserva = r["pub_coverage"]["systems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["system"]["id"] == "treserva")
        .unwrap();
    assert_eq!(treserva["status"], "partial");
    assert_eq!(treserva["uncovered"], serde_json::json!(["socialnamnden"]));
    // the yearly cycle
    let w3d3 = r["cycle"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["system"]["id"] == "w3d3")
        .unwrap();
    assert_eq!(w3d3["plan"]["status"], "in-progress");
    assert_eq!(w3d3["report"]["status"], "done");
    let timecare = r["followups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["system"]["id"] == "timecare")
        .unwrap();
    assert_eq!(timecare["status"], "missing");
    // an agreement expiring within a year
    assert_eq!(r["expiring"][0]["id"], "timecare-grundavtal");
    assert_eq!(r["expiring"][0]["days_left"], 120);
    // exceptions in force and expired
    let ex = r["exceptions"].as_array().unwrap();
    assert_eq!(ex[0]["status"], "in-force");
    assert_eq!(ex[0]["suppressed"], 1);
    assert_eq!(ex[0]["decision"], "VON-2026-00112");
    assert_eq!(ex[1]["status"], "expired");
    assert_eq!(ex[1]["expires"], "2026-06-30");
    // traffic lights
    let groups = r["compliance"].as_array().unwrap();
    let light = |g: &str| groups.iter().find(|x| x["group"] == g).unwrap()["status"].clone();
    assert_eq!(light("roles"), "red");
    assert_eq!(light("contract"), "yellow");
    assert_eq!(light("dpia"), "green");
}

#[test]
fn as_of_moves_the_evaluation_date() {
    let r = json(&fixture(), &["--as-of", "2026-06-01"]);
    assert_eq!(r["year"], 2026);
    assert_eq!(r["as_of"], "2026-06-01");
    // erik-sand leaves on 2026-09-30: not yet
    assert!(!r["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["status"] == "left"));
}

#[test]
fn as_of_outside_the_year_is_refused() {
    kdl()
        .args(["report"])
        .arg(fixture())
        .args([
            "--year",
            "2026",
            "--as-of",
            "2025-12-31",
            "--format",
            "json",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("2026"));
}

#[test]
fn namnd_limits_the_report() {
    let r = json(&fixture(), &["--year", "2026", "--namnd", "socialnamnden"]);
    assert_eq!(r["namnd"]["id"], "socialnamnden");
    let ids: Vec<&str> = r["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"treserva"), "{ids:?}");
    assert!(ids.contains(&"raindance"), "{ids:?}");
    assert!(!ids.contains(&"timecare"), "{ids:?}");
    assert!(!ids.contains(&"facebook"), "{ids:?}");
    // timecare's expiring agreement is not socialnämndens business
    assert!(!r["expiring"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == "timecare-grundavtal"));
}

#[test]
fn unknown_namnd_exits_2_with_a_suggestion() {
    kdl()
        .args(["report"])
        .arg(fixture())
        .args([
            "--year",
            "2026",
            "--namnd",
            "socialnamden",
            "--format",
            "md",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("menade du `socialnamnden`?"));
}

#[test]
fn html_is_one_self_contained_escaped_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.html");
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let html = fs::read_to_string(&out).unwrap();
    let lower = html.to_lowercase();
    // the name with a script tag is text, and there is no script anywhere
    assert!(html.contains("Facebook &lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(
        !lower.contains("<script"),
        "a <script> element in the report"
    );
    // no network: nothing is loaded from anywhere
    for bad in ["src=", "@import", "url(", "<link", "<iframe", "<img"] {
        assert!(!lower.contains(bad), "found {bad}");
    }
    let without_svg_ns = lower.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!without_svg_ns.contains("http:") && !without_svg_ns.contains("https:"));
    assert!(html.contains("Content-Security-Policy"));
    // print CSS and an inline SVG chart with one bar per rule group with findings
    assert!(html.contains("size: A4;"));
    assert!(
        html.contains("counter(page) \" \" \"av\" \" \" counter(pages)"),
        "{html}"
    );
    assert!(html.contains("@media print"));
    assert!(html.contains("<svg"));
    assert!(html.contains("<rect class=\"bar error\""));
    assert!(html.contains("<div class=\"v\" id=\"kpi-systems\">9</div>"));
}

#[test]
fn html_goes_to_a_pipe() {
    let html = report(&fixture(), &["--year", "2026", "--lang", "en"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en\">"));
}

#[test]
fn xlsx_has_one_sheet_per_section() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.xlsx");
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--format", "xlsx", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let mut wb: Xlsx<_> = open_workbook(&out).expect("open xlsx");
    assert_eq!(
        wb.sheet_names(),
        [
            "Sammanfattning",
            "Avvikelser",
            "System",
            "Roller",
            "Avtal",
            "Avsteg"
        ]
    );
    // the findings lead with what they concern and the rule, the place last
    let v = wb.worksheet_range("Avvikelser").unwrap();
    assert_eq!(v.height(), 7);
    let header: Vec<String> = (0..11)
        .map(|c| v.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "Gäller",
            "Finns i",
            "Regel",
            "Allvarlighet",
            "Meddelande",
            "Källa",
            "Fil",
            "Rad",
            "YAML-sökväg",
            "Id",
            "Finns i (id)"
        ]
    );
    assert_eq!(
        v.get((1, 2)),
        Some(&Data::String("contract/expiring".into()))
    );
    assert_eq!(
        v.get((1, 6)),
        Some(&Data::String("avtal/timecare-grundavtal.yaml".into()))
    );
    assert_eq!(v.get((1, 7)), Some(&Data::Float(7.0)));
    // an agreement's finding concerns its system, found in the agreement
    assert_eq!(
        v.get((1, 0)),
        Some(&Data::String("TimeCare Planering".into()))
    );
    assert_eq!(
        v.get((1, 1)),
        Some(&Data::String("timecare-grundavtal".into()))
    );
    assert_eq!(v.get((1, 9)), Some(&Data::String("timecare".into())));
    assert_eq!(
        v.get((1, 10)),
        Some(&Data::String("timecare-grundavtal".into()))
    );
    let s = wb.worksheet_range("System").unwrap();
    assert_eq!(s.height(), 10);
    assert!(s
        .rows()
        .any(|r| r.first() == Some(&Data::String("Facebook <script>alert(1)</script>".into()))));
    let e = wb.worksheet_range("Avsteg").unwrap();
    assert_eq!(e.get((1, 3)), Some(&Data::String("VON-2026-00112".into())));
    // a second run may replace its own earlier report
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--format", "xlsx", "-o"])
        .arg(&out)
        .assert()
        .code(0);
}

#[test]
fn a_file_that_is_not_a_report_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("protokoll.md");
    fs::write(&out, "# Nämndens protokoll\n").unwrap();
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--format", "md", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(fs::read_to_string(&out).unwrap(), "# Nämndens protokoll\n");
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--format", "md", "--force", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("<!-- kdl-yearly-report v1 -->"));
    // now it is a report: replaced without --force, in any format
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--format", "json", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    // and no temporary file is left behind
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn no_catalog_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    kdl()
        .current_dir(dir.path())
        .args(["report", "--year", "2026", "--format", "json"])
        .assert()
        .code(2);
}

// ---- --compare-git ------------------------------------------------------

fn git(dir: &Path, args: &[&str], date: &str) {
    let st = StdCommand::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Revisor Test",
            "-c",
            "user.email=revisor@example.org",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .status()
        .expect("git");
    assert!(st.success(), "git {args:?}");
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = StdCommand::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: {from}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn compare_git_shows_the_years_changes() {
    if StdCommand::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: no git");
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    // the catalog in a subdirectory of the repository
    let cat = repo.path().join("katalog");
    copy_dir(&fixture(), &cat);
    fs::write(repo.path().join("README.md"), "Katalogen\n").unwrap();

    // 2025: natverk lacks its budgetansvarig (resolved during 2026),
    // integrationsplattform still has its processägare (removed in 2026),
    // w3d3's systemförvaltare is Sofia Lind (replaced by Nils Dahl in 2026)
    replace(
        &cat.join("system/natverk.yaml"),
        "  budgetansvarig:",
        "  # budgetansvarig:",
    );
    replace(
        &cat.join("system/integrationsplattform.yaml"),
        "  tjansteforvaltare: omar-haddad\n",
        "  tjansteforvaltare: omar-haddad\n  processagare: mira-ali\n",
    );
    replace(
        &cat.join("system/w3d3.yaml"),
        "systemforvaltare: nils-dahl",
        "systemforvaltare: sofia-lind",
    );
    git(repo.path(), &["init", "-q"], "2025-05-01T10:00:00+00:00");
    git(repo.path(), &["add", "-A"], "2025-05-01T10:00:00+00:00");
    git(
        repo.path(),
        &["commit", "-q", "-m", "Katalogen 2025"],
        "2025-05-01T10:00:00+00:00",
    );
    let baseline = git_out(repo.path(), &["rev-parse", "HEAD"]);

    // 2026: back to the fixture as it is
    copy_dir(&fixture(), &cat);
    git(repo.path(), &["add", "-A"], "2026-03-15T09:30:00+00:00");
    git(
        repo.path(),
        &["commit", "-q", "-m", "Ny systemförvaltare för W3D3"],
        "2026-03-15T09:30:00+00:00",
    );
    let change = git_out(repo.path(), &["rev-parse", "HEAD"]);

    let r = json(&cat, &["--year", "2026", "--compare-git"]);
    let ch = &r["changes"];
    assert_eq!(ch["baseline"]["commit"], baseline.as_str());
    assert_eq!(ch["baseline"]["date"], "2025-05-01");
    assert_eq!(ch["baseline"]["as_of"], "2025-12-31");
    let has = |list: &str, entity: &str, rule: &str, path: &str| {
        ch[list]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["entity"] == entity && v["rule"] == rule && v["path"] == path)
    };
    assert!(
        has(
            "resolved",
            "natverk",
            "roles/mandatory",
            "roles.budgetansvarig"
        ),
        "{ch:#}"
    );
    assert!(
        has(
            "introduced",
            "integrationsplattform",
            "roles/mandatory",
            "roles.processagare"
        ),
        "{ch:#}"
    );
    // unchanged findings are neither (matched by entity, rule and path, not line)
    assert!(
        !has("introduced", "treserva", "pub/missing", "personal-data"),
        "{ch:#}"
    );
    let roles = ch["role_changes"].as_array().unwrap();
    let w3d3: Vec<&Value> = roles.iter().filter(|c| c["system"] == "w3d3").collect();
    assert_eq!(w3d3.len(), 1, "{roles:#?}");
    assert_eq!(w3d3[0]["role"], "systemforvaltare");
    assert_eq!(w3d3[0]["role_label"], "Systemförvaltare");
    assert_eq!(w3d3[0]["before"], serde_json::json!(["sofia-lind"]));
    assert_eq!(w3d3[0]["after"], serde_json::json!(["nils-dahl"]));
    assert_eq!(w3d3[0]["commit"], change.as_str());
    assert_eq!(w3d3[0]["date"], "2026-03-15");
    assert_eq!(w3d3[0]["author"], "Revisor Test");

    // the same in Markdown
    let md = report(&cat, &["--year", "2026", "--compare-git", "--format", "md"]);
    assert!(md.contains("## 12. Förändringar under året"));
    assert!(md.contains(&format!("`{}`", &change[..12])));
    // by names: the system, the role, the persons
    let row = md
        .lines()
        .find(|l| l.starts_with("| 2026-03-15 | W3D3"))
        .expect("the role change");
    assert!(
        row.starts_with("| 2026-03-15 | W3D3 (`w3d3`) | Systemförvaltare | "),
        "{row}"
    );
    assert!(!row.contains("sofia-lind |"), "{row}");

    // outside git: exit 2
    let plain = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), plain.path());
    kdl()
        .arg("report")
        .arg(plain.path())
        .args(["--year", "2026", "--compare-git", "--format", "json"])
        .env("GIT_CEILING_DIRECTORIES", plain.path().parent().unwrap())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("git"));
}

// ---- the HTML in a real browser ------------------------------------------

/// Loads the report in headless Chromium: the page must render the
/// expected counts, show the `<script>` name as text, run no script and
/// log no console error (a blocked request would log one, through the
/// page's Content-Security-Policy). Skipped without Chromium unless
/// `KDL_REQUIRE_CHROMIUM` is set (CI installs Debian's `chromium`).
#[test]
fn html_renders_in_chromium() {
    let Some(browser) = chromium_or_skip("the report's browser test") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.html");
    // with a logo: a data: image, which the page's policy allows
    let logo = dir.path().join("logo.svg");
    fs::write(&logo, LOGO_SVG).unwrap();
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--logo"])
        .arg(&logo)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    let run = headless(&browser, &dir.path().join("profile"))
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(format!("file://{}", out.display()))
        .output()
        .expect("run chromium");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let dom = String::from_utf8_lossy(&run.stdout);
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(dom.contains("id=\"kpi-systems\">9<"), "{dom}");
    assert!(dom.contains("id=\"kpi-errors\">4<"));
    assert!(dom.contains("Facebook &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!dom.to_lowercase().contains("<script"));
    for line in log.lines() {
        assert!(!line.contains("CONSOLE"), "console output: {line}");
        assert!(!line.contains("Refused to"), "blocked: {line}");
    }

    // The bundled catalog's report renders too, with its counts.
    let bundled = dir.path().join("bundled.html");
    kdl()
        .arg("report")
        .arg(root().join("catalog"))
        .args(["--year", "2026", "--as-of", "2026-11-23", "-o"])
        .arg(&bundled)
        .assert()
        .code(0);
    let run = headless(&browser, &dir.path().join("profile2"))
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(format!("file://{}", bundled.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&run.stdout);
    let r = json(
        &root().join("catalog"),
        &["--year", "2026", "--as-of", "2026-11-23"],
    );
    let kpi = |id: &str, v: &Value| format!("id=\"{id}\">{v}<");
    assert!(
        dom.contains(&kpi("kpi-systems", &r["summary"]["systems"])),
        "{dom}"
    );
    assert!(
        dom.contains(&kpi("kpi-errors", &r["summary"]["errors"])),
        "{dom}"
    );
    for line in String::from_utf8_lossy(&run.stderr).lines() {
        assert!(!line.contains("CONSOLE"), "console output: {line}");
        assert!(!line.contains("Refused to"), "blocked: {line}");
    }
}

/// Prints `html` to PDF with headless Chromium; returns the PDF.
fn print_to_pdf(browser: &Path, html: &Path, dir: &Path) -> Vec<u8> {
    let pdf = html.with_extension("pdf");
    let run = headless(browser, &dir.join("profile-pdf"))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    bytes
}

/// Pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let pat = b"/Type /Page";
    pdf.windows(pat.len() + 1)
        .filter(|w| w.starts_with(pat) && !w[pat.len()].is_ascii_alphanumeric())
        .count()
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The number after `key ` at `at` (`/Length 123`, `/Contents 7 0 R`).
fn number_after(hay: &[u8], key: &[u8], from: usize, to: usize) -> usize {
    let at = find(&hay[..to], key, from).expect("key") + key.len();
    let digits: Vec<u8> = hay[at..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    String::from_utf8(digits).unwrap().parse().unwrap()
}

/// Per page of a PDF as Chromium (Skia) writes it, the text-showing
/// operators (`Tj`, `TJ`) of its content stream: a measure of how much
/// text the page holds (the fonts are subset, so the text itself is not
/// readable without a PDF library).
fn pdf_text_per_page(pdf: &[u8]) -> Vec<usize> {
    use std::io::Read;
    let pat = b"/Type /Page";
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = find(pdf, pat, at) {
        at = i + pat.len();
        if pdf[at].is_ascii_alphanumeric() {
            continue; // /Pages
        }
        let end = find(pdf, b"endobj", at).expect("endobj");
        let obj = number_after(pdf, b"/Contents", at, end);
        let start = find(pdf, format!("\n{obj} 0 obj").as_bytes(), 0).expect("contents");
        let stream = find(pdf, b"stream", start).expect("stream");
        let len = number_after(pdf, b"/Length", start, stream);
        let mut data = stream + b"stream".len();
        while matches!(pdf[data], b'\r' | b'\n') {
            data += 1;
        }
        let raw = &pdf[data..data + len];
        let mut text = Vec::new();
        if find(&pdf[..stream], b"/FlateDecode", start).is_some() {
            flate2::read::ZlibDecoder::new(raw)
                .read_to_end(&mut text)
                .expect("inflate");
        } else {
            text = raw.to_vec();
        }
        let ops = text
            .windows(2)
            .filter(|w| *w == b"Tj" || *w == b"TJ")
            .count();
        out.push(ops);
    }
    out
}

/// The printed report (Chromium's PDF): a sane number of A4 pages — the
/// sections follow one another, only the appendix starts a page, so the
/// small fixture fits on a few pages and the bundled catalog (48 systems,
/// 20 findings, a PUB-avtal table of 38 systems) on well under one page
/// per system; the same in English for one nämnd; and no page but the last
/// is near empty. Page numbers "Sida x av
/// y" and the running header are CSS `@page` margin boxes, which Chromium
/// prints since version 131 (checked by hand with a PDF text extractor;
/// the fonts are subset, so this test cannot read them).
#[test]
fn html_prints_to_a_sane_number_of_pages() {
    let Some(browser) = chromium_or_skip("the report's browser test") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, PathBuf, Vec<&str>, std::ops::RangeInclusive<usize>); 3] = [
        ("fixture", fixture(), vec!["--year", "2026"], 2..=8),
        (
            "bundled",
            root().join("catalog"),
            vec![
                "--year",
                "2026",
                "--as-of",
                "2026-11-23",
                "--reference",
                "KS 2026/1234",
            ],
            6..=24,
        ),
        (
            "bundled-ifo-en",
            root().join("catalog"),
            vec![
                "--year",
                "2026",
                "--as-of",
                "2026-11-23",
                "--lang",
                "en",
                "--namnd",
                "namnden-for-individ-och-familjeomsorg",
            ],
            3..=20,
        ),
    ];
    for (name, catalog, args, pages) in cases {
        let html = dir.path().join(format!("{name}.html"));
        kdl()
            .arg("report")
            .arg(&catalog)
            .args(&args)
            .arg("-o")
            .arg(&html)
            .assert()
            .code(0);
        let text = fs::read_to_string(&html).unwrap();
        assert!(text.contains("counter(pages)"), "{name}");
        let pdf = print_to_pdf(&browser, &html, dir.path());
        let n = pdf_pages(&pdf);
        let text = pdf_text_per_page(&pdf);
        eprintln!("{name}: {n} pages, text operators per page {text:?}");
        assert!(pages.contains(&n), "{name}: {n} pages, expected {pages:?}");
        assert_eq!(text.len(), n);
        // no page but the last is near empty: Chromium writes about 115
        // text operators for a page with only its running header and
        // footer, 300 is a handful of lines more, a full page has 1,000 to
        // 3,500
        let sparse = text.iter().filter(|t| **t < 300).count();
        assert!(sparse <= 1, "{name}: near-empty pages {text:?}");
    }
}

/// Snapshots of the Markdown and JSON reports of the bundled demo catalog.
#[test]
fn bundled_catalog_snapshots() {
    let catalog = root().join("catalog");
    let args = ["--year", "2026", "--as-of", "2026-11-23", "--lang", "sv"];
    let md = report(&catalog, &[&args[..], &["--format", "md"]].concat());
    insta::assert_snapshot!("bundled_report_md_sv", md);
    let json = report(&catalog, &[&args[..], &["--format", "json"]].concat());
    insta::assert_snapshot!("bundled_report_json_sv", json);
}

/// Every format on the bundled demo catalog: exit 0.
#[test]
fn bundled_catalog_reports_in_every_format() {
    let catalog = root().join("catalog");
    let dir = tempfile::tempdir().unwrap();
    for format in ["md", "json", "html", "xlsx"] {
        let out = dir.path().join(format!("rapport.{format}"));
        kdl()
            .arg("report")
            .arg(&catalog)
            .args(["--year", "2026", "--format", format, "-o"])
            .arg(&out)
            .assert()
            .code(0);
        assert!(fs::metadata(&out).unwrap().len() > 1000, "{format}");
    }
}

/// The report says where each exception stands with the same definition
/// the rules use to waive findings: its kind, its kind's own required
/// fields and expiry (Göteborg's avsteg may leave `expires` out), and who
/// may decide it.
#[test]
fn exceptions_stand_in_the_report_as_they_do_for_the_rules() {
    let status = |edit: &dyn Fn(&str) -> String| -> (String, String, u64) {
        let dir = tempfile::tempdir().expect("tmp");
        copy_dir(&root().join("examples/goteborg-2023-reviderad"), dir.path());
        let p = dir.path().join("namnder/idrotts-och-foreningsnamnden.yaml");
        let text = fs::read_to_string(&p).expect("read");
        fs::write(&p, edit(&text)).expect("write");
        let out = kdl()
            .arg("report")
            .arg(dir.path())
            .args([
                "--year",
                "2026",
                "--format",
                "json",
                "--as-of",
                "2026-11-23",
            ])
            .output()
            .expect("run");
        let json: Value = serde_json::from_slice(&out.stdout).expect("json");
        let e = &json["exceptions"][0];
        (
            e["kind"].as_str().unwrap_or("").to_string(),
            e["status"].as_str().unwrap_or("").to_string(),
            e["suppressed"].as_u64().unwrap_or(99),
        )
    };
    let no_expiry = |t: &str| t.replace("    expires: 2027-06-30\n", "");
    assert_eq!(status(&no_expiry), ("avsteg".into(), "in-force".into(), 1));
    let not_informed = |t: &str| t.replace("    ssg-informerad: 2025-09-18\n", "");
    assert_eq!(
        status(&not_informed),
        ("avsteg".into(), "invalid".into(), 0)
    );
    let other_decider = |t: &str| {
        t.replace(
            "decided-by: idrotts-och-foreningsnamnden",
            "decided-by: kommunstyrelsen",
        )
    };
    assert_eq!(
        status(&other_decider),
        ("avsteg".into(), "invalid".into(), 0)
    );
}

// ---- counts that agree ---------------------------------------------------

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn sum(rows: &Value, key: &str) -> u64 {
    rows.as_array().unwrap().iter().map(|r| n(&r[key])).sum()
}

/// `num / den` in per cent, rounded half up, as the report must show it.
fn half_up(num: u64, den: u64) -> u64 {
    (num * 200 + den) / (2 * den)
}

/// Every count of the report comes from one definition: the breakdowns of
/// section 1 (category, scope, lifecycle, owner) each add up to the systems
/// in scope and to the decommissioned ones; section 3 has the same category
/// buckets, assessing the systems not decommissioned and counting the
/// others apart; its total row is the sum of its rows; the appendix lists
/// every system; the findings by severity agree between the summary,
/// section 2 and section 4; the PUB-avtal statuses add up.
fn assert_counts_agree(r: &Value, what: &str) {
    let s = &r["summary"];
    let (systems, retired) = (n(&s["systems"]), n(&s["retired"]));
    assert!(retired <= systems, "{what}");
    for key in ["by_category", "by_scope", "by_lifecycle", "by_owner"] {
        assert_eq!(sum(&s[key], "count"), systems, "{what}: {key}");
        assert_eq!(sum(&s[key], "retired"), retired, "{what}: {key} retired");
    }
    let cats = r["categories"].as_array().unwrap();
    let by_cat = s["by_category"].as_array().unwrap();
    assert_eq!(cats.len(), by_cat.len(), "{what}: category buckets");
    for (c, b) in cats.iter().zip(by_cat) {
        assert_eq!(c["category"], b["id"], "{what}");
        assert_eq!(c["label"], b["label"], "{what}");
        assert_eq!(n(&c["retired"]), n(&b["retired"]), "{what}: {c}");
        assert_eq!(
            n(&c["systems"]) + n(&c["retired"]),
            n(&b["count"]),
            "{what}: {c}"
        );
        let parts = n(&c["compliant"]) + n(&c["with_warnings"]) + n(&c["with_errors"]);
        assert_eq!(parts, n(&c["systems"]), "{what}: {c}");
        if n(&c["systems"]) > 0 {
            let want = half_up(n(&c["compliant"]), n(&c["systems"]));
            assert_eq!(n(&c["percent"]), want, "{what}: {c}");
        }
    }
    let total = &r["categories_total"];
    for key in [
        "systems",
        "retired",
        "compliant",
        "with_warnings",
        "with_errors",
    ] {
        assert_eq!(
            n(&total[key]),
            sum(&r["categories"], key),
            "{what}: total {key}"
        );
    }
    assert_eq!(
        n(&total["systems"]) + n(&total["retired"]),
        systems,
        "{what}"
    );
    assert_eq!(
        r["systems"].as_array().unwrap().len() as u64,
        systems,
        "{what}"
    );
    // "in use" is the sum of the lifecycle rows it names
    let in_use: Vec<&Value> = s["in_use_statuses"].as_array().unwrap().iter().collect();
    let by_status: u64 = s["by_lifecycle"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| in_use.contains(&&c["id"]))
        .map(|c| n(&c["count"]))
        .sum();
    assert_eq!(by_status, n(&s["in_use"]), "{what}: in use");
    // findings: summary, section 2 and section 4
    let violations = r["violations"].as_array().unwrap();
    for (sev, key) in [
        ("error", "errors"),
        ("warning", "warnings"),
        ("info", "infos"),
    ] {
        let listed = violations.iter().filter(|v| v["severity"] == sev).count() as u64;
        assert_eq!(listed, n(&s[key]), "{what}: {key}");
        assert_eq!(
            sum(&r["compliance"], key),
            n(&s[key]),
            "{what}: {key} by group"
        );
    }
    assert_eq!(
        sum(&r["compliance"], "suppressed"),
        n(&s["suppressed"]),
        "{what}"
    );
    let p = &r["pub_coverage"];
    let statuses = ["covered", "partial", "missing", "not_required"];
    let by_status: u64 = statuses.iter().map(|k| n(&p[k])).sum();
    assert_eq!(by_status, n(&p["processing"]), "{what}: PUB-avtal");
    assert!(n(&p["internal"]) <= n(&p["not_required"]), "{what}");
    let internal = p["systems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["status"] == "internal")
        .count() as u64;
    assert_eq!(internal, n(&p["internal"]), "{what}: internal");
    assert!(n(&s["agreements_valid"]) <= n(&s["agreements"]), "{what}");
    assert_eq!(
        p["systems"].as_array().unwrap().len() as u64,
        n(&p["processing"]),
        "{what}"
    );
}

#[test]
fn percentages_are_rounded_half_up() {
    assert_eq!(half_up(2, 3), 67);
    assert_eq!(half_up(1, 8), 13);
    assert_eq!(half_up(1, 3), 33);
}

#[test]
fn counts_agree_on_the_fixture_and_the_bundled_catalog() {
    let r = json(&fixture(), &["--year", "2026"]);
    assert_counts_agree(&r, "fixture");
    let r = json(&fixture(), &["--year", "2026", "--namnd", "socialnamnden"]);
    assert_counts_agree(&r, "fixture, socialnamnden");
    let catalog = root().join("catalog");
    let r = json(&catalog, &["--year", "2026", "--as-of", "2026-11-23"]);
    assert_counts_agree(&r, "bundled");
    // the bundled catalog has a decommissioned verksamhetssystem: counted in
    // section 1, set apart (and said so) in section 3
    let vs = r["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "verksamhetssystem")
        .unwrap();
    assert!(n(&vs["retired"]) >= 1, "{vs}");
    let md = report(
        &catalog,
        &["--year", "2026", "--as-of", "2026-11-23", "--format", "md"],
    );
    assert!(
        md.contains("avvecklat system bedöms inte") || md.contains("avvecklade system bedöms inte")
    );
    for namnd in r["summary"]["by_owner"].as_array().unwrap() {
        let Some(id) = namnd["id"].as_str() else {
            continue;
        };
        let r = json(
            &catalog,
            &["--year", "2026", "--as-of", "2026-11-23", "--namnd", id],
        );
        assert_counts_agree(&r, id);
    }
}

#[test]
fn counts_agree_on_a_generated_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("catalog");
    let mut argv: Vec<String> = [
        "--systems",
        "400",
        "--seed",
        "1",
        "--violations",
        "0.3",
        "--out",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    argv.push(out.to_string_lossy().into_owned());
    gen_catalog::generate(argv).expect("generate the catalog");
    let r = json(&out, &["--year", "2026", "--as-of", "2026-11-23"]);
    assert!(n(&r["summary"]["systems"]) >= 400);
    assert_counts_agree(&r, "generated");
    let owner = r["summary"]["by_owner"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = json(
        &out,
        &["--year", "2026", "--as-of", "2026-11-23", "--namnd", &owner],
    );
    assert_counts_agree(&r, "generated, one nämnd");
}

/// The workbook's cells are typed: dates are date cells (not text), counts,
/// years and line numbers numbers, shares fractions; every table leads with
/// names (a person with the title as the model labels it) and keeps the ids in trailing columns.
#[test]
fn xlsx_cells_are_typed_and_lead_with_names() {
    use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.xlsx");
    kdl()
        .arg("report")
        .arg(fixture())
        .args([
            "--year",
            "2026",
            "--format",
            "xlsx",
            "--reference",
            "KS 2026/17",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(0);
    let mut wb: Xlsx<_> = open_workbook(&out).expect("open xlsx");
    // Excel's serial day numbers (days since 1899-12-30)
    let date = |cell: Option<&Data>| match cell {
        Some(Data::DateTime(d)) => d.as_f64(),
        other => panic!("not a date cell: {other:?}"),
    };
    let row_of = |range: &calamine::Range<Data>, label: &str| -> usize {
        range
            .rows()
            .position(|r| r.first().and_then(|c| c.get_string()) == Some(label))
            .unwrap_or_else(|| panic!("no row {label}"))
    };

    let s = wb.worksheet_range("Sammanfattning").unwrap();
    assert_eq!(s.get((row_of(&s, "År"), 1)), Some(&Data::Float(2026.0)));
    assert_eq!(date(s.get((row_of(&s, "Per"), 1))), 46387.0); // 2026-12-31
    assert_eq!(
        s.get((row_of(&s, "Diarienummer"), 1)),
        Some(&Data::String("KS 2026/17".into()))
    );
    // section 3's total row: 4 of 9 systems without findings, a fraction
    let total = s
        .rows()
        .rposition(|r| r.first().and_then(|c| c.get_string()) == Some("Totalt"))
        .unwrap();
    assert_eq!(s.get((total, 1)), Some(&Data::Float(9.0)));
    assert_eq!(s.get((total, 5)), Some(&Data::Float(4.0 / 9.0)));
    let vs = row_of(&s, "Verksamhetssystem");
    assert_eq!(
        s.get((vs, 3)),
        Some(&Data::String("verksamhetssystem".into()))
    );

    let r = wb.worksheet_range("Roller").unwrap();
    let erik = r
        .rows()
        .position(|x| x.get(3).and_then(|c| c.get_string()) == Some("Erik Sand, systemförvaltare"))
        .expect("Erik Sand by name and title");
    assert_eq!(r.get((erik, 0)), Some(&Data::String("Raindance".into())));
    assert_eq!(date(r.get((erik, 4))), 46295.0); // 2026-09-30
    assert_eq!(r.get((erik, 5)), Some(&Data::String("raindance".into())));
    assert_eq!(r.get((erik, 6)), Some(&Data::String("erik-sand".into())));

    let a = wb.worksheet_range("Avtal").unwrap();
    assert_eq!(
        a.get((1, 2)),
        Some(&Data::String("TimeCare Planering".into()))
    );
    assert_eq!(date(a.get((1, 4))), 46507.0); // 2027-04-30
    assert_eq!(a.get((1, 5)), Some(&Data::Float(120.0)));
    assert_eq!(
        a.get((1, 8)),
        Some(&Data::String("timecare-grundavtal".into()))
    );
    assert_eq!(a.get((1, 9)), Some(&Data::String("timecare".into())));

    let e = wb.worksheet_range("Avsteg").unwrap();
    assert_eq!(
        e.get((1, 0)),
        Some(&Data::String("TimeCare Planering".into()))
    );
    assert_eq!(date(e.get((1, 4))), 46146.0); // 2026-05-04
    assert_eq!(e.get((1, 6)), Some(&Data::Float(1.0)));
    assert_eq!(e.get((1, 9)), Some(&Data::Float(47.0)));
    assert_eq!(e.get((1, 10)), Some(&Data::String("timecare".into())));

    let sys = wb.worksheet_range("System").unwrap();
    let raindance = row_of(&sys, "Raindance");
    assert_eq!(
        sys.get((raindance, 4)),
        Some(&Data::String("Nämnden för Service".into()))
    );
    assert_eq!(
        sys.get((raindance, 5)),
        Some(&Data::String("alla nämnder".into()))
    );
    assert_eq!(
        sys.get((raindance, 3)),
        Some(&Data::String("I drift".into()))
    );
    assert_eq!(sys.get((raindance, 6)), Some(&Data::Float(1.0))); // errors
    assert!(matches!(sys.get((raindance, 11)), Some(Data::DateTime(_))));
    assert_eq!(
        sys.get((raindance, 18)),
        Some(&Data::String("raindance".into()))
    );
    assert_eq!(
        sys.get((raindance, 19)),
        Some(&Data::String("namnden-for-service".into()))
    );
}

/// `--reference` (the diarienummer) is in the header of the report and of
/// every printed page (a CSS string, hex-escaped: no value can end the
/// string, the rule or the style sheet), and in the Markdown and JSON.
#[test]
fn reference_heads_every_page_and_cannot_escape_the_style_sheet() {
    let html = report(
        &fixture(),
        &[
            "--year",
            "2026",
            "--format",
            "html",
            "--reference",
            "KS 2026/1234",
        ],
    );
    assert!(
        html.contains("<dd id=\"reference\">KS 2026&#x2f;1234</dd>"),
        "{html}"
    );
    assert!(
        html.contains("@top-right { content: \"KS 2026\\2f 1234\";"),
        "{html}"
    );
    assert!(html.contains("@top-left { content: \"Kungsbacka kommun · Årlig uppföljning av digitala tjänster och system 2026\";"));
    let md = report(
        &fixture(),
        &[
            "--year",
            "2026",
            "--format",
            "md",
            "--reference",
            "KS 2026/1234",
        ],
    );
    assert!(md.contains(" · Diarienummer: KS 2026/1234\n"), "{md}");
    let r = json(
        &fixture(),
        &["--year", "2026", "--reference", " KS 2026/1234 "],
    );
    assert_eq!(r["reference"], "KS 2026/1234");

    let hostile = "\"; } body { display: none } </style><script>alert(1)</script>\\";
    let html = report(
        &fixture(),
        &["--year", "2026", "--format", "html", "--reference", hostile],
    );
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(!html.to_lowercase().contains("<script"));
    // the value stays inside its CSS string: no quote, brace or angle
    // bracket of its own survives unescaped
    let line = html.lines().find(|l| l.contains("@top-right")).unwrap();
    let start = line.find("content: \"").unwrap() + "content: \"".len();
    let value = &line[start..line[start..].find("\";").unwrap() + start];
    assert!(value.starts_with("\\22 \\3b  \\7d  body"), "{line}");
    for c in ['"', '{', '}', '<', '>', ';'] {
        assert!(!value.contains(c), "{c} in {line}");
    }
}

/// Plurals and the decommissioned systems, in Swedish and English: two
/// systems of the fixture decommissioned are counted in section 1 ("varav
/// 2 avvecklade") and set apart in section 3, with the counts agreeing;
/// one decommissioned system is singular.
#[test]
fn decommissioned_systems_are_counted_and_said_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("katalog");
    copy_dir(&fixture(), &cat);
    replace(
        &cat.join("system/sjunet.yaml"),
        "status: i-drift",
        "status: avvecklad",
    );
    let one = json(&cat, &["--year", "2026"]);
    assert_counts_agree(&one, "one decommissioned");
    assert_eq!(one["summary"]["retired"], 1);
    let html = report(&cat, &["--year", "2026", "--format", "html"]);
    assert!(
        html.contains("<span id=\"kpi-retired\">varav 1 avvecklat</span>"),
        "{html}"
    );
    assert!(html.contains("1 avvecklat system bedöms inte."));
    let html = report(
        &cat,
        &["--year", "2026", "--format", "html", "--lang", "en"],
    );
    assert!(html.contains("<span id=\"kpi-retired\">of which 1 decommissioned</span>"));
    assert!(html.contains("1 decommissioned system is not assessed."));

    replace(
        &cat.join("system/facebook.yaml"),
        "status: i-drift",
        "status: avvecklad",
    );
    let two = json(&cat, &["--year", "2026"]);
    assert_counts_agree(&two, "two decommissioned");
    assert_eq!(two["summary"]["retired"], 2);
    assert_eq!(two["categories_total"]["systems"], 7);
    assert_eq!(two["categories_total"]["retired"], 2);
    let md = report(&cat, &["--year", "2026", "--format", "md"]);
    assert!(md.contains("| – varav avvecklade | 2 |"), "{md}");
    assert!(md.contains("2 avvecklade system bedöms inte."), "{md}");
    let md = report(&cat, &["--year", "2026", "--format", "md", "--lang", "en"]);
    assert!(md.contains("| – of which decommissioned | 2 |"), "{md}");
    assert!(
        md.contains("2 decommissioned systems are not assessed."),
        "{md}"
    );
    assert!(
        md.contains("| Concerns | Rule | Severity | Message | File:line |"),
        "{md}"
    );
    assert!(md.contains(" % ("), "{md}");
    assert!(md.contains(" of "), "{md}");
}

/// For one nämnd, in English: its name heads the report, the counts agree,
/// the findings lead with names and the people are named with their title.
#[test]
fn namnd_report_in_english_reads_with_names() {
    let args = ["--year", "2026", "--namnd", "socialnamnden", "--lang", "en"];
    let r = json(&fixture(), &args);
    assert_counts_agree(&r, "socialnamnden, en");
    assert_eq!(r["names"]["socialnamnden"]["label"], "Socialnämnden");
    assert_eq!(
        r["names"]["erik-sand"]["label"],
        "Erik Sand, system manager"
    );
    let md = report(&fixture(), &[&args[..], &["--format", "md"]].concat());
    assert!(md.contains("Board: Socialnämnden (socialnamnden)"), "{md}");
    assert!(
        md.contains("| Treserva (`treserva`) | `pub/missing` | error | "),
        "{md}"
    );
    assert!(
        md.contains("In use (in operation, being decommissioned)"),
        "{md}"
    );
    // the uncovered nämnd by name, the id kept in the JSON
    assert!(
        md.contains("| Nämnden för Vård & Omsorg | Socialnämnden |"),
        "{md}"
    );
    let html = report(&fixture(), &[&args[..], &["--format", "html"]].concat());
    assert!(html.contains("Erik Sand, system manager <span class=\"id\">erik-sand</span>"));
    assert!(
        html.contains("Page\" \" \" counter(page) \" \" \"of\" \" \" counter(pages)"),
        "{html}"
    );
    assert!(html.contains("<time datetime=\"2026-09-30\">2026-09-30</time>"));
}

/// An SVG logo with a script in it: shown through `<img>`, which runs none.
const LOGO_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><script>alert(1)</script><rect width=\"40\" height=\"20\" fill=\"#1e7b34\"/></svg>";

/// `--logo` embeds the image in the HTML header as a `data:` URI (nothing
/// is loaded from anywhere, the image's own markup never becomes the
/// page's); not an image, or too large, exits 2 and writes nothing.
#[test]
fn logo_is_embedded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.svg");
    fs::write(&logo, LOGO_SVG).unwrap();
    let out = kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--format", "html", "--logo"])
        .arg(&logo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("<img class=\"logo\" alt=\"\" src=\"data:image/svg+xml;base64,PHN2Zy"),
        "{html}"
    );
    assert!(!html.to_lowercase().contains("<script"));
    assert!(html.contains("img-src data:"));
    // the JSON does not carry it
    let out = kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--format", "json", "--logo"])
        .arg(&logo)
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("base64"));

    let text = dir.path().join("logo.txt");
    fs::write(&text, "inte en bild").unwrap();
    let target = dir.path().join("rapport.html");
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--logo"])
        .arg(&text)
        .arg("-o")
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "är ingen PNG-, JPEG-, GIF- eller SVG-bild",
        ));
    assert!(!target.exists());
    let big = dir.path().join("logo.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(600 * 1024, 0);
    fs::write(&big, bytes).unwrap();
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "--lang", "en", "--logo"])
        .arg(&big)
        .arg("-o")
        .arg(&target)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is larger than 512 KB"));
    assert!(!target.exists());
}

/// `report: {preface}` in `kdl.yaml` opens the report: plain text in
/// paragraphs (blank lines), escaped like any catalog text, in every format;
/// the key is valid configuration, a misspelt one is not.
#[test]
fn preface_from_kdl_yaml_opens_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("katalog");
    copy_dir(&fixture(), &cat);
    let config = cat.join("kdl.yaml");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str(
        "report:\n  preface: |\n    Uppföljningen redovisas till\n    kommunstyrelsen.\n\n    <b>Andra</b> stycket | med tecken.\n",
    );
    fs::write(&config, &text).unwrap();
    let r = json(&cat, &["--year", "2026"]);
    assert_eq!(
        r["preface"],
        serde_json::json!([
            "Uppföljningen redovisas till kommunstyrelsen.",
            "<b>Andra</b> stycket | med tecken."
        ])
    );
    let html = report(&cat, &["--year", "2026", "--format", "html"]);
    assert!(
        html.contains("<p>Uppföljningen redovisas till kommunstyrelsen.</p>"),
        "{html}"
    );
    assert!(html.contains("<p>&lt;b&gt;Andra&lt;&#x2f;b&gt; stycket | med tecken.</p>"));
    let md = report(&cat, &["--year", "2026", "--format", "md"]);
    assert!(
        md.contains("Uppföljningen redovisas till kommunstyrelsen.\n\n&lt;b&gt;Andra&lt;/b&gt; stycket \\| med tecken.\n\n## 1. Sammanfattning"),
        "{md}"
    );
    // valid configuration; a misspelt key is not
    let lint = kdl().arg("lint").arg(&cat).output().unwrap();
    assert!(!String::from_utf8_lossy(&lint.stdout).contains("config/invalid"));
    fs::write(&config, text.replace("  preface:", "  prefce:")).unwrap();
    let lint = kdl().arg("lint").arg(&cat).output().unwrap();
    assert!(
        String::from_utf8_lossy(&lint.stdout).contains("config/invalid"),
        "{}",
        String::from_utf8_lossy(&lint.stdout)
    );
}

/// The report's record coverage comes from the `require/record` rules
/// themselves: what each asks for on the report's date (entities, or an
/// entity per user nämnd) and the findings lint gives for it.
#[test]
fn record_coverage_counts_what_the_rules_ask_for() {
    let dir = root().join("examples/goteborg-2023-reviderad");
    let r = json(&dir, &["--year", "2026", "--as-of", "2026-11-23"]);
    let records = r["records"].as_array().expect("records");
    let of = |rule: &str| {
        records
            .iter()
            .find(|x| x["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule} in records"))
    };
    let plan = of("gbg/digitaliseringsplan");
    assert_eq!(
        (plan["due"].as_u64(), plan["met"].as_u64()),
        (Some(10), Some(9))
    );
    assert_eq!(plan["gaps"][0]["entity"], "bostads-ab-poseidon");
    let beslut = of("gbg/ovrig-tjanst-beslut");
    assert_eq!(beslut["per_user_namnd"], true);
    assert_eq!(
        (beslut["due"].as_u64(), beslut["met"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(beslut["gaps"][0]["subject"], "grundskolenamnden");
    // Every gap is one of lint's findings of the same rule, and every such
    // finding is a gap.
    let out = kdl()
        .arg("lint")
        .arg(&dir)
        .args(["--format", "json", "--as-of", "2026-11-23"])
        .output()
        .expect("lint");
    let lint: Value = serde_json::from_slice(&out.stdout).expect("json");
    for x in records {
        let found = lint["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["rule"] == x["rule"])
            .count();
        assert_eq!(
            x["gaps"].as_array().map(Vec::len),
            Some(found),
            "{}",
            x["rule"]
        );
    }
    let md = report(
        &dir,
        &["--year", "2026", "--as-of", "2026-11-23", "--format", "md"],
    );
    assert!(md.contains("## 11. Beslut, planer och andra dokument som modellen kräver"));
    assert!(
        md.contains("| Digitaliseringsplan | `gbg/digitaliseringsplan` | 10 | 9 | 0 |"),
        "{md}"
    );
}
