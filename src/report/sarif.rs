//! SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers
//! (types from `serde-sarif`).
//!
//! - one rule descriptor per rule the model runs, with its summary, what,
//!   why and fix text, its source clause and default level;
//! - file URIs relative to `%SRCROOT%` (the repository root when the
//!   catalog is in a git working tree, else the catalog root);
//! - `partialFingerprints` hash entity id, rule and YAML path (never the
//!   line), so an alert survives edits elsewhere in the file;
//! - findings suppressed by an exception (avsteg) or covered by
//!   `--baseline` are left out, so that the file stays within GitHub code
//!   scanning's limits on a catalog adopted with a large baseline; with
//!   `--sarif-include-suppressed` they are written with a `suppressions`
//!   entry: `inSource` for an exception, justified by its decision and
//!   motivation, `external` for the baseline. The run's properties count
//!   what was left out;
//! - at most [`MAX_RESULTS`] results (code scanning's limit per run):
//!   errors first, then warnings, then notes; [`warning`] says what was cut;
//! - stale baseline entries are tool notifications of the invocation.
//!
//! The same input gives the same bytes.

use std::collections::BTreeMap;

use serde_json::json;
use serde_sarif::sarif;

use crate::check::{explain, registry};
use crate::diagnostic::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::Run;

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
pub const FINGERPRINT_KEY: &str = "kdl/v1";

/// GitHub code scanning accepts at most 25,000 results per run (and
/// rejects a file over 10 MB gzipped).
pub const MAX_RESULTS: usize = 25_000;

/// What goes into the SARIF log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Also write findings set aside by an exception or the baseline, as
    /// suppressed results (`--sarif-include-suppressed`).
    pub include_suppressed: bool,
    /// At most this many results, errors first.
    pub max_results: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            include_suppressed: false,
            max_results: MAX_RESULTS,
        }
    }
}

fn level(s: Severity) -> sarif::ResultLevel {
    match s {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

fn level_json(s: Severity) -> serde_json::Value {
    json!(level(s).to_string())
}

fn text(s: impl Into<String>) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.into())
        .build()
}

fn message(s: impl Into<String>) -> sarif::Message {
    sarif::Message::builder().text(s.into()).build()
}

fn bag(props: BTreeMap<String, serde_json::Value>) -> sarif::PropertyBag {
    sarif::PropertyBag::builder()
        .additional_properties(props)
        .build()
}

/// The rules the model runs, sorted by id: (id, default severity).
fn rules(run: &Run) -> Vec<(&'static str, Severity)> {
    let format = registry::FORMAT_RULES.iter().copied();
    let model = run
        .model
        .rules
        .iter()
        .map(|(id, r)| (crate::intern::rule_id(id), r.severity));
    let mut out: Vec<(&'static str, Severity)> = format.chain(model).collect();
    out.sort_by_key(|(id, _)| *id);
    out
}

fn labels(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::Sv => ["Vad", "Varför", "Åtgärd", "Källa"],
        Lang::En => ["What", "Why", "How to fix", "Source"],
    }
}

fn descriptor(run: &Run, id: &str, severity: Severity, lang: Lang) -> sarif::ReportingDescriptor {
    let doc = explain::get(id);
    let source = super::source(run, id);
    let quote = run.model.rules.get(id).and_then(|r| r.quote.clone());
    let [what_l, why_l, fix_l, source_l] = labels(lang);
    let mut help_text = String::new();
    let mut help_md = String::new();
    if let Some(d) = doc {
        for (label, body) in [
            (what_l, d.what.get(lang)),
            (why_l, d.why.get(lang)),
            (fix_l, d.fix.get(lang)),
        ] {
            let body = body.trim();
            help_text.push_str(&format!("{label}: {body}\n\n"));
            help_md.push_str(&format!("**{label}.** {body}\n\n"));
        }
    }
    if let Some(s) = &source {
        help_text.push_str(&format!("{source_l}: {s}\n"));
        help_md.push_str(&format!("**{source_l}:** {s}\n"));
        if let Some(q) = &quote {
            let q = q.trim();
            help_text.push_str(&format!("\n\"{q}\"\n"));
            for line in q.lines() {
                help_md.push_str(&format!("\n> {line}"));
            }
            help_md.push('\n');
        }
    }
    help_md.push_str(&format!("\n`kdl explain {id}`\n"));
    help_text.push_str(&format!("\nkdl explain {id}\n"));
    let summary = doc.map(|d| d.summary.get(lang).to_string());
    let mut props = BTreeMap::new();
    let group = id.split('/').next().unwrap_or(id);
    if let Some(s) = &source {
        props.insert("source".to_string(), json!(s));
    }
    // GitHub shows `problem.severity` for non-security alerts.
    props.insert(
        "problem.severity".to_string(),
        json!(match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "recommendation",
        }),
    );
    let props = sarif::PropertyBag::builder()
        .tags(vec!["kdl".to_string(), group.to_string()])
        .additional_properties(props)
        .build();
    let b = sarif::ReportingDescriptor::builder()
        .id(id)
        .name(rule_name(id))
        .short_description(text(summary.clone().unwrap_or_else(|| id.to_string())))
        .full_description(text(
            doc.map(|d| d.what.get(lang).trim().to_string())
                .or(summary)
                .unwrap_or_else(|| id.to_string()),
        ))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help_text.trim_end().to_string())
                .markdown(help_md.trim_end().to_string())
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(level_json(severity))
                .build(),
        )
        .properties(props);
    b.build()
}

