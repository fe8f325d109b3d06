//! First contact (issue #13): what a new user gets wrong, and what kdl says.
//!
//! Each case breaks a copy of the compliant base catalog
//! (`tests/fixtures/base/`) the way people do — a Swedish letter in a role
//! key, a year for a date, a tab, a mis-indented line, a broken `kdl.yaml` —
//! and asserts the exact findings: rule, file, line and column, the
//! Swedish message (a substring naming the key, the value and the fix), the
//! exit code, and that no message in either language shows Rust internals.
//! The finding count is exact, so a cascade (one fault reported again in
//! other files) fails the case.
//!
//! Beside the cases: `kdl lint FILE…`, `--format concise`, `--statistics`,
//! the README's first command (the demo does not rot), the rule catalogue
//! in `docs/rules.md` against the rules kdl knows, README links, and one
//! reviewable snapshot of every loading, schema and configuration message.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fs;
use std::path::Path;

mod common;
use common::{copy_dir, kdl, root};

const AS_OF: &str = "2026-11-23";

/// How a case breaks the base catalog.
enum Edit {
    /// Replace the first occurrence of `old` by `new` in a file.
    Replace(&'static str, &'static str, &'static str),
    /// Write a file (creating or replacing it).
    Write(&'static str, &'static str),
    Delete(&'static str),
}

/// One expected finding: rule, file, line, column, part of the Swedish message.
type Finding = (&'static str, &'static str, u64, u64, &'static str);

struct Case {
    name: &'static str,
    edits: Vec<Edit>,
    expect: Vec<Finding>,
    code: i32,
}

fn case(name: &'static str, edits: Vec<Edit>, expect: Vec<Finding>, code: i32) -> Case {
    Case {
        name,
        edits,
        expect,
        code,
    }
}

use Edit::{Delete, Replace, Write};

const SYS: &str = "system/raindance.yaml";

fn cases() -> Vec<Case> {
    vec![
        // --- schema errors: a sentence naming key, value and fix ---
        case(
            "classification level above KLASSA's scale",
            vec![Replace(SYS, "konfidentialitet: 2", "konfidentialitet: 7")],
            vec![("schema/invalid", SYS, 25, 21, "`konfidentialitet` är 7, men högsta nivån är 4 (KLASSA 0–4)")],
            1,
        ),
        case(
            "classification level as a word",
            vec![Replace(SYS, "konfidentialitet: 2", "konfidentialitet: hög")],
            vec![("schema/invalid", SYS, 25, 21, "`konfidentialitet` ska vara ett heltal, men är text (`hög`)")],
            1,
        ),
        case(
            "a year where a date belongs",
            vec![Replace(SYS, "since: 2016-01-01", "since: 2016")],
            vec![("schema/invalid", SYS, 12, 10, "`since: 2016` är ett år, inte ett datum – skriv t.ex. `2016-01-01`")],
            1,
        ),
        case(
            "a date that is not in the calendar",
            vec![Replace(SYS, "since: 2016-01-01", "since: 2016-02-30")],
            vec![("schema/invalid", SYS, 12, 10, "`since: 2016-02-30` är inget giltigt datum (dagen finns inte i kalendern)")],
            1,
        ),
        case(
            "ja for a boolean",
            vec![Replace(SYS, "processed: true", "processed: ja")],
            vec![("schema/invalid", SYS, 20, 14, "`processed: ja` är inget sanningsvärde – skriv `true` eller `false`")],
            1,
        ),
        case(
            "a Swedish letter in a role key is one finding at that key",
            vec![Replace(SYS, "  systemforvaltare: erik-sand", "  systemförvaltare: erik-sand")],
            vec![("schema/invalid", SYS, 16, 3, "rollnyckeln `systemförvaltare` innehåller å, ä eller ö – rollnamn skrivs utan, menade du `systemforvaltare`?")],
            1,
        ),
        case(
            "a misspelt role key is one finding, not five",
            vec![Replace(SYS, "  budgetansvarig: anna-strom", "  budgetansvarige: anna-strom")],
            vec![("ref/unknown", SYS, 15, 3, "menade du `budgetansvarig`?")],
            1,
        ),
        case(
            "a misspelt category",
            vec![Replace(SYS, "category: verksamhetssystem", "category: verksamhetsystem")],
            vec![("schema/invalid", SYS, 5, 11, "`category: verksamhetsystem` är inte tillåtet; tillåtna värden: `publik-tjanst`")],
            1,
        ),
        case(
            "used-by in Swedish",
            vec![Replace(SYS, "used-by: all", "used-by: alla")],
            vec![("schema/invalid", SYS, 8, 10, "`used-by: alla` – skriv `all` (alla nämnder) eller en lista med id")],
            1,
        ),
        case(
            "a misspelt key",
            vec![Replace(SYS, "supplier: CGI", "suplier: CGI")],
            vec![("schema/invalid", SYS, 9, 1, "okänd nyckel `suplier` – menade du `supplier`?")],
            1,
        ),
        case(
            "a required key missing under its parent",
            vec![Replace(SYS, "  status: i-drift\n", "")],
            vec![("schema/invalid", SYS, 10, 1, "obligatorisk nyckel `status` saknas under `lifecycle` – lägg till `status:`")],
            1,
        ),
        case(
            "an id with capitals: no reference to it is unknown",
            vec![Replace(SYS, "id: raindance", "id: Raindance")],
            vec![("schema/invalid", SYS, 2, 5, "`id: Raindance` är inget giltigt id – ett id skrivs med gemener a–z, siffror och bindestreck – menade du `raindance`?")],
            1,
        ),
        case(
            "an empty name",
            vec![Replace(SYS, "name: Raindance", "name: ''")],
            vec![("schema/invalid", SYS, 3, 7, "`name` är tom – skriv ett värde")],
            1,
        ),
        case(
            "a nämnd listed twice",
            vec![Replace(SYS, "used-by: all", "used-by: [socialnamnden, socialnamnden]")],
            vec![("schema/invalid", SYS, 8, 10, "`used-by` innehåller `socialnamnden` mer än en gång")],
            1,
        ),
        case(
            "a country code in lowercase",
            vec![Replace("avtal/raindance-pub.yaml", "country: FI", "country: fi")],
            vec![("schema/invalid", "avtal/raindance-pub.yaml", 15, 14, "`country: fi` är ingen landskod – skriv två versaler enligt ISO 3166-1, t.ex. `US` – menade du `FI`?")],
            1,
        ),
        case(
            "a number where text belongs",
            vec![Replace("personer/per-holm.yaml", "name: Per Holm", "name: 360")],
            vec![("schema/invalid", "personer/per-holm.yaml", 3, 7, "`name` ska vara text, men är ett heltal (`360`) – sätt värdet inom citattecken: `name: \"360\"`")],
            1,
        ),
        case(
            "a capitalised id in a list",
            vec![Replace("behandlingar/ks-ekonomi.yaml", "systems: [raindance]", "systems: [Raindance]")],
            vec![("schema/invalid", "behandlingar/ks-ekonomi.yaml", 8, 11, "`systems: [… Raindance …]` är inget giltigt id – ett id skrivs med gemener a–z, siffror och bindestreck – menade du `raindance`?")],
            1,
        ),
        case(
            "a misspelt system in an agreement: the system's missing agreement follows from it",
            vec![Replace("avtal/raindance-grundavtal.yaml", "systems: [raindance]", "systems: [raindanse]")],
            vec![("ref/unknown", "avtal/raindance-grundavtal.yaml", 4, 11, "systemet `raindanse` finns inte – menade du `raindance`?")],
            1,
        ),
        // --- YAML syntax: Swedish, at the fault's own line, with a hint ---
        case(
            "a tab in the indentation",
            vec![Replace(SYS, "  agare: lars-holm", "\tagare: lars-holm")],
            vec![("parse/syntax", SYS, 14, 1, "tabb i indraget – YAML drar in med mellanslag")],
            1,
        ),
        case(
            "a mis-indented line: one finding, no unknown references elsewhere",
            vec![Replace(SYS, "  since: 2016-01-01", " since: 2016-01-01")],
            vec![("parse/syntax", SYS, 12, 2, "raden är felaktigt indragen")],
            1,
        ),
        case(
            "an unclosed bracket, at the bracket",
            vec![Replace(SYS, "used-by: all", "used-by: [socialnamnden")],
            vec![("parse/syntax", SYS, 8, 10, "hakparentesen `[` stängs aldrig – avsluta listan med `]` på samma rad")],
            1,
        ),
        case(
            "an unclosed quote, at the quote",
            vec![Replace(SYS, "name: Raindance", "name: \"Raindance")],
            vec![("parse/syntax", SYS, 3, 7, "citattecknet stängs inte på rätt ställe")],
            1,
        ),
        case(
            "a colon inside an unquoted value",
            vec![Replace(SYS, "description: Ekonomisystem", "description: Ekonomi: system")],
            vec![("parse/syntax", SYS, 4, 21, "kolon följt av mellanslag inne i ett värde – sätt värdet inom citattecken")],
            1,
        ),
        case(
            "a key without its colon, at that key",
            vec![Replace(SYS, "  agare: lars-holm", "  agare lars-holm")],
            vec![("parse/syntax", SYS, 14, 3, "nyckeln saknar kolon")],
            1,
        ),
        case(
            "a duplicate key, at the second",
            vec![Replace(SYS, "name: Raindance\n", "name: Raindance\nname: Raindance 2\n")],
            vec![("parse/syntax", SYS, 4, 1, "nyckeln `name` förekommer två gånger")],
            1,
        ),
        case(
            "an empty entity file",
            vec![Write("system/tom.yaml", "")],
            vec![("parse/syntax", "system/tom.yaml", 1, 1, "filen är tom")],
            1,
        ),
        case(
            "a misspelt kind: the file stem still names the entity",
            vec![Replace(SYS, "kind: system", "kind: sytem")],
            vec![("parse/syntax", SYS, 1, 7, "okänd `kind: sytem`")],
            1,
        ),
        // --- one fault, one finding, across files ---
        case(
            "a broken person file: its roles and signatures are not unknown",
            vec![Replace("personer/lars-holm.yaml", "title: forvaltningschef", "title: [forvaltningschef")],
            vec![("parse/syntax", "personer/lars-holm.yaml", 4, 8, "stängs aldrig")],
            1,
        ),
        case(
            "a broken nämnd file: its förvaltning is not unknown either",
            vec![Replace("namnder/socialnamnden.yaml", "type: namnd", "type: namnd\n x: y")],
            vec![("parse/syntax", "namnder/socialnamnden.yaml", 5, 2, "raden är felaktigt indragen")],
            1,
        ),
        case(
            "the kommunstyrelse's file broken: no rule runs on a half-known organisation",
            vec![Replace("namnder/kommunstyrelsen.yaml", "type: kommunstyrelse", "type: kommunstyrelse\n x: y")],
            vec![("parse/syntax", "namnder/kommunstyrelsen.yaml", 5, 2, "raden är felaktigt indragen")],
            2,
        ),
        // --- kdl.yaml: one diagnostic, exit 2 ---
        case(
            "an empty kdl.yaml",
            vec![Write("kdl.yaml", "")],
            vec![("config/invalid", "kdl.yaml", 1, 1, "`kdl.yaml` är tom – den ska ange minst `model:` och `organisation:`")],
            2,
        ),
        case(
            "a syntax error in kdl.yaml",
            vec![Replace("kdl.yaml", "organisation:\n", "organisation: [\n")],
            vec![("config/invalid", "kdl.yaml", 3, 15, "hakparentesen `[` stängs aldrig – avsluta listan med `]` på samma rad")],
            2,
        ),
        case(
            "kdl.yaml as a list",
            vec![Write("kdl.yaml", "- model: kungsbacka-2023.1\n")],
            vec![("config/invalid", "kdl.yaml", 1, 1, "`kdl.yaml` består inte av `nyckel: värde`-rader")],
            2,
        ),
        case(
            "no kdl.yaml",
            vec![Delete("kdl.yaml")],
            vec![("config/invalid", "kdl.yaml", 1, 1, "`kdl.yaml` saknas i katalogens rot – skapa den med `kdl init`")],
            2,
        ),
        case(
            "an unknown model",
            vec![Replace("kdl.yaml", "model: kungsbacka-2023.1", "model: kungsbaka-2023.1")],
            vec![("config/invalid", "kdl.yaml", 2, 8, "okänd modell `kungsbaka-2023.1`")],
            2,
        ),
        case(
            "a misspelt key in kdl.yaml",
            vec![Replace("kdl.yaml", "model: kungsbacka-2023.1", "modell: kungsbacka-2023.1")],
            vec![("config/invalid", "kdl.yaml", 2, 1, "okänd nyckel `modell` – menade du `model`?")],
            2,
        ),
        case(
            "an unknown severity",
            vec![Replace("kdl.yaml", "model: kungsbacka-2023.1\n", "model: kungsbacka-2023.1\nrules:\n  roles/mandatory: fatal\n")],
            vec![("config/invalid", "kdl.yaml", 4, 20, "okänd allvarlighetsgrad `fatal`")],
            2,
        ),
        case(
            "a misspelt rule id",
            vec![Replace("kdl.yaml", "model: kungsbacka-2023.1\n", "model: kungsbacka-2023.1\nrules:\n  roles/mandatroy: off\n")],
            vec![("config/invalid", "kdl.yaml", 4, 3, "okänd regel `roles/mandatroy` – menade du `roles/mandatory`?")],
            2,
        ),
        case(
            "an organisation part naming no nämnd",
            vec![Replace("kdl.yaml", "service: namnden-for-service", "service: namnden-for-servic")],
            vec![("config/invalid", "kdl.yaml", 5, 12, "nämnden `namnden-for-servic` finns inte i katalogen")],
            2,
        ),
        case(
            "an exclude glob that never closes its bracket",
            vec![Replace("kdl.yaml", "model: kungsbacka-2023.1\n", "model: kungsbacka-2023.1\nexclude: ['utkast/[a']\n")],
            vec![("config/invalid", "kdl.yaml", 3, 11, "ogiltigt filmönster `utkast/[a`: `[` stängs aldrig – lägg till `]`")],
            2,
        ),
        case(
            "max-file-size is a documented setting",
            vec![Replace("kdl.yaml", "model: kungsbacka-2023.1\n", "model: kungsbacka-2023.1\nmax-file-size: 2097152\n")],
            vec![],
            0,
        ),
        case(
            "max-file-size is applied",
            vec![
                Replace("kdl.yaml", "model: kungsbacka-2023.1\n", "model: kungsbacka-2023.1\nmax-file-size: 1100\n"),
            ],
            vec![("parse/syntax", "system/treserva.yaml", 1, 1, "filen är 1186 byte, större än gränsen 1100 byte")],
            1,
        ),
    ]
}

/// Words that only Rust's `Debug` output or an untranslated parser would show.
const INTERNALS: &[&str] = &[
    "{",
    "}",
    "::",
    "Some(",
    "None",
    "Number(",
    "Single(",
    "Multiple(",
    "multiple(",
    "ValidationError",
    "PropertyNames",
    "while parsing",
    "did not find expected",
];

fn apply(dir: &Path, edits: &[Edit]) {
    for e in edits {
        match e {
            Replace(file, old, new) => {
                let p = dir.join(file);
                let text = fs::read_to_string(&p).unwrap_or_else(|_| panic!("read {file}"));
                assert!(text.contains(old), "{file} has no {old:?}");
                fs::write(&p, text.replacen(old, new, 1)).expect("write");
            }
            Write(file, text) => fs::write(dir.join(file), text).expect("write"),
            Delete(file) => fs::remove_file(dir.join(file)).expect("delete"),
        }
    }
}

fn lint_json(dir: &Path, lang: &str) -> (Option<i32>, serde_json::Value) {
    let out = kdl()
        .args(["lint", "--format", "json", "--as-of", AS_OF, "--lang", lang])
        .arg(dir)
        .output()
        .expect("run");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), json)
}

fn run_case(c: &Case) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    apply(dir.path(), &c.edits);
    let (code, sv) = lint_json(dir.path(), "sv");
    let (_, en) = lint_json(dir.path(), "en");
    let diags = sv["diagnostics"].as_array().cloned().unwrap_or_default();
    let got: Vec<String> = diags
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{} {}",
                d["rule"].as_str().unwrap_or_default(),
                d["file"].as_str().unwrap_or_default(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let mut problems = Vec::new();
    if diags.len() != c.expect.len() {
        problems.push(format!(
            "{} findings, expected {}",
            diags.len(),
            c.expect.len()
        ));
    }
    for (d, (rule, file, line, col, text)) in diags.iter().zip(&c.expect) {
        let same = d["rule"] == *rule
            && d["file"] == *file
            && d["line"] == *line
            && d["column"] == *col
            && d["message"].as_str().is_some_and(|m| m.contains(text));
        if !same {
            problems.push(format!("expected {rule} {file}:{line}:{col} …{text}…"));
        }
    }
    if code != Some(c.code) {
        problems.push(format!("exit {code:?}, expected {}", c.code));
    }
    for json in [&sv, &en] {
        for d in json["diagnostics"].as_array().into_iter().flatten() {
            let m = d["message"].as_str().unwrap_or_default();
            if let Some(bad) = INTERNALS.iter().find(|w| m.contains(*w)) {
                problems.push(format!("message shows `{bad}`: {m}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n    got:\n      {}",
            problems.join("\n    "),
            got.join("\n      ")
        ))
    }
}

#[test]
fn the_base_catalog_is_clean() {
    let (code, json) = lint_json(&root().join("tests/fixtures/base"), "sv");
    assert_eq!(code, Some(0), "{json:#}");
}

#[test]
fn realistic_broken_inputs_get_exactly_their_findings() {
    let cases = cases();
    assert!(cases.len() >= 30, "the issue asks for at least 30");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| run_case(c).err().map(|e| format!("  {}:\n    {e}", c.name)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

// --- the README's first command: the demo does not rot ---

/// (rule, file, line, column) rows of a Markdown table whose columns are
/// `rule`, `file`, `line`, `col` (in any position), in `section`.
fn documented_findings(readme: &str, section: &str) -> Vec<(String, String, u64, u64)> {
    let Some(start) = readme.find(section) else {
        return Vec::new();
    };
    let body = &readme[start + section.len()..];
    let body = body.split("\n#").next().unwrap_or_default();
    let mut header: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in body.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<String> = line
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect();
        if header.is_empty() {
            header = cells;
            continue;
        }
        if cells.iter().all(|c| c.chars().all(|ch| ch == '-')) {
            continue;
        }
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        out.push((
            col("rule"),
            col("file"),
            col("line").parse().unwrap_or_default(),
            col("col").parse().unwrap_or_default(),
        ));
    }
    out
}

#[test]
fn the_readmes_first_command_shows_the_documented_findings_whatever_the_date() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README");
    let first = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.lines().next())
        .expect("a first command");
    let command = first.split('#').next().unwrap_or_default();
    let args: Vec<&str> = command
        .split_whitespace()
        .skip_while(|w| *w != "--")
        .skip(1)
        .collect();
    assert_eq!(args.first(), Some(&"lint"), "{first}");
    // The evaluation date is pinned, so the demo reads the same every day.
    let pin = args
        .iter()
        .position(|a| *a == "--as-of")
        .expect("--as-of in the first command");
    let date = args.get(pin + 1).expect("a date");

    let out = kdl()
        .args(&args)
        .args(["--format", "json"])
        .current_dir(root())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "the demo has errors");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut got: Vec<(String, String, u64, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let catalog_readme =
        fs::read_to_string(root().join("catalog/README.md")).expect("catalog README");
    let mut documented = documented_findings(&catalog_readme, "## Deliberate violations");
    documented.extend(documented_findings(&catalog_readme, "### Deliberate infos"));
    assert!(documented.len() >= 17, "{documented:#?}");
    got.sort();
    documented.sort();
    assert_eq!(
        got, documented,
        "catalog/README.md documents what `{command}` prints"
    );

    // The human output names the pinned date in its summary line.
    let out = kdl().args(&args).current_dir(root()).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = text.lines().last().unwrap_or_default();
    assert!(summary.contains(&format!("per {date}")), "{summary}");
}

// --- kdl lint FILE…, --format concise, --statistics ---

fn base_with_two_faults() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    apply(
        dir.path(),
        &[
            Replace(SYS, "konfidentialitet: 2", "konfidentialitet: 7"),
            Replace(
                "system/treserva.yaml",
                "kind: system",
                "kind: system\nsuplier: x",
            ),
        ],
    );
    dir
}

#[test]
fn lint_file_reports_only_that_file_but_checks_the_whole_catalog() {
    let dir = base_with_two_faults();
    let out = kdl()
        .args(["lint", "--format", "concise", "--as-of", AS_OF, SYS])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("system/raindance.yaml:25:21: schema/invalid `konfidentialitet` är 7"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("1 fel, 0 varningar, 0 info i 58 filer"),
        "{text}"
    );

    // A file in a catalog given as a directory too, from elsewhere; and a
    // clean file: exit 0, though the catalog has errors elsewhere.
    let out = kdl()
        .args(["lint", "--format", "concise", "--as-of", AS_OF])
        .arg(dir.path())
        .arg(dir.path().join("personer/per-holm.yaml"))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A file named relative to the catalog given beside it.
    let parent = dir.path().parent().expect("parent");
    let name = dir
        .path()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let out = kdl()
        .args(["lint", "--format", "concise", "--as-of", AS_OF, &name, SYS])
        .current_dir(parent)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!(
            "{name}/system/raindance.yaml:25:21: schema/invalid"
        )),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");

