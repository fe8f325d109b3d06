//! Output file names. Every page's name is derived from an entity id that
//! comes from the catalog, i.e. from a pull request: the mapping must never
//! leave the output directory, never collide, and be stable from run to
//! run (links and bookmarks survive a rebuild).
//!
//! An id of lower-case ASCII letters, digits and inner hyphens, at most
//! [`MAX_PLAIN`] bytes (what the catalog schema asks of an id), is its own
//! file name. Anything else becomes `_` + a readable, sanitised prefix +
//! `-` + 32 hex digits of the id's SHA-256: the `_` cannot begin a plain
//! name, so the two forms never meet, and the hash keeps different ids
//! apart (case-insensitive file systems included: upper case is never
//! plain).

use sha2::{Digest, Sha256};

/// Longest id used verbatim as a file name (well under every file
/// system's 255-byte limit, with room for `.html`).
pub const MAX_PLAIN: usize = 100;

/// Length of the readable prefix of a hashed name.
const PREFIX: usize = 40;

/// The kinds with pages, in the order the site lists them; each is also
/// the directory its pages are written to.
pub const KINDS: [&str; 5] = ["system", "namnd", "person", "avtal", "behandling"];

/// Whether `id` is used verbatim as a file name.
fn is_plain(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_PLAIN
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// The file stem of an entity's page (no directory, no extension).
pub fn stem(id: &str) -> String {
    if is_plain(id) {
        return id.to_string();
    }
    let readable: String = id
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '-'
            }
        })
        .take(PREFIX)
        .collect();
    let digest = Sha256::digest(id.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("_{}-{hex}", readable.trim_matches('-'))
}

/// The page of entity `id` of `kind`, relative to the site's root, with
/// `/` separators: `system/heroma.html`.
pub fn page(kind: &str, id: &str) -> String {
    format!("{kind}/{}.html", stem(id))
}

/// Page `n` (from 1) of the list of a kind's pages, in the site's root
/// (no entity page is there, so no id can collide with it):
/// `lista-system-2.html`.
pub fn list_page(kind: &str, n: usize) -> String {
    format!("lista-{kind}-{n}.html")
}

/// Whether `rel` is a path this module can produce (or one of the site's
/// fixed files): what a previous site's manifest may name for removal.
pub fn is_site_path(rel: &str) -> bool {
    if FIXED.contains(&rel) {
        return true;
    }
    if let Some(rest) = rel
        .strip_prefix("lista-")
        .and_then(|r| r.strip_suffix(".html"))
    {
        return rest.rsplit_once('-').is_some_and(|(kind, n)| {
            KINDS.contains(&kind)
                && !n.is_empty()
                && n.len() <= 9
                && n.bytes().all(|b| b.is_ascii_digit())
        });
    }
    let Some((dir, file)) = rel.split_once('/') else {
        return false;
    };
    let Some(stem) = file.strip_suffix(".html") else {
        return false;
    };
    KINDS.contains(&dir)
        && !stem.is_empty()
        && stem.len() <= MAX_PLAIN.max(PREFIX + 34)
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !stem.starts_with('-')
}

/// The files every site has, besides the entity pages.
pub const FIXED: [&str; 5] = [
    "index.html",
    "search.html",
    "search.json",
    "site.css",
    "site.js",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_their_own_names() {
        assert_eq!(page("system", "heroma"), "system/heroma.html");
        assert_eq!(stem("a-1"), "a-1");
        assert!(is_site_path("system/heroma.html"));
    }

    #[test]
    fn hostile_ids_stay_inside_and_apart() {
        let ids = [
            "../../etc/passwd",
            "a/b",
            "a\0b",
            "..",
            ".",
            "",
            "-x",
            "x-",
            "Heroma",
            "heroma ",
            "<script>alert(1)</script>",
            "å",
            "C:\\x",
            &"a".repeat(5000),
            &"a".repeat(MAX_PLAIN + 1),
        ];
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            let s = stem(id);
            assert!(seen.insert(s.clone()), "collision for {id:?}: {s}");
            assert!(s.len() <= PREFIX + 34, "{s}");
            assert!(!s.contains(['/', '\\', '\0', '.']), "{s}");
            assert!(s.starts_with('_'), "{id:?} must be hashed: {s}");
            assert!(is_site_path(&page("avtal", id)), "{s}");
        }
        // "heroma" and "Heroma" are different files, also where case folds
        assert_ne!(stem("heroma").to_lowercase(), stem("Heroma").to_lowercase());
        // stable
        assert_eq!(stem("a/b"), stem("a/b"));
    }

    #[test]
    fn manifest_paths_are_checked() {
        for bad in [
            "../x.html",
            "system/../x.html",
            "/etc/passwd",
            "system/x.yaml",
            "other/x.html",
            "system/.html",
            "system/a/b.html",
        ] {
            assert!(!is_site_path(bad), "{bad}");
        }
        assert!(is_site_path("search.json"));
        assert!(is_site_path(&list_page("system", 12)));
        for bad in [
            "lista-system-.html",
            "lista-other-1.html",
            "lista-system-1a.html",
            "lista-system-1.html/x",
        ] {
            assert!(!is_site_path(bad), "{bad}");
        }
    }
}
