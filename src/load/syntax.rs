//! YAML syntax errors as people make them: the parser's English message
//! becomes a [`SyntaxKind`] (rendered in the user's language with a hint),
//! and the position moves to the line where the fault is, which is not
//! always where the parser noticed it (an unclosed `[` is noticed at the
//! next key; a key without `:` at the line after it).
//!
//! The kind travels in the syntax error's message as a `[code] ` prefix
//! before the parser's own text, so the loader's error type stays as it is.

use super::span::{LineIndex, Span};

/// What kind of mistake a syntax error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxKind {
    /// A tab where YAML needs spaces.
    Tab,
    /// A line indented deeper or shallower than its neighbours allow.
    Indent,
    /// A `[` that is never closed.
    UnclosedBracket,
    /// A `{` that is never closed.
    UnclosedBrace,
    /// A `]` or `}` with no opening bracket.
    StrayBracket,
    /// Text after the closing bracket of a list or mapping (`[a, b]c`).
    TextAfterBracket,
    /// A `"` or `'` that is never closed, or text after the closing quote.
    UnclosedQuote,
    /// `name: Heroma: HR`: a second `: ` inside an unquoted value.
    ColonInValue,
    /// A line with a key but no `:`.
    KeyWithoutColon,
    /// `*x` or `&x`: YAML alias or anchor syntax in a value.
    Alias,
    /// A value starting with a character YAML reserves (`@`, `` ` ``, `%`, …).
    Reserved,
    /// A backslash escape that double quotes do not know.
    Escape,
    /// A list item (`- x`) where a `key: value` line belongs.
    ListInMapping,
    Other,
}

const CODES: &[(SyntaxKind, &str)] = &[
    (SyntaxKind::Tab, "tab"),
    (SyntaxKind::Indent, "indent"),
    (SyntaxKind::UnclosedBracket, "unclosed-bracket"),
    (SyntaxKind::UnclosedBrace, "unclosed-brace"),
    (SyntaxKind::StrayBracket, "stray-bracket"),
    (SyntaxKind::TextAfterBracket, "text-after-bracket"),
    (SyntaxKind::UnclosedQuote, "unclosed-quote"),
    (SyntaxKind::ColonInValue, "colon-in-value"),
    (SyntaxKind::KeyWithoutColon, "key-without-colon"),
    (SyntaxKind::Alias, "alias"),
    (SyntaxKind::Reserved, "reserved"),
    (SyntaxKind::Escape, "escape"),
    (SyntaxKind::ListInMapping, "list-in-mapping"),
];

/// Splits a syntax error's message into its kind and the parser's text.
pub fn split(message: &str) -> (SyntaxKind, &str) {
    if let Some(rest) = message.strip_prefix('[') {
        if let Some((code, text)) = rest.split_once("] ") {
            if let Some((k, _)) = CODES.iter().find(|(_, c)| *c == code) {
                return (*k, text);
            }
        }
    }
    (SyntaxKind::Other, message)
}

/// The message (with its kind code) and the span of a parser error found
/// at byte offset `at`.
pub fn describe(text: &str, lines: &LineIndex<'_>, info: &str, at: u32) -> (String, Span) {
    let (kind, at) = locate(text, info, at as usize);
    let at = u32::try_from(at.min(text.len())).unwrap_or(u32::MAX);
    let span = lines.span_bytes(at, at);
    let message = match CODES.iter().find(|(k, _)| *k == kind) {
        Some((_, code)) => format!("[{code}] {info}"),
        None => info.to_string(),
    };
    (message, span)
}

/// Byte range of the line holding byte `at`.
fn line_at(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    (start, end)
}

