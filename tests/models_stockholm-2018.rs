//! The built-in model `stockholm-2018` (Stockholms stad,
//! *Digitaliseringsprogram 2018–2023*) on its demo catalog
//! `examples/stockholm-2018`, and a failing and a passing case for every
//! rule instance (`tests/model_cases/stockholm-2018.yaml`).

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod model_cases;

const ID: &str = "stockholm-2018";
const CASES: &str = "tests/model_cases/stockholm-2018.yaml";

/// Exactly the deliberate violations listed in examples/stockholm-2018/README.md.
#[test]
fn demo_catalog_has_exactly_the_documented_findings() {
    model_cases::assert_demo(
        ID,
        &[
            (
                "sthlm/informationssakerhetsrapport",
                "namnder/kulturnamnden.yaml",
                11,
                None,
            ),
            (
                "sthlm/laglig-grund",
                "system/hemtjanstplanering.yaml",
                7,
                None,
            ),
            ("sthlm/mina-sidor", "system/lokalbokning.yaml", 19, None),
            (
                "sthlm/ingen-parallell-losning",
                "system/sodermalm-budget.yaml",
                15,
                None,
            ),
            (
                "sthlm/klassning-omprovas",
                "system/trafikdata.yaml",
                18,
                None,
            ),
        ],
    );
}

#[test]
fn explain_prints_every_instance_quote() {
    model_cases::assert_explain_quotes(ID);
}

#[test]
fn report_list_and_schema_work() {
    model_cases::assert_commands(ID, "hemtjanstplanering", "gemensam-losning");
}

#[test]
fn every_rule_instance_has_a_failing_and_a_passing_case() {
    model_cases::assert_coverage(ID, CASES);
}

#[test]
fn rule_cases() {
    model_cases::run_all(ID, CASES);
}
