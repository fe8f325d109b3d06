//! `kdl lsp`: go to definition, hover, completion and quick fixes,
//! spoken to as an editor would (the client is `tests/lsp/client.rs`).

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "lsp/client.rs"]
mod client;
mod common;

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use client::*;

const AVTAL: &str = "avtal/raindance-pub.yaml";

/// `{textDocument, position}` for the `nth` occurrence of `needle` in
/// `text` (plus `shift` UTF-16 units), as an editor sends it.
fn at(uri: &str, text: &str, needle: &str, shift: usize) -> Value {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {text}"));
    let before = &text[..i];
    let line = before.matches('\n').count();
    let col = before.rsplit('\n').next().unwrap().encode_utf16().count() + shift;
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}})
}

/// A started server on a copy of the base catalog (with `FILE` as `text`),
/// with `rel` open; its URI and text.
fn open_at(dir: &Path, args: &[&str], rel: &str) -> (Client, String, String) {
    let text = fs::read_to_string(dir.join(rel)).unwrap();
    let file = uri(&dir.join(rel));
    let mut c = Client::start(args, dir);
    c.initialize(dir, None);
    c.open(&file, &text);
    // A file without findings gets none published: wait until it is linted.
    c.drain();
    (c, file, text)
}

#[test]
fn the_features_are_advertised() {
    let dir = catalog(GOOD);
    let mut c = Client::start(&[], dir.path());
    let init = c.initialize(dir.path(), None);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["definitionProvider"], true, "{caps:#}");
    assert_eq!(caps["hoverProvider"], true);
    assert!(caps["completionProvider"].is_object());
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn definition_goes_to_the_id_of_what_a_reference_names() {
    let dir = catalog(GOOD);
    let (mut c, file, text) = open_at(dir.path(), &[], AVTAL);
    for (needle, target) in [
        ("lars-holm", "personer/lars-holm.yaml"),
        ("raindance]", "system/raindance.yaml"),
    ] {
        let r = c.request("textDocument/definition", at(&file, &text, needle, 3));
        let loc = &r["result"];
        assert_eq!(loc["uri"], uri(&dir.path().join(target)), "{needle}: {r:#}");
        // `id: x` is the second line of each file.
        assert_eq!(loc["range"]["start"], json!({"line": 1, "character": 4}));
        let id = target.rsplit('/').next().unwrap().trim_end_matches(".yaml");
        assert_eq!(
            loc["range"]["end"],
            json!({"line": 1, "character": 4 + id.len()})
        );
    }
    // A förvaltning: where its nämnd declares it.
    let person = "personer/lars-holm.yaml";
    let ptext = fs::read_to_string(dir.path().join(person)).unwrap();
    let puri = uri(&dir.path().join(person));
    c.open(&puri, &ptext);
    let r = c.request(
        "textDocument/definition",
        at(&puri, &ptext, "forvaltningen-for-service", 0),
    );
    assert_eq!(
        r["result"]["uri"],
        uri(&dir.path().join("namnder/namnden-for-service.yaml"))
    );
    assert_eq!(
        r["result"]["range"]["start"],
        json!({"line": 5, "character": 6})
    );
    // Not a reference: a key, the entity's own id, a free text.
    for needle in ["kind", "raindance-pub", "CGI"] {
        let r = c.request("textDocument/definition", at(&file, &text, needle, 1));
        assert_eq!(r["result"], Value::Null, "{needle}: {r:#}");
    }
    assert_eq!(c.shutdown(), 0);
}

