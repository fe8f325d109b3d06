//! The built-in model `soderkoping-2018` (Söderköping, *Riktlinje verksamhetssystem socialförvaltningen*, seed 001) on its demo catalog
//! `examples/soderkoping-2018/`: exactly the deliberate violations its README lists,
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

const MODEL: &str = "soderkoping-2018";

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
    model_cases::assert_commands(MODEL, "treserva", "forvaltningsgemensamt-system");
}

/// The deliberate violations of `examples/soderkoping-2018/README.md`.
fn expected() -> Vec<Finding> {
    vec![
        f(
            "soc/forvaltningsplan",
            "system/tes.yaml",
            line("system/tes.yaml", "- type: forvaltningsplan", 1),
            None,
        ),
        f(
            "soc/arlig-kontroll",
            "system/nyckelhantering.yaml",
            line("system/nyckelhantering.yaml", "records:", 1),
            None,
        ),
        f(
            "soc/systemadministrator-utses",
            "system/mobil-dokumentation.yaml",
            line(
                "system/mobil-dokumentation.yaml",
                "appointed-by: lina-berg",
                1,
            ),
            None,
        ),
        f(
            "soc/kontakt-verksamhetsutvecklare",
            "system/digitalt-stod-ifo.yaml",
            line("system/digitalt-stod-ifo.yaml", "records:", 1),
            None,
        ),
        f(
            "soc/avveckling",
            "system/procapita.yaml",
            line("system/procapita.yaml", "records:", 1),
            None,
        ),
    ]
}