/// `roles/mandatory` → `RolesMandatory` (SARIF names are identifiers).
fn rule_name(id: &str) -> String {
    id.split(['/', '-']).map(crate::i18n::upper_first).collect()
}

fn location(run: &Run, prefix: &str, file: usize, span: crate::load::Pos) -> sarif::Location {
    let artifact = sarif::ArtifactLocation::builder()
        .uri(format!("{prefix}{}", run.rel(file)))
        .uri_base_id(SRCROOT)
        .build();
    let mut physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .build();
    if span.line >= 1 {
        let col = span.col.max(1);
        let (end_line, end_col) = if (span.end_line, span.end_col) >= (span.line, col) {
            (span.end_line, span.end_col)
        } else {
            (span.line, col)
        };
        physical.region = Some(
            sarif::Region::builder()
                .start_line(i64::from(span.line))
                .start_column(i64::from(col))
                .end_line(i64::from(end_line))
                .end_column(i64::from(end_col))
                .build(),
        );
    }
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

/// How a finding was set aside, if it was.
enum Set<'a> {
    Active,
    Exception(&'a crate::diagnostic::Suppression),
    Baseline(&'a str),
}

fn suppression(set: &Set, lang: Lang) -> Option<sarif::Suppression> {
    match set {
        Set::Active => None,
        Set::Exception(s) => {
            let justification = match lang {
                Lang::Sv => format!("Avsteg {}: {}", s.decision, s.motivation),
                Lang::En => format!("Exception {}: {}", s.decision, s.motivation),
            };
            let mut props = BTreeMap::new();
            props.insert("entity".to_string(), json!(s.entity));
            props.insert("decision".to_string(), json!(s.decision));
            props.insert("motivation".to_string(), json!(s.motivation));
            Some(
                sarif::Suppression::builder()
                    .kind(json!("inSource"))
                    .status(json!("accepted"))
                    .justification(justification)
                    .properties(bag(props))
                    .build(),
            )
        }
        Set::Baseline(file) => Some(
            sarif::Suppression::builder()
                .kind(json!("external"))
                .status(json!("accepted"))
                .justification(match lang {
                    Lang::Sv => format!("Baslinje {file}"),
                    Lang::En => format!("Baseline {file}"),
                })
                .build(),
        ),
    }
}

fn result(
    run: &Run,
    d: &Diagnostic,
    set: &Set,
    fingerprint: String,
    rule_index: Option<usize>,
    prefix: &str,
    lang: Lang,
) -> sarif::Result {
    let mut props = BTreeMap::new();
    if let Some(e) = &d.entity {
        props.insert("entity".to_string(), json!(e));
    }
    if !d.path.is_empty() {
        props.insert("yamlPath".to_string(), json!(d.path));
    }
    let related: Vec<sarif::Location> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut l = location(run, prefix, r.file, r.pos);
            l.id = Some(i as i64);
            l.message = Some(message(r.msg.render(lang, &run.model)));
            l
        })
        .collect();
    let mut fp = BTreeMap::new();
    fp.insert(FINGERPRINT_KEY.to_string(), fingerprint);
    let mut r = sarif::Result::builder()
        .rule_id(d.rule)
        .level(level(d.severity))
        .message(message(d.msg.render(lang, &run.model)))
        .locations(vec![location(run, prefix, d.file, d.pos)])
        .partial_fingerprints(fp)
        .properties(bag(props))
        .build();
    r.rule_index = rule_index.map(|i| i as i64);
    if !related.is_empty() {
        r.related_locations = Some(related);
    }
    r.suppressions = suppression(set, lang).map(|s| vec![s]);
    r
}

