//! Whole-pipeline fuzzing (issue #14): structured and byte-level mutations
//! of the bundled catalog go through load → validate → resolve → check →
//! render in every output format (the six lint formats, and the yearly
//! report in Markdown, JSON and HTML every few cases). Each case asserts:
//!
//! - nothing panics, in any stage or renderer;
//! - every file that does not parse is named in a `parse/syntax` (or, for
//!   `kdl.yaml`, `config/invalid`) diagnostic;
//! - every output is valid in its format (JSON, SARIF and GitLab parse as
//!   JSON, JUnit as XML, GitHub is one workflow command per line) and no
//!   text output carries a control character;
//! - the same input gives the same output (checked every few cases).
//!
//! A stable toolchain cannot build `cargo-fuzz` targets, so this is a
//! seeded, repeatable mutation fuzzer. `KDL_FUZZ_CASES` sets the number of
//! cases (default 24, the slice the normal test run covers) and
//! `KDL_FUZZ_SEED` the first seed; a failure prints the seed that
//! reproduces it. `scripts/fuzz.sh N` runs N cases.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use kdl::i18n::Lang;
use kdl::report::{github, gitlab, human, json, junit, sarif};

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values a hostile catalog might hold.
const VALUES: &[&str] = &[
    "",
    "~",
    "null",
    "[]",
    "{}",
    "[a, b, [c]]",
    "{a: 1, b: {c: 2}}",
    ".inf",
    "-.inf",
    ".nan",
    "1e999",
    "-1",
    "0x7fffffffffffffff",
    "99999999999999999999999",
    "2024-02-30",
    "9999-12-31",
    "0000-01-01",
    "2026-13-01",
    "true",
    "off",
    "\"\\e]0;title\\a\\e[2J\"",
    "\"\\x9b31m\\r\\u202e\"",
    "\"=HYPERLINK(\\\"http://x\\\")\"",
    "'+cmd|x'",
    "&a ankare",
    "*a",
    "!!binary aGVq",
    "!custom x",
    "|\n  block\n  text",
    ">-\n  folded",
    "\"å ä ö – ✓ 𝔘\"",
    "kommungemensam",
    "forvaltningsspecifik",
    "i-drift",
    "avvecklad",
    "behov",
    "all",
    "okand-person",
    "anders-nyqvist",
    "namnden-for-service",
    "raindance",
];

/// Bytes a byte-level mutation inserts.
const BYTES: &[u8] = &[
    0x00, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0xc3, 0xe2, 0xef, 0xbb, 0xbf, 0xff, b':',
    b'-', b'[', b']', b'{', b'}', b'&', b'*', b'!', b'|', b'>', b'"', b'\'', b'#', b' ', b'%',
];

/// The bundled catalog: relative path → bytes.
fn base() -> BTreeMap<String, Vec<u8>> {
    let root = common::root().join("catalog");
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&root) {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(&root)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            if rel.ends_with(".yaml") {
                files.insert(rel, fs::read(e.path()).expect("read"));
            }
        }
    }
    files
}

/// Mutates one file's text structurally: lines and values.
fn mutate_structure(rng: &mut Rng, text: &[u8], other: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text).into_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let other: Vec<&str> = std::str::from_utf8(other).unwrap_or("").lines().collect();
    for _ in 0..=rng.below(4) {
        if lines.is_empty() {
            lines.push("kind: system".into());
        }
        let i = rng.below(lines.len());
        match rng.below(10) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3..=5 => {
                // Replace the value after `key:` (or a list item).
                let l = &lines[i];
                let v = rng.pick(VALUES);
                let new = match l.find(": ") {
                    Some(at) => format!("{}: {v}", &l[..at]),
                    None => match l.find("- ") {
                        Some(at) => format!("{}- {v}", &l[..at]),
                        None => format!("{l} {v}"),
                    },
                };
                lines[i] = new;
            }
            6 => {
                // Indent or dedent.
                if rng.chance(50) {
                    lines[i] = format!("  {}", lines[i]);
                } else {
                    lines[i] = lines[i].trim_start().to_string();
                }
            }
            7 => {
                // A line from another file.
                if !other.is_empty() {
                    lines.insert(i, other[rng.below(other.len())].to_string());
                }
            }
            8 => {
                // A long value.
                let n = [100, 5_000, 70_000][rng.below(3)];
                let l = lines[i].clone();
                lines[i] = format!("{l}{}", "x".repeat(n));
            }
            _ => {
                // Rename a key.
                if let Some(at) = lines[i].find(':') {
                    let key = ["kind", "id", "name", "roles", "okand", "agare", "used-by"];
                    let rest = lines[i][at..].to_string();
                    let indent: String = lines[i].chars().take_while(|c| *c == ' ').collect();
                    lines[i] = format!("{indent}{}{rest}", rng.pick(&key));
                }
            }
        }
    }
    let sep = if rng.chance(5) { "\r\n" } else { "\n" };
    let mut out = lines.join(sep);
    if rng.chance(90) {
        out.push_str(sep);
    }
    out.into_bytes()
}

