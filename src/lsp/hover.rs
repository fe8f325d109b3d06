//! Hover: on a reference, a short Markdown summary of what it names (kind,
//! id, name; for a system its category, status, owner and roles, asked of
//! the same fact functions the rules use); on a finding, its message and
//! what `kdl explain` says about the rule (summary, source clause).

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::snapshot::{target, Target, View};
use crate::catalog::facts::{self, EntityRef, Fact};
use crate::catalog::{refs, Index, NamndSet};
use crate::check::explain;
use crate::i18n::Lang;
use crate::model::Model;
use crate::Run;

/// The hover at `pos` in `rel`: the reference's summary, then the
/// findings there; `None` when there is neither.
pub fn hover(v: &View, rel: &str, pos: Position) -> Option<Hover> {
    let doc = v.doc(rel, pos)?;
    let run = v.snap.run();
    let mut parts = Vec::new();
    let mut span = None;
    if let Some(r) = v
        .snap
        .entity(doc.file)
        .and_then(|e| refs::reference_at(e, &run.model, doc.offset))
    {
        let ix = v.snap.index();
        if let Some(t) = target(ix, run, &r) {
            parts.push(summary(ix, run, t, v.lang));
            span = Some(r.span);
        }
    } else if let Some(rule) = v.snap.entity(doc.file).and_then(|e| {
        e.head().exceptions.iter().find_map(|x| {
            let r = x.rule.as_ref()?;
            (r.span.start as usize <= doc.offset && doc.offset <= r.span.end as usize).then_some(r)
        })
    }) {
        // A rule an exception waives: what it is, as `kdl explain` opens.
        if crate::check::registry::rule_ids(&run.model).any(|id| id == rule.v) {
            let mut lines = vec![format!(
                "**{}** {}",
                sv(v.lang, "Regel", "Rule"),
                code(&rule.v)
            )];
            lines.extend(rule_lines(run, &rule.v, v.lang));
            parts.push(lines.join("  \n"));
            span = Some(rule.span);
        }
    }
    for d in run.active().filter(|d| {
        d.file == doc.file
            && d.span.start as usize <= doc.offset
            && doc.offset <= d.span.end as usize
    }) {
        parts.push(finding(run, d, v.lang));
        span = span.or(Some(d.span));
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: span.map(|s| doc.text.range(s, v.encoding)),
    })
}

/// Text from the catalog, safe inside Markdown: the characters that would
/// format or link are escaped.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>|~".contains(c) {
            out.push('\\');
        }
        // A line break in a name would end the line of the summary.
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

/// An id in code span (ids are slugs; a backtick in one is dropped).
fn code(s: &str) -> String {
    format!("`{}`", s.replace('`', ""))
}

fn sv(lang: Lang, sv: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}

fn str_fact(f: Option<Fact<'_>>) -> Option<&str> {
    match f {
        Some(Fact::Str(s)) => Some(s),
        _ => None,
    }
}

