//! Parses one YAML document into a [`Node`] tree with spans.
//!
//! Built on `saphyr-parser`'s event stream (a maintained, pure-Rust YAML 1.2
//! parser that reports a position for every event), so kdl controls what
//! the tree may cost: duplicate keys are errors, alias expansion has a node
//! budget (a "billion laughs" file fails after a few thousand nodes, not
//! after gigabytes), nesting depth is bounded, and only one document per file
//! is accepted. Plain scalars are resolved with the YAML 1.2 core schema, so
//! `off`, `no` and `2024-01-01` stay strings.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::node::{Entry, Node, Value};
use super::span::{LineIndex, Span};

/// Limits on what one document may expand to.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Nodes that aliases may add in total (each `*alias` copies its anchor).
    pub alias_nodes: usize,
    /// Bytes that aliases may add in total: the text of every copied key
    /// and scalar plus [`NODE_WEIGHT`] per node. Without it one anchored
    /// 1 MB string used a few thousand times stays within the node budget
    /// and costs gigabytes.
    pub alias_bytes: usize,
    /// Maximum nesting of sequences and mappings.
    pub max_depth: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            alias_nodes: 10_000,
            alias_bytes: 1024 * 1024,
            max_depth: 64,
        }
    }
}

/// What one node costs in the alias byte budget besides its text.
pub const NODE_WEIGHT: usize = 64;

/// The cost of copying a node: its text and [`NODE_WEIGHT`] per node.
fn weight(node: &Node) -> usize {
    NODE_WEIGHT
        + match &node.value {
            Value::Str(s) => s.len(),
            Value::Seq(items) => items.iter().map(weight).fold(0, usize::saturating_add),
            Value::Map(entries) => entries
                .iter()
                .map(|e| NODE_WEIGHT + e.key.len() + weight(&e.value))
                .fold(0, usize::saturating_add),
            _ => 0,
        }
}

/// Whether YAML 1.2 allows `c` in a stream (`c-printable`): tab, line
/// breaks, and the printable characters; not the other C0 controls, DEL,
/// or the C1 controls except NEL.
pub fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Why a document could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum YamlError {
    Syntax {
        message: String,
        span: Span,
    },
    DuplicateKey {
        key: String,
        span: Span,
        first: Span,
    },
    AliasBudget {
        span: Span,
        budget: usize,
    },
    TooDeep {
        span: Span,
        max: usize,
    },
    ComplexKey {
        span: Span,
    },
    MultipleDocuments {
        span: Span,
    },
    Empty,
}

impl YamlError {
    pub fn span(&self) -> Span {
        match self {
            YamlError::Syntax { span, .. }
            | YamlError::DuplicateKey { span, .. }
            | YamlError::AliasBudget { span, .. }
            | YamlError::TooDeep { span, .. }
            | YamlError::ComplexKey { span }
            | YamlError::MultipleDocuments { span } => *span,
            YamlError::Empty => Span::FILE_START,
        }
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<(String, Span)>,
    },
}

/// Parses `text` as a single YAML document.
pub fn parse(text: &str, budget: Budget) -> Result<Node, YamlError> {
    parse_indexed(text, &LineIndex::new(text), budget)
}

