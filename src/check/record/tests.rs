//! Tests of `require/record`.

use super::super::testkit::{findings, model, model_error, run};
use crate::diagnostic::Severity;

const TYPES: &str = "record-types:
  godkannande: {label: Godkännande, label-en: Approval, on: [system], by: person}
  upphandling: {label: Upphandlingsbeslut, label-en: Procurement decision, on: [system], by: any}
  beslut: {label: Beslut, label-en: Decision, on: [system], by: namnd, statuses: [utkast, antagen], sections: [syfte, risker]}
  plan: {label: Plan, label-en: Plan, on: [namnd], by: namnd}
";

fn with_rule(params: &str, applies: &str) -> crate::model::Model {
    model(&format!(
        "{TYPES}rules:\n  t/r:\n    kind: require/record\n    severity: error\n    source: T\n    applies-to: {applies}\n    params: {params}\n"
    ))
}

const PERSONS: [(&str, &str); 2] = [
    (
        "personer/karin.yaml",
        "kind: person\nid: karin\nname: K\ntitle: it-chef\nforvaltning: f\n",
    ),
    (
        "personer/olle.yaml",
        "kind: person\nid: olle\nname: O\ntitle: handlaggare\nforvaltning: f\n",
    ),
];

fn sys(extra: &str) -> String {
    format!("kind: system\nid: s\nname: S\ncategory: lokal\nused-by: [sn, pn]\nlifecycle:\n  status: upphandling\nroles:\n  systemagare: sn\n{extra}")
}

fn files(system: &str) -> Vec<(&str, String)> {
    let mut v: Vec<(&str, String)> = PERSONS.iter().map(|(p, t)| (*p, t.to_string())).collect();
    v.push(("system/s.yaml", system.to_string()));
    for n in ["sn", "pn", "kommunstyrelsen"] {
        v.push((
            match n {
                "sn" => "namnder/sn.yaml",
                "pn" => "namnder/pn.yaml",
                _ => "namnder/kommunstyrelsen.yaml",
            },
            format!("kind: namnd\nid: {n}\nname: N\ntype: namnd\nforvaltning: {{id: f-{n}}}\n"),
        ));
    }
    v
}

fn check(params: &str, applies: &str, system: &str, as_of: &str) -> Vec<String> {
    let m = with_rule(params, applies);
    let owned = files(system);
    let f: Vec<(&str, &str)> = owned.iter().map(|(p, t)| (*p, t.as_str())).collect();
    findings(&m, &f, as_of)
}

#[test]
fn a_missing_record_is_reported_at_the_status_that_triggered_it() {
    let got = check(
        "{record: godkannande}",
        "{from: upphandling}",
        &sys(""),
        "2026-05-01",
    );
    assert_eq!(got, ["t/r system/s.yaml:7 Approval is missing"]);
    // Without a lifecycle selector: at `category:`.
    let got = check("{record: godkannande}", "{}", &sys(""), "2026-05-01");
    assert_eq!(got, ["t/r system/s.yaml:4 Approval is missing"]);
    // With `records:` present: there.
    let s = sys("records:\n  - {type: upphandling, date: 2024-01-01, by: olle}\n");
    let got = check(
        "{record: godkannande}",
        "{from: upphandling}",
        &s,
        "2026-05-01",
    );
    assert_eq!(got, ["t/r system/s.yaml:10 Approval is missing"]);
}

#[test]
fn any_of_is_met_by_either_type() {
    let s = sys("records:\n  - {type: upphandling, date: 2024-01-01, by: olle}\n");
    assert!(check(
        "{any-of: [godkannande, upphandling]}",
        "{}",
        &s,
        "2026-05-01"
    )
    .is_empty());
    let got = check("{any-of: [godkannande, beslut]}", "{}", &s, "2026-05-01");
    assert_eq!(
        got,
        ["t/r system/s.yaml:10 Approval or decision is missing"]
    );
}

