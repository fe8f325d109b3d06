//! Completion: at a reference, the ids of the entities of the kind it must
//! name (the name as detail); at a key whose values the model lists
//! (category, scope, status, types, titles, record and exception kinds,
//! enum attributes), those values; at a key under `roles:`, the names of
//! the model's roles held on that kind of entity.
//!
//! What is at the cursor is read as the catalog reads it: a marker is put
//! at the cursor, the buffer parsed by the loader and typed as an entity,
//! and the reference (or field) whose value holds the marker is the one
//! being written — also when the value is still empty.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Position, TextEdit,
};

use super::snapshot::View;
use crate::catalog::{refs, AttrValue, Entity, SpStr};
use crate::check::{explain, registry};
use crate::i18n::Lang;
use crate::load::{self, Node, Span};
use crate::messages::RefKind;
use crate::model::Model;

/// Put at the cursor before parsing: a plain scalar no id contains.
const MARK: &str = "KDLCOMPLETIONMARK";

/// At most this many items; more, and the list is incomplete (the editor
/// asks again as the user types).
pub const MAX_ITEMS: usize = 200;

/// What is being written at the cursor.
#[derive(Debug, PartialEq)]
enum Slot<'a> {
    /// A reference; for a unit, the förvaltning it belongs to.
    Ref(RefKind, Option<String>),
    /// A value from a list: (value, label).
    Values(Vec<(&'a str, String)>),
}

/// The completions at `pos` in `rel`; `None` where nothing is completed.
pub fn completion(v: &View, rel: &str, pos: Position) -> Option<CompletionList> {
    let doc = v.doc(rel, pos)?;
    let text = doc.text.as_str();
    if text.len() as u64 > load::DEFAULT_MAX_FILE_BYTES {
        return None;
    }
    let model = &v.snap.run().model;
    let (slot, written, range) = slot_at(text, doc.offset, model, v.lang)?;
    let prefix = written.to_lowercase();
    let (candidates, kind) = match slot {
        Slot::Ref(what, forvaltning) => (
            ids(v, what, forvaltning.as_deref()),
            CompletionItemKind::REFERENCE,
        ),
        Slot::Values(values) => (
            values
                .into_iter()
                .map(|(id, label)| (id.to_string(), Some(label).filter(|l| !l.is_empty())))
                .collect(),
            CompletionItemKind::ENUM_MEMBER,
        ),
    };
    let mut hits: Vec<(String, Option<String>)> = candidates
        .into_iter()
        .filter(|(id, _)| prefix.is_empty() || id.to_lowercase().contains(&prefix))
        .collect();
    // Ids in order, the model's values in the model's order; either way
    // those that start with what is written first.
    if kind == CompletionItemKind::REFERENCE {
        hits.sort_by(|a, b| a.0.cmp(&b.0));
        hits.dedup_by(|a, b| a.0 == b.0);
    }
    hits.sort_by_key(|h| !h.0.to_lowercase().starts_with(&prefix));
    let is_incomplete = hits.len() > MAX_ITEMS;
    // After a bare `key:` the value needs a space.
    let space = if text.get(..doc.offset).is_some_and(|t| t.ends_with(':')) {
        " "
    } else {
        ""
    };
    let range = doc.text.range(range, v.encoding);
    let items = hits
        .into_iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, (id, detail))| CompletionItem {
            label: id.clone(),
            kind: Some(kind),
            detail,
            sort_text: Some(format!("{i:04}")),
            filter_text: Some(id.clone()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: format!("{space}{id}"),
            })),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionList {
        is_incomplete,
        items,
    })
}

/// What the cursor at `offset` is writing: the slot, the value written up
/// to the cursor and the span of the whole value in `text`.
fn slot_at<'m>(
    text: &str,
    offset: usize,
    model: &'m Model,
    lang: Lang,
) -> Option<(Slot<'m>, String, Span)> {
    if let Some(found) = role_key_at(text, offset, model, lang) {
        return Some(found);
    }
    let mut marked = String::with_capacity(text.len() + MARK.len() + 1);
    marked.push_str(text.get(..offset)?);
    // After a bare `key:` the value needs a space to be one.
    let added = if marked.ends_with(':') { 1 } else { 0 };
    if added == 1 {
        marked.push(' ');
    }
    marked.push_str(MARK);
    marked.push_str(text.get(offset..)?);
    let file = load::parse_bytes(String::new(), marked.into_bytes(), load::Budget::default());
    let node = file.doc.ok()?;
    let kind = node.get("kind").and_then(Node::as_str)?;
    let entity = Entity::from_node(kind, &node, 0)?;
    // A place in the marked text, in `text`.
    let back = |p: u32| -> u32 {
        let p = p as usize;
        let inserted = added + MARK.len();
        let q = if p <= offset {
            p
        } else if p >= offset + inserted {
            p - inserted
        } else {
            offset
        };
        q as u32
    };
    let found = |value: &str, span: Span| {
        // What is written before the marker, without an opening quote.
        let written = value.split(MARK).next().unwrap_or_default();
        let written = written.trim_start_matches(['"', '\'']).to_string();
        let span = Span::new(back(span.start), back(span.end).max(back(span.start)));
        (written, span)
    };
    if let Some(r) = refs::references(&entity, model)
        .into_iter()
        .find(|r| r.id.contains(MARK))
    {
        let slot = Slot::Ref(r.what, r.forvaltning.map(str::to_string));
        let (written, span) = found(r.id, r.span);
        return Some((slot, written, span));
    }
    let (value, span, values) = vocab(&entity, model, lang)?;
    let (written, span) = found(value, span);
    Some((Slot::Values(values), written, span))
}