/// The previous line with content (not blank, not only a comment) before
/// the line starting at `line_start`: its byte range.
fn previous_content_line(text: &str, line_start: usize) -> Option<(usize, usize)> {
    let mut end = line_start.checked_sub(1)?;
    loop {
        let (s, e) = line_at(text, end);
        let t = text[s..e].trim();
        if !t.is_empty() && !t.starts_with('#') {
            return Some((s, e));
        }
        end = s.checked_sub(1)?;
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Start of the line's content (after its indentation).
fn content_start(text: &str, (s, e): (usize, usize)) -> usize {
    s + indent_of(&text[s..e])
}

/// The last `[` or `{` before `at` that is never closed (outside quotes
/// and comments).
fn unclosed_bracket(text: &str, at: usize) -> Option<usize> {
    let mut stack: Vec<usize> = Vec::new();
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = ' ';
    for (i, c) in text[..at.min(text.len())].char_indices() {
        if c == '\n' {
            comment = false;
        } else if comment {
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else {
            match c {
                '#' if prev.is_whitespace() => comment = true,
                '"' | '\'' if matches!(prev, ' ' | '[' | '{' | ',' | ':') => quote = Some(c),
                '[' | '{' => stack.push(i),
                ']' | '}' => {
                    stack.pop();
                }
                _ => {}
            }
        }
        prev = c;
    }
    stack.pop()
}

/// The last opening quote of a value before `at` on its line or above.
fn opening_quote(text: &str, at: usize) -> Option<usize> {
    let head = &text[..at.min(text.len())];
    let mut found = None;
    for (i, c) in head.char_indices() {
        if matches!(c, '"' | '\'') {
            let before = head[..i].chars().next_back().unwrap_or(' ');
            if matches!(before, ' ' | '[' | '{' | ',' | ':' | '\n') {
                found = Some(i);
            }
        }
    }
    found
}

/// `x: [a, b]c`: the offset of text after a flow collection's closing
/// bracket on a line (outside quotes), if any.
fn text_after_flow(line: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut closed_at: Option<usize> = None;
    for (i, c) in line.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => depth += 1,
            ']' | '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    closed_at = Some(i);
                }
            }
            '#' if closed_at.is_some() => return None,
            c if depth == 0 && !c.is_whitespace() && c != ',' && closed_at.is_some() => {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

/// The kind and the byte offset of the fault.
fn locate(text: &str, info: &str, at: usize) -> (SyntaxKind, usize) {
    let at = at.min(text.len());
    let here = line_at(text, at);
    let prev = previous_content_line(text, here.0);
    let line_text = &text[here.0..here.1];
    if info.contains("tab") || line_text.trim_start_matches(' ').starts_with('\t') {
        // The tab on this line, or (the parser may notice a tab at the end
        // of the line before it) on the next.
        let on_line = text[here.0..here.1].find('\t').map(|i| here.0 + i);
        let tab = on_line.or_else(|| text[at..].find('\t').map(|i| at + i));
        let same_or_next = tab.filter(|t| {
            let next_end = line_at(text, here.1 + 1).1;
            *t <= next_end
        });
        return (SyntaxKind::Tab, same_or_next.unwrap_or(at));
    }
    if info.contains("flow sequence")
        || info.contains("flow mapping")
        || info.contains("illegal placement of ':'")
        || info.contains("flow construct")
        || (info.contains("unexpected eof") && unclosed_bracket(text, at).is_some())
    {
        if let Some(open) = unclosed_bracket(text, at) {
            let kind = if text[open..].starts_with('{') {
                SyntaxKind::UnclosedBrace
            } else {
                SyntaxKind::UnclosedBracket
            };
            return (kind, open);
        }
    }
    if info.contains("misplaced bracket") {
        return (SyntaxKind::StrayBracket, at);
    }
    if info.contains("quoted scalar") && info.contains("escape") {
        return (SyntaxKind::Escape, at);
    }
    if info.contains("quoted scalar") || info.contains("double-quoted") {
        let q = if info.contains("trailing content") {
            at
        } else {
            // Through the character at `at` (which may be several bytes).
            let through = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            opening_quote(text, through).unwrap_or(at)
        };
        return (SyntaxKind::UnclosedQuote, q);
    }
    if info.contains("anchor") || info.contains("alias") {
        return (SyntaxKind::Alias, at);
    }
    if info.starts_with("unexpected character") {
        return (SyntaxKind::Reserved, at);
    }
    if info.contains("simple key expect") {
        // `name` on a line of its own: noticed at the next line.
        if let Some(p) = prev {
            if !text[p.0..p.1].contains(':') {
                return (SyntaxKind::KeyWithoutColon, content_start(text, p));
            }
        }
        return (SyntaxKind::KeyWithoutColon, at);
    }
    if info.contains("mapping values are not allowed") {
        let line = &text[here.0..here.1];
        let col = at - here.0;
        let before = line.get(..col).unwrap_or_default();
        if before.contains(": ") && !before.trim_start().starts_with("- ") {
            return (SyntaxKind::ColonInValue, at);
        }
        if let Some(p) = prev {
            let pl = &text[p.0..p.1];
            let pt = pl.trim();
            if !pt.contains(':') && !pt.starts_with('-') {
                // `agare` without a colon, continued by the next line.
                return (SyntaxKind::KeyWithoutColon, content_start(text, p));
            }
            if indent_of(line) > indent_of(pl) {
                return (SyntaxKind::Indent, content_start(text, here));
            }
        }
        return (SyntaxKind::ColonInValue, at);
    }
    if let Some(after) = text_after_flow(line_text) {
        return (SyntaxKind::TextAfterBracket, here.0 + after);
    }
    if info.contains("block mapping") || info.contains("indentation") {
        let line = text[here.0..here.1].trim_start();
        if line.starts_with("- ") || line == "-" {
            return (SyntaxKind::ListInMapping, content_start(text, here));
        }
        return (SyntaxKind::Indent, content_start(text, here));
    }
    if info.contains("block sequence entries") || info.contains("block collection") {
        return (SyntaxKind::Indent, content_start(text, here));
    }
    (SyntaxKind::Other, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(text: &str) -> (SyntaxKind, u32) {
        match crate::load::yaml::parse(text, Default::default()) {
            Err(crate::load::YamlError::Syntax { message, span }) => (
                split(&message).0,
                crate::load::Lines::new(text).line_col(span.start).0,
            ),
            other => panic!("not a syntax error: {other:?}"),
        }
    }

    #[test]
    fn each_common_mistake_is_named_at_its_own_line() {
        let cases: &[(&str, SyntaxKind, u32)] = &[
            ("kind: system\nroles:\n\tagare: a\n", SyntaxKind::Tab, 3),
            (
                "kind: system\nroles:\n  agare: a\n\tbudget: b\n",
                SyntaxKind::Tab,
                4,
            ),
            (
                "kind: system\nroles:\n  agare: a\n budget: b\n",
                SyntaxKind::Indent,
                4,
            ),
            ("kind: system\nname: a\n  b: c\n", SyntaxKind::Indent, 3),
            (
                "kind: system\nused-by: [a, b\nname: x\n",
                SyntaxKind::UnclosedBracket,
                2,
            ),
            (
                "kind: system\nused-by: [a, b\n",
                SyntaxKind::UnclosedBracket,
                2,
            ),
            (
                "kind: system\nx: {a: b\nname: x\n",
                SyntaxKind::UnclosedBrace,
                2,
            ),
            (
                "kind: system\nname: \"Heroma\nother: x\n",
                SyntaxKind::UnclosedQuote,
                2,
            ),
            (
                "kind: system\nname: \"Heroma\n",
                SyntaxKind::UnclosedQuote,
                2,
            ),
            (
                "kind: system\nname: Heroma: HR\n",
                SyntaxKind::ColonInValue,
                2,
            ),
            (
                "kind: system\nname\nother: x\n",
                SyntaxKind::KeyWithoutColon,
                2,
            ),
            (
                "kind: system\nroles:\n  agare\n  budget: x\n",
                SyntaxKind::KeyWithoutColon,
                3,
            ),
            ("kind: system\nname: *foo\n", SyntaxKind::Alias, 2),
            ("kind: system\nname: @x\n", SyntaxKind::Reserved, 2),
            ("kind: system\nname: \"a\\q\"\n", SyntaxKind::Escape, 2),
            ("kind: system\n- a\n", SyntaxKind::ListInMapping, 2),
            (
                "kind: system\nx: [a, b]c\n",
                SyntaxKind::TextAfterBracket,
                2,
            ),
            ("kind: system\nname: >\n  abc\n\tdef\n", SyntaxKind::Tab, 4),
            ("kind: system\nused-by: [a]]\n", SyntaxKind::StrayBracket, 2),
        ];
        for (text, kind, line) in cases {
            assert_eq!(fault(text), (*kind, *line), "{text:?}");
        }
    }

    #[test]
    fn never_panics_on_any_broken_input() {
        // Every prefix of documents full of multi-byte characters, quotes,
        // brackets and tabs: each parse error is described without a panic
        // (slicing at a non-boundary would panic).
        let docs = [
            "kind: system\nname: \"Åsa: ö\tä\nroles:\n  ägare: [ö, \"å\n\t- x: {y\n",
            "a: 'ö''ä\nb: [å, {c: \"ü\"}]ö\n  d: é:\n- e\n\t\"",
            "ö\n  å: ä\n ü: [\n",
        ];
        for doc in docs {
            for (end, _) in doc.char_indices() {
                let _ = crate::load::yaml::parse(&doc[..end], Default::default());
            }
        }
        // And a few thousand pseudo-random documents from YAML's sharp edges.
        let alphabet = [
            "a", "ö", "å", " ", "  ", "\t", "\n", ":", ": ", "- ", "[", "]", "{", "}", "\"", "'",
            ",", "#", "*", "&", "!", "?", "|", ">", "\\", "@", "`", "%", "é", "\r\n",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut doc = String::new();
            for _ in 0..24 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                doc.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let _ = crate::load::yaml::parse(&doc, Default::default());
        }
    }

    #[test]
    fn unknown_codes_stay_parser_text() {
        assert_eq!(split("[nonsense] x"), (SyntaxKind::Other, "[nonsense] x"));
        assert_eq!(split("plain"), (SyntaxKind::Other, "plain"));
    }
}
