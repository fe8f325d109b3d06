//! Human output: one miette report per diagnostic — severity, rule id,
//! message, the snippet with the span underlined, related spans (in other
//! files too), and the source clause — then the summary line.

use std::collections::HashMap;
use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

use super::escape;
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::i18n::Lang;
use crate::load::{Pos, Span};
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
    src: Excerpt,
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

/// Longest stretch of one source line shown, in bytes; longer lines are
/// cropped around the finding and marked with `…`.
const MAX_LINE_BYTES: usize = 512;
/// Bytes shown before the finding on a cropped line.
const LEAD_BYTES: usize = 40;
/// Most lines one snippet shows; a span reaching further is cut there.
const MAX_LINES: usize = 40;

/// The part of a file one snippet shows: a few whole lines around the
/// labels, each cropped to [`MAX_LINE_BYTES`], control characters made
/// visible. miette sees only this excerpt, so rendering a finding costs the
/// same whatever the size of its file or the length of its line (miette
/// itself scans its source from the start and cannot format a column past
/// 65,535). The header keeps the finding's real line and column.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the excerpt's first line in the file.
    first_line: usize,
    /// The primary label, in excerpt coordinates.
    primary: SourceSpan,
    /// 0-based line and column of the finding in the file.
    at: (usize, usize),
}

impl miette::SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let (line, column) = if before == 0 && after == 0 && *span == self.primary {
            self.at
        } else {
            (inner.line() + self.first_line, inner.column())
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// One line of an excerpt: where its shown window lies in the file and in
/// the excerpt, and the byte map between the two.
struct ShownLine {
    /// File byte range of the window shown.
    from: usize,
    to: usize,
    /// (file byte, excerpt byte) of each character of the window.
    map: Vec<(usize, usize)>,
    /// Excerpt byte just after the window's last character.
    end: usize,
}

/// Line starts of a file, computed once per file.
struct Lines<'a> {
    cache: HashMap<FileId, Vec<u32>>,
    run: &'a Run,
    /// File names as the user can open them from the current directory.
    paths: super::PathShown,
}

impl<'a> Lines<'a> {
    fn of(&mut self, file: FileId) -> &[u32] {
        let run = self.run;
        self.cache.entry(file).or_insert_with(|| {
            run.catalog.files.get(file).map_or_else(
                || vec![0],
                |_| crate::load::span::line_starts(run.catalog.text(file)),
            )
        })
    }
}

/// 0-based line of byte `at`.
fn line_of(starts: &[u32], at: usize) -> usize {
    starts
        .partition_point(|&s| s as usize <= at)
        .saturating_sub(1)
}

