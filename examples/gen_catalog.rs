//! Deterministic generator of synthetic `kdl` catalogs (format v1), for
//! benchmarks and end-to-end tests.
//!
//! ```text
//! cargo run --release --example gen_catalog -- --systems 10000 --out /tmp/cat --seed 1
//! ```
//!
//! The catalog follows the default model `kungsbacka-2023.1` and is
//! compliant with every rule of `docs`/`rules.md` at the evaluation date
//! 2026-11-23, except for the violations injected on purpose: about
//! `--violations` (default 0.05) of the systems get exactly one realistic
//! fault each (missing mandatory role, role held by a person who left,
//! dangling reference, missing PUB-avtal, late förvaltningsplan, …), of
//! which about 1 % are cross-file faults (duplicate id in another file,
//! an avtal or behandling naming a system that does not exist, a person who
//! left while holding roles on several systems).
//!
//! Only the standard library is used. The same arguments always give a
//! byte-identical catalog; the compliant base of a catalog does not depend
//! on `--violations` (each system, person and nämnd draws from its own
//! seeded random stream).
//!
//! Known, intended diagnostics of the compliant part: systems hosted
//! `intern` get the `pub/internal-processor` info (a reminder, never a
//! failure).

// Developer tool: a panic is a bad argument, not a crash on user input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
// Entities are built by index into parallel tables (nämnd i, its pool i,
// its streams i); index loops read clearer here than zipped iterators.
#![allow(clippy::needless_range_loop)]

use std::collections::{BTreeMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
gen_catalog — generate a deterministic synthetic kdl catalog (format v1)

USAGE:
    cargo run --release --example gen_catalog -- --systems N --out DIR [OPTIONS]

OPTIONS:
    --systems N         number of systems to generate (1 ..= 10000000)        [required]
    --out DIR           output directory (created; must be empty or absent)  [required]
    --seed S            random seed, an unsigned integer                     [default: 1]
    --violations F      fraction of systems that get one injected violation,
                        0 ..= 1                                              [default: 0.05]
    --manifest FILE     also write the injected violations as TSV to FILE
                        (kind, expected rule, file, entity); keep it outside DIR
    --force             reuse a non-empty DIR: removes DIR/kdl.yaml and the
                        generated sub-directories first
    -h, --help          print this help

The catalog is evaluated as of 2026-11-23 (`kdl lint DIR --as-of 2026-11-23`).
Same arguments -> byte-identical output.
";

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

struct Args {
    systems: usize,
    out: PathBuf,
    seed: u64,
    violations: f64,
    manifest: Option<PathBuf>,
    force: bool,
}

fn parse_args(argv: Vec<String>) -> Result<Option<Args>, String> {
    let mut systems: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 1;
    let mut violations: f64 = 0.05;
    let mut manifest: Option<PathBuf> = None;
    let mut force = false;
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k, Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            argv.get(i)
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match key {
            "-h" | "--help" => return Ok(None),
            "--systems" => {
                let v = value("--systems")?;
                let n: usize = v
                    .parse()
                    .map_err(|_| format!("--systems: `{v}` is not a positive integer"))?;
                if n == 0 || n > 10_000_000 {
                    return Err(format!("--systems: {n} is out of range 1 ..= 10000000"));
                }
                systems = Some(n);
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed: `{v}` is not an unsigned integer"))?;
            }
            "--violations" => {
                let v = value("--violations")?;
                let f: f64 = v
                    .parse()
                    .map_err(|_| format!("--violations: `{v}` is not a number"))?;
                if !(0.0..=1.0).contains(&f) {
                    return Err(format!("--violations: {f} is out of range 0 ..= 1"));
                }
                violations = f;
            }
            "--manifest" => manifest = Some(PathBuf::from(value("--manifest")?)),
            "--force" => {
                if inline.is_some() {
                    return Err("--force takes no value".into());
                }
                force = true;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
        i += 1;
    }
    let systems = systems.ok_or("--systems N is required")?;
    let out = out.ok_or("--out DIR is required")?;
    Ok(Some(Args {
        systems,
        out,
        seed,
        violations,
        manifest,
        force,
    }))
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(argv) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

// ---------------------------------------------------------------------------
// PRNG (splitmix64) and dates
// ---------------------------------------------------------------------------

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    /// An independent stream for (seed, tag, index).
    fn stream(seed: u64, tag: u64, idx: u64) -> Rng {
        Rng(mix(
            seed ^ mix(tag.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ mix(idx))
        ))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn f64(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }
    /// Inclusive range.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, s: &'a [T]) -> &'a T {
        &s[self.below(s.len())]
    }
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| w as u64).sum();
        let mut x = self.next() % total.max(1);
        for (i, &w) in weights.iter().enumerate() {
            if x < w as u64 {
                return i;
            }
            x -= w as u64;
        }
        weights.len() - 1
    }
    fn date(&mut self, from: Date, to: Date) -> Date {
        Date(from.0 + self.below((to.0 - from.0 + 1).max(1) as usize) as i32)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Days since 1970-01-01.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Date(i32);

fn d(y: i32, m: u32, day: u32) -> Date {
    // days_from_civil (H. Hinnant)
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Date((era * 146097 + doe - 719468) as i32)
}

impl Date {
    fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 as i64 + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        ((if m <= 2 { y + 1 } else { y }) as i32, m, day)
    }
    fn year(self) -> i32 {
        self.ymd().0
    }
    fn plus(self, days: i32) -> Date {
        Date(self.0 + days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, day) = self.ymd();
        write!(f, "{y:04}-{m:02}-{day:02}")
    }
}

/// The evaluation date the catalog is built for.
fn as_of() -> Date {
    d(2026, 11, 23)
}

// ---------------------------------------------------------------------------
// YAML helpers
// ---------------------------------------------------------------------------

fn needs_quote(s: &str) -> bool {
    if s.is_empty() || s.trim() != s {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "y" | "n"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "true"
            | "false"
            | "null"
            | "~"
            | ".nan"
            | ".inf"
            | "-.inf"
    ) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if first.is_ascii_digit() || "-?:,[]{}#&*!|>'\"%@`+.".contains(first) {
        return true;
    }
    s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars().any(|c| c.is_control() || "[]{},".contains(c))
}

/// A scalar string value, quoted only when needed.
fn push_str(buf: &mut String, s: &str) {
    if !needs_quote(s) {
        buf.push_str(s);
        return;
    }
    buf.push('"');
    for c in s.chars() {
        match c {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\n' => buf.push_str("\\n"),
            '\t' => buf.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(buf, "\\u{:04x}", c as u32);
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
}

fn kv(buf: &mut String, indent: &str, key: &str, val: &str) {
    buf.push_str(indent);
    buf.push_str(key);
    buf.push_str(": ");
    push_str(buf, val);
    buf.push('\n');
}

fn kv_raw(buf: &mut String, indent: &str, key: &str, val: impl fmt::Display) {
    let _ = writeln!(buf, "{indent}{key}: {val}");
}

fn flow_list<S: AsRef<str>>(buf: &mut String, items: &[S]) {
    buf.push('[');
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            buf.push_str(", ");
        }
        push_str(buf, it.as_ref());
    }
    buf.push(']');
}

fn kv_list<S: AsRef<str>>(buf: &mut String, indent: &str, key: &str, items: &[S]) {
    buf.push_str(indent);
    buf.push_str(key);
    buf.push_str(": ");
    flow_list(buf, items);
    buf.push('\n');
}

/// ASCII-fold and slugify free text into an id (`[a-z0-9][a-z0-9-]*`).
fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars().flat_map(|c| c.to_lowercase()) {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ï' => 'i',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() || !out.as_bytes()[0].is_ascii_alphabetic() {
        out.insert_str(0, "x-");
    }
    out
}

#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    fn unique(&mut self, base: &str) -> String {
        if self.0.insert(base.to_string()) {
            return base.to_string();
        }
        for n in 2.. {
            let cand = format!("{base}-{n}");
            if self.0.insert(cand.clone()) {
                return cand;
            }
        }
        unreachable!()
    }
    fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }
}

/// A misspelling of `id` (one letter dropped or two swapped) that is not an id.
fn typo(id: &str, ids: &Ids, rng: &mut Rng) -> Option<String> {
    let b = id.as_bytes();
    let letters: Vec<usize> = (1..b.len().saturating_sub(1))
        .filter(|&i| b[i].is_ascii_lowercase() && b[i - 1] != b'-' && b[i + 1] != b'-')
        .collect();
    if letters.is_empty() {
        return None;
    }
    for _ in 0..8 {
        let i = *rng.pick(&letters);
        let mut v = b.to_vec();
        if rng.chance(0.5) && b[i + 1].is_ascii_lowercase() && b[i] != b[i + 1] {
            v.swap(i, i + 1);
        } else {
            v.remove(i);
        }
        let s = String::from_utf8(v).ok()?;
        if !ids.contains(&s) && s != id {
            return Some(s);
        }
    }
    None
}

// ---------------------------------------------------------------------------
// The model (the parts the generator needs), mirroring rules/kungsbacka-2023.1.yaml
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cat {
    Publik,
    Myndighet,
    Kommersiell,
    Verktyg,
    Verksamhet,
    Plattform,
    Infra,
}

const CATS: [Cat; 7] = [
    Cat::Publik,
    Cat::Myndighet,
    Cat::Kommersiell,
    Cat::Verktyg,
    Cat::Verksamhet,
    Cat::Plattform,
    Cat::Infra,
];
/// Realistic proportions of the categories (percent).
const CAT_WEIGHTS: [u32; 7] = [10, 8, 14, 20, 33, 8, 7];

impl Cat {
    fn name(self) -> &'static str {
        match self {
            Cat::Publik => "publik-tjanst",
            Cat::Myndighet => "myndighetstjanst",
            Cat::Kommersiell => "kommersiell-tjanst",
            Cat::Verktyg => "digitalt-verktyg",
            Cat::Verksamhet => "verksamhetssystem",
            Cat::Plattform => "plattform",
            Cat::Infra => "it-infrastruktur",
        }
    }
    fn public(self) -> bool {
        matches!(self, Cat::Publik | Cat::Myndighet)
    }
    fn requires_pub(self) -> bool {
        !self.public()
    }
    /// grundavtal, förvaltningsplan, uppföljningsrapport, avtalsuppföljning.
    fn yearly(self) -> bool {
        matches!(
            self,
            Cat::Verktyg | Cat::Verksamhet | Cat::Plattform | Cat::Infra
        )
    }
    fn sla(self) -> bool {
        matches!(self, Cat::Verksamhet | Cat::Plattform | Cat::Infra)
    }
    fn known(self) -> &'static [usize] {
        match self {
            Cat::Publik | Cat::Myndighet => &[R_HS, R_SUPER, R_INFOAG, R_INFOF, R_PROC, R_PROCL],
            Cat::Kommersiell => &[R_AGARE, R_BUDGET, R_HS, R_SUPER, R_INFOAG, R_PROC],
            Cat::Verktyg => &[
                R_AGARE, R_BUDGET, R_HS, R_TEKN, R_PROC, R_SUPER, R_INFOAG, R_INFOF, R_PROCL,
            ],
            Cat::Verksamhet => &[
                R_AGARE, R_BUDGET, R_SYSF, R_TEKN, R_PROC, R_SYSADM, R_SUPER, R_INFOAG, R_INFOF,
                R_PROCL,
            ],
            Cat::Plattform => &[
                R_AGARE, R_BUDGET, R_TJF, R_TEKN, R_PROC, R_SUPER, R_INFOAG, R_INFOF, R_PROCL,
            ],
            Cat::Infra => &[R_AGARE, R_BUDGET, R_OMR, R_PROD, R_SYSADM, R_INFOAG, R_PROC],
        }
    }
    /// Mandatory roles at this status (M §4.1.1–4.1.6).
    fn mandatory(self, st: Status, fee: bool) -> Vec<usize> {
        let upph = st >= Status::Upphandling;
        let drift = st >= Status::IDrift;
        let mut v = Vec::new();
        match self {
            Cat::Publik | Cat::Myndighet if drift => v.push(R_HS),
            Cat::Kommersiell => {
                if upph {
                    v.push(R_AGARE);
                    if fee {
                        v.push(R_BUDGET);
                    }
                }
                if drift {
                    v.push(R_HS)
                }
            }
            Cat::Verktyg if upph => v.extend([R_AGARE, R_BUDGET, R_HS, R_TEKN, R_PROC]),
            Cat::Verksamhet if upph => v.extend([R_AGARE, R_BUDGET, R_SYSF, R_TEKN, R_PROC]),
            Cat::Plattform if upph => v.extend([R_AGARE, R_BUDGET, R_TJF, R_TEKN, R_PROC]),
            Cat::Infra if upph => v.extend([R_AGARE, R_BUDGET, R_OMR, R_PROD]),
            _ => {}
        }
        v
    }
}

const ROLE_NAMES: [&str; 14] = [
    "agare",
    "budgetansvarig",
    "systemforvaltare",
    "tjansteforvaltare",
    "omradesansvarig",
    "huvudansvarig-superanvandare",
    "systemadministrator",
    "teknisk-systemforvaltare",
    "produktagare",
    "superanvandare",
    "informationsagare",
    "informationsforvaltare",
    "processagare",
    "processledare",
];
const R_AGARE: usize = 0;
const R_BUDGET: usize = 1;
const R_SYSF: usize = 2;
const R_TJF: usize = 3;
const R_OMR: usize = 4;
const R_HS: usize = 5;
const R_SYSADM: usize = 6;
const R_TEKN: usize = 7;
const R_PROD: usize = 8;
const R_SUPER: usize = 9;
const R_INFOAG: usize = 10;
const R_INFOF: usize = 11;
const R_PROC: usize = 12;
const R_PROCL: usize = 13;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Status {
    Behov,
    Upphandling,
    Inforande,
    IDrift,
    UnderAvveckling,
    Avvecklad,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Behov => "behov",
            Status::Upphandling => "upphandling",
            Status::Inforande => "inforande",
            Status::IDrift => "i-drift",
            Status::UnderAvveckling => "under-avveckling",
            Status::Avvecklad => "avvecklad",
        }
    }
    fn in_use(self) -> bool {
        matches!(self, Status::IDrift | Status::UnderAvveckling)
    }
    /// inforande or later, but not retired.
    fn live(self) -> bool {
        matches!(
            self,
            Status::Inforande | Status::IDrift | Status::UnderAvveckling
        )
    }
}

const KS: usize = 0;
const SERVICE: usize = 1;

const KS_STOD: [&str; 5] = [
    "ekonomi",
    "kundreskontra",
    "upphandling",
    "diarieforing",
    "kommunikation",
];
const SERVICE_STOD: [&str; 8] = [
    "it-drift",
    "rekrytering",
    "loneadministration",
    "kontaktcenter",
    "digital-arbetsplats",
    "e-post",
    "telefoni",
    "lokalforsorjning",
];

fn stod_owner(s: &str) -> usize {
    if SERVICE_STOD.contains(&s) {
        SERVICE
    } else {
        KS
    }
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

struct BaseNamnd {
    id: &'static str,
    name: &'static str,
    forv_id: &'static str,
    forv_name: &'static str,
    abbr: &'static str,
    units: &'static [&'static str],
}

