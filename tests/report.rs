//! `kdl report`: the yearly follow-up, on `tests/fixtures/report/` — a
//! small catalog with a few violations, a person who left, an expiring
//! agreement, an exception in force and an expired one, and a system whose
//! name carries `<script>alert(1)</script>`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use serde_json::Value;

mod common;
use common::{copy_dir, kdl, root};

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
    assert!(md.contains("| Raindance (`raindance`) | System manager | holder has left | Erik Sand (`erik-sand`) | 2026-09-30 |"));
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
    assert!(html.contains("@page { size: A4"));
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
    let v = wb.worksheet_range("Avvikelser").unwrap();
    assert_eq!(v.height(), 7);
    assert_eq!(v.get((0, 0)), Some(&Data::String("Fil".into())));
    assert_eq!(
        v.get((1, 0)),
        Some(&Data::String("avtal/timecare-grundavtal.yaml".into()))
    );
    assert_eq!(v.get((1, 1)), Some(&Data::Float(7.0)));
    let s = wb.worksheet_range("System").unwrap();
    assert_eq!(s.height(), 10);
    assert!(s
        .rows()
        .any(|r| r.get(1) == Some(&Data::String("Facebook <script>alert(1)</script>".into()))));
    let e = wb.worksheet_range("Avsteg").unwrap();
    assert_eq!(e.get((1, 4)), Some(&Data::String("VON-2026-00112".into())));
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
    assert_eq!(w3d3[0]["before"], serde_json::json!(["sofia-lind"]));
    assert_eq!(w3d3[0]["after"], serde_json::json!(["nils-dahl"]));
    assert_eq!(w3d3[0]["commit"], change.as_str());
    assert_eq!(w3d3[0]["date"], "2026-03-15");
    assert_eq!(w3d3[0]["author"], "Revisor Test");

    // the same in Markdown
    let md = report(&cat, &["--year", "2026", "--compare-git", "--format", "md"]);
    assert!(md.contains("## 11. Förändringar under året"));
    assert!(md.contains(&format!("`{}`", &change[..12])));

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

fn chromium() -> Option<PathBuf> {
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|name| {
        let out = StdCommand::new("which").arg(name).output().ok()?;
        out.status
            .success()
            .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
    })
}

/// Loads the report in headless Chromium: the page must render the
/// expected counts, show the `<script>` name as text, run no script and
/// log no console error (a blocked request would log one, through the
/// page's Content-Security-Policy). Skipped without Chromium unless
/// `KDL_REQUIRE_CHROMIUM` is set (CI installs Debian's `chromium`).
#[test]
fn html_renders_in_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("KDL_REQUIRE_CHROMIUM").is_none(),
            "KDL_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        eprintln!("skipped: no chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.html");
    kdl()
        .arg("report")
        .arg(fixture())
        .args(["--year", "2026", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let profile = dir.path().join("profile");
    let run = StdCommand::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
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
    let run = StdCommand::new(chromium().expect("chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile2").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", bundled.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&run.stdout);
    assert!(dom.contains("id=\"kpi-systems\">48<"), "{dom}");
    // The bundled catalog as of 2026-11-23: 14 errors (model format 2).
    assert!(dom.contains("id=\"kpi-errors\">14<"), "{dom}");
    for line in String::from_utf8_lossy(&run.stderr).lines() {
        assert!(!line.contains("CONSOLE"), "console output: {line}");
        assert!(!line.contains("Refused to"), "blocked: {line}");
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
