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
    id: String,
    kind: String,
    /// The model's default severity.
    severity: Option<Severity>,
    /// What `kdl.yaml`'s `rules:` makes of it (`off`, or a severity);
    /// per-path `overrides` can still change it for some files.
    effective: Option<String>,
    summary: String,
    source: Option<String>,
}

/// Rules the model runs: format rules, then the model's instances in order,
/// with the severity the catalog's `kdl.yaml` sets.
fn rows(model: &Model, config: Option<&Config>, lang: Lang) -> Vec<RuleRow> {
    let effective = |id: &str, severity: Severity| match config.and_then(|c| c.level_for(id, "")) {
        Some(Level::Off) => Some("off".to_string()),
        Some(Level::On(s)) => Some(s.as_str().to_string()),
        None => Some(severity.as_str().to_string()),
    };
    let format = registry::FORMAT_RULES.iter().map(|(id, sev)| RuleRow {
        id: id.to_string(),
        kind: id.to_string(),
        severity: Some(*sev),
        effective: effective(id, *sev),
        summary: explain::get(id)
            .map(|d| d.summary.get(lang).to_string())
            .unwrap_or_default(),
        source: None,
    });
    let instances = model.rules.iter().map(|(id, spec)| {
        let kind = spec.kind_of(id);
        RuleRow {
            id: id.clone(),
            kind: kind.to_string(),
            severity: Some(spec.severity),
            effective: effective(id, spec.severity),
            summary: explain::for_rule(id, kind)
                .map(|d| d.summary.get(lang).to_string())
                .unwrap_or_default(),
            source: Some(model.expand_source(&spec.source)),
        }
    });
    format.chain(instances).collect()
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
                let id = if r.kind == r.id {
                    r.id.clone()
                } else {
                    format!("{}\n  ({})", r.id, r.kind)
                };
                let default = r.severity.map(|s| s.as_str()).unwrap_or_default();
                let effective = r.effective.as_deref().unwrap_or_default();
                // Only a changed severity is shown, so changes stand out.
                let changed = if effective == default {
                    String::new()
                } else {
                    word(effective)
                };
                t.add_row(vec![id, word(default), changed, r.summary.clone()]);
            }
            print(&format!("{} ({})\n{t}\n", model.name, model.id));
        }
    }
    0
}

pub fn explain(args: ExplainArgs, lang: Lang) -> i32 {
    let model = active_model(args.catalog.as_ref());
    let (id, kind) = match model.instance(&args.id) {
        Some((kind, _)) => (args.id.clone(), kind.to_string()),
        None => match registry::find(&args.id) {
            Some(k) => (k.to_string(), k.to_string()),
            None => {
                let hint = registry::suggest(&model, &args.id)
                    .or_else(|| crate::suggest::closest(&args.id, registry::kind_ids()))
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
            }
        },
    };
    let Some(doc) = explain::for_rule(&id, &kind) else {
        eprintln!("kdl: no documentation for {id}");
        return 2;
    };
    print(&explain_text(&model, &id, &kind, doc, lang));
    0
}

/// The text of `kdl explain`: the kind's documentation joined with the
/// model's facts about the instance.
pub fn explain_text(
    model: &Model,
    id: &str,
    kind: &str,
    doc: &explain::RuleDoc,
    lang: Lang,
) -> String {
    let sv = lang == Lang::Sv;
    let en = !sv;
    let spec = model.rules.get(id);
    let severity = if registry::is_format_rule(id) {
        registry::format_severity(id)
    } else {
        spec.map(|s| s.severity)
    };
    let mut out = String::new();
    out.push_str(&format!("{id} — {}\n", doc.summary.get(lang)));
    if kind != id {
        out.push_str(&format!(
            "{}: {kind}\n",
            if sv { "Regeltyp" } else { "Rule kind" }
        ));
    }
    out.push('\n');
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
    if let Some(m) = spec.and_then(|s| s.message.as_ref()) {
        out.push_str(&format!(
            "{}: {}\n",
            if sv { "Meddelande" } else { "Message" },
            m.get(en)
        ));
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
        for also in &spec.also {
            out.push_str(&format!(
                "{}: {}\n",
                if sv { "Se även" } else { "See also" },
                model.expand_source(&also.source)
            ));
            if let Some(q) = &also.quote {
                out.push_str(&format!("  »{q}«\n"));
            }
        }
        if let Some(note) = &spec.note {
            out.push_str(&format!(
                "{}: {}\n",
                if sv { "Tolkning" } else { "Reading" },
                note.get(en)
            ));
        }
        if !spec.applies_to.is_empty() {
            out.push_str(&format!(
                "{}: {}\n",
                if sv { "Gäller" } else { "Applies to" },
                serde_json::to_string(&applies_json(&spec.applies_to)).unwrap_or_default()
            ));
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
        if let Some((kid, k)) = model.default_exception_kind() {
            let mut example = format!("exceptions:\n  - rule: {id}\n");
            if model.exception_kinds.len() > 1 {
                example.push_str(&format!("    kind: {kid}\n"));
            }
            for f in &k.requires {
                let v = match f.as_str() {
                    "decision" => "KS-2025-00077".to_string(),
                    "decided-on" | "expires" => "2025-02-01".to_string(),
                    "decided-by" => "kommunstyrelsen".to_string(),
                    "motivation" => (if sv { "Skäl." } else { "Reason." }).to_string(),
                    _ => "…".to_string(),
                };
                example.push_str(&format!("    {f}: {v}\n"));
            }
            out.push_str(&format!("\n{}\n{}\n", k.label(en), indent(&example)));
        }
    }
    out
}

/// `applies-to` as shown by `explain` (empty keys left out).
fn applies_json(a: &crate::model::AppliesTo) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        if !(v.is_null()
            || v.as_array().is_some_and(Vec::is_empty)
            || v.as_object().is_some_and(|o| o.is_empty()))
        {
            m.insert(k.to_string(), v);
        }
    };
    put("entity", serde_json::json!(a.entity.map(|e| e.as_str())));
    put("categories", serde_json::json!(a.categories));
    put("not-categories", serde_json::json!(a.not_categories));
    put("scopes", serde_json::json!(a.scopes));
    put("from", serde_json::json!(a.from));
    put("until", serde_json::json!(a.until));
    put("statuses", serde_json::json!(a.statuses));
    put("namnd-types", serde_json::json!(a.namnd_types));
    put("avtal-types", serde_json::json!(a.avtal_types));
    put("org-parts", serde_json::json!(a.org_parts));
    put("not-org-parts", serde_json::json!(a.not_org_parts));
    put("when", serde_json::json!(a.when));
    serde_json::Value::Object(m)
}

fn indent(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