const BASE_NAMNDER: [BaseNamnd; 12] = [
    BaseNamnd {
        id: "kommunstyrelsen",
        name: "Kommunstyrelsen",
        forv_id: "kommunledningskontoret",
        forv_name: "Kommunledningskontoret",
        abbr: "ks",
        units: &[
            "ekonomi",
            "hr",
            "kommunikation",
            "kansli",
            "strategi-och-utveckling",
        ],
    },
    BaseNamnd {
        id: "namnden-for-service",
        name: "Nämnden för Service",
        forv_id: "forvaltningen-for-service",
        forv_name: "Förvaltningen för Service",
        abbr: "ns",
        units: &[
            "digitalt-center",
            "servicecenter",
            "upphandling",
            "lokalforsorjning",
            "kost-och-stad",
        ],
    },
    BaseNamnd {
        id: "namnden-for-forskola-och-grundskola",
        name: "Nämnden för Förskola och Grundskola",
        forv_id: "forvaltningen-for-forskola-och-grundskola",
        forv_name: "Förvaltningen för Förskola och Grundskola",
        abbr: "fg",
        units: &["forskola", "grundskola", "elevhalsa", "verksamhetsstod"],
    },
    BaseNamnd {
        id: "namnden-for-gymnasie-och-vuxenutbildning",
        name: "Nämnden för Gymnasie- och Vuxenutbildning",
        forv_id: "forvaltningen-for-gymnasie-och-vuxenutbildning",
        forv_name: "Förvaltningen för Gymnasie- och Vuxenutbildning",
        abbr: "gv",
        units: &["gymnasieskola", "vuxenutbildning", "sfi"],
    },
    BaseNamnd {
        id: "namnden-for-individ-och-familjeomsorg",
        name: "Nämnden för Individ- och Familjeomsorg",
        forv_id: "forvaltningen-for-individ-och-familjeomsorg",
        forv_name: "Förvaltningen för Individ- och Familjeomsorg",
        abbr: "ifo",
        units: &["barn-och-unga", "vuxen", "ekonomiskt-bistand", "mottagning"],
    },
    BaseNamnd {
        id: "namnden-for-vard-och-omsorg",
        name: "Nämnden för Vård och Omsorg",
        forv_id: "forvaltningen-for-vard-och-omsorg",
        forv_name: "Förvaltningen för Vård och Omsorg",
        abbr: "vo",
        units: &["hemtjanst", "sarskilt-boende", "hemsjukvard", "lss"],
    },
    BaseNamnd {
        id: "namnden-for-kultur-och-fritid",
        name: "Nämnden för Kultur och Fritid",
        forv_id: "forvaltningen-for-kultur-och-fritid",
        forv_name: "Förvaltningen för Kultur och Fritid",
        abbr: "kf",
        units: &["bibliotek", "fritid", "kulturskola"],
    },
    BaseNamnd {
        id: "namnden-for-teknik",
        name: "Nämnden för Teknik",
        forv_id: "forvaltningen-for-teknik",
        forv_name: "Förvaltningen för Teknik",
        abbr: "tn",
        units: &["gata-och-park", "vatten-och-avlopp", "avfall"],
    },
    BaseNamnd {
        id: "namnden-for-miljo-och-halsoskydd",
        name: "Nämnden för Miljö och Hälsoskydd",
        forv_id: "forvaltningen-for-miljo-och-halsoskydd",
        forv_name: "Förvaltningen för Miljö och Hälsoskydd",
        abbr: "mh",
        units: &["livsmedel", "miljotillsyn", "halsoskydd"],
    },
    BaseNamnd {
        id: "byggnadsnamnden",
        name: "Byggnadsnämnden",
        forv_id: "forvaltningen-for-bygg-och-plan",
        forv_name: "Förvaltningen för Bygg och Plan",
        abbr: "bn",
        units: &["bygglov", "plan", "lantmateri", "gis"],
    },
    BaseNamnd {
        id: "overformyndarnamnden",
        name: "Överförmyndarnämnden",
        forv_id: "overformyndarforvaltningen",
        forv_name: "Överförmyndarförvaltningen",
        abbr: "ofn",
        units: &["handlaggning"],
    },
    BaseNamnd {
        id: "namnden-for-arbetsmarknad-och-integration",
        name: "Nämnden för Arbetsmarknad och Integration",
        forv_id: "forvaltningen-for-arbetsmarknad-och-integration",
        forv_name: "Förvaltningen för Arbetsmarknad och Integration",
        abbr: "ai",
        units: &["arbetsmarknad", "integration", "vagledning"],
    },
];

const DISTRICTS: [&str; 32] = [
    "Angered",
    "Askim",
    "Backa",
    "Bergsjön",
    "Biskopsgården",
    "Frölunda",
    "Hisingen",
    "Högsbo",
    "Kortedala",
    "Kviberg",
    "Linnéstaden",
    "Lundby",
    "Majorna",
    "Örgryte",
    "Tynnered",
    "Torslanda",
    "Styrsö",
    "Centrum",
    "Norra",
    "Södra",
    "Östra",
    "Västra",
    "Älvsborg",
    "Härlanda",
    "Gunnared",
    "Lärjedalen",
    "Kärra",
    "Tuve",
    "Säve",
    "Björkekärr",
    "Guldheden",
    "Johanneberg",
];
const DISTRICT_UNITS: [&str; 5] = [
    "individ-och-familjeomsorg",
    "aldreomsorg",
    "forskola",
    "fritid",
    "verksamhetsstod",
];

const FIRST_NAMES: [&str; 64] = [
    "Anna",
    "Åsa",
    "Anders",
    "Björn",
    "Birgitta",
    "Carina",
    "Christer",
    "Dalia",
    "Daniel",
    "Elin",
    "Emil",
    "Eva",
    "Fredrik",
    "Frida",
    "Gunilla",
    "Göran",
    "Hanna",
    "Henrik",
    "Ida",
    "Ingrid",
    "Jonas",
    "Johanna",
    "Josef",
    "Karin",
    "Katarina",
    "Kristoffer",
    "Lars",
    "Lena",
    "Linnéa",
    "Magnus",
    "Maria",
    "Märta",
    "Mats",
    "Mohammed",
    "Nadia",
    "Niklas",
    "Nora",
    "Olle",
    "Omar",
    "Patrik",
    "Per",
    "Petra",
    "Rasmus",
    "Sara",
    "Selma",
    "Sofia",
    "Stefan",
    "Susanne",
    "Tobias",
    "Tove",
    "Ulf",
    "Ulrika",
    "Vera",
    "Viktor",
    "Yasmin",
    "Zoran",
    "Agnes",
    "Björg",
    "Leila",
    "Jörgen",
    "Hampus",
    "Mirja",
    "Oskar",
    "Ebba",
];
const LAST_NAMES: [&str; 64] = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Ali",
    "Engström",
    "Eklund",
    "Danielsson",
    "Lundin",
    "Håkansson",
    "Björk",
    "Bergman",
    "Gunnarsson",
    "Holm",
    "Wikström",
    "Samuelsson",
    "Isaksson",
    "Fransson",
    "Bergqvist",
    "Nyström",
    "Holmberg",
    "Arvidsson",
    "Löfgren",
    "Söderberg",
    "Nyberg",
    "Blomqvist",
    "Claesson",
    "Nordström",
    "Haddad",
    "Åberg",
];

const MANAGER_TITLES: [&str; 3] = ["avdelningschef", "enhetschef", "verksamhetschef"];
const STAFF_TITLES: [&str; 10] = [
    "systemforvaltare",
    "systemforvaltare",
    "handlaggare",
    "handlaggare",
    "medarbetare",
    "controller",
    "registrator",
    "kommunikator",
    "jurist",
    "handlaggare",
];
const DC_TITLES: [&str; 4] = [
    "it-specialist",
    "utvecklare",
    "systemforvaltare",
    "it-specialist",
];

/// (name, supplier, description)
type Product = (&'static str, &'static str, &'static str);

const P_VERKSAMHET: [Product; 26] = [
    (
        "Treserva",
        "CGI Sverige AB",
        "Verksamhetssystem för individ- och familjeomsorg",
    ),
    (
        "Procapita",
        "Tietoevry Sweden AB",
        "Verksamhetssystem för socialtjänst",
    ),
    (
        "Lifecare",
        "Tietoevry Sweden AB",
        "Dokumentation inom vård och omsorg",
    ),
    ("Combine", "Sokigo AB", "Ärendehantering för bygglov"),
    (
        "Ecos",
        "Sokigo AB",
        "Ärendehantering för miljö- och hälsoskydd",
    ),
    (
        "Raindance",
        "CGI Sverige AB",
        "Ekonomisystem för hela kommunen",
    ),
    ("Heroma", "CGI Sverige AB", "Personal- och lönesystem"),
    (
        "Public 360",
        "Tietoevry Sweden AB",
        "Diarie- och ärendehantering",
    ),
    (
        "Platina",
        "Formpipe Software AB",
        "Diarieföring och nämndadministration",
    ),
    ("Extens", "Sambruk", "Elevregister och skoladministration"),
    (
        "Edlevo",
        "Tietoevry Sweden AB",
        "Placering och avgifter i förskola och skola",
    ),
    (
        "Magna Cura",
        "Cambio Healthcare Systems AB",
        "Journalsystem för hemsjukvård",
    ),
    ("Lex", "Sokigo AB", "Ärendehantering för lantmäteri"),
    ("Geosecma", "Sokigo AB", "Geografiskt informationssystem"),
    ("Wärna", "Wärna Go AB", "Överförmyndarhandläggning"),
    (
        "Vitec Fastighet",
        "Vitec Software Group AB",
        "Fastighetsförvaltning och hyresavtal",
    ),
    (
        "Stratsys",
        "Stratsys AB",
        "Verksamhetsplanering och uppföljning",
    ),
    ("Agresso", "Unit4 Business Software AB", "Ekonomi och inköp"),
    (
        "Visma Window",
        "Visma Enterprise AB",
        "Personaladministration",
    ),
    (
        "Castor",
        "Evry Sverige AB",
        "Bokning av lokaler och anläggningar",
    ),
    ("Viva", "Pulsen AB", "Handläggning av ekonomiskt bistånd"),
    (
        "Alfa e-Tjänst",
        "Alfa e-Tjänst AB",
        "Handläggning av bostadsanpassning",
    ),
    (
        "Evolution",
        "Vitec Software Group AB",
        "Handläggning av vuxenutbildning",
    ),
    (
        "Schoolsoft",
        "SchoolSoft AB",
        "Skolplattform för omdömen och frånvaro",
    ),
    ("Tekis-FIR", "Sokigo AB", "Fastighetsinformation"),
    (
        "EDP Vatten",
        "EDP Consult AB",
        "Kundsystem för vatten och avlopp",
    ),
];
const P_VERKTYG: [Product; 16] = [
    (
        "Power BI",
        "Microsoft Ireland Operations Ltd",
        "Rapportering och analys",
    ),
    (
        "Qlik Sense",
        "QlikTech Nordic AB",
        "Beslutsstöd och statistik",
    ),
    ("Esmaker", "Entergate AB", "Enkäter och utvärderingar"),
    (
        "ReadSpeaker",
        "ReadSpeaker AB",
        "Talsyntes för tillgänglighet",
    ),
    (
        "Artvise Kundtjänst",
        "Artvise AB",
        "Ärendeloggning i kontaktcenter",
    ),
    ("Nintex", "Nintex UK Ltd", "Digitala arbetsflöden"),
    (
        "Adobe Acrobat Pro",
        "Adobe Systems Software Ireland Ltd",
        "Hantering av PDF-dokument",
    ),
    ("Omnia", "Precio Fishbone AB", "Intranätsverktyg"),
    (
        "Inera Skolfederation-klient",
        "Inera AB",
        "Inloggning för skolans digitala läromedel",
    ),
    (
        "Tidrapp",
        "Tidrapp Sverige AB",
        "Tidrapportering i hemtjänsten",
    ),
    (
        "Phoniro Care",
        "Phoniro Systems AB",
        "Digitala lås i hemtjänsten",
    ),
    (
        "Lexicon Signering",
        "Lexicon AB",
        "Digital signering av handlingar",
    ),
    (
        "Mobil dokumentation",
        "Tietoevry Sweden AB",
        "Mobil dokumentation för utförare",
    ),
    (
        "Pingst Planering",
        "Pingst AB",
        "Schemaläggning av personal",
    ),
    ("Survey & Report", "Artologik AB", "Enkäter och uppföljning"),
    (
        "Flowforms",
        "Flowforms Sverige AB",
        "Formulär och blanketter",
    ),
];
const P_KOMMERSIELL: [Product; 14] = [
    ("Mentimeter", "Mentimeter AB", "Interaktiva presentationer"),
    ("Canva", "Canva Pty Ltd", "Grafisk formgivning"),
    ("Kahoot!", "Kahoot! ASA", "Frågesporter i undervisningen"),
    ("Padlet", "Wallwisher Inc", "Digitala anslagstavlor"),
    ("Visma TendSign", "Visma Commerce AB", "Upphandlingsverktyg"),
    ("Kivra", "Kivra AB", "Digital brevlåda för utskick"),
    (
        "LinkedIn Learning",
        "LinkedIn Ireland Unlimited Company",
        "Webbutbildningar för medarbetare",
    ),
    (
        "Skolon",
        "Skolon AB",
        "Samlingsplats för digitala läromedel",
    ),
    ("Polyglutt", "Ugglo AB", "Bilderböcker för förskolan"),
    ("Digiexam", "Digiexam Solutions Sweden AB", "Digitala prov"),
    ("Timecare", "Visma Enterprise AB", "Bemanningsplanering"),
    ("Textalk", "Textalk AB", "Digitala tidningar"),
    ("Meltwater", "Meltwater Sweden AB", "Medieövervakning"),
    ("Lyyti", "Lyyti Oy", "Evenemangsanmälan"),
];
const P_PUBLIK: [Product; 12] = [
    (
        "Facebook-sida",
        "Meta Platforms Ireland Ltd",
        "Förvaltningens sida på Facebook",
    ),
    (
        "Instagramkonto",
        "Meta Platforms Ireland Ltd",
        "Förvaltningens konto på Instagram",
    ),
    (
        "LinkedIn-sida",
        "LinkedIn Ireland Unlimited Company",
        "Rekryteringssida på LinkedIn",
    ),
    (
        "Youtubekanal",
        "Google Ireland Ltd",
        "Filmer om verksamheten",
    ),
    (
        "Bibliotekskatalog Libris",
        "Kungliga biblioteket",
        "Samkatalog för bibliotek",
    ),
    (
        "Platsbanken",
        "Arbetsförmedlingen",
        "Annonsering av lediga tjänster",
    ),
    (
        "Tripadvisor",
        "TripAdvisor LLC",
        "Besöksmål och recensioner",
    ),
    (
        "Google Maps-profil",
        "Google Ireland Ltd",
        "Hitta till verksamheterna",
    ),
    (
        "Offentliga jobb",
        "Visma Enterprise AB",
        "Annonsering av lediga tjänster",
    ),
    (
        "Hitta.se",
        "Hitta.se AB",
        "Kontaktuppgifter till verksamheterna",
    ),
    ("Spotify-podd", "Spotify AB", "Poddavsnitt om verksamheten"),
    (
        "Föreningsportal RF",
        "Riksidrottsförbundet",
        "Föreningsregister och bidrag",
    ),
];
const P_MYNDIGHET: [Product; 12] = [
    ("Navet", "Skatteverket", "Folkbokföringsuppgifter"),
    (
        "SSBTEK",
        "Försäkringskassan",
        "Uppgifter för ekonomiskt bistånd",
    ),
    (
        "Mina ombud",
        "Bolagsverket",
        "Ombudshantering för e-tjänster",
    ),
    (
        "Ladok",
        "Ladokkonsortiet",
        "Studieresultat för vuxenutbildning",
    ),
    (
        "Betygsregistret",
        "Skolverket",
        "Betygsuppgifter till Skolverket",
    ),
    ("Fastighetsregistret", "Lantmäteriet", "Fastighetsuppgifter"),
    (
        "Vägtrafikregistret",
        "Transportstyrelsen",
        "Uppgifter om fordon",
    ),
    ("NPÖ", "Inera AB", "Nationell patientöversikt"),
    ("Pascal", "E-hälsomyndigheten", "Läkemedelsordination"),
    (
        "Belastningsregistret",
        "Polismyndigheten",
        "Utdrag ur belastningsregistret",
    ),
    (
        "Statistikportalen",
        "Statistiska centralbyrån",
        "Inrapportering av statistik",
    ),
    ("SITHS-kort", "Inera AB", "E-legitimation för vårdpersonal"),
];
const P_PLATTFORM: [Product; 12] = [
    (
        "Microsoft 365",
        "Microsoft Ireland Operations Ltd",
        "Samarbetsplattform och kontorsprogram",
    ),
    (
        "ServiceNow",
        "ServiceNow Nederland B.V.",
        "Plattform för ärenden och tjänstekatalog",
    ),
    (
        "Open ePlatform",
        "Nordic Peak AB",
        "E-tjänsteplattform för invånare",
    ),
    ("Sitevision", "Sitevision AB", "Webbpublicering"),
    (
        "Power Platform",
        "Microsoft Ireland Operations Ltd",
        "Lågkodsplattform",
    ),
    (
        "Integrationsplattform",
        "Frends Technology AB",
        "Integrationer mellan system",
    ),
    (
        "Skolplattform",
        "Tietoevry Sweden AB",
        "Plattform för lärande",
    ),
    ("Mina sidor", "Nordic Peak AB", "Invånarens samlade ärenden"),
    (
        "Google Workspace for Education",
        "Google Cloud EMEA Ltd",
        "Samarbete i skolan",
    ),
    (
        "Azure-plattform",
        "Microsoft Ireland Operations Ltd",
        "Molnplattform för kommunens tjänster",
    ),
    (
        "Identitetsplattform",
        "Svensk e-identitet AB",
        "Inloggning med e-legitimation",
    ),
    (
        "Dokumentplattform",
        "Formpipe Software AB",
        "Långtidsarkiv och e-arkiv",
    ),
];
const P_INFRA: [Product; 14] = [
    ("Kommunnätet", "Telia Sverige AB", "Kommunens datanät"),
    (
        "Serverplattform",
        "Dell Technologies AB",
        "Virtualiserade servrar",
    ),
    (
        "Säkerhetskopiering",
        "Veeam Software AB",
        "Backup och återläsning",
    ),
    (
        "Active Directory",
        "Microsoft Ireland Operations Ltd",
        "Katalogtjänst och behörigheter",
    ),
    ("Brandväggar", "Fortinet Sweden AB", "Perimeterskydd"),
    (
        "Trådlöst nät",
        "Cisco Systems Sweden AB",
        "Wi-Fi i kommunens lokaler",
    ),
    (
        "Utskriftstjänst",
        "Ricoh Sverige AB",
        "Skrivare och utskriftshantering",
    ),
    (
        "Klienthantering",
        "Microsoft Ireland Operations Ltd",
        "Hantering av datorer och mobiler",
    ),
    (
        "Växel och telefoni",
        "Telia Sverige AB",
        "Telefoni och växeltjänst",
    ),
    (
        "Lagringsplattform",
        "NetApp Sweden AB",
        "Lagring av filer och databaser",
    ),
    ("Övervakning", "Zabbix SIA", "Drift- och larmövervakning"),
    ("Datacenter", "Conapto AB", "Kommunens datorhallar"),
    (
        "Certifikattjänst",
        "Sectigo Ltd",
        "Certifikat för webb och tjänster",
    ),
    ("Logghantering", "Elastic N.V.", "Central logginsamling"),
];

fn products(cat: Cat) -> &'static [Product] {
    match cat {
        Cat::Publik => &P_PUBLIK,
        Cat::Myndighet => &P_MYNDIGHET,
        Cat::Kommersiell => &P_KOMMERSIELL,
        Cat::Verktyg => &P_VERKTYG,
        Cat::Verksamhet => &P_VERKSAMHET,
        Cat::Plattform => &P_PLATTFORM,
        Cat::Infra => &P_INFRA,
    }
}

