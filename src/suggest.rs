//! "Did you mean …?" — the closest known name to a misspelt one.

use std::hash::BuildHasher;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a plausible typo (at most a third of the word's length, 1 to 3;
/// candidates whose length differs by more than that are skipped cheaply).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let len = word.chars().count();
    let limit = (len / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let clen = c.chars().count();
        if clen.abs_diff(len) > limit {
            continue;
        }
        let d = strsim::osa_distance(word, c);
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Suggestions over a large pool of names (all persons or systems of a
/// region), with the same answer as [`closest`] over all of them but
/// without an edit distance against every name:
///
/// 1. A name one edit away (the usual typo) is found by generating every
///    string one edit from the query — deletions, adjacent transpositions,
///    and substitutions and insertions of the characters the names use —
///    and looking each up in a set: O(length × alphabet) per query,
///    independent of the number of names. If there is one, the answer is
///    the smallest such name (nothing is closer).
/// 2. Otherwise (two or three edits, or no close name at all) an inverted
///    index of byte bigrams narrows the query to the names that share
///    enough bigrams to be within the edit limit and whose length is
///    within it; counting uses a dense array, not a hash map.
///
/// The set and the bigram index are built on first use, so a catalog
/// without unknown references pays nothing for them.
pub struct Suggester<'a> {
    words: Vec<&'a str>,
    fast: OnceLock<Fast<'a>>,
    grams: OnceLock<Grams>,
}

/// Step 1: the names as a set, and the characters they use.
struct Fast<'a> {
    set: FxHashSet<&'a str>,
    bloom: Bloom,
    /// Sorted, distinct; empty when too many to enumerate (then step 1 is
    /// skipped).
    alphabet: Vec<char>,
}

/// Step 2: bigram → indices of the names containing it; each name's length
/// in characters.
struct Grams {
    lists: FxHashMap<[u8; 2], Vec<u32>>,
    lens: Vec<u32>,
}

/// Pools smaller than this are scanned directly.
const INDEX_FROM: usize = 256;

/// Alphabets larger than this skip the one-edit enumeration.
const MAX_ALPHABET: usize = 256;

impl<'a> Suggester<'a> {
    pub fn new(words: Vec<&'a str>) -> Self {
        Suggester {
            words,
            fast: OnceLock::new(),
            grams: OnceLock::new(),
        }
    }

    fn fast(&self) -> &Fast<'a> {
        self.fast.get_or_init(|| {
            let set: FxHashSet<&str> = self.words.iter().copied().collect();
            // Distinct characters: ASCII in a bitmap, the rest in a set —
            // not a sort of every character of every name (3 million at
            // 100,000 systems).
            let mut ascii = [false; 128];
            let mut other: FxHashSet<char> = FxHashSet::default();
            for c in set.iter().flat_map(|w| w.chars()) {
                match ascii.get_mut(c as usize) {
                    Some(seen) => *seen = true,
                    None => {
                        other.insert(c);
                    }
                }
            }
            let mut alphabet: Vec<char> = (0u8..128)
                .filter(|&b| ascii.get(b as usize).copied().unwrap_or(false))
                .map(char::from)
                .chain(other)
                .collect();
            alphabet.sort_unstable();
            if alphabet.len() > MAX_ALPHABET {
                alphabet.clear();
            }
            let bloom = Bloom::new(set.iter().copied());
            Fast {
                set,
                bloom,
                alphabet,
            }
        })
    }

    fn grams(&self) -> &Grams {
        self.grams.get_or_init(|| {
            let mut lists: FxHashMap<[u8; 2], Vec<u32>> = FxHashMap::default();
            let mut lens = Vec::with_capacity(self.words.len());
            let mut seen: Vec<[u8; 2]> = Vec::new();
            for (i, w) in self.words.iter().enumerate() {
                lens.push(u32::try_from(w.chars().count()).unwrap_or(u32::MAX));
                seen.clear();
                seen.extend(bigrams(w));
                seen.sort_unstable();
                seen.dedup();
                for g in &seen {
                    lists.entry(*g).or_default().push(i as u32);
                }
            }
            Grams { lists, lens }
        })
    }

    /// The same answer as [`closest`] over all the words.
    pub fn closest(&self, word: &str) -> Option<String> {
        if self.words.len() < INDEX_FROM {
            return closest(word, self.words.iter().copied());
        }
        let fast = self.fast();
        if !fast.alphabet.is_empty() {
            if let Some(hit) = one_edit(word, fast) {
                return Some(hit.to_string());
            }
        }
        let len = word.chars().count();
        let limit = (len / 3).clamp(1, 3);
        if limit == 1 && !fast.alphabet.is_empty() {
            // Nothing one edit away, and one edit is all that is allowed.
            return None;
        }
        let mut query: Vec<[u8; 2]> = bigrams(word).collect();
        query.sort_unstable();
        query.dedup();
        // One edit changes at most two bigrams, a transposition three.
        let need = query.len().saturating_sub(3 * limit);
        if need == 0 {
            return closest(word, self.words.iter().copied());
        }
        let grams = self.grams();
        let need = u8::try_from(need).unwrap_or(u8::MAX);
        let mut counts = vec![0u8; self.words.len()];
        let mut hits: Vec<u32> = Vec::new();
        for g in &query {
            for &i in grams.lists.get(g).into_iter().flatten() {
                let Some(c) = counts.get_mut(i as usize) else {
                    continue;
                };
                *c = c.saturating_add(1);
                if *c == need {
                    hits.push(i);
                }
            }
        }
        hits.sort_unstable();
        closest(
            word,
            hits.iter()
                .filter(|&&i| {
                    grams
                        .lens
                        .get(i as usize)
                        .is_some_and(|&l| (l as usize).abs_diff(len) <= limit)
                })
                .filter_map(|&i| self.words.get(i as usize).copied()),
        )
    }
}

