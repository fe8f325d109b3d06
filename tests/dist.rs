//! Distribution and CI at scale (issue #16):
//!
//! - SARIF for GitHub code scanning leaves out findings set aside by an
//!   exception or the baseline (unless `--sarif-include-suppressed`), and
//!   stays within code scanning's limits (25,000 results per run, 10 MB
//!   gzipped) on a generated 10,000-system catalog;
//! - the workflows, CI templates, Dockerfile and pre-commit hooks pass
//!   their external checkers (actionlint, check-jsonschema, hadolint,
//!   pre-commit). Each checker is optional: without it the test prints
//!   "skipped: …"; `.ci/run` installs them and sets `KDL_REQUIRE_*=1`,
//!   which makes a missing one fatal.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

// The catalog generator, included as a module (it is an example binary).
#[allow(dead_code)]
#[path = "../examples/gen_catalog.rs"]
mod gen_catalog;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use common::{kdl, root};
use serde_json::Value;

const AS_OF: &str = "2026-11-23";
/// GitHub code scanning: results per run, and the gzipped upload size.
const MAX_RESULTS: usize = 25_000;
const MAX_GZIP_BYTES: usize = 10 * 1024 * 1024;

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(bytes)))
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

fn suppressed(log: &Value) -> usize {
    results(log)
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .count()
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip").len()
}

// ------------------------------------------------------------------ SARIF

#[test]
fn sarif_leaves_out_suppressed_and_baselined_findings_unless_asked() {
    let catalog = root().join("catalog");
    let tmp = tempfile::tempdir().expect("tempdir");
    let lint = |extra: &[&str]| {
        let out = kdl()
            .arg("lint")
            .arg(&catalog)
            .args(["--as-of", AS_OF, "--format", "sarif"])
            .args(extra)
            .output()
            .expect("run kdl");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out.stdout)
    };

    // The bundled catalog has one finding suppressed by an exception.
    let default = lint(&[]);
    assert_eq!(suppressed(&default), 0);
    assert_eq!(default["runs"][0]["properties"]["omittedSuppressed"], 1);
    let active = results(&default).len();
    assert!(active > 0);
    let all = lint(&["--sarif-include-suppressed"]);
    assert_eq!(results(&all).len(), active + 1);
    assert_eq!(suppressed(&all), 1);
    assert!(all["runs"][0]["properties"]
        .get("omittedSuppressed")
        .is_none());
    // Fingerprints do not depend on what is left out.
    let fps = |log: &Value| -> Vec<String> {
        results(log)
            .iter()
            .filter(|r| r.get("suppressions").is_none())
            .map(|r| r["partialFingerprints"]["kdl/v1"].to_string())
            .collect()
    };
    assert_eq!(fps(&default), fps(&all));

    // With a baseline of every finding, nothing is left to report...
    let baseline = tmp.path().join("baseline.json");
    let b = baseline.to_str().expect("utf-8 path");
    let adopted = lint(&["--write-baseline", b]);
    assert_eq!(results(&adopted).len(), 0, "{adopted:#}");
    assert_eq!(
        adopted["runs"][0]["properties"]["omittedSuppressed"],
        active + 1
    );
    // ... unless asked: then every finding is there, suppressed.
    let kept = lint(&["--baseline", b, "--sarif-include-suppressed"]);
    assert_eq!(results(&kept).len(), active + 1);
    assert_eq!(suppressed(&kept), active + 1);
    let external = results(&kept)
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "external")
        .count();
    assert_eq!(external, active);
}

/// Generates a 10,000-system catalog (about 40,000 files).
fn big_catalog(dir: &Path) -> PathBuf {
    let out = dir.join("catalog");
    let args = ["--systems", "10000", "--seed", "16", "--out"];
    let mut argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    argv.push(out.to_string_lossy().into_owned());
    gen_catalog::generate(argv).expect("generate the catalog");
    out
}

/// The 10,000-system catalog as of three years after it was generated: a
/// neglected catalog, where date rules (late plans, expired agreements,
/// people who left) have piled up to more findings than code scanning takes.
const NEGLECTED: &str = "2029-01-01";

