//! What a reader sees for an id: the `names` table of the report, rule
//! messages with names for ids, and the Swedish collation the tables are
//! sorted by.

use std::collections::{BTreeMap, HashMap};

use super::{group_of, str_of, text, EntityName, NamedRef, Report};
use crate::i18n::Lang;
use crate::Run;

/// A key that sorts names as a Swedish reader expects: case aside, and
/// å, ä, ö after z in that order.
pub fn collate(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => '\u{7b}',
            'ä' | 'æ' => '\u{7c}',
            'ö' | 'ø' => '\u{7d}',
            'é' | 'è' => 'e',
            'ü' => 'y',
            c => c,
        })
        .collect()
}

/// Sort key of a named thing: its name as read, then its id. Computed
/// once per element (`sort_by_cached_key`), not once per comparison.
pub(super) fn by_name(x: &NamedRef) -> (String, String) {
    (collate(&x.name), x.id.clone())
}

pub(super) fn text_of(rule: &str, message: &str, names: &BTreeMap<String, EntityName>) -> String {
    if group_of(rule) == "format" {
        message.to_string()
    } else {
        readable(message, names)
    }
}

/// Every id the report shows, outside `changes`.
pub(super) fn referenced(r: &Report) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut one = |x: &NamedRef| ids.push(x.id.clone());
    if let Some(n) = &r.namnd {
        one(n);
    }
    for x in &r.roles {
        one(&x.system);
        if let Some(p) = &x.person {
            one(p);
        }
    }
    for p in &r.pub_coverage.systems {
        one(&p.system);
    }
    for x in &r.pub_coverage.not_assessed {
        one(x);
    }
    for c in &r.cycle {
        one(&c.system);
        for b in [
            &c.plan.approved_by,
            &c.next_plan.approved_by,
            &c.report.approved_by,
        ]
        .into_iter()
        .flatten()
        {
            one(b);
        }
    }
    for f in &r.followups {
        one(&f.system);
    }
    for p in &r.pub_coverage.systems {
        ids.extend(p.agreements.iter().map(|a| a.id.clone()));
        ids.extend(p.used_by.iter().cloned());
    }
    for c in &r.cycle {
        ids.extend(
            [&c.plan.via, &c.next_plan.via, &c.report.via]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    for v in &r.violations {
        ids.extend(v.entity.iter().chain(v.subject.iter()).cloned());
        ids.extend(quoted(&v.message).map(str::to_string));
    }
    for a in &r.expiring {
        ids.push(a.id.clone());
        ids.extend(a.systems.iter().cloned());
    }
    for e in &r.exceptions {
        ids.push(e.entity.clone());
    }
    for g in r.records.iter().flat_map(|r| &r.gaps) {
        ids.push(g.entity.clone());
        ids.extend(g.subject.iter().cloned());
        ids.extend(quoted(&g.message).map(str::to_string));
    }
    for s in &r.systems {
        ids.push(s.id.clone());
        ids.extend(s.owner.iter().map(|o| o.id.clone()));
        ids.extend(s.used_by.iter().cloned());
    }
    for c in r.summary.by_owner.iter().filter_map(|c| c.id.as_ref()) {
        ids.push(c.clone());
    }
    ids
}

/// A title as it follows a name ("Erik Sand, systemförvaltare"): the
/// first letter lower-cased, unless the word is an abbreviation ("IT-chef").
pub(super) fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if !b.is_uppercase() => a
            .to_lowercase()
            .chain(label[a.len_utf8()..].chars())
            .collect(),
        _ => label.to_string(),
    }
}

/// The `quoted` parts of a rule message (ids, keys, values).
pub fn quoted(message: &str) -> impl Iterator<Item = &str> {
    let parts: Vec<&str> = message.split('`').collect();
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .filter(move |(i, p)| i % 2 == 1 && i + 1 < n && !p.is_empty())
        .map(|(_, p)| p)
}

/// A rule message as a person reads it: every `quoted` id of an entity the
/// report names becomes that entity's name (the JSON keeps the message
/// with its ids).
pub fn readable(message: &str, names: &BTreeMap<String, EntityName>) -> String {
    let parts: Vec<&str> = message.split('`').collect();
    let n = parts.len();
    let mut out = String::with_capacity(message.len());
    for (i, part) in parts.iter().enumerate() {
        let quoted = i % 2 == 1 && i + 1 < n;
        // only a real name: an entity without one keeps its quoted id
        match names
            .get(*part)
            .filter(|e| e.kind != "all" && e.name != *part)
        {
            Some(e) if quoted => out.push_str(&e.name),
            _ if quoted => {
                out.push('`');
                out.push_str(part);
                out.push('`');
            }
            _ => {
                if i % 2 == 1 {
                    out.push('`');
                }
                out.push_str(part);
            }
        }
    }
    out
}

/// Adds to `names` the entities of `ids` found in the runs' catalogs (the
/// first run first), and `all` (of `used-by: all`).
pub(crate) fn add_names(
    names: &mut BTreeMap<String, EntityName>,
    ids: &[String],
    runs: &[&Run],
    lang: Lang,
) {
    use crate::catalog::Entity;
    let Some(model) = runs.first().map(|r| &r.model) else {
        return;
    };
    let mut by_id: HashMap<&str, &Entity> = HashMap::new();
    for run in runs.iter().rev() {
        for e in &run.catalog.entities {
            by_id.insert(e.head().id.v.as_str(), e);
        }
    }
    for id in ids {
        if names.contains_key(id) {
            continue;
        }
        let entry = match by_id.get(id.as_str()) {
            Some(e) => {
                let h = e.head();
                let name = h
                    .name
                    .as_ref()
                    .map_or_else(|| id.clone(), |n| n.v.to_string());
                let (kind, title) = match e {
                    Entity::Namnd(_) => ("namnd", None),
                    Entity::Person(p) => (
                        "person",
                        str_of(&p.title)
                            .map(|t| lower_first(&model.title_label(&t, lang == Lang::En))),
                    ),
                    Entity::System(_) => ("system", None),
                    Entity::Avtal(_) => ("avtal", None),
                    Entity::Behandling(_) => ("behandling", None),
                };
                let label = match &title {
                    Some(t) if !t.trim().is_empty() => format!("{name}, {t}"),
                    _ => name.clone(),
                };
                EntityName {
                    kind,
                    name,
                    title,
                    label,
                }
            }
            None if id == "all" => {
                let label = text::word("all_namnder", lang);
                EntityName {
                    kind: "all",
                    name: label.clone(),
                    title: None,
                    label,
                }
            }
            None => continue,
        };
        names.insert(id.clone(), entry);
    }
}
