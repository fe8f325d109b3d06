//! The Excel report (`rust_xlsxwriter`): one sheet per section, a bold,
//! frozen header row and an auto-filter on every table, so the people who
//! work in Excel can sort and filter. Every catalog value is written as a
//! string cell (never a formula), counts and line numbers as numbers,
//! dates as date cells (`yyyy-mm-dd`), shares as fractions formatted as
//! per cent. People read names: every table leads with labels (names,
//! persons with their title, nämnder), and the ids follow in trailing
//! columns for those who filter or look them up.

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use std::collections::HashMap;

use super::{text, CycleSystem, FollowupSystem, NamedRef, PubSystem, Report, FORMAT_ID};
use crate::i18n::Lang;

/// One cell's content.
enum Cell {
    S(String),
    N(f64),
    /// A date (`YYYY-MM-DD`), written as a date cell.
    D(ExcelDateTime),
    /// A share (0–1), formatted as a whole per cent.
    P(f64),
    Empty,
}

/// A date cell from a report date; text if it is not one (it always is).
fn d(x: &Option<String>) -> Cell {
    let Some(v) = x else { return Cell::Empty };
    crate::catalog::parse_date(v)
        .and_then(|date| {
            let y = u16::try_from(date.year()).ok()?;
            let m = u8::try_from(date.month()).ok()?;
            let day = u8::try_from(date.day()).ok()?;
            ExcelDateTime::from_ymd(y, m, day).ok()
        })
        .map_or_else(|| Cell::S(v.clone()), Cell::D)
}

fn ds(x: &str) -> Cell {
    d(&Some(x.to_string()))
}

fn s(x: impl Into<String>) -> Cell {
    Cell::S(x.into())
}

fn o(x: &Option<String>) -> Cell {
    x.as_ref().map_or(Cell::Empty, |v| Cell::S(v.clone()))
}

fn n(x: usize) -> Cell {
    Cell::N(x as f64)
}

/// Labels of ids, joined by commas.
fn labels(r: &Report, ids: &[String]) -> Cell {
    s(ids
        .iter()
        .map(|i| r.label(i))
        .collect::<Vec<_>>()
        .join(", "))
}

fn ids(x: &[String]) -> Cell {
    s(x.join(", "))
}

fn label(r: &Report, id: &str) -> Cell {
    s(r.label(id))
}

fn label_o(r: &Report, id: Option<&str>) -> Cell {
    id.map_or(Cell::Empty, |i| label(r, i))
}

fn named_o(r: &Report, x: &Option<NamedRef>) -> Cell {
    label_o(r, x.as_ref().map(|n| n.id.as_str()))
}

fn id_o(x: &Option<NamedRef>) -> Cell {
    x.as_ref().map_or(Cell::Empty, |n| s(n.id.clone()))
}

/// Writes rows into one worksheet.
struct Sheet {
    ws: Worksheet,
    row: u32,
    bold: Format,
    date: Format,
    percent: Format,
    /// First row and width of each table; a sheet with one table gets an
    /// auto-filter (Excel allows one per sheet).
    tables: Vec<(u32, u16)>,
}

/// Excel's limit on the text of one cell.
const MAX_CELL: usize = 32_767;

impl Sheet {
    fn new(name: &str) -> Result<Sheet, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(name)?;
        Ok(Sheet {
            ws,
            row: 0,
            bold: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0 %"),
            tables: Vec::new(),
        })
    }

    fn cells(&mut self, cells: Vec<Cell>, header: bool) -> Result<(), XlsxError> {
        for (c, cell) in cells.into_iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::S(v) => {
                    let v: String = if v.len() > MAX_CELL {
                        v.chars().take(MAX_CELL / 4).collect()
                    } else {
                        v
                    };
                    if header {
                        self.ws
                            .write_string_with_format(self.row, col, v, &self.bold)?;
                    } else {
                        self.ws.write_string(self.row, col, v)?;
                    }
                }
                Cell::N(v) => {
                    self.ws.write_number(self.row, col, v)?;
                }
                Cell::D(v) => {
                    self.ws
                        .write_datetime_with_format(self.row, col, v, &self.date)?;
                }
                Cell::P(v) => {
                    self.ws
                        .write_number_with_format(self.row, col, v, &self.percent)?;
                }
                Cell::Empty => {}
            }
        }
        self.row += 1;
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> Result<(), XlsxError> {
        self.cells(cells, false)
    }

    /// Starts a table: its header row.
    fn header(&mut self, names: &[&str]) -> Result<(), XlsxError> {
        let width = u16::try_from(names.len()).unwrap_or(u16::MAX);
        self.tables.push((self.row, width));
        self.cells(names.iter().map(|x| s(*x)).collect(), true)
    }

    fn title(&mut self, title: &str) -> Result<(), XlsxError> {
        if self.row > 0 {
            self.row += 1;
        }
        self.cells(vec![s(title)], true)
    }

    fn finish(mut self, freeze: bool) -> Result<Worksheet, XlsxError> {
        if let [(first, width)] = self.tables[..] {
            if self.row > first + 1 && width > 0 {
                self.ws.autofilter(first, 0, self.row - 1, width - 1)?;
            }
        }
        if freeze {
            self.ws.set_freeze_panes(1, 0)?;
        }
        self.ws.set_autofit_max_width(480);
        self.ws.autofit();
        Ok(self.ws)
    }
}

