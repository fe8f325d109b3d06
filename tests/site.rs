//! `kdl site`: the static site of a catalog — pages per kind, links that
//! resolve, the lint run's findings, `--no-persons`, escaping, the output
//! directory's safety, determinism; snapshots of one page of each kind and
//! of the search index (`tests/fixtures/report/`, whose Facebook system is
//! named `<script>alert(1)</script>`).

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, kdl, root};

const AS_OF: &str = "2026-11-23";

fn fixture() -> PathBuf {
    root().join("tests/fixtures/report")
}

/// Runs `kdl site CATALOG -o OUT ARGS…`, asserting exit 0.
fn site(catalog: &Path, out: &Path, args: &[&str]) {
    let o = kdl()
        .arg("site")
        .arg(catalog)
        .arg("-o")
        .arg(out)
        .args(["--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A file's text, with the `/` the HTML escaping writes as `&#x2f;` back.
fn text(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel))
        .unwrap()
        .replace("&#x2f;", "/")
}

/// The `href` values of a page.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// Entity files of a catalog by kind directory: (id, name).
fn entities(catalog: &Path, dir: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(catalog.join(dir)).unwrap() {
        let t = fs::read_to_string(e.unwrap().path()).unwrap();
        let field = |k: &str| {
            t.lines()
                .find_map(|l| l.strip_prefix(k))
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        out.push((field("id:").unwrap(), field("name:")));
    }
    out.sort();
    out
}

#[test]
fn demo_catalog_site_has_every_page_and_every_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    site(&root().join("catalog"), &out, &[]);
    let all = files(&out);
    for (kind, sub) in [
        ("system", "system"),
        ("namnd", "namnder"),
        ("person", "personer"),
        ("avtal", "avtal"),
        ("behandling", "behandlingar"),
    ] {
        for (id, _) in entities(&root().join("catalog"), sub) {
            assert!(
                all.contains_key(&format!("{kind}/{id}.html")),
                "no page for {kind} {id}"
            );
        }
    }
    for (rel, bytes) in &all {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"),
            "{rel}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "one h1: {rel}");
        assert!(html.contains("<main id=\"main\""), "{rel}");
        assert!(html.contains("class=\"skip\" href=\"#main\""), "{rel}");
        let base = Path::new(rel).parent().unwrap();
        for h in hrefs(&html) {
            assert!(!h.contains("://"), "external link in {rel}: {h}");
            let file = h.split('#').next().unwrap();
            if file.is_empty() {
                continue;
            }
            let target = base.join(file);
            let norm: PathBuf = target.components().fold(PathBuf::new(), |mut p, c| {
                match c {
                    std::path::Component::ParentDir => {
                        p.pop();
                    }
                    other => p.push(other),
                }
                p
            });
            let norm = norm.to_string_lossy().replace('\\', "/");
            assert!(all.contains_key(&norm), "{rel} links to missing {h}");
        }
    }
    // the home page counts what `kdl lint` finds
    let lint = kdl()
        .args(["lint", "--format", "json", "--as-of", AS_OF])
        .arg(root().join("catalog"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&lint.stdout).unwrap();
    let home = text(&out, "index.html");
    let errors = json["summary"]["errors"].as_u64().unwrap();
    assert!(
        home.contains(&format!(
            "<span class=\"v\">{errors}</span> <span class=\"l\">Fel</span>"
        )),
        "{home}"
    );
    // every finding of the lint run is on some page, with its rule and file:line
    let pages: String = all
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(_, v)| String::from_utf8_lossy(v).replace("&#x2f;", "/"))
        .collect();
    for d in json["diagnostics"].as_array().unwrap() {
        let at = format!("<code>{}:{}</code>", d["file"].as_str().unwrap(), d["line"]);
        assert!(pages.contains(&at), "finding not shown: {d}");
    }
    // the marker lists exactly the files written
    let marker = text(&out, ".kdl-site");
    let listed: BTreeSet<&str> = marker.lines().skip(1).collect();
    let written: BTreeSet<&str> = all
        .keys()
        .map(String::as_str)
        .filter(|k| *k != ".kdl-site")
        .collect();
    assert_eq!(listed, written);
}

#[test]
fn pages_show_roles_agreements_behandlingar_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    site(&root().join("catalog"), &out, &[]);
    let vklass = text(&out, "system/vklass.html");
    assert!(vklass.contains("<h1>Vklass</h1>"));
    // Scope and status by their labels, as hover and the yearly report
    // show them (Model::scope_display, status_display).
    assert!(vklass.contains("<dd>Förvaltningsspecifik</dd>"), "{vklass}");
    assert!(vklass.contains("<dd>I drift</dd>"), "{vklass}");
    assert!(vklass.contains("Systemförvaltare"), "{vklass}");
    assert!(vklass.contains("href=\"../person/johan-ekstrom.html\""));
    // the finding `kdl lint` prints for Vklass: rule, clause, file:line
    assert!(vklass.contains("<code>roles/vacant</code>"), "{vklass}");
    assert!(vklass.contains("<code>system/vklass.yaml:16</code>"));
    assert!(vklass.contains("§5.1.1"));
    let person = text(&out, "person/johan-ekstrom.html");
    assert!(
        person.contains("href=\"../system/vklass.html\""),
        "{person}"
    );
    // English
    let en = dir.path().join("en");
    site(&root().join("catalog"), &en, &["--lang", "en"]);
    let vklass = text(&en, "system/vklass.html");
    assert!(vklass.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(vklass.contains("Current findings"));
    assert!(
        vklass.contains("<dd>Administration-specific</dd>"),
        "{vklass}"
    );
    assert!(vklass.contains("<dd>In operation</dd>"), "{vklass}");
}

#[test]
fn no_persons_site_names_no_person_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let catalog = root().join("catalog");
    // over a previous site with persons: their pages must go too
    site(&catalog, &out, &[]);
    assert!(out.join("person/johan-ekstrom.html").exists());
    site(&catalog, &out, &["--no-persons"]);
    let all = files(&out);
    assert!(!all.keys().any(|k| k.starts_with("person/")));
    let persons = entities(&catalog, "personer");
    assert!(persons.len() > 10);
    for (rel, bytes) in &all {
        let t = String::from_utf8_lossy(bytes);
        for (id, name) in &persons {
            assert!(!t.contains(id.as_str()), "{rel} names person id {id}");
            if let Some(n) = name {
                assert!(!t.contains(n.as_str()), "{rel} names person {n}");
            }
        }
    }
    // roles are still shown, without their holder
    let vklass = text(&out, "system/vklass.html");
    assert!(vklass.contains("Systemförvaltare"));
    assert!(vklass.contains("(utelämnad)"));
}

