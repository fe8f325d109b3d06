//! Indices built once per run, so that no rule scans the catalog per
//! entity: every lookup below is O(1) expected, and building them is
//! O(entities + references).

use std::collections::hash_map::Entry;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;

use super::entity::*;
use super::Catalog;

/// Which entity an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ref {
    Namnd(usize),
    Person(usize),
    System(usize),
    Avtal(usize),
    Behandling(usize),
}

#[derive(Default)]
pub struct Index<'a> {
    pub namnder: Vec<&'a Namnd>,
    pub persons: Vec<&'a Person>,
    pub systems: Vec<&'a System>,
    pub avtal: Vec<&'a Avtal>,
    pub behandlingar: Vec<&'a Behandling>,
    /// Entity index (into `Catalog::entities`) of each of the above, per kind.
    pub system_entity: Vec<usize>,
    pub avtal_entity: Vec<usize>,
    pub namnd_entity: Vec<usize>,
    pub person_entity: Vec<usize>,
    pub behandling_entity: Vec<usize>,
    /// id → entity (the first one, when ids are duplicated).
    pub by_id: HashMap<&'a str, Ref>,
    /// Each entity whose id an earlier entity already has: (its index in
    /// `Catalog::entities`, the earlier one), in catalog order.
    pub duplicate_ids: Vec<(usize, Ref)>,
    /// förvaltning id → nämnd.
    pub forvaltning: HashMap<&'a str, usize>,
    /// Each nämnd whose förvaltning id an earlier nämnd's förvaltning
    /// already has: (the nämnd, the earlier one).
    pub duplicate_forvaltningar: Vec<(usize, usize)>,
    /// system id → agreements listing it.
    pub avtal_by_system: HashMap<&'a str, Vec<usize>>,
    /// system id → behandlingar listing it.
    pub behandlingar_by_system: HashMap<&'a str, Vec<usize>>,
    /// system id → plans of other systems that `covers` it: (system, plan).
    pub plans_covering: HashMap<&'a str, Vec<(usize, usize)>>,
    /// person id → roles held: (system, role name). Built on first use
    /// ([`Index::roles_held`]): no rule reads it, and at 100,000 systems it
    /// cost a third of the index.
    /// Keys owned and values as indices (system, role), so the cell holds
    /// no borrow and the index stays covariant in `'a`.
    roles_by_person: OnceLock<HashMap<compact_str::CompactString, Vec<(usize, usize)>>>,
}

impl<'a> Index<'a> {
    pub fn build(cat: &'a Catalog) -> Index<'a> {
        let mut ix = Index::default();
        // Reserved to size: growing these tables re-hashes every entry
        // again, a pass of cache misses each time at 400,000 entities.
        let (mut systems, mut avtal, mut persons, mut behandlingar) = (0, 0, 0, 0);
        for e in &cat.entities {
            match e {
                Entity::System(_) => systems += 1,
                Entity::Avtal(_) => avtal += 1,
                Entity::Person(_) => persons += 1,
                Entity::Behandling(_) => behandlingar += 1,
                Entity::Namnd(_) => {}
            }
        }
        ix.by_id.reserve(cat.entities.len());
        ix.systems.reserve(systems);
        ix.system_entity.reserve(systems);
        ix.avtal.reserve(avtal);
        ix.avtal_entity.reserve(avtal);
        ix.persons.reserve(persons);
        ix.person_entity.reserve(persons);
        ix.behandlingar.reserve(behandlingar);
        ix.behandling_entity.reserve(behandlingar);
        ix.avtal_by_system.reserve(systems);
        ix.behandlingar_by_system.reserve(systems);
        for (ei, e) in cat.entities.iter().enumerate() {
            let r = match e {
                Entity::Namnd(n) => {
                    ix.namnder.push(n);
                    ix.namnd_entity.push(ei);
                    Ref::Namnd(ix.namnder.len() - 1)
                }
                Entity::Person(p) => {
                    ix.persons.push(p);
                    ix.person_entity.push(ei);
                    Ref::Person(ix.persons.len() - 1)
                }
                Entity::System(s) => {
                    ix.systems.push(s);
                    ix.system_entity.push(ei);
                    Ref::System(ix.systems.len() - 1)
                }
                Entity::Avtal(a) => {
                    ix.avtal.push(a);
                    ix.avtal_entity.push(ei);
                    Ref::Avtal(ix.avtal.len() - 1)
                }
                Entity::Behandling(b) => {
                    ix.behandlingar.push(b);
                    ix.behandling_entity.push(ei);
                    Ref::Behandling(ix.behandlingar.len() - 1)
                }
            };
            match ix.by_id.entry(e.head().id.v.as_str()) {
                Entry::Occupied(first) => ix.duplicate_ids.push((ei, *first.get())),
                Entry::Vacant(v) => {
                    v.insert(r);
                }
            }
        }
        for (i, n) in ix.namnder.iter().enumerate() {
            if let Some(f) = &n.forvaltning {
                match ix.forvaltning.entry(f.id.v.as_str()) {
                    Entry::Occupied(first) => ix.duplicate_forvaltningar.push((i, *first.get())),
                    Entry::Vacant(v) => {
                        v.insert(i);
                    }
                }
            }
        }
        for (i, a) in ix.avtal.iter().enumerate() {
            for s in &a.systems {
                ix.avtal_by_system.entry(s.v.as_str()).or_default().push(i);
            }
        }
        for (i, b) in ix.behandlingar.iter().enumerate() {
            for s in &b.systems {
                ix.behandlingar_by_system
                    .entry(s.v.as_str())
                    .or_default()
                    .push(i);
            }
        }
        for (si, s) in ix.systems.iter().enumerate() {
            for (pi, p) in s.plans.iter().enumerate() {
                for c in &p.covers {
                    ix.plans_covering
                        .entry(c.v.as_str())
                        .or_default()
                        .push((si, pi));
                }
            }
        }
        ix
    }

    /// What every entity has, of the entity a [`Ref`] names.
    pub fn head(&self, r: Ref) -> Option<&'a Head> {
        match r {
            Ref::Namnd(i) => self.namnder.get(i).map(|x| &x.head),
            Ref::Person(i) => self.persons.get(i).map(|x| &x.head),
            Ref::System(i) => self.systems.get(i).map(|x| &x.head),
            Ref::Avtal(i) => self.avtal.get(i).map(|x| &x.head),
            Ref::Behandling(i) => self.behandlingar.get(i).map(|x| &x.head),
        }
    }

