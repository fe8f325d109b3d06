//! Source positions. A [`Span`] is a byte range only (8 bytes: the
//! catalog holds millions of them); a file's [`Lines`] turn it into the
//! 1-based line and column a report shows ([`Pos`]). [`LineIndex`] maps the
//! YAML parser's character positions to byte offsets while a file is parsed.

/// A region of a source file, as byte offsets into its text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The span of the first character of a file: used only where a fault has
    /// no better position (an empty file, an unreadable file).
    pub const FILE_START: Span = Span { start: 0, end: 0 };

    pub fn new(start: u32, end: u32) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A span's 1-based line and column at both ends, columns counted in
/// characters (what an editor shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

impl Default for Pos {
    fn default() -> Self {
        Pos::FILE_START
    }
}

impl Pos {
    pub const FILE_START: Pos = Pos {
        line: 1,
        col: 1,
        end_line: 1,
        end_col: 1,
    };
}

/// Byte offset of the start of each line of `text`: `\n`, `\r\n` and a
/// lone `\r` each end a line (YAML 1.2 b-break).
pub fn line_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut starts = vec![0u32];
    starts.extend(bytes.iter().enumerate().filter_map(|(i, b)| {
        let breaks = *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        breaks.then_some((i + 1) as u32)
    }));
    starts
}

/// What turns a file's byte offsets into lines and columns, kept for every
/// file after its text is freed: where each line starts, and where the
/// continuation bytes of its multi-byte characters are (none in an ASCII
/// file; one per `å`, `ä`, `ö`), so a column counts characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    starts: Vec<u32>,
    continuation: Vec<u32>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = line_starts(text);
        starts.shrink_to_fit();
        let continuation = if text.is_ascii() {
            Vec::new()
        } else {
            let mut c: Vec<u32> = text
                .bytes()
                .enumerate()
                .filter(|(_, b)| b & 0xC0 == 0x80)
                .map(|(i, _)| i as u32)
                .collect();
            c.shrink_to_fit();
            c
        };
        Lines {
            starts,
            continuation,
        }
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, byte: u32) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        // Logarithmic, so a file with many spans on one very long line
        // stays linear.
        let before = |b: u32| self.continuation.partition_point(|&x| x < b) as u32;
        let bytes = byte.saturating_sub(start);
        let col = bytes.saturating_sub(before(byte).saturating_sub(before(start)));
        (line as u32, col + 1)
    }

    pub fn pos(&self, span: Span) -> Pos {
        let (line, col) = self.line_col(span.start);
        let (end_line, end_col) = self.line_col(span.end.max(span.start));
        Pos {
            line,
            col,
            end_line,
            end_col,
        }
    }
}

/// Maps the parser's character positions to byte offsets while a file is
/// parsed, and keeps the file's [`Lines`].
pub struct LineIndex<'a> {
    text: &'a str,
    ascii: bool,
    lines: Lines,
    /// For non-ASCII text: the byte offset of every character, and the
    /// text's length last (a transient table: one file, freed after parse).
    char_bytes: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let lines = Lines::new(text);
        let char_bytes = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i as u32)
                .chain(std::iter::once(text.len() as u32))
                .collect()
        };
        LineIndex {
            text,
            ascii,
            lines,
            char_bytes,
        }
    }

    /// Byte offset of the character with index `char_index` (clamped to the
    /// end of the text).
    pub fn byte_of_char(&self, char_index: usize) -> u32 {
        if self.ascii {
            return char_index.min(self.text.len()) as u32;
        }
        self.char_bytes
            .get(char_index)
            .or(self.char_bytes.last())
            .copied()
            .unwrap_or(0)
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, byte: u32) -> (u32, u32) {
        self.lines.line_col(byte)
    }

    /// A span from byte offsets.
    pub fn span_bytes(&self, start: u32, end: u32) -> Span {
        Span::new(start, end)
    }

    /// The file's lines, kept after parsing.
    pub fn into_lines(self) -> Lines {
        self.lines
    }

    /// A span for the parser's start and end markers.
    pub fn span(&self, start: &saphyr_parser::Marker, end: &saphyr_parser::Marker) -> Span {
        self.span_bytes(
            self.byte_of_char(start.index()),
            self.byte_of_char(end.index()),
        )
    }

    /// A one-character span at a marker (for error positions).
    pub fn point(&self, at: &saphyr_parser::Marker) -> Span {
        let s = self.byte_of_char(at.index());
        let e = self
            .text
            .get(s as usize..)
            .and_then(|r| r.chars().next())
            .map_or(s, |c| s + c.len_utf8() as u32);
        self.span_bytes(s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_columns_map_to_bytes() {
        let text = "name: Nämnd\nid: å\n";
        let idx = LineIndex::new(text);
        // "å" on line 2 column 4 (0-based) = byte 16 ("name: Nämnd\n" is 13 bytes, "id: " 4)
        assert_eq!(idx.byte_of_char(16), 17);
        assert_eq!(&text[17..19], "å");
        assert_eq!(idx.line_col(17), (2, 5));
        // Far into a line, and past the end.
        let long = format!("{}\nå: ö\n", "ä".repeat(200));
        let idx = LineIndex::new(&long);
        assert_eq!(idx.byte_of_char(201), 401);
        assert_eq!(idx.line_col(401), (2, 1));
        assert_eq!(idx.byte_of_char(10_000), long.len() as u32);
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        let text = "a: 1\rb: 2\r\nc: å\rd: 4";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(5), (2, 1));
        assert_eq!(idx.line_col(11), (3, 1));
        let d = text.find("d:").unwrap() as u32;
        assert_eq!(idx.line_col(d), (4, 1));
        assert_eq!(idx.line_col(d + 3), (4, 4));
    }
}
