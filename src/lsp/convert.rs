//! From a [`Run`] to the protocol: byte spans to 0-based line and
//! character positions (UTF-16 code units, or bytes when the client takes
//! UTF-8), findings to LSP diagnostics grouped by file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position,
    PositionEncodingKind, Range, Url,
};

use super::overlay::Overlay;
use crate::diagnostic::{Diagnostic, FileId, Severity};
use crate::i18n::Lang;
use crate::load::{span::line_starts, Pos, Span};
use crate::Run;

/// What a position's `character` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8 (when the client offers `utf-8`).
    Utf8,
    /// UTF-16 code units: the protocol's default.
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (which every client
    /// must support).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn units(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.encode_utf16().count(),
        }
    }
}

/// `offset` clamped to `text` and moved back to a character boundary.
fn boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// A file's text and where its lines start (the same line breaks as the
/// loader's, `\n`, `\r\n` and a lone `\r`, which are also the protocol's).
pub struct Text<'a> {
    text: &'a str,
    starts: Vec<u32>,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str) -> Text<'a> {
        Text {
            text,
            starts: line_starts(text),
        }
    }

    /// The whole text.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The position of byte `offset`, clamped to the text.
    pub fn position(&self, offset: u32, enc: Encoding) -> Position {
        let offset = boundary(self.text, offset as usize);
        let line = self
            .starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).map_or(0, |&s| s as usize).min(offset);
        let before = self.text.get(start..offset).unwrap_or_default();
        Position::new(line as u32, enc.units(before) as u32)
    }

    /// The byte offset of a position (a line past the end is the end of
    /// the text; a character past the end of its line, the line's end).
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let start = start as usize;
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |&s| s as usize);
        let line = self.text.get(start..end).unwrap_or_default();
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize || c == '\n' || c == '\r' {
                return start + i;
            }
            units += match enc {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
        }
        end
    }

    /// The range of a span; an empty span is a zero-width range at its start.
    pub fn range(&self, span: Span, enc: Encoding) -> Range {
        let start = self.position(span.start, enc);
        let end = if span.end > span.start {
            self.position(span.end, enc)
        } else {
            start
        };
        Range::new(start, end)
    }
}

/// A range from a finding's 1-based character columns: only when the
/// file's text is not at hand (it changed on disk since the run read it).
fn range_from_pos(p: Pos) -> Range {
    let at = |line: u32, col: u32| Position::new(line.saturating_sub(1), col.saturating_sub(1));
    Range::new(at(p.line, p.col), at(p.end_line, p.end_col))
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The URI of a catalog file: the editor's own for an open file, else the
/// file's path under the root.
pub fn uri_of(root: &Path, rel: &str, open: &HashMap<String, Url>) -> Option<Url> {
    if let Some(u) = open.get(rel) {
        return Some(u.clone());
    }
    let mut path = root.to_path_buf();
    path.extend(rel.split('/'));
    Url::from_file_path(path).ok()
}

/// Turns a run's active findings into LSP diagnostics, by file URI.
pub struct Converter<'a> {
    pub run: &'a Run,
    pub overlay: &'a Overlay,
    pub open: &'a HashMap<String, Url>,
    pub lang: Lang,
    pub encoding: Encoding,
    texts: HashMap<FileId, Text<'a>>,
}

impl<'a> Converter<'a> {
    pub fn new(
        run: &'a Run,
        overlay: &'a Overlay,
        open: &'a HashMap<String, Url>,
        lang: Lang,
        encoding: Encoding,
    ) -> Self {
        Converter {
            run,
            overlay,
            open,
            lang,
            encoding,
            texts: HashMap::new(),
        }
    }

    /// Every file with active findings and its diagnostics (suppressed
    /// findings are left out, as in every other output).
    pub fn all(mut self) -> BTreeMap<Url, Vec<lsp_types::Diagnostic>> {
        let mut out: BTreeMap<Url, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        let run = self.run;
        for d in run.active() {
            let Some(uri) = self.uri(d.file) else {
                continue;
            };
            let diag = self.diagnostic(d);
            out.entry(uri).or_default().push(diag);
        }
        out
    }

    fn uri(&self, file: FileId) -> Option<Url> {
        let rel = self.run.rel(file);
        if rel.is_empty() {
            return None;
        }
        uri_of(&self.run.root, rel, self.open)
    }

    /// The range of `span` in `file`, from the text the run read (the open
    /// buffer, or the file).
    fn range(&mut self, file: FileId, span: Span, pos: Pos) -> Range {
        let run = self.run;
        let overlay = self.overlay;
        let text = self.texts.entry(file).or_insert_with(|| {
            let rel = run.rel(file);
            Text::new(overlay.get(rel).unwrap_or_else(|| run.catalog.text(file)))
        });
        if (text.text.len() as u64) < u64::from(span.end.max(span.start)) {
            return range_from_pos(pos);
        }
        text.range(span, self.encoding)
    }

    pub fn diagnostic(&mut self, d: &Diagnostic) -> lsp_types::Diagnostic {
        let range = self.range(d.file, d.span, d.pos);
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                let uri = self.uri(r.file)?;
                Some(DiagnosticRelatedInformation {
                    location: Location::new(uri, self.range(r.file, r.span, r.pos)),
                    message: r.msg.render(self.lang, &self.run.model),
                })
            })
            .collect();
        lsp_types::Diagnostic {
            range,
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.rule.to_string())),
            code_description: None,
            source: Some("kdl".to_string()),
            message: d.msg.render(self.lang, &self.run.model),
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_code_units_and_utf8_bytes() {
        // `𝄞` is one character, four bytes, two UTF-16 code units.
        let s = "a: 1\nname: Åsa 𝄞 x\r\nb: ä";
        let t = Text::new(s);
        let x = s.find(" x").unwrap() as u32 + 1;
        assert_eq!(t.position(x, Encoding::Utf16), Position::new(1, 13));
        assert_eq!(t.position(x, Encoding::Utf8), Position::new(1, 16));
        let b = s.find("b:").unwrap() as u32;
        assert_eq!(t.position(b, Encoding::Utf16), Position::new(2, 0));
        // Clamped: past the end, and inside a character.
        assert_eq!(t.position(10_000, Encoding::Utf16), Position::new(2, 4));
        let inside = s.find('Å').unwrap() as u32 + 1;
        assert_eq!(t.position(inside, Encoding::Utf16), Position::new(1, 6));
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            // Every character but the `\n` of a `\r\n` (inside the break).
            for (i, _) in s.char_indices().filter(|(_, c)| *c != '\n') {
                assert_eq!(t.offset(t.position(i as u32, enc), enc), i, "{enc:?} {i}");
            }
        }
        assert_eq!(t.offset(Position::new(9, 0), Encoding::Utf16), s.len());
        assert_eq!(
            t.offset(Position::new(1, 99), Encoding::Utf16),
            s.find('\r').unwrap()
        );
    }

    #[test]
    fn an_empty_span_is_a_zero_width_range() {
        let t = Text::new("kind: x\n");
        let r = t.range(Span::new(6, 6), Encoding::Utf16);
        assert_eq!(r, Range::new(Position::new(0, 6), Position::new(0, 6)));
        let r = t.range(Span::new(6, 7), Encoding::Utf16);
        assert_eq!(r.end, Position::new(0, 7));
    }

    #[test]
    fn utf8_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        let one = [PositionEncodingKind::UTF16];
        assert_eq!(Encoding::negotiate(Some(&one)), Encoding::Utf16);
    }
}
