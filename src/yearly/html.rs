//! The HTML report: one self-contained file (inline CSS, inline SVG
//! charts, no script, no network — a Content-Security-Policy says so too),
//! laid out for A4 meeting papers when printed. Rendered with minijinja;
//! every value is HTML-escaped by the engine's auto-escaping.

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment};
use serde::Serialize;

use super::{text, Report, FORMAT_ID};
use crate::i18n::Lang;

const HTML: &str = include_str!("templates/report.html");
const SVG: &str = include_str!("templates/chart.svg");
const MD: &str = include_str!("templates/report.md");

/// The template environment of every text format (the yearly report's, and
/// `kdl site`'s, which adds its own templates). `.html` and `.svg`
/// templates escape for HTML, `.md` for Markdown ([`super::md::escape`]).
pub(crate) fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".md") {
            AutoEscape::Custom("markdown".into())
        } else {
            AutoEscape::Html
        }
    });
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown") {
            let s = if value.is_none() || value.is_undefined() {
                String::new()
            } else {
                value.to_string()
            };
            let s = if value.is_safe() {
                s
            } else {
                super::md::escape(&s)
            };
            out.write_str(&s).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
            })
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    // `x | dash`: the value, or a dash for none, undefined and empty.
    env.add_filter("dash", |v: Value| -> Value {
        let empty = v.is_none() || v.is_undefined() || v.as_str().is_some_and(str::is_empty);
        if empty {
            Value::from("–")
        } else {
            v
        }
    });
    env.add_filter("msg", message);
    env.add_filter("name", name);
    env.add_filter("who", who);
    env.add_filter("date", date);
    env.add_filter("css", css_string);
    env.add_template("report.html", HTML)?;
    env.add_template("chart.svg", SVG)?;
    env.add_template("report.md", MD)?;
    Ok(env)
}

/// `x | msg`: a rule message, whose `quoted` names become code (`<code>`
/// in HTML, a code span in Markdown). The text is escaped here, for the
/// template's format, and returned as safe.
fn message(state: &minijinja::State, text: String) -> Value {
    let markdown = matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown");
    let parts: Vec<&str> = text.split('`').collect();
    let n = parts.len();
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        let odd = i % 2 == 1;
        // a part between two backticks; after an unpaired one, plain text
        let code = odd && i + 1 < n;
        if odd && !code {
            out.push_str(if markdown { "\\`" } else { "`" });
        }
        match (code, markdown) {
            (true, _) if part.is_empty() => {}
            (true, true) => {
                out.push('`');
                out.push_str(&part.replace('|', "\\|").replace(['\n', '\r'], " "));
                out.push('`');
            }
            (true, false) => {
                out.push_str("<code>");
                out.push_str(&html_escape(part));
                out.push_str("</code>");
            }
            (false, true) => out.push_str(&super::md::escape(part)),
            (false, false) => out.push_str(&html_escape(part)),
        }
    }
    Value::from_safe_string(out)
}

/// The label of an id from the `names` global (the report's `names`), or
/// the id itself.
fn label_of(state: &minijinja::State, id: &str) -> String {
    state
        .lookup("names")
        .and_then(|m| m.get_item(&Value::from(id)).ok())
        .filter(|e| !e.is_undefined() && !e.is_none())
        .and_then(|e| e.get_attr("label").ok())
        .and_then(|l| l.as_str().map(str::to_string))
        .unwrap_or_else(|| id.to_string())
}

/// `id | name`: what a reader sees for an id (see [`label_of`]).
fn name(state: &minijinja::State, id: Value) -> Value {
    match id.as_str() {
        Some(s) => Value::from(label_of(state, s)),
        None => id,
    }
}

