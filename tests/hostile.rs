//! Hostile input (issue #14): one regression test per case. A pull request
//! controls the catalog, `kdl.yaml` and the model file; none of it may make
//! kdl panic, hang, use unbounded memory or time, read or echo a file
//! outside the catalog, or write outside its target.
//!
//! Memory and time are bounded by process limits on the child
//! (`setrlimit`: 1 GiB of address space, 60 s of CPU), never by wall-clock
//! assertions. A child that is still running after several minutes is
//! killed so that a hang fails the test instead of stalling the suite.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{copy_dir, root};

/// Address space a child may use.
const MEMORY: u64 = 1 << 30;
/// CPU seconds a child may use (all threads together).
const CPU_SECONDS: u64 = 60;

struct Out {
    /// The exit code; `None` if a signal ended the child (a limit, a crash).
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// The binary under test; `KDL_HOSTILE_BIN` points the tests at another
/// build (to show that they fail on one without the fixes).
fn kdl_bin() -> PathBuf {
    std::env::var_os("KDL_HOSTILE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_kdl")))
}

/// Runs kdl with `args` in `cwd` under the process limits.
fn kdl_in(cwd: &Path, args: &[&str]) -> Out {
    let mut c = Command::new(kdl_bin());
    c.args(args)
        .current_dir(cwd)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1");
    run_limited(c)
}

fn run_limited(mut c: Command) -> Out {
    let out_dir = tempfile::tempdir().unwrap();
    let (o, e) = (out_dir.path().join("out"), out_dir.path().join("err"));
    c.stdin(Stdio::null())
        .stdout(fs::File::create(&o).unwrap())
        .stderr(fs::File::create(&e).unwrap());
    unsafe {
        c.pre_exec(|| {
            let set = |res, limit: u64| {
                let l = libc::rlimit {
                    rlim_cur: limit as libc::rlim_t,
                    rlim_max: limit as libc::rlim_t,
                };
                libc::setrlimit(res, &l)
            };
            set(libc::RLIMIT_AS, MEMORY);
            set(libc::RLIMIT_CPU, CPU_SECONDS);
            set(libc::RLIMIT_CORE, 0);
            Ok(())
        });
    }
    let mut child = c.spawn().unwrap();
    // A safety net against a hang (a blocked open is not CPU time), not a
    // timing assertion: a killed child fails the test through its status.
    let mut status = None;
    for _ in 0..(300 * 20) {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let status = match status {
        Some(s) => s,
        None => {
            let _ = child.kill();
            child.wait().unwrap()
        }
    };
    Out {
        code: status.code(),
        stdout: String::from_utf8_lossy(&fs::read(&o).unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&fs::read(&e).unwrap()).into_owned(),
    }
}

/// A copy of the bundled catalog.
fn catalog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("catalog"), dir.path());
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(path(p)).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

const FORMATS: [&str; 6] = ["human", "json", "sarif", "github", "gitlab", "junit"];

/// Lints `dir` in every output format; each run must end by itself with
/// exit 1 (findings), within the limits.
fn lint_every_format(dir: &Path) -> Vec<(String, Out)> {
    FORMATS
        .iter()
        .map(|f| {
            let out = kdl_in(dir, &["lint", ".", "--format", f, "--lang", "en"]);
            assert_eq!(out.code, Some(1), "--format {f}: {}", out.stderr);
            (f.to_string(), out)
        })
        .collect()
}

