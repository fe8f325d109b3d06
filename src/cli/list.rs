//! `kdl list [PATH]`: the catalog as a table (or CSV, JSON): systems with
//! category, scope, ägare, status and owner nämnd; or `--kind` persons
//! (with the roles they hold), nämnder, agreements, behandlingar; or
//! `--holder ID`: every role one person (or nämnd) holds — the question
//! asked when someone leaves.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde_json::{json, Map, Value as Json};

use super::lint::print;
use crate::catalog::{Index, NamndSet};
use crate::i18n::Lang;
use crate::load::Node;
use crate::model::Model;
use crate::Run;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// The catalog (default: search upward for kdl.yaml)
    pub path: Option<PathBuf>,
    /// What to list
    #[arg(long, default_value = "system", value_parser = PossibleValuesParser::new(["system", "person", "namnd", "avtal", "behandling"]))]
    pub kind: String,
    /// Only systems of this category
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// Only systems in this lifecycle status
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only what belongs to this nämnd: systems it owns (through the ägare's
    /// förvaltning), persons its förvaltning employs, agreements and
    /// behandlingar naming it
    #[arg(long, value_name = "NAMND")]
    pub namnd: Option<String>,
    /// Every role this person (or nämnd) holds: system roles, förvaltningschef,
    /// dataskyddskontakt, fullmakter
    #[arg(long, value_name = "ID", conflicts_with_all = ["kind", "category", "status", "namnd"])]
    pub holder: Option<String>,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// One column: JSON/CSV key, Swedish and English table headers, whether
/// the table shows it.
struct Col {
    key: String,
    sv: String,
    en: String,
    in_table: bool,
}

fn col(key: &str, sv: &str, en: &str) -> Col {
    Col {
        key: key.into(),
        sv: sv.into(),
        en: en.into(),
        in_table: true,
    }
}

fn file_col() -> Col {
    Col {
        in_table: false,
        ..col("file", "fil", "file")
    }
}

struct Listing {
    cols: Vec<Col>,
    rows: Vec<Vec<Json>>,
    /// "12 system" / "12 systems" under the table.
    noun: (&'static str, &'static str),
}

/// The node of an entity's file, for fields the typed entity does not keep.
fn node(run: &Run, file: usize) -> Option<&Node> {
    run.catalog
        .files
        .get(file)
        .and_then(|f| f.doc.as_ref().ok())
}

fn field(n: Option<&Node>, path: &[&str]) -> Json {
    let mut cur = n;
    for p in path {
        cur = cur.and_then(|c| c.get(p));
    }
    cur.map_or(Json::Null, Node::to_json)
}

fn s(v: Option<&str>) -> Json {
    v.map_or(Json::Null, |x| Json::String(x.to_string()))
}

/// The model's owner role (`Model::owner_role`).
fn owner_role(model: &Model) -> String {
    model.owner_role().unwrap_or_default().to_string()
}

fn namnd_set(set: Option<&NamndSet>) -> Json {
    match set {
        Some(NamndSet::All) => json!("all"),
        Some(NamndSet::List(l)) => Json::Array(l.iter().map(|x| json!(x.v)).collect()),
        None => Json::Null,
    }
}

fn systems(run: &Run, ix: &Index, a: &ListArgs) -> Listing {
    let owner = owner_role(&run.model);
    let owner_label_sv = run.model.role_label(&owner, false);
    let owner_label_en = run.model.role_label(&owner, true);
    let cols = vec![
        col("id", "id", "id"),
        col("name", "namn", "name"),
        col("category", "kategori", "category"),
        col("scope", "omfattning", "scope"),
        col(
            &owner,
            &owner_label_sv.to_lowercase(),
            &owner_label_en.to_lowercase(),
        ),
        col("status", "status", "status"),
        col("owner-namnd", "ägande nämnd", "owner nämnd"),
        file_col(),
    ];
    let mut rows = Vec::new();
    for sys in &ix.systems {
        let cat = sys.category.as_ref().map(|c| c.v.as_str());
        let status = sys.status.as_ref().map(|c| c.v.as_str());
        let owner_namnd = ix.owner_namnd(sys, &owner).map(|n| n.head.id.v.as_str());
        if a.category.as_deref().is_some_and(|c| Some(c) != cat)
            || a.status.as_deref().is_some_and(|x| Some(x) != status)
            || a.namnd.as_deref().is_some_and(|n| Some(n) != owner_namnd)
        {
            continue;
        }
        let holders: Vec<&str> = sys.holders(&owner).map(|h| h.v.as_str()).collect();
        rows.push(vec![
            json!(sys.head.id.v),
            s(sys.head.name.as_ref().map(|x| x.v.as_str())),
            s(cat),
            s(sys.scope.as_ref().map(|x| x.v.as_str())),
            match holders.as_slice() {
                [] => Json::Null,
                [one] => json!(one),
                many => json!(many),
            },
            s(status),
            s(owner_namnd),
            json!(run.rel(sys.head.file)),
        ]);
    }
    Listing {
        cols,
        rows,
        noun: ("system", "systems"),
    }
}

fn persons(run: &Run, ix: &Index, a: &ListArgs) -> Listing {
    let cols = vec![
        col("id", "id", "id"),
        col("name", "namn", "name"),
        col("title", "befattning", "title"),
        col("forvaltning", "förvaltning", "förvaltning"),
        col("left-on", "slutade", "left on"),
        col("roles", "roller", "roles"),
        file_col(),
    ];
    let mut rows = Vec::new();
    for p in &ix.persons {
        if let Some(n) = &a.namnd {
            if ix.namnd_of_person(p).map(|x| x.head.id.v.as_str()) != Some(n.as_str()) {
                continue;
            }
        }
        // One entry per system or nämnd: `raindance (agare, budgetansvarig)`.
        let mut roles: Vec<(String, Vec<String>)> = Vec::new();
        for h in holdings(run, ix, &p.head.id.v) {
            match roles.last_mut() {
                Some((id, list)) if *id == h.id => list.push(h.role),
                _ => roles.push((h.id, vec![h.role])),
            }
        }
        let roles: Vec<Json> = roles
            .into_iter()
            .map(|(id, list)| json!(format!("{id} ({})", list.join(", "))))
            .collect();
        rows.push(vec![
            json!(p.head.id.v),
            s(p.head.name.as_ref().map(|x| x.v.as_str())),
            s(p.title.as_ref().map(|x| x.v.as_str())),
            s(p.forvaltning.as_ref().map(|x| x.v.as_str())),
            s(p.left_on.as_ref().map(|d| d.v.to_string()).as_deref()),
            Json::Array(roles),
            json!(run.rel(p.head.file)),
        ]);
    }
    Listing {
        cols,
        rows,
        noun: ("personer", "persons"),
    }
}

fn namnder(run: &Run, ix: &Index, a: &ListArgs) -> Listing {
    let owner = owner_role(&run.model);
    let cols = vec![
        col("id", "id", "id"),
        col("name", "namn", "name"),
        col("type", "typ", "type"),
        col("forvaltning", "förvaltning", "förvaltning"),
        col("chef", "förvaltningschef", "förvaltningschef"),
        col(
            "dataskyddskontakt",
            "dataskyddskontakt",
            "dataskyddskontakt",
        ),
        col("systems-owned", "äger system", "systems owned"),
        file_col(),
    ];
    let mut rows = Vec::new();
    for n in &ix.namnder {
        let id = n.head.id.v.as_str();
        if a.namnd.as_deref().is_some_and(|x| x != id) {
            continue;
        }
        let owned = ix
            .systems
            .iter()
            .filter(|sys| {
                ix.owner_namnd(sys, &owner)
                    .is_some_and(|o| o.head.id.v == id)
            })
            .count();
        let f = n.forvaltning.as_ref();
        rows.push(vec![
            json!(id),
            s(n.head.name.as_ref().map(|x| x.v.as_str())),
            s(n.typ.as_ref().map(|x| x.v.as_str())),
            s(f.map(|f| f.id.v.as_str())),
            s(f.and_then(|f| f.chef.as_ref()).map(|x| x.v.as_str())),
            s(n.dataskyddskontakt.as_ref().map(|x| x.v.as_str())),
            json!(owned),
            json!(run.rel(n.head.file)),
        ]);
    }
    Listing {
        cols,
        rows,
        noun: ("nämnder", "nämnder"),
    }
}

fn agreements(run: &Run, ix: &Index, a: &ListArgs) -> Listing {
    let cols = vec![
        col("id", "id", "id"),
        col("type", "typ", "type"),
        col("systems", "system", "systems"),
        col("counterparty", "motpart", "counterparty"),
        col("controllers", "ansvariga nämnder", "controllers"),
        col("valid-from", "gäller från", "valid from"),
        col("valid-until", "gäller till", "valid until"),
        file_col(),
    ];
    let mut rows = Vec::new();
    for av in &ix.avtal {
        if let Some(n) = &a.namnd {
            let names = av.controllers.as_ref().is_some_and(|c| match &c.v {
                NamndSet::All => true,
                NamndSet::List(l) => l.iter().any(|x| x.v == n),
            }) || av.from.as_ref().is_some_and(|f| f.v == n);
            if !names {
                continue;
            }
        }
        let nd = node(run, av.head.file);
        let from = av
            .valid_from
            .as_ref()
            .or(av.signed_on.as_ref())
            .map(|d| d.v.to_string());
        rows.push(vec![
            json!(av.head.id.v),
            s(av.typ.as_ref().map(|x| x.v.as_str())),
            Json::Array(av.systems.iter().map(|x| json!(x.v)).collect()),
            field(nd, &["counterparty"]),
            namnd_set(av.controllers.as_ref().map(|c| &c.v)),
            s(from.as_deref()),
            s(av.valid_until.as_ref().map(|d| d.v.to_string()).as_deref()),
            json!(run.rel(av.head.file)),
        ]);
    }
    Listing {
        cols,
        rows,
        noun: ("avtal", "agreements"),
    }
}

fn behandlingar(run: &Run, ix: &Index, a: &ListArgs) -> Listing {
    let cols = vec![
        col("id", "id", "id"),
        col("name", "namn", "name"),
        col("controller", "personuppgiftsansvarig", "controller"),
        col("joint-with", "gemensamt med", "joint with"),
        col("legal-basis", "rättslig grund", "legal basis"),
        col("systems", "system", "systems"),
        file_col(),
    ];
    let mut rows = Vec::new();
    for b in &ix.behandlingar {
        if let Some(n) = &a.namnd {
            let names = b.controller.as_ref().is_some_and(|c| c.v == n)
                || b.joint_with.iter().any(|x| x.v == n);
            if !names {
                continue;
            }
        }
        let nd = node(run, b.head.file);
        rows.push(vec![
            json!(b.head.id.v),
            s(b.head.name.as_ref().map(|x| x.v.as_str())),
            s(b.controller.as_ref().map(|x| x.v.as_str())),
            Json::Array(b.joint_with.iter().map(|x| json!(x.v)).collect()),
            field(nd, &["legal-basis"]),
            Json::Array(b.systems.iter().map(|x| json!(x.v)).collect()),
            json!(run.rel(b.head.file)),
        ]);
    }
    Listing {
        cols,
        rows,
        noun: ("behandlingar", "behandlingar"),
    }
}

/// One role someone holds.
struct Holding {
    kind: &'static str,
    id: String,
    name: Option<String>,
    role: String,
    status: Option<String>,
    file: String,
}

/// Every role `who` holds: system roles, förvaltningschef,
/// dataskyddskontakt, fullmakter given to them. Sorted by kind, id, role.
fn holdings(run: &Run, ix: &Index, who: &str) -> Vec<Holding> {
    let mut out = Vec::new();
    for (si, role) in ix.roles_held(who) {
        let Some(sys) = ix.systems.get(si) else {
            continue;
        };
        out.push(Holding {
            kind: "system",
            id: sys.head.id.v.to_string(),
            name: sys.head.name.as_ref().map(|x| x.v.to_string()),
            role: role.to_string(),
            status: sys.status.as_ref().map(|x| x.v.to_string()),
            file: run.rel(sys.head.file).to_string(),
        });
    }
    for n in &ix.namnder {
        let mut push = |role: &str| {
            out.push(Holding {
                kind: "namnd",
                id: n.head.id.v.to_string(),
                name: n.head.name.as_ref().map(|x| x.v.to_string()),
                role: role.to_string(),
                status: None,
                file: run.rel(n.head.file).to_string(),
            })
        };
        if let Some(f) = &n.forvaltning {
            if f.chef.as_ref().is_some_and(|c| c.v == who) {
                push("forvaltningschef");
            }
        }
        if n.dataskyddskontakt.as_ref().is_some_and(|c| c.v == who) {
            push("dataskyddskontakt");
        }
    }
    for av in &ix.avtal {
        if av.type_is("fullmakt") && av.to.as_ref().is_some_and(|t| t.v == who) {
            out.push(Holding {
                kind: "avtal",
                id: av.head.id.v.to_string(),
                name: None,
                role: "fullmakt".into(),
                status: av.valid_until.as_ref().map(|d| d.v.to_string()),
                file: run.rel(av.head.file).to_string(),
            });
        }
    }
    let rank = |k: &str| match k {
        "system" => 0,
        "namnd" => 1,
        _ => 2,
    };
    out.sort_by(|a, b| (rank(a.kind), &a.id, &a.role).cmp(&(rank(b.kind), &b.id, &b.role)));
    out
}

fn holder_listing(run: &Run, ix: &Index, who: &str) -> Listing {
    let cols = vec![
        col("kind", "typ", "kind"),
        col("id", "id", "id"),
        col("name", "namn", "name"),
        col("role", "roll", "role"),
        col("status", "status", "status"),
        file_col(),
    ];
    let rows = holdings(run, ix, who)
        .into_iter()
        .map(|h| {
            vec![
                json!(h.kind),
                json!(h.id),
                s(h.name.as_deref()),
                json!(h.role),
                s(h.status.as_deref()),
                json!(h.file),
            ]
        })
        .collect();
    Listing {
        cols,
        rows,
        noun: ("roller", "roles"),
    }
}

/// A cell's text: lists joined with ", ".
fn cell(v: &Json) -> String {
    cell_sep(v, ", ")
}

/// A CSV cell, safe to open in a spreadsheet: a cell that starts like a
/// formula (`=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`
/// so that it stays text (OWASP, "CSV Injection"), and control characters
/// are made visible.
fn csv_cell(v: &Json) -> String {
    let text = crate::report::escape::controls(&cell(v)).into_owned();
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// A table cell: lists one item per line, control characters made visible.
fn table_cell(v: &Json) -> String {
    crate::report::escape::controls(&cell_sep(v, "\n")).into_owned()
}

fn cell_sep(v: &Json, sep: &str) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Array(a) => a
            .iter()
            .map(|x| cell_sep(x, sep))
            .collect::<Vec<_>>()
            .join(sep),
        other => other.to_string(),
    }
}