#[test]
fn the_wrong_maker_is_reported_at_by_with_the_title_related() {
    let s = sys("records:\n  - type: godkannande\n    date: 2024-01-01\n    by: olle\n");
    let m = with_rule("{record: godkannande, by: {titles: [it-chef]}}", "{}");
    let owned = files(&s);
    let f: Vec<(&str, &str)> = owned.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let d = run(&m, &f, "2026-05-01");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].pos.line, 13);
    assert_eq!(
        d[0].msg.render(crate::i18n::Lang::Sv, &m),
        "Godkännande ska komma från en person med titeln IT-chef, inte från `olle`"
    );
    assert_eq!(d[0].related.len(), 1);
    assert_eq!(d[0].related[0].pos.line, 4); // olle's title
                                             // The right maker, by title, role or body.
    let ok = sys("records:\n  - {type: godkannande, by: karin}\n");
    assert!(check(
        "{record: godkannande, by: {titles: [it-chef]}}",
        "{}",
        &ok,
        "2026-05-01"
    )
    .is_empty());
    let ok = sys("records:\n  - {type: godkannande, by: sn}\n");
    assert!(check(
        "{record: godkannande, by: {role: systemagare}}",
        "{}",
        &ok,
        "2026-05-01"
    )
    .is_empty());
    assert!(check(
        "{record: godkannande, by: {namnd: concerned}}",
        "{}",
        &ok,
        "2026-05-01"
    )
    .is_empty());
    assert!(check(
        "{record: godkannande, by: {namnd: user}}",
        "{}",
        &ok,
        "2026-05-01"
    )
    .is_empty());
    let ok = sys("records:\n  - {type: godkannande, by: it-styrgruppen}\n");
    assert!(check(
        "{record: godkannande, by: {body: it-styrgruppen}}",
        "{}",
        &ok,
        "2026-05-01"
    )
    .is_empty());
    let ok = sys("records:\n  - {type: godkannande, by: kommunstyrelsen}\n");
    assert!(check(
        "{record: godkannande, by: {org-parts: [ks]}}",
        "{}",
        &ok,
        "2026-05-01"
    )
    .is_empty());
    let got = check(
        "{record: godkannande, by: {namnd: user}}",
        "{}",
        &ok,
        "2026-05-01",
    );
    assert_eq!(
        got,
        ["t/r system/s.yaml:11 Approval must come from a nämnd that uses the system, not from `kommunstyrelsen`"]
    );
}

#[test]
fn references_to_nothing_are_left_to_ref_unknown() {
    // `by` naming nothing: no wrong-maker finding on top of ref/unknown.
    let s = sys("records:\n  - {type: godkannande, by: ingen}\n");
    assert!(check(
        "{record: godkannande, by: {titles: [it-chef]}}",
        "{}",
        &s,
        "2026-05-01"
    )
    .is_empty());
    // A user that is no nämnd: no missing decision for it.
    let s = sys("records:\n  - {type: beslut, by: sn}\n  - {type: beslut, by: pn}\n")
        .replace("[sn, pn]", "[sn, pn, okand]");
    assert!(check(
        "{record: beslut, per-user-namnd: true}",
        "{}",
        &s,
        "2026-05-01"
    )
    .is_empty());
}

#[test]
fn one_fault_one_finding_from_the_best_record() {
    // The first record has the wrong maker; the second the right one
    // but no consultation: only the consultation is reported.
    let s = sys("records:\n  - {type: godkannande, by: olle}\n  - {type: godkannande, by: karin, consulted: [pn]}\n");
    let got = check(
        "{record: godkannande, by: {titles: [it-chef]}, consulted: {role: systemagare}}",
        "{}",
        &s,
        "2026-05-01",
    );
    assert_eq!(
        got,
        ["t/r system/s.yaml:12 Approval was not made in consultation with `sn` (`consulted`)"]
    );
    let s = sys("records:\n  - {type: godkannande, by: karin, consulted: [sn]}\n");
    assert!(check(
        "{record: godkannande, by: {titles: [it-chef]}, consulted: {role: systemagare}}",
        "{}",
        &s,
        "2026-05-01"
    )
    .is_empty());
}

#[test]
fn per_year_is_info_before_the_deadline_and_the_rules_severity_after() {
    let m = with_rule(
        "{record: plan, per-year: {deadline: 03-31}}",
        "{entity: namnd}",
    );
    let n = [(
        "namnder/sn.yaml",
        "kind: namnd\nid: sn\nname: N\ntype: namnd\nforvaltning: {id: f}\nrecords:\n  - {type: plan, year: 2025, by: sn}\n",
    )];
    let before = run(&m, &n, "2026-03-01");
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].severity_hint, Some(Severity::Info));
    assert_eq!(
        before[0].msg.render(crate::i18n::Lang::En, &m),
        "Plan for 2026 is missing (due by 2026-03-31)"
    );
    let after = run(&m, &n, "2026-04-01");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].severity_hint, None);
    // Last year's record meets `year: previous`.
    let m = with_rule(
        "{record: plan, per-year: {deadline: 03-31, year: previous}}",
        "{entity: namnd}",
    );
    assert!(run(&m, &n, "2026-04-01").is_empty());
}

#[test]
fn within_months_counts_only_recent_records() {
    let s = sys("records:\n  - {type: godkannande, date: 2025-01-10, by: karin}\n");
    let got = check(
        "{record: godkannande, within-months: 12}",
        "{}",
        &s,
        "2026-05-01",
    );
    assert_eq!(
        got,
        ["t/r system/s.yaml:10 Approval from the last 12 months is missing"]
    );
    assert!(check(
        "{record: godkannande, within-months: 24}",
        "{}",
        &s,
        "2026-05-01"
    )
    .is_empty());
}