    // A file outside the catalog is a usage error.
    let elsewhere = tempfile::NamedTempFile::new().expect("tmp");
    kdl()
        .args(["lint", "--as-of", AS_OF])
        .arg(dir.path())
        .arg(elsewhere.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("ligger inte i katalogen"));
}

#[test]
fn concise_and_human_paths_are_relative_to_the_current_directory() {
    let dir = base_with_two_faults();
    let parent = dir.path().parent().expect("parent");
    let name = dir
        .path()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .to_string();
    let out = kdl()
        .args(["lint", "--format", "concise", "--as-of", AS_OF, &name])
        .current_dir(parent)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "{name}/system/raindance.yaml:25:21: schema/invalid "
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{name}/system/treserva.yaml:2:1: schema/invalid okänd nyckel `suplier`"
        )),
        "{text}"
    );
    // From a sub-directory of the catalog, human output too.
    let out = kdl()
        .args(["lint", "--as-of", AS_OF])
        .current_dir(dir.path().join("personer"))
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("╭─[../system/raindance.yaml:25:21]"),
        "{text}"
    );
}

#[test]
fn statistics_count_findings_per_rule_most_frequent_first() {
    let dir = base_with_two_faults();
    apply(
        dir.path(),
        &[Replace(
            "system/natverk.yaml",
            "kind: system",
            "kind: system\nsuplier: x",
        )],
    );
    let out = kdl()
        .args(["lint", "--statistics", "--as-of", AS_OF, "--lang", "en"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("3  schema/invalid  [error] "),
        "{text}"
    );
    assert!(
        lines[1].starts_with(
            "3 errors, 0 warnings, 0 infos in 58 files (57 entities) checked as of 2026-11-23"
        ),
        "{text}"
    );
}

// --- exit codes, one per documented case ---

#[test]
fn exit_codes_as_documented() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    let code = |args: &[&str], cwd: &Path| {
        kdl()
            .args(args)
            .current_dir(cwd)
            .output()
            .expect("run")
            .status
            .code()
    };
    // 0: clean; warnings alone do not fail unless --deny-warnings.
    assert_eq!(code(&["lint", "--as-of", AS_OF], dir.path()), Some(0));
    apply(
        dir.path(),
        &[Write(
            "personer/ny.yaml",
            "kind: person\nid: ny-person\nname: Ny Person\ntitle: handlaggare\nforvaltning: socialforvaltningen\n",
        )],
    );
    assert_eq!(
        code(&["lint", "--as-of", AS_OF], dir.path()),
        Some(0),
        "id/file-name is a warning"
    );
    assert_eq!(
        code(&["lint", "--as-of", AS_OF, "--deny-warnings"], dir.path()),
        Some(1)
    );
    // 2: bad flags, unknown rule to --rule, no catalog.
    assert_eq!(code(&["lint", "--format", "xml"], dir.path()), Some(2));
    assert_eq!(
        code(&["lint", "--rule", "roles/mandatroy"], dir.path()),
        Some(2)
    );
    let empty = tempfile::tempdir().expect("tmp");
    assert_eq!(code(&["lint"], empty.path()), Some(2));
    assert_eq!(code(&["lint", "no/such/dir"], dir.path()), Some(2));
    // `--help` and `--version` are not failures.
    assert_eq!(code(&["lint", "--help"], dir.path()), Some(0));
    assert_eq!(code(&["--version"], dir.path()), Some(0));
}

