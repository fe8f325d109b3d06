//! The built-in model `e-forvaltning-riktlinje` (*Riktlinje för e-förvaltningsutveckling*, seed 002) on its demo catalog
//! `examples/e-forvaltning-riktlinje/`: exactly the deliberate violations its README lists,
//! `kdl explain` quoting every instance, and `kdl report`, `kdl list`,
//! `kdl schema` working on it.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod model_cases;

const MODEL: &str = "e-forvaltning-riktlinje";

fn line(rel: &str, needle: &str, nth: usize) -> u64 {
    model_cases::line_in(MODEL, rel, needle, nth)
}

type Finding = (String, String, u64, Option<String>);

fn f(rule: &str, file: &str, line: u64, subject: Option<&str>) -> Finding {
    (
        rule.to_string(),
        file.to_string(),
        line,
        subject.map(str::to_string),
    )
}

#[test]
fn demo_catalog_has_exactly_the_deliberate_violations() {
    let expected = expected();
    let expected: Vec<(&str, &str, u64, Option<&str>)> = expected
        .iter()
        .map(|(r, f, l, s)| (r.as_str(), f.as_str(), *l, s.as_deref()))
        .collect();
    model_cases::assert_demo(MODEL, &expected);
}

#[test]
fn explain_quotes_every_instance() {
    model_cases::assert_explain_quotes(MODEL);
}

#[test]
fn report_list_and_schema_work_on_the_demo_catalog() {
    model_cases::assert_commands(MODEL, "e-arkiv", "kommungemensamt");
}

/// The deliberate violations of `examples/e-forvaltning-riktlinje/README.md`.
fn expected() -> Vec<Finding> {
    let bef = "system/befolkningsregister.yaml";
    vec![
        f(
            "ef/ett-per-funktion",
            "system/stratsys.yaml",
            line("system/stratsys.yaml", "funktion:", 1),
            None,
        ),
        f(
            "ef/listade-kommungemensamma",
            "system/gis.yaml",
            line("system/gis.yaml", "category:", 1),
            None,
        ),
        f(
            "ef/hela-organisationen",
            bef,
            line(bef, "used-by:", 1),
            Some("barn-och-utbildningsnamnden"),
        ),
        f(
            "ef/hela-organisationen",
            bef,
            line(bef, "used-by:", 1),
            Some("samhallsbyggnadsnamnden"),
        ),
        f(
            "ef/egen-finansiering",
            "system/treserva.yaml",
            line("system/treserva.yaml", "systemagare:", 1),
            None,
        ),
        f(
            "ef/delfinansiering",
            "system/e-tjanst-bygglov.yaml",
            line("system/e-tjanst-bygglov.yaml", "category:", 1),
            None,
        ),
        f(
            "ef/forankring",
            "system/e-arkiv.yaml",
            line("system/e-arkiv.yaml", "date: 2026-03-17", 1),
            None,
        ),
        f(
            "ef/mote-med-bolag",
            "namnder/norrbyhem.yaml",
            line("namnder/norrbyhem.yaml", "records:", 1),
            None,
        ),
        f(
            "ef/uppdragsplan",
            "namnder/samhallsbyggnadsnamnden.yaml",
            line("namnder/samhallsbyggnadsnamnden.yaml", "records:", 1),
            None,
        ),
    ]
}