/// The smallest name at edit distance exactly 1 from `word`, if any.
fn one_edit<'a>(word: &str, fast: &Fast<'a>) -> Option<&'a str> {
    let mut best: Option<&'a str> = None;
    let mut buf = String::with_capacity(word.len() + 4);
    let mut consider = |buf: &str| {
        if buf == word || !fast.bloom.may_contain(buf) {
            return;
        }
        if let Some(&w) = fast.set.get(buf) {
            if best.is_none_or(|b| w < b) {
                best = Some(w);
            }
        }
    };
    let parts = |buf: &mut String, pieces: &[&str]| {
        buf.clear();
        for p in pieces {
            buf.push_str(p);
        }
    };
    let mut utf8 = [0u8; 4];
    let bounds = word.char_indices().map(|(i, _)| i).chain([word.len()]);
    for at in bounds {
        let (Some(head), Some(tail)) = (word.get(..at), word.get(at..)) else {
            continue;
        };
        // Insertions before the character at `at`.
        for &c in &fast.alphabet {
            parts(&mut buf, &[head, c.encode_utf8(&mut utf8), tail]);
            consider(&buf);
        }
        let mut rest = tail.chars();
        let Some(here) = rest.next() else { continue };
        let after = rest.as_str();
        // Deletion of it.
        parts(&mut buf, &[head, after]);
        consider(&buf);
        // Substitutions of it.
        for &c in &fast.alphabet {
            if c != here {
                parts(&mut buf, &[head, c.encode_utf8(&mut utf8), after]);
                consider(&buf);
            }
        }
        // Transposition with the next one.
        let mut rest = after.chars();
        if let Some(next) = rest.next() {
            if next != here {
                buf.clear();
                buf.push_str(head);
                buf.push(next);
                buf.push(here);
                buf.push_str(rest.as_str());
                consider(&buf);
            }
        }
    }
    best
}

/// A Bloom filter over the names: about 2 bytes per name, so it stays in
/// the cache while one query tries a few thousand strings one edit away,
/// and only the rare string that passes it is looked up in the set.
struct Bloom {
    bits: Vec<u64>,
    mask: u64,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Bloom {
    fn new<'w>(words: impl ExactSizeIterator<Item = &'w str>) -> Bloom {
        let nbits = (words.len().max(64) * 16).next_power_of_two();
        let mut b = Bloom {
            bits: vec![0; nbits / 64],
            mask: nbits as u64 - 1,
            hasher: hashbrown::DefaultHashBuilder::default(),
        };
        for w in words {
            for bit in b.positions(w) {
                if let Some(x) = b.bits.get_mut((bit / 64) as usize) {
                    *x |= 1 << (bit % 64);
                }
            }
        }
        b
    }

