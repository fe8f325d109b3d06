//! "Did you mean …?" — the closest known name to a misspelt one.

/// The candidate closest to `word` by edit distance, if it is close enough
/// to be a plausible typo (at most a third of the word's length, min 1;
/// candidates whose length differs by more than that are skipped cheaply).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let len = word.chars().count();
    let limit = (len / 3).max(1);
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

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_not_strangers() {
        let names = ["sara-lind", "per-holm", "omar-haddad"];
        assert_eq!(closest("sara-lnid", names).as_deref(), Some("sara-lind"));
        assert_eq!(closest("per-hol", names).as_deref(), Some("per-holm"));
        assert_eq!(closest("xyz", names), None);
    }
}