#[test]
fn sarif_of_a_10000_system_catalog_stays_within_code_scanning_limits() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let catalog = big_catalog(tmp.path());
    let sarif = tmp.path().join("kdl.sarif");
    let run = |extra: &[&str]| -> (Output, Vec<u8>) {
        let out = kdl()
            .arg("lint")
            .arg(&catalog)
            .args(["--as-of", NEGLECTED, "--quiet", "--format", "json"])
            .arg("--output")
            .arg(format!("sarif={}", sarif.display()))
            .args(extra)
            .output()
            .expect("run kdl");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = fs::read(&sarif).expect("SARIF written");
        (out, text)
    };

    // Without a baseline: every active finding, at most MAX_RESULTS of
    // them, errors first, and a warning on stderr when some are cut.
    let (out, text) = run(&[]);
    let summary = json(&out.stdout)["summary"].clone();
    let count = |k: &str| summary[k].as_u64().expect("count") as usize;
    let (errors, warnings, infos) = (count("errors"), count("warnings"), count("infos"));
    let active = errors + warnings + infos;
    let log = json(&text);
    let n = results(&log).len();
    eprintln!(
        "10,000 systems: {active} active findings ({errors} errors, {warnings} warnings, \
         {infos} infos), {} suppressed; SARIF {n} results, {} bytes, {} gzipped",
        count("suppressed"),
        text.len(),
        gzip_len(&text)
    );
    // The generator is deterministic: this catalog has more findings than
    // code scanning accepts (30,803 in December 2026), so the cap applies.
    assert!(active > MAX_RESULTS, "{active} findings");
    assert!(errors < MAX_RESULTS, "{errors} errors");
    assert_eq!(suppressed(&log), 0);
    assert_eq!(n, MAX_RESULTS);
    assert!(gzip_len(&text) < MAX_GZIP_BYTES);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warning = format!(
        "SARIF-loggen innehåller bara 25\u{a0}000 av {} resultat",
        thousands(active)
    );
    assert!(stderr.contains(&warning), "{stderr}");
    assert_eq!(
        log["runs"][0]["properties"]["omittedOverLimit"],
        active - MAX_RESULTS
    );
    // Errors first: every error is kept, then as many warnings as fit.
    let level = |l: &str| results(&log).iter().filter(|r| r["level"] == l).count();
    assert_eq!(level("error"), errors);
    assert_eq!(level("warning"), warnings.min(MAX_RESULTS - errors));

    // Adopted with a baseline of those findings, then changed: a person
    // who holds roles is deleted. The SARIF holds the new findings only.
    let baseline = tmp.path().join("kdl-baseline.json");
    let b = baseline.to_str().expect("utf-8 path");
    let (_, text) = run(&["--write-baseline", b]);
    assert_eq!(results(&json(&text)).len(), 0);
    let person = fs::read_dir(catalog.join("personer"))
        .expect("personer/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .min()
        .expect("a person");
    fs::remove_file(&person).expect("delete a person");
    let (out, text) = run(&["--baseline", b]);
    let log = json(&text);
    let summary = &json(&out.stdout)["summary"];
    let baselined = summary["baseline"]["baselined"]
        .as_u64()
        .expect("baselined") as usize;
    assert!(baselined > MAX_RESULTS, "{summary}");
    let n = results(&log).len();
    assert!(n > 0 && n < MAX_RESULTS, "{n} results");
    assert_eq!(suppressed(&log), 0);
    assert!(log["runs"][0]["properties"]["omittedSuppressed"]
        .as_u64()
        .is_some_and(|o| o as usize >= baselined));
    assert!(gzip_len(&text) < MAX_GZIP_BYTES);
}

/// `30803` → `30 803` (with a no-break space, as kdl writes Swedish numbers).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

// ------------------------------------------------------- external checkers

/// Whether `cmd` can be run; if not, says "skipped" — or fails when CI
/// installed it (`require` is set).
fn have(cmd: &str, require: &str, what: &str) -> bool {
    let ok = Process::new(cmd)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var(require).as_deref() != Ok("1"),
            "{require}=1 but `{cmd}` cannot be run"
        );
        eprintln!("skipped: {what} ({cmd} is not installed)");
    }
    ok
}