/// The findings of a run that go into its SARIF log, in report order, with
/// their fingerprints.
struct Selection<'a> {
    results: Vec<(&'a Diagnostic, Set<'a>, String)>,
    /// Findings set aside (exception or baseline) and left out.
    omitted_suppressed: usize,
    /// Findings left out by the cap on results.
    omitted_over_limit: usize,
}

fn select<'a>(run: &'a Run, opts: Options) -> Selection<'a> {
    // Every finding, set aside or not, in report order.
    let mut all: Vec<(&Diagnostic, Set)> = run
        .diagnostics
        .iter()
        .map(|d| {
            let set = match &d.suppressed_by {
                Some(s) => Set::Exception(s),
                None => Set::Active,
            };
            (d, set)
        })
        .collect();
    if let Some(b) = &run.baseline {
        all.extend(
            b.matched
                .iter()
                .map(|d| (d, Set::Baseline(b.file.as_str()))),
        );
    }
    all.sort_by(|(a, _), (b, _)| {
        (run.rel(a.file), a.pos.line, a.pos.col, a.rule, &a.path).cmp(&(
            run.rel(b.file),
            b.pos.line,
            b.pos.col,
            b.rule,
            &b.path,
        ))
    });
    // Fingerprints over every finding, so that an alert's identity does not
    // depend on which of its neighbours are written.
    let fps = super::fingerprints(run, all.iter().map(|(d, _)| *d));
    let total = all.len();
    let mut results: Vec<(&Diagnostic, Set, String)> = all
        .into_iter()
        .zip(fps)
        .filter(|((_, set), _)| opts.include_suppressed || matches!(set, Set::Active))
        .map(|((d, set), fp)| (d, set, fp))
        .collect();
    let omitted_suppressed = total - results.len();
    let mut omitted_over_limit = 0;
    if results.len() > opts.max_results {
        // Keep the most severe findings (active before suppressed), then
        // restore report order.
        let mut order: Vec<_> = results
            .iter()
            .enumerate()
            .map(|(i, (d, set, _))| {
                (
                    !matches!(set, Set::Active),
                    std::cmp::Reverse(d.severity),
                    i,
                )
            })
            .collect();
        order.sort();
        let mut keep = vec![false; results.len()];
        for &(_, _, i) in order.iter().take(opts.max_results) {
            if let Some(k) = keep.get_mut(i) {
                *k = true;
            }
        }
        let mut flags = keep.into_iter();
        results.retain(|_| flags.next().unwrap_or(false));
        omitted_over_limit = total - omitted_suppressed - results.len();
    }
    Selection {
        results,
        omitted_suppressed,
        omitted_over_limit,
    }
}

/// The stderr warning for a SARIF log that had to leave results out to
/// stay within code scanning's limit, if it had to.
pub fn warning(run: &Run, opts: Options, lang: Lang) -> Option<String> {
    let sel = select(run, opts);
    if sel.omitted_over_limit == 0 {
        return None;
    }
    let kept = sel.results.len();
    let all = kept + sel.omitted_over_limit;
    Some(match lang {
        Lang::Sv => format!(
            "varning: SARIF-loggen innehåller bara {} av {} resultat (GitHub code scanning tar emot högst {} per körning): fel först, sedan varningar och noteringar. Åtgärda de övriga eller lägg dem i en baslinje (--write-baseline).",
            count(kept, lang),
            count(all, lang),
            count(opts.max_results, lang)
        ),
        Lang::En => format!(
            "warning: the SARIF log holds only {} of {} results (GitHub code scanning accepts at most {} per run): errors first, then warnings, then notes. Fix the others or record them in a baseline (--write-baseline).",
            count(kept, lang),
            count(all, lang),
            count(opts.max_results, lang)
        ),
    })
}

