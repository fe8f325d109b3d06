//! `kdl site`: a static, searchable, accessible site of the catalog
//! (systemkarta / tjänstekatalog) — a home page, a page per system,
//! nämnd, person, agreement and behandling, a search page over a small
//! JSON index.
//!
//! [`build`] turns a completed lint [`Run`] into a [`Site`] (plain data,
//! see [`model`]); [`render`] lays it out with the yearly report's
//! template environment (HTML auto-escaping); [`write`] puts it in a
//! directory. The findings are the lint run's own: the site never decides
//! compliance anew.

mod context;
mod findings;
pub mod model;
pub mod pages;
pub mod paths;
pub mod render;
pub mod text;
pub mod write;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::catalog::Index;
use crate::i18n::Lang;
use crate::yearly::collate;
use crate::Run;
use context::Ctx;
use model::{Entry, Frame, Home, KindList, Link, ListPage, ListPart, Page, Site, Table};

/// Written into the marker file of every site, so that a rebuild
/// recognises the directory as a previous site.
pub const FORMAT_ID: &str = "kdl-site";
/// Version of the site's layout (and of `search.json`).
pub const VERSION: u32 = 2;

/// What to build.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub lang: Lang,
    /// Person pages, names and ids (off: `--no-persons`, a public site).
    pub persons: bool,
}

/// Builds the site of `run` (evaluated as of the day the site shows).
pub fn build(run: &Run, opts: &Options) -> Site {
    let ix = Index::build(&run.catalog);
    let ids: Vec<String> = ix.by_id.iter().map(|(k, _)| k.to_string()).collect();
    let mut names = BTreeMap::new();
    crate::yearly::add_names(&mut names, &ids, &[run], opts.lang);
    let cx = Ctx::new(run, &ix, opts.lang, opts.persons, &names);
    let placed = findings::place(&cx, run.active());

    // one page per id (a duplicate id's second entity has none)
    let named: Vec<_> = ix.by_id.iter().collect();
    let mut pages: Vec<Page> = named
        .par_iter()
        .filter_map(|&(_, r)| {
            use crate::catalog::index::Ref;
            match r {
                Ref::System(i) => ix.systems.get(i).map(|s| cx.system(s)),
                Ref::Namnd(i) => ix.namnder.get(i).map(|n| cx.namnd(n)),
                Ref::Person(i) if opts.persons => ix.persons.get(i).map(|p| cx.person(p)),
                Ref::Person(_) => None,
                Ref::Avtal(i) => ix.avtal.get(i).map(|a| cx.avtal(a)),
                Ref::Behandling(i) => ix.behandlingar.get(i).map(|b| cx.behandling(b)),
            }
        })
        .collect();
    pages.par_iter_mut().for_each(|p| {
        if let Some(ds) = placed.by_page.get(&p.id) {
            p.findings = ds.iter().map(|d| findings::finding(&cx, d)).collect();
        }
    });
    let kind_order = |k: &str| {
        paths::KINDS
            .iter()
            .position(|x| *x == k)
            .unwrap_or(usize::MAX)
    };
    pages.par_sort_by_cached_key(|p| (kind_order(p.kind), collate(&p.title), p.id.clone()));

    let search = pages
        .iter()
        .map(|p| Entry {
            k: p.kind,
            i: p.id.clone(),
            n: p.title.clone(),
            u: (p.path != format!("{}/{}.html", p.kind, p.id)).then(|| p.path.clone()),
            d: p.lead.as_deref().map(search_description),
        })
        .collect();
    let (home, lists) = home(&cx, &pages, &placed);
    Site {
        frame: Frame {
            lang: if opts.lang == Lang::En { "en" } else { "sv" },
            municipality: run
                .config
                .municipality
                .clone()
                .or_else(|| run.model.municipality.clone()),
            model: run.model.name.clone(),
            as_of: run.as_of.to_string(),
            persons: opts.persons,
        },
        home,
        pages,
        lists,
        search,
    }
}