// 1. A finding beyond column 65,535 made miette panic: exit 101, nothing
//    printed.
#[test]
fn a_finding_starting_past_column_65535_does_not_panic() {
    let dir = catalog();
    let p = dir.path().join("system/autocad.yaml");
    let text = fs::read_to_string(&p).unwrap();
    // `x: [ "aaaa…", okand-person ]`: an unknown reference at column ~70,000.
    let text = text.replace(
        "used-by: [byggnadsnamnden, namnden-for-teknik]",
        &format!(
            "used-by: [byggnadsnamnden, \"{}\", okand-namnd]",
            "a".repeat(70_000)
        ),
    );
    fs::write(&p, text).unwrap();
    for (f, out) in lint_every_format(dir.path()) {
        assert!(!out.stderr.contains("panicked"), "{f}: {}", out.stderr);
        assert!(out.stdout.contains("okand-namnd"), "{f}");
    }
    let out = kdl_in(dir.path(), &["lint", ".", "--lang", "en"]);
    // The header keeps the real line and column; the snippet is cropped.
    assert!(
        out.stdout.contains("[system/autocad.yaml:7:7003"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.lines().all(|l| l.chars().count() < 1_000));
}

// 2. Each alias deep-copied its anchor within a node budget: a 1 MB string
//    used 3,000 times cost gigabytes.
#[test]
fn an_anchored_string_used_thousands_of_times_stays_within_the_byte_budget() {
    let dir = catalog();
    let big = "x".repeat(900_000);
    let aliases = vec!["*a"; 3_000].join(", ");
    fs::write(
        dir.path().join("system/bomb.yaml"),
        format!("kind: system\nid: bomb\nname: &a \"{big}\"\nx: [{aliases}]\n"),
    )
    .unwrap();
    let out = kdl_in(dir.path(), &["lint", ".", "--format", "json"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "system/bomb.yaml")
        .expect("the bomb is reported");
    assert_eq!(d["rule"], "parse/syntax");
}

// 3. A DAG of links (`d_i/x`, `d_i/y` → `d_{i+1}`) made the walk 2^N.
#[test]
fn a_dag_of_directory_links_is_walked_once_per_directory() {
    let dir = catalog();
    let n = 30;
    for i in 0..=n {
        fs::create_dir(dir.path().join(format!("d{i}"))).unwrap();
    }
    for i in 0..n {
        let next = format!("../d{}", i + 1);
        std::os::unix::fs::symlink(&next, dir.path().join(format!("d{i}/x"))).unwrap();
        std::os::unix::fs::symlink(&next, dir.path().join(format!("d{i}/y"))).unwrap();
    }
    fs::copy(
        dir.path().join("system/autocad.yaml"),
        dir.path().join(format!("d{n}/autocad-2.yaml")),
    )
    .unwrap();
    let out = kdl_in(
        dir.path(),
        &["lint", ".", "--format", "json", "--lang", "en"],
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    // The file is read once (one duplicate-id finding against autocad).
    let dup = diags.iter().filter(|d| d["rule"] == "id/duplicate").count();
    assert!(dup <= 2, "{dup}");
    assert!(diags.iter().any(|d| d["message"]
        .as_str()
        .unwrap_or("")
        .contains("already read as")));
}

// 4. `report -o /dev/null` replaced the device node; an empty file or any
//    file with the marker somewhere counted as a previous report.
#[test]
fn report_output_must_be_a_regular_file_or_a_previous_report() {
    let dir = catalog();
    let cat = path(dir.path());
    let report = |target: &Path, extra: &[&str]| {
        let mut args = vec!["report", cat, "--year", "2026", "--format", "md", "-o"];
        args.push(path(target));
        args.extend_from_slice(extra);
        kdl_in(dir.path(), &args)
    };
    let out_dir = tempfile::tempdir().unwrap();
    // A link to /dev/null: the device is refused (even with --force), and
    // the link itself is left alone.
    let null = out_dir.path().join("null");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let out = report(&null, extra);
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        assert!(out.stderr.contains("ingen vanlig fil"), "{}", out.stderr);
    }
    assert!(fs::symlink_metadata(&null)
        .unwrap()
        .file_type()
        .is_symlink());
    // A FIFO: refused at once, never opened.
    let fifo = out_dir.path().join("fifo");
    mkfifo(&fifo);
    let out = report(&fifo, &["--force"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    // An empty file, and a file that only mentions the marker.
    for (name, content) in [
        ("empty.md", ""),
        ("notes.md", "my notes about kdl-yearly-report\n"),
    ] {
        let f = out_dir.path().join(name);
        fs::write(&f, content).unwrap();
        let out = report(&f, &[]);
        assert_eq!(out.code, Some(2), "{name}: {}", out.stderr);
        assert_eq!(fs::read_to_string(&f).unwrap(), content);
    }
    // A report kdl wrote is replaced, in md and json.
    let f = out_dir.path().join("r.md");
    assert_eq!(report(&f, &["--force"]).code, Some(0));
    assert_eq!(report(&f, &[]).code, Some(0));
    let j = out_dir.path().join("r.json");
    let json = |extra: &[&str]| {
        let mut args = vec!["report", cat, "--year", "2026", "--format", "json", "-o"];
        args.push(path(&j));
        args.extend_from_slice(extra);
        kdl_in(dir.path(), &args)
    };
    assert_eq!(json(&[]).code, Some(0));
    assert_eq!(json(&[]).code, Some(0));
}

// 5. `model: /dev/zero` read until out of memory; a FIFO hung; a 200 MB
//    model was read whole.
#[test]
fn model_files_are_bounded_regular_files() {
    let dir = catalog();
    let cfg = dir.path().join("kdl.yaml");
    let original = fs::read_to_string(&cfg).unwrap();
    let fifo = dir.path().join("modell-fifo.yaml");
    mkfifo(&fifo);
    let big = dir.path().join("stor-modell.yaml");
    fs::File::create(&big).unwrap().set_len(200 << 20).unwrap();
    for (model, flag) in [
        ("/dev/zero", true),
        ("/dev/stdin", true),
        ("./modell-fifo.yaml", false),
        ("./stor-modell.yaml", false),
    ] {
        fs::write(
            &cfg,
            original.replace("model: kungsbacka-2023.1", &format!("model: {model}")),
        )
        .unwrap();
        let mut args = vec!["lint", ".", "--format", "json", "--lang", "en"];
        if flag {
            args.push("--allow-external-model");
        }
        let out = kdl_in(dir.path(), &args);
        assert_eq!(out.code, Some(2), "{model}: {}", out.stderr);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let msg = json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            msg.contains("not a regular file") || msg.contains("limit"),
            "{model}: {msg}"
        );
    }
}

// 6. `model: /etc/passwd` echoed the file into every output format; a
//    `kdl.yaml` linking out of the catalog was followed and printed.
#[test]
fn files_outside_the_catalog_are_neither_read_nor_echoed() {
    let secret_dir = tempfile::tempdir().unwrap();
    let secret = secret_dir.path().join("secret.yaml");
    fs::write(
        &secret,
        "root:x:0:0:root:/root:/bin/bash\nHEMLIGT-LOSENORD-4711\n",
    )
    .unwrap();
    let dir = catalog();
    let cfg = dir.path().join("kdl.yaml");
    let original = fs::read_to_string(&cfg).unwrap();
    fs::write(
        &cfg,
        original.replace(
            "model: kungsbacka-2023.1",
            &format!("model: {}", path(&secret)),
        ),
    )
    .unwrap();
    // A link inside the catalog that leads to the same file.
    std::os::unix::fs::symlink(&secret, dir.path().join("modell.yaml")).unwrap();
    for f in FORMATS {
        let out = kdl_in(dir.path(), &["lint", ".", "--format", f, "--lang", "en"]);
        assert_eq!(out.code, Some(2), "{f}: {}", out.stderr);
        assert!(!out.all().contains("HEMLIGT"), "{f}: {}", out.all());
        assert!(out.all().contains("outside the catalog"), "{f}");
    }
    fs::write(
        &cfg,
        original.replace("model: kungsbacka-2023.1", "model: ./modell.yaml"),
    )
    .unwrap();
    let out = kdl_in(dir.path(), &["lint", ".", "--format", "json"]);
    assert_eq!(out.code, Some(2));
    assert!(!out.all().contains("HEMLIGT"));
    // Allowed by the operator's flag: read, but its values are not echoed.
    fs::write(
        &cfg,
        original.replace(
            "model: kungsbacka-2023.1",
            &format!("model: {}", path(&secret)),
        ),
    )
    .unwrap();
    for f in FORMATS {
        let out = kdl_in(
            dir.path(),
            &["lint", ".", "--format", f, "--allow-external-model"],
        );
        assert_eq!(out.code, Some(2), "{f}: {}", out.stderr);
        assert!(!out.all().contains("HEMLIGT"), "{f}: {}", out.all());
        assert!(!out.all().contains("root:x"), "{f}: {}", out.all());
    }
    // kdl.yaml itself a link out of the catalog.
    fs::remove_file(&cfg).unwrap();
    std::os::unix::fs::symlink(&secret, &cfg).unwrap();
    for f in FORMATS {
        let out = kdl_in(dir.path(), &["lint", ".", "--format", f]);
        assert_eq!(out.code, Some(2), "{f}: {}", out.stderr);
        assert!(!out.all().contains("HEMLIGT"), "{f}: {}", out.all());
    }
}

// 7. 60k unknown references or keys in one 0.6 MB file took minutes.
#[test]
fn many_findings_in_one_file_take_linear_time() {
    let dir = catalog();
    let src = fs::read_to_string(dir.path().join("system/raindance.yaml")).unwrap();
    let refs: String = (0..60_000).map(|i| format!("  - p{i}\n")).collect();
    fs::write(
        dir.path().join("system/raindance.yaml"),
        src.replace("used-by: all\n", &format!("used-by:\n{refs}")),
    )
    .unwrap();
    let src = fs::read_to_string(dir.path().join("system/autocad.yaml")).unwrap();
    let keys: String = (0..60_000).map(|i| format!("k{i}: 1\n")).collect();
    fs::write(dir.path().join("system/autocad.yaml"), src + &keys).unwrap();
    // Every format ends within the CPU limit (it took minutes before).
    for (f, out) in lint_every_format(dir.path()) {
        if f == "sarif" {
            // Code scanning takes 25,000 results per run: the log says
            // what it left out instead of the last finding.
            assert!(
                out.stderr.contains("the SARIF log holds only 25,000 of"),
                "{f}: {}",
                out.stderr
            );
        } else {
            assert!(out.stdout.contains("p59999"), "{f}");
        }
    }
}

// 8. ESC/OSC/BEL from values, keys, lines and file names reached the
//    terminal; raw control bytes were accepted in scalars.
#[test]
fn control_characters_never_reach_text_output() {
    let dir = catalog();
    let p = dir.path().join("system/autocad.yaml");
    let text = fs::read_to_string(&p).unwrap();
    // Escapes in a double-quoted scalar are YAML: the values hold ESC/BEL.
    let text = text
        .replace("name: AutoCAD", "name: \"Auto\\e]0;pwned\\aCAD\\e[2J\"")
        .replace(
            "used-by: [byggnadsnamnden, namnden-for-teknik]",
            "used-by: [byggnadsnamnden, \"x\\e[1A\\e[2K\\x9b\"]",
        );
    fs::write(&p, text).unwrap();
    // A file name with ESC in it.
    fs::copy(
        dir.path().join("system/azure.yaml"),
        dir.path().join("system/a\u{1b}[2Jb.yaml"),
    )
    .unwrap();
    let check = |what: &str, out: &Out| {
        assert!(
            !out.all().contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{what}: {:?}",
            out.all()
        );
    };
    for f in ["human", "github"] {
        let out = kdl_in(dir.path(), &["lint", ".", "--format", f]);
        assert_eq!(out.code, Some(1), "{f}: {}", out.stderr);
        check(f, &out);
        assert!(out.stdout.contains('␛'), "{f}: {}", out.stdout);
    }
    let out = kdl_in(dir.path(), &["list", "."]);
    check("list", &out);
    let out = kdl_in(dir.path(), &["list", ".", "--format", "csv"]);
    check("list csv", &out);
    let out = kdl_in(
        dir.path(),
        &["report", ".", "--year", "2026", "--format", "md"],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    check("report md", &out);
    let out = kdl_in(
        dir.path(),
        &["report", ".", "--year", "2026", "--format", "html"],
    );
    check("report html", &out);

    // Raw control bytes in a scalar: a syntax error at the byte.
    let raw = dir.path().join("system/raw.yaml");
    fs::write(&raw, "kind: system\nid: raw\nname: a\u{1b}]0;x\u{7}b\n").unwrap();
    let out = kdl_in(dir.path(), &["lint", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "system/raw.yaml")
        .expect("reported");
    assert_eq!(d["rule"], "parse/syntax");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(8))
    );
}

// 9. `kdl new` wrote through a kind directory linking out of the catalog.
#[test]
fn kdl_new_never_writes_through_a_link_out_of_the_catalog() {
    let dir = catalog();
    let outside = tempfile::tempdir().unwrap();
    fs::rename(dir.path().join("avtal"), outside.path().join("avtal")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("avtal"), dir.path().join("avtal")).unwrap();
    let before = fs::read_dir(outside.path().join("avtal")).unwrap().count();
    let out = kdl_in(
        dir.path(),
        &[
            "new",
            "avtal",
            "nytt-avtal",
            "--type",
            "sla",
            "--system",
            "autocad",
        ],
    );
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("avtal/"), "{}", out.stderr);
    assert_eq!(
        fs::read_dir(outside.path().join("avtal")).unwrap().count(),
        before
    );
}

// 10. FIFOs and endless files as targets or inputs hung or ran out of memory.
#[test]
fn fifos_and_devices_as_inputs_or_targets_are_refused() {
    let dir = catalog();
    let cat = path(dir.path());
    let t = tempfile::tempdir().unwrap();
    let fifo = t.path().join("fifo");
    mkfifo(&fifo);
    let f = path(&fifo);
    for args in [
        vec!["lint", cat, "--baseline", f],
        vec!["lint", cat, "--baseline", "/dev/zero"],
        vec!["lint", cat, "--write-baseline", f],
        vec!["lint", cat, "--output", &format!("json={f}")],
    ] {
        let out = kdl_in(dir.path(), &args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("vanlig fil"),
            "{args:?}: {}",
            out.stderr
        );
    }
    // Generated files: a FIFO where a schema or man page would go.
    let schemas = t.path().join("schemas");
    fs::create_dir(&schemas).unwrap();
    mkfifo(&schemas.join("system.schema.json"));
    let out = kdl_in(dir.path(), &["schema", "--write", path(&schemas)]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let man = t.path().join("man");
    fs::create_dir(&man).unwrap();
    mkfifo(&man.join("kdl.1"));
    let out = kdl_in(dir.path(), &["man", "--out", path(&man)]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
}

// 11. CSV cells that spreadsheets run as formulas.
#[test]
fn csv_cells_never_start_a_formula() {
    let dir = catalog();
    let p = dir.path().join("system/autocad.yaml");
    let text = fs::read_to_string(&p).unwrap().replace(
        "name: AutoCAD",
        "name: \"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\"",
    );
    fs::write(&p, text).unwrap();
    let p = dir.path().join("system/azure.yaml");
    let text = fs::read_to_string(&p).unwrap();
    let name = text.lines().find(|l| l.starts_with("name:")).unwrap();
    fs::write(&p, text.replace(name, "name: \"+cmd|' /C calc'!A0\"")).unwrap();
    let out = kdl_in(dir.path(), &["list", ".", "--format", "csv"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect();
    assert!(cells.iter().any(|c| c.starts_with("'=HYPERLINK")));
    assert!(cells.iter().any(|c| c.starts_with("'+cmd")));
    assert!(!cells
        .iter()
        .any(|c| c.starts_with(['=', '+', '-', '@', '\t', '\r'])));
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .env("GIT_NO_LAZY_FETCH", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

// 12. In a blobless partial clone, git fetched base blobs from the remote.
#[test]
fn git_in_a_partial_clone_never_fetches() {
    if Command::new("git").arg("--version").output().is_err() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let origin = t.path().join("origin");
    fs::create_dir(&origin).unwrap();
    copy_dir(&root().join("catalog"), &origin);
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["config", "uploadpack.allowFilter", "true"]);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "base"]);
    let p = origin.join("system/autocad.yaml");
    let text = fs::read_to_string(&p).unwrap();
    fs::write(&p, text.replace("name: AutoCAD", "name: AutoCAD 2")).unwrap();
    git(&origin, &["commit", "-qam", "change"]);
    let old_blob = git(&origin, &["rev-parse", "HEAD~1:system/autocad.yaml"]);
    let clone = t.path().join("clone");
    let url = format!("file://{}", path(&origin));
    let out = Command::new("git")
        .args(["clone", "-q", "--filter=blob:none", &url, path(&clone)])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let missing = |blob: &str| {
        !Command::new("git")
            .args(["cat-file", "-e", blob])
            .current_dir(&clone)
            .env("GIT_NO_LAZY_FETCH", "1")
            .status()
            .unwrap()
            .success()
    };
    assert!(missing(&old_blob), "the clone is blobless");
    let out = kdl_in(&clone, &["lint", ".", "--changed-since", "HEAD~1"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("missing"), "{}", out.stderr);
    assert!(missing(&old_blob), "kdl made git fetch a blob");
}

// 13. The smaller items.
#[test]
fn lone_cr_lines_are_lines() {
    let dir = catalog();
    let p = dir.path().join("system/autocad.yaml");
    let text = fs::read_to_string(&p).unwrap() + "okand-nyckel: 1\n";
    fs::write(&p, text.replace('\n', "\r")).unwrap();
    let out = kdl_in(dir.path(), &["lint", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "system/autocad.yaml" && d["rule"] == "schema/invalid")
        .expect("unknown key reported");
    let lines = fs::read_to_string(&p).unwrap().split('\r').count() as u64 - 1;
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(lines), Some(1))
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let dir = catalog();
    let name = std::ffi::OsStr::from_bytes(b"system/caf\xe9.yaml");
    if fs::copy(
        dir.path().join("system/autocad.yaml"),
        dir.path().join(name),
    )
    .is_err()
    {
        return; // a file system that refuses such names
    }
    let out = kdl_in(
        dir.path(),
        &["lint", ".", "--format", "json", "--lang", "en"],
    );
    assert!(!out.stdout.contains("No such file"), "{}", out.stdout);
    // Read: its id duplicates autocad's.
    assert!(out.stdout.contains("id/duplicate"), "{}", out.stdout);
}

#[test]
fn github_output_is_byte_identical_across_runs() {
    let dir = catalog();
    let a = kdl_in(dir.path(), &["lint", ".", "--format", "github"]);
    let b = kdl_in(dir.path(), &["lint", ".", "--format", "github"]);
    assert_eq!(a.code, Some(1));
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn a_model_that_is_not_a_string_breaks_the_run() {
    let dir = catalog();
    let cfg = dir.path().join("kdl.yaml");
    let original = fs::read_to_string(&cfg).unwrap();
    for replacement in ["model: 5", "model: null", "# no model"] {
        fs::write(
            &cfg,
            original.replace("model: kungsbacka-2023.1", replacement),
        )
        .unwrap();
        let out = kdl_in(dir.path(), &["lint", "."]);
        assert_eq!(out.code, Some(2), "{replacement}: {}", out.stdout);
    }
}

#[test]
fn non_finite_numbers_fail_an_integer_field() {
    let dir = catalog();
    let p = dir.path().join("system/raindance.yaml");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace("  konfidentialitet: 3", "  konfidentialitet: .inf")
        .replace("  riktighet: 4", "  riktighet: 1e999")
        .replace("  tillganglighet: 3", "  tillganglighet: .nan");
    fs::write(&p, text).unwrap();
    let out = kdl_in(dir.path(), &["lint", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let n = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["file"] == "system/raindance.yaml"
                && d["rule"] == "schema/invalid"
                && d["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("information-classification."))
        })
        .count();
    assert_eq!(n, 3, "{}", out.stdout);
}

#[test]
fn a_directory_without_kdl_yaml_is_not_walked() {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir(t.path().join("deep")).unwrap();
    fs::write(t.path().join("deep/broken.yaml"), "a: [\n").unwrap();
    let out = kdl_in(t.path(), &["lint", path(t.path()), "--format", "json"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(!out.stdout.contains("broken.yaml"), "{}", out.stdout);
}