#[test]
fn catalog_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    site(&fixture(), &out, &[]);
    let mut seen = false;
    for (rel, bytes) in files(&out) {
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains("<script>alert"), "{rel}");
        assert!(!t.contains("</script>alert"), "{rel}");
        seen |= t.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;");
    }
    assert!(seen, "the hostile name is shown, escaped");
    // the only script is the site's own, by file
    let home = text(&out, "index.html");
    assert_eq!(home.matches("<script").count(), 1);
    assert!(home.contains("<script src=\"site.js\" defer></script>"));
}

#[test]
fn same_catalog_same_bytes_and_rebuild_removes_stale_pages() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&fixture(), &cat);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    site(&cat, &a, &[]);
    site(&cat, &b, &[]);
    assert!(files(&a) == files(&b), "two builds differ");
    // a rebuild into a previous site: a deleted system's page goes
    fs::remove_file(cat.join("system/sjunet.yaml")).unwrap();
    assert!(a.join("system/sjunet.html").exists());
    site(&cat, &a, &[]);
    assert!(!a.join("system/sjunet.html").exists());
    assert!(!text(&a, ".kdl-site").contains("sjunet"));
}

/// Writes a system like the fixture's `sjunet` with another id and name
/// into `cat` (as `system/ID.yaml`).
fn sjunet_as(cat: &Path, id: &str, name: &str) {
    let text = fs::read_to_string(fixture().join("system/sjunet.yaml"))
        .unwrap()
        .replace("id: sjunet", &format!("id: {id}"))
        .replace("name: Sjunet", &format!("name: {name}"));
    fs::write(cat.join(format!("system/{id}.yaml")), text).unwrap();
}

/// A kind with more pages than the home page lists (500) is listed on
/// pages of 500 in name order, which the home page links to; every page
/// stays reachable without script, and a rebuild removes list pages that
/// are no longer needed.
#[test]
fn a_long_list_is_split_into_list_pages() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&fixture(), &cat);
    for i in 0..1200 {
        sjunet_as(&cat, &format!("gen-{i:04}"), &format!("Gen {i:04}"));
    }
    let out = dir.path().join("site");
    site(&cat, &out, &[]);
    let systems = entities(&cat, "system").len();
    let home = text(&out, "index.html");
    // 1209 systems: three list pages; no system row on the home page.
    assert_eq!(systems, 1209);
    assert!(!home.contains("system/gen-"), "rows on the home page");
    let parts: Vec<String> = hrefs(&home)
        .into_iter()
        .filter(|h| h.starts_with("lista-system-"))
        .collect();
    assert_eq!(
        parts,
        [
            "lista-system-1.html",
            "lista-system-2.html",
            "lista-system-3.html"
        ]
    );
    assert!(!out.join("lista-system-4.html").exists());
    // The other kinds are short: listed on the home page as before.
    assert!(home.contains("avtal/"), "{home}");
    // Every system page is on exactly one list page, in name order.
    let mut listed = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let page = text(&out, part);
        let links = hrefs(&page);
        for l in &links {
            assert!(
                out.join(l.split('#').next().unwrap()).exists(),
                "{part}: {l}"
            );
        }
        assert_eq!(
            links.contains(&format!("lista-system-{n}.html")),
            n > 0,
            "{part}"
        );
        assert_eq!(
            links.contains(&format!("lista-system-{}.html", n + 2)),
            n + 1 < parts.len(),
            "{part}"
        );
        assert!(page.contains(&format!("Sida {} av 3", n + 1)), "{page}");
        listed.extend(links.into_iter().filter(|l| l.starts_with("system/")));
    }
    assert_eq!(listed.len(), systems);
    assert_eq!(listed.iter().collect::<BTreeSet<_>>().len(), systems);
    let first_gen = listed
        .iter()
        .position(|l| l == "system/gen-0000.html")
        .unwrap();
    assert_eq!(listed[first_gen + 1199], "system/gen-1199.html");
    // Fewer systems (509), fewer list pages: the stale one goes.
    for i in 0..700 {
        fs::remove_file(cat.join(format!("system/gen-{i:04}.yaml"))).unwrap();
    }
    site(&cat, &out, &[]);
    assert!(out.join("lista-system-2.html").exists());
    assert!(!out.join("lista-system-3.html").exists());
    assert!(!text(&out, ".kdl-site").contains("lista-system-3"));
}