/// Mutates bytes: flips, insertions, deletions, truncation.
fn mutate_bytes(rng: &mut Rng, text: &[u8]) -> Vec<u8> {
    let mut b = text.to_vec();
    for _ in 0..=rng.below(6) {
        let i = rng.below(b.len() + 1);
        match rng.below(6) {
            0 if i < b.len() => b[i] ^= 1 << rng.below(8),
            1 => b.insert(i, *rng.pick(BYTES)),
            2 if i < b.len() => {
                b.remove(i);
            }
            3 => b.truncate(i),
            4 => {
                let end = (i + rng.below(64)).min(b.len());
                let chunk = b[i..end].to_vec();
                let at = rng.below(b.len() + 1);
                b.splice(at..at, chunk);
            }
            _ => {
                if i < b.len() {
                    b[i] = *rng.pick(BYTES);
                }
            }
        }
    }
    b
}

/// One case: the catalog after `seed`'s mutations (files to write, files
/// to remove).
fn case(seed: u64, base: &BTreeMap<String, Vec<u8>>) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let mut rng = Rng::new(seed);
    let names: Vec<&String> = base.keys().collect();
    let mut write = BTreeMap::new();
    let mut remove = Vec::new();
    for _ in 0..=rng.below(3) {
        let name = (*rng.pick(&names)).clone();
        let other = &base[*rng.pick(&names)];
        let text = write.get(&name).unwrap_or(&base[&name]).clone();
        let new = match rng.below(10) {
            0..=4 => mutate_structure(&mut rng, &text, other),
            5..=7 => mutate_bytes(&mut rng, &text),
            8 => {
                // A new file: a copy of another, possibly mutated.
                let dir = match name.split_once('/') {
                    Some((dir, _)) => dir,
                    None => "system",
                };
                let new_name = format!("{dir}/fuzz-{}.yaml", rng.below(1000));
                let copy = mutate_bytes(&mut rng, other);
                write.insert(new_name, copy);
                continue;
            }
            _ => {
                if name != "kdl.yaml" {
                    // A file mutated earlier in this case is gone too: the
                    // oracle must not expect a finding about it.
                    write.remove(&name);
                    remove.push(name);
                }
                continue;
            }
        };
        // Written after an earlier removal in this case: it exists.
        remove.retain(|r| r != &name);
        write.insert(name, new);
    }
    (write, remove)
}

/// Everything one run produced, for comparing runs.
#[derive(PartialEq, Debug)]
struct Outputs(Vec<(String, String)>);

fn no_controls(format: &str, text: &str) -> Result<(), String> {
    match text
        .chars()
        .find(|c| (c.is_control() && *c != '\n' && *c != '\t') || *c == '\u{7f}')
    {
        Some(c) => Err(format!("{format}: control character {c:?} in output")),
        None => Ok(()),
    }
}

fn valid_json(format: &str, text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{format}: not JSON: {e}"))
}

fn valid_xml(text: &str) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("junit: not XML: {e}")),
        }
    }
    if depth == 0 {
        Ok(())
    } else {
        Err("junit: unbalanced XML".into())
    }
}

