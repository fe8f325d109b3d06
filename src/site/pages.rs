//! One page per system, nämnd, person, agreement and behandling: the
//! entity's facts, its roles and who holds them, its agreements and
//! behandlingar, its yearly documents and exceptions, each reference a
//! link to the page of what it names. Read from the typed entities and
//! the index, as the rules and the yearly report read them.

use super::context::{date, text_of, Ctx};
use super::model::{Cell, Link, Page, Table};
use crate::catalog::{Avtal, Behandling, Namnd, Person, SpStr, System};

impl Ctx<'_> {
    pub fn system(&self, s: &System) -> Page {
        let en = self.en();
        let m = &self.run.model;
        let id = s.head.id.v.as_str();
        let label = |x: &Option<SpStr>, f: &dyn Fn(&str) -> String| -> Cell {
            x.iter().map(|v| Link::text(f(&v.v))).collect()
        };
        let owner = m
            .owner_role()
            .and_then(|r| self.ix.owner_namnd(s, r))
            .map(|n| self.link(&n.head.id.v));
        let pd = s.personal_data.as_ref();
        let facts = [
            self.fact("category", label(&s.category, &|c| m.category_label(c, en))),
            self.fact("scope", label(&s.scope, &|c| m.scope_display(c, en))),
            self.fact("status", label(&s.status, &|c| m.status_display(c, en))),
            self.fact("since", date(&s.since)),
            self.fact("owner", owner.into_iter().collect()),
            self.fact("used_by", self.namnd_set(s.used_by.as_ref())),
            self.fact("supplier", text_of(&s.supplier)),
            self.fact("hosting", text_of(&s.hosting)),
            self.fact(
                "fee",
                if s.fee_span.is_some() {
                    self.yes_no(s.fee)
                } else {
                    Vec::new()
                },
            ),
            self.fact("stodprocess", text_of(&s.stodprocess)),
            self.fact(
                "personal_data",
                s.processed().map(|b| self.yes_no(b)).unwrap_or_default(),
            ),
            self.fact(
                "sensitive",
                pd.and_then(|p| p.sensitive)
                    .map(|b| self.yes_no(b))
                    .unwrap_or_default(),
            ),
            self.fact(
                "storage",
                pd.map(|p| text_of(&p.storage)).unwrap_or_default(),
            ),
            self.fact(
                "classified",
                s.classification
                    .as_ref()
                    .map(|c| date(&c.date))
                    .unwrap_or_default(),
            ),
        ];
        let mut tables: Vec<Table> = Vec::new();
        tables.extend(self.roles(&s.roles));
        let mut agreements: Vec<&Avtal> = self.ix.agreements(id).collect();
        agreements.sort_by_cached_key(|a| {
            (
                crate::yearly::collate(&self.name(&a.head.id.v)),
                a.head.id.v.clone(),
            )
        });
        agreements.dedup_by_key(|a| a.head.id.v.clone());
        let rows = agreements
            .iter()
            .map(|a| {
                vec![
                    vec![self.link(&a.head.id.v)],
                    label(&a.typ, &|t| m.avtal_type_label(t, en)),
                    date(&a.valid_from),
                    date(&a.valid_until),
                ]
            })
            .collect();
        tables.extend(self.table(
            "agreements",
            &["name", "type", "valid_from", "valid_until"],
            rows,
        ));
        let rows = self
            .ix
            .behandlingar_of(id)
            .iter()
            .filter_map(|i| self.ix.behandlingar.get(*i))
            .map(|b| vec![vec![self.link(&b.head.id.v)], self.opt_link(&b.controller)])
            .collect();
        tables.extend(self.table("behandlingar", &["name", "controller"], rows));
        let rows = s
            .plans
            .iter()
            .map(|p| {
                vec![
                    p.year.iter().map(|y| Link::text(y.v.to_string())).collect(),
                    // the catalog format's plan statuses, else as written
                    p.status
                        .iter()
                        .map(|st| match st.v.as_str() {
                            v @ ("godkand" | "pagaende") => Link::text(self.w(v)),
                            v => Link::text(v),
                        })
                        .collect(),
                    self.opt_link(&p.approved_by),
                    date(&p.approved_on),
                    p.reference.iter().map(|r| Link::text(r.clone())).collect(),
                ]
            })
            .collect();
        tables.extend(self.table(
            "plans",
            &[
                "year",
                "plan_status",
                "approved_by",
                "approved_on",
                "reference",
            ],
            rows,
        ));
        let rows = s
            .reports
            .iter()
            .map(|r| {
                vec![
                    r.year.iter().map(|y| Link::text(y.v.to_string())).collect(),
                    date(&r.completed_on),
                    self.opt_link(&r.approved_by),
                ]
            })
            .collect();
        tables.extend(self.table("reports", &["year", "completed_on", "approved_by"], rows));
        let rows = s
            .followups_with_supplier
            .iter()
            .map(|(d, with)| vec![vec![Link::text(d.to_string())], self.yes_no(*with)])
            .collect();
        tables.extend(self.table("followups", &["date", "with_supplier"], rows));
        let mut page = self.page(
            "system",
            &s.head,
            facts.into_iter().flatten().collect(),
            tables,
        );
        page.lead = s.description.as_ref().map(|d| d.v.to_string());
        page
    }

    pub fn namnd(&self, n: &Namnd) -> Page {
        let en = self.en();
        let m = &self.run.model;
        let id = n.head.id.v.as_str();
        let f = n.forvaltning.as_ref();
        let facts = [
            self.fact(
                "type",
                n.typ
                    .iter()
                    .map(|t| Link::text(m.namnd_type_label(&t.v, en)))
                    .collect(),
            ),
            self.fact(
                "forvaltning",
                f.map(|f| vec![Link::text(f.id.v.to_string())])
                    .unwrap_or_default(),
            ),
            self.fact(
                "chef",
                f.map(|f| self.opt_link(&f.chef)).unwrap_or_default(),
            ),
            self.fact(
                "units",
                f.map(|f| {
                    f.units
                        .iter()
                        .map(|u| Link::text(u.v.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            ),
            self.fact("dpo_contact", self.opt_link(&n.dataskyddskontakt)),
            self.fact(
                "stodprocesser",
                n.stodprocesser
                    .iter()
                    .map(|s| Link::text(s.v.to_string()))
                    .collect(),
            ),
        ];
        let mut tables: Vec<Table> = Vec::new();
        tables.extend(self.roles(&n.roles));
        let rows = n
            .delegations
            .iter()
            .map(|d| {
                // a delegate is a title of the model or a person
                let delegate = d
                    .delegate
                    .iter()
                    .map(|x| self.labelled(&x.v, m.title_label(&x.v, en)))
                    .collect();
                vec![text_of(&d.matter), delegate]
            })
            .collect();
        tables.extend(self.table("delegations", &["matter", "delegate"], rows));
        let cols = ["name", "category", "status"];
        let owned = self.owned.get(id).cloned().unwrap_or_default();
        tables.extend(self.table("owned", &cols, self.system_rows(owned)));
        let mut used = self.used.get(id).cloned().unwrap_or_default();
        used.extend(&self.used_by_all);
        tables.extend(self.table("used", &cols, self.system_rows(used)));
        let rows = self
            .controlled
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|i| self.ix.behandlingar.get(*i))
            .map(|b| vec![vec![self.link(&b.head.id.v)], self.links(&b.systems)])
            .collect();
        tables.extend(self.table("behandlingar", &["name", "systems"], rows));
        self.page(
            "namnd",
            &n.head,
            facts.into_iter().flatten().collect(),
            tables,
        )
    }

    pub fn person(&self, p: &Person) -> Page {
        let en = self.en();
        let m = &self.run.model;
        let id = p.head.id.v.as_str();
        let namnd = self.ix.namnd_of_person(p).map(|n| self.link(&n.head.id.v));
        let facts = [
            self.fact(
                "title",
                p.title
                    .iter()
                    .map(|t| Link::text(m.title_label(&t.v, en)))
                    .collect(),
            ),
            self.fact("k_namnd", namnd.into_iter().collect()),
            self.fact("forvaltning", text_of(&p.forvaltning)),
            self.fact("unit", text_of(&p.unit)),
            self.fact("left_on", date(&p.left_on)),
        ];
        let mut rows: Vec<Vec<Cell>> = self
            .ix
            .roles_held(id)
            .into_iter()
            .filter_map(|(si, role)| {
                let s = self.ix.systems.get(si)?;
                Some(vec![
                    vec![self.link(&s.head.id.v)],
                    vec![Link::text(m.role_label(role, en))],
                ])
            })
            .collect();
        rows.extend(
            self.namnd_roles
                .get(id)
                .into_iter()
                .flatten()
                .filter_map(|(ni, role)| {
                    let n = self.ix.namnder.get(*ni)?;
                    Some(vec![
                        vec![self.link(&n.head.id.v)],
                        vec![Link::text(m.role_label(role, en))],
                    ])
                }),
        );
        let mut tables: Vec<Table> = Vec::new();
        tables.extend(self.table("roles_held", &["name", "role"], rows));
        self.page(
            "person",
            &p.head,
            facts.into_iter().flatten().collect(),
            tables,
        )
    }

    pub fn avtal(&self, a: &Avtal) -> Page {
        let en = self.en();
        let m = &self.run.model;
        // a body of the model (IT-styrgruppen) or an entity
        let body = |x: &Option<SpStr>| -> Cell {
            x.iter()
                .map(|b| self.labelled(&b.v, m.body_label(&b.v, en)))
                .collect()
        };
        let facts = [
            self.fact(
                "type",
                a.typ
                    .iter()
                    .map(|t| Link::text(m.avtal_type_label(&t.v, en)))
                    .collect(),
            ),
            self.fact("systems", self.links(&a.systems)),
            self.fact(
                "counterparty",
                a.counterparty
                    .iter()
                    .map(|c| Link::text(c.clone()))
                    .collect(),
            ),
            self.fact("controllers", self.namnd_set(a.controllers.as_deref())),
            self.fact("from", body(&a.from)),
            self.fact("to", body(&a.to)),
            self.fact("scope", text_of(&a.scope)),
            self.fact("decided_by", body(&a.decided_by)),
            self.fact("signed_by", body(&a.signed_by)),
            self.fact("signed_on", date(&a.signed_on)),
            self.fact("valid_from", date(&a.valid_from)),
            self.fact("valid_until", date(&a.valid_until)),
        ];
        self.page(
            "avtal",
            &a.head,
            facts.into_iter().flatten().collect(),
            Vec::new(),
        )
    }

    pub fn behandling(&self, b: &Behandling) -> Page {
        let facts = [
            self.fact("controller", self.opt_link(&b.controller)),
            self.fact("joint_with", self.links(&b.joint_with)),
        ];
        let rows = b
            .systems
            .iter()
            .map(|s| vec![vec![self.link(&s.v)]])
            .collect();
        let mut tables: Vec<Table> = Vec::new();
        tables.extend(self.table("systems", &["name"], rows));
        self.page(
            "behandling",
            &b.head,
            facts.into_iter().flatten().collect(),
            tables,
        )
    }
}
