//! Indices built once per run, so that no rule scans the catalog per
//! entity: every lookup below is O(1) expected, and building them is
//! O(entities + references).

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;
use std::sync::OnceLock;

use hashbrown::{DefaultHashBuilder, HashTable};
use rayon::prelude::*;
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
    pub by_id: Ids,
    /// The persons, nämnder and systems of `by_id`, each kind in a table of
    /// its own: the lookups rules make most (a role's holder, an
    /// agreement's system) probe a table the size of that kind, which at
    /// 100,000 systems stays in the cache where the table of every id
    /// (400,000, most of them agreements) does not.
    person_ids: Ids,
    namnd_ids: Ids,
    system_ids: Ids,
    /// Each entity whose id an earlier entity already has: (its index in
    /// `Catalog::entities`, the earlier one), in catalog order.
    pub duplicate_ids: Vec<(usize, Ref)>,
    /// förvaltning id → nämnd.
    pub forvaltning: HashMap<&'a str, usize>,
    /// Each nämnd whose förvaltning id an earlier nämnd's förvaltning
    /// already has: (the nämnd, the earlier one).
    pub duplicate_forvaltningar: Vec<(usize, usize)>,
    /// system → agreements listing its id.
    avtal_by_system: Multi<usize>,
    /// system → behandlingar listing its id.
    behandlingar_by_system: Multi<usize>,
    /// system → plans of other systems that `covers` its id: (system, plan).
    plans_covering: Multi<(usize, usize)>,
    /// person id → roles held: (system, role name). Built on first use
    /// ([`Index::roles_held`]): no rule reads it, and at 100,000 systems it
    /// cost a third of the index.
    /// Keys owned and values as indices (system, role), so the cell holds
    /// no borrow and the index stays covariant in `'a`.
    roles_by_person: OnceLock<HashMap<compact_str::CompactString, Vec<(usize, usize)>>>,
}

/// Entity ids, interned and laid out for lookups at scale. Each distinct
/// id is one record in a byte arena — what it names (4 bytes), its length
/// (4 bytes), then its bytes — and the hash table holds only the records'
/// offsets (4 bytes each): a lookup reads the table and then one record,
/// where the id to compare and the answer sit together, instead of a list
/// of pointers, the id inside its entity (a cache miss once the entities
/// no longer fit the cache) and a list of answers. Keyed with a seeded hash
/// (foldhash), so ids chosen to collide cannot make lookups quadratic; the
/// hashes of the entities' ids are computed in parallel ([`Index::build`]).
#[derive(Default)]
pub struct Ids {
    /// The records, in order of first appearance.
    arena: Vec<u8>,
    /// Number of records.
    count: usize,
    /// Offsets of records in `arena`, keyed by the hash of the id.
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

/// Bytes before a record's id: what it names, and its length.
const HEADER: usize = 8;

impl Ref {
    /// Kind in the top 3 bits, position in the low 29 (a catalog holds at
    /// most [`crate::load::walk::MAX_FILES`] entities, well below 2^29).
    fn pack(self) -> Option<u32> {
        let (kind, i) = match self {
            Ref::Namnd(i) => (0, i),
            Ref::Person(i) => (1, i),
            Ref::System(i) => (2, i),
            Ref::Avtal(i) => (3, i),
            Ref::Behandling(i) => (4, i),
        };
        let i = u32::try_from(i).ok().filter(|i| *i < 1 << 29)?;
        Some(kind << 29 | i)
    }

    fn unpack(x: u32) -> Option<Ref> {
        let i = (x & ((1 << 29) - 1)) as usize;
        Some(match x >> 29 {
            0 => Ref::Namnd(i),
            1 => Ref::Person(i),
            2 => Ref::System(i),
            3 => Ref::Avtal(i),
            4 => Ref::Behandling(i),
            _ => return None,
        })
    }
}

impl Ids {
    /// An empty table keyed with the same hash as `self`, so a hash
    /// computed for one serves both.
    fn sibling(&self) -> Ids {
        Ids {
            hasher: self.hasher.clone(),
            ..Ids::default()
        }
    }

