//! `kdl lsp`: findings published as the catalog is edited, spoken to
//! as an editor would (the client is `tests/lsp/client.rs`).

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
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use client::*;

#[test]
fn a_finding_is_shown_on_open_and_cleared_by_an_unsaved_fix() {
    let dir = catalog(BAD);
    let file = uri(&dir.path().join(FILE));
    let mut c = Client::start(&[], dir.path());
    let init = c.initialize(dir.path(), None);
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "{init:#}");
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync: {init:#}");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["textDocumentSync"]["save"], true);
    assert_eq!(init["result"]["serverInfo"]["name"], "kdl");

    c.open(&file, BAD);
    let params = c.diagnostics_for(&file);
    let d = the(&params, "ref/unknown");
    assert_eq!(d["source"], "kdl");
    assert_eq!(d["severity"], 1, "error: {d:#}");
    // Line 5, after `forvaltning: ` (0-based).
    assert_eq!(d["range"]["start"], json!({"line": 4, "character": 13}));
    assert_eq!(
        d["range"]["end"],
        json!({"line": 4, "character": 13 + UNKNOWN.len()})
    );
    assert_eq!(params["version"], 1);
    // The same engine: the message is `kdl lint`'s, in Swedish by default.
    assert_eq!(d["message"], lint_message(dir.path(), "ref/unknown", None));

    // Fixed in the editor only: the file on disk still has the fault.
    c.change(&file, 2, GOOD);
    let params = c.diagnostics_for(&file);
    assert_eq!(params["diagnostics"], json!([]), "{params:#}");
    assert_eq!(fs::read_to_string(dir.path().join(FILE)).unwrap(), BAD);

    // Broken again, then closed: the file on disk counts again.
    c.change(&file, 3, BAD);
    let params = c.diagnostics_for(&file);
    the(&params, "ref/unknown");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file}}),
    );
    let params = c.diagnostics_for(&file);
    the(&params, "ref/unknown");
    assert_eq!(
        params["version"],
        Value::Null,
        "a closed file has no version"
    );

    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_count_utf16_code_units_or_bytes_when_the_client_takes_utf8() {
    // One line: `Å`, `Ö` (one UTF-16 unit, two bytes each) and `𝄞` (two
    // UTF-16 units, four bytes) before the unknown reference.
    let text = format!(
        "{{kind: person, id: ny-person, name: Åsa Öberg 𝄞, title: handlaggare, forvaltning: {UNKNOWN}}}\n"
    );
    let dir = catalog(&text);
    let file = uri(&dir.path().join(FILE));
    let at = text.find(UNKNOWN).unwrap();
    let prefix = &text[..at];
    let utf16 = prefix.encode_utf16().count();
    assert_ne!(
        utf16,
        prefix.chars().count(),
        "the line tests a non-BMP character"
    );
    assert_ne!(utf16, at);

    for (encodings, expected, name) in [
        (None, utf16, "utf-16"),
        (Some(&["utf-16"][..]), utf16, "utf-16"),
        (Some(&["utf-8", "utf-16"][..]), at, "utf-8"),
    ] {
        let mut c = Client::start(&[], dir.path());
        let init = c.initialize(dir.path(), encodings);
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], name);
        c.open(&file, &text);
        let params = c.diagnostics_for(&file);
        let d = the(&params, "ref/unknown");
        assert_eq!(
            d["range"]["start"],
            json!({"line": 0, "character": expected}),
            "{name}: {d:#}"
        );
        let end = if name == "utf-8" {
            at + UNKNOWN.len()
        } else {
            utf16 + UNKNOWN.len()
        };
        assert_eq!(d["range"]["end"], json!({"line": 0, "character": end}));
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn messages_are_swedish_by_default_and_english_with_lang_en() {
    let dir = catalog(BAD);
    let file = uri(&dir.path().join(FILE));
    let mut messages = Vec::new();
    for (args, lang) in [(&[][..], None), (&["--lang", "en"][..], Some("en"))] {
        let mut c = Client::start(args, dir.path());
        c.initialize(dir.path(), None);
        c.open(&file, BAD);
        let params = c.diagnostics_for(&file);
        let message = the(&params, "ref/unknown")["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(message, lint_message(dir.path(), "ref/unknown", lang));
        messages.push(message);
        assert_eq!(c.shutdown(), 0);
    }
    assert_ne!(messages[0], messages[1]);
    assert!(messages[0].contains(UNKNOWN), "{}", messages[0]);
}

#[test]
fn without_a_catalog_nothing_is_published_and_the_user_is_told() {
    let dir = tempfile::tempdir().expect("tmp");
    fs::create_dir_all(dir.path().join("personer")).unwrap();
    fs::write(dir.path().join(FILE), BAD).unwrap();
    let file = uri(&dir.path().join(FILE));
    let mut c = Client::start(&[], dir.path());
    c.initialize(dir.path(), None);
    c.open(&file, BAD);
    let all = c.drain();
    let logs: Vec<&Value> = all
        .iter()
        .filter(|m| m["method"] == "window/logMessage")
        .collect();
    assert_eq!(logs.len(), 1, "{all:#?}");
    let text = logs[0]["params"]["message"].as_str().unwrap();
    assert!(text.contains("ingen kdl.yaml"), "{text}");
    assert!(
        !all.iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{all:#?}"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_burst_of_changes_is_linted_once_for_its_last_text() {
    let dir = catalog(GOOD);
    let file = uri(&dir.path().join(FILE));
    let mut c = Client::start(&[], dir.path());
    c.initialize(dir.path(), None);
    c.open(&file, GOOD);
    for v in 2..40 {
        c.change(&file, v, if v % 2 == 0 { GOOD } else { BAD });
    }
    c.change(&file, 40, BAD);
    let all = c.drain();
    let ours: Vec<&Value> = all
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == file)
        .collect();
    // The last one is the last text; far fewer lints than changes.
    let last = ours.last().expect("published");
    the(&last["params"], "ref/unknown");
    assert_eq!(last["params"]["version"], 40);
    assert!(ours.len() < 39, "{} publishes for 39 changes", ours.len());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let dir = catalog(GOOD);
    let mut c = Client::start(&[], dir.path());
    c.initialize(dir.path(), None);
    c.notify("exit", Value::Null);
    drop(c.stdin.take());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(s) = c.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(1));
}

#[test]
fn publish_diagnostics_snapshot() {
    let dir = catalog(BAD);
    let file = uri(&dir.path().join(FILE));
    let mut c = Client::start(&[], dir.path());
    c.initialize(dir.path(), None);
    c.open(&file, BAD);
    let mut params = c.diagnostics_for(&file);
    let base = uri(dir.path());
    let text = params.to_string().replace(&base, "file:///KATALOG");
    params = serde_json::from_str(&text).unwrap();
    insta::assert_json_snapshot!("publish_diagnostics", params);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn related_places_point_into_other_files() {
    // `anna-strom` is already the id of `personer/anna-strom.yaml`, which
    // sorts first: the finding is here, the first id is related.
    let text = "kind: person\nid: anna-strom\nname: Ny Person\ntitle: handlaggare\nforvaltning: forvaltningen-for-service\n";
    let dir = catalog(text);
    let file = uri(&dir.path().join(FILE));
    let mut c = Client::start(&[], dir.path());
    c.initialize(dir.path(), None);
    c.open(&file, text);
    let params = c.diagnostics_for(&file);
    let d = the(&params, "id/duplicate");
    assert_eq!(d["range"]["start"], json!({"line": 1, "character": 4}));
    let related = d["relatedInformation"].as_array().expect("related");
    assert_eq!(related.len(), 1, "{d:#}");
    let r = &related[0];
    assert_eq!(
        r["location"]["uri"],
        uri(&dir.path().join("personer/anna-strom.yaml"))
    );
    assert_eq!(
        r["location"]["range"]["start"],
        json!({"line": 1, "character": 4})
    );
    assert!(!r["message"].as_str().unwrap().is_empty());
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn an_open_kdl_yaml_is_read_from_the_editor() {
    let dir = catalog(GOOD);
    let config = uri(&dir.path().join("kdl.yaml"));
    let on_disk = fs::read_to_string(dir.path().join("kdl.yaml")).unwrap();
    let broken = on_disk.replace("model: kungsbacka-2023.1", "model: finns-inte");
    assert_ne!(broken, on_disk);
    let mut c = Client::start(&[], dir.path());
    c.initialize(dir.path(), None);
    c.open(&config, &broken);
    let params = c.diagnostics_for(&config);
    let d = the(&params, "config/invalid");
    assert_eq!(d["range"]["start"]["line"], 1, "{d:#}");
    c.change(&config, 2, &on_disk);
    let params = c.diagnostics_for(&config);
    assert_eq!(params["diagnostics"], json!([]));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_file_whose_findings_did_not_change_is_not_sent_again() {
    let dir = catalog(BAD);
    let other = "personer/annan.yaml";
    fs::write(
        dir.path().join(other),
        "kind: person\nid: annan\nname: Annan\ntitle: handlaggare\nforvaltning: forvaltningen-som-inte-finns\n",
    )
    .unwrap();
    let file = uri(&dir.path().join(FILE));
    let other = uri(&dir.path().join(other));
    let mut c = Client::start(&[], dir.path());
    c.initialize(dir.path(), None);
    c.open(&file, BAD);
    let first = c.drain();
    let sent = |all: &[Value], u: &str| {
        all.iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u)
            .count()
    };
    assert_eq!(
        sent(&first, &other),
        1,
        "the other file's findings: {first:#?}"
    );
    assert_eq!(sent(&first, &file), 1);
    c.change(&file, 2, GOOD);
    let second = c.drain();
    assert_eq!(sent(&second, &file), 1, "cleared: {second:#?}");
    assert_eq!(sent(&second, &other), 0, "unchanged, not sent: {second:#?}");
    assert_eq!(c.shutdown(), 0);
}