const EU_SUBPROCESSORS: [(&str, &str); 10] = [
    ("Microsoft Ireland Operations Ltd", "IE"),
    ("Amazon Web Services EMEA SARL", "LU"),
    ("Google Cloud EMEA Ltd", "IE"),
    ("Telia Sverige AB", "SE"),
    ("Conapto AB", "SE"),
    ("Hetzner Online GmbH", "DE"),
    ("OVH SAS", "FR"),
    ("Visma Software AS", "NO"),
    ("Elastic N.V.", "NL"),
    ("Tietoevry Oyj", "FI"),
];
const US_SUBPROCESSORS: [(&str, &str); 3] = [
    ("Amazon Web Services, Inc.", "US"),
    ("Microsoft Corporation", "US"),
    ("Zendesk, Inc.", "US"),
];

/// Behandling themes for a nämnd's own systems:
/// (name, slug, purpose, legal basis, data subjects, categories of data)
type Theme = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);
const THEMES: [Theme; 8] = [
    (
        "Handläggning av ärenden",
        "handlaggning",
        "Handläggning och beslut i ärenden inom nämndens ansvarsområde",
        "myndighetsutovning",
        &["sokande", "medborgare"],
        &["kontaktuppgifter", "personnummer", "arendeuppgifter"],
    ),
    (
        "Dokumentation av insatser",
        "dokumentation",
        "Dokumentation av insatser enligt gällande lagstiftning",
        "rattslig-forpliktelse",
        &["brukare", "anhoriga"],
        &["kontaktuppgifter", "personnummer", "insatser"],
    ),
    (
        "Kontakter med invånare",
        "invanarkontakter",
        "Besvara frågor, synpunkter och klagomål från invånare",
        "allmant-intresse",
        &["medborgare"],
        &["kontaktuppgifter", "arendeuppgifter"],
    ),
    (
        "Planering och uppföljning av verksamheten",
        "verksamhetsuppfoljning",
        "Planera, följa upp och utveckla verksamheten",
        "allmant-intresse",
        &["anstallda", "brukare"],
        &["kontaktuppgifter", "statistikuppgifter"],
    ),
    (
        "Administration av barn och elever",
        "elevadministration",
        "Placering, schemaläggning och dokumentation för barn och elever",
        "allmant-intresse",
        &["elever", "vardnadshavare"],
        &["kontaktuppgifter", "personnummer", "omdomen"],
    ),
    (
        "Bokning och avgifter",
        "bokning-och-avgifter",
        "Bokning av lokaler och debitering av avgifter",
        "avtal",
        &["kunder"],
        &["kontaktuppgifter", "betalningsuppgifter"],
    ),
    (
        "Tillsyn och kontroll",
        "tillsyn",
        "Tillsyn och kontroll enligt speciallagstiftning",
        "myndighetsutovning",
        &["verksamhetsutovare"],
        &["kontaktuppgifter", "arendeuppgifter"],
    ),
    (
        "Digitala möten och samarbete",
        "samarbete",
        "Kommunikation och samarbete i verksamheten",
        "allmant-intresse",
        &["anstallda", "medborgare"],
        &["kontaktuppgifter", "ljud-och-bild"],
    ),
];

fn stod_theme(stod: Option<&str>) -> (&'static str, &'static str) {
    match stod {
        Some("ekonomi") => ("Ekonomiadministration", "rattslig-forpliktelse"),
        Some("kundreskontra") => ("Kundreskontra och fakturering", "rattslig-forpliktelse"),
        Some("upphandling") => ("Upphandling och inköp", "rattslig-forpliktelse"),
        Some("diarieforing") => ("Diarieföring och ärendehantering", "rattslig-forpliktelse"),
        Some("kommunikation") => ("Extern och intern kommunikation", "allmant-intresse"),
        Some("it-drift") => ("Drift av IT-tjänster", "allmant-intresse"),
        Some("rekrytering") => ("Rekrytering", "avtal"),
        Some("loneadministration") => ("Löneadministration", "avtal"),
        Some("kontaktcenter") => ("Kontaktcenter", "allmant-intresse"),
        Some("digital-arbetsplats") => ("Digital arbetsplats", "allmant-intresse"),
        Some("e-post") => ("E-post och kalender", "allmant-intresse"),
        Some("telefoni") => ("Telefoni och växel", "allmant-intresse"),
        Some("lokalforsorjning") => ("Lokalförsörjning", "allmant-intresse"),
        _ => ("Gemensamma verksamhetsstöd", "allmant-intresse"),
    }
}

// ---------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------

struct Namnd {
    id: String,
    name: String,
    ks: bool,
    forv_id: String,
    forv_name: String,
    abbr: String,
    dnr: String,
    units: Vec<String>,
    chef: usize,
    dsk: usize,
    stod: &'static [&'static str],
    deleg_date: Date,
    deleg_ref: String,
    weight: u32,
}

struct Person {
    id: String,
    name: String,
    title: &'static str,
    forv: usize,
    unit: Option<String>,
    left_on: Option<Date>,
}

#[derive(Default)]
struct Pool {
    managers: Vec<usize>,
    staff: Vec<usize>,
    left: Vec<usize>,
}

#[derive(Clone, PartialEq)]
enum UsedBy {
    All,
    List(Vec<usize>),
}

#[derive(Clone)]
enum Holder {
    One(String),
    Many(Vec<String>),
}

impl Holder {
    fn first(&self) -> &str {
        match self {
            Holder::One(s) => s,
            Holder::Many(v) => &v[0],
        }
    }
    fn contains(&self, id: &str) -> bool {
        match self {
            Holder::One(s) => s == id,
            Holder::Many(v) => v.iter().any(|s| s == id),
        }
    }
    fn all(&self) -> Vec<&str> {
        match self {
            Holder::One(s) => vec![s.as_str()],
            Holder::Many(v) => v.iter().map(|s| s.as_str()).collect(),
        }
    }
    fn replace(&mut self, from: &str, to: &str) {
        match self {
            Holder::One(s) => {
                if s == from {
                    *s = to.to_string()
                }
            }
            Holder::Many(v) => {
                for s in v.iter_mut() {
                    if s == from {
                        *s = to.to_string()
                    }
                }
            }
        }
    }
}

struct Personal {
    processed: bool,
    sensitive: bool,
    third_country: bool,
    dialog: Option<Date>,
}

struct Classification {
    date: Date,
    levels: [u8; 3],
    action_plan: bool,
}

struct Dpia {
    threshold_date: Date,
    criteria: u8,
    assessment: Option<Date>,
    dso: bool,
    motivation: Option<&'static str>,
}

struct Plan {
    year: i32,
    approved: Option<(String, Date, String)>,
    covers: Vec<String>,
}

struct Report {
    year: i32,
    completed: Date,
    by: String,
}

struct Exception {
    rule: &'static str,
    decision: String,
    decided_on: Date,
    motivation: &'static str,
    expires: Date,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AvtalType {
    Grund,
    Pub,
    Gpa,
    Sla,
    Fullmakt,
}

impl AvtalType {
    fn name(self) -> &'static str {
        match self {
            AvtalType::Grund => "grundavtal",
            AvtalType::Pub => "pub-avtal",
            AvtalType::Gpa => "gpa",
            AvtalType::Sla => "sla",
            AvtalType::Fullmakt => "fullmakt",
        }
    }
}

struct Avtal {
    id: String,
    typ: AvtalType,
    systems: Vec<String>,
    counterparty: Option<&'static str>,
    controllers: Option<UsedBy>,
    decided_by: Option<String>,
    signed_by: Option<String>,
    signed_on: Date,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
    extension: Option<Date>,
    reference: Option<String>,
    clauses: Vec<&'static str>,
    subprocessors: Vec<(&'static str, &'static str)>,
    transfer: Option<(Vec<&'static str>, &'static str, Date)>,
    from: Option<usize>,
    to: Option<String>,
}

impl Avtal {
    fn new(id: String, typ: AvtalType, system: &str, signed_on: Date) -> Avtal {
        Avtal {
            id,
            typ,
            systems: vec![system.to_string()],
            counterparty: None,
            controllers: None,
            decided_by: None,
            signed_by: None,
            signed_on,
            valid_from: None,
            valid_until: None,
            extension: None,
            reference: None,
            clauses: Vec::new(),
            subprocessors: Vec::new(),
            transfer: None,
            from: None,
            to: None,
        }
    }
    fn valid_on(&self, date: Date) -> bool {
        self.valid_from.unwrap_or(self.signed_on) <= date
            && self.valid_until.is_none_or(|u| u >= date)
    }
}

struct System {
    id: String,
    name: String,
    description: String,
    cat: Cat,
    kg: bool,
    stod: Option<&'static str>,
    used_by: UsedBy,
    supplier: &'static str,
    fee: bool,
    fee_written: bool,
    intern: bool,
    hosting_written: bool,
    status: Status,
    since: Date,
    /// The nämnd whose people hold the roles (the owner nämnd for
    /// förvaltningsspecifika systems; KS or Service for kommungemensamma).
    pool: usize,
    product: usize,
    roles: [Option<Holder>; 14],
    personal: Option<Personal>,
    classification: Option<Classification>,
    dpia: Option<Dpia>,
    plans: Vec<Plan>,
    reports: Vec<Report>,
    followups: Vec<(Date, bool)>,
    exceptions: Vec<Exception>,
    avtal: Vec<Avtal>,
    companion_of: Option<usize>,
    has_companion: bool,
    /// Schema fault: write this misspelt key instead of the right one.
    typo_key: Option<&'static str>,
    /// Leave this system out of this user nämnd's behandlingar
    /// (optionally listing a misspelt id instead).
    unregistered: Option<(usize, Option<String>)>,
    violated: bool,
}

impl System {
    fn budget_holders(&self) -> Vec<String> {
        self.roles[R_BUDGET]
            .as_ref()
            .map(|h| h.all().into_iter().map(String::from).collect())
            .unwrap_or_default()
    }
    fn agare(&self) -> Option<&str> {
        self.roles[R_AGARE].as_ref().map(|h| h.first())
    }
    fn avtal_idx(&self, t: AvtalType) -> Option<usize> {
        self.avtal.iter().position(|a| a.typ == t)
    }
}

struct Behandling {
    id: String,
    name: String,
    controller: usize,
    joint: Vec<usize>,
    purpose: &'static str,
    legal_basis: &'static str,
    systems: Vec<String>,
    subjects: &'static [&'static str],
    data: &'static [&'static str],
}

// ---------------------------------------------------------------------------
// Violations
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    MissingRole,
    LeftHolder,
    DanglingPerson,
    MissingPub,
    PubControllers,
    PubClause,
    ThirdCountry,
    DecidedBy,
    MissingFullmakt,
    PlanLate,
    PlanApprover,
    MissingReport,
    NoClassification,
    DpiaMissing,
    MissingSla,
    ExpiredGrundavtal,
    ExpiringContract,
    NoAvtalsuppfoljning,
    OwnerTitle,
    SchemaTypo,
    RegisterMissing,
    NotApplicable,
    Cardinality,
    InformationsagarePerson,
    TekniskNotDc,
    KgOwner,
    // cross-file
    DuplicateId,
    AvtalUnknownSystem,
    BehandlingUnknownSystem,
    PersonLeftMulti,
}

