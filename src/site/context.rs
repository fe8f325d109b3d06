//! What every page builder reads ([`Ctx`]: the run, the index, the
//! names, the reverse look-ups built once) and the pieces every page is
//! made of: links to other pages, facts, tables, roles, exceptions and
//! records. The builders of each kind's page are in [`super::pages`].

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::model::{Cell, Fact, Link, Page, Table};
use super::{paths, text};
use crate::catalog::entity::{AttrValue, Head, RoleAssignment};
use crate::catalog::index::Ref;
use crate::catalog::{Index, NamndSet, Sp, SpStr};
use crate::i18n::Lang;
use crate::yearly::EntityName;
use crate::Run;

/// What every page builder reads.
pub(super) struct Ctx<'a> {
    pub run: &'a Run,
    pub ix: &'a Index<'a>,
    pub lang: Lang,
    /// Person pages, names and ids are shown (not `--no-persons`).
    pub persons: bool,
    pub names: &'a BTreeMap<String, EntityName>,
    /// Per nämnd id: the systems it owns and those it uses (by index
    /// into `ix.systems`); `used_by_all` are the systems every nämnd uses.
    pub owned: HashMap<&'a str, Vec<usize>>,
    pub used: HashMap<&'a str, Vec<usize>>,
    pub used_by_all: Vec<usize>,
    /// Per nämnd id: the behandlingar it is controller of.
    pub controlled: HashMap<&'a str, Vec<usize>>,
    /// Per holder id: the nämnd roles held (nämnd index, role name).
    pub namnd_roles: HashMap<&'a str, Vec<(usize, &'a str)>>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        run: &'a Run,
        ix: &'a Index<'a>,
        lang: Lang,
        persons: bool,
        names: &'a BTreeMap<String, EntityName>,
    ) -> Ctx<'a> {
        let owner_role = run.model.owner_role().unwrap_or_default();
        let mut owned: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut used: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut used_by_all = Vec::new();
        for (i, s) in ix.systems.iter().enumerate() {
            if let Some(n) = ix.owner_namnd(s, owner_role) {
                owned.entry(n.head.id.v.as_str()).or_default().push(i);
            }
            match s.used_by.as_ref().map(|u| &u.v) {
                Some(NamndSet::All) => used_by_all.push(i),
                Some(NamndSet::List(l)) => {
                    for n in l {
                        used.entry(n.v.as_str()).or_default().push(i);
                    }
                }
                None => {}
            }
        }
        let mut controlled: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, b) in ix.behandlingar.iter().enumerate() {
            if let Some(c) = &b.controller {
                controlled.entry(c.v.as_str()).or_default().push(i);
            }
        }
        let mut namnd_roles: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
        for (i, n) in ix.namnder.iter().enumerate() {
            for r in &n.roles {
                for h in &r.holders {
                    namnd_roles
                        .entry(h.v.as_str())
                        .or_default()
                        .push((i, r.name.v.as_str()));
                }
            }
        }
        Ctx {
            run,
            ix,
            lang,
            persons,
            names,
            owned,
            used,
            used_by_all,
            controlled,
            namnd_roles,
        }
    }

    pub(super) fn en(&self) -> bool {
        self.lang == Lang::En
    }

    pub fn w(&self, key: &str) -> String {
        text::word(key, self.lang)
    }

    /// The kind of the entity `id` names, if it has a page.
    pub fn kind_of(&self, id: &str) -> Option<&'static str> {
        match self.ix.by_id.get(id)? {
            Ref::System(_) => Some("system"),
            Ref::Namnd(_) => Some("namnd"),
            Ref::Person(_) if self.persons => Some("person"),
            Ref::Person(_) => None,
            Ref::Avtal(_) => Some("avtal"),
            Ref::Behandling(_) => Some("behandling"),
        }
    }

    pub fn is_person(&self, id: &str) -> bool {
        matches!(self.ix.by_id.get(id), Some(Ref::Person(_)))
    }

    /// An entity's name as read (its id when it has none).
    pub fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    }

    /// A reference: the named entity's label linked to its page; an id
    /// that names nothing in the catalog is shown as written. On a site
    /// without persons a person is omitted, and so is an id that names
    /// nothing (it may be a person's, misspelt).
    pub fn link(&self, id: &str) -> Link {
        if !self.persons && (self.is_person(id) || self.kind_of(id).is_none()) {
            return Link::text(self.w("omitted"));
        }
        match self.kind_of(id) {
            Some(kind) => Link {
                text: self
                    .names
                    .get(id)
                    .map_or_else(|| id.to_string(), |e| e.label.clone()),
                href: Some(paths::page(kind, id)),
                id: Some(id.to_string()),
            },
            None => Link::text(id),
        }
    }

    /// A value that is either an entity's id or a term of the model's
    /// vocabulary (`label`, its label): the link, else the label. A value
    /// that is neither is shown as [`Ctx::link`] shows an unknown id.
    pub(super) fn labelled(&self, id: &str, label: String) -> Link {
        if self.ix.by_id.contains_key(id) || label == id {
            self.link(id)
        } else {
            Link::text(label)
        }
    }

    pub(super) fn links<'s>(&self, ids: impl IntoIterator<Item = &'s SpStr>) -> Cell {
        ids.into_iter().map(|x| self.link(&x.v)).collect()
    }

    pub(super) fn opt_link(&self, id: &Option<SpStr>) -> Cell {
        id.iter().map(|x| self.link(&x.v)).collect()
    }

    pub(super) fn namnd_set(&self, set: Option<&Sp<NamndSet>>) -> Cell {
        match set.map(|s| &s.v) {
            Some(NamndSet::All) => vec![Link::text(self.w("all_namnder"))],
            Some(NamndSet::List(l)) => self.links(l),
            None => Vec::new(),
        }
    }

    pub(super) fn yes_no(&self, b: bool) -> Cell {
        vec![Link::text(self.w(if b { "yes" } else { "no" }))]
    }

    pub(super) fn fact(&self, key: &str, values: Cell) -> Option<Fact> {
        (!values.is_empty()).then(|| Fact {
            label: self.w(key),
            values,
        })
    }

    pub(super) fn table(
        &self,
        id: &'static str,
        columns: &[&str],
        rows: Vec<Vec<Cell>>,
    ) -> Option<Table> {
        (!rows.is_empty()).then(|| Table {
            id,
            heading: self.w(id),
            columns: columns.iter().map(|c| self.w(c)).collect(),
            rows,
        })
    }

    /// Systems (by index) as rows: the system, its category, lifecycle.
    pub(super) fn system_rows(&self, mut idx: Vec<usize>) -> Vec<Vec<Cell>> {
        idx.sort_unstable();
        idx.dedup();
        let mut rows: Vec<(String, Vec<Cell>)> = idx
            .into_iter()
            .filter_map(|i| self.ix.systems.get(i))
            .map(|s| {
                let id = s.head.id.v.as_str();
                let en = self.en();
                let cat = s
                    .category
                    .as_ref()
                    .map(|c| Link::text(self.run.model.category_label(&c.v, en)));
                let st = s
                    .status
                    .as_ref()
                    .map(|c| Link::text(self.run.model.status_display(&c.v, en)));
                (
                    crate::yearly::collate(&self.name(id)),
                    vec![
                        vec![self.link(id)],
                        cat.into_iter().collect(),
                        st.into_iter().collect(),
                    ],
                )
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows.into_iter().map(|(_, r)| r).collect()
    }

    pub(super) fn roles(&self, roles: &[RoleAssignment]) -> Option<Table> {
        let en = self.en();
        let rows = roles
            .iter()
            .map(|r| {
                vec![
                    vec![Link::text(self.run.model.role_label(&r.name.v, en))],
                    self.links(&r.holders),
                ]
            })
            .collect();
        self.table("roles", &["role", "holder"], rows)
    }

    /// Attributes, exceptions and records: what every kind may have.
    fn head_parts(&self, h: &Head, facts: &mut Vec<Fact>, tables: &mut Vec<Table>) {
        let en = self.en();
        for a in &h.attributes {
            let values = match &a.value.v {
                AttrValue::Str(s) => vec![Link::text(s.clone())],
                AttrValue::Bool(b) => self.yes_no(*b),
                AttrValue::Int(i) => vec![Link::text(i.to_string())],
                AttrValue::List(l) => l.iter().map(|x| Link::text(x.v.to_string())).collect(),
            };
            facts.push(Fact {
                label: a.name.v.to_string(),
                values,
            });
        }
        let rows = h
            .exceptions
            .iter()
            .map(|e| {
                vec![
                    text_of(&e.rule),
                    e.kind
                        .iter()
                        .map(|k| Link::text(self.run.model.exception_kind_label(&k.v, en)))
                        .collect(),
                    text_of(&e.decision),
                    date(&e.decided_on),
                    date(&e.expires),
                ]
            })
            .collect();
        tables.extend(self.table(
            "exceptions",
            &["rule", "type", "decision", "decided_on", "expires"],
            rows,
        ));
        let rows = h
            .records
            .iter()
            .map(|r| {
                vec![
                    r.typ
                        .iter()
                        .map(|t| Link::text(self.run.model.record_type_label(&t.v, en)))
                        .collect(),
                    date(&r.date),
                    self.opt_link(&r.by),
                    text_of(&r.status),
                    text_of(&r.reference),
                ]
            })
            .collect();
        tables.extend(self.table(
            "records",
            &["type", "date", "by", "status", "reference"],
            rows,
        ));
    }

    pub(super) fn page(
        &self,
        kind: &'static str,
        h: &Head,
        facts: Vec<Fact>,
        tables: Vec<Table>,
    ) -> Page {
        let id = h.id.v.to_string();
        let (mut facts, mut tables) = (facts, tables);
        self.head_parts(h, &mut facts, &mut tables);
        Page {
            kind,
            kind_label: self.w(&format!("k_{kind}")),
            path: paths::page(kind, &id),
            title: self.name(&id),
            lead: None,
            id,
            facts,
            tables,
            findings: Vec::new(),
        }
    }
}

pub(super) fn text_of(x: &Option<SpStr>) -> Cell {
    x.iter().map(|v| Link::text(v.v.to_string())).collect()
}

pub(super) fn date(x: &Option<Sp<NaiveDate>>) -> Cell {
    x.iter().map(|d| Link::text(d.v.to_string())).collect()
}
