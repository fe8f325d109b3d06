//! `kdl rules` and `kdl explain ID`: the rule docs (`check/docs/`) joined
//! with the active model's severity, source clause and quote.

use std::path::PathBuf;

use clap::Args;
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;

use super::{active_config, active_model, lint::print, ListFormat};
use crate::check::{explain, registry};
use crate::config::{Config, Level};
use crate::diagnostic::Severity;
use crate::i18n::Lang;
use crate::model::Model;

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// A catalog whose model to list (default: the current one, else the default model)
    pub path: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule id, e.g. roles/mandatory
    pub id: String,
    /// A catalog whose model to use (default: the current one, else the default model)
    #[arg(long)]
    pub catalog: Option<PathBuf>,
}

#[derive(Serialize)]
struct RuleRow {
    id: &'static str,
    /// The model's default severity.
    severity: Option<Severity>,
    /// What `kdl.yaml`'s `rules:` makes of it (`off`, or a severity);
    /// per-path `overrides` can still change it for some files.
    effective: Option<String>,
    summary: String,
    source: Option<String>,
}

/// Rules the model runs, in registry order: format rules, then the model's,
/// with the severity the catalog's `kdl.yaml` sets.
fn rows(model: &Model, config: Option<&Config>, lang: Lang) -> Vec<RuleRow> {
    registry::all()
        .filter_map(|id| {
            let severity = if registry::is_format_rule(id) {
                registry::format_severity(id)
            } else {
                Some(model.rules.get(id)?.severity)
            };
            let effective = match config.and_then(|c| c.level_for(id, "")) {
                Some(Level::Off) => Some("off".to_string()),
                Some(Level::On(s)) => Some(s.as_str().to_string()),
                None => severity.map(|s| s.as_str().to_string()),
            };
            Some(RuleRow {
                id,
                severity,
                effective,
                summary: explain::get(id)
                    .map(|d| d.summary.get(lang).to_string())
                    .unwrap_or_default(),
                source: if registry::is_format_rule(id) {
                    None
                } else {
                    model.source_of(id)
                },
            })
        })
        .collect()
}

pub fn list(args: RulesArgs, lang: Lang) -> i32 {
    let model = active_model(args.path.as_ref());
    let config = active_config(args.path.as_ref());
    let rows = rows(&model, config.as_ref(), lang);
    match args.format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(&rows).unwrap_or_default();
            s.push('\n');
            print(&s);
        }
        ListFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(120);
            let header = match lang {
                Lang::Sv => ["regel", "standard", "i kdl.yaml", "beskrivning"],
                Lang::En => ["rule", "default", "in kdl.yaml", "description"],
            };
            t.set_header(header);
            let word = |s: &str| match s {
                "off" => match lang {
                    Lang::Sv => "av".to_string(),
                    Lang::En => "off".to_string(),
                },
                other => Severity::parse(other)
                    .map(|s| lang.severity(s).to_string())
                    .unwrap_or_default(),
            };
            for r in &rows {
                let default = r.severity.map(|s| s.as_str()).unwrap_or_default();
                let effective = r.effective.as_deref().unwrap_or_default();
                // Only a changed severity is shown, so changes stand out.
                let changed = if effective == default {
                    String::new()
                } else {
                    word(effective)
                };
                t.add_row(vec![
                    r.id.to_string(),
                    word(default),
                    changed,
                    r.summary.clone(),
                ]);
            }
            print(&format!("{} ({})\n{t}\n", model.name, model.id));
        }
    }
    0
}

pub fn explain(args: ExplainArgs, lang: Lang) -> i32 {
    let model = active_model(args.catalog.as_ref());
    let Some(id) = registry::find(&args.id) else {
        let hint = registry::suggest(&args.id)
            .map(|s| match lang {
                Lang::Sv => format!(" – menade du `{s}`?"),
                Lang::En => format!(" – did you mean `{s}`?"),
            })
            .unwrap_or_default();
        eprintln!(
            "kdl: {}",
            match lang {
                Lang::Sv => format!("okänd regel `{}`{hint} (se `kdl rules`)", args.id),
                Lang::En => format!("unknown rule `{}`{hint} (see `kdl rules`)", args.id),
            }
        );
        return 2;
    };
    let Some(doc) = explain::get(id) else {
        eprintln!("kdl: no documentation for {id}");
        return 2;
    };
    let sv = lang == Lang::Sv;
    let spec = model.rules.get(id);
    let severity = if registry::is_format_rule(id) {
        registry::format_severity(id)
    } else {
        spec.map(|s| s.severity)
    };
    let mut out = String::new();
    out.push_str(&format!("{id} — {}\n\n", doc.summary.get(lang)));
    match severity {
        Some(s) => out.push_str(&format!(
            "{}: {}   {}: {} ({})\n",
            if sv { "Nivå" } else { "Severity" },
            lang.severity(s),
            if sv { "Modell" } else { "Model" },
            model.name,
            model.id
        )),
        None => out.push_str(if sv {
            "Modellen använder inte den här regeln.\n"
        } else {
            "The model does not use this rule.\n"
        }),
    }
    out.push_str(&format!(
        "\n{}\n{}\n",
        if sv {
            "Vad regeln kontrollerar"
        } else {
            "What it checks"
        },
        doc.what.get(lang)
    ));
    out.push_str(&format!(
        "\n{}\n{}\n",
        if sv { "Varför" } else { "Why" },
        doc.why.get(lang)
    ));
    if let Some(spec) = spec {
        out.push_str(&format!(
            "\n{}: {}\n",
            if sv { "Källa" } else { "Source" },
            model.expand_source(&spec.source)
        ));
        if let Some(q) = &spec.quote {
            out.push_str(&format!("  »{q}«\n"));
        }
        if !spec.params.is_empty() {
            out.push_str(&format!(
                "{}: {}\n",
                if sv {
                    "Parametrar i modellen"
                } else {
                    "Model parameters"
                },
                serde_json::Value::Object(spec.params.clone())
            ));
        }
    }
    out.push_str(&format!(
        "\n{}\n{}\n",
        if sv {
            "Så åtgärdar du"
        } else {
            "How to fix"
        },
        doc.fix.get(lang)
    ));
    out.push_str(&format!(
        "\n{}\n{}\n",
        if sv {
            "Exempel som bryter mot regeln"
        } else {
            "Failing example"
        },
        indent(&doc.fail)
    ));
    out.push_str(&format!(
        "\n{}\n{}\n",
        if sv {
            "Exempel som följer regeln"
        } else {
            "Passing example"
        },
        indent(&doc.pass)
    ));
    if !registry::is_format_rule(id) {
        out.push_str(&format!(
            "\n{}\n{}\n",
            if sv { "Avsteg" } else { "Exception (avsteg)" },
            indent(&format!(
                "exceptions:\n  - rule: {id}\n    decision: KS-2025-00077\n    decided-on: 2025-02-01\n    motivation: {}\n    expires: 2025-12-31",
                if sv { "Skäl till avsteget." } else { "Reason for the exception." }
            ))
        ));
        out.push_str(if sv {
            "  Ett avsteg kräver beslut (diarienummer), beslutsdatum, motivering och slutdatum; ett utgånget avsteg gäller inte.\n"
        } else {
            "  An exception needs a decision reference, decision date, motivation and expiry date; an expired one no longer applies.\n"
        });
    }
    print(&out);
    0
}

fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