/// A role name being written as a key of the top-level `roles:` block
/// (`  agar|`): a half-written key is not YAML yet, so this reads the
/// lines — the key's line, the block it is in, the file's `kind:`.
fn role_key_at<'m>(
    text: &str,
    offset: usize,
    model: &'m Model,
    lang: Lang,
) -> Option<(Slot<'m>, String, Span)> {
    let is_key = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..)?;
    let written = line.trim_start_matches(' ');
    let indent = line.len() - written.len();
    if indent == 0 || !written.bytes().all(is_key) {
        return None;
    }
    // The rest of the key after the cursor, and nothing but a colon (and
    // whatever follows it) after that.
    let after = text.get(offset..)?;
    let rest = after.bytes().take_while(|&b| is_key(b)).count();
    let tail = after.get(rest..)?.split('\n').next().unwrap_or_default();
    if !(tail.trim().is_empty() || tail.starts_with(':')) {
        return None;
    }
    // The block: the nearest line above with less indentation.
    let parent = before.get(..line_start)?.lines().rev().find(|l| {
        let t = l.trim_start_matches(' ');
        !t.is_empty() && !t.starts_with('#') && l.len() - t.len() < indent
    })?;
    if parent.split(" #").next().map(str::trim_end) != Some("roles:") {
        return None;
    }
    let kind = text
        .lines()
        .find_map(|l| l.strip_prefix("kind:"))
        .map(|k| k.split(" #").next().unwrap_or_default().trim())
        .and_then(crate::model::EntityKind::parse)?;
    let en = lang == Lang::En;
    let values: Values<'m> = model
        .roles
        .iter()
        .filter(|(_, r)| r.on.contains(&kind))
        .map(|(k, _)| (k.as_str(), model.role_label(k, en)))
        .collect();
    let start = (line_start + indent) as u32;
    let end = (offset + rest) as u32;
    Some((
        Slot::Values(values),
        written.to_string(),
        Span::new(start, end),
    ))
}

type Values<'m> = Vec<(&'m str, String)>;

/// A field holding the marker whose values the model lists: its value,
/// its span, and the values with their labels.
fn vocab<'e, 'm>(
    e: &'e Entity,
    model: &'m Model,
    lang: Lang,
) -> Option<(&'e str, Span, Values<'m>)> {
    let en = lang == Lang::En;
    let marked = |f: &'e Option<SpStr>| {
        f.as_ref()
            .filter(|x| x.v.contains(MARK))
            .map(|x| (x.v.as_str(), x.span))
    };
    let terms = |m: &'m crate::model::Vocab| -> Values<'m> {
        m.iter()
            .map(|(k, t)| (k.as_str(), t.label(en).to_string()))
            .collect()
    };
    let labelled = |keys: Vec<&'m String>, label: &dyn Fn(&str) -> String| -> Values<'m> {
        keys.into_iter().map(|k| (k.as_str(), label(k))).collect()
    };
    let with = |(v, s): (&'e str, Span), values: Values<'m>| Some((v, s, values));
    let head = e.head();
    for r in &head.records {
        if let Some(f) = marked(&r.typ) {
            let keys = model.record_types.keys().collect();
            return with(f, labelled(keys, &|k| model.record_type_label(k, en)));
        }
    }
    for x in &head.exceptions {
        if let Some(f) = marked(&x.kind) {
            let keys = model.exception_kinds.keys().collect();
            return with(f, labelled(keys, &|k| model.exception_kind_label(k, en)));
        }
        if let Some(f) = marked(&x.rule) {
            let values = registry::rule_ids(model)
                .map(|id| {
                    let kind = model.instance(id).map_or(id, |(k, _)| k);
                    let summary = explain::for_rule(id, kind)
                        .map(|d| d.summary.get(lang).to_string())
                        .unwrap_or_default();
                    (id, summary)
                })
                .collect();
            return with(f, values);
        }
    }
    let kind = refs::kind_of(e);
    for a in &head.attributes {
        let (Some(def), AttrValue::Str(s)) = (model.attribute(kind, &a.name.v), &a.value.v) else {
            continue;
        };
        if s.contains(MARK) && def.target.is_none() && !def.values.is_empty() {
            let values = def
                .values
                .iter()
                .map(|v| (v.as_str(), String::new()))
                .collect();
            return Some((s.as_str(), a.value.span, values));
        }
    }
    match e {
        Entity::System(s) => {
            if let Some(f) = marked(&s.category) {
                let keys = model.categories.keys().collect();
                return with(f, labelled(keys, &|k| model.category_label(k, en)));
            }
            // Labels as hover and the site show them (standing alone).
            if let Some(f) = marked(&s.scope) {
                let keys = model.scopes.keys().collect();
                return with(f, labelled(keys, &|k| model.scope_display(k, en)));
            }
            let f = marked(&s.status)?;
            let keys = model.lifecycle.order.iter().collect();
            with(f, labelled(keys, &|k| model.status_display(k, en)))
        }
        Entity::Namnd(n) => {
            let keys = model.namnd_types.keys().collect();
            with(
                marked(&n.typ)?,
                labelled(keys, &|k| model.namnd_type_label(k, en)),
            )
        }
        Entity::Avtal(a) => with(marked(&a.typ)?, terms(&model.avtal_types)),
        Entity::Person(p) => {
            let keys = model.titles.keys().collect();
            with(
                marked(&p.title)?,
                labelled(keys, &|k| model.title_label(k, en)),
            )
        }
        Entity::Behandling(_) => None,
    }
}