/// `id | who`: the label of an id with the id as secondary text — in HTML
/// `Label <span class="id">id</span>`, in Markdown ``Label (`id`)`` —
/// or the id alone when it has no other label. A list (of nämnder, of
/// systems) gives the labels alone, joined by commas; none, undefined or
/// an empty list give a dash.
fn who(state: &minijinja::State, v: Value) -> Value {
    let markdown = matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown");
    let one = |id: &str| {
        let label = label_of(state, id);
        match (label == id, markdown) {
            (true, true) => super::md::escape(id),
            (true, false) => html_escape(id),
            (false, true) => format!(
                "{} (`{}`)",
                super::md::escape(&label),
                id.replace(['`', '\n', '\r'], " ").replace('|', "\\|")
            ),
            (false, false) => format!(
                "{} <span class=\"id\">{}</span>",
                html_escape(&label),
                html_escape(id)
            ),
        }
    };
    let items: Vec<String> = if let Some(s) = v.as_str() {
        vec![one(s)]
    } else if v.is_none() || v.is_undefined() {
        Vec::new()
    } else {
        match v.try_iter() {
            Ok(it) => it
                .filter_map(|x| {
                    x.as_str().map(|id| {
                        let label = label_of(state, id);
                        if markdown {
                            super::md::escape(&label)
                        } else {
                            html_escape(&label)
                        }
                    })
                })
                .collect(),
            Err(_) => vec![one(&v.to_string())],
        }
    };
    if items.is_empty() {
        Value::from("–")
    } else {
        Value::from_safe_string(items.join(", "))
    }
}

/// `x | date`: a date, never broken across lines when printed (HTML
/// `<time>`, styled `white-space: nowrap`); a dash for none.
fn date(state: &minijinja::State, v: Value) -> Value {
    let Some(d) = v.as_str().filter(|d| !d.is_empty()) else {
        return Value::from("–");
    };
    if matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "markdown") {
        return Value::from(d);
    }
    let d = html_escape(d);
    Value::from_safe_string(format!("<time datetime=\"{d}\">{d}</time>"))
}

/// `x | css`: a CSS string literal, for `content:` in the style sheet.
/// Everything but letters, digits, space and a few harmless marks is
/// written as a CSS hex escape, so no value can end the string, the rule
/// or the `<style>` element.
fn css_string(v: Value) -> Value {
    let text = if v.is_none() || v.is_undefined() {
        String::new()
    } else {
        v.to_string()
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        if ch.is_alphanumeric() || matches!(ch, ' ' | '.' | ',' | '-' | ':' | '·' | '–') {
            out.push(ch);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(ch)));
        }
    }
    out.push('"');
    Value::from_safe_string(out)
}

fn html_escape(s: &str) -> String {
    minijinja::HtmlEscape(s).to_string()
}

/// A horizontal bar chart, laid out here so the template only draws it.
#[derive(Serialize)]
struct Chart {
    title: String,
    width: u32,
    height: u32,
    x0: u32,
    bar_h: u32,
    axis_y: u32,
    legend_y: u32,
    rows: Vec<Row>,
    legend: Vec<Legend>,
}

#[derive(Serialize)]
struct Row {
    label: String,
    y: u32,
    text_y: u32,
    segments: Vec<Segment>,
    value: String,
    value_x: f64,
}

#[derive(Serialize)]
struct Segment {
    class: &'static str,
    x: f64,
    w: f64,
    title: String,
}

#[derive(Serialize)]
struct Legend {
    class: &'static str,
    label: String,
    x: u32,
}

