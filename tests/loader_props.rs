//! Property tests for the loader: no input makes it panic, and every span
//! it returns lies inside the text, on character boundaries, with 1-based
//! lines and columns that agree with the byte offsets.
//!
//! `yaml::parse` is called directly, not through `load::parse_bytes`, whose
//! `catch_unwind` guard would hide a panic.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kdl::load::{self, yaml, Budget, Lines, Node, Span, Value};
use proptest::prelude::*;

/// The 1-based line and character column of byte `s`, counted the slow way.
fn naive(text: &str, s: usize) -> (u32, u32) {
    // YAML 1.2 line breaks: `\n`, `\r\n`, and a lone `\r`.
    let before = text[..s].replace("\r\n", "\n").replace('\r', "\n");
    let before = if text[..s].ends_with('\r') && text[s..].starts_with('\n') {
        // `s` sits between the `\r` and `\n` of one break: still that line.
        &before[..before.len() - 1]
    } else {
        &before[..]
    };
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

fn check_span(text: &str, span: Span) -> Result<(), String> {
    let (s, e) = (span.start as usize, span.end as usize);
    if s > e || e > text.len() {
        return Err(format!(
            "span {s}..{e} outside text of {} bytes",
            text.len()
        ));
    }
    if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
        return Err(format!("span {s}..{e} not on char boundaries"));
    }
    // The file's kept `Lines` give the same lines and columns as counting.
    let pos = Lines::new(text).pos(span);
    if (pos.line, pos.col) != naive(text, s) {
        return Err(format!("span at byte {s}: {pos:?} != {:?}", naive(text, s)));
    }
    if (pos.end_line, pos.end_col) != naive(text, e) {
        return Err(format!(
            "span end at byte {e}: {pos:?} != {:?}",
            naive(text, e)
        ));
    }
    Ok(())
}

fn check_tree(text: &str, node: &Node) -> Result<(), String> {
    check_span(text, node.span)?;
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                check_span(text, e.key_span)?;
                check_tree(text, &e.value)?;
            }
        }
        Value::Seq(items) => {
            for i in items {
                check_tree(text, i)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// YAML-shaped text: keys, values, indentation, flow and block syntax,
/// anchors, aliases, tags, quotes and non-ASCII letters.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("kind: system\n".to_string()),
        Just("id: ".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just(": ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(", ".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("!!str ".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("|\n".to_string()),
        Just(">-\n".to_string()),
        Just("# kommentar\n".to_string()),
        Just("---\n".to_string()),
        Just("? ".to_string()),
        Just("\t".to_string()),
        Just("åäö".to_string()),
        Just("2025-13-45".to_string()),
        "[a-z-]{1,8}",
        "[0-9]{1,4}",
    ];
    proptest::collection::vec(token, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let f = load::parse_bytes("x.yaml".into(), bytes, Budget::default());
        if let Err(e) = &f.doc {
            // The error's place, through the lines the loader kept.
            let span = e.span();
            prop_assert!(span.start as usize <= f.text.len());
            let pos = f.lines.pos(span);
            prop_assert_eq!((pos.line, pos.col), naive(&f.text, span.start as usize));
        }
        prop_assert_eq!(&f.lines, &Lines::new(&f.text));
        if let Ok(text) = std::str::from_utf8(f.text.as_bytes()) {
            if let Ok(node) = yaml::parse(text, Budget::default()) {
                prop_assert!(check_tree(text, &node).is_ok());
            }
        }
    }

    #[test]
    fn yaml_shaped_text_never_panics_and_spans_are_sound(text in yamlish()) {
        match yaml::parse(&text, Budget::default()) {
            Ok(node) => {
                if let Err(e) = check_tree(&text, &node) {
                    return Err(TestCaseError::fail(format!("{e}\n---\n{text}")));
                }
            }
            Err(e) => {
                let span = e.span();
                prop_assert!(span.start as usize <= text.len(), "{:?}", e);
                prop_assert!(check_span(&text, span).is_ok(), "{:?}", e);
            }
        }
    }
}