/// A hover's Markdown with the catalog's path replaced.
fn hover_text(c: &mut Client, params: Value) -> String {
    let r = c.request("textDocument/hover", params);
    assert_eq!(r["result"]["contents"]["kind"], "markdown", "{r:#}");
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn hover_summarises_what_a_reference_names_in_swedish_and_english() {
    let dir = catalog(GOOD);
    for (args, lang) in [(&[][..], "sv"), (&["--lang", "en"][..], "en")] {
        let (mut c, file, text) = open_at(dir.path(), args, AVTAL);
        let system = hover_text(&mut c, at(&file, &text, "raindance]", 2));
        let person = hover_text(&mut c, at(&file, &text, "lars-holm", 0));
        insta::assert_snapshot!(
            format!("hover_{lang}"),
            format!("{system}\n\n====\n\n{person}")
        );
        // The range is the reference's.
        let r = c.request("textDocument/hover", at(&file, &text, "lars-holm", 0));
        let start = at(&file, &text, "lars-holm", 0)["position"].clone();
        assert_eq!(r["result"]["range"]["start"], start);
        // Nothing to say about a key.
        let r = c.request("textDocument/hover", at(&file, &text, "counterparty", 0));
        assert_eq!(r["result"], Value::Null, "{r:#}");
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn hover_on_a_rule_an_exception_waives_explains_it() {
    let dir = catalog(GOOD);
    let rel = "system/raindance.yaml";
    let mut text = fs::read_to_string(dir.path().join(rel)).unwrap();
    text.push_str(
        "exceptions:\n  - rule: docs/sla\n    decision: KS-2025-00001\n    decided-on: 2025-01-15\n    motivation: Ingen leverantör.\n    expires: 2027-12-31\n  - rule: docs/slaa\n    decision: KS-2025-00002\n    decided-on: 2025-01-15\n    motivation: Stavfel.\n    expires: 2027-12-31\n",
    );
    fs::write(dir.path().join(rel), &text).unwrap();
    for (args, lang) in [(&[][..], "sv"), (&["--lang", "en"][..], "en")] {
        let (mut c, file, text) = open_at(dir.path(), args, rel);
        let h = hover_text(&mut c, at(&file, &text, "docs/sla\n", 2));
        insta::assert_snapshot!(format!("hover_exception_rule_{lang}"), h);
        // The range is the rule id's.
        let r = c.request("textDocument/hover", at(&file, &text, "docs/sla\n", 2));
        let start = at(&file, &text, "docs/sla\n", 0)["position"].clone();
        assert_eq!(r["result"]["range"]["start"], start);
        // A rule the model does not have: no explanation (its finding,
        // with the suggestion, is what the hover shows).
        let h = hover_text(&mut c, at(&file, &text, "docs/slaa", 2));
        assert!(!h.contains("**Regel**") && !h.contains("**Rule**"), "{h}");
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn hover_on_a_finding_explains_its_rule() {
    let dir = catalog(BAD);
    for (args, words) in [
        (
            &[][..],
            ["ref/unknown", "finns inte", "kdl explain ref/unknown"],
        ),
        (
            &["--lang", "en"][..],
            ["ref/unknown", "unknown", "kdl explain ref/unknown"],
        ),
    ] {
        let (mut c, file, text) = open_at(dir.path(), args, FILE);
        let h = hover_text(&mut c, at(&file, &text, UNKNOWN, 4));
        for w in words {
            assert!(h.contains(w), "{w}: {h}");
        }
        assert!(
            h.contains(&lint_message(
                dir.path(),
                "ref/unknown",
                args.get(1).copied()
            )),
            "{h}"
        );
        assert_eq!(c.shutdown(), 0);
    }
}

fn labels(r: &Value) -> Vec<String> {
    r["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items: {r:#}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

/// The ids of the files in a folder of the base catalog.
fn ids_in(dir: &Path, folder: &str) -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(dir.join(folder))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_str()
                .unwrap()
                .trim_end_matches(".yaml")
                .to_string()
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn completion_offers_ids_of_the_kind_a_reference_names() {
    let dir = catalog(GOOD);
    let (mut c, file, text) = open_at(dir.path(), &[], AVTAL);
    let persons = ids_in(dir.path(), "personer");
    let systems = ids_in(dir.path(), "system");
    // A person, with nothing written yet: every person, and only persons.
    let edited = text.replace("decided-by: lars-holm", "decided-by: ");
    c.change(&file, 2, &edited);
    c.drain();
    let r = c.request(
        "textDocument/completion",
        at(&file, &edited, "decided-by: ", 12),
    );
    let mut got = labels(&r);
    got.sort();
    assert_eq!(got, persons, "{r:#}");
    let item = &r["result"]["items"][0];
    assert!(item["detail"].is_string(), "the name: {item:#}");
    // A system, half written: the systems that match, the value replaced.
    let edited = text.replace("systems: [raindance]", "systems: [rain]");
    c.change(&file, 3, &edited);
    c.drain();
    let r = c.request("textDocument/completion", at(&file, &edited, "rain]", 4));
    let got = labels(&r);
    assert_eq!(got, vec!["raindance".to_string()], "{r:#}");
    assert!(systems.contains(&got[0]));
    let edit = &r["result"]["items"][0]["textEdit"];
    let start = at(&file, &edited, "rain]", 0)["position"].clone();
    assert_eq!(edit["range"]["start"], start, "{edit:#}");
    assert_eq!(
        edit["range"]["end"]["character"],
        start["character"].as_u64().unwrap() + 4
    );
    assert_eq!(edit["newText"], "raindance");
    // A value from the model: the agreement types.
    let edited = text.replace("type: pub-avtal", "type: p");
    c.change(&file, 4, &edited);
    c.drain();
    let r = c.request("textDocument/completion", at(&file, &edited, "type: p", 7));
    assert!(labels(&r).contains(&"pub-avtal".to_string()), "{r:#}");
    // No reference here: nothing.
    let r = c.request(
        "textDocument/completion",
        at(&file, &edited, "counterparty", 3),
    );
    assert_eq!(r["result"], Value::Null, "{r:#}");
    // Typing: a change and a completion sent together, without waiting
    // for the lint; the completion is of the text just sent.
    for (version, written) in [(5, "e"), (6, "er"), (7, "eri")] {
        let edited = text.replace("decided-by: lars-holm", &format!("decided-by: {written}"));
        c.change(&file, version, &edited);
        let r = c.request(
            "textDocument/completion",
            at(&file, &edited, "decided-by: ", 12 + written.len()),
        );
        let got = labels(&r);
        assert!(!got.is_empty(), "{r:#}");
        assert!(
            got.iter()
                .all(|l| persons.contains(l) && l.contains(written)),
            "{written}: {got:?}"
        );
        let range = &r["result"]["items"][0]["textEdit"]["range"];
        assert_eq!(range["end"]["character"], 12 + written.len(), "{r:#}");
    }
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completion_offers_role_names_as_keys_under_roles() {
    let dir = catalog(GOOD);
    let (mut c, file, text) = open_at(dir.path(), &[], "system/raindance.yaml");
    // A new key, half written: not YAML yet, still completed.
    let edited = text.replace("roles:\n", "roles:\n  proc\n");
    c.change(&file, 2, &edited);
    c.drain();
    let r = c.request("textDocument/completion", at(&file, &edited, "  proc", 6));
    let got = labels(&r);
    assert_eq!(got[0], "processagare", "{r:#}");
    assert!(got.iter().all(|l| l.contains("proc")), "{got:?}");
    let item = &r["result"]["items"][0];
    assert!(item["detail"].is_string(), "the role's label: {item:#}");
    let start = at(&file, &edited, "  proc", 2)["position"].clone();
    assert_eq!(item["textEdit"]["range"]["start"], start, "{item:#}");
    assert_eq!(item["textEdit"]["newText"], "processagare");
    // A value under roles is a person, not a role name.
    c.change(&file, 3, &text);
    c.drain();
    let r = c.request("textDocument/completion", at(&file, &text, "lars-holm", 4));
    let got = labels(&r);
    assert!(got.contains(&"lars-holm".to_string()), "{r:#}");
    assert!(!got.contains(&"agare".to_string()), "{r:#}");
    assert_eq!(c.shutdown(), 0);
}

/// `text` with one LSP `TextEdit` (UTF-16 positions) applied.
fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let (line, col) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, ch) in text[start..].char_indices() {
            if units >= col {
                return start + i;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let (a, b) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..a],
        edit["newText"].as_str().unwrap(),
        &text[b..]
    )
}

#[test]
fn a_quick_fix_replaces_a_misspelt_person_and_the_finding_goes() {
    let dir = catalog(GOOD);
    let text = fs::read_to_string(dir.path().join(AVTAL))
        .unwrap()
        .replace("decided-by: lars-holm", "decided-by: lars-hom");
    fs::write(dir.path().join(AVTAL), &text).unwrap();
    let (mut c, file, text) = open_at(dir.path(), &[], AVTAL);
    let start = at(&file, &text, "lars-hom", 0)["position"].clone();
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file}, "range": {"start": start, "end": start},
               "context": {"diagnostics": []}}),
    );
    let actions = r["result"].as_array().unwrap_or_else(|| panic!("{r:#}"));
    assert_eq!(actions.len(), 1, "{r:#}");
    let a = &actions[0];
    assert_eq!(a["kind"], "quickfix");
    assert_eq!(a["title"], "Ersätt `lars-hom` med `lars-holm`");
    the(a, "ref/unknown");
    let edits = a["edit"]["changes"][&file].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    // Exactly the misspelt id.
    let end = json!({"line": start["line"], "character": start["character"].as_u64().unwrap() + 8});
    assert_eq!(edits[0]["range"], json!({"start": start, "end": end}));
    let fixed = apply(&text, &edits[0]);
    assert_eq!(
        fixed,
        text.replace("decided-by: lars-hom", "decided-by: lars-holm")
    );
    c.change(&file, 2, &fixed);
    let params = c.diagnostics_for(&file);
    assert!(
        !params["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "ref/unknown"),
        "{params:#}"
    );
    // Nothing to fix where there is no finding.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file}, "range": {"start": start, "end": start},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(r["result"], json!([]), "{r:#}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_after_a_non_bmp_character_find_the_reference() {
    // `𝄞` is two UTF-16 code units, four bytes: before the reference.
    let text = "{kind: person, id: ny-person, name: Åsa 𝄞, title: handlaggare, forvaltning: forvaltningen-for-service}\n";
    let dir = catalog(text);
    let file = uri(&dir.path().join(FILE));
    let target = uri(&dir.path().join("namnder/namnden-for-service.yaml"));
    for (encodings, utf8) in [(None, false), (Some(&["utf-8"][..]), true)] {
        let mut c = Client::start(&[], dir.path());
        c.initialize(dir.path(), encodings);
        c.open(&file, text);
        c.drain();
        let i = text.find("forvaltningen-for").unwrap();
        let col = if utf8 {
            i
        } else {
            text[..i].encode_utf16().count()
        };
        let pos =
            json!({"textDocument": {"uri": file}, "position": {"line": 0, "character": col + 2}});
        let r = c.request("textDocument/definition", pos.clone());
        assert_eq!(r["result"]["uri"], target, "{r:#}");
        let h = c.request("textDocument/hover", pos);
        assert_eq!(
            h["result"]["range"]["start"],
            json!({"line": 0, "character": col}),
            "{h:#}"
        );
        // One unit to the left of the value is the key: nothing.
        let before =
            json!({"textDocument": {"uri": file}, "position": {"line": 0, "character": col - 3}});
        let r = c.request("textDocument/definition", before);
        assert_eq!(r["result"], Value::Null, "{r:#}");
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn hostile_requests_get_empty_answers_or_errors_and_the_server_lives_on() {
    let dir = catalog(GOOD);
    let (mut c, file, _) = open_at(dir.path(), &[], AVTAL);
    let elsewhere = "file:///finns/inte/x.yaml";
    let far = json!({"line": 4_000_000_000u32, "character": 4_000_000_000u32});
    for method in [
        "textDocument/definition",
        "textDocument/hover",
        "textDocument/completion",
    ] {
        for doc in [file.as_str(), elsewhere, "untitled:Untitled-1"] {
            for pos in [far.clone(), json!({"line": 0, "character": 99})] {
                let r = c.request(
                    method,
                    json!({"textDocument": {"uri": doc}, "position": pos}),
                );
                assert_eq!(r["result"], Value::Null, "{method} {doc}: {r:#}");
            }
        }
        // Parameters that are not the method's: an error, not a crash.
        let r = c.request(method, json!({"nonsense": true}));
        assert_eq!(r["error"]["code"], -32602, "{r:#}");
    }
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file}, "range": {"start": far, "end": far},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(r["result"], json!([]), "{r:#}");
    // Still answering.
    let r = c.request(
        "textDocument/hover",
        at(
            &file,
            &fs::read_to_string(dir.path().join(AVTAL)).unwrap(),
            "lars-holm",
            0,
        ),
    );
    assert!(r["result"].is_object(), "{r:#}");
    assert_eq!(c.shutdown(), 0);
}