const WIDTH: u32 = 720;
const X0: u32 = 270;
const PLOT: f64 = 360.0;
const ROW_H: u32 = 22;
const BAR_H: u32 = 14;

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One row of a chart before layout: label, segments (class, legend
/// label, value), the value shown after the bar.
type RowSpec = (String, Vec<(&'static str, String, f64)>, String);

/// Lays out rows of (label, [(class, legend label, value)], value text),
/// scaled so the largest row total spans the plot.
fn chart(
    title: String,
    rows: Vec<RowSpec>,
    legend: Vec<(&'static str, String)>,
    max: f64,
) -> Chart {
    let max = if max > 0.0 { max } else { 1.0 };
    let n = u32::try_from(rows.len()).unwrap_or(u32::MAX / ROW_H);
    let axis_y = n * ROW_H + 4;
    let out_rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, segs, value))| {
            let i = u32::try_from(i).unwrap_or(0);
            let y = i * ROW_H + 4;
            let mut x = f64::from(X0);
            let segments = segs
                .into_iter()
                .filter(|(_, _, v)| *v > 0.0)
                .map(|(class, name, v)| {
                    let w = round1(v / max * PLOT);
                    let s = Segment {
                        class,
                        x: round1(x),
                        w,
                        title: format!("{name}: {v}"),
                    };
                    x += w;
                    s
                })
                .collect();
            Row {
                label,
                y,
                text_y: y + BAR_H - 3,
                segments,
                value,
                value_x: round1(x + 6.0),
            }
        })
        .collect();
    let mut lx = X0;
    let legend = legend
        .into_iter()
        .map(|(class, label)| {
            let l = Legend {
                class,
                x: lx,
                label,
            };
            lx += 130;
            l
        })
        .collect();
    Chart {
        title,
        width: WIDTH,
        height: axis_y + 28,
        x0: X0,
        bar_h: BAR_H,
        axis_y,
        legend_y: axis_y + 10,
        rows: out_rows,
        legend,
    }
}

#[derive(Serialize)]
struct Charts {
    groups: Chart,
    categories: Chart,
}

fn charts(r: &Report, lang: Lang) -> Charts {
    let t = text::texts(lang);
    let word = |k: &str| t.get(k).copied().unwrap_or_default().to_string();
    // violations per rule group (errors, warnings, infos), groups with findings
    let mut max = 0.0_f64;
    let rows: Vec<_> = r
        .compliance
        .iter()
        .map(|g| {
            let total = g.errors + g.warnings + g.infos;
            max = max.max(total as f64);
            (
                g.label.clone(),
                vec![
                    ("error", word("k_errors"), g.errors as f64),
                    ("warning", word("k_warnings"), g.warnings as f64),
                    ("info", word("k_infos"), g.infos as f64),
                ],
                total.to_string(),
            )
        })
        .collect();
    let groups = chart(
        word("chart_groups"),
        rows,
        vec![
            ("error", word("k_errors")),
            ("warning", word("k_warnings")),
            ("info", word("k_infos")),
        ],
        max,
    );
    // share of systems without findings per category (100 % stacked)
    let rows: Vec<_> = r
        .categories
        .iter()
        .map(|c| {
            let n = c.systems.max(1) as f64;
            let pct = |x: usize| x as f64 * 100.0 / n;
            let segs = if c.systems == 0 {
                Vec::new()
            } else {
                vec![
                    ("ok", word("c_compliant"), pct(c.compliant)),
                    ("warning", word("c_with_warnings"), pct(c.with_warnings)),
                    ("error", word("c_with_errors"), pct(c.with_errors)),
                ]
            };
            let value = if c.systems == 0 {
                "–".to_string()
            } else {
                format!(
                    "{} % ({} {} {})",
                    c.percent,
                    c.compliant,
                    word("of"),
                    c.systems
                )
            };
            let label = if c.label.is_empty() {
                word("missing_value")
            } else {
                c.label.clone()
            };
            (label, segs, value)
        })
        .collect();
    let categories = chart(
        word("chart_categories"),
        rows,
        vec![
            ("ok", word("c_compliant")),
            ("warning", word("c_with_warnings")),
            ("error", word("c_with_errors")),
        ],
        100.0,
    );
    Charts { groups, categories }
}

/// Largest logo `--logo` takes: a logo, not a photograph.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// A logo as a `data:` URI for the report's header: PNG, JPEG, GIF or SVG,
/// recognised by content, at most [`MAX_LOGO_BYTES`]. Shown by an `<img>`
/// element, an SVG can run no script and load nothing; the page's
/// Content-Security-Policy allows `data:` images and nothing else.
pub fn logo_data_uri(bytes: &[u8]) -> Result<String, LogoError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoError::TooLarge);
    }
    let head = bytes.get(..512).unwrap_or(bytes);
    let text = String::from_utf8_lossy(head).to_lowercase();
    let mime = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if std::str::from_utf8(bytes).is_ok() && text.contains("<svg") {
        "image/svg+xml"
    } else {
        return Err(LogoError::NotAnImage);
    };
    Ok(format!("data:{mime};base64,{}", base64(bytes)))
}