const NORMAL_KINDS: [Kind; 26] = [
    Kind::MissingRole,
    Kind::LeftHolder,
    Kind::DanglingPerson,
    Kind::MissingPub,
    Kind::PubControllers,
    Kind::PubClause,
    Kind::ThirdCountry,
    Kind::DecidedBy,
    Kind::MissingFullmakt,
    Kind::PlanLate,
    Kind::PlanApprover,
    Kind::MissingReport,
    Kind::NoClassification,
    Kind::DpiaMissing,
    Kind::MissingSla,
    Kind::ExpiredGrundavtal,
    Kind::ExpiringContract,
    Kind::NoAvtalsuppfoljning,
    Kind::OwnerTitle,
    Kind::SchemaTypo,
    Kind::RegisterMissing,
    Kind::NotApplicable,
    Kind::Cardinality,
    Kind::InformationsagarePerson,
    Kind::TekniskNotDc,
    Kind::KgOwner,
];
const CROSS_KINDS: [Kind; 4] = [
    Kind::DuplicateId,
    Kind::AvtalUnknownSystem,
    Kind::BehandlingUnknownSystem,
    Kind::PersonLeftMulti,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::MissingRole => "missing-role",
            Kind::LeftHolder => "role-holder-left",
            Kind::DanglingPerson => "dangling-person",
            Kind::MissingPub => "missing-pub-avtal",
            Kind::PubControllers => "pub-controllers-incomplete",
            Kind::PubClause => "pub-clause-missing",
            Kind::ThirdCountry => "third-country-no-transfer",
            Kind::DecidedBy => "pub-wrong-decided-by",
            Kind::MissingFullmakt => "missing-fullmakt",
            Kind::PlanLate => "plan-approved-late",
            Kind::PlanApprover => "plan-wrong-approver",
            Kind::MissingReport => "missing-uppfoljningsrapport",
            Kind::NoClassification => "missing-classification",
            Kind::DpiaMissing => "dpia-missing",
            Kind::MissingSla => "missing-sla",
            Kind::ExpiredGrundavtal => "grundavtal-expired",
            Kind::ExpiringContract => "contract-expiring",
            Kind::NoAvtalsuppfoljning => "no-avtalsuppfoljning",
            Kind::OwnerTitle => "agare-wrong-title",
            Kind::SchemaTypo => "schema-misspelt-key",
            Kind::RegisterMissing => "not-in-behandlingsregister",
            Kind::NotApplicable => "role-not-applicable",
            Kind::Cardinality => "single-role-several-holders",
            Kind::InformationsagarePerson => "informationsagare-is-person",
            Kind::TekniskNotDc => "teknisk-not-digitalt-center",
            Kind::KgOwner => "kommungemensam-budget-outside",
            Kind::DuplicateId => "cross:duplicate-id",
            Kind::AvtalUnknownSystem => "cross:avtal-unknown-system",
            Kind::BehandlingUnknownSystem => "cross:behandling-unknown-system",
            Kind::PersonLeftMulti => "cross:person-left-holding-roles",
        }
    }
    /// The rule(s) `kdl lint` is expected to report.
    fn rule(self) -> &'static str {
        match self {
            Kind::MissingRole => "roles/mandatory",
            Kind::LeftHolder => "roles/vacant",
            Kind::DanglingPerson => "ref/unknown",
            Kind::MissingPub | Kind::PubControllers => "pub/missing",
            Kind::PubClause => "pub/clauses",
            Kind::ThirdCountry => "pub/third-country",
            Kind::DecidedBy => "pub/decided-by",
            Kind::MissingFullmakt => "pub/fullmakt",
            Kind::PlanLate => "plan/late",
            Kind::PlanApprover => "plan/approver",
            Kind::MissingReport => "report/missing",
            Kind::NoClassification => "infosec/classification",
            Kind::DpiaMissing => "dpia/required",
            Kind::MissingSla => "docs/sla",
            Kind::ExpiredGrundavtal => "contract/expired",
            Kind::ExpiringContract => "contract/expiring",
            Kind::NoAvtalsuppfoljning => "forum/avtalsuppfoljning",
            Kind::OwnerTitle => "roles/owner-title",
            Kind::SchemaTypo => "schema/invalid",
            Kind::RegisterMissing => "register/missing",
            Kind::NotApplicable => "roles/not-applicable",
            Kind::Cardinality => "roles/cardinality",
            Kind::InformationsagarePerson => "roles/informationsagare",
            Kind::TekniskNotDc => "roles/digitalt-center",
            Kind::KgOwner => "scope/kommungemensam-owner",
            Kind::DuplicateId => "id/duplicate",
            Kind::AvtalUnknownSystem => "ref/unknown+pub/missing",
            Kind::BehandlingUnknownSystem => "ref/unknown+register/missing",
            Kind::PersonLeftMulti => "roles/vacant",
        }
    }
}

struct Injected {
    kind: Kind,
    file: String,
    entity: String,
    note: String,
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

const T_NAMND: u64 = 1;
const T_SKEL: u64 = 2;
const T_PAIR: u64 = 3;
const T_NAME: u64 = 4;
const T_PERSON: u64 = 5;
const T_ASSIGN: u64 = 6;
const T_VIOL: u64 = 7;
const T_BEH: u64 = 8;
const T_POOL: u64 = 9;

struct Gen {
    seed: u64,
    n: usize,
    ids: Ids,
    namnder: Vec<Namnd>,
    persons: Vec<Person>,
    pools: Vec<Pool>,
    dc_vc: usize,
    dc_managers: Vec<usize>,
    dc_staff: Vec<usize>,
    dc_left: Vec<usize>,
    bkds: Vec<usize>,
    systems: Vec<System>,
    behandlingar: Vec<Behandling>,
    injected: Vec<Injected>,
    duplicates: Vec<usize>,
}

impl Gen {
    fn new(seed: u64, n: usize) -> Gen {
        Gen {
            seed,
            n,
            ids: Ids::default(),
            namnder: Vec::new(),
            persons: Vec::new(),
            pools: Vec::new(),
            dc_vc: 0,
            dc_managers: Vec::new(),
            dc_staff: Vec::new(),
            dc_left: Vec::new(),
            bkds: Vec::new(),
            systems: Vec::new(),
            behandlingar: Vec::new(),
            injected: Vec::new(),
            duplicates: Vec::new(),
        }
    }

    fn k(&self) -> usize {
        self.namnder.len()
    }

    // -- nämnder ------------------------------------------------------------

    fn build_namnder(&mut self) {
        let k = 12.max(self.n / 400);
        for i in 0..k {
            let mut rng = Rng::stream(self.seed, T_NAMND, i as u64);
            let (id, name, forv_id, forv_name, abbr, dnr, units, weight) = if i < BASE_NAMNDER.len()
            {
                let b = &BASE_NAMNDER[i];
                let weight = match i {
                    KS => 4,
                    SERVICE => 5,
                    _ => 10,
                };
                (
                    b.id.to_string(),
                    b.name.to_string(),
                    b.forv_id.to_string(),
                    b.forv_name.to_string(),
                    b.abbr.to_string(),
                    b.abbr.to_ascii_uppercase(),
                    b.units.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                    weight,
                )
            } else {
                let j = i - BASE_NAMNDER.len();
                let district = DISTRICTS[j % DISTRICTS.len()];
                let round = j / DISTRICTS.len();
                let (suffix_name, suffix_id) = if round == 0 {
                    (String::new(), String::new())
                } else {
                    (format!(" {}", round + 1), format!("-{}", round + 1))
                };
                let ds = slug(district);
                (
                    format!("stadsdelsnamnden-{ds}{suffix_id}"),
                    format!("Stadsdelsnämnden {district}{suffix_name}"),
                    format!("stadsdelsforvaltningen-{ds}{suffix_id}"),
                    format!("Stadsdelsförvaltningen {district}{suffix_name}"),
                    format!("sdn-{ds}{suffix_id}"),
                    format!("SDN{}", j + 1),
                    DISTRICT_UNITS.iter().map(|s| s.to_string()).collect(),
                    10,
                )
            };
            let id = self.ids.unique(&id);
            let forv_id = self.ids.unique(&forv_id);
            let deleg_date = rng.date(d(2024, 3, 12), d(2024, 10, 29));
            let deleg_ref = format!(
                "{dnr}-2024-{:05} § {}",
                rng.range(100, 2999),
                rng.range(10, 180)
            );
            self.namnder.push(Namnd {
                id,
                name,
                ks: i == KS,
                forv_id,
                forv_name,
                abbr,
                dnr,
                units,
                chef: usize::MAX,
                dsk: usize::MAX,
                stod: match i {
                    KS => &KS_STOD,
                    SERVICE => &SERVICE_STOD,
                    _ => &[],
                },
                deleg_date,
                deleg_ref,
                weight,
            });
        }
    }

    // -- system skeletons -----------------------------------------------------

    fn build_skeletons(&mut self) {
        let k = self.k();
        let weights: Vec<u32> = self.namnder.iter().map(|n| n.weight).collect();
        let all_cap = 30 + self.n / 200;
        let mut all_count = 0;
        for i in 0..self.n {
            let mut rng = Rng::stream(self.seed, T_SKEL, i as u64);
            let cat = CATS[rng.weighted(&CAT_WEIGHTS)];
            let status = [
                Status::Behov,
                Status::Upphandling,
                Status::Inforande,
                Status::IDrift,
                Status::UnderAvveckling,
                Status::Avvecklad,
            ][rng.weighted(&[2, 3, 5, 80, 5, 5])];
            let since = match status {
                Status::Behov => rng.date(d(2026, 1, 8), d(2026, 10, 30)),
                Status::Upphandling => rng.date(d(2025, 6, 2), d(2026, 9, 30)),
                Status::Inforande => rng.date(d(2024, 2, 1), d(2024, 12, 16)),
                Status::IDrift => rng.date(d(2008, 1, 1), d(2024, 12, 2)),
                Status::UnderAvveckling => rng.date(d(2025, 2, 1), d(2026, 9, 30)),
                Status::Avvecklad => rng.date(d(2019, 1, 1), d(2025, 12, 19)),
            };
            let kg = match cat {
                Cat::Infra => true,
                Cat::Publik | Cat::Myndighet => false,
                _ => rng.chance(0.15),
            };
            let (stod, used_by, pool) = if kg {
                let r = rng.f64();
                let list = |rng: &mut Rng| {
                    let m = rng.range(2, 6.min(k - 1));
                    let mut l: Vec<usize> = Vec::with_capacity(m);
                    while l.len() < m {
                        let x = rng.below(k);
                        if !l.contains(&x) {
                            l.push(x);
                        }
                    }
                    l.sort_unstable();
                    UsedBy::List(l)
                };
                if cat == Cat::Infra {
                    if all_count < all_cap {
                        all_count += 1;
                        let stod = if r < 0.55 {
                            Some("it-drift")
                        } else if r < 0.8 {
                            Some(*rng.pick(&["digital-arbetsplats", "telefoni", "e-post"]))
                        } else {
                            None
                        };
                        (stod, UsedBy::All, SERVICE)
                    } else {
                        (None, list(&mut rng), SERVICE)
                    }
                } else if r < 0.5 && all_count < all_cap {
                    all_count += 1;
                    let s = if rng.chance(0.5) {
                        *rng.pick(&KS_STOD)
                    } else {
                        *rng.pick(&SERVICE_STOD[1..])
                    };
                    (Some(s), UsedBy::All, stod_owner(s))
                } else if r < 0.65 && all_count < all_cap {
                    all_count += 1;
                    (None, UsedBy::All, KS)
                } else {
                    (None, list(&mut rng), KS)
                }
            } else {
                let pool = rng.weighted(&weights);
                let mut l = vec![pool];
                if rng.chance(0.36) {
                    let extra = rng.range(1, 3);
                    let mut others = Vec::new();
                    while others.len() < extra {
                        let x = rng.below(k);
                        if x != pool && !others.contains(&x) {
                            others.push(x);
                        }
                    }
                    others.sort_unstable();
                    l.extend(others);
                }
                (None, UsedBy::List(l), pool)
            };
            let intern = cat.yearly() && rng.chance(0.04);
            let fee = cat != Cat::Kommersiell || rng.chance(0.7);
            let fee_written = !fee || rng.chance(0.1);
            let hosting_written = intern || rng.chance(0.3);
            let product = rng.below(products(cat).len());
            self.systems.push(System {
                id: String::new(),
                name: String::new(),
                description: String::new(),
                cat,
                kg,
                stod,
                used_by,
                supplier: products(cat)[product].1,
                fee,
                fee_written,
                intern,
                hosting_written,
                status,
                since,
                pool,
                product,
                roles: Default::default(),
                personal: None,
                classification: None,
                dpia: None,
                plans: Vec::new(),
                reports: Vec::new(),
                followups: Vec::new(),
                exceptions: Vec::new(),
                avtal: Vec::new(),
                companion_of: None,
                has_companion: false,
                typo_key: None,
                unregistered: None,
                violated: false,
            });
        }
        // Companion apps whose yearly plan is recorded on the main system (`covers`).
        for i in 0..self.n.saturating_sub(1) {
            let mut rng = Rng::stream(self.seed, T_PAIR, i as u64);
            let (a, b) = (&self.systems[i], &self.systems[i + 1]);
            if a.cat == Cat::Verksamhet
                && !a.kg
                && a.status == Status::IDrift
                && a.companion_of.is_none()
                && b.cat == Cat::Verktyg
                && !b.kg
                && b.status == Status::IDrift
                && rng.chance(0.4)
            {
                let (pool, used_by, supplier) = (a.pool, a.used_by.clone(), a.supplier);
                self.systems[i].has_companion = true;
                let b = &mut self.systems[i + 1];
                b.companion_of = Some(i);
                b.pool = pool;
                b.used_by = used_by;
                b.supplier = supplier;
                b.intern = false;
                b.hosting_written = false;
            }
        }
        // Names and ids.
        for i in 0..self.n {
            let mut rng = Rng::stream(self.seed, T_NAME, i as u64);
            let s = &self.systems[i];
            let (id, name, description) = if let Some(p) = s.companion_of {
                let primary = &self.systems[p];
                let suffix = *rng.pick(&["app", "mobil", "rapport"]);
                let id = self.ids.unique(&format!("{}-{suffix}", primary.id));
                let (name, desc) = match suffix {
                    "app" => (
                        format!("{} app", primary.name),
                        format!("Mobilapp till {}", primary.name),
                    ),
                    "mobil" => (
                        format!("{} Mobil", primary.name),
                        format!("Mobil åtkomst till {}", primary.name),
                    ),
                    _ => (
                        format!("{} Rapport", primary.name),
                        format!("Rapportverktyg för {}", primary.name),
                    ),
                };
                (id, name, desc)
            } else {
                let (pname, _, pdesc) = products(s.cat)[s.product];
                let base = slug(pname);
                let n = &self.namnder[s.pool];
                let id = if !self.ids.contains(&base) {
                    self.ids.unique(&base)
                } else if !s.kg {
                    self.ids.unique(&format!("{base}-{}", n.abbr))
                } else {
                    self.ids.unique(&base)
                };
                let name = if s.kg || id == base {
                    pname.to_string()
                } else {
                    format!("{pname} ({})", n.forv_name)
                };
                (id, name, pdesc.to_string())
            };
            let s = &mut self.systems[i];
            s.id = id;
            s.name = name;
            s.description = description;
        }
    }

    // -- persons --------------------------------------------------------------