    /// Room for `n` ids of `bytes` bytes in all.
    fn reserve(&mut self, n: usize, bytes: usize) {
        self.arena
            .reserve(n.saturating_mul(HEADER).saturating_add(bytes));
        self.table.reserve(n, |_| 0);
    }

    fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
    }

    /// The record at `at`: what it names, and its id's bytes.
    fn record(arena: &[u8], at: u32) -> Option<(u32, &[u8])> {
        let at = at as usize;
        let word = |i: usize| {
            let b = arena.get(at + i..at + i + 4)?;
            Some(u32::from_le_bytes(<[u8; 4]>::try_from(b).ok()?))
        };
        let (what, len) = (word(0)?, word(4)? as usize);
        Some((what, arena.get(at + HEADER..at + HEADER + len)?))
    }

    fn find(&self, hash: u64, id: &str) -> Option<u32> {
        let arena = &self.arena;
        self.table
            .find(hash, |&at| {
                Self::record(arena, at).is_some_and(|(_, b)| b == id.as_bytes())
            })
            .copied()
    }

    /// Records `id` (whose [`Ids::hash`] is `hash`) → `r`; if the id is
    /// taken, what it names already.
    fn insert(&mut self, hash: u64, id: &str, r: Ref) -> Option<Ref> {
        if let Some(at) = self.find(hash, id) {
            return Self::record(&self.arena, at).and_then(|(x, _)| Ref::unpack(x));
        }
        self.insert_new(hash, id, r);
        None
    }

    /// Records `id`, which the table does not have yet.
    fn insert_new(&mut self, hash: u64, id: &str, r: Ref) {
        // Past 4 GB of ids, or 2^29 entities of a kind: not reachable (the
        // walk stops at a million files); such an id stays unknown.
        let end = self
            .arena
            .len()
            .saturating_add(HEADER)
            .saturating_add(id.len());
        let (Ok(at), Ok(len), Some(packed), Ok(_)) = (
            u32::try_from(self.arena.len()),
            u32::try_from(id.len()),
            r.pack(),
            u32::try_from(end),
        ) else {
            return;
        };
        self.count += 1;
        self.arena.extend_from_slice(&packed.to_le_bytes());
        self.arena.extend_from_slice(&len.to_le_bytes());
        self.arena.extend_from_slice(id.as_bytes());
        let (arena, hasher) = (&self.arena, &self.hasher);
        self.table.insert_unique(hash, at, |&j| {
            Self::record(arena, j).map_or(0, |(_, b)| {
                hasher.hash_one(std::str::from_utf8(b).unwrap_or_default())
            })
        });
    }

    /// The entity `id` names (the first one, when ids are duplicated).
    pub fn get(&self, id: &str) -> Option<Ref> {
        let at = self.find(self.hash(id), id)?;
        Self::record(&self.arena, at).and_then(|(x, _)| Ref::unpack(x))
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.find(self.hash(id), id).is_some()
    }

