//! Indices built once per run, so that no rule scans the catalog per
//! entity: every lookup below is O(1) expected, and building them is
//! O(entities + references).

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
    /// förvaltning id → nämnd.
    pub forvaltning: HashMap<&'a str, usize>,
    /// system id → agreements listing it.
    pub avtal_by_system: HashMap<&'a str, Vec<usize>>,
    /// system id → behandlingar listing it.
    pub behandlingar_by_system: HashMap<&'a str, Vec<usize>>,
    /// system id → plans of other systems that `covers` it: (system, plan).
    pub plans_covering: HashMap<&'a str, Vec<(usize, usize)>>,
    /// person id → roles held: (system, role name).
    pub roles_by_person: HashMap<&'a str, Vec<(usize, &'a str)>>,
}

impl<'a> Index<'a> {
    pub fn build(cat: &'a Catalog) -> Index<'a> {
        let mut ix = Index::default();
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
            ix.by_id.entry(e.head().id.v.as_str()).or_insert(r);
        }
        for (i, n) in ix.namnder.iter().enumerate() {
            if let Some(f) = &n.forvaltning {
                ix.forvaltning.entry(f.id.v.as_str()).or_insert(i);
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
            for r in &s.roles {
                for h in &r.holders {
                    ix.roles_by_person
                        .entry(h.v.as_str())
                        .or_default()
                        .push((si, r.name.v.as_str()));
                }
            }
        }
        ix
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