    /// The system roles a person (or nämnd) holds: (system, role name).
    pub fn roles_held(&self, holder: &str) -> Vec<(usize, &'a str)> {
        let by_holder = self.roles_by_person.get_or_init(|| {
            let mut m: HashMap<compact_str::CompactString, Vec<(usize, usize)>> =
                HashMap::default();
            for (si, s) in self.systems.iter().enumerate() {
                for (ri, r) in s.roles.iter().enumerate() {
                    for h in &r.holders {
                        m.entry(h.v.clone()).or_default().push((si, ri));
                    }
                }
            }
            m
        });
        by_holder
            .get(holder)
            .into_iter()
            .flatten()
            .filter_map(|&(si, ri)| {
                let s = self.systems.get(si)?;
                Some((si, s.roles.get(ri)?.name.v.as_str()))
            })
            .collect()
    }

    pub fn person(&self, id: &str) -> Option<&'a Person> {
        match self.by_id.get(id) {
            Some(Ref::Person(i)) => self.persons.get(*i).copied(),
            _ => None,
        }
    }

    pub fn namnd(&self, id: &str) -> Option<&'a Namnd> {
        match self.by_id.get(id) {
            Some(Ref::Namnd(i)) => self.namnder.get(*i).copied(),
            _ => None,
        }
    }

    pub fn system(&self, id: &str) -> Option<&'a System> {
        match self.by_id.get(id) {
            Some(Ref::System(i)) => self.systems.get(*i).copied(),
            _ => None,
        }
    }

    /// The nämnd whose förvaltning employs `person`.
    pub fn namnd_of_person(&self, person: &Person) -> Option<&'a Namnd> {
        let f = person.forvaltning.as_ref()?;
        self.forvaltning
            .get(f.v.as_str())
            .and_then(|i| self.namnder.get(*i).copied())
    }

    /// The owner nämnd of a system: the nämnd whose förvaltning employs the
    /// holder of `owner_role` (catalog.md, "kind: system").
    pub fn owner_namnd(&self, system: &System, owner_role: &str) -> Option<&'a Namnd> {
        let holder = system.holders(owner_role).next()?;
        let p = self.person(&holder.v)?;
        self.namnd_of_person(p)
    }

    /// Agreements listing the system.
    pub fn agreements(&self, system: &str) -> impl Iterator<Item = &'a Avtal> + '_ {
        self.avtal_by_system
            .get(system)
            .into_iter()
            .flatten()
            .filter_map(|i| self.avtal.get(*i).copied())
    }

    /// The ids of the nämnder a `used-by`/`controllers` set stands for.
    pub fn namnd_ids<'s>(&'s self, set: &'s NamndSet) -> Vec<&'s str> {
        match set {
            NamndSet::All => self.namnder.iter().map(|n| n.head.id.v.as_str()).collect(),
            NamndSet::List(l) => l.iter().map(|n| n.v.as_str()).collect(),
        }
    }
}
