//! "Did you mean …?" — the closest known name to a misspelt one.

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

/// Suggestions over a large pool of names (all persons of a region):
/// an inverted index of byte bigrams narrows each query to the names that
/// share enough bigrams to be within the edit limit, so a query costs
/// O(names sharing its bigrams), not an edit distance against every name.
/// Without it, n unknown references against n names is quadratic.
pub struct Suggester<'a> {
    words: Vec<&'a str>,
    grams: std::collections::HashMap<[u8; 2], Vec<u32>>,
}

/// Pools smaller than this are scanned directly.
const INDEX_FROM: usize = 256;

impl<'a> Suggester<'a> {
    pub fn new(words: Vec<&'a str>) -> Self {
        let mut grams: std::collections::HashMap<[u8; 2], Vec<u32>> = Default::default();
        if words.len() >= INDEX_FROM {
            for (i, w) in words.iter().enumerate() {
                let mut seen: Vec<[u8; 2]> = bigrams(w).collect();
                seen.sort_unstable();
                seen.dedup();
                for g in seen {
                    grams.entry(g).or_default().push(i as u32);
                }
            }
        }
        Suggester { words, grams }
    }

    /// The same answer as [`closest`] over all the words.
    pub fn closest(&self, word: &str) -> Option<String> {
        if self.words.len() < INDEX_FROM {
            return closest(word, self.words.iter().copied());
        }
        let limit = (word.chars().count() / 3).clamp(1, 3);
        let mut query: Vec<[u8; 2]> = bigrams(word).collect();
        query.sort_unstable();
        query.dedup();
        // One edit changes at most two bigrams, a transposition three.
        let need = query.len().saturating_sub(3 * limit);
        if need == 0 {
            return closest(word, self.words.iter().copied());
        }
        let mut counts: std::collections::HashMap<u32, usize> = Default::default();
        for g in &query {
            for &i in self.grams.get(g).into_iter().flatten() {
                *counts.entry(i).or_default() += 1;
            }
        }
        let mut hits: Vec<u32> = counts
            .into_iter()
            .filter(|&(_, c)| c >= need)
            .map(|(i, _)| i)
            .collect();
        hits.sort_unstable();
        closest(
            word,
            hits.iter()
                .filter_map(|&i| self.words.get(i as usize).copied()),
        )
    }
}

fn bigrams(w: &str) -> impl Iterator<Item = [u8; 2]> + '_ {
    w.as_bytes().windows(2).map(|p| [p[0], p[1]])
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
}