/// Renders the report as an `.xlsx` workbook.
pub fn render(r: &Report, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = text::texts(lang);
    let w = |k: &str| t.get(k).copied().unwrap_or_default();
    let st = |k: &str| {
        t.get(format!("st_{k}").as_str())
            .copied()
            .unwrap_or(k)
            .to_string()
    };
    let en = lang == Lang::En;
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {}", w("title"), r.year))
            .set_subject(r.namnd.as_ref().map_or_else(
                || r.municipality.clone().unwrap_or_default(),
                |n| n.name.clone(),
            ))
            .set_keywords(FORMAT_ID)
            .set_comment(format!("{FORMAT_ID} v{}", r.version)),
    );

    // summary
    let mut sh = Sheet::new(if en { "Summary" } else { "Sammanfattning" })?;
    sh.cells(vec![s(format!("{} {}", w("title"), r.year))], true)?;
    sh.row(vec![
        s(w("namnd")),
        r.namnd
            .as_ref()
            .map_or(s(w("scope_all")), |n| s(n.name.clone())),
        id_o(&r.namnd),
    ])?;
    if let Some(m) = &r.municipality {
        sh.row(vec![s(w("municipality")), s(m.clone())])?;
    }
    if let Some(x) = &r.reference {
        sh.row(vec![s(w("reference")), s(x.clone())])?;
    }
    sh.row(vec![s(w("year")), Cell::N(f64::from(r.year))])?;
    sh.row(vec![s(w("as_of")), ds(&r.as_of)])?;
    sh.row(vec![
        s(w("model")),
        s(r.model.name.clone()),
        s(r.model.id.clone()),
    ])?;
    for p in &r.preface {
        sh.row(vec![s(""), s(p.clone())])?;
    }
    sh.title(w("s_summary"))?;
    let m = &r.summary;
    for (k, v) in [
        (w("k_systems"), m.systems),
        (w("k_retired"), m.retired),
        (m.in_use_label.as_str(), m.in_use),
        (w("k_agreements"), m.agreements),
        (w("k_agreements_valid"), m.agreements_valid),
        (w("k_errors"), m.errors),
        (w("k_warnings"), m.warnings),
        (w("k_infos"), m.infos),
        (w("k_suppressed"), m.suppressed),
    ] {
        sh.row(vec![s(k), n(v)])?;
    }
    for (k, rows) in [
        ("by_category", &m.by_category),
        ("by_scope", &m.by_scope),
        ("by_lifecycle", &m.by_lifecycle),
        ("by_owner", &m.by_owner),
    ] {
        sh.title(w(k))?;
        sh.header(&["", w("count"), w("c_retired"), w("c_id")])?;
        for c in rows {
            let label = if c.label.is_empty() {
                w("missing_value").to_string()
            } else {
                c.label.clone()
            };
            sh.row(vec![s(label), n(c.count), n(c.retired), o(&c.id)])?;
        }
        sh.row(vec![s(w("total")), n(m.systems), n(m.retired)])?;
    }
    sh.title(w("s_compliance"))?;
    sh.header(&[
        w("c_group"),
        w("c_rules"),
        w("k_errors"),
        w("k_warnings"),
        w("k_infos"),
        w("k_suppressed"),
        w("c_entities"),
        w("c_status"),
        w("c_id"),
    ])?;
    for g in &r.compliance {
        sh.row(vec![
            s(g.label.clone()),
            n(g.rules),
            n(g.errors),
            n(g.warnings),
            n(g.infos),
            n(g.suppressed),
            n(g.entities),
            s(st(g.status)),
            s(g.group.clone()),
        ])?;
    }
    sh.title(w("s_categories"))?;
    sh.header(&[
        w("c_category"),
        w("c_assessed"),
        w("c_compliant"),
        w("c_with_warnings"),
        w("c_with_errors"),
        w("c_share"),
        w("c_retired_apart"),
        w("c_id"),
    ])?;
    for c in r.categories.iter().chain([&r.categories_total]) {
        let label = if c.label.is_empty() {
            w("missing_value").to_string()
        } else {
            c.label.clone()
        };
        sh.row(vec![
            s(label),
            n(c.systems),
            n(c.compliant),
            n(c.with_warnings),
            n(c.with_errors),
            if c.systems == 0 {
                Cell::Empty
            } else {
                Cell::P(c.compliant as f64 / c.systems as f64)
            },
            n(c.retired),
            o(&c.category),
        ])?;
    }
    wb.push_worksheet(sh.finish(false)?);

    // violations: what and which rule first, the place last
    let mut sh = Sheet::new(if en { "Violations" } else { "Avvikelser" })?;
    sh.header(&[
        w("c_concerns"),
        w("c_recorded_in"),
        w("c_rule"),
        w("c_severity"),
        w("c_message"),
        w("c_source"),
        w("c_file"),
        w("c_line"),
        w("c_path"),
        w("c_id"),
        w("c_recorded_in_id"),
    ])?;
    for v in &r.violations {
        // what the finding concerns: the system it is about, else the
        // entity in whose file it is; that entity second
        let (concerns, recorded_in) = match &v.subject {
            Some(s) => (Some(s), v.entity.as_ref()),
            None => (v.entity.as_ref(), None),
        };
        sh.row(vec![
            label_o(r, concerns.map(String::as_str)),
            label_o(r, recorded_in.map(String::as_str)),
            s(v.rule.clone()),
            s(st(v.severity)),
            s(v.text.clone()),
            o(&v.source),
            s(v.file.clone()),
            Cell::N(f64::from(v.line)),
            s(v.path.clone()),
            o(&concerns.cloned()),
            o(&recorded_in.cloned()),
        ])?;
    }
    wb.push_worksheet(sh.finish(true)?);

    // systems: PUB-avtal, yearly cycle and follow-up side by side
    let mut sh = Sheet::new(if en { "Systems" } else { "System" })?;
    sh.header(&[
        w("c_system"),
        w("c_category"),
        w("c_scope"),
        w("c_lifecycle"),
        w("c_owner"),
        w("c_used_by"),
        w("k_errors"),
        w("k_warnings"),
        w("s_pub"),
        w("c_uncovered"),
        w("c_plan"),
        w("c_approved_on"),
        w("c_approved_by"),
        w("c_next_plan"),
        w("c_report"),
        w("c_completed_on"),
        w("s_followups"),
        w("c_last"),
        w("c_id"),
        w("c_owner_id"),
    ])?;
    let pubs: HashMap<&str, &PubSystem> = r
        .pub_coverage
        .systems
        .iter()
        .map(|p| (p.system.id.as_str(), p))
        .collect();
    let cycles: HashMap<&str, &CycleSystem> =
        r.cycle.iter().map(|c| (c.system.id.as_str(), c)).collect();
    let follows: HashMap<&str, &FollowupSystem> = r
        .followups
        .iter()
        .map(|f| (f.system.id.as_str(), f))
        .collect();
    for row in &r.systems {
        let id = row.id.as_str();
        let p = pubs.get(id);
        let c = cycles.get(id);
        let f = follows.get(id);
        sh.row(vec![
            s(row.name.clone()),
            o(&row.category_label),
            o(&row.scope_label),
            o(&row.status_label),
            row.owner
                .as_ref()
                .map_or(Cell::Empty, |x| s(x.name.clone())),
            labels(r, &row.used_by),
            n(row.errors),
            n(row.warnings),
            p.map_or(Cell::Empty, |p| s(st(p.status))),
            p.map_or(Cell::Empty, |p| labels(r, &p.uncovered)),
            c.map_or(Cell::Empty, |c| {
                s(format!("{}: {}", c.plan.year, st(c.plan.status)))
            }),
            c.map_or(Cell::Empty, |c| d(&c.plan.approved_on)),
            c.map_or(Cell::Empty, |c| named_o(r, &c.plan.approved_by)),
            c.map_or(Cell::Empty, |c| {
                s(format!("{}: {}", c.next_plan.year, st(c.next_plan.status)))
            }),
            c.map_or(Cell::Empty, |c| {
                s(format!("{}: {}", c.report.year, st(c.report.status)))
            }),
            c.map_or(Cell::Empty, |c| d(&c.report.completed_on)),
            f.map_or(Cell::Empty, |f| s(st(f.status))),
            f.map_or(Cell::Empty, |f| d(&f.last)),
            s(id),
            id_o(&row.owner),
        ])?;
    }
    wb.push_worksheet(sh.finish(true)?);

    // roles
    let mut sh = Sheet::new(if en { "Roles" } else { "Roller" })?;
    sh.header(&[
        w("c_system"),
        w("c_role"),
        w("c_status"),
        w("c_person"),
        w("c_left_on"),
        w("c_id"),
        w("c_person_id"),
    ])?;
    for x in &r.roles {
        sh.row(vec![
            label(r, &x.system.id),
            s(x.role_label.clone()),
            s(st(x.status)),
            named_o(r, &x.person),
            d(&x.left_on),
            s(x.system.id.clone()),
            id_o(&x.person),
        ])?;
    }
    wb.push_worksheet(sh.finish(true)?);

    // agreements expiring
    let mut sh = Sheet::new(if en { "Agreements" } else { "Avtal" })?;
    sh.header(&[
        w("c_agreement"),
        w("c_type"),
        w("c_system"),
        w("c_counterparty"),
        w("c_valid_until"),
        w("c_days_left"),
        w("c_extension"),
        w("c_successor"),
        w("c_id"),
        w("c_system_id"),
    ])?;
    for a in &r.expiring {
        sh.row(vec![
            label(r, &a.id),
            o(&a.type_label),
            labels(r, &a.systems),
            o(&a.counterparty),
            ds(&a.valid_until),
            Cell::N(a.days_left as f64),
            d(&a.extension_decided_on),
            s(if a.successor { w("yes") } else { w("no") }),
            s(a.id.clone()),
            ids(&a.systems),
        ])?;
    }
    wb.push_worksheet(sh.finish(true)?);

    // exceptions
    let mut sh = Sheet::new(if en { "Exceptions" } else { "Avsteg" })?;
    sh.header(&[
        w("c_concerns"),
        w("c_rule"),
        w("c_status"),
        w("c_decision"),
        w("c_decided_on"),
        w("c_expires"),
        w("c_suppressed"),
        w("c_motivation"),
        w("c_file"),
        w("c_line"),
        w("c_id"),
    ])?;
    for e in &r.exceptions {
        let status = if e.unused {
            format!("{}, {}", st(e.status), st("unused"))
        } else {
            st(e.status)
        };
        let status = match &e.kind_label {
            Some(k) => format!("{k}: {status}"),
            None => status,
        };
        sh.row(vec![
            label(r, &e.entity),
            o(&e.rule),
            s(status),
            o(&e.decision),
            d(&e.decided_on),
            d(&e.expires),
            n(e.suppressed),
            o(&e.motivation),
            s(e.file.clone()),
            Cell::N(f64::from(e.line)),
            s(e.entity.clone()),
        ])?;
    }
    wb.push_worksheet(sh.finish(true)?);

    // changes
    if let Some(ch) = &r.changes {
        let mut sh = Sheet::new(if en { "Changes" } else { "Förändringar" })?;
        match &ch.baseline {
            Some(b) => sh.row(vec![
                s(w("ch_baseline")),
                s(b.commit.clone()),
                ds(&b.date),
                ds(&b.as_of),
            ])?,
            None => sh.row(vec![s(w("ch_no_baseline"))])?,
        }
        for (k, rows) in [
            ("ch_resolved", &ch.resolved),
            ("ch_introduced", &ch.introduced),
        ] {
            sh.title(w(k))?;
            sh.header(&[
                w("c_concerns"),
                w("c_rule"),
                w("c_message"),
                w("c_path"),
                w("c_file"),
                w("c_line"),
                w("c_id"),
            ])?;
            for v in rows {
                sh.row(vec![
                    label(r, &v.entity),
                    s(v.rule.clone()),
                    s(v.text.clone()),
                    s(v.path.clone()),
                    s(v.file.clone()),
                    Cell::N(f64::from(v.line)),
                    s(v.entity.clone()),
                ])?;
            }
        }
        sh.title(w("ch_added"))?;
        for x in &ch.systems_added {
            sh.row(vec![label(r, &x.id), s(x.id.clone())])?;
        }
        sh.title(w("ch_decommissioned"))?;
        for x in &ch.systems_decommissioned {
            sh.row(vec![
                label(r, &x.system.id),
                s(st(x.how)),
                s(x.system.id.clone()),
            ])?;
        }
        sh.title(w("ch_roles"))?;
        sh.header(&[
            w("c_date"),
            w("c_system"),
            w("c_role"),
            w("c_before"),
            w("c_after"),
            w("c_commit"),
            w("c_author"),
            w("c_id"),
        ])?;
        for c in &ch.role_changes {
            sh.row(vec![
                ds(&c.date),
                label(r, &c.system),
                s(c.role_label.clone()),
                labels(r, &c.before),
                labels(r, &c.after),
                s(c.commit.clone()),
                s(c.author.clone()),
                s(c.system.clone()),
            ])?;
        }
        wb.push_worksheet(sh.finish(false)?);
    }
    wb.save_to_buffer()
}