/// The nearest char boundary at or before `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Builds the excerpt for `spans` (the first is the primary) of `text`, and
/// returns it with each span mapped into it.
fn excerpt(
    name: &str,
    text: &str,
    starts: &[u32],
    spans: &[Span],
    at: Pos,
) -> (Excerpt, Vec<SourceSpan>) {
    let clamp = |s: &Span| {
        let a = (s.start as usize).min(text.len());
        let b = (s.end as usize).clamp(a, text.len());
        (floor_boundary(text, a), floor_boundary(text, b))
    };
    let ranges: Vec<(usize, usize)> = spans.iter().map(clamp).collect();
    let first = ranges
        .iter()
        .map(|(a, _)| line_of(starts, *a))
        .min()
        .unwrap_or(0);
    let last_span_line = ranges
        .iter()
        .map(|(a, b)| line_of(starts, if b > a { b - 1 } else { *a }))
        .max()
        .unwrap_or(0);
    // The empty "line" after a final line break is not shown.
    let lines = match starts.last() {
        Some(&s) if s as usize == text.len() && starts.len() > 1 => starts.len() - 1,
        _ => starts.len(),
    };
    let lo = first.saturating_sub(1);
    let hi = (last_span_line + 1)
        .min(lines.saturating_sub(1))
        .max(first.min(lines.saturating_sub(1)))
        .min(lo + MAX_LINES);
    let mut out = String::new();
    let mut shown: Vec<ShownLine> = Vec::new();
    for line in lo..=hi {
        let begin = starts.get(line).map_or(text.len(), |s| *s as usize);
        let mut end = starts.get(line + 1).map_or(text.len(), |s| *s as usize);
        // Without its line break.
        let bytes = text.as_bytes();
        while end > begin && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        let (from, to) = if end - begin <= MAX_LINE_BYTES {
            (begin, end)
        } else {
            // Crop around the first label that starts on this line (or the
            // line's start, for a label coming from a line above).
            let anchor = ranges
                .iter()
                .map(|(a, _)| *a)
                .filter(|a| (begin..end).contains(a))
                .min()
                .unwrap_or(begin);
            let from = floor_boundary(text, anchor.saturating_sub(LEAD_BYTES).max(begin));
            let to = floor_boundary(text, (from + MAX_LINE_BYTES).min(end));
            (from, to)
        };
        if from > begin {
            out.push('…');
        }
        let mut map = Vec::new();
        for (i, c) in text[from..to].char_indices() {
            map.push((from + i, out.len()));
            out.push(if escape::is_control(c) {
                escape::stand_in(c)
            } else {
                c
            });
        }
        let window_end = out.len();
        if to < end {
            out.push('…');
        }
        out.push('\n');
        shown.push(ShownLine {
            from,
            to,
            map,
            end: window_end,
        });
    }
    let place = |at: usize| -> usize {
        let line = line_of(starts, at).clamp(lo, hi);
        let Some(l) = shown.get(line - lo) else {
            return out.len();
        };
        if at < l.from {
            return l.map.first().map_or(l.end, |(_, v)| *v);
        }
        if at >= l.to {
            return l.end;
        }
        let i = l.map.partition_point(|(f, _)| *f <= at).saturating_sub(1);
        l.map.get(i).map_or(l.end, |(_, v)| *v)
    };
    let mapped: Vec<SourceSpan> = ranges
        .iter()
        .map(|(a, b)| {
            let s = place(*a);
            let e = place(*b).max(s);
            SourceSpan::new(s.into(), e - s)
        })
        .collect();
    let ex = Excerpt {
        name: escape::one_line(name).into_owned(),
        text: out,
        first_line: lo,
        primary: mapped.first().copied().unwrap_or_else(|| (0, 0).into()),
        at: (
            (at.line as usize).saturating_sub(1),
            (at.col as usize).saturating_sub(1),
        ),
    };
    (ex, mapped)
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Longest message, label or help shown, in characters.
const MAX_TEXT_CHARS: usize = 600;

/// Text for the terminal: controls made visible, an overlong value cut.
fn text(s: String) -> String {
    let short = escape::shorten(&s, MAX_TEXT_CHARS);
    match escape::controls(&short) {
        std::borrow::Cow::Borrowed(_) => short.into_owned(),
        std::borrow::Cow::Owned(o) => o,
    }
}

/// A nested report pointing at one span of a file.
fn pointer(
    run: &Run,
    lines: &mut Lines,
    (file, span, at): (FileId, Span, Pos),
    message: String,
) -> Report {
    let (rel, body) = run
        .catalog
        .files
        .get(file)
        .map_or(("", ""), |f| (f.rel.as_str(), run.catalog.text(file)));
    let shown = lines.paths.show(rel);
    let (src, mapped) = excerpt(&shown, body, lines.of(file), &[span], at);
    Report {
        message: message.clone(),
        code: String::new(),
        severity: miette::Severity::Advice,
        help: None,
        src,
        labels: mapped
            .into_iter()
            .map(|m| LabeledSpan::new_primary_with_span(Some(message.clone()), m))
            .collect(),
        related: Vec::new(),
    }
}

fn build(run: &Run, d: &Diagnostic, lang: Lang, lines: &mut Lines) -> Report {
    let fid = d.file.min(run.catalog.files.len().saturating_sub(1));
    let (rel, body) = run
        .catalog
        .files
        .get(fid)
        .map_or(("", ""), |f| (f.rel.as_str(), run.catalog.text(fid)));
    // The rule's one-line summary labels the span; for loading, schema and
    // configuration faults the headline already says exactly what is wrong,
    // and the rule's generic summary could contradict it.
    let label = if matches!(d.rule, "config/invalid" | "parse/syntax" | "schema/invalid") {
        None
    } else {
        crate::check::explain::get(d.rule).map(|doc| doc.summary.get(lang).to_string())
    };
    // Related spans in the same file and near the finding share its
    // snippet; the others get one of their own.
    let mut spans = vec![d.span];
    let mut same = Vec::new();
    let mut related = Vec::new();
    for r in &d.related {
        let msg = text(r.msg.render(lang, &run.model));
        let near = r.pos.line.abs_diff(d.pos.line) as usize + 2 < MAX_LINES;
        if r.file == fid && near {
            spans.push(r.span);
            same.push(msg);
        } else {
            related.push(pointer(run, lines, (r.file, r.span, r.pos), msg));
        }
    }
    let shown = lines.paths.show(rel);
    let (src, mapped) = excerpt(&shown, body, lines.of(fid), &spans, d.pos);
    let mut mapped = mapped.into_iter();
    let mut labels = Vec::new();
    if let Some(m) = mapped.next() {
        labels.push(LabeledSpan::new_primary_with_span(label.map(text), m));
    }
    for (m, msg) in mapped.zip(same) {
        labels.push(LabeledSpan::new_with_span(Some(msg), m));
    }
    Report {
        message: text(d.msg.render(lang, &run.model)),
        code: d.rule.to_string(),
        severity: severity(d.severity),
        help: super::help(run, d, lang).map(text),
        src,
        labels,
        related,
    }
}

/// The one-line form of a finding: what is printed should the graphical
/// rendering of it ever fail.
fn plain_line(run: &Run, d: &Diagnostic, lang: Lang) -> String {
    format!(
        "{}:{}:{}: {} [{}] {}\n",
        escape::one_line(run.rel(d.file)),
        d.pos.line,
        d.pos.col,
        d.severity.as_str(),
        d.rule,
        escape::controls(&d.msg.render(lang, &run.model)),
    )
}

/// Every active diagnostic on one line, and the summary line: the form
/// that needs nothing but the diagnostics (a fallback).
pub fn plain(run: &Run, lang: Lang) -> String {
    let mut out: String = run.active().map(|d| plain_line(run, d, lang)).collect();
    out.push_str(&lang.summary_as_of(&run.summary, Some(run.elapsed_ms), super::shown_as_of(run)));
    out.push('\n');
    out
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
    let mut lines = Lines {
        cache: HashMap::new(),
        run,
        paths: super::PathShown::new(&run.root),
    };
    if !quiet {
        for d in run.active() {
            // A finding the graphical renderer cannot draw is still shown,
            // on one line; it never takes the rest of the output with it.
            let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let report = build(run, d, lang, &mut lines);
                let mut s = String::new();
                handler.render_report(&mut s, &report).ok().map(|()| s)
            }));
            match drawn {
                Ok(Some(s)) => {
                    out.push_str(&s);
                    out.push('\n');
                }
                _ => out.push_str(&plain_line(run, d, lang)),
            }
        }
    }
    out.push_str(&lang.summary_as_of(&run.summary, Some(run.elapsed_ms), super::shown_as_of(run)));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_at(text: &str, needle: &str) -> (Span, Pos) {
        let a = text.find(needle).unwrap();
        let span = Span::new(a as u32, (a + needle.len()) as u32);
        (span, crate::load::Lines::new(text).pos(span))
    }

    #[test]
    fn a_long_line_is_cropped_around_the_finding() {
        let text = format!(
            "kind: system\nid: {}TARGET{}\nname: x\n",
            "a".repeat(70_000),
            "b".repeat(1000)
        );
        let (span, at) = span_at(&text, "TARGET");
        let starts = crate::load::span::line_starts(&text);
        let (ex, mapped) = excerpt("x.yaml", &text, &starts, &[span], at);
        assert!(ex.text.len() < 3 * MAX_LINE_BYTES, "{}", ex.text.len());
        let m = mapped[0];
        assert_eq!(&ex.text[m.offset()..m.offset() + m.len()], "TARGET");
        assert_eq!(ex.at, (1, 70_004));
        assert!(ex.text.contains("…"));
    }

    #[test]
    fn controls_in_source_lines_are_shown_as_pictures() {
        let text = "kind: system\nid: a\u{1b}[2Jb\n";
        let (span, at) = span_at(text, "a\u{1b}");
        let starts = crate::load::span::line_starts(text);
        let (ex, mapped) = excerpt("x\u{1b}.yaml", text, &starts, &[span], at);
        assert!(!ex.text.contains('\u{1b}'));
        assert!(!ex.name.contains('\u{1b}'));
        let m = mapped[0];
        assert_eq!(&ex.text[m.offset()..m.offset() + m.len()], "a␛");
    }
}
