//! The current findings on the pages: the lint run's own diagnostics
//! (exceptions applied), each on the page of the entity in whose file it
//! is and, when it concerns another entity, on that one's page too.

use std::collections::HashMap;

use super::context::Ctx;
use super::model::{Counts, Finding, Segment};
use crate::diagnostic::{Diagnostic, FileId, Severity};

/// A finding as shown: its message split into text, quoted values and
/// linked entity names. On a site without persons a person id in the
/// message becomes "en person".
pub(super) fn finding(cx: &Ctx, d: &Diagnostic) -> Finding {
    let message = d.msg.render(cx.lang, &cx.run.model);
    // Catalog-format messages quote keys and values, which may look like
    // ids: only rule messages get names for their ids (as in the report).
    let names = crate::yearly::group_of(d.rule) != "format";
    Finding {
        severity: d.severity.as_str(),
        severity_label: cx.lang.severity(d.severity).to_string(),
        rule: d.rule.to_string(),
        message: segments(cx, &message, names),
        source: crate::report::source(cx.run, d.rule),
        file: cx.run.rel(d.file).to_string(),
        line: d.pos.line,
    }
}

fn segments(cx: &Ctx, message: &str, names: bool) -> Vec<Segment> {
    let parts: Vec<&str> = message.split('`').collect();
    let n = parts.len();
    let mut out: Vec<Segment> = Vec::new();
    let push_text = |out: &mut Vec<Segment>, s: &str| match out.last_mut() {
        Some(last) if !last.code && last.href.is_none() => last.text.push_str(s),
        _ => out.push(Segment {
            text: s.to_string(),
            code: false,
            href: None,
        }),
    };
    for (i, part) in parts.iter().enumerate() {
        let quoted = i % 2 == 1 && i + 1 < n;
        if !quoted {
            if i % 2 == 1 {
                push_text(&mut out, "`");
            }
            push_text(&mut out, part);
            continue;
        }
        if !cx.persons && cx.is_person(part) {
            push_text(&mut out, &cx.w("a_person"));
        } else if let (true, Some(kind)) = (names, cx.kind_of(part)) {
            out.push(Segment {
                text: cx.name(part),
                code: false,
                href: Some(super::paths::page(kind, part)),
            });
        } else if !part.is_empty() {
            out.push(Segment {
                text: (*part).to_string(),
                code: true,
                href: None,
            });
        }
    }
    out
}

/// The findings by page (entity id), and those with no page.
pub(super) struct Placed<'d> {
    pub by_page: HashMap<String, Vec<&'d Diagnostic>>,
    pub other: Vec<&'d Diagnostic>,
    pub counts: Counts,
}

/// Places every active finding. Without persons, a finding in a person's
/// file or about a person is left out, and so is every finding with no
/// page (its file may be a person's that did not parse) and every
/// unknown reference to a person or any entity.
pub(super) fn place<'d>(cx: &Ctx, diagnostics: impl Iterator<Item = &'d Diagnostic>) -> Placed<'d> {
    // the page of each entity file: the entity its id names (a duplicate
    // id's second file has no page)
    let mut owner: HashMap<FileId, (&str, bool)> = HashMap::new();
    for e in &cx.run.catalog.entities {
        let h = e.head();
        let id = h.id.v.as_str();
        let is_person = matches!(e, crate::catalog::Entity::Person(_));
        let first = cx
            .ix
            .head(match cx.ix.by_id.get(id) {
                Some(r) => r,
                None => continue,
            })
            .is_some_and(|f| f.file == h.file);
        if first {
            owner.insert(h.file, (id, is_person));
        } else if is_person {
            owner.entry(h.file).or_insert(("", true));
        }
    }
    let mut placed = Placed {
        by_page: HashMap::new(),
        other: Vec::new(),
        counts: Counts::default(),
    };
    for d in diagnostics {
        let home = owner.get(&d.file).copied();
        if !cx.persons {
            // a dangling reference that may be to a person names them,
            // misspelt ("frida-ohmann")
            let dangling = matches!(
                d.msg,
                crate::messages::Msg::UnknownRef {
                    what: crate::messages::RefKind::Person | crate::messages::RefKind::Entity,
                    ..
                }
            );
            let about_person = dangling
                || home.is_none_or(|(_, p)| p)
                || d.entity.as_deref().is_some_and(|e| cx.is_person(e))
                || d.subject.as_deref().is_some_and(|s| cx.is_person(s));
            if about_person {
                continue;
            }
        }
        match d.severity {
            Severity::Error => placed.counts.errors += 1,
            Severity::Warning => placed.counts.warnings += 1,
            Severity::Info => placed.counts.infos += 1,
        }
        match home {
            Some((id, _)) if !id.is_empty() => {
                placed.by_page.entry(id.to_string()).or_default().push(d);
                if let Some(s) = d.subject.as_deref().filter(|s| *s != id) {
                    if cx.kind_of(s).is_some() {
                        placed.by_page.entry(s.to_string()).or_default().push(d);
                    }
                }
            }
            _ => placed.other.push(d),
        }
    }
    placed
}