/// The ids a reference of kind `what` may name, with their names.
fn ids(v: &View, what: RefKind, forvaltning: Option<&str>) -> Vec<(String, Option<String>)> {
    let run = v.snap.run();
    let en = v.lang == Lang::En;
    let entity = |e: &Entity| {
        let h = e.head();
        (h.id.v.to_string(), h.name.as_ref().map(|n| n.v.to_string()))
    };
    let of_kind = |want: fn(&Entity) -> bool| -> Vec<(String, Option<String>)> {
        run.catalog
            .entities
            .iter()
            .filter(|e| want(e))
            .map(entity)
            .collect()
    };
    let namnder = || {
        run.catalog.entities.iter().filter_map(|e| match e {
            Entity::Namnd(n) => Some(n),
            _ => None,
        })
    };
    match what {
        RefKind::Person => of_kind(|e| matches!(e, Entity::Person(_))),
        RefKind::System => of_kind(|e| matches!(e, Entity::System(_))),
        RefKind::Namnd => of_kind(|e| matches!(e, Entity::Namnd(_))),
        RefKind::Entity => {
            let mut out = of_kind(|e| matches!(e, Entity::Person(_) | Entity::Namnd(_)));
            out.extend(
                run.model
                    .bodies
                    .iter()
                    .map(|(k, t)| (k.clone(), Some(t.label(en).to_string()))),
            );
            out
        }
        RefKind::Forvaltning => namnder()
            .filter_map(|n| {
                let f = n.forvaltning.as_ref()?;
                Some((
                    f.id.v.to_string(),
                    n.head.name.as_ref().map(|x| x.v.to_string()),
                ))
            })
            .collect(),
        RefKind::Unit => namnder()
            .filter_map(|n| n.forvaltning.as_ref())
            .filter(|f| Some(f.id.v.as_str()) == forvaltning)
            .flat_map(|f| f.units.iter().map(|u| (u.v.to_string(), None)))
            .collect(),
        RefKind::Stodprocess => {
            let org: Vec<&str> = ["kommunstyrelse", "service"]
                .iter()
                .filter_map(|p| run.config.org_namnd(p))
                .collect();
            namnder()
                .filter(|n| org.contains(&n.head.id.v.as_str()))
                .flat_map(|n| n.stodprocesser.iter().map(|s| (s.v.to_string(), None)))
                .collect()
        }
        RefKind::Role | RefKind::Rule => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::builtin(crate::model::DEFAULT_MODEL)
            .and_then(Result::ok)
            .map(|(m, _)| m)
            .unwrap()
    }

    /// The slot at the `|` in `text`, what is written and the value's span.
    fn at(text: &str) -> Option<(Slot<'static>, String, Span)> {
        let m = Box::leak(Box::new(model()));
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        slot_at(&text, offset, m, Lang::Sv)
    }

    #[test]
    fn an_empty_half_written_or_bare_reference_is_found() {
        let avtal = "kind: avtal\nid: a\n";
        let (slot, written, span) = at(&format!("{avtal}decided-by: |\n")).unwrap();
        assert_eq!(slot, Slot::Ref(RefKind::Person, None));
        assert_eq!(written, "");
        let o = avtal.len() as u32 + 12;
        assert_eq!(span, Span::new(o, o));
        // No space after the colon yet: the same place.
        let (slot, _, span) = at(&format!("{avtal}decided-by:|\n")).unwrap();
        assert_eq!(slot, Slot::Ref(RefKind::Person, None));
        let o = avtal.len() as u32 + 11;
        assert_eq!(span, Span::new(o, o));
        // Half an id, in a flow list, the cursor inside it: all of it.
        let (slot, written, span) = at(&format!("{avtal}systems: [x, ra|in]\n")).unwrap();
        assert_eq!(slot, Slot::Ref(RefKind::System, None));
        assert_eq!(written, "ra");
        let o = avtal.len() as u32 + 13;
        assert_eq!(span, Span::new(o, o + 4));
        // A block list item.
        let (slot, ..) = at(&format!("{avtal}systems:\n  - x\n  - |\n")).unwrap();
        assert_eq!(slot, Slot::Ref(RefKind::System, None));
        // A role on a system.
        let (slot, ..) = at("kind: system\nid: s\nroles:\n  agare: |\n").unwrap();
        assert_eq!(slot, Slot::Ref(RefKind::Person, None));
    }

    #[test]
    fn role_names_as_keys_under_roles() {
        let sys = "kind: system\nid: s\nroles:\n  agare: p\n";
        let (slot, written, span) = at(&format!("{sys}  bud|\n")).unwrap();
        assert_eq!(written, "bud");
        let o = sys.len() as u32 + 2;
        assert_eq!(span, Span::new(o, o + 3));
        let Slot::Values(values) = slot else {
            panic!("values")
        };
        assert!(
            values.iter().any(|(v, _)| *v == "budgetansvarig"),
            "{values:?}"
        );
        // An empty key, and the cursor inside a key before its colon.
        assert!(at(&format!("{sys}  |\n")).is_some());
        let (_, written, span) = at("kind: system\nid: s\nroles:\n  ag|are: p\n").unwrap();
        assert_eq!(written, "ag");
        assert_eq!(span.end - span.start, 5);
        // On a nämnd, the nämnd's roles only.
        let (slot, ..) = at("kind: namnd\nid: n\nroles:\n  |\n").unwrap();
        let Slot::Values(values) = slot else {
            panic!("values")
        };
        assert!(
            !values.iter().any(|(v, _)| *v == "budgetansvarig"),
            "{values:?}"
        );
        // Not under roles, not a key, a value: not a role name.
        for text in [
            "kind: system\nid: s\nlifecycle:\n  sta|\n",
            "kind: system\nid: s\nroles:\n  agare: p|\n",
            "kind: system\nid: s\nroles:\n  agare:\n    - p|\n",
            "kind: system\nid: s\nro|\n",
        ] {
            assert!(
                !matches!(at(text), Some((Slot::Values(v), ..)) if v.iter().any(|(k, _)| *k == "agare")),
                "{text}"
            );
        }
    }

    #[test]
    fn the_models_values_where_it_has_them_and_nothing_elsewhere() {
        let (slot, written, _) = at("kind: avtal\nid: a\ntype: p|\n").unwrap();
        assert_eq!(written, "p");
        let Slot::Values(values) = slot else {
            panic!("values")
        };
        assert!(values.iter().any(|(v, _)| *v == "pub-avtal"), "{values:?}");
        let (slot, ..) = at("kind: system\nid: s\ncategory: |\n").unwrap();
        assert!(matches!(slot, Slot::Values(v) if !v.is_empty()));
        // Status and scope labelled as hover shows them.
        let (slot, ..) = at("kind: system\nid: s\nlifecycle:\n  status: i|\n").unwrap();
        assert!(
            matches!(&slot, Slot::Values(v) if v.iter().any(|(k, l)| *k == "i-drift" && l == "I drift")),
            "{slot:?}"
        );
        let (slot, ..) = at("kind: system\nid: s\nscope: k|\n").unwrap();
        assert!(
            matches!(&slot, Slot::Values(v) if v.iter().any(|(k, l)| *k == "kommungemensam" && l.starts_with('K'))),
            "{slot:?}"
        );
        // A free text, a key, the id, a broken file, no kind: nothing.
        for text in [
            "kind: avtal\nid: a\ncounterparty: C|GI\n",
            "kind: avtal\nid: a\ncount|erparty: CGI\n",
            "kind: avtal\nid: a|\n",
            "kind: avtal\nid: a\nsystems: [x|\n",
            "id: a\ndecided-by: |\n",
        ] {
            assert_eq!(at(text), None, "{text}");
        }
    }
}
