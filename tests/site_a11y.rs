//! `kdl site` in a real browser: axe-core's WCAG 2.1 A/AA checks on one
//! page of each kind of the bundled demo catalog's site (and on the list
//! pages of a kind too long for the home page), and the search
//! page's script finding a system. The site is served over HTTP from a
//! small server in this test (a page opened as a file cannot fetch the
//! search index), to headless Chromium.
//!
//! Needs Debian's `chromium` and npm's `axe-core`. Without them each test
//! prints "skipped" — unless CI asks for them (`KDL_REQUIRE_CHROMIUM`,
//! `KDL_REQUIRE_AXE`, set by `.ci/run` after installing them), when a
//! missing tool fails the test.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use common::browser::{chromium_or_skip, headless};
use common::{kdl, root};

/// axe-core's `axe.min.js`: `KDL_AXE` (a path), else where `.ci/run`
/// installs it, else npm's global modules. `None` after saying "skipped"
/// (a failure when `KDL_REQUIRE_AXE` is set).
fn axe_or_skip() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("KDL_AXE") {
        candidates.push(PathBuf::from(p));
    }
    candidates.push(PathBuf::from(
        "/tmp/kdl-ci-npm/node_modules/axe-core/axe.min.js",
    ));
    if let Ok(out) = StdCommand::new("npm").args(["root", "-g"]).output() {
        let g = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !g.is_empty() {
            candidates.push(Path::new(&g).join("axe-core/axe.min.js"));
        }
    }
    let found = candidates.into_iter().find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("KDL_REQUIRE_AXE").is_none(),
            "KDL_REQUIRE_AXE is set but axe-core's axe.min.js was not found (set KDL_AXE)"
        );
        eprintln!("SKIPPED: no axe-core (npm install axe-core, or set KDL_AXE); the accessibility check did not run");
    }
    found
}

/// Serves `dir` over HTTP on a free local port until the process ends;
/// returns the base URL. GET only; paths with `..` are refused.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            if BufReader::new(&stream).read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/");
            let path = path.split(['?', '#']).next().unwrap_or("/");
            let rel = path.trim_start_matches('/');
            let rel = if rel.is_empty() { "index.html" } else { rel };
            let body = (!rel.contains(".."))
                .then(|| fs::read(dir.join(rel)).ok())
                .flatten();
            let (status, body) = match body {
                Some(b) => ("200 OK", b),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let ty = match rel.rsplit('.').next() {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {ty}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// Loads `url` in headless Chromium, lets scripts run, returns the DOM.
fn dump_dom(browser: &Path, profile: &Path, url: &str) -> String {
    let out = headless(browser, profile)
        .args(["--virtual-time-budget=30000", "--dump-dom"])
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes the demo catalog's site into `dir/site`.
fn demo_site(dir: &Path, args: &[&str]) -> PathBuf {
    let out = dir.join("site");
    kdl()
        .arg("site")
        .arg(root().join("catalog"))
        .arg("-o")
        .arg(&out)
        .args(["--as-of", "2026-11-23"])
        .args(args)
        .assert()
        .code(0);
    out
}

/// Runs axe in the page after it loaded; writes the violations as JSON
/// into `<pre id="axe-result">`.
const AXE_RUN: &str = r#"
window.addEventListener("load", function () {
  axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    .then(function (r) {
      var out = r.violations.map(function (v) {
        return { id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" "); }) };
      });
      var pre = document.createElement("pre");
      pre.id = "axe-result";
      pre.textContent = JSON.stringify({ passes: r.passes.length, violations: out });
      document.body.appendChild(pre);
    });
});
"#;

