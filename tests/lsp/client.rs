//! A language client for the tests of `kdl lsp` (`tests/lsp.rs`,
//! `tests/lsp_features.rs`): the binary spoken to as an editor would,
//! JSON-RPC with `Content-Length` framing over its stdin and stdout, on a
//! copy of the base catalog. Every wait has a timeout, so a hang fails the
//! test.

use std::collections::VecDeque;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{copy_dir, kdl, root};

/// Longest wait for one message (a debug build lints the base catalog in
/// well under a second).
pub const WAIT: Duration = Duration::from_secs(60);

pub const FILE: &str = "personer/ny-person.yaml";
pub const BAD: &str = "kind: person\nid: ny-person\nname: Ny Person\ntitle: handlaggare\nforvaltning: forvaltningen-som-inte-finns\n";
pub const GOOD: &str = "kind: person\nid: ny-person\nname: Ny Person\ntitle: handlaggare\nforvaltning: forvaltningen-for-service\n";
pub const UNKNOWN: &str = "forvaltningen-som-inte-finns";

/// A language client: the server process, its stdin, and what a reader
/// thread parsed from its stdout.
pub struct Client {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    pub rx: Receiver<Value>,
    /// Messages read while waiting for another one.
    pub backlog: VecDeque<Value>,
    pub next_id: i64,
}

impl Client {
    pub fn start(args: &[&str], dir: &Path) -> Client {
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

    pub fn send(&mut self, v: Value) {
        let body = v.to_string();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (other messages wait
    /// in the backlog).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
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

    pub fn recv(&mut self) -> Value {
        if let Some(m) = self.backlog.pop_front() {
            return m;
        }
        self.rx
            .recv_timeout(WAIT)
            .unwrap_or_else(|e| panic!("no message from the server ({e})"))
    }

    /// The next `publishDiagnostics` for `uri` (others are skipped).
    pub fn diagnostics_for(&mut self, uri: &str) -> Value {
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
    pub fn drain(&mut self) -> Vec<Value> {
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

    pub fn initialize(&mut self, dir: &Path, encodings: Option<&[&str]>) -> Value {
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

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` and `exit`; the exit status.
    pub fn shutdown(mut self) -> i32 {
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

pub fn uri(path: &Path) -> String {
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
pub fn catalog(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    copy_dir(&root().join("tests/fixtures/base"), dir.path());
    fs::write(dir.path().join(FILE), text).expect("write");
    dir
}

/// The finding `rule` of `params`' diagnostics.
pub fn the<'a>(params: &'a Value, rule: &str) -> &'a Value {
    let all = params["diagnostics"].as_array().expect("a list");
    let hits: Vec<&Value> = all.iter().filter(|d| d["code"] == rule).collect();
    assert_eq!(hits.len(), 1, "one {rule} in {params:#}");
    hits[0]
}

/// `kdl lint --format json`'s message for `rule` in `FILE`.
pub fn lint_message(dir: &Path, rule: &str, lang: Option<&str>) -> String {
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