    fn positions(&self, w: &str) -> [u64; 3] {
        let h = self.hasher.hash_one(w);
        [h, h.rotate_left(21), h.rotate_left(42)].map(|x| x & self.mask)
    }

    fn may_contain(&self, w: &str) -> bool {
        self.positions(w).iter().all(|&bit| {
            self.bits
                .get((bit / 64) as usize)
                .is_some_and(|x| x & (1 << (bit % 64)) != 0)
        })
    }
}

fn bigrams(w: &str) -> impl Iterator<Item = [u8; 2]> + '_ {
    let b = w.as_bytes();
    b.iter().zip(b.iter().skip(1)).map(|(x, y)| [*x, *y])
}

#[cfg(test)]
mod tests {
    use super::{closest, Suggester};

    #[test]
    fn finds_typos_not_strangers() {
        let names = ["sara-lind", "per-holm", "omar-haddad"];
        assert_eq!(closest("sara-lnid", names).as_deref(), Some("sara-lind"));
        assert_eq!(closest("per-hol", names).as_deref(), Some("per-holm"));
        assert_eq!(closest("xyz", names), None);
    }

    #[test]
    fn the_index_agrees_with_the_scan() {
        let names: Vec<String> = (0..2000)
            .map(|i| format!("person-{}-{}", ["anna", "bo", "carl", "dora"][i % 4], i))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let s = Suggester::new(refs.clone());
        for q in [
            "person-anna-1200",
            "persn-bo-1201",
            "person-carl-12o2",
            "xyz",
            "person-dora-99",
        ] {
            assert_eq!(s.closest(q), closest(q, refs.iter().copied()), "{q}");
        }
        assert_eq!(
            s.closest("persn-bo-1201").as_deref(),
            Some("person-bo-1201")
        );
    }

    /// Step 1 (one edit) and step 2 (bigrams) against the plain scan, on a
    /// pool large enough for both, with every kind of typo and names
    /// outside ASCII.
    #[test]
    fn one_edit_and_bigrams_agree_with_the_scan() {
        let first = ["anna", "bo", "carl", "dora", "örjan", "åsa"];
        let last = ["lind", "holm", "ek", "sjöberg", "haddad"];
        let names: Vec<String> = (0..3000)
            .map(|i| {
                let base = format!("{}-{}", first[i % 6], last[(i / 6) % 5]);
                if i < 30 {
                    base
                } else {
                    format!("{base}-{}", i / 30)
                }
            })
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let s = Suggester::new(refs.clone());
        let mut queries: Vec<String> = Vec::new();
        for n in names.iter().step_by(89) {
            let c: Vec<char> = n.chars().collect();
            for i in 0..c.len() {
                let mut del = c.clone();
                del.remove(i);
                queries.push(del.iter().collect());
                let mut sub = c.clone();
                sub[i] = 'x';
                queries.push(sub.iter().collect());
                let mut ins = c.clone();
                ins.insert(i, 'ä');
                queries.push(ins.iter().collect());
                if i + 1 < c.len() {
                    let mut tr = c.clone();
                    tr.swap(i, i + 1);
                    queries.push(tr.iter().collect());
                }
                if i + 2 < c.len() {
                    let mut two = c.clone();
                    two.remove(i);
                    two.remove(i);
                    queries.push(two.iter().collect());
                    let mut three = two.clone();
                    three.remove(i.min(three.len() - 1));
                    queries.push(three.iter().collect());
                }
            }
            queries.push(n.clone());
        }
        queries.extend(["", "a", "xyz", "qqqqqqqqqqqqqqqqq", "anna-lind-"].map(String::from));
        for q in &queries {
            assert_eq!(s.closest(q), closest(q, refs.iter().copied()), "{q}");
        }
    }
}