/// `search.json` names an entry's page only when it is not `kind/id.html`:
/// an id too long to be a file name gets a hashed page, and the index says
/// where it is.
#[test]
fn the_search_index_names_only_pages_it_cannot_derive() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&fixture(), &cat);
    let long = "s".repeat(120);
    fs::remove_file(cat.join("system/sjunet.yaml")).unwrap();
    sjunet_as(&cat, &long, "Sjunet");
    let out = dir.path().join("site");
    site(&cat, &out, &[]);
    let index: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("search.json")).unwrap()).unwrap();
    for e in index["entries"].as_array().unwrap() {
        let (k, i) = (e["k"].as_str().unwrap(), e["i"].as_str().unwrap());
        let page = match e.get("u") {
            Some(u) => {
                assert_eq!(i, long, "{e}");
                u.as_str().unwrap().to_string()
            }
            None => format!("{k}/{i}.html"),
        };
        assert!(out.join(&page).is_file(), "{page}");
    }
    assert!(index["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["i"] == long.as_str() && e["u"].as_str().unwrap().starts_with("system/_s")));
}

#[test]
fn refuses_a_directory_that_is_not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("docs");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = kdl()
        .arg("site")
        .arg(fixture())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ingen tidigare kdl-webbplats"), "{err}");
    assert!(err.contains("--force"));
    assert!(!out.join("index.html").exists());
    // with --force it writes beside the other file, which stays
    site(&fixture(), &out, &["--force"]);
    assert!(out.join("index.html").exists());
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    // a file is no directory
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    kdl()
        .arg("site")
        .arg(fixture())
        .arg("-o")
        .arg(&file)
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn never_writes_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    site(&fixture(), &out, &[]);
    // a previous site whose system/ became a link elsewhere
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::remove_dir_all(out.join("system")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("system")).unwrap();
    kdl()
        .arg("site")
        .arg(fixture())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    // a page that is a link to a file elsewhere
    fs::remove_file(out.join("system")).unwrap();
    site(&fixture(), &out, &[]);
    let target = dir.path().join("target.txt");
    fs::write(&target, "keep").unwrap();
    fs::remove_file(out.join("index.html")).unwrap();
    std::os::unix::fs::symlink(&target, out.join("index.html")).unwrap();
    kdl()
        .arg("site")
        .arg(fixture())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
}

#[test]
fn a_broken_configuration_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&fixture(), &cat);
    fs::write(cat.join("kdl.yaml"), "model: [").unwrap();
    let out = dir.path().join("site");
    kdl()
        .arg("site")
        .arg(&cat)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
}

#[test]
fn snapshots_of_one_page_of_each_kind_and_the_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    site(&fixture(), &out, &[]);
    for page in [
        "index.html",
        "system/treserva.html",
        "namnd/socialnamnden.html",
        "person/erik-sand.html",
        "avtal/treserva-pub.html",
        "behandling/sn-ekonomi.html",
    ] {
        let name = format!("site_{}", page.replace(['/', '.'], "_"));
        insta::assert_snapshot!(name, text(&out, page));
    }
    let index: serde_json::Value = serde_json::from_str(&text(&out, "search.json")).unwrap();
    insta::assert_json_snapshot!("site_search_json", index);
}

#[test]
fn hostile_ids_write_nothing_outside_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat");
    copy_dir(&fixture(), &cat);
    let sjunet = cat.join("system/sjunet.yaml");
    let yaml = fs::read_to_string(&sjunet)
        .unwrap()
        .replace("id: sjunet", "id: \"../../Evil\\u0000<x>\"");
    fs::write(&sjunet, yaml).unwrap();
    let out = dir.path().join("out/site");
    site(&cat, &out, &[]);
    // only the site's own files, all inside it
    let outside: Vec<_> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file() && !p.starts_with(&cat) && !p.starts_with(&out))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
    let marker = text(&out, ".kdl-site");
    for f in marker.lines().skip(1) {
        assert!(!f.contains(".."), "{f}");
    }
    // the broken file's finding is on the home page, escaped
    let home = text(&out, "index.html");
    assert!(home.contains("Evil\u{2400}&lt;x&gt;"), "{home}");
    assert!(!home.contains("<x>"));
}