    fn new_person(
        &mut self,
        title: &'static str,
        forv: usize,
        unit: Option<String>,
        left_on: Option<Date>,
    ) -> usize {
        let idx = self.persons.len();
        let mut rng = Rng::stream(self.seed, T_PERSON, idx as u64);
        let name = format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES));
        let id = self.ids.unique(&slug(&name));
        self.persons.push(Person {
            id,
            name,
            title,
            forv,
            unit,
            left_on,
        });
        idx
    }

    fn build_persons(&mut self) {
        let k = self.k();
        let mut owned = vec![0usize; k];
        let mut dc_systems = 0usize;
        for s in &self.systems {
            if s.cat == Cat::Infra {
                dc_systems += 1;
            } else {
                owned[s.pool] += 1;
            }
            if matches!(s.cat, Cat::Verktyg | Cat::Verksamhet | Cat::Plattform) {
                dc_systems += 1;
            }
        }
        self.pools = (0..k).map(|_| Pool::default()).collect();
        for f in 0..k {
            let mut rng = Rng::stream(self.seed, T_POOL, f as u64);
            let units: Vec<String> = self.namnder[f]
                .units
                .iter()
                .filter(|u| u.as_str() != "digitalt-center")
                .cloned()
                .collect();
            let unit = |rng: &mut Rng| -> Option<String> {
                if units.is_empty() || rng.chance(0.2) {
                    None
                } else {
                    Some(rng.pick(&units).clone())
                }
            };
            let chef = self.new_person("forvaltningschef", f, None, None);
            self.namnder[f].chef = chef;
            let u = unit(&mut rng);
            let dsk = self.new_person("dataskyddskontakt", f, u, None);
            self.namnder[f].dsk = dsk;
            if f == KS {
                self.new_person("kommundirektor", f, None, None);
                for _ in 0..1.max(k / 40) {
                    let p = self.new_person("bitradande-kommundirektor", f, None, None);
                    self.bkds.push(p);
                }
            }
            let m = 1.max(owned[f].div_ceil(12));
            for _ in 0..m {
                let t = *rng.pick(&MANAGER_TITLES);
                let u = unit(&mut rng);
                let p = self.new_person(t, f, u, None);
                self.pools[f].managers.push(p);
            }
            let s = 2.max(owned[f] / 5);
            for _ in 0..s {
                let t = *rng.pick(&STAFF_TITLES);
                let u = unit(&mut rng);
                // A few have given notice: they leave after the evaluation date.
                let left = if rng.chance(0.02) {
                    Some(rng.date(d(2027, 1, 31), d(2027, 8, 31)))
                } else {
                    None
                };
                let p = self.new_person(t, f, u, left);
                self.pools[f].staff.push(p);
            }
            for _ in 0..1.max((m + s) / 30) {
                let t = if rng.chance(0.3) {
                    *rng.pick(&MANAGER_TITLES)
                } else {
                    *rng.pick(&STAFF_TITLES)
                };
                let u = unit(&mut rng);
                let left = rng.date(d(2024, 2, 29), d(2026, 10, 30));
                let p = self.new_person(t, f, u, Some(left));
                self.pools[f].left.push(p);
            }
            if f == SERVICE {
                let dc = Some("digitalt-center".to_string());
                self.dc_vc = self.new_person("verksamhetschef", f, dc.clone(), None);
                for _ in 0..1.max(self.n / 600) {
                    let p = self.new_person("enhetschef", f, dc.clone(), None);
                    self.dc_managers.push(p);
                }
                for _ in 0..3.max(dc_systems / 30) {
                    let t = *rng.pick(&DC_TITLES);
                    let p = self.new_person(t, f, dc.clone(), None);
                    self.dc_staff.push(p);
                }
                for _ in 0..1.max(self.n / 3000) {
                    let t = *rng.pick(&DC_TITLES);
                    let left = rng.date(d(2024, 2, 29), d(2026, 10, 30));
                    let p = self.new_person(t, f, dc.clone(), Some(left));
                    self.dc_left.push(p);
                }
            }
        }
    }

    // -- roles, records and agreements of each system -------------------------

    fn assign_all(&mut self) {
        for i in 0..self.n {
            let mut rng = Rng::stream(self.seed, T_ASSIGN, i as u64);
            let (before, rest) = self.systems.split_at_mut(i);
            let s = &mut rest[0];
            let ctx = Ctx {
                namnder: &self.namnder,
                persons: &self.persons,
                pools: &self.pools,
                dc_vc: self.dc_vc,
                dc_managers: &self.dc_managers,
                dc_staff: &self.dc_staff,
                bkds: &self.bkds,
            };
            ctx.assign(s, before, &mut rng);
        }
    }

    // -- violations -----------------------------------------------------------

    fn inject(&mut self, fraction: f64) {
        let total = (fraction * self.n as f64).round() as usize;
        if total == 0 {
            return;
        }
        let cross = 1.max((total as f64 * 0.01).round() as usize).min(total);
        let mut rng = Rng::stream(self.seed, T_VIOL, 0);
        let mut order: Vec<usize> = (0..self.n).collect();
        rng.shuffle(&mut order);
        let mut normal = NORMAL_KINDS.to_vec();
        rng.shuffle(&mut normal);
        let mut crossk = CROSS_KINDS.to_vec();
        rng.shuffle(&mut crossk);
        let (mut cn, mut cc) = (0usize, 0usize);
        let mut assigned = 0usize;
        for &i in &order {
            if assigned >= total {
                break;
            }
            let s = &self.systems[i];
            if s.status == Status::Avvecklad
                || s.companion_of.is_some()
                || s.has_companion
                || !s.exceptions.is_empty()
            {
                continue;
            }
            let is_cross = assigned < cross;
            let kinds: &[Kind] = if is_cross { &crossk } else { &normal };
            let c = if is_cross { &mut cc } else { &mut cn };
            let mut vrng = Rng::stream(self.seed, T_VIOL, 1 + i as u64);
            let mut done = false;
            for t in 0..kinds.len() {
                let kind = kinds[(*c + t) % kinds.len()];
                if let Some(note) = self.apply(i, kind, &mut vrng) {
                    *c = (*c + t + 1) % kinds.len();
                    let s = &mut self.systems[i];
                    s.violated = true;
                    let file = match kind {
                        Kind::DuplicateId => format!("system/arkiv/{}.yaml", s.id),
                        _ => format!("system/{}.yaml", s.id),
                    };
                    self.injected.push(Injected {
                        kind,
                        file,
                        entity: s.id.clone(),
                        note,
                    });
                    done = true;
                    break;
                }
            }
            if done {
                assigned += 1;
            }
        }
    }

    /// Applies one violation of `kind` to system `i` if it applies; returns a note.
    fn apply(&mut self, i: usize, kind: Kind, rng: &mut Rng) -> Option<String> {
        let k = self.k();
        let today = as_of();
        let s = &self.systems[i];
        let mandatory = s.cat.mandatory(s.status, s.fee);
        let pool = s.pool;
        match kind {
            Kind::MissingRole => {
                let cands: Vec<usize> = mandatory
                    .iter()
                    .copied()
                    .filter(|&r| r != R_AGARE && r != R_BUDGET && s.roles[r].is_some())
                    .collect();
                if cands.is_empty() {
                    return None;
                }
                let r = *rng.pick(&cands);
                self.systems[i].roles[r] = None;
                Some(format!("removed {}", ROLE_NAMES[r]))
            }
            Kind::LeftHolder => {
                let cands: Vec<usize> = [R_SYSF, R_HS, R_TJF, R_OMR]
                    .into_iter()
                    .filter(|&r| mandatory.contains(&r) && s.roles[r].is_some())
                    .collect();
                if cands.is_empty() {
                    return None;
                }
                let r = *rng.pick(&cands);
                let holder = s.roles[r].as_ref()?.first().to_string();
                let forv = self
                    .persons
                    .iter()
                    .find(|p| p.id == holder)
                    .map(|p| p.forv)
                    .unwrap_or(pool);
                let left_pool = if self.dc_staff.iter().any(|&p| self.persons[p].id == holder) {
                    &self.dc_left
                } else {
                    &self.pools[forv].left
                };
                let p = &self.persons[*rng.pick(left_pool)];
                let note = format!("{} held by {} (left {})", ROLE_NAMES[r], p.id, p.left_on?);
                self.systems[i].roles[r] = Some(Holder::One(p.id.clone()));
                Some(note)
            }
            Kind::DanglingPerson => {
                let cands: Vec<usize> = [
                    R_SYSF, R_TJF, R_OMR, R_HS, R_TEKN, R_PROD, R_PROC, R_SUPER, R_SYSADM,
                ]
                .into_iter()
                .filter(|&r| s.roles[r].is_some())
                .collect();
                if cands.is_empty() {
                    return None;
                }
                let r = *rng.pick(&cands);
                let holder = s.roles[r].as_ref()?.first().to_string();
                let bad = typo(&holder, &self.ids, rng)?;
                self.systems[i].roles[r].as_mut()?.replace(&holder, &bad);
                Some(format!("{}: {} -> {}", ROLE_NAMES[r], holder, bad))
            }
            Kind::MissingPub => {
                s.avtal_idx(AvtalType::Pub)?;
                let removed: Vec<String> = s
                    .avtal
                    .iter()
                    .filter(|a| matches!(a.typ, AvtalType::Pub | AvtalType::Fullmakt))
                    .map(|a| a.id.clone())
                    .collect();
                self.systems[i]
                    .avtal
                    .retain(|a| !matches!(a.typ, AvtalType::Pub | AvtalType::Fullmakt));
                Some(format!("removed {}", removed.join(", ")))
            }
            Kind::PubControllers => {
                let a = s.avtal_idx(AvtalType::Pub)?;
                match &s.avtal[a].controllers {
                    Some(UsedBy::List(l)) if l.len() >= 2 => {
                        let gone = *l.last()?;
                        let av = &mut self.systems[i].avtal[a];
                        if let Some(UsedBy::List(l)) = &mut av.controllers {
                            l.pop();
                        }
                        Some(format!(
                            "{} controllers omit {}",
                            av.id, self.namnder[gone].id
                        ))
                    }
                    _ => None,
                }
            }
            Kind::PubClause => {
                let a = s.avtal_idx(AvtalType::Pub)?;
                let c = rng.below(8);
                let av = &mut self.systems[i].avtal[a];
                let gone = av.clauses.remove(c);
                Some(format!("{} lacks clause {gone}", av.id))
            }
            Kind::ThirdCountry => {
                let a = s.avtal_idx(AvtalType::Pub)?;
                if s.avtal[a].transfer.is_some() || s.personal.as_ref()?.third_country {
                    return None;
                }
                let sp = *rng.pick(&US_SUBPROCESSORS);
                let av = &mut self.systems[i].avtal[a];
                av.subprocessors.push(sp);
                Some(format!(
                    "{} subprocessor {} ({}) without transfer",
                    av.id, sp.0, sp.1
                ))
            }
            Kind::DecidedBy => {
                if !s.kg {
                    return None;
                }
                let a = s.avtal_idx(AvtalType::Pub)?;
                let other = 2 + rng.below(k - 2);
                let chef = self.persons[self.namnder[other].chef].id.clone();
                self.systems[i].avtal[a].decided_by = Some(chef.clone());
                Some(format!(
                    "decided-by {chef} (förvaltningschef of {})",
                    self.namnder[other].id
                ))
            }
            Kind::MissingFullmakt => {
                let a = s.avtal_idx(AvtalType::Fullmakt)?;
                let id = self.systems[i].avtal.remove(a).id;
                Some(format!("removed {id}"))
            }
            Kind::PlanLate => {
                let p = s
                    .plans
                    .iter()
                    .position(|p| p.year == 2026 && p.approved.is_some())?;
                let date = rng.date(d(2026, 1, 8), d(2026, 2, 27));
                self.systems[i].plans[p].approved.as_mut()?.1 = date;
                Some(format!("2026 plan approved {date}"))
            }
            Kind::PlanApprover => {
                let p = s
                    .plans
                    .iter()
                    .position(|p| p.year == 2026 && p.approved.is_some())?;
                let budget = s.budget_holders();
                let cands: Vec<usize> = self.pools[pool]
                    .staff
                    .iter()
                    .copied()
                    .filter(|&q| !budget.contains(&self.persons[q].id))
                    .collect();
                if cands.is_empty() {
                    return None;
                }
                let who = self.persons[*rng.pick(&cands)].id.clone();
                self.systems[i].plans[p].approved.as_mut()?.0 = who.clone();
                Some(format!("2026 plan approved by {who}"))
            }
            Kind::MissingReport => {
                let r = s.reports.iter().position(|r| r.year == 2025)?;
                self.systems[i].reports.remove(r);
                Some("removed the 2025 report".into())
            }
            Kind::NoClassification => {
                if !s.status.live() || s.classification.is_none() {
                    return None;
                }
                self.systems[i].classification = None;
                Some("removed information-classification".into())
            }
            Kind::DpiaMissing => {
                let dp = self.systems[i].dpia.as_mut()?;
                dp.criteria = 3;
                dp.assessment = None;
                dp.dso = false;
                dp.motivation = None;
                Some("criteria-met 3, no assessment or motivation".into())
            }
            Kind::MissingSla => {
                if !s.cat.sla() {
                    return None;
                }
                let a = s.avtal_idx(AvtalType::Sla)?;
                let id = self.systems[i].avtal.remove(a).id;
                Some(format!("removed {id}"))
            }
            Kind::ExpiredGrundavtal => {
                if !s.status.in_use() || !s.cat.yearly() {
                    return None;
                }
                let a = s
                    .avtal
                    .iter()
                    .position(|a| a.typ == AvtalType::Grund && a.valid_on(today))?;
                let from = s.avtal[a]
                    .valid_from
                    .unwrap_or(s.avtal[a].signed_on)
                    .plus(30)
                    .max(d(2026, 1, 31));
                let to = d(2026, 10, 30);
                if from > to {
                    return None;
                }
                let until = rng.date(from, to);
                let av = &mut self.systems[i].avtal[a];
                av.valid_until = Some(until);
                av.extension = None;
                Some(format!("{} valid-until {until}", av.id))
            }
            Kind::ExpiringContract => {
                if !s.status.in_use() {
                    return None;
                }
                let a = s
                    .avtal
                    .iter()
                    .position(|a| a.typ == AvtalType::Pub && a.valid_on(today))
                    .or_else(|| {
                        s.avtal
                            .iter()
                            .position(|a| a.typ == AvtalType::Grund && a.valid_on(today))
                    })?;
                let until = rng.date(d(2027, 1, 12), d(2027, 5, 14));
                let av = &mut self.systems[i].avtal[a];
                av.valid_until = Some(until);
                av.extension = None;
                Some(format!(
                    "{} valid-until {until}, no extension decided",
                    av.id
                ))
            }
            Kind::NoAvtalsuppfoljning => {
                if !s.cat.yearly() || !s.status.in_use() || s.followups.is_empty() {
                    return None;
                }
                let date = rng.date(d(2025, 3, 3), d(2025, 10, 31));
                self.systems[i].followups = vec![(date, true)];
                Some(format!("last avtalsuppföljning {date}"))
            }
            Kind::OwnerTitle => {
                if s.kg || s.cat.public() || s.cat == Cat::Infra {
                    return None;
                }
                let old = s.agare()?.to_string();
                let budget = s.budget_holders();
                let cands: Vec<usize> = self.pools[pool]
                    .managers
                    .iter()
                    .copied()
                    .filter(|&q| !budget.contains(&self.persons[q].id))
                    .collect();
                let q = if cands.is_empty() {
                    *self.pools[pool].managers.first()?
                } else {
                    *rng.pick(&cands)
                };
                let new = self.persons[q].id.clone();
                let title = self.persons[q].title;
                let s = &mut self.systems[i];
                s.roles[R_AGARE] = Some(Holder::One(new.clone()));
                for a in &mut s.avtal {
                    for f in [&mut a.decided_by, &mut a.signed_by, &mut a.to] {
                        if f.as_deref() == Some(old.as_str()) {
                            *f = Some(new.clone());
                        }
                    }
                }
                Some(format!("agare {new} is {title}"))
            }
            Kind::SchemaTypo => {
                let key = if rng.chance(0.5) {
                    "categroy"
                } else {
                    "descripton"
                };
                self.systems[i].typo_key = Some(key);
                Some(format!("misspelt key `{key}`"))
            }
            Kind::RegisterMissing => {
                if !s.personal.as_ref()?.processed || s.unregistered.is_some() {
                    return None;
                }
                let n = match &s.used_by {
                    UsedBy::All => pool,
                    UsedBy::List(l) => l[0],
                };
                self.systems[i].unregistered = Some((n, None));
                Some(format!("not in any behandling of {}", self.namnder[n].id))
            }
            Kind::NotApplicable => match s.cat {
                Cat::Publik | Cat::Myndighet => {
                    let chef = self.persons[self.namnder[pool].chef].id.clone();
                    self.systems[i].roles[R_AGARE] = Some(Holder::One(chef.clone()));
                    Some(format!("agare {chef} on a {}", self.systems[i].cat.name()))
                }
                Cat::Plattform => {
                    let p = self.persons[*rng.pick(&self.pools[pool].staff)].id.clone();
                    self.systems[i].roles[R_SYSF] = Some(Holder::One(p.clone()));
                    Some(format!("systemforvaltare {p} on a plattform"))
                }
                _ => None,
            },
            Kind::Cardinality => {
                let h = s.roles[R_HS].as_ref()?.first().to_string();
                let staff = &self.pools[pool].staff;
                let other = staff
                    .iter()
                    .map(|&q| &self.persons[q].id)
                    .find(|id| **id != h)?
                    .clone();
                self.systems[i].roles[R_HS] = Some(Holder::Many(vec![h.clone(), other.clone()]));
                Some(format!("huvudansvarig-superanvandare [{h}, {other}]"))
            }
            Kind::InformationsagarePerson => {
                let p = self.persons[*rng.pick(&self.pools[pool].staff)].id.clone();
                self.systems[i].roles[R_INFOAG] = Some(Holder::One(p.clone()));
                Some(format!("informationsagare is person {p}"))
            }
            Kind::TekniskNotDc => {
                if s.kg || s.roles[R_TEKN].is_none() {
                    return None;
                }
                let p = self.persons[*rng.pick(&self.pools[pool].staff)].id.clone();
                self.systems[i].roles[R_TEKN] = Some(Holder::One(p.clone()));
                Some(format!(
                    "teknisk-systemforvaltare {p} not at digitalt-center"
                ))
            }
            Kind::KgOwner => {
                if !s.kg {
                    return None;
                }
                let old = s.roles[R_BUDGET].as_ref()?.first().to_string();
                let other = 2 + rng.below(k - 2);
                let q = *rng.pick(&self.pools[other].managers);
                let new = self.persons[q].id.clone();
                let s = &mut self.systems[i];
                s.roles[R_BUDGET] = Some(Holder::One(new.clone()));
                for p in &mut s.plans {
                    if p.year >= 2026 {
                        if let Some(a) = &mut p.approved {
                            if a.0 == old {
                                a.0 = new.clone();
                            }
                        }
                    }
                }
                for r in &mut s.reports {
                    if r.by == old {
                        r.by = new.clone();
                    }
                }
                Some(format!(
                    "budgetansvarig {new} works at {}",
                    self.namnder[other].forv_id
                ))
            }
            Kind::DuplicateId => {
                self.duplicates.push(i);
                Some(format!(
                    "copy of system/{0}.yaml at system/arkiv/{0}.yaml",
                    s.id
                ))
            }
            Kind::AvtalUnknownSystem => {
                let a = s.avtal_idx(AvtalType::Pub)?;
                let bad = typo(&s.id, &self.ids, rng)?;
                let av = &mut self.systems[i].avtal[a];
                av.systems = vec![bad.clone()];
                Some(format!("avtal/{}.yaml names system {bad}", av.id))
            }
            Kind::BehandlingUnknownSystem => {
                if !s.personal.as_ref()?.processed || s.unregistered.is_some() {
                    return None;
                }
                let n = match &s.used_by {
                    UsedBy::All => pool,
                    UsedBy::List(l) => l[0],
                };
                let bad = typo(&s.id, &self.ids, rng)?;
                self.systems[i].unregistered = Some((n, Some(bad.clone())));
                Some(format!(
                    "a behandling of {} lists {bad}",
                    self.namnder[n].id
                ))
            }
            Kind::PersonLeftMulti => {
                // A staff member of the pool who holds roles here leaves.
                let staff: HashSet<&str> = self.pools[pool]
                    .staff
                    .iter()
                    .map(|&q| self.persons[q].id.as_str())
                    .collect();
                let holder = [R_HS, R_SYSF, R_PROC, R_SUPER]
                    .into_iter()
                    .filter_map(|r| s.roles[r].as_ref())
                    .flat_map(|h| h.all())
                    .find(|id| staff.contains(id))?
                    .to_string();
                let q = self.persons.iter().position(|p| p.id == holder)?;
                let left = rng.date(d(2026, 6, 30), d(2026, 10, 30));
                self.persons[q].left_on = Some(left);
                let affected = self
                    .systems
                    .iter()
                    .filter(|s| s.roles.iter().flatten().any(|h| h.contains(&holder)))
                    .count();
                Some(format!(
                    "personer/{holder}.yaml left-on {left}; holds roles on {affected} systems"
                ))
            }
        }
    }

    // -- behandlingsregister --------------------------------------------------

    fn build_behandlingar(&mut self) {
        let k = self.k();
        // Systems that need registering: personal data, not retired.
        let mut all_by_stod: BTreeMap<(usize, &'static str), Vec<usize>> = BTreeMap::new();
        let mut per_namnd: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (i, s) in self.systems.iter().enumerate() {
            if s.status == Status::Avvecklad || !s.personal.as_ref().is_some_and(|p| p.processed) {
                continue;
            }
            match &s.used_by {
                UsedBy::All => {
                    // order: stödprocesser in list order, then the rest
                    let key = match s.stod {
                        Some(st) => {
                            let pos = KS_STOD
                                .iter()
                                .chain(SERVICE_STOD.iter())
                                .position(|x| *x == st)
                                .unwrap_or(99);
                            (pos, st)
                        }
                        None => (100, ""),
                    };
                    all_by_stod.entry(key).or_default().push(i);
                }
                UsedBy::List(l) => {
                    for &n in l {
                        per_namnd[n].push(i);
                    }
                }
            }
        }
        let sys_id = |s: &System, n: usize| -> Option<String> {
            match &s.unregistered {
                Some((m, None)) if *m == n => None,
                Some((m, Some(bad))) if *m == n => Some(bad.clone()),
                _ => Some(s.id.clone()),
            }
        };
        for n in 0..k {
            let mut rng = Rng::stream(self.seed, T_BEH, n as u64);
            let abbr = self.namnder[n].abbr.clone();
            // Shared systems used by every nämnd, one behandling per stödprocess.
            for ((_, stod), list) in &all_by_stod {
                let stod = if stod.is_empty() { None } else { Some(*stod) };
                let (theme, basis) = stod_theme(stod);
                let joint: Vec<usize> = stod
                    .map(stod_owner)
                    .filter(|&o| o != n)
                    .into_iter()
                    .collect();
                for (c, chunk) in list.chunks(30).enumerate() {
                    let systems: Vec<String> = chunk
                        .iter()
                        .filter_map(|&i| sys_id(&self.systems[i], n))
                        .collect();
                    if systems.is_empty() {
                        continue;
                    }
                    let base = match c {
                        0 => format!("{abbr}-{}", slug(theme)),
                        _ => format!("{abbr}-{}-{}", slug(theme), c + 1),
                    };
                    let id = self.ids.unique(&base);
                    self.behandlingar.push(Behandling {
                        id,
                        name: theme.to_string(),
                        controller: n,
                        joint: joint.clone(),
                        purpose: match stod {
                            Some(_) => "Kommungemensam stödprocess som utförs för nämndens räkning",
                            None => "Användning av kommungemensamma system i verksamheten",
                        },
                        legal_basis: basis,
                        systems,
                        subjects: &["anstallda", "medborgare"],
                        data: &["kontaktuppgifter", "personnummer"],
                    });
                }
            }
            // The nämnd's own and shared systems, a few per behandling.
            let own = std::mem::take(&mut per_namnd[n]);
            let mut pos = 0;
            while pos < own.len() {
                let size = rng.range(2, 8).min(own.len() - pos);
                let chunk = &own[pos..pos + size];
                pos += size;
                let systems: Vec<String> = chunk
                    .iter()
                    .filter_map(|&i| sys_id(&self.systems[i], n))
                    .collect();
                if systems.is_empty() {
                    continue;
                }
                let th = rng.pick(&THEMES);
                let id = self.ids.unique(&format!("{abbr}-{}", th.1));
                self.behandlingar.push(Behandling {
                    id,
                    name: th.0.to_string(),
                    controller: n,
                    joint: Vec::new(),
                    purpose: th.2,
                    legal_basis: th.3,
                    systems,
                    subjects: th.4,
                    data: th.5,
                });
            }
        }
    }
}