/// Parses `text` with its line index already built (the loader keeps the
/// index's [`super::Lines`]).
pub fn parse_indexed(text: &str, lines: &LineIndex, budget: Budget) -> Result<Node, YamlError> {
    if let Some((at, c)) = text.char_indices().find(|(_, c)| !is_printable(*c)) {
        let at = at as u32;
        return Err(YamlError::Syntax {
            message: format!(
                "control character U+{:04X} is not allowed in YAML (write it as an escape in a double-quoted string)",
                c as u32
            ),
            span: lines.span_bytes(at, at + c.len_utf8() as u32),
        });
    }
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize, usize)> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut alias_bytes = 0usize;
    let mut root: Option<Node> = None;
    let mut documents = 0usize;

    while let Some(item) = parser.next_event() {
        let (event, marker_span) = item.map_err(|e| {
            let at = lines.point(e.marker()).start;
            let (message, span) = super::syntax::describe(text, lines, e.info(), at);
            YamlError::Syntax { message, span }
        })?;
        let span = lines.span(&marker_span.start, &marker_span.end);
        let finished: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::MultipleDocuments { span });
                }
                None
            }
            Event::Scalar(text, style, anchor, tag) => {
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&text)
                } else {
                    Value::Str(text.into_owned())
                };
                Some((Node { value, span }, anchor))
            }
            Event::Alias(id) => {
                let Some((node, size, bytes)) = anchors.get(&id) else {
                    return Err(YamlError::Syntax {
                        message: "unknown alias".into(),
                        span,
                    });
                };
                alias_nodes = alias_nodes.saturating_add(*size);
                alias_bytes = alias_bytes.saturating_add(*bytes);
                if alias_nodes > budget.alias_nodes || alias_bytes > budget.alias_bytes {
                    return Err(YamlError::AliasBudget {
                        span,
                        budget: budget.alias_nodes,
                    });
                }
                let mut copy = node.clone();
                copy.span = span;
                Some((copy, 0))
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= budget.max_depth {
                    return Err(YamlError::TooDeep {
                        span,
                        max: budget.max_depth,
                    });
                }
                stack.push(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= budget.max_depth {
                    return Err(YamlError::TooDeep {
                        span,
                        max: budget.max_depth,
                    });
                }
                stack.push(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                }) => Some((
                    Node {
                        value: Value::Seq(items),
                        span: join(start, span),
                    },
                    anchor,
                )),
                _ => return Err(unbalanced(span)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    start,
                    anchor,
                    entries,
                    ..
                }) => {
                    check_duplicates(&entries)?;
                    Some((
                        Node {
                            value: Value::Map(entries),
                            span: join(start, span),
                        },
                        anchor,
                    ))
                }
                _ => return Err(unbalanced(span)),
            },
        };

        let Some((node, anchor)) = finished else {
            continue;
        };
        if anchor > 0 {
            let size = node.size();
            let bytes = weight(&node);
            anchors.insert(anchor, (node.clone(), size, bytes));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    let key = match node.value {
                        Value::Str(s) => s,
                        Value::Null => String::new(),
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Seq(_) | Value::Map(_) => {
                            return Err(YamlError::ComplexKey { span: node.span })
                        }
                    };
                    *pending_key = Some((key, node.span));
                }
                Some((key, key_span)) => entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                }),
            },
        }
    }
    root.ok_or(YamlError::Empty)
}

fn unbalanced(span: Span) -> YamlError {
    YamlError::Syntax {
        message: "unbalanced collection".into(),
        span,
    }
}

fn join(start: Span, end: Span) -> Span {
    Span::new(start.start, end.end)
}

fn check_duplicates(entries: &[Entry]) -> Result<(), YamlError> {
    let dup = |first: &Entry, second: &Entry| YamlError::DuplicateKey {
        key: second.key.clone(),
        span: second.key_span,
        first: first.key_span,
    };
    if entries.len() <= 16 {
        for (i, e) in entries.iter().enumerate() {
            if let Some(first) = entries.iter().take(i).find(|f| f.key == e.key) {
                return Err(dup(first, e));
            }
        }
    } else {
        let mut seen: HashMap<&str, &Entry> = HashMap::with_capacity(entries.len());
        for e in entries {
            if let Some(first) = seen.insert(&e.key, e) {
                return Err(dup(first, e));
            }
        }
    }
    Ok(())
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let bytes = s.as_bytes();
    let digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    let unsigned = bytes
        .strip_prefix(b"-")
        .or(bytes.strip_prefix(b"+"))
        .unwrap_or(bytes);
    if digits(unsigned) {
        if let Ok(i) = s.parse::<i64>() {
            return Value::Int(i);
        }
    }
    if let Some(hex) = s.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Value::Int(i);
        }
    }
    if let Some(oct) = s.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Value::Int(i);
        }
    }
    if looks_like_float(unsigned) {
        if let Ok(f) = s.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(s.to_string())
}

