//! Source positions: byte ranges plus 1-based line/column, and the mapping
//! from the YAML parser's character positions to byte offsets.

/// A region of a source file. `start`/`end` are byte offsets (for snippets);
/// `line`/`col` and `end_line`/`end_col` are 1-based, columns counted in
/// characters (what an editor shows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: u32,
    pub col: u32,
    pub end_line: u32,
    pub end_col: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The span of the first character of a file: used only where a fault has
    /// no better position (an empty file, an unreadable file).
    pub const FILE_START: Span = Span {
        line: 1,
        col: 1,
        end_line: 1,
        end_col: 1,
        start: 0,
        end: 0,
    };

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Maps the parser's (line, character column) positions to byte offsets.
/// For pure-ASCII text the character index is the byte offset; otherwise the
/// line's start is looked up and the column walked in characters.
pub struct LineIndex<'a> {
    text: &'a str,
    ascii: bool,
    line_starts: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let mut line_starts = vec![0u32];
        if !ascii {
            line_starts.extend(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| (i + 1) as u32),
            );
        }
        LineIndex {
            text,
            ascii,
            line_starts,
        }
    }

    /// Byte offset of a position given as character index, 1-based line and
    /// 0-based character column.
    pub fn byte_offset(&self, char_index: usize, line: usize, col: usize) -> u32 {
        if self.ascii {
            return char_index.min(self.text.len()) as u32;
        }
        let Some(&line_start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len() as u32;
        };
        let rest = self.text.get(line_start as usize..).unwrap_or("");
        let within: usize = rest.chars().take(col).map(char::len_utf8).sum();
        line_start + within as u32
    }

    /// A span for the parser's start and end markers.
    pub fn span(&self, start: &saphyr_parser::Marker, end: &saphyr_parser::Marker) -> Span {
        let s = self.byte_offset(start.index(), start.line(), start.col());
        let e = self.byte_offset(end.index(), end.line(), end.col()).max(s);
        Span {
            line: start.line() as u32,
            col: start.col() as u32 + 1,
            end_line: end.line() as u32,
            end_col: end.col() as u32 + 1,
            start: s,
            end: e,
        }
    }

    /// A one-character span at a marker (for error positions).
    pub fn point(&self, at: &saphyr_parser::Marker) -> Span {
        let s = self.byte_offset(at.index(), at.line(), at.col());
        let e = self
            .text
            .get(s as usize..)
            .and_then(|r| r.chars().next())
            .map(|c| s + c.len_utf8() as u32)
            .unwrap_or(s);
        Span {
            line: at.line() as u32,
            col: at.col() as u32 + 1,
            end_line: at.line() as u32,
            end_col: at.col() as u32 + 2,
            start: s,
            end: e,
        }
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
        assert_eq!(idx.byte_offset(16, 2, 4), 17);
        assert_eq!(&text[17..19], "å");
    }
}