struct Ctx<'a> {
    namnder: &'a [Namnd],
    persons: &'a [Person],
    pools: &'a [Pool],
    dc_vc: usize,
    dc_managers: &'a [usize],
    dc_staff: &'a [usize],
    bkds: &'a [usize],
}

impl Ctx<'_> {
    fn pid(&self, p: usize) -> String {
        self.persons[p].id.clone()
    }
    fn pick_distinct(&self, rng: &mut Rng, from: &[usize], n: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let n = n.min(from.len());
        let mut guard = 0;
        while out.len() < n && guard < 50 {
            let id = self.pid(*rng.pick(from));
            if !out.contains(&id) {
                out.push(id);
            }
            guard += 1;
        }
        out
    }
    fn holder(&self, rng: &mut Rng, from: &[usize], max: usize, list_p: f64) -> Holder {
        let n = if max > 1 && rng.chance(list_p) {
            rng.range(2, max)
        } else {
            1
        };
        let v = self.pick_distinct(rng, from, n);
        if v.len() == 1 && !rng.chance(0.15) {
            Holder::One(v.into_iter().next().unwrap_or_default())
        } else {
            Holder::Many(v)
        }
    }
    fn reference(&self, rng: &mut Rng, n: usize, year: i32) -> String {
        format!("{}-{year}-{:05}", self.namnder[n].dnr, rng.range(100, 9999))
    }

    fn assign(&self, s: &mut System, before: &[System], rng: &mut Rng) {
        let today = as_of();
        let pool = s.pool;
        let cat = s.cat;
        let p = &self.pools[pool];
        let mut people: Vec<usize> = p.managers.clone();
        people.extend_from_slice(&p.staff);

        // --- roles
        {
            let mut roles: [Option<Holder>; 14] = Default::default();
            let primary = s.companion_of.map(|i| &before[i]);
            if cat.known().contains(&R_AGARE) {
                let agare = if let Some(pr) = primary {
                    pr.roles[R_AGARE].clone()
                } else if cat == Cat::Infra {
                    Some(Holder::One(self.pid(self.dc_vc)))
                } else if s.kg {
                    if s.stod.map(stod_owner) == Some(SERVICE) {
                        Some(Holder::One(self.pid(self.namnder[SERVICE].chef)))
                    } else {
                        Some(Holder::One(self.pid(*rng.pick(self.bkds))))
                    }
                } else {
                    Some(Holder::One(self.pid(self.namnder[pool].chef)))
                };
                roles[R_AGARE] = agare;
            }
            if cat.known().contains(&R_BUDGET) && s.fee {
                roles[R_BUDGET] = if let Some(pr) = primary {
                    pr.roles[R_BUDGET].clone()
                } else if cat == Cat::Infra {
                    Some(self.holder(rng, self.dc_managers, 2, 0.15))
                } else {
                    Some(self.holder(rng, &p.managers, 2, 0.2))
                };
            }
            let mandatory = cat.mandatory(Status::IDrift, s.fee);
            let want =
                |r: usize, rng: &mut Rng, p_opt: f64| mandatory.contains(&r) || rng.chance(p_opt);
            if cat.known().contains(&R_PROC) && want(R_PROC, rng, 0.5) {
                roles[R_PROC] = Some(self.holder(rng, &people, 2, 0.1));
            }
            if cat.known().contains(&R_SYSF) {
                roles[R_SYSF] = Some(self.holder(rng, &p.staff, 3, 0.4));
            }
            if cat.known().contains(&R_TEKN) && want(R_TEKN, rng, 0.0) {
                roles[R_TEKN] = Some(self.holder(rng, self.dc_staff, 2, 0.3));
            }
            if cat.known().contains(&R_TJF) && want(R_TJF, rng, 0.0) {
                let from = if rng.chance(0.5) {
                    self.dc_staff
                } else {
                    &p.staff[..]
                };
                roles[R_TJF] = Some(self.holder(rng, from, 2, 0.3));
            }
            if cat.known().contains(&R_OMR) {
                roles[R_OMR] = Some(Holder::One(self.pid(*rng.pick(self.dc_staff))));
            }
            if cat.known().contains(&R_PROD) {
                roles[R_PROD] = Some(Holder::One(self.pid(*rng.pick(self.dc_staff))));
            }
            if cat.known().contains(&R_HS) {
                roles[R_HS] = Some(Holder::One(self.pid(*rng.pick(&p.staff))));
            }
            if cat.known().contains(&R_SYSADM) && rng.chance(0.2) {
                let from = if cat == Cat::Infra {
                    self.dc_staff
                } else {
                    &p.staff[..]
                };
                roles[R_SYSADM] = Some(self.holder(rng, from, 2, 0.3));
            }
            if cat.known().contains(&R_SUPER) && rng.chance(0.25) {
                let n = rng.range(1, 3);
                roles[R_SUPER] = Some(Holder::Many(self.pick_distinct(rng, &p.staff, n)));
            }
            if cat.known().contains(&R_INFOAG) && rng.chance(0.6) {
                roles[R_INFOAG] = Some(Holder::One(self.namnder[pool].id.clone()));
            }
            if cat.known().contains(&R_INFOF) && rng.chance(0.15) {
                roles[R_INFOF] = Some(self.holder(rng, &p.staff, 2, 0.2));
            }
            if cat.known().contains(&R_PROCL) && rng.chance(0.15) {
                roles[R_PROCL] = Some(self.holder(rng, &people, 2, 0.2));
            }
            if s.status == Status::Behov {
                // Only the ägare is appointed this early (if the category has one).
                for (r, h) in roles.iter_mut().enumerate() {
                    if r != R_AGARE {
                        *h = None;
                    }
                }
            }
            // Retired systems often still name people who have since left.
            if s.status == Status::Avvecklad && rng.chance(0.4) {
                for r in [R_SYSF, R_HS, R_TJF, R_OMR] {
                    if roles[r].is_some() {
                        let left = if cat == Cat::Infra {
                            &[][..]
                        } else {
                            &p.left[..]
                        };
                        if !left.is_empty() {
                            roles[r] = Some(Holder::One(self.pid(*rng.pick(left))));
                        }
                    }
                }
            }
            // An avsteg: an interim ägare below förvaltningschef, decided and documented.
            if !s.kg
                && s.companion_of.is_none()
                && !s.has_companion
                && cat.known().contains(&R_AGARE)
                && cat != Cat::Infra
                && s.status.in_use()
                && rng.chance(0.004)
            {
                let budget: Vec<String> = roles[R_BUDGET]
                    .as_ref()
                    .map(|h| h.all().into_iter().map(String::from).collect())
                    .unwrap_or_default();
                if let Some(&m) = p
                    .managers
                    .iter()
                    .find(|&&m| !budget.contains(&self.persons[m].id))
                {
                    roles[R_AGARE] = Some(Holder::One(self.pid(m)));
                    s.exceptions.push(Exception {
                        rule: "roles/owner-title",
                        decision: self.reference(rng, pool, 2026),
                        decided_on: rng.date(d(2026, 1, 12), d(2026, 6, 30)),
                        motivation: "Interim ägare under rekrytering av förvaltningschef.",
                        expires: rng.date(d(2027, 1, 31), d(2027, 6, 30)),
                    });
                }
            }
            s.roles = roles;
        }

        // --- personal data, classification, DPIA
        let live = s.status.live();
        let processed = if s.status < Status::Inforande {
            // Not yet assessed in depth: a dialogue with the dataskyddskontakt is recorded.
            false
        } else if cat.public() {
            rng.chance(0.5)
        } else {
            rng.chance(match cat {
                Cat::Infra => 0.55,
                Cat::Kommersiell => 0.8,
                _ => 0.88,
            })
        };
        let third_country = processed && !s.intern && !cat.public() && rng.chance(0.05);
        s.personal = Some(Personal {
            processed,
            sensitive: processed && rng.chance(0.15),
            third_country,
            dialog: if processed {
                None
            } else {
                Some(rng.date(d(2023, 1, 10), d(2026, 10, 30)))
            },
        });
        if live
            || s.status == Status::Avvecklad
            || (s.status == Status::Upphandling && rng.chance(0.5))
        {
            s.classification = Some(Classification {
                date: rng.date(d(2024, 1, 8), d(2026, 10, 30)),
                levels: [
                    rng.range(0, 4) as u8,
                    rng.range(0, 4) as u8,
                    rng.range(0, 4) as u8,
                ],
                action_plan: rng.chance(0.8),
            });
        }
        if processed {
            let mut criteria = [0u8, 0, 0, 1, 1, 1, 2, 2, 3, 4][rng.below(10)];
            if s.personal.as_ref().is_some_and(|p| p.sensitive) {
                criteria = (criteria + 1).min(5);
            }
            let (assessment, motivation) = if criteria > 2 {
                if rng.chance(0.8) {
                    (Some(rng.date(d(2023, 6, 1), d(2026, 9, 30))), None)
                } else {
                    (None, Some("Behandlingen är av samma slag som en tidigare bedömd behandling; konsekvensbedömningen för den gäller."))
                }
            } else if rng.chance(0.08) {
                (Some(rng.date(d(2023, 6, 1), d(2026, 9, 30))), None)
            } else {
                (None, None)
            };
            s.dpia = Some(Dpia {
                threshold_date: rng.date(d(2023, 3, 1), d(2026, 9, 30)),
                criteria,
                dso: assessment.is_some() || motivation.is_some(),
                assessment,
                motivation,
            });
        }

        // --- yearly cycle
        let budget0 = s.roles[R_BUDGET].as_ref().map(|h| h.first().to_string());
        if cat.yearly() && live {
            if let Some(b) = budget0.clone() {
                if s.companion_of.is_none() {
                    let covers: Vec<String> = Vec::new(); // filled in for companions by run()
                    if rng.chance(0.7) {
                        let by = if rng.chance(0.3) {
                            self.pid(*rng.pick(&p.managers))
                        } else {
                            b.clone()
                        };
                        let by = if cat == Cat::Infra { b.clone() } else { by };
                        s.plans.push(Plan {
                            year: 2025,
                            approved: Some((
                                by,
                                rng.date(d(2024, 9, 2), d(2024, 12, 19)),
                                self.reference(rng, pool, 2024),
                            )),
                            covers: covers.clone(),
                        });
                    }
                    s.plans.push(Plan {
                        year: 2026,
                        approved: Some((
                            b.clone(),
                            rng.date(d(2025, 9, 1), d(2025, 12, 19)),
                            self.reference(rng, pool, 2025),
                        )),
                        covers: covers.clone(),
                    });
                    s.plans.push(Plan {
                        year: 2027,
                        approved: None,
                        covers,
                    });
                }
                if rng.chance(0.6) {
                    s.reports.push(Report {
                        year: 2024,
                        completed: rng.date(d(2025, 1, 15), d(2025, 3, 28)),
                        by: b.clone(),
                    });
                }
                s.reports.push(Report {
                    year: 2025,
                    completed: rng.date(d(2026, 1, 15), d(2026, 3, 31)),
                    by: b,
                });
            }
            if rng.chance(0.5) {
                s.followups
                    .push((rng.date(d(2025, 2, 3), d(2025, 11, 14)), rng.chance(0.85)));
            }
            s.followups.push((
                rng.date(d(2026, 1, 12), d(2026, 11, 13)),
                !s.intern && rng.chance(0.9),
            ));
        } else if cat == Cat::Kommersiell && s.status.in_use() && rng.chance(0.3) {
            s.followups
                .push((rng.date(d(2026, 1, 12), d(2026, 11, 13)), true));
        }

        // --- agreements
        let agare = s.roles[R_AGARE].as_ref().map(|h| h.first().to_string());
        let signer = agare
            .clone()
            .unwrap_or_else(|| self.pid(self.namnder[pool].chef));
        let status = s.status;
        let retired = status == Status::Avvecklad;
        let id = s.id.clone();
        let first_signed = s
            .since
            .plus(-(rng.range(20, 300) as i32))
            .max(d(2005, 1, 10));
        // Current agreements are signed at the latest in 2025 and at the earliest in 2018 (renewals).
        let since = s.since;
        let cur_signed = if first_signed < d(2018, 1, 1) && !retired {
            rng.date(d(2018, 1, 8), d(2025, 6, 30))
        } else {
            first_signed
        };
        let validity = |rng: &mut Rng, a: &mut Avtal| {
            a.valid_from = if rng.chance(0.6) {
                Some(
                    a.signed_on
                        .plus(rng.range(0, 60) as i32)
                        .min(today.plus(-1)),
                )
            } else {
                None
            };
            if retired {
                let start = a.valid_from.unwrap_or(a.signed_on).max(since);
                a.valid_until = Some(start.plus(rng.range(0, 90) as i32).min(today.plus(-10)));
                return;
            }
            let r = rng.f64();
            if r < 0.45 {
                a.valid_until = None;
            } else if r < 0.9 {
                a.valid_until = Some(rng.date(d(2027, 6, 30), d(2030, 12, 31)));
            } else {
                a.valid_until = Some(rng.date(d(2027, 1, 15), d(2027, 5, 14)));
                a.extension = Some(rng.date(d(2026, 3, 2), d(2026, 10, 30)));
            }
        };
        let mut avtal: Vec<Avtal> = Vec::new();
        if cat.yearly() && status >= Status::Inforande {
            if first_signed < cur_signed && rng.chance(0.6) {
                let year = first_signed.year();
                let mut old = Avtal::new(
                    format!("{id}-grundavtal-{year}"),
                    AvtalType::Grund,
                    &id,
                    first_signed,
                );
                old.counterparty = Some(s.supplier);
                old.decided_by = Some(signer.clone());
                old.signed_by = Some(signer.clone());
                old.valid_until = Some(
                    cur_signed
                        .plus(rng.range(0, 30) as i32)
                        .min(today.plus(-30)),
                );
                old.reference = Some(self.reference(rng, pool, year));
                avtal.push(old);
            }
            let mut g = Avtal::new(
                format!("{id}-grundavtal"),
                AvtalType::Grund,
                &id,
                cur_signed,
            );
            g.counterparty = Some(s.supplier);
            g.decided_by = Some(signer.clone());
            g.signed_by = Some(signer.clone());
            g.reference = Some(self.reference(rng, pool, cur_signed.year()));
            validity(rng, &mut g);
            avtal.push(g);
            if cat.sla() {
                let mut a = Avtal::new(format!("{id}-sla"), AvtalType::Sla, &id, cur_signed);
                a.counterparty = Some(s.supplier);
                a.decided_by = Some(signer.clone());
                a.signed_by = Some(signer.clone());
                a.reference = Some(self.reference(rng, pool, cur_signed.year()));
                validity(rng, &mut a);
                avtal.push(a);
            }
        }
        if processed && !s.intern && cat.requires_pub() && status >= Status::Inforande {
            let signed = cur_signed
                .max(d(2018, 5, 25))
                .plus(rng.range(0, 120) as i32)
                .min(d(2026, 6, 30));
            let mut a = Avtal::new(format!("{id}-pub"), AvtalType::Pub, &id, signed);
            a.counterparty = Some(s.supplier);
            a.controllers = Some(s.used_by.clone());
            // Who decides (D; R "Ansvarar för kommunövergripande …", "Kommungemensamma stödprocesser").
            let decider = if s.kg {
                match s.stod {
                    // A person of the stödprocess nämnd's förvaltning: the ägare is one.
                    Some(_) => signer.clone(),
                    None => {
                        if cat == Cat::Infra {
                            self.pid(*rng.pick(self.bkds))
                        } else {
                            signer.clone() // the biträdande kommundirektör
                        }
                    }
                }
            } else {
                signer.clone()
            };
            a.decided_by = Some(decider.clone());
            a.signed_by = Some(decider);
            a.reference = Some(self.reference(rng, pool, signed.year()));
            a.clauses = vec!["a", "b", "c", "d", "e", "f", "g", "h"];
            for _ in 0..rng.range(0, 3) {
                let sp = *rng.pick(&EU_SUBPROCESSORS);
                if !a.subprocessors.contains(&sp) {
                    a.subprocessors.push(sp);
                }
            }
            let mut countries: Vec<&'static str> = Vec::new();
            if third_country {
                countries.push("US");
            }
            if rng.chance(0.08) {
                let sp = *rng.pick(&US_SUBPROCESSORS);
                a.subprocessors.push(sp);
                if !countries.contains(&sp.1) {
                    countries.push(sp.1);
                }
            }
            if !countries.is_empty() {
                let mech = *rng.pick(&["scc", "adequacy", "scc", "bcr"]);
                a.transfer = Some((countries, mech, signed.plus(-(rng.range(5, 60) as i32))));
            }
            validity(rng, &mut a);
            // Fullmakt from every other user nämnd of a förvaltningsspecifikt system.
            if !s.kg {
                if let UsedBy::List(l) = &s.used_by {
                    for &n in l.iter().filter(|&&n| n != pool) {
                        let on = signed.plus(-(rng.range(5, 90) as i32));
                        let mut f = Avtal::new(
                            format!("{id}-fullmakt-{}", self.namnder[n].abbr),
                            AvtalType::Fullmakt,
                            &id,
                            on,
                        );
                        f.from = Some(n);
                        f.to = Some(signer.clone());
                        f.valid_from = Some(on);
                        f.reference = Some(self.reference(rng, n, on.year()));
                        avtal.push(f);
                    }
                }
            }
            avtal.push(a);
        }
        let gpa = processed && status >= Status::Inforande && (cat.public() || rng.chance(0.06));
        if gpa {
            let signed = rng
                .date(d(2019, 1, 14), d(2026, 6, 30))
                .max(s.since.plus(-200))
                .min(d(2026, 6, 30));
            let mut a = Avtal::new(format!("{id}-gpa"), AvtalType::Gpa, &id, signed);
            a.counterparty = Some(s.supplier);
            a.controllers = Some(s.used_by.clone());
            a.decided_by = Some(signer.clone());
            a.signed_by = Some(signer.clone());
            a.reference = Some(self.reference(rng, pool, signed.year()));
            validity(rng, &mut a);
            avtal.push(a);
        }
        s.avtal = avtal;
    }
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