/// Runs axe on `page` of the site in `out` (served at `base`): adds axe
/// and its runner to the page (same origin, so the page's own
/// Content-Security-Policy allows them), loads it, returns axe's report.
fn axe_on(browser: &Path, work: &Path, out: &Path, base: &str, page: &str) -> serde_json::Value {
    let path = out.join(page);
    let html = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{page}: {e}"));
    let depth = "../".repeat(page.matches('/').count());
    let with = html.replace(
        "</body>",
        &format!("<script src=\"{depth}axe.min.js\"></script><script src=\"{depth}axe-run.js\"></script></body>"),
    );
    fs::write(&path, with).unwrap();
    let profile = work.join(format!("profile-{}", page.replace('/', "_")));
    let dom = dump_dom(browser, &profile, &format!("{base}{page}"));
    let json = dom
        .split("<pre id=\"axe-result\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| panic!("axe did not report on {page}:\n{dom}"));
    let json = json
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn site_passes_axe_wcag21_aa() {
    let (Some(browser), Some(axe)) = (chromium_or_skip("the accessibility check"), axe_or_skip())
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (variant, args) in [("sv", &[][..]), ("public", &["--no-persons"][..])] {
        let sub = dir.path().join(variant);
        fs::create_dir(&sub).unwrap();
        let out = demo_site(&sub, args);
        fs::copy(&axe, out.join("axe.min.js")).unwrap();
        fs::write(out.join("axe-run.js"), AXE_RUN).unwrap();
        // a control page axe must fault (an image without text, an
        // unlabelled field): the check is not vacuous
        fs::write(
            out.join("control.html"),
            "<!DOCTYPE html><html><head><title>x</title></head><body><img src=\"x.png\"><input type=\"text\"></body></html>",
        )
        .unwrap();
        let base = serve(out.clone());
        let control = axe_on(&browser, &sub, &out, &base, "control.html");
        assert!(
            control["violations"].as_array().unwrap().len() >= 2,
            "axe found nothing on the control page: {control}"
        );
        let mut pages = vec![
            "index.html",
            "search.html",
            "system/vklass.html",
            "namnd/namnden-for-gymnasium-och-arbetsmarknad.html",
            "avtal/heroma-pub.html",
            "behandling/bn-bygglov.html",
        ];
        if args.is_empty() {
            pages.push("person/johan-ekstrom.html");
        }
        for page in pages {
            accessible(&axe_on(&browser, &sub, &out, &base, page), variant, page);
        }
    }
    // A kind too long for the home page: the home page's links to its list
    // pages, and the list pages themselves.
    let sub = dir.path().join("long");
    let cat = sub.join("catalog");
    common::copy_dir(&root().join("catalog"), &cat);
    let vklass = fs::read_to_string(cat.join("system/vklass.yaml")).unwrap();
    for i in 0..500 {
        let text = vklass
            .replace("id: vklass", &format!("id: gen-{i:03}"))
            .replace("name: Vklass", &format!("name: Gen {i:03}"));
        fs::write(cat.join(format!("system/gen-{i:03}.yaml")), text).unwrap();
    }
    let out = sub.join("site");
    kdl()
        .arg("site")
        .arg(&cat)
        .arg("-o")
        .arg(&out)
        .args(["--as-of", "2026-11-23"])
        .assert()
        .code(0);
    fs::copy(&axe, out.join("axe.min.js")).unwrap();
    fs::write(out.join("axe-run.js"), AXE_RUN).unwrap();
    let base = serve(out.clone());
    for page in ["index.html", "lista-system-1.html", "lista-system-2.html"] {
        accessible(&axe_on(&browser, &sub, &out, &base, page), "long", page);
    }
}

/// Axe ran its checks on `page` and found no violation.
fn accessible(r: &serde_json::Value, variant: &str, page: &str) {
    assert!(
        r["passes"].as_u64().unwrap() > 10,
        "{page}: axe ran too few checks"
    );
    assert_eq!(
        r["violations"].as_array().unwrap().len(),
        0,
        "{variant} {page}: {}",
        serde_json::to_string_pretty(&r["violations"]).unwrap()
    );
}

#[test]
fn search_page_finds_a_system_in_a_browser() {
    let Some(browser) = chromium_or_skip("the search test") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = demo_site(dir.path(), &[]);
    let base = serve(out);
    let dom = dump_dom(
        &browser,
        &dir.path().join("profile"),
        &format!("{base}search.html?q=vkla"),
    );
    assert!(
        dom.contains("<a href=\"system/vklass.html\">Vklass</a>"),
        "{dom}"
    );
    // Vklass and its three agreements
    assert!(dom.contains("4 träffar"), "{dom}");
    // By a word of a system's description, shown under the hit.
    let dom = dump_dom(
        &browser,
        &dir.path().join("profile"),
        &format!("{base}search.html?q=grundkartor"),
    );
    assert!(dom.contains("href=\"system/autocad.html\""), "{dom}");
    assert!(
        dom.contains(
            "<span class=\"desc\">CAD-program för ritningar, projektering och grundkartor.</span>"
        ),
        "{dom}"
    );
    assert!(dom.contains("1 träff<"), "{dom}");
}
