//! The site as data: what each page shows, already in the reader's
//! language, with links as paths relative to the site's root. The
//! templates only lay it out (and escape every string).

use serde::Serialize;

/// A piece of text, linked to a page when `href` is set; `id` is the
/// entity id shown as secondary text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Link {
    /// Plain text.
    pub fn text(s: impl Into<String>) -> Link {
        Link {
            text: s.into(),
            href: None,
            id: None,
        }
    }
}

/// One table cell: zero or more pieces (none shows a dash).
pub type Cell = Vec<Link>;

/// A labelled value of the entity.
#[derive(Debug, Serialize)]
pub struct Fact {
    pub label: String,
    pub values: Cell,
}

/// A section of the page laid out as a table.
#[derive(Debug, Serialize)]
pub struct Table {
    /// The section's HTML id (also the heading's anchor).
    pub id: &'static str,
    pub heading: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A part of a finding's message: plain text, a quoted key or value
/// (`code`), or the name of an entity (linked).
#[derive(Debug, Serialize)]
pub struct Segment {
    pub text: String,
    pub code: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// A current finding, as `kdl lint` reports it.
#[derive(Debug, Serialize)]
pub struct Finding {
    pub severity: &'static str,
    pub severity_label: String,
    pub rule: String,
    pub message: Vec<Segment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub file: String,
    pub line: u32,
}

/// One entity's page.
#[derive(Debug, Serialize)]
pub struct Page {
    pub kind: &'static str,
    pub kind_label: String,
    pub id: String,
    /// Relative to the site's root: `system/heroma.html`.
    pub path: String,
    pub title: String,
    /// Free text under the title (a system's `description`).
    pub lead: Option<String>,
    pub facts: Vec<Fact>,
    pub tables: Vec<Table>,
    pub findings: Vec<Finding>,
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Most rows a kind's list has on the home page; a longer list is
/// written on list pages of [`LIST_ROWS`] rows each, which the home page
/// links to. At 10,000 systems the home page with every row was 8 MB.
pub const HOME_ROWS: usize = 500;

/// Rows per list page.
pub const LIST_ROWS: usize = 500;

/// A kind's tile and list on the home page.
#[derive(Debug, Serialize)]
pub struct KindList {
    pub kind: &'static str,
    pub label: String,
    pub count: usize,
    /// Every row, when there are at most [`HOME_ROWS`]; else empty, and
    /// the rows are on the list pages `parts` names.
    pub table: Table,
    pub parts: Vec<ListPart>,
}

/// One list page as the home page links to it: its path and the names
/// of its first and last rows (as a phone book's page heads).
#[derive(Debug, Serialize)]
pub struct ListPart {
    pub path: String,
    pub first: String,
    pub last: String,
}

/// A page of a long list of one kind.
#[derive(Debug, Serialize)]
pub struct ListPage {
    pub kind: &'static str,
    pub label: String,
    /// Relative to the site's root: `lista-system-2.html`.
    pub path: String,
    /// 1-based, of `of`.
    pub number: usize,
    pub of: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub table: Table,
}

/// The home page.
#[derive(Debug, Serialize)]
pub struct Home {
    pub kinds: Vec<KindList>,
    pub counts: Counts,
    /// Findings in files that have no page (`kdl.yaml`, a file that did
    /// not parse); left out of a site without persons.
    pub other: Vec<Finding>,
}

/// What is the same on every page.
#[derive(Debug, Serialize)]
pub struct Frame {
    pub lang: &'static str,
    pub municipality: Option<String>,
    pub model: String,
    pub as_of: String,
    pub persons: bool,
}

/// One entry of the search index (`search.json`): kind, id, name, page,
/// and the start of a system's description.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub k: &'static str,
    pub i: String,
    pub n: String,
    /// The page, only when it is not `k/i.html` (an id that is not a plain
    /// file name, [`super::paths::stem`]): a third of the index's size at
    /// 10,000 systems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub u: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
}

/// Characters of a description the search index keeps: enough to find a
/// system by what it does, not the whole text of every page.
pub const SEARCH_DESCRIPTION_CHARS: usize = 160;

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub frame: Frame,
    pub home: Home,
    pub pages: Vec<Page>,
    /// The long lists' pages ([`HOME_ROWS`]).
    pub lists: Vec<ListPage>,
    pub search: Vec<Entry>,
}
