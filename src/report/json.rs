//! JSON output, version 1 (cli.md): stable field order, sorted
//! diagnostics, 1-based positions, `/`-separated paths relative to the
//! root. Byte-identical for the same input (no timings in it).

use serde::Serialize;

use crate::i18n::Lang;
use crate::Run;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    as_of: String,
    model: &'a str,
    summary: SummaryOut<'a>,
    diagnostics: Vec<DiagOut<'a>>,
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    files: usize,
    entities: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    /// Only with `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineOut<'a>>,
}

#[derive(Serialize)]
struct BaselineOut<'a> {
    file: &'a str,
    /// Findings the baseline covers (not in `diagnostics`).
    baselined: usize,
    /// Entries that no longer match any finding: remove them.
    stale: &'a [crate::baseline::Entry],
}

#[derive(Serialize)]
struct DiagOut<'a> {
    rule: &'a str,
    severity: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity: Option<&'a str>,
    /// The other entity the finding is about (the nämnd missing from
    /// `used-by`, the system of an agreement finding).
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    path: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedOut<'a>>,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    message: String,
}

pub fn render(run: &Run, lang: Lang) -> String {
    let s = &run.summary;
    let out = Output {
        version: 1,
        as_of: run.as_of.to_string(),
        model: &run.model.id,
        summary: SummaryOut {
            files: s.files,
            entities: s.entities,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            suppressed: s.suppressed,
            baseline: run.baseline.as_ref().map(|b| BaselineOut {
                file: &b.file,
                baselined: b.matched.len(),
                stale: &b.stale,
            }),
        },
        diagnostics: run
            .active()
            .map(|d| DiagOut {
                rule: d.rule,
                severity: d.severity.as_str(),
                file: run.rel(d.file),
                line: d.pos.line,
                column: d.pos.col,
                end_line: d.pos.end_line,
                end_column: d.pos.end_col,
                entity: d.entity.as_deref(),
                subject: d.subject.as_deref(),
                path: &d.path,
                message: d.msg.render(lang, &run.model),
                source: super::source(run, d.rule),
                related: d
                    .related
                    .iter()
                    .map(|r| RelatedOut {
                        file: run.rel(r.file),
                        line: r.pos.line,
                        column: r.pos.col,
                        message: r.msg.render(lang, &run.model),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