/// The home page: a tile and a list per kind (every page is reachable
/// without script), the findings with no page; and the list pages of the
/// kinds with more than [`model::HOME_ROWS`] pages.
fn home(cx: &Ctx, pages: &[Page], placed: &findings::Placed) -> (Home, Vec<ListPage>) {
    let mut lists = Vec::new();
    let mut by_kind: HashMap<&str, Vec<&Page>> = HashMap::new();
    for p in pages {
        by_kind.entry(p.kind).or_default().push(p);
    }
    let kinds = paths::KINDS
        .iter()
        .filter(|k| cx.persons || **k != "person")
        .map(|kind| {
            let list = by_kind.remove(kind).unwrap_or_default();
            // the one fact the list shows beside the name
            let fact = cx.w(match *kind {
                "system" => "category",
                "person" => "title",
                "behandling" => "controller",
                _ => "type",
            });
            let rows = list
                .iter()
                .map(|p| {
                    let n = p.findings.len();
                    vec![
                        vec![Link {
                            text: p.title.clone(),
                            href: Some(p.path.clone()),
                            id: None,
                        }],
                        vec![Link::text(p.id.clone())],
                        p.facts
                            .iter()
                            .find(|f| f.label == fact)
                            .map(|f| f.values.clone())
                            .unwrap_or_default(),
                        vec![Link::text(n.to_string())],
                    ]
                })
                .collect();
            let label = cx.w(&format!("k_{kind}s"));
            let table = |rows| Table {
                id: kind,
                heading: label.clone(),
                columns: vec![cx.w("name"), cx.w("id"), fact.clone(), cx.w("findings")],
                rows,
            };
            let count = list.len();
            let mut rows: Vec<Vec<Vec<Link>>> = rows;
            let mut parts = Vec::new();
            if count > model::HOME_ROWS {
                let of = count.div_ceil(model::LIST_ROWS);
                let mut all = std::mem::take(&mut rows).into_iter();
                for number in 1..=of {
                    let chunk: Vec<_> = all.by_ref().take(model::LIST_ROWS).collect();
                    let name = |r: Option<&Vec<Vec<Link>>>| {
                        r.and_then(|r| r.first())
                            .and_then(|c| c.first())
                            .map(|l| l.text.clone())
                            .unwrap_or_default()
                    };
                    let path = paths::list_page(kind, number);
                    parts.push(ListPart {
                        path: path.clone(),
                        first: name(chunk.first()),
                        last: name(chunk.last()),
                    });
                    lists.push(ListPage {
                        kind,
                        label: label.clone(),
                        path,
                        number,
                        of,
                        previous: (number > 1).then(|| paths::list_page(kind, number - 1)),
                        next: (number < of).then(|| paths::list_page(kind, number + 1)),
                        table: table(chunk),
                    });
                }
            }
            KindList {
                kind,
                label: label.clone(),
                count,
                table: table(rows),
                parts,
            }
        })
        .collect();
    let home = Home {
        kinds,
        counts: placed.counts,
        other: placed
            .other
            .iter()
            .map(|d| findings::finding(cx, d))
            .collect(),
    };
    (home, lists)
}

/// The start of a description for the search index: whitespace collapsed,
/// at most [`model::SEARCH_DESCRIPTION_CHARS`] characters, "…" when cut.
fn search_description(d: &str) -> String {
    let d = d.split_whitespace().collect::<Vec<_>>().join(" ");
    match d.char_indices().nth(model::SEARCH_DESCRIPTION_CHARS) {
        Some((at, _)) => format!("{} …", d.get(..at).unwrap_or_default().trim_end()),
        None => d,
    }
}

#[cfg(test)]
mod search_tests {
    use super::search_description;

    #[test]
    fn descriptions_are_collapsed_and_cut_on_a_character() {
        assert_eq!(
            search_description("  CAD-program\n för   ritningar. "),
            "CAD-program för ritningar."
        );
        let long = "å".repeat(200);
        let cut = search_description(&long);
        assert_eq!(cut, format!("{} …", "å".repeat(160)));
        assert_eq!(search_description(&"x".repeat(160)), "x".repeat(160));
    }
}