fn render_kdl(buf: &mut String, g: &Gen, args: &Args) {
    let _ = writeln!(
        buf,
        "# Generated by examples/gen_catalog.rs (--systems {} --seed {}); evaluate with --as-of {}.",
        g.n,
        g.seed,
        as_of()
    );
    kv(
        buf,
        "",
        "municipality",
        if g.k() > 12 {
            "Exempelstad"
        } else {
            "Exempelkommun"
        },
    );
    kv(buf, "", "model", "kungsbacka-2023.1");
    buf.push_str("organisation:\n");
    kv(buf, "  ", "kommunstyrelse", &g.namnder[KS].id);
    kv(buf, "  ", "service", &g.namnder[SERVICE].id);
    buf.push_str("  digitalt-center:\n");
    kv(buf, "    ", "forvaltning", &g.namnder[SERVICE].forv_id);
    kv(buf, "    ", "unit", "digitalt-center");
    let _ = args;
}

fn render_namnd(buf: &mut String, g: &Gen, n: &Namnd) {
    kv(buf, "", "kind", "namnd");
    kv(buf, "", "id", &n.id);
    kv(buf, "", "name", &n.name);
    kv(
        buf,
        "",
        "type",
        if n.ks { "kommunstyrelse" } else { "namnd" },
    );
    buf.push_str("forvaltning:\n");
    kv(buf, "  ", "id", &n.forv_id);
    kv(buf, "  ", "name", &n.forv_name);
    kv(buf, "  ", "chef", &g.persons[n.chef].id);
    kv_list(buf, "  ", "units", &n.units);
    kv(buf, "", "dataskyddskontakt", &g.persons[n.dsk].id);
    buf.push_str("delegations:\n");
    for (matter, delegate) in [
        ("pub-avtal-kommungemensamma", "bitradande-kommundirektor"),
        ("fullmakt-pub-samarbete", "forvaltningschef"),
    ] {
        kv(buf, "  - ", "matter", matter);
        kv(buf, "    ", "delegate", delegate);
        kv_raw(buf, "    ", "decided-on", n.deleg_date);
        kv(buf, "    ", "reference", &n.deleg_ref);
    }
    if !n.stod.is_empty() {
        kv_list(buf, "", "stodprocesser", n.stod);
    }
}

fn render_person(buf: &mut String, g: &Gen, p: &Person) {
    kv(buf, "", "kind", "person");
    kv(buf, "", "id", &p.id);
    kv(buf, "", "name", &p.name);
    kv(buf, "", "title", p.title);
    kv(buf, "", "forvaltning", &g.namnder[p.forv].forv_id);
    if let Some(u) = &p.unit {
        kv(buf, "", "unit", u);
    }
    if let Some(l) = p.left_on {
        kv_raw(buf, "", "left-on", l);
    }
}

fn push_used_by(buf: &mut String, g: &Gen, indent: &str, key: &str, u: &UsedBy) {
    match u {
        UsedBy::All => kv(buf, indent, key, "all"),
        UsedBy::List(l) => {
            let ids: Vec<&str> = l.iter().map(|&n| g.namnder[n].id.as_str()).collect();
            kv_list(buf, indent, key, &ids);
        }
    }
}