// --- docs that travel with the code ---

#[test]
fn docs_rules_md_lists_exactly_the_rules_kdl_knows() {
    let text = fs::read_to_string(root().join("docs/rules.md")).expect("docs/rules.md");
    let mut documented: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|id| id.contains('/'))
        .map(str::to_string)
        .collect();
    documented.sort();
    let before = documented.len();
    documented.dedup();
    assert_eq!(before, documented.len(), "a rule documented twice");
    let out = kdl()
        .args(["rules", "--format", "json"])
        .output()
        .expect("run");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut known: Vec<String> = rules
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect();
    known.sort();
    assert_eq!(
        documented, known,
        "docs/rules.md against `kdl rules` (default model)"
    );
}

#[test]
fn every_readme_and_docs_link_resolves_inside_the_repository() {
    let mut files = vec![root().join("README.md"), root().join("catalog/README.md")];
    for e in fs::read_dir(root().join("docs")).expect("docs") {
        files.push(e.expect("entry").path());
    }
    let mut checked = 0;
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
    {
        let text = fs::read_to_string(file).expect("read");
        assert!(
            !text.contains("../shared"),
            "{} links outside the repository",
            file.display()
        );
        for (i, _) in text.match_indices("](") {
            let target = text[i + 2..].split(')').next().unwrap_or_default();
            if target.starts_with("http") || target.starts_with('#') || target.contains(' ') {
                continue;
            }
            let path = target.split('#').next().unwrap_or_default();
            let resolved = file.parent().expect("dir").join(path);
            assert!(
                resolved.exists(),
                "{}: link {target} does not resolve",
                file.display()
            );
            assert!(
                resolved
                    .canonicalize()
                    .expect("canonical")
                    .starts_with(root().canonicalize().expect("root")),
                "{}: link {target} leaves the repository",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} links found");
}

// --- every loading, schema and configuration message, in one place ---

#[test]
fn every_format_message_in_both_languages() {
    use kdl::diagnostic::Msg;
    use kdl::i18n::Lang;
    let (model, _) = kdl::model::Model::builtin(kdl::model::DEFAULT_MODEL)
        .expect("built in")
        .expect("loads");
    let s = |x: &str| x.to_string();
    let syntax = |code: &str| Msg::Syntax {
        detail: format!("[{code}] parser text"),
    };
    let msgs: Vec<(&str, Msg)> = vec![
        ("Syntax tab", syntax("tab")),
        ("Syntax indent", syntax("indent")),
        ("Syntax unclosed-bracket", syntax("unclosed-bracket")),
        ("Syntax unclosed-brace", syntax("unclosed-brace")),
        ("Syntax stray-bracket", syntax("stray-bracket")),
        ("Syntax text-after-bracket", syntax("text-after-bracket")),
        ("Syntax unclosed-quote", syntax("unclosed-quote")),
        ("Syntax colon-in-value", syntax("colon-in-value")),
        ("Syntax key-without-colon", syntax("key-without-colon")),
        ("Syntax alias", syntax("alias")),
        ("Syntax reserved", syntax("reserved")),
        ("Syntax escape", syntax("escape")),
        ("Syntax list-in-mapping", syntax("list-in-mapping")),
        (
            "Syntax other",
            Msg::Syntax {
                detail: s("found unprintable character"),
            },
        ),
        ("DuplicateKey", Msg::DuplicateKey { key: s("name") }),
        ("FirstKeyHere", Msg::FirstKeyHere),
        ("AliasBudget", Msg::AliasBudget { budget: 10_000 }),
        ("TooDeep", Msg::TooDeep { max: 64 }),
        ("ComplexKey", Msg::ComplexKey),
        ("MultipleDocuments", Msg::MultipleDocuments),
        ("EmptyFile", Msg::EmptyFile),
        (
            "TooLarge",
            Msg::TooLarge {
                size: 2_000_000,
                limit: 1_048_576,
            },
        ),
        ("NotUtf8", Msg::NotUtf8),
        (
            "Io",
            Msg::Io {
                error: s("permission denied"),
            },
        ),
        (
            "SymlinkLoop",
            Msg::SymlinkLoop {
                target: s("system"),
            },
        ),
        ("SymlinkOutside", Msg::SymlinkOutside { target: s("/etc") }),
        ("NotAMapping", Msg::NotAMapping),
        ("MissingKind", Msg::MissingKind),
        (
            "UnknownKind",
            Msg::UnknownKind {
                kind: s("sytem"),
                suggestion: Some(s("system")),
            },
        ),
        (
            "UnknownKey",
            Msg::UnknownKey {
                key: s("suplier"),
                suggestion: Some(s("supplier")),
            },
        ),
        (
            "MissingKey (root)",
            Msg::MissingKey {
                key: s("name"),
                parent: String::new(),
            },
        ),
        (
            "MissingKey",
            Msg::MissingKey {
                key: s("status"),
                parent: s("lifecycle"),
            },
        ),
        (
            "NotAllowed",
            Msg::NotAllowed {
                key: s("category"),
                value: s("verksamhetsystem"),
                allowed: vec![s("plattform"), s("verksamhetssystem")],
                suggestion: Some(s("verksamhetssystem")),
            },
        ),
        (
            "NotAllowed (all)",
            Msg::NotAllowed {
                key: s("used-by"),
                value: s("alla"),
                allowed: vec![s("all")],
                suggestion: None,
            },
        ),
        (
            "NotAllowed (const)",
            Msg::NotAllowed {
                key: s("kind"),
                value: s("person"),
                allowed: vec![s("system")],
                suggestion: None,
            },
        ),
        (
            "BadDate",
            Msg::BadDate {
                key: s("since"),
                value: s("1 januari 2016"),
            },
        ),
        (
            "BadDate (calendar)",
            Msg::BadDate {
                key: s("since"),
                value: s("2016-02-30"),
            },
        ),
        (
            "YearNotDate",
            Msg::YearNotDate {
                key: s("since"),
                value: s("2016"),
            },
        ),
        (
            "YearNotDate (number)",
            Msg::YearNotDate {
                key: s("since"),
                value: s("20160101"),
            },
        ),
        (
            "BadPattern (id)",
            Msg::BadPattern {
                key: s("id"),
                value: s("Raindance"),
                pattern: s("^[a-z0-9][a-z0-9-]*$"),
                suggestion: Some(s("raindance")),
            },
        ),
        (
            "BadPattern (country)",
            Msg::BadPattern {
                key: s("country"),
                value: s("fi"),
                pattern: s("^[A-Z]{2}$"),
                suggestion: Some(s("FI")),
            },
        ),
        (
            "BadPattern (rule)",
            Msg::BadPattern {
                key: s("rule"),
                value: s("roles"),
                pattern: s("^[a-z]+/[a-z0-9-]+$"),
                suggestion: None,
            },
        ),
        (
            "BadPattern (other)",
            Msg::BadPattern {
                key: s("x"),
                value: s("y"),
                pattern: s("^z$"),
                suggestion: None,
            },
        ),
        (
            "WrongType (boolean)",
            Msg::WrongType {
                key: s("processed"),
                expected: vec![s("boolean"), s("null")],
                found: s("string"),
                value: s("ja"),
            },
        ),
        (
            "WrongType (empty)",
            Msg::WrongType {
                key: s("name"),
                expected: vec![s("string")],
                found: s("null"),
                value: String::new(),
            },
        ),
        (
            "WrongType (list)",
            Msg::WrongType {
                key: s("name"),
                expected: vec![s("string")],
                found: s("array"),
                value: String::new(),
            },
        ),
        (
            "WrongType (quote it)",
            Msg::WrongType {
                key: s("name"),
                expected: vec![s("string")],
                found: s("integer"),
                value: s("360"),
            },
        ),
        (
            "WrongType (list item)",
            Msg::WrongType {
                key: s("systems[]"),
                expected: vec![s("string")],
                found: s("integer"),
                value: s("360"),
            },
        ),
        (
            "BadPattern (list item)",
            Msg::BadPattern {
                key: s("systems[]"),
                value: s("Raindance"),
                pattern: s("^[a-z0-9][a-z0-9-]*$"),
                suggestion: Some(s("raindance")),
            },
        ),
        (
            "WrongType (integer)",
            Msg::WrongType {
                key: s("konfidentialitet"),
                expected: vec![s("integer"), s("null")],
                found: s("string"),
                value: s("hög"),
            },
        ),
        (
            "OutOfRange (KLASSA high)",
            Msg::OutOfRange {
                key: s("konfidentialitet"),
                value: s("7"),
                min: Some(s("0")),
                max: Some(s("4")),
            },
        ),
        (
            "OutOfRange (KLASSA low)",
            Msg::OutOfRange {
                key: s("riktighet"),
                value: s("-1"),
                min: Some(s("0")),
                max: Some(s("4")),
            },
        ),
        (
            "OutOfRange (high)",
            Msg::OutOfRange {
                key: s("year"),
                value: s("2200"),
                min: Some(s("2000")),
                max: Some(s("2100")),
            },
        ),
        (
            "OutOfRange (low)",
            Msg::OutOfRange {
                key: s("criteria-met"),
                value: s("-2"),
                min: Some(s("0")),
                max: None,
            },
        ),
        (
            "TooShort (text)",
            Msg::TooShort {
                key: s("name"),
                min: 1,
                list: false,
            },
        ),
        (
            "TooShort (list item)",
            Msg::TooShort {
                key: s("exclude[]"),
                min: 1,
                list: false,
            },
        ),
        (
            "TooShort (list)",
            Msg::TooShort {
                key: s("systems"),
                min: 1,
                list: true,
            },
        ),
        (
            "TooShort (list of 2)",
            Msg::TooShort {
                key: s("files"),
                min: 2,
                list: true,
            },
        ),
        (
            "NotUnique",
            Msg::NotUnique {
                key: s("used-by"),
                value: s("socialnamnden"),
            },
        ),
        (
            "BadKeyName (role, known)",
            Msg::BadKeyName {
                key: s("systemförvaltare"),
                parent: s("roles"),
                suggestion: Some(s("systemforvaltare")),
            },
        ),
        (
            "BadKeyName (role, unknown)",
            Msg::BadKeyName {
                key: s("förvaltare"),
                parent: s("roles"),
                suggestion: Some(s("forvaltare")),
            },
        ),
        (
            "BadKeyName (role, capitals)",
            Msg::BadKeyName {
                key: s("Agare"),
                parent: s("roles"),
                suggestion: Some(s("agare")),
            },
        ),
        (
            "BadKeyName (rules)",
            Msg::BadKeyName {
                key: s("Roles/Mandatory"),
                parent: s("rules"),
                suggestion: None,
            },
        ),
        (
            "BadKeyName (other)",
            Msg::BadKeyName {
                key: s("Service"),
                parent: s("organisation"),
                suggestion: Some(s("service")),
            },
        ),
        (
            "WrongShape (nämnd)",
            Msg::WrongShape {
                found: String::new(),
                expected: s("nämnd-id"),
            },
        ),
        (
            "WrongShape (unit)",
            Msg::WrongShape {
                found: String::new(),
                expected: s("{forvaltning, unit}"),
            },
        ),
        (
            "SchemaOther",
            Msg::SchemaOther {
                key: s("x"),
                keyword: s("multipleOf"),
            },
        ),
        ("ConfigMissing", Msg::ConfigMissing),
        ("ConfigEmpty", Msg::ConfigEmpty),
        ("ConfigNotAMapping", Msg::ConfigNotAMapping),
        (
            "ConfigUnreadable",
            Msg::ConfigUnreadable {
                detail: s("permission denied"),
            },
        ),
        (
            "UnknownRule",
            Msg::UnknownRule {
                rule: s("roles/mandatroy"),
                suggestion: Some(s("roles/mandatory")),
            },
        ),
        (
            "RuleNotInModel",
            Msg::RuleNotInModel {
                rule: s("pub/missing"),
                model: s("tvastad-2025"),
            },
        ),
        ("BadSeverity", Msg::BadSeverity { value: s("fatal") }),
        (
            "BadGlob",
            Msg::BadGlob {
                glob: s("system/[.yaml"),
                error: s("unclosed character class"),
            },
        ),
        (
            "UnknownModel",
            Msg::UnknownModel {
                model: s("kungsbaka-2023.1"),
                known: vec![s("kungsbacka-2023.1"), s("soderkoping-2018")],
            },
        ),
        (
            "ModelInvalid",
            Msg::ModelInvalid {
                model: s("../model.yaml"),
                detail_sv: s("okänt fält `colour` (37:65)"),
                detail_en: s("unknown field `colour` (37:65)"),
            },
        ),
        ("OrgPartMissing", Msg::OrgPartMissing { part: s("service") }),
        (
            "OrgPartUnknownNamnd",
            Msg::OrgPartUnknownNamnd {
                part: s("service"),
                id: s("namnden-for-servic"),
            },
        ),
        (
            "OrgPartUnknownUnit",
            Msg::OrgPartUnknownUnit {
                part: s("digitalt-center"),
                forvaltning: s("forvaltningen-for-service"),
                unit: s("digitalt-centre"),
            },
        ),
        (
            "UnknownOrgPart",
            Msg::UnknownOrgPart {
                part: s("it-avdelning"),
                known: vec![s("kommunstyrelse"), s("service")],
            },
        ),
    ];
    let mut snapshot = String::new();
    for (name, msg) in &msgs {
        snapshot.push_str(&format!("## {name}\n"));
        for lang in [Lang::Sv, Lang::En] {
            let text = msg.render(lang, &model);
            for bad in ["Some(", "None", "::", "Number(", "multiple(", "parser text"] {
                assert!(!text.contains(bad), "{name} ({lang:?}): {text}");
            }
            snapshot.push_str(&format!(
                "{}: {text}\n",
                if lang == Lang::Sv { "sv" } else { "en" }
            ));
        }
        snapshot.push('\n');
    }
    insta::assert_snapshot!("format_messages", snapshot);
}

#[test]
fn kdl_rules_shows_the_severity_kdl_yaml_sets_beside_the_default() {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    apply(
        dir.path(),
        &[Replace(
            "kdl.yaml",
            "model: kungsbacka-2023.1\n",
            "model: kungsbacka-2023.1\nrules:\n  plan/*: warning\n  plan/late: info\n  roles/vacant: off\n",
        )],
    );
    let out = kdl()
        .args(["rules", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("run");
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let row = |id: &str| {
        rules
            .as_array()
            .expect("rules")
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id}"))
    };
    for (id, default, effective) in [
        ("plan/missing", "error", "warning"),
        ("plan/late", "warning", "info"),
        ("roles/vacant", "error", "off"),
        ("roles/mandatory", "error", "error"),
    ] {
        let r = row(id);
        assert_eq!(r["severity"], default, "{id}");
        assert_eq!(r["effective"], effective, "{id}");
    }
    let out = kdl().args(["rules"]).arg(dir.path()).output().expect("run");
    let table = String::from_utf8_lossy(&out.stdout);
    let line = |id: &str| {
        table
            .lines()
            .find(|l| l.contains(&format!(" {id} ")))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("roles/vacant").contains("┆ fel      ┆ av "), "{table}");
    assert!(
        line("plan/missing").contains("┆ fel      ┆ varning "),
        "{table}"
    );
    assert!(
        line("roles/mandatory").contains("┆ fel      ┆            ┆"),
        "{table}"
    );
}
