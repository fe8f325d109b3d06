//! The Excel report (`rust_xlsxwriter`): one sheet per section, a bold,
//! frozen header row and an auto-filter on every table, so the people who
//! work in Excel can sort and filter. Every catalog value is written as a
//! string cell (never a formula) and counts as numbers.

use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use std::collections::HashMap;

use super::{text, CycleSystem, FollowupSystem, NamedRef, PubSystem, Report, FORMAT_ID};
use crate::i18n::Lang;

/// One cell's content.
enum Cell {
    S(String),
    N(f64),
    Empty,
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

fn named(x: &NamedRef) -> Cell {
    Cell::S(format!("{} ({})", x.name, x.id))
}

fn named_o(x: &Option<NamedRef>) -> Cell {
    x.as_ref().map_or(Cell::Empty, named)
}

/// Writes rows into one worksheet.
struct Sheet {
    ws: Worksheet,
    row: u32,
    bold: Format,
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
        r.namnd.as_ref().map_or(s(w("scope_all")), named),
    ])?;
    if let Some(m) = &r.municipality {
        sh.row(vec![
            s(if en { "Municipality" } else { "Kommun" }),
            s(m.clone()),
        ])?;
    }
    sh.row(vec![s(w("year")), n(usize::try_from(r.year).unwrap_or(0))])?;
    sh.row(vec![s(w("as_of")), s(r.as_of.clone())])?;
    sh.row(vec![
        s(w("model")),
        s(format!("{} ({})", r.model.name, r.model.id)),
    ])?;
    sh.title(w("s_summary"))?;
    let m = &r.summary;
    for (k, v) in [
        ("k_systems", m.systems),
        ("k_in_use", m.in_use),
        ("k_agreements", m.agreements),
        ("k_errors", m.errors),
        ("k_warnings", m.warnings),
        ("k_infos", m.infos),
        ("k_suppressed", m.suppressed),
    ] {
        sh.row(vec![s(w(k)), n(v)])?;
    }
    for (k, rows) in [
        ("by_category", &m.by_category),
        ("by_scope", &m.by_scope),
        ("by_lifecycle", &m.by_lifecycle),
        ("by_owner", &m.by_owner),
    ] {
        sh.title(w(k))?;
        for c in rows {
            let label = if c.label.is_empty() {
                w("missing_value").to_string()
            } else {
                c.label.clone()
            };
            sh.row(vec![s(label), n(c.count)])?;
        }
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
    ])?;
    for g in &r.compliance {
        sh.row(vec![
            s(format!("{} ({})", g.label, g.group)),
            n(g.rules),
            n(g.errors),
            n(g.warnings),
            n(g.infos),
            n(g.suppressed),
            n(g.entities),
            s(st(g.status)),
        ])?;
    }
    sh.title(w("s_categories"))?;
    sh.header(&[
        w("c_category"),
        w("k_systems"),
        w("c_compliant"),
        w("c_with_warnings"),
        w("c_with_errors"),
        w("c_share"),
    ])?;
    for c in &r.categories {
        sh.row(vec![
            s(c.label.clone()),
            n(c.systems),
            n(c.compliant),
            n(c.with_warnings),
            n(c.with_errors),
            Cell::N(f64::from(c.percent)),
        ])?;
    }
    wb.push_worksheet(sh.finish(false)?);

    // violations
    let mut sh = Sheet::new(if en { "Violations" } else { "Avvikelser" })?;
    sh.header(&[
        if en { "File" } else { "Fil" },
        if en { "Line" } else { "Rad" },
        w("c_severity"),
        w("c_rule"),
        w("c_entity"),
        w("c_path"),
        w("c_message"),
        if en { "Source" } else { "Källa" },
    ])?;
    for v in &r.violations {
        sh.row(vec![
            s(v.file.clone()),
            Cell::N(f64::from(v.line)),
            s(st(v.severity)),
            s(v.rule.clone()),
            o(&v.entity),
            s(v.path.clone()),
            s(v.message.clone()),
            o(&v.source),
        ])?;
    }
    wb.push_worksheet(sh.finish(true)?);

    // systems: PUB-avtal, yearly cycle and follow-up side by side
    let mut sh = Sheet::new(if en { "Systems" } else { "System" })?;
    sh.header(&[
        "id",
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
            s(id),
            s(row.name.clone()),
            o(&row.category_label),
            o(&row.scope),
            o(&row.status),
            named_o(&row.owner),
            s(row.used_by.join(", ")),
            n(row.errors),
            n(row.warnings),
            p.map_or(Cell::Empty, |p| s(st(p.status))),
            p.map_or(Cell::Empty, |p| s(p.uncovered.join(", "))),
            c.map_or(Cell::Empty, |c| {
                s(format!("{}: {}", c.plan.year, st(c.plan.status)))
            }),
            c.map_or(Cell::Empty, |c| o(&c.plan.approved_on)),
            c.map_or(Cell::Empty, |c| named_o(&c.plan.approved_by)),
            c.map_or(Cell::Empty, |c| {
                s(format!("{}: {}", c.next_plan.year, st(c.next_plan.status)))
            }),
            c.map_or(Cell::Empty, |c| {
                s(format!("{}: {}", c.report.year, st(c.report.status)))
            }),
            c.map_or(Cell::Empty, |c| o(&c.report.completed_on)),
            f.map_or(Cell::Empty, |f| s(st(f.status))),
            f.map_or(Cell::Empty, |f| o(&f.last)),
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
    ])?;
    for x in &r.roles {
        sh.row(vec![
            named(&x.system),
            s(x.role_label.clone()),
            s(st(x.status)),
            named_o(&x.person),
            o(&x.left_on),
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
    ])?;
    for a in &r.expiring {
        sh.row(vec![
            s(a.id.clone()),
            o(&a.typ),
            s(a.systems.join(", ")),
            o(&a.counterparty),
            s(a.valid_until.clone()),
            Cell::N(a.days_left as f64),
            o(&a.extension_decided_on),
            s(if a.successor { w("yes") } else { w("no") }),
        ])?;
    }
    wb.push_worksheet(sh.finish(true)?);

    // exceptions
    let mut sh = Sheet::new(if en { "Exceptions" } else { "Avsteg" })?;
    sh.header(&[
        w("c_entity"),
        w("c_place"),
        w("c_rule"),
        w("c_status"),
        w("c_decision"),
        w("c_decided_on"),
        w("c_expires"),
        w("c_suppressed"),
        w("c_motivation"),
    ])?;
    for e in &r.exceptions {
        let status = if e.unused {
            format!("{}, {}", st(e.status), st("unused"))
        } else {
            st(e.status)
        };
        sh.row(vec![
            s(e.entity.clone()),
            s(format!("{}:{}", e.file, e.line)),
            o(&e.rule),
            s(status),
            o(&e.decision),
            o(&e.decided_on),
            o(&e.expires),
            n(e.suppressed),
            o(&e.motivation),
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
                s(b.date.clone()),
                s(b.as_of.clone()),
            ])?,
            None => sh.row(vec![s(w("ch_no_baseline"))])?,
        }
        for (k, rows) in [
            ("ch_resolved", &ch.resolved),
            ("ch_introduced", &ch.introduced),
        ] {
            sh.title(w(k))?;
            sh.header(&[
                w("c_entity"),
                w("c_rule"),
                w("c_path"),
                w("c_place"),
                w("c_message"),
            ])?;
            for v in rows {
                sh.row(vec![
                    s(v.entity.clone()),
                    s(v.rule.clone()),
                    s(v.path.clone()),
                    s(format!("{}:{}", v.file, v.line)),
                    s(v.message.clone()),
                ])?;
            }
        }
        sh.title(w("ch_added"))?;
        for x in &ch.systems_added {
            sh.row(vec![named(x)])?;
        }
        sh.title(w("ch_decommissioned"))?;
        for x in &ch.systems_decommissioned {
            sh.row(vec![named(&x.system), s(st(x.how))])?;
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
        ])?;
        for c in &ch.role_changes {
            sh.row(vec![
                s(c.date.clone()),
                s(c.system.clone()),
                s(c.role.clone()),
                s(c.before.join(", ")),
                s(c.after.join(", ")),
                s(c.commit.clone()),
                s(c.author.clone()),
            ])?;
        }
        wb.push_worksheet(sh.finish(false)?);
    }
    wb.save_to_buffer()
}