/// `**Kind** `id` — Name` and a line per fact.
fn summary(ix: &Index, run: &Run, t: Target, lang: Lang) -> String {
    let model = &run.model;
    let en = lang == Lang::En;
    let mut lines = Vec::new();
    let heading = |kind: &str, id: &str, name: Option<&str>| match name {
        Some(n) => format!("**{kind}** {} — {}", code(id), md(n)),
        None => format!("**{kind}** {}", code(id)),
    };
    let e = match t {
        Target::Entity(e) => e,
        Target::Forvaltning(n) => {
            let id = n.forvaltning.as_ref().map_or("", |f| f.id.v.as_str());
            lines.push(heading(sv(lang, "Förvaltning", "Administration"), id, None));
            lines.push(namnd_line(n, lang));
            if let Some(c) = n.forvaltning.as_ref().and_then(|f| f.chef.as_ref()) {
                lines.push(person_line(ix, sv(lang, "Chef", "Head"), &c.v));
            }
            return lines.join("  \n");
        }
        Target::Unit(n, u) => {
            lines.push(heading(sv(lang, "Enhet", "Unit"), &u.v, None));
            let f = n.forvaltning.as_ref().map_or("", |f| f.id.v.as_str());
            lines.push(format!(
                "{}: {}",
                sv(lang, "Förvaltning", "Administration"),
                code(f)
            ));
            lines.push(namnd_line(n, lang));
            return lines.join("  \n");
        }
        Target::Stodprocess(n, s) => {
            lines.push(heading(
                sv(lang, "Stödprocess", "Support process"),
                &s.v,
                None,
            ));
            lines.push(namnd_line(n, lang));
            return lines.join("  \n");
        }
        Target::Body(b) => {
            let label = model.body_label(b, en);
            return heading(sv(lang, "Organ", "Body"), b, Some(&label));
        }
    };
    let h = e.head();
    let name = h.name.as_ref().map(|n| n.v.as_str());
    match e {
        EntityRef::System(s) => {
            lines.push(heading("System", &h.id.v, name));
            // In emphasis: a description starting with `#`, `-` or `>`
            // cannot become a heading, a list or a quote.
            if let Some(d) = &s.description {
                lines.push(format!("_{}_", md(d.v.trim())));
            }
            let mut facts_line = Vec::new();
            if let Some(c) = str_fact(facts::system(ix, model, s, "category")) {
                let label = model.category_label(c, en);
                facts_line.push(format!(
                    "{}: {}",
                    sv(lang, "Kategori", "Category"),
                    md(&label)
                ));
            }
            if let Some(st) = str_fact(facts::system(ix, model, s, "status")) {
                let label = model.status_display(st, en);
                facts_line.push(format!("{}: {}", sv(lang, "Status", "Status"), md(&label)));
            }
            if let Some(sc) = str_fact(facts::system(ix, model, s, "scope")) {
                let label = model.scope_display(sc, en);
                facts_line.push(format!(
                    "{}: {}",
                    sv(lang, "Omfattning", "Scope"),
                    md(&label)
                ));
            }
            if !facts_line.is_empty() {
                lines.push(facts_line.join(" · "));
            }
            if let Some(owner) = model.owner_role() {
                if let Some(n) = ix.owner_namnd(s, owner) {
                    lines.push(format!(
                        "{}: {}",
                        sv(lang, "Ägande nämnd", "Owning nämnd"),
                        entity_name(&n.head.id.v, n.head.name.as_ref().map(|x| x.v.as_str()))
                    ));
                }
            }
            for r in &s.roles {
                let holders = e.role_holders(&r.name.v);
                if holders.is_empty() {
                    continue;
                }
                let who: Vec<String> = holders.iter().map(|h| holder(ix, &h.v)).collect();
                lines.push(format!(
                    "{}: {}",
                    md(&model.role_label(&r.name.v, en)),
                    who.join(", ")
                ));
            }
        }
        EntityRef::Person(p) => {
            lines.push(heading(sv(lang, "Person", "Person"), &h.id.v, name));
            if let Some(t) = str_fact(facts::person(p, "title")) {
                lines.push(format!(
                    "{}: {}",
                    sv(lang, "Titel", "Title"),
                    md(&model.title_label(t, en))
                ));
            }
            if let Some(n) = ix.namnd_of_person(p) {
                lines.push(namnd_line(n, lang));
            }
            if let Some(l) = &p.left_on {
                lines.push(format!("{}: {}", sv(lang, "Slutade", "Left on"), l.v));
            }
            let held = ix.roles_held(&h.id.v);
            if !held.is_empty() {
                let shown: Vec<String> = held
                    .iter()
                    .take(MAX_LISTED)
                    .filter_map(|(si, role)| {
                        let s = ix.systems.get(*si)?;
                        Some(format!(
                            "{} ({})",
                            md(&model.role_label(role, en)),
                            code(&s.head.id.v)
                        ))
                    })
                    .collect();
                lines.push(format!(
                    "{}: {}{}",
                    sv(lang, "Roller", "Roles"),
                    shown.join(", "),
                    more(held.len(), lang)
                ));
            }
        }
        EntityRef::Namnd(n) => {
            lines.push(heading(sv(lang, "Nämnd", "Nämnd"), &h.id.v, name));
            if let Some(t) = str_fact(facts::namnd(model, n, "type")) {
                lines.push(format!(
                    "{}: {}",
                    sv(lang, "Typ", "Type"),
                    md(&model.namnd_type_label(t, en))
                ));
            }
            if let Some(f) = &n.forvaltning {
                lines.push(format!(
                    "{}: {}",
                    sv(lang, "Förvaltning", "Administration"),
                    code(&f.id.v)
                ));
            }
        }
        EntityRef::Avtal(a) => {
            lines.push(heading(sv(lang, "Avtal", "Agreement"), &h.id.v, name));
            if let Some(t) = str_fact(facts::avtal(a, "type")) {
                lines.push(format!(
                    "{}: {}",
                    sv(lang, "Typ", "Type"),
                    md(&model.avtal_type_label(t, en))
                ));
            }
            lines.push(ids_line(
                sv(lang, "System", "Systems"),
                a.systems.iter().map(|s| s.v.as_str()),
                lang,
            ));
            if let Some(u) = &a.valid_until {
                lines.push(format!(
                    "{}: {}",
                    sv(lang, "Giltigt till", "Valid until"),
                    u.v
                ));
            }
        }
        EntityRef::Behandling(b) => {
            lines.push(heading(
                sv(lang, "Behandling", "Processing activity"),
                &h.id.v,
                name,
            ));
            if let Some(c) = &b.controller {
                lines.push(format!(
                    "{}: {}",
                    sv(lang, "Personuppgiftsansvarig", "Controller"),
                    holder(ix, &c.v)
                ));
            }
            lines.push(ids_line(
                sv(lang, "System", "Systems"),
                b.systems.iter().map(|s| s.v.as_str()),
                lang,
            ));
        }
    }
    if let Some(u) = e.used_by() {
        let users = match &u.v {
            NamndSet::All => sv(lang, "alla nämnder", "every nämnd").to_string(),
            NamndSet::List(l) => l.iter().map(|n| code(&n.v)).collect::<Vec<_>>().join(", "),
        };
        lines.push(format!("{}: {users}", sv(lang, "Används av", "Used by")));
    }
    lines.join("  \n")
}

