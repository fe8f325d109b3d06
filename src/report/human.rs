//! Human output: one miette report per diagnostic — severity, rule id,
//! message, the snippet with the span underlined, related spans (in other
//! files too), and the source clause — then the summary line.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::diagnostic::{Diagnostic, Severity};
use crate::i18n::Lang;
use crate::load::Span;
use crate::Run;

/// How to draw.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// Colour only on a terminal and when `NO_COLOR` is unset.
    pub fn detect() -> Style {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: std::io::stdout().is_terminal() && !no_color,
            width: 100,
        }
    }

    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// One diagnostic as miette sees it.
#[derive(Debug)]
struct Report {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    src: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.code.is_empty() {
            return None;
        }
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

fn source_span(span: Span, text: &str) -> SourceSpan {
    let start = (span.start as usize).min(text.len());
    let end = (span.end as usize).clamp(start, text.len());
    SourceSpan::new(start.into(), end - start)
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn build(run: &Run, d: &Diagnostic, lang: Lang, paths: &super::PathShown) -> Report {
    let file = &run.catalog.files[d.file.min(run.catalog.files.len().saturating_sub(1))];
    // The rule's one-line summary labels the span; for loading, schema and
    // configuration faults the headline already says exactly what is wrong,
    // and the rule's generic summary could contradict it.
    let label = if matches!(d.rule, "config/invalid" | "parse/syntax" | "schema/invalid") {
        None
    } else {
        crate::check::explain::get(d.rule).map(|doc| doc.summary.get(lang).to_string())
    };
    let primary = LabeledSpan::new_primary_with_span(label, source_span(d.span, &file.text));
    let mut labels = vec![primary];
    let mut related = Vec::new();
    for r in &d.related {
        let text = r.msg.render(lang, &run.model);
        if r.file == d.file {
            labels.push(LabeledSpan::new_with_span(
                Some(text),
                source_span(r.span, &file.text),
            ));
        } else if let Some(rf) = run.catalog.files.get(r.file) {
            related.push(Report {
                message: text.clone(),
                code: String::new(),
                severity: miette::Severity::Advice,
                help: None,
                src: NamedSource::new(paths.show(&rf.rel), rf.text.clone()),
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some(text),
                    source_span(r.span, &rf.text),
                )],
                related: Vec::new(),
            });
        }
    }
    Report {
        message: d.msg.render(lang, &run.model),
        code: d.rule.to_string(),
        severity: severity(d.severity),
        help: super::help(run, d, lang),
        src: NamedSource::new(paths.show(&file.rel), file.text.clone()),
        labels,
        related,
    }
}

/// Renders every active diagnostic and the summary line.
pub fn render(run: &Run, lang: Lang, style: Style, quiet: bool) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_show_related_as_nested(true)
        // Never split an id such as `nora-hakansson` at its hyphen.
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let mut out = String::new();
    let paths = super::PathShown::new(&run.root);
    if !quiet {
        for d in run.active() {
            let report = build(run, d, lang, &paths);
            let mut s = String::new();
            if handler.render_report(&mut s, &report).is_ok() {
                out.push_str(&s);
                out.push('\n');
            }
        }
    }
    out.push_str(&lang.summary_as_of(&run.summary, run.elapsed_ms, super::shown_as_of(run)));
    out.push('\n');
    out
}