    /// Each distinct id and what it names, in catalog order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Ref)> + '_ {
        let mut at = 0usize;
        std::iter::from_fn(move || {
            let (x, bytes) = Self::record(&self.arena, u32::try_from(at).ok()?)?;
            at = at.saturating_add(HEADER).saturating_add(bytes.len());
            Some((std::str::from_utf8(bytes).ok()?, Ref::unpack(x)?))
        })
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// A one-to-many table over keys `0..n`, in one allocation (compressed
/// rows): the values of key `k` are `values[starts[k]..starts[k + 1]]`, in
/// the order they were given.
pub struct Multi<T> {
    starts: Vec<u32>,
    values: Vec<T>,
}

impl<T> Default for Multi<T> {
    fn default() -> Self {
        Multi {
            starts: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T: Copy + Default> Multi<T> {
    /// From (key, value) pairs; pairs whose key is `n` or more are dropped.
    pub fn build(n: usize, pairs: &[(usize, T)]) -> Self {
        let mut starts = vec![0u32; n + 1];
        for &(k, _) in pairs {
            if let Some(c) = k.checked_add(1).and_then(|k| starts.get_mut(k)) {
                *c = c.saturating_add(1);
            }
        }
        let mut total = 0u32;
        for c in &mut starts {
            total = total.saturating_add(*c);
            *c = total;
        }
        let mut next = starts.clone();
        let mut values = vec![T::default(); total as usize];
        for &(k, v) in pairs {
            let Some(at) = next.get_mut(k) else { continue };
            if let Some(slot) = values.get_mut(*at as usize) {
                *slot = v;
            }
            *at = at.saturating_add(1);
        }
        Multi { starts, values }
    }

    /// The values of `key`, empty for a key out of range.
    pub fn get(&self, key: usize) -> &[T] {
        let end = key.checked_add(1).and_then(|k| self.starts.get(k));
        let (Some(&a), Some(&b)) = (self.starts.get(key), end) else {
            return &[];
        };
        self.values.get(a as usize..b as usize).unwrap_or(&[])
    }
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
        ix.person_ids = ix.by_id.sibling();
        ix.system_ids = ix.by_id.sibling();
        ix.namnd_ids = ix.by_id.sibling();
        ix.systems.reserve(systems);
        ix.system_entity.reserve(systems);
        ix.avtal.reserve(avtal);
        ix.avtal_entity.reserve(avtal);
        ix.persons.reserve(persons);
        ix.person_entity.reserve(persons);
        ix.behandlingar.reserve(behandlingar);
        ix.behandling_entity.reserve(behandlingar);
        // The one read of every entity's id, in parallel: at 400,000
        // entities each is a cache miss. Each chunk of entities gives its
        // ids' hashes and a copy of their bytes, which the loop below reads
        // in order (copying them into the id tables from the entities
        // would miss the cache again, one entity at a time).
        let chunks: Vec<(Vec<(u64, usize)>, String)> = cat
            .entities
            .par_chunks(1024)
            .map(|es| {
                let mut text = String::new();
                let meta = es
                    .iter()
                    .map(|e| {
                        let id = e.head().id.v.as_str();
                        text.push_str(id);
                        (ix.by_id.hash(id), text.len())
                    })
                    .collect();
                (meta, text)
            })
            .collect();
        let bytes: usize = chunks.iter().map(|(_, text)| text.len()).sum();
        let share = |n: usize| bytes / cat.entities.len().max(1) * n;
        ix.by_id.reserve(cat.entities.len(), bytes);
        ix.person_ids.reserve(persons, share(persons));
        ix.system_ids.reserve(systems, share(systems));
        let ids = chunks.iter().flat_map(|(meta, text)| {
            let mut start = 0;
            meta.iter().map(move |&(hash, end)| {
                let id = text.get(start..end).unwrap_or_default();
                start = end;
                (hash, id)
            })
        });
        for ((ei, e), (hash, id)) in cat.entities.iter().enumerate().zip(ids) {
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
            if let Some(first) = ix.by_id.insert(hash, id, r) {
                ix.duplicate_ids.push((ei, first));
            } else {
                let of_kind = match r {
                    Ref::Person(_) => Some(&mut ix.person_ids),
                    Ref::System(_) => Some(&mut ix.system_ids),
                    Ref::Namnd(_) => Some(&mut ix.namnd_ids),
                    Ref::Avtal(_) | Ref::Behandling(_) => None,
                };
                // A first id of `by_id`'s is new to its kind's table too.
                if let Some(t) = of_kind {
                    t.insert_new(hash, id, r);
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
        // Keyed by the system a reference names (the first, when system
        // ids are duplicated), so a query by that system's id gets exactly
        // the entries listing that id; references to anything else are
        // ref/unknown and no system's.
        let n = ix.systems.len();
        let system_of = |id: &str| match ix.system_ids.get(id) {
            Some(Ref::System(si)) => Some(si),
            _ => None,
        };
        // The references are looked up in parallel, then placed.
        let pairs: Vec<(usize, usize)> = ix
            .avtal
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, a)| {
                a.systems
                    .iter()
                    .filter_map(move |s| Some((system_of(&s.v)?, i)))
            })
            .collect();
        ix.avtal_by_system = Multi::build(n, &pairs);
        let pairs: Vec<(usize, usize)> = ix
            .behandlingar
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, b)| {
                b.systems
                    .iter()
                    .filter_map(move |s| Some((system_of(&s.v)?, i)))
            })
            .collect();
        ix.behandlingar_by_system = Multi::build(n, &pairs);
        let pairs: Vec<(usize, (usize, usize))> = ix
            .systems
            .par_iter()
            .enumerate()
            .flat_map_iter(|(si, s)| {
                s.plans.iter().enumerate().flat_map(move |(pi, p)| {
                    p.covers
                        .iter()
                        .filter_map(move |c| Some((system_of(&c.v)?, (si, pi))))
                })
            })
            .collect();
        ix.plans_covering = Multi::build(n, &pairs);
        ix
    }

    fn system_index(&self, id: &str) -> Option<usize> {
        match self.system_ids.get(id) {
            Some(Ref::System(si)) => Some(si),
            _ => None,
        }
    }

    /// Indices (into `behandlingar`) of the behandlingar listing a system.
    pub fn behandlingar_of(&self, system: &str) -> &[usize] {
        self.system_index(system)
            .map_or(&[], |si| self.behandlingar_by_system.get(si))
    }

    /// Plans of other systems that `covers` a system: (system, plan).
    pub fn plans_covering(&self, system: &str) -> &[(usize, usize)] {
        self.system_index(system)
            .map_or(&[], |si| self.plans_covering.get(si))
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
        match self.person_ids.get(id) {
            Some(Ref::Person(i)) => self.persons.get(i).copied(),
            _ => None,
        }
    }

    pub fn namnd(&self, id: &str) -> Option<&'a Namnd> {
        match self.namnd_ids.get(id) {
            Some(Ref::Namnd(i)) => self.namnder.get(i).copied(),
            _ => None,
        }
    }

