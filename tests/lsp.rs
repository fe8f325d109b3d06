//! `kdl lsp`: the binary spoken to as an editor would, JSON-RPC with
//! `Content-Length` framing over its stdin and stdout, on a copy of the
//! base catalog. Every wait has a timeout, so a hang fails the test.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::VecDeque;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::{copy_dir, kdl, root};

/// Longest wait for one message (a debug build lints the base catalog in
/// well under a second).
const WAIT: Duration = Duration::from_secs(60);

const FILE: &str = "personer/ny-person.yaml";
const BAD: &str = "kind: person\nid: ny-person\nname: Ny Person\ntitle: handlaggare\nforvaltning: forvaltningen-som-inte-finns\n";
const GOOD: &str = "kind: person\nid: ny-person\nname: Ny Person\ntitle: handlaggare\nforvaltning: forvaltningen-for-service\n";
const UNKNOWN: &str = "forvaltningen-som-inte-finns";

/// A language client: the server process, its stdin, and what a reader
/// thread parsed from its stdout.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages read while waiting for another one.
    backlog: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    fn start(args: &[&str], dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kdl"))
            .arg("lsp")
            .args(args)
            .current_dir(dir)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kdl lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        len = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("a JSON message");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            backlog: VecDeque::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (other messages wait
    /// in the backlog).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        let mut skipped = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = self
                .rx
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("no response to {method} ({e})"));
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                self.backlog.extend(skipped);
                return m;
            }
            skipped.push(m);
        }
    }

    fn recv(&mut self) -> Value {
        if let Some(m) = self.backlog.pop_front() {
            return m;
        }
        self.rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|e| panic!("no message from the server ({e})"))
    }

    /// The next `publishDiagnostics` for `uri` (others are skipped).
    fn diagnostics_for(&mut self, uri: &str) -> Value {
        loop {
            let m = self.recv();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"].clone();
            }
        }
    }

    /// Every message until the response to a request the server does not
    /// know: it handles messages in order, so whatever an earlier message
    /// caused has been sent by then.
    fn drain(&mut self) -> Vec<Value> {
        let mut before: Vec<Value> = self.backlog.drain(..).collect();
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": "kdl/ping"}));
        loop {
            let m = self
                .rx
                .recv_timeout(WAIT)
                .unwrap_or_else(|e| panic!("no answer to kdl/ping ({e})"));
            if m.get("id") == Some(&json!(id)) {
                assert_eq!(m["error"]["code"], -32601, "{m}");
                return before;
            }
            before.push(m);
        }
    }

    fn initialize(&mut self, dir: &Path, encodings: Option<&[&str]>) -> Value {
        let uri = uri(dir);
        let mut caps = json!({});
        if let Some(e) = encodings {
            caps = json!({"general": {"positionEncodings": e}});
        }
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "katalog"}],
                "capabilities": caps,
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` and `exit`; the exit status.
    fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().expect("exited, not killed");
            }
            assert!(Instant::now() < deadline, "kdl lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let path = path.canonicalize().expect("canonical");
    let mut s = String::from("file://");
    for part in path
        .to_str()
        .expect("UTF-8 path")
        .split('/')
        .filter(|p| !p.is_empty())
    {
        s.push('/');
        s.push_str(part);
    }
    s
}

/// A copy of the base catalog with `FILE` on disk as `text`.
fn catalog(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    fs::write(dir.path().join(FILE), text).expect("write");
    dir
}

/// The finding `rule` of `params`' diagnostics.
fn the<'a>(params: &'a Value, rule: &str) -> &'a Value {
    let all = params["diagnostics"].as_array().expect("a list");
    let hits: Vec<&Value> = all.iter().filter(|d| d["code"] == rule).collect();
    assert_eq!(hits.len(), 1, "one {rule} in {params:#}");
    hits[0]
}

/// `kdl lint --format json`'s message for `rule` in `FILE`.
fn lint_message(dir: &Path, rule: &str, lang: Option<&str>) -> String {
    let mut c = kdl();
    c.arg("lint").arg(dir).args(["--format", "json"]);
    if let Some(l) = lang {
        c.args(["--lang", l]);
    }
    let out = c.output().expect("kdl lint");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["file"] == FILE && d["rule"] == rule)
        .and_then(|d| d["message"].as_str())
        .unwrap_or_else(|| panic!("kdl lint has no {rule} in {FILE}: {json:#}"))
        .to_string()
}

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

// ---- definition, hover, completion, quick fixes -----------------------

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
    assert_eq!(a["diagnostics"][0]["code"], "ref/unknown");
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