/// Cases in which some file did not parse (to show the fuzzer reaches
/// the loader's error paths, not only the rules).
static UNPARSEABLE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Panics anywhere in the process, caught or not.
static PANICS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Cases finished (for the progress line a long run prints).
static DONE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Runs the pipeline on `dir` and checks every output.
fn pipeline(
    dir: &Path,
    written: &BTreeMap<String, Vec<u8>>,
    yearly: bool,
) -> Result<Outputs, String> {
    let opts = kdl::LintOptions {
        path: Some(dir.to_path_buf()),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23),
        ..Default::default()
    };
    let run = kdl::lint(&opts).map_err(|f| format!("fatal: {}", f.message(Lang::En)))?;

    // A kdl.yaml that cannot be read or breaks its schema stops the run
    // before the catalog is read (docs/cli.md: no rule runs on a half-read
    // configuration): then only kdl.yaml's own faults are reported.
    let stopped_at_config = run.catalog.files.len() == 1
        && run
            .diagnostics
            .iter()
            .any(|d| d.rule == "config/invalid" && run.rel(d.file) == "kdl.yaml");
    // Every file that does not parse is named.
    for (rel, bytes) in written {
        if stopped_at_config && rel != "kdl.yaml" {
            continue;
        }
        let parsed =
            kdl::load::parse_bytes(rel.clone(), bytes.clone(), kdl::load::Budget::default());
        if parsed.doc.is_ok() || run.config.exclude.is_match(rel) {
            continue;
        }
        UNPARSEABLE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let rule = if rel == "kdl.yaml" {
            "config/invalid"
        } else {
            "parse/syntax"
        };
        let named = run
            .diagnostics
            .iter()
            .any(|d| d.rule == rule && run.rel(d.file) == rel);
        if !named {
            return Err(format!("{rel} does not parse and no {rule} names it"));
        }
    }

    let mut out = Vec::new();
    let style = human::Style::plain();
    for lang in [Lang::Sv, Lang::En] {
        let h = human::render(&run, lang, style, false);
        no_controls("human", &h)?;
        // Drop the time from the summary line.
        let h = h
            .lines()
            .filter(|l| !l.contains(" ms"))
            .collect::<Vec<_>>()
            .join("\n");
        out.push(("human".to_string(), h));
    }
    let j = json::render(&run, Lang::En);
    valid_json("json", &j)?;
    out.push(("json".into(), j));
    // Every finding, set aside or not, is a result (the cap is far away).
    let all = sarif::Options {
        include_suppressed: true,
        ..Default::default()
    };
    let s = sarif::render(&run, Lang::En, all);
    let v = valid_json("sarif", &s)?;
    if v["runs"][0]["results"].as_array().map(Vec::len)
        != Some(run.diagnostics.len() + run.baseline.as_ref().map_or(0, |b| b.matched.len()))
    {
        return Err("sarif: a result per finding".into());
    }
    out.push(("sarif".into(), s));
    let g = github::render(&run, Lang::En);
    no_controls("github", &g)?;
    let lines: Vec<&str> = g.lines().collect();
    if let Some((last, commands)) = lines.split_last() {
        if !commands.iter().all(|l| l.starts_with("::")) || !last.contains(" checked") {
            return Err("github: not one workflow command per line".into());
        }
    }
    out.push(("github".into(), g));
    let gl = gitlab::render(&run, Lang::En);
    valid_json("gitlab", &gl)?;
    out.push(("gitlab".into(), gl));
    let ju = junit::render(&run, Lang::En);
    valid_xml(&ju)?;
    out.push(("junit".into(), ju));

    if yearly && !run.broken {
        let r = kdl::yearly::build(
            &run,
            &kdl::yearly::Options {
                year: 2026,
                namnd: None,
                lang: Lang::Sv,
                reference: None,
            },
        );
        let md = kdl::yearly::md::render(&r, Lang::Sv).map_err(|e| format!("md: {e}"))?;
        no_controls("report md", &md)?;
        let html = kdl::yearly::html::render(&r, Lang::Sv).map_err(|e| format!("html: {e}"))?;
        no_controls("report html", &html)?;
        let js = serde_json::to_string(&r).map_err(|e| format!("report json: {e}"))?;
        valid_json("report json", &js)?;
        out.push(("md".into(), md));
    }
    Ok(Outputs(out))
}