    pub fn system(&self, id: &str) -> Option<&'a System> {
        match self.system_ids.get(id) {
            Some(Ref::System(i)) => self.systems.get(i).copied(),
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
        let listing = self
            .system_index(system)
            .map_or(&[][..], |si| self.avtal_by_system.get(si));
        listing.iter().filter_map(|i| self.avtal.get(*i).copied())
    }

    /// The ids of the nämnder a `used-by`/`controllers` set stands for.
    pub fn namnd_ids<'s>(&'s self, set: &'s NamndSet) -> Vec<&'s str> {
        match set {
            NamndSet::All => self.namnder.iter().map(|n| n.head.id.v.as_str()).collect(),
            NamndSet::List(l) => l.iter().map(|n| n.v.as_str()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Ids, Index, Multi, Ref};
    use crate::catalog::{Catalog, Entity};
    use crate::load::{self, SourceFile};

    /// A catalog of the given entity files, without schemas or disk.
    fn catalog(files: &[&str]) -> Catalog {
        let mut sources = Vec::new();
        let mut entities = Vec::new();
        for (i, text) in files.iter().enumerate() {
            let node = load::yaml::parse(text, load::Budget::default()).expect("yaml");
            let kind = node.get("kind").and_then(load::Node::as_str).expect("kind");
            entities.push(Entity::from_node(kind, &node, i).expect("entity"));
            sources.push(SourceFile::new(
                format!("{i}.yaml"),
                (*text).into(),
                Ok(node),
            ));
        }
        Catalog {
            failed_keys: vec![Vec::new(); entities.len()],
            files: sources,
            entities,
            set_aside: Default::default(),
        }
    }

    #[test]
    fn lookups_by_kind_answer_as_the_table_of_every_id() {
        // `anna` is a system first and a person second (a duplicate id):
        // `by_id` names the system, so `person("anna")` is no one, as it
        // was when every lookup went through `by_id`.
        let cat = catalog(&[
            "kind: system\nid: anna\nname: A\n",
            "kind: person\nid: anna\nname: Anna\n",
            "kind: person\nid: bo\nname: Bo\n",
            "kind: namnd\nid: ks\nname: KS\n",
            "kind: person\nid: ks\nname: Kalle\n",
            "kind: avtal\nid: lon\nname: Lön\nsystems: [anna]\n",
        ]);
        let ix = Index::build(&cat);
        assert_eq!(ix.by_id.get("anna"), Some(Ref::System(0)));
        assert!(ix.system("anna").is_some());
        assert!(ix.person("anna").is_none());
        assert_eq!(ix.person("bo").map(|p| p.head.id.v.as_str()), Some("bo"));
        assert!(ix.namnd("ks").is_some());
        assert!(ix.person("ks").is_none());
        assert!(ix.system("lon").is_none() && ix.namnd("bo").is_none());
        assert_eq!(
            ix.agreements("anna")
                .map(|a| a.head.id.v.as_str())
                .collect::<Vec<_>>(),
            ["lon"]
        );
        for id in ["anna", "bo", "ks", "lon", "okand"] {
            let by_id = ix.by_id.get(id);
            assert_eq!(
                ix.person(id).is_some(),
                matches!(by_id, Some(Ref::Person(_)))
            );
            assert_eq!(
                ix.system(id).is_some(),
                matches!(by_id, Some(Ref::System(_)))
            );
            assert_eq!(ix.namnd(id).is_some(), matches!(by_id, Some(Ref::Namnd(_))));
        }
    }

    #[test]
    fn multi_keeps_each_keys_values_in_order() {
        let pairs = [
            (2, 'a'),
            (0, 'b'),
            (2, 'c'),
            (9, 'x'),
            (usize::MAX, 'y'),
            (0, 'd'),
        ];
        let m = Multi::build(3, &pairs);
        assert_eq!(m.get(0), &['b', 'd']);
        assert_eq!(m.get(1), &[] as &[char]);
        assert_eq!(m.get(2), &['a', 'c']);
        assert_eq!(m.get(3), &[] as &[char]);
        assert_eq!(m.get(usize::MAX), &[] as &[char]);
    }

    #[test]
    fn ids_keep_the_first_entity_and_report_the_taken() {
        let mut ids = Ids::default();
        ids.reserve(4, 0);
        let mut add = |id: &'static str, r| ids.insert(ids.hash(id), id, r);
        assert_eq!(add("ekonomi", Ref::System(0)), None);
        assert_eq!(add("anna", Ref::Person(0)), None);
        assert_eq!(add("ekonomi", Ref::Namnd(0)), Some(Ref::System(0)));
        assert_eq!(ids.get("ekonomi"), Some(Ref::System(0)));
        assert_eq!(ids.get("anna"), Some(Ref::Person(0)));
        assert!(!ids.contains_key("ekonomi2"));
        assert_eq!(ids.len(), 2);
        // Many ids, past any resize.
        let names: Vec<String> = (0..10_000).map(|i| format!("s-{i}")).collect();
        let mut big = Ids::default();
        for (i, n) in names.iter().enumerate() {
            assert_eq!(big.insert(big.hash(n), n, Ref::System(i)), None);
        }
        assert!((0..10_000).all(|i| big.get(&format!("s-{i}")) == Some(Ref::System(i))));
        assert_eq!(big.get("s-10000"), None);
        // Listed in order, each once.
        let listed: Vec<_> = big.iter().map(|(id, _)| id.to_string()).collect();
        assert_eq!(listed, names);
        // What an id names survives its record's 4 bytes, for every kind.
        for r in [
            Ref::Namnd(0),
            Ref::Person(7),
            Ref::System((1 << 29) - 1),
            Ref::Avtal(3),
            Ref::Behandling(12),
        ] {
            assert_eq!(r.pack().and_then(Ref::unpack), Some(r));
        }
        assert_eq!(Ref::System(1 << 29).pack(), None);
        assert_eq!(Ref::unpack(7 << 29), None);
        // An id that is a prefix of another, and the empty id, are not it.
        let mut ids = Ids::default();
        ids.reserve(2, 0);
        assert_eq!(ids.insert(ids.hash("ab"), "ab", Ref::Person(1)), None);
        assert_eq!(ids.get("a"), None);
        assert_eq!(ids.get("abc"), None);
        assert_eq!(ids.get(""), None);
        assert_eq!(ids.insert(ids.hash(""), "", Ref::Person(2)), None);
        assert_eq!(ids.get(""), Some(Ref::Person(2)));
        assert_eq!(ids.get("ab"), Some(Ref::Person(1)));
    }
}
