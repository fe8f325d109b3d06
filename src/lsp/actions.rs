//! Quick fixes: a finding whose message carries a suggestion ("did you
//! mean `anna-strom`?") offers to write the suggestion in place of what is
//! written — an unknown reference, kind, key, rule or value. The edit
//! covers exactly the finding's span, and only when the text there is
//! still the value the finding is about.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};

use super::convert::Converter;
use super::snapshot::View;
use crate::diagnostic::{Diagnostic, Msg};
use crate::i18n::Lang;
use crate::load::Span;

/// The value a finding is about and the engine's suggestion for it.
fn replacement(msg: &Msg) -> Option<(&str, &str)> {
    let (bad, s) = match msg {
        Msg::UnknownRef { id, suggestion, .. } => (id, suggestion),
        Msg::UnknownKind { kind, suggestion } => (kind, suggestion),
        Msg::UnknownKey { key, suggestion }
        | Msg::BadKeyName {
            key, suggestion, ..
        } => (key, suggestion),
        Msg::NotAllowed {
            value, suggestion, ..
        }
        | Msg::BadPattern {
            value, suggestion, ..
        } => (value, suggestion),
        Msg::UnknownRule { rule, suggestion } | Msg::ExceptionUnknownRule { rule, suggestion } => {
            (rule, suggestion)
        }
        _ => return None,
    };
    let s = s.as_deref()?;
    (s != bad.as_str()).then_some((bad.as_str(), s))
}

/// The part of `span` in `text` that holds exactly `bad` (inside quotes,
/// when it is quoted); `None` when the text there is something else.
fn exact(text: &str, span: Span, bad: &str) -> Option<Span> {
    let written = text.get(span.start as usize..span.end as usize)?;
    if written == bad {
        return Some(span);
    }
    let quoted = [('"', '"'), ('\'', '\'')].iter().any(|(open, close)| {
        written.len() == bad.len() + 2
            && written.starts_with(*open)
            && written.ends_with(*close)
            && written.get(1..written.len() - 1) == Some(bad)
    });
    quoted.then(|| Span::new(span.start + 1, span.end - 1))
}

/// The quick fixes for the findings in `rel` that `range` touches.
pub fn code_actions(v: &View, rel: &str, uri: &Url, range: Range) -> Vec<CodeActionOrCommand> {
    let run = v.snap.run();
    let Some(doc) = v.doc(rel, range.start) else {
        return Vec::new();
    };
    let from = doc.offset;
    let to = doc.text.offset(range.end, v.encoding).max(from);
    let text = doc.text.as_str();
    let mut converter = Converter::new(run, v.overlay, v.open, v.lang, v.encoding);
    let touches = |d: &Diagnostic| {
        d.file == doc.file && d.span.start as usize <= to && from <= d.span.end as usize
    };
    let mut out = Vec::new();
    for d in run.active().filter(|d| touches(d)) {
        let Some((bad, suggestion)) = replacement(&d.msg) else {
            continue;
        };
        let Some(span) = exact(text, d.span, bad) else {
            continue;
        };
        let edit = TextEdit {
            range: doc.text.range(span, v.encoding),
            new_text: suggestion.to_string(),
        };
        let title = match v.lang {
            Lang::Sv => format!("Ersätt `{bad}` med `{suggestion}`"),
            Lang::En => format!("Replace `{bad}` with `{suggestion}`"),
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![converter.diagnostic(d)]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_text_is_replaced() {
        let text = "agare: anna-strm\nb: \"anna-strm\"\nc: 'x'\n";
        let at = |s: &str| text.find(s).unwrap() as u32;
        let plain = Span::new(at("anna"), at("anna") + 9);
        assert_eq!(exact(text, plain, "anna-strm"), Some(plain));
        let q = at("\"anna");
        let quoted = Span::new(q, q + 11);
        assert_eq!(
            exact(text, quoted, "anna-strm"),
            Some(Span::new(q + 1, q + 10))
        );
        // Changed since, or a span that is not the value: no edit.
        assert_eq!(exact(text, plain, "anna-str"), None);
        assert_eq!(exact(text, Span::new(0, 5), "anna-strm"), None);
        assert_eq!(exact(text, Span::new(90, 95), "x"), None);
        assert_eq!(exact(text, Span::new(3, 2), "x"), None);
    }

    #[test]
    fn a_suggestion_is_a_replacement() {
        let m = Msg::UnknownRef {
            what: crate::messages::RefKind::Person,
            id: "anna-strm".into(),
            suggestion: Some("anna-strom".into()),
        };
        assert_eq!(replacement(&m), Some(("anna-strm", "anna-strom")));
        let none = Msg::UnknownRef {
            what: crate::messages::RefKind::Person,
            id: "x".into(),
            suggestion: None,
        };
        assert_eq!(replacement(&none), None);
    }
}