/// `25000` → `25 000` (Swedish) or `25,000` (English).
fn count(n: usize, lang: Lang) -> String {
    let sep = match lang {
        Lang::Sv => '\u{a0}',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The SARIF log of a run.
pub fn log(run: &Run, lang: Lang, opts: Options) -> sarif::Sarif {
    build(run, lang, opts, true, &mut Vec::new())
}

/// The log; with `with_results` false its results are left out and
/// returned serialized in `serialized` instead.
fn build(
    run: &Run,
    lang: Lang,
    opts: Options,
    with_results: bool,
    serialized: &mut Vec<String>,
) -> sarif::Sarif {
    let prefix = super::repo_prefix(&run.root);
    let rules = rules(run);
    let descriptors: Vec<sarif::ReportingDescriptor> = rules
        .iter()
        .map(|(id, s)| descriptor(run, id, *s, lang))
        .collect();
    let index = |id: &str| rules.iter().position(|(r, _)| *r == id);
    let sel = select(run, opts);
    let (omitted_suppressed, omitted_over_limit) = (sel.omitted_suppressed, sel.omitted_over_limit);
    let results: Vec<sarif::Result> = if with_results {
        sel.results
            .into_iter()
            .map(|(d, set, fp)| result(run, d, &set, fp, index(d.rule), &prefix, lang))
            .collect()
    } else {
        // Serialized one at a time by `render`: memory stays linear in the
        // output, not in the (much larger) typed SARIF results.
        let mut out = Vec::with_capacity(sel.results.len());
        for (d, set, fp) in sel.results {
            let r = result(run, d, &set, fp, index(d.rule), &prefix, lang);
            out.push(serde_json::to_string_pretty(&r).unwrap_or_default());
        }
        *serialized = out;
        Vec::new()
    };

    let notifications: Vec<sarif::Notification> = run
        .baseline
        .iter()
        .flat_map(|b| {
            b.stale.iter().map(|e| {
                sarif::Notification::builder()
                    .level(json!("note"))
                    .message(message(crate::baseline::stale_notice(lang, &b.file, e)))
                    .build()
            })
        })
        .collect();
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(!run.broken)
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }

    let driver = sarif::ToolComponent::builder()
        .name("kdl")
        .full_name(format!("kdl {}", env!("CARGO_PKG_VERSION")))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors)
        .build();
    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_string(),
        sarif::ArtifactLocation::builder()
            .description(message(match lang {
                Lang::Sv => "Förrådets rot (eller katalogens, utanför git)",
                Lang::En => "The repository root (or the catalog root, outside git)",
            }))
            .build(),
    );
    let mut props = BTreeMap::new();
    props.insert("model".to_string(), json!(run.model.id));
    props.insert("asOf".to_string(), json!(run.as_of.to_string()));
    if omitted_suppressed > 0 {
        props.insert("omittedSuppressed".to_string(), json!(omitted_suppressed));
    }
    if omitted_over_limit > 0 {
        props.insert("omittedOverLimit".to_string(), json!(omitted_over_limit));
    }
    let sarif_run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .original_uri_base_ids(base_ids)
        .column_kind(json!("unicodeCodePoints"))
        .properties(bag(props))
        .build();
    sarif::Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![sarif_run])
        .build()
}

pub fn render(run: &Run, lang: Lang, opts: Options) -> String {
    let mut results = Vec::new();
    let shell = build(run, lang, opts, false, &mut results);
    let mut s =
        serde_json::to_string_pretty(&shell).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    // The results go where the shell has none, indented as serde_json
    // would (they are items of `runs[0].results`, depth 4).
    const EMPTY: &str = "\"results\": []";
    if let (Some(at), false) = (s.find(EMPTY), results.is_empty()) {
        let mut body = String::with_capacity(results.iter().map(|r| r.len() + 64).sum());
        body.push_str("\"results\": [\n");
        for (i, r) in results.iter().enumerate() {
            if i > 0 {
                body.push_str(",\n");
            }
            for (j, line) in r.lines().enumerate() {
                if j > 0 {
                    body.push('\n');
                }
                body.push_str("        ");
                body.push_str(line);
            }
        }
        body.push_str("\n      ]");
        s.replace_range(at..at + EMPTY.len(), &body);
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_log_is_the_serialized_log() {
        let run = crate::lint(&crate::LintOptions {
            path: Some(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalog")),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23),
            ..Default::default()
        })
        .unwrap();
        let opts = Options::default();
        let whole = serde_json::to_string_pretty(&log(&run, Lang::En, opts)).unwrap() + "\n";
        assert_eq!(render(&run, Lang::En, opts), whole);
    }

    #[test]
    fn counts_group_thousands_by_language() {
        assert_eq!(count(0, Lang::Sv), "0");
        assert_eq!(count(999, Lang::En), "999");
        assert_eq!(count(25_000, Lang::Sv), "25\u{a0}000");
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
    }

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(rule_name("roles/mandatory"), "RolesMandatory");
        assert_eq!(
            rule_name("scope/kommungemensam-owner"),
            "ScopeKommungemensamOwner"
        );
    }
}