fn render(l: &Listing, format: Format, lang: Lang) -> Result<String, String> {
    match format {
        Format::Json => {
            let items: Vec<Json> = l
                .rows
                .iter()
                .map(|r| {
                    let m: Map<String, Json> = l
                        .cols
                        .iter()
                        .zip(r)
                        .map(|(c, v)| (c.key.clone(), v.clone()))
                        .collect();
                    Json::Object(m)
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?;
            s.push('\n');
            Ok(s)
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(l.cols.iter().map(|c| c.key.as_str()))
                .map_err(|e| e.to_string())?;
            for r in &l.rows {
                w.write_record(r.iter().map(csv_cell))
                    .map_err(|e| e.to_string())?;
            }
            let bytes = w.into_inner().map_err(|e| e.to_string())?;
            String::from_utf8(bytes).map_err(|e| e.to_string())
        }
        Format::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            t.set_header(l.cols.iter().filter(|c| c.in_table).map(|c| match lang {
                Lang::Sv => c.sv.clone(),
                Lang::En => c.en.clone(),
            }));
            for r in &l.rows {
                t.add_row(
                    r.iter()
                        .zip(&l.cols)
                        .filter(|(_, c)| c.in_table)
                        .map(|(v, _)| table_cell(v)),
                );
            }
            let noun = match lang {
                Lang::Sv => l.noun.0,
                Lang::En => l.noun.1,
            };
            Ok(format!("{t}\n{} {noun}\n", l.rows.len()))
        }
    }
}

fn unknown(lang: Lang, what_sv: &str, what_en: &str, value: &str, pool: &[&str]) -> String {
    let hint = crate::suggest::closest(value, pool.iter().copied())
        .map(|s| match lang {
            Lang::Sv => format!(" – menade du `{s}`?"),
            Lang::En => format!(" – did you mean `{s}`?"),
        })
        .unwrap_or_default();
    match lang {
        Lang::Sv => format!("okänd {what_sv} `{value}`{hint}"),
        Lang::En => format!("unknown {what_en} `{value}`{hint}"),
    }
}

/// Checks the filters name things that exist, so a typo is not an empty list.
fn check_filters(a: &ListArgs, run: &Run, ix: &Index, lang: Lang) -> Result<(), String> {
    if (a.category.is_some() || a.status.is_some()) && a.kind != "system" {
        return Err(match lang {
            Lang::Sv => "--category och --status gäller bara system".into(),
            Lang::En => "--category and --status apply to systems only".into(),
        });
    }
    if let Some(c) = &a.category {
        if run.model.category(c).is_none() {
            let pool: Vec<&str> = run.model.categories.keys().map(String::as_str).collect();
            return Err(unknown(lang, "kategori", "category", c, &pool));
        }
    }
    if let Some(st) = &a.status {
        if run.model.status_rank(st).is_none() {
            let pool: Vec<&str> = run
                .model
                .lifecycle
                .order
                .iter()
                .map(String::as_str)
                .collect();
            return Err(unknown(lang, "status", "status", st, &pool));
        }
    }
    if let Some(n) = &a.namnd {
        if ix.namnd(n).is_none() {
            let pool: Vec<&str> = ix.namnder.iter().map(|x| x.head.id.v.as_str()).collect();
            return Err(unknown(lang, "nämnd", "nämnd", n, &pool));
        }
    }
    if let Some(h) = &a.holder {
        if ix.person(h).is_none() && ix.namnd(h).is_none() {
            let pool: Vec<&str> = ix
                .persons
                .iter()
                .map(|x| x.head.id.v.as_str())
                .chain(ix.namnder.iter().map(|x| x.head.id.v.as_str()))
                .collect();
            return Err(unknown(
                lang,
                "person eller nämnd",
                "person or nämnd",
                h,
                &pool,
            ));
        }
    }
    Ok(())
}

pub fn run(args: ListArgs, lang: Lang) -> i32 {
    if args.format == Format::Table {
        crate::progress::enable(lang);
    }
    let opts = crate::LintOptions {
        path: args.path.clone(),
        // Load, validate and resolve only: no rule runs.
        select: vec!["parse/syntax".into()],
        ..Default::default()
    };
    let run = match crate::lint(&opts) {
        Ok(r) => r,
        Err(f) => {
            eprintln!("kdl: {}", f.message(lang));
            return 2;
        }
    };
    let ix = Index::build(&run.catalog);
    if let Err(e) = check_filters(&args, &run, &ix, lang) {
        eprintln!("kdl: {e}");
        return 2;
    }
    let listing = match (&args.holder, args.kind.as_str()) {
        (Some(h), _) => holder_listing(&run, &ix, h),
        (None, "person") => persons(&run, &ix, &args),
        (None, "namnd") => namnder(&run, &ix, &args),
        (None, "avtal") => agreements(&run, &ix, &args),
        (None, "behandling") => behandlingar(&run, &ix, &args),
        (None, _) => systems(&run, &ix, &args),
    };
    let mut listing = listing;
    if args.holder.is_none() {
        listing.rows.sort_by_key(|r| r.first().map(cell));
    }
    let text = match render(&listing, args.format, lang) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("kdl: {e}");
            return 2;
        }
    };
    print(&text);
    // Files that could not be read are missing from the list: say so.
    let unreadable = run
        .active()
        .filter(|d| d.rule == "parse/syntax")
        .map(|d| d.file)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if unreadable > 0 {
        eprintln!(
            "kdl: {}",
            match lang {
                Lang::Sv => format!(
                    "{unreadable} filer kunde inte läsas och saknas i listan – kör `kdl lint`"
                ),
                Lang::En => format!(
                    "{unreadable} files could not be read and are missing from the list – run `kdl lint`"
                ),
            }
        );
    }
    if run.broken {
        eprintln!(
            "kdl: {}",
            match lang {
                Lang::Sv => "katalogens kdl.yaml saknas eller är trasig – kör `kdl lint`",
                Lang::En => "the catalog's kdl.yaml is missing or broken – run `kdl lint`",
            }
        );
        return 2;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_flatten_lists_and_nulls() {
        assert_eq!(cell(&json!(null)), "");
        assert_eq!(cell(&json!(["a", "b"])), "a, b");
        assert_eq!(cell(&json!(3)), "3");
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        let l = Listing {
            cols: vec![col("id", "id", "id"), col("name", "namn", "name")],
            rows: vec![vec![json!("a"), json!("Ekonomi, lön \"X\"")]],
            noun: ("x", "x"),
        };
        let out = render(&l, Format::Csv, Lang::Sv).unwrap();
        assert_eq!(out, "id,name\na,\"Ekonomi, lön \"\"X\"\"\"\n");
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for (value, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("Ekonomi", "Ekonomi"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(csv_cell(&json!(value)), want, "{value}");
        }
        assert_eq!(csv_cell(&json!(["=1", "b"])), "'=1, b");
        assert_eq!(table_cell(&json!("a\u{1b}[2Jb")), "a␛[2Jb");
    }
}