/// Why a logo was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogoError {
    TooLarge,
    NotAnImage,
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let idx = usize::try_from((n >> (18 - 6 * i)) & 63).unwrap_or(0);
                out.push(char::from(ALPHABET.get(idx).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The header of every printed page: municipality (or nämnd), title, year.
fn running_header(r: &Report, lang: Lang) -> String {
    let who = match (&r.municipality, &r.namnd) {
        (Some(m), Some(n)) => format!("{m} · {}", n.name),
        (Some(m), None) => m.clone(),
        (None, Some(n)) => n.name.clone(),
        (None, None) => String::new(),
    };
    let title = format!("{} {}", text::word("title", lang), r.year);
    if who.is_empty() {
        title
    } else {
        format!("{who} · {title}")
    }
}

/// Renders the report as one HTML document.
pub fn render(r: &Report, lang: Lang) -> Result<String, minijinja::Error> {
    let mut env = environment()?;
    env.add_global("names", Value::from(Serde(&r.names)));
    let tmpl = env.get_template("report.html")?;
    tmpl.render(minijinja::context! {
        r => Value::from(Serde(r)),
        t => Value::from(Serde(text::texts(lang))),
        charts => Value::from(Serde(charts(r, lang))),
        running => running_header(r, lang),
        logo => r.logo.clone().map(Value::from_safe_string),
        footer => format!("{} · {} {}", text::word("generated_by", lang), text::word("as_of", lang), r.as_of),
        format_id => FORMAT_ID,
    })
    // Control characters from catalog text (the template has none).
    .map(|s| crate::report::escape::controls(&s).into_owned())
}

#[cfg(test)]
mod tests {
    use super::{base64, environment, logo_data_uri, LogoError};

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn logos_are_recognised_by_content() {
        assert!(logo_data_uri(b"\x89PNG\r\n\x1a\nrest")
            .unwrap()
            .starts_with("data:image/png;base64,iVBORw0KGgpyZXN0"));
        assert!(logo_data_uri(b"<?xml version=\"1.0\"?><svg/>")
            .unwrap()
            .starts_with("data:image/svg+xml;base64,"));
        assert_eq!(logo_data_uri(b"hello"), Err(LogoError::NotAnImage));
        let big = vec![0xff_u8; super::MAX_LOGO_BYTES + 1];
        assert_eq!(logo_data_uri(&big), Err(LogoError::TooLarge));
    }

    fn render(name: &str, m: &str) -> String {
        let env = environment().unwrap();
        env.render_named_str(
            name,
            "{{ m | msg }}|{{ m }}",
            minijinja::context! { m => m },
        )
        .unwrap()
    }

    #[test]
    fn messages_quote_code_and_escape_the_rest() {
        let m = "rollen `a|<b>` hos <i>x</i> ` rest";
        assert_eq!(
            render("x.html", m),
            "rollen <code>a|&lt;b&gt;</code> hos &lt;i&gt;x&lt;&#x2f;i&gt; ` rest|rollen `a|&lt;b&gt;` hos &lt;i&gt;x&lt;&#x2f;i&gt; ` rest"
        );
        assert_eq!(
            render("x.md", m),
            "rollen `a\\|<b>` hos &lt;i&gt;x&lt;/i&gt; \\` rest|rollen \\`a\\|&lt;b&gt;\\` hos &lt;i&gt;x&lt;/i&gt; \\` rest"
        );
    }
}