/// How many items a list in a hover shows.
const MAX_LISTED: usize = 10;

fn more(n: usize, lang: Lang) -> String {
    if n <= MAX_LISTED {
        return String::new();
    }
    let rest = n - MAX_LISTED;
    match lang {
        Lang::Sv => format!(" och {rest} till"),
        Lang::En => format!(" and {rest} more"),
    }
}

fn ids_line<'a>(label: &str, ids: impl ExactSizeIterator<Item = &'a str>, lang: Lang) -> String {
    let n = ids.len();
    let shown: Vec<String> = ids.take(MAX_LISTED).map(code).collect();
    format!("{label}: {}{}", shown.join(", "), more(n, lang))
}

fn entity_name(id: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{} ({})", md(n), code(id)),
        None => code(id),
    }
}

/// A role holder or controller: its name when the catalog knows it.
fn holder(ix: &Index, id: &str) -> String {
    let name = ix
        .by_id
        .get(id)
        .and_then(|r| ix.head(r))
        .and_then(|h| h.name.as_ref());
    entity_name(id, name.map(|n| n.v.as_str()))
}

fn person_line(ix: &Index, label: &str, id: &str) -> String {
    format!("{label}: {}", holder(ix, id))
}

fn namnd_line(n: &crate::catalog::Namnd, lang: Lang) -> String {
    format!(
        "{}: {}",
        sv(lang, "Nämnd", "Nämnd"),
        entity_name(&n.head.id.v, n.head.name.as_ref().map(|x| x.v.as_str()))
    )
}

/// A finding: its message as `kdl lint` shows it, the rule's one-line
/// summary and, for a rule of the model, its source clause.
fn finding(run: &Run, d: &crate::diagnostic::Diagnostic, lang: Lang) -> String {
    let model: &Model = &run.model;
    let mut lines = vec![
        format!("**{}** ({})", d.rule, lang.severity(d.severity)),
        // kdl's own text, its ids in code spans as in every output.
        d.msg.render(lang, model).replace(['\n', '\r'], " "),
    ];
    lines.extend(rule_lines(run, d.rule, lang));
    lines.join("  \n")
}

/// What a rule is: its summary, the clause of the governing document it
/// comes from and the quote, then where to read more (`kdl explain`).
fn rule_lines(run: &Run, rule: &str, lang: Lang) -> Vec<String> {
    let model: &Model = &run.model;
    let mut lines = Vec::new();
    let kind = model.instance(rule).map_or(rule, |(k, _)| k);
    if let Some(doc) = explain::for_rule(rule, kind) {
        lines.push(format!("*{}*", md(doc.summary.get(lang))));
    }
    if let Some(source) = model.source_of(rule) {
        lines.push(format!("{}: {}", sv(lang, "Källa", "Source"), md(&source)));
    }
    if let Some(q) = model.rules.get(rule).and_then(|s| s.quote.as_ref()) {
        lines.push(format!("»{}«", md(q)));
    }
    lines.push(match lang {
        Lang::Sv => format!("Mer: `kdl explain {rule}`"),
        Lang::En => format!("More: `kdl explain {rule}`"),
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_text_cannot_format_or_link() {
        assert_eq!(md("Nämnden för *vård*"), "Nämnden för \\*vård\\*");
        assert_eq!(md("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(md("a\nb"), "a b");
        assert_eq!(code("a`b"), "`ab`");
    }
}