fn check(cmd: &mut Process) {
    let out = cmd.current_dir(root()).output().expect("run the checker");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every GitHub workflow of the repository, and the template.
const WORKFLOWS: &[&str] = &[
    ".github/workflows/ci.yml",
    ".github/workflows/release.yml",
    "examples/ci/github-actions.yml",
];

#[test]
fn workflows_are_all_listed() {
    let listed: Vec<String> = fs::read_dir(root().join(".github/workflows"))
        .expect(".github/workflows")
        .filter_map(Result::ok)
        .map(|e| format!(".github/workflows/{}", e.file_name().to_string_lossy()))
        .collect();
    for w in &listed {
        assert!(WORKFLOWS.contains(&w.as_str()), "{w} is not checked");
    }
}

#[test]
fn workflows_pass_actionlint() {
    if !have("actionlint", "KDL_REQUIRE_ACTIONLINT", "actionlint") {
        return;
    }
    check(Process::new("actionlint").args(WORKFLOWS));
}

#[test]
fn ci_files_match_their_schemas() {
    if !have(
        "check-jsonschema",
        "KDL_REQUIRE_CHECK_JSONSCHEMA",
        "CI file schemas",
    ) {
        return;
    }
    check(
        Process::new("check-jsonschema")
            .args(["--builtin-schema", "vendor.github-workflows"])
            .args(WORKFLOWS),
    );
    check(Process::new("check-jsonschema").args([
        "--builtin-schema",
        "vendor.gitlab-ci",
        "examples/ci/gitlab-ci.yml",
    ]));
    // The Azure schema's patterns are Python regexes.
    check(Process::new("check-jsonschema").args([
        "--regex-variant",
        "python",
        "--builtin-schema",
        "vendor.azure-pipelines",
        "examples/ci/azure-pipelines.yml",
    ]));
}

#[test]
fn dockerfile_passes_hadolint() {
    if !have("hadolint", "KDL_REQUIRE_HADOLINT", "Dockerfile lint") {
        return;
    }
    check(Process::new("hadolint").args(["--no-color", "Dockerfile"]));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Process::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=kdl", "-c", "user.email=kdl@example.org"])
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `used-by: [ID]` in place of a system file's `used-by` line: an unknown
/// nämnd, so a `ref/unknown` finding that names `id`.
fn used_by(text: &str, id: &str) -> String {
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("used-by:") {
                format!("used-by: [{id}]")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(out.iter().any(|l| l.contains(id)), "no used-by line");
    out.join("\n") + "\n"
}

/// A git repository holding the compliant base catalog at its root.
fn hook_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_dir(&root().join("tests/fixtures/base"), dir.path());
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

fn try_repo(repo: &Path, hook: &str) -> Output {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_kdl"));
    let bin_dir = bin.parent().expect("bin dir");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let cache = repo.join(".pre-commit-cache");
    Process::new("pre-commit")
        .current_dir(repo)
        .arg("try-repo")
        .arg(root())
        .args([hook, "--color", "never"])
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", &cache)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1")
        .output()
        .expect("pre-commit")
}

#[test]
fn pre_commit_hooks_run_on_a_repository() {
    if !have("pre-commit", "KDL_REQUIRE_PRE_COMMIT", "pre-commit hooks") {
        return;
    }
    if !have("git", "KDL_REQUIRE_PRE_COMMIT", "pre-commit hooks") {
        return;
    }
    check(Process::new("pre-commit").args(["validate-manifest", ".pre-commit-hooks.yaml"]));
    check(
        Process::new("pre-commit").args(["validate-config", "examples/ci/pre-commit-config.yaml"]),
    );

    let repo = hook_repo();
    let systems: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = fs::read_dir(repo.path().join("system"))
            .expect("system/")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        v.sort();
        v
    };
    let (broken, other) = (&systems[0], &systems[1]);
    // An old finding in a file the commit does not touch: committed.
    let text = fs::read_to_string(other).expect("read");
    fs::write(other, used_by(&text, "nobody-old")).expect("write");
    git(repo.path(), &["commit", "-q", "-am", "an old finding"]);
    // A new finding in the staged file.
    let text = fs::read_to_string(broken).expect("read");
    fs::write(broken, used_by(&text, "nobody-new")).expect("write");
    git(repo.path(), &["add", "-A"]);

    for hook in ["kdl-changed", "kdl"] {
        let out = try_repo(repo.path(), hook);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{hook}: {text}");
        assert!(text.contains("nobody-new"), "{hook}: {text}");
        assert!(!text.contains("nobody-old"), "{hook}: {text}");
    }
}

// ------------------------------------------------------ metadata and docs

#[test]
fn release_archives_are_what_binstall_looks_for() {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let release =
        fs::read_to_string(root().join(".github/workflows/release.yml")).expect("release.yml");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(
            release.contains(&format!("target: {target}")),
            "release.yml does not build {target}"
        );
    }
    // release.yml: out/kdl-$TARGET.tar.gz (or .zip) holding kdl-$TARGET/kdl.
    assert!(release.contains(r#"name="kdl-$TARGET""#));
    assert!(release.contains(r#"tar czf "out/$name.tar.gz" "$name""#));
    assert!(release.contains(r#"7z a -tzip "out/$name.zip" "$name""#));
    assert!(manifest
        .contains(r#"pkg-url = "{ repo }/releases/download/v{ version }/kdl-{ target }.tar.gz""#));
    assert!(manifest
        .contains(r#"pkg-url = "{ repo }/releases/download/v{ version }/kdl-{ target }.zip""#));
    assert!(manifest.contains(r#"bin-dir = "kdl-{ target }/{ bin }{ binary-ext }""#));
    // The release tags the version: v{ version }.
    assert!(release.contains(r#"tags: ["v[0-9]+.[0-9]+.[0-9]+*"]"#));
}

#[test]
fn readme_links_every_ci_template() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    for entry in fs::read_dir(root().join("examples/ci")).expect("examples/ci") {
        let name = entry.expect("entry").file_name();
        let link = format!("(examples/ci/{})", name.to_string_lossy());
        assert!(readme.contains(&link), "README.md does not link {link}");
    }
}