#[test]
fn per_user_namnd_gives_one_finding_per_nämnd_with_it_as_subject() {
    let s = sys("records:\n  - {type: beslut, by: sn}\n");
    let got = check(
        "{record: beslut, per-user-namnd: true}",
        "{}",
        &s,
        "2026-05-01",
    );
    assert_eq!(
        got,
        ["t/r system/s.yaml:10 [pn] Decision by `pn` is missing"]
    );
    let got = check(
        "{record: beslut, per-user-namnd: true}",
        "{}",
        &sys(""),
        "2026-05-01",
    );
    assert_eq!(
        got,
        [
            "t/r system/s.yaml:5 [pn] Decision by `pn` is missing",
            "t/r system/s.yaml:5 [sn] Decision by `sn` is missing"
        ]
    );
}

#[test]
fn status_sections_and_order() {
    let s = sys("records:\n  - {type: beslut, by: sn, status: utkast}\n");
    let got = check("{record: beslut, status: antagen}", "{}", &s, "2026-05-01");
    assert_eq!(
        got,
        ["t/r system/s.yaml:11 Decision has status `utkast`, but must have status `antagen`"]
    );
    let s = sys("records:\n  - {type: beslut, by: sn, sections: [syfte]}\n");
    let got = check(
        "{record: beslut, sections: [syfte, risker]}",
        "{}",
        &s,
        "2026-05-01",
    );
    assert_eq!(
        got,
        ["t/r system/s.yaml:11 Decision lacks the section `risker`"]
    );
    // Approval before procurement: none to compare with, then too late.
    let s = sys("records:\n  - {type: godkannande, date: 2024-03-01, by: karin}\n");
    let got = check(
        "{record: godkannande, before: upphandling}",
        "{}",
        &s,
        "2026-05-01",
    );
    assert_eq!(
        got,
        ["t/r system/s.yaml:10 Approval must come before procurement decision, which is missing"]
    );
    let s = sys("records:\n  - {type: godkannande, date: 2024-03-01, by: karin}\n  - {type: upphandling, date: 2024-02-01, by: sn}\n");
    let got = check(
        "{record: godkannande, before: upphandling}",
        "{}",
        &s,
        "2026-05-01",
    );
    assert_eq!(
        got,
        ["t/r system/s.yaml:11 Approval is dated 2024-03-01, but must be dated before procurement decision (2024-02-01)"]
    );
    assert!(check(
        "{record: godkannande, after: upphandling}",
        "{}",
        &s,
        "2026-05-01"
    )
    .is_empty());
}

#[test]
fn an_instance_checks_only_its_entity_kind() {
    // Default: systems; a nämnd without records is not reported.
    let m = with_rule("{record: godkannande}", "{}");
    let n = [(
        "namnder/sn.yaml",
        "kind: namnd\nid: sn\nname: N\ntype: namnd\nforvaltning: {id: f}\n",
    )];
    assert!(run(&m, &n, "2026-05-01").is_empty());
}

#[test]
fn bad_parameters_are_model_errors_with_suggestions() {
    let rule = |params: &str| {
        model_error(&format!(
            "{TYPES}bodies:\n  it-styrgruppen: {{label: IT}}\nrules:\n  t/r:\n    kind: require/record\n    severity: error\n    source: T\n    params: {params}\n"
        ))
    };
    assert!(rule("{record: godkanande}").contains("did you mean `godkannande`"));
    assert!(rule("{record: godkannande, any-of: [plan]}").contains("not both"));
    assert!(rule("{}").contains("`record` (or `any-of`) is missing"));
    assert!(
        rule("{record: godkannande, by: {titles: [it-chf]}}").contains("did you mean `it-chef`")
    );
    assert!(rule("{record: godkannande, by: {}}").contains("`by` is empty"));
    assert!(rule("{record: godkannande, by: {body: it-styrgrupen}}")
        .contains("did you mean `it-styrgruppen`"));
    assert!(rule("{record: godkannande, per-year: {deadline: 13-01}}").contains("MM-DD"));
    assert!(
        rule("{record: godkannande, standing: true, within-months: 3}").contains("at most one")
    );
    assert!(rule("{record: beslut, status: antagn}").contains("did you mean `antagen`"));
    assert!(rule("{record: godkannande, per-year: {year: nästa}}").contains("unknown value"));
    assert!(rule("{record: godkannande, byy: {}}").contains("did you mean `by`"));
    assert!(
        rule("{record: godkannande, per-user-namnd: true, by: {namnd: any}}")
            .contains("remove `by`")
    );
    assert_eq!(rule("{record: godkannande, by: {titles: [it-chef]}}"), "");
}
