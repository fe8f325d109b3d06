//! The built-in model `goteborg-2023-reviderad` (Göteborgs Stad, the revised
//! riktlinje för digital utveckling och förvaltning (Bilaga 2)) on its demo catalog
//! `examples/goteborg-2023-reviderad`, and a failing and a passing case for every
//! rule instance (`tests/model_cases/goteborg-2023-reviderad.yaml`).

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod model_cases;

const ID: &str = "goteborg-2023-reviderad";
const CASES: &str = "tests/model_cases/goteborg-2023-reviderad.yaml";

/// Exactly the deliberate violations listed in examples/goteborg-2023-reviderad/README.md.
#[test]
fn demo_catalog_has_exactly_the_documented_findings() {
    model_cases::assert_demo(
        ID,
        &[
            (
                "gbg/digitaliseringsplan",
                "namnder/bostads-ab-poseidon.yaml",
                4,
                None,
            ),
            (
                "gbg/tjanstekatalog-serviceniva",
                "system/driftstjansten.yaml",
                14,
                None,
            ),
            (
                "gbg/tillaggstjanst-forst",
                "system/flodesverktyget.yaml",
                14,
                None,
            ),
            (
                "gbg/ovrig-tjanst-beslut",
                "system/foreningsportalen.yaml",
                17,
                Some("grundskolenamnden"),
            ),
            (
                "gbg/bastjanst-namnder-anvands",
                "system/hr-systemet.yaml",
                7,
                Some("stadsbyggnadsnamnden"),
            ),
            (
                "gbg/avvecklingsplan",
                "system/lokalbokningen.yaml",
                17,
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
    model_cases::assert_commands(ID, "foreningsportalen", "ovrig-tjanst");
}

#[test]
fn every_rule_instance_has_a_failing_and_a_passing_case() {
    model_cases::assert_coverage(ID, CASES);
}

#[test]
fn rule_cases() {
    model_cases::run_all(ID, CASES);
}