/// `[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent.
fn looks_like_float(b: &[u8]) -> bool {
    let mut halves = b.splitn(2, |c| *c == b'e' || *c == b'E');
    let mantissa = halves.next().unwrap_or_default();
    let exp = halves.next();
    let mut parts = mantissa.splitn(2, |c| *c == b'.');
    let int = parts.next().unwrap_or_default();
    let frac = parts.next().unwrap_or_default();
    let ok_mantissa = int.iter().all(u8::is_ascii_digit)
        && frac.iter().all(u8::is_ascii_digit)
        && (!int.is_empty() || !frac.is_empty());
    let ok_exp = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(b"-").or(e.strip_prefix(b"+")).unwrap_or(e);
            !e.is_empty() && e.iter().all(u8::is_ascii_digit)
        }
    };
    ok_mantissa && ok_exp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Node, YamlError> {
        parse(s, Budget::default())
    }

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "kind: system\nid: raindance\nroles:\n  agare: lena-berg\n";
        let lines = super::super::Lines::new(text);
        let n = p(text).unwrap();
        let roles = n.entry("roles").unwrap();
        assert_eq!(lines.line_col(roles.key_span.start), (3, 1));
        let agare = roles.value.entry("agare").unwrap();
        assert_eq!(lines.line_col(agare.value.span.start), (4, 10));
        assert_eq!(agare.value.as_str(), Some("lena-berg"));
    }

    #[test]
    fn core_schema_keeps_dates_and_off_as_strings() {
        let n = p("a: 2024-01-01\nb: off\nc: 12\nd: ~\ne: 'true'\nf: 1.5\n").unwrap();
        assert_eq!(n.get("a").unwrap().as_str(), Some("2024-01-01"));
        assert_eq!(n.get("b").unwrap().as_str(), Some("off"));
        assert_eq!(n.get("c").unwrap().as_i64(), Some(12));
        assert!(n.get("d").unwrap().is_null());
        assert_eq!(n.get("e").unwrap().as_str(), Some("true"));
        assert_eq!(n.get("f").unwrap().value, Value::Float(1.5));
    }

    #[test]
    fn duplicate_key_is_reported_at_the_second() {
        let text = "id: a\nname: x\nid: b\n";
        let lines = super::super::Lines::new(text);
        let err = p(text).unwrap_err();
        match err {
            YamlError::DuplicateKey { key, span, first } => {
                assert_eq!(key, "id");
                assert_eq!(lines.line_col(span.start).0, 3);
                assert_eq!(lines.line_col(first.start).0, 1);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn billion_laughs_hits_the_budget() {
        let mut doc = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        for w in names.windows(2) {
            let (prev, next) = (w[0], w[1]);
            let refs = vec![format!("*{prev}"); 9].join(",");
            doc.push_str(&format!("{next}: &{next} [{refs}]\n"));
        }
        assert!(matches!(p(&doc), Err(YamlError::AliasBudget { .. })));
    }

    #[test]
    fn a_large_anchor_used_often_hits_the_byte_budget() {
        let big = "x".repeat(300_000);
        let doc = format!("a: &a \"{big}\"\nb: [*a, *a, *a, *a]\n");
        assert!(matches!(p(&doc), Err(YamlError::AliasBudget { .. })));
        // A few small aliases are fine.
        let doc = "a: &a [1, 2]\nb: *a\nc: *a\n";
        assert!(p(doc).is_ok());
    }

    #[test]
    fn raw_control_characters_are_rejected_with_a_position() {
        for c in ['\u{1b}', '\u{7}', '\u{0}', '\u{7f}', '\u{9b}'] {
            let doc = format!("a: 1\nb: x{c}y\n");
            match p(&doc) {
                Err(YamlError::Syntax { span, message }) => {
                    let at = super::super::Lines::new(&doc).line_col(span.start);
                    assert_eq!(at, (2, 5), "{message}");
                }
                other => panic!("{c:?}: {other:?}"),
            }
        }
        // Escapes in double quotes, tabs and NEL are YAML.
        assert!(p("a: \"x\\ey\"\nb: \"\tz\"\nc: x\u{85}\n").is_ok());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        // A valid document nested deeper than the budget is rejected by us…
        let doc = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(matches!(p(&doc), Err(YamlError::TooDeep { .. })));
        // …and an absurd one by the parser's own recursion limit, with a
        // position, never a stack overflow.
        let doc = "[".repeat(100_000);
        assert!(matches!(
            p(&doc),
            Err(YamlError::Syntax { .. } | YamlError::TooDeep { .. })
        ));
    }

    #[test]
    fn empty_and_multi_document() {
        assert_eq!(p(""), Err(YamlError::Empty));
        assert_eq!(p("# only a comment\n"), Err(YamlError::Empty));
        assert!(matches!(
            p("a: 1\n---\nb: 2\n"),
            Err(YamlError::MultipleDocuments { .. })
        ));
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = p("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(matches!(err, YamlError::Syntax { .. }));
        let text = "a: [1, 2\nb: 3\n";
        assert!(err.span().start as usize <= text.len());
    }
}
