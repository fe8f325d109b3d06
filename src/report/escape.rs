//! Control characters in text output. Catalog values, keys, file names and
//! source lines come from whoever wrote the catalog; raw ESC, BEL, CR or a
//! C1 control in them could retitle a terminal window, clear the screen,
//! erase lines already printed or hide text. Every text renderer passes such
//! text through [`controls`]: each C0 control except tab and newline, DEL
//! and each C1 control becomes a visible stand-in of one character.

use std::borrow::Cow;

/// Whether `c` is escaped by [`controls`].
pub fn is_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{7f}'
}

/// The visible stand-in for a control character: the Unicode control
/// picture for C0 and DEL (`␛` for ESC), the replacement character for C1.
pub fn stand_in(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// `s` with every control character (except tab and newline) made visible.
pub fn controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if is_control(c) { stand_in(c) } else { c })
            .collect(),
    )
}

/// Like [`controls`], and a newline too (for one-line fields: a table cell,
/// a file name, a Markdown table row).
pub fn one_line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) || c == '\n') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if is_control(c) || c == '\n' {
                    stand_in(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// `s` cut to at most about `max` characters by dropping its middle (a
/// `…` marks the cut): a 70,000-character value in a message would
/// otherwise be one 70,000-character terminal line.
pub fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max || s.chars().count() <= max {
        return Cow::Borrowed(s);
    }
    let head: String = s.chars().take(max * 2 / 3).collect();
    let tail: Vec<char> = s.chars().rev().take(max / 3).collect();
    let tail: String = tail.into_iter().rev().collect();
    Cow::Owned(format!("{head}…{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_text_stays() {
        assert_eq!(controls("plain åäö\ttab\nnl"), "plain åäö\ttab\nnl");
        assert_eq!(
            controls("a\u{1b}]0;pwned\u{7}b\rc\u{7f}\u{9b}2J"),
            "a␛]0;pwned␇b␍c␡\u{fffd}2J"
        );
        assert_eq!(one_line("a\nb"), "a␊b");
        assert!(matches!(controls("x"), Cow::Borrowed(_)));
        assert_eq!(shorten("abcdefghij", 6), "abcd…ij");
        assert_eq!(shorten("åäö", 3), "åäö");
    }
}