/// A working copy of the base catalog, restored between cases.
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new(base: &BTreeMap<String, Vec<u8>>) -> Work {
        let dir = tempfile::tempdir().expect("tmp");
        for (rel, bytes) in base {
            let p = dir.path().join(rel);
            if let Some(parent) = p.parent() {
                fs::create_dir_all(parent).expect("mkdir");
            }
            fs::write(p, bytes).expect("write");
        }
        Work { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn apply(&self, write: &BTreeMap<String, Vec<u8>>, remove: &[String]) {
        for (rel, bytes) in write {
            fs::write(self.path(rel), bytes).expect("write");
        }
        for rel in remove {
            let _ = fs::remove_file(self.path(rel));
        }
    }

    fn restore(
        &self,
        base: &BTreeMap<String, Vec<u8>>,
        write: &BTreeMap<String, Vec<u8>>,
        remove: &[String],
    ) {
        for rel in write.keys().chain(remove) {
            match base.get(rel) {
                Some(bytes) => fs::write(self.path(rel), bytes).expect("restore"),
                None => {
                    let _ = fs::remove_file(self.path(rel));
                }
            }
        }
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_catalogs_go_through_the_whole_pipeline() {
    let cases = env_u64("KDL_FUZZ_CASES", 24);
    let first = env_u64("KDL_FUZZ_SEED", 1);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let base = base();
    // Panics are caught and reported with their seed; kdl's own guards
    // (the parser's, each renderer's) also catch them, so the hook counts
    // every panic, caught or not, and a case during which one happened
    // fails.
    std::panic::set_hook(Box::new(|_| {
        PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }));
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let base = &base;
                s.spawn(move || {
                    let work = Work::new(base);
                    let mut failures = Vec::new();
                    let mut seed = first + t;
                    while seed < first + cases {
                        let (write, remove) = case(seed, base);
                        work.apply(&write, &remove);
                        let yearly = seed % 8 == 0;
                        let panics = PANICS.load(std::sync::atomic::Ordering::SeqCst);
                        let result = catch_unwind(AssertUnwindSafe(|| {
                            let a = pipeline(work.dir.path(), &write, yearly)?;
                            if seed % 6 == 0 {
                                let b = pipeline(work.dir.path(), &write, yearly)?;
                                if a != b {
                                    return Err("not deterministic".to_string());
                                }
                            }
                            Ok(())
                        }));
                        let caught = PANICS.load(std::sync::atomic::Ordering::SeqCst) != panics;
                        let failure = match result {
                            // (with several threads, a neighbour's case may be
                            // the one that panicked: its seed fails too)
                            Ok(Ok(())) if caught => {
                                Some(format!("seed {seed}: a panic was caught by a guard"))
                            }
                            Ok(Ok(())) => None,
                            Ok(Err(e)) => Some(format!("seed {seed}: {e}")),
                            Err(p) => {
                                let msg = p
                                    .downcast_ref::<String>()
                                    .cloned()
                                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                                    .unwrap_or_default();
                                Some(format!("seed {seed}: panic: {msg}"))
                            }
                        };
                        if let Some(f) = failure {
                            eprintln!("fuzz: FAILED {f}");
                            failures.push(f);
                        }
                        let done = DONE.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        if done % 500 == 0 {
                            eprintln!(
                                "fuzz: {done} cases done (seeds {first}..), {} failures so far",
                                failures.len()
                            );
                        }
                        work.restore(base, &write, &remove);
                        seed += threads;
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let _ = std::panic::take_hook();
    eprintln!(
        "fuzz: {cases} cases from seed {first}, {} unparseable files named, {} failures",
        UNPARSEABLE.load(std::sync::atomic::Ordering::Relaxed),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