fn render_system(buf: &mut String, g: &Gen, s: &System) {
    kv(buf, "", "kind", "system");
    kv(buf, "", "id", &s.id);
    kv(buf, "", "name", &s.name);
    kv(
        buf,
        "",
        if s.typo_key == Some("descripton") {
            "descripton"
        } else {
            "description"
        },
        &s.description,
    );
    kv(
        buf,
        "",
        if s.typo_key == Some("categroy") {
            "categroy"
        } else {
            "category"
        },
        s.cat.name(),
    );
    kv(
        buf,
        "",
        "scope",
        if s.kg {
            "kommungemensam"
        } else {
            "forvaltningsspecifik"
        },
    );
    if let Some(st) = s.stod {
        kv(buf, "", "stodprocess", st);
    }
    push_used_by(buf, g, "", "used-by", &s.used_by);
    kv(buf, "", "supplier", s.supplier);
    if s.fee_written {
        kv_raw(buf, "", "fee", s.fee);
    }
    if s.hosting_written {
        kv(
            buf,
            "",
            "hosting",
            if s.intern { "intern" } else { "extern" },
        );
    }
    buf.push_str("lifecycle:\n");
    kv(buf, "  ", "status", s.status.name());
    kv_raw(buf, "  ", "since", s.since);
    if s.roles.iter().any(|r| r.is_some()) {
        buf.push_str("roles:\n");
        for (r, h) in s.roles.iter().enumerate() {
            match h {
                None => {}
                Some(Holder::One(p)) => kv(buf, "  ", ROLE_NAMES[r], p),
                Some(Holder::Many(v)) => kv_list(buf, "  ", ROLE_NAMES[r], v),
            }
        }
    }
    if let Some(p) = &s.personal {
        buf.push_str("personal-data:\n");
        kv_raw(buf, "  ", "processed", p.processed);
        kv_raw(buf, "  ", "sensitive", p.sensitive);
        kv(
            buf,
            "  ",
            "storage",
            if p.third_country {
                "third-country"
            } else {
                "eu"
            },
        );
        if p.third_country {
            kv_list(buf, "  ", "third-countries", &["US"]);
        }
        if let Some(dd) = p.dialog {
            kv_raw(buf, "  ", "dataskyddskontakt-dialog", dd);
        }
    }
    if let Some(c) = &s.classification {
        buf.push_str("information-classification:\n");
        kv_raw(buf, "  ", "date", c.date);
        kv_raw(buf, "  ", "konfidentialitet", c.levels[0]);
        kv_raw(buf, "  ", "riktighet", c.levels[1]);
        kv_raw(buf, "  ", "tillganglighet", c.levels[2]);
        kv_raw(buf, "  ", "action-plan", c.action_plan);
    }
    if let Some(dp) = &s.dpia {
        buf.push_str("dpia:\n  threshold-analysis:\n");
        kv_raw(buf, "    ", "date", dp.threshold_date);
        kv_raw(buf, "    ", "criteria-met", dp.criteria);
        if dp.assessment.is_some() || dp.dso {
            buf.push_str("  assessment:\n");
            match dp.assessment {
                Some(a) => kv_raw(buf, "    ", "date", a),
                None => kv_raw(buf, "    ", "date", "null"),
            }
            kv_raw(buf, "    ", "dso-consulted", dp.dso);
        }
        if let Some(m) = dp.motivation {
            kv(buf, "  ", "motivation", m);
        }
    }
    if !s.plans.is_empty() {
        buf.push_str("forvaltningsplaner:\n");
        for p in &s.plans {
            kv_raw(buf, "  - ", "year", p.year);
            match &p.approved {
                Some((by, on, reference)) => {
                    kv(buf, "    ", "status", "godkand");
                    kv(buf, "    ", "approved-by", by);
                    kv_raw(buf, "    ", "approved-on", on);
                    kv(buf, "    ", "reference", reference);
                }
                None => kv(buf, "    ", "status", "pagaende"),
            }
            if !p.covers.is_empty() {
                kv_list(buf, "    ", "covers", &p.covers);
            }
        }
    }
    if !s.reports.is_empty() {
        buf.push_str("uppfoljningsrapporter:\n");
        for r in &s.reports {
            kv_raw(buf, "  - ", "year", r.year);
            kv_raw(buf, "    ", "completed-on", r.completed);
            kv(buf, "    ", "approved-by", &r.by);
        }
    }
    if !s.followups.is_empty() {
        buf.push_str("avtalsuppfoljningar:\n");
        for (date, with) in &s.followups {
            kv_raw(buf, "  - ", "date", date);
            kv_raw(buf, "    ", "with-supplier", with);
        }
    }
    if !s.exceptions.is_empty() {
        buf.push_str("exceptions:\n");
        for e in &s.exceptions {
            kv(buf, "  - ", "rule", e.rule);
            kv(buf, "    ", "decision", &e.decision);
            kv_raw(buf, "    ", "decided-on", e.decided_on);
            kv(buf, "    ", "motivation", e.motivation);
            kv_raw(buf, "    ", "expires", e.expires);
        }
    }
}

fn render_avtal(buf: &mut String, g: &Gen, a: &Avtal) {
    kv(buf, "", "kind", "avtal");
    kv(buf, "", "id", &a.id);
    kv(buf, "", "type", a.typ.name());
    kv_list(buf, "", "systems", &a.systems);
    if a.typ == AvtalType::Fullmakt {
        if let Some(n) = a.from {
            kv(buf, "", "from", &g.namnder[n].id);
        }
        if let Some(t) = &a.to {
            kv(buf, "", "to", t);
        }
        kv(buf, "", "scope", "sign-pub-avtal");
    }
    if let Some(c) = a.counterparty {
        kv(buf, "", "counterparty", c);
    }
    if let Some(c) = &a.controllers {
        push_used_by(buf, g, "", "controllers", c);
    }
    if let Some(p) = &a.decided_by {
        kv(buf, "", "decided-by", p);
    }
    if let Some(p) = &a.signed_by {
        kv(buf, "", "signed-by", p);
    }
    kv_raw(buf, "", "signed-on", a.signed_on);
    if let Some(v) = a.valid_from {
        kv_raw(buf, "", "valid-from", v);
    }
    if let Some(v) = a.valid_until {
        kv_raw(buf, "", "valid-until", v);
    }
    if let Some(v) = a.extension {
        kv_raw(buf, "", "extension-decided-on", v);
    }
    if let Some(r) = &a.reference {
        kv(buf, "", "reference", r);
    }
    if a.typ == AvtalType::Pub {
        kv_list(buf, "", "clauses", &a.clauses);
        if !a.subprocessors.is_empty() {
            buf.push_str("subprocessors:\n");
            for (name, country) in &a.subprocessors {
                kv(buf, "  - ", "name", name);
                kv(buf, "    ", "country", country);
            }
        }
        if let Some((countries, mech, tia)) = &a.transfer {
            buf.push_str("transfer:\n");
            kv_list(buf, "  ", "countries", countries);
            kv(buf, "  ", "mechanism", mech);
            kv_raw(buf, "  ", "tia-date", tia);
        }
    }
}

fn render_behandling(buf: &mut String, g: &Gen, b: &Behandling) {
    kv(buf, "", "kind", "behandling");
    kv(buf, "", "id", &b.id);
    kv(buf, "", "name", &b.name);
    kv(buf, "", "controller", &g.namnder[b.controller].id);
    let joint: Vec<&str> = b.joint.iter().map(|&n| g.namnder[n].id.as_str()).collect();
    kv_list(buf, "", "joint-with", &joint);
    kv(buf, "", "purpose", b.purpose);
    kv(buf, "", "legal-basis", b.legal_basis);
    kv_list(buf, "", "systems", &b.systems);
    kv_list(buf, "", "categories-of-data-subjects", b.subjects);
    kv_list(buf, "", "categories-of-data", b.data);
    kv(buf, "", "retention", "Enligt informationshanteringsplan");
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

const SUBDIRS: [&str; 5] = ["namnder", "personer", "system", "avtal", "behandlingar"];

fn prepare_out(out: &Path, force: bool) -> Result<(), String> {
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} exists and is not a directory", out.display()));
        }
        let non_empty = std::fs::read_dir(out)
            .map_err(|e| format!("cannot read {}: {e}", out.display()))?
            .next()
            .is_some();
        if non_empty {
            if !force {
                return Err(format!(
                    "{} is not empty; choose another --out or pass --force to replace the generated files",
                    out.display()
                ));
            }
            for sub in SUBDIRS {
                let p = out.join(sub);
                if p.exists() {
                    std::fs::remove_dir_all(&p)
                        .map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
                }
            }
            let k = out.join("kdl.yaml");
            if k.exists() {
                std::fs::remove_file(&k)
                    .map_err(|e| format!("cannot remove {}: {e}", k.display()))?;
            }
        }
    }
    for sub in SUBDIRS {
        let p = out.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
    }
    Ok(())
}

#[derive(Default, Clone, Copy)]
struct Count {
    files: u64,
    bytes: u64,
}

impl std::ops::AddAssign for Count {
    fn add_assign(&mut self, o: Count) {
        self.files += o.files;
        self.bytes += o.bytes;
    }
}

fn write_file(path: &Path, content: &str) -> Result<Count, String> {
    std::fs::write(path, content.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Count {
        files: 1,
        bytes: content.len() as u64,
    })
}

/// Per directory: namnder, personer, system, avtal, behandlingar.
type Counts = [Count; 5];

fn write_part(g: &Gen, out: &Path, t: usize, threads: usize) -> Result<Counts, String> {
    let mut c: Counts = Default::default();
    let mut buf = String::with_capacity(8192);
    let mut path = PathBuf::new();
    let mut file = |buf: &String, dir: &str, id: &str, slot: &mut Count| -> Result<(), String> {
        path.clear();
        path.push(out);
        path.push(dir);
        path.push(format!("{id}.yaml"));
        *slot += write_file(&path, buf)?;
        Ok(())
    };
    for n in g.namnder.iter().skip(t).step_by(threads) {
        buf.clear();
        render_namnd(&mut buf, g, n);
        file(&buf, "namnder", &n.id, &mut c[0])?;
    }
    for p in g.persons.iter().skip(t).step_by(threads) {
        buf.clear();
        render_person(&mut buf, g, p);
        file(&buf, "personer", &p.id, &mut c[1])?;
    }
    for s in g.systems.iter().skip(t).step_by(threads) {
        buf.clear();
        render_system(&mut buf, g, s);
        file(&buf, "system", &s.id, &mut c[2])?;
        for a in &s.avtal {
            buf.clear();
            render_avtal(&mut buf, g, a);
            file(&buf, "avtal", &a.id, &mut c[3])?;
        }
    }
    for b in g.behandlingar.iter().skip(t).step_by(threads) {
        buf.clear();
        render_behandling(&mut buf, g, b);
        file(&buf, "behandlingar", &b.id, &mut c[4])?;
    }
    Ok(c)
}

fn run(args: &Args) -> Result<(), String> {
    let t0 = Instant::now();
    prepare_out(&args.out, args.force)?;

    let mut g = Gen::new(args.seed, args.systems);
    g.build_namnder();
    g.build_skeletons();
    g.build_persons();
    g.assign_all();
    // Fill in `covers` of plans recorded on a main system for its companion.
    for i in 0..g.n {
        if let Some(p) = g.systems[i].companion_of {
            let cid = g.systems[i].id.clone();
            for plan in &mut g.systems[p].plans {
                plan.covers = vec![cid.clone()];
            }
        }
    }
    g.inject(args.violations);
    g.build_behandlingar();
    let t_gen = t0.elapsed();

    // Write.
    let mut head = String::new();
    render_kdl(&mut head, &g, args);
    let mut total = write_file(&args.out.join("kdl.yaml"), &head)?;
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let results: Vec<Result<Counts, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let g = &g;
                let out = args.out.as_path();
                scope.spawn(move || write_part(g, out, t, threads))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("writer thread panicked".to_string()))
            })
            .collect()
    });
    let mut counts: Counts = Default::default();
    for r in results {
        let r = r?;
        for (c, x) in counts.iter_mut().zip(r) {
            *c += x;
        }
    }
    let mut dup = Count::default();
    if !g.duplicates.is_empty() {
        let dir = args.out.join("system").join("arkiv");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut buf = String::new();
        for &i in &g.duplicates {
            buf.clear();
            render_system(&mut buf, &g, &g.systems[i]);
            dup += write_file(&dir.join(format!("{}.yaml", g.systems[i].id)), &buf)?;
        }
    }
    for c in counts {
        total += c;
    }
    total += dup;

    if let Some(m) = &args.manifest {
        let mut s = String::from("kind\texpected_rule\tfile\tentity\tnote\n");
        for v in &g.injected {
            let _ = writeln!(
                s,
                "{}\t{}\t{}\t{}\t{}",
                v.kind.name(),
                v.kind.rule(),
                v.file,
                v.entity,
                v.note
            );
        }
        std::fs::write(m, s).map_err(|e| format!("cannot write {}: {e}", m.display()))?;
    }

    // Summary.
    let elapsed = t0.elapsed();
    let mut e = String::new();
    let _ = writeln!(
        e,
        "gen_catalog: {} files, {:.1} MB in {} ({:.2} s: {:.2} s generating, {:.2} s writing with {threads} threads)",
        total.files,
        total.bytes as f64 / 1e6,
        args.out.display(),
        elapsed.as_secs_f64(),
        t_gen.as_secs_f64(),
        (elapsed - t_gen).as_secs_f64()
    );
    let names = ["namnder", "personer", "system", "avtal", "behandlingar"];
    let parts: Vec<String> = names
        .iter()
        .zip(counts)
        .map(|(n, c)| format!("{n} {} ({:.1} MB)", c.files, c.bytes as f64 / 1e6))
        .collect();
    let _ = writeln!(
        e,
        "  kdl.yaml 1, {}{}",
        parts.join(", "),
        if dup.files > 0 {
            format!(", system/arkiv {}", dup.files)
        } else {
            String::new()
        }
    );
    let mut by_cat = [0usize; 7];
    let (mut kg, mut fs) = (0, 0);
    for s in &g.systems {
        by_cat[CATS.iter().position(|c| *c == s.cat).unwrap_or(0)] += 1;
        if s.kg {
            kg += 1
        } else {
            fs += 1
        }
    }
    let cats: Vec<String> = CATS
        .iter()
        .zip(by_cat)
        .map(|(c, n)| format!("{} {n}", c.name()))
        .collect();
    let _ = writeln!(
        e,
        "  categories: {}; kommungemensam {kg}, forvaltningsspecifik {fs}",
        cats.join(", ")
    );
    let _ = writeln!(
        e,
        "  violations injected: {} of {} systems ({:.2} %), {} cross-file",
        g.injected.len(),
        g.n,
        100.0 * g.injected.len() as f64 / g.n as f64,
        g.injected
            .iter()
            .filter(|v| CROSS_KINDS.contains(&v.kind))
            .count()
    );
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for v in &g.injected {
        *by_kind.entry(v.kind).or_default() += 1;
    }
    for (kind, n) in by_kind {
        let _ = writeln!(e, "    {:<36} {:<30} {n}", kind.name(), kind.rule());
    }
    if g.systems
        .iter()
        .any(|s| s.intern && s.status != Status::Avvecklad)
    {
        let _ = writeln!(
            e,
            "  note: systems with hosting: intern get the pub/internal-processor info by design"
        );
    }
    eprint!("{e}");
    Ok(())
}

/// The generator as a function, for tests that include this file as a
/// module (`tests/dist.rs`): `argv` as on the command line, without the
/// program name.
pub fn generate(argv: Vec<String>) -> Result<(), String> {
    match parse_args(argv)? {
        Some(args) => run(&args),
        None => Err(USAGE.to_string()),
    }
}
