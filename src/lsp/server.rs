//! The server loop: initialize, keep the open buffers, lint the whole
//! catalog after each burst of edits and publish what changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::error::Error;
use std::path::{Component, Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Completion, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, HoverProviderCapability, InitializeParams, InitializeResult,
    LogMessageParams, MessageType, OneOf, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};

use super::convert::{Converter, Encoding, Text};
use super::overlay::Overlay;
use super::snapshot::{Snapshot, View};
use crate::i18n::Lang;
use crate::LintOptions;

type Failure = Box<dyn Error + Send + Sync>;

/// `kdl lsp`: serves on stdin/stdout until `shutdown` and `exit`. The exit
/// code is 0 after both, 1 when the client left without `shutdown`.
pub fn run(lang: Lang) -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection, lang) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kdl lsp: {e}");
            1
        }
    };
    drop(connection);
    match io_threads.join() {
        Ok(()) => code,
        Err(e) => {
            eprintln!("kdl lsp: {e}");
            code.max(1)
        }
    }
}

/// What the server keeps between messages.
struct State {
    lang: Lang,
    encoding: Encoding,
    /// The catalog root (canonical), once known.
    root: Option<PathBuf>,
    overlay: Overlay,
    /// The open files' URIs (as the editor spells them) and versions, by
    /// catalog-relative path.
    open: HashMap<String, (Url, i32)>,
    /// What the editor shows now, by file (files without findings left out).
    published: BTreeMap<Url, Vec<lsp_types::Diagnostic>>,
    /// Files closed since the last publish: their findings are sent again
    /// (now without a version), changed or not.
    closed: BTreeSet<Url>,
    /// The last lint, for the requests that read the catalog; `None`
    /// before the first one and after one that failed.
    snapshot: Option<Snapshot>,
}

fn serve(conn: &Connection, lang: Lang) -> Result<i32, Failure> {
    let (id, params) = conn.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let result = InitializeResult {
        capabilities: ServerCapabilities {
            position_encoding: Some(encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::FULL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            definition_provider: Some(OneOf::Left(true)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions::default()),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            ..ServerCapabilities::default()
        },
        server_info: Some(ServerInfo {
            name: "kdl".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    conn.initialize_finish(id, serde_json::to_value(result)?)?;

    let mut state = State {
        lang,
        encoding,
        root: workspace_root(&params),
        overlay: Overlay::default(),
        open: HashMap::new(),
        published: BTreeMap::new(),
        closed: BTreeSet::new(),
        snapshot: None,
    };
    if state.root.is_none() {
        state.log(conn, MessageType::WARNING, no_catalog(lang))?;
    }
    main_loop(conn, &mut state)
}

fn no_catalog(lang: Lang) -> String {
    match lang {
        Lang::Sv => "kdl: ingen kdl.yaml i arbetsytan eller någon mapp ovanför; kdl visar fynd först när en fil i en katalog öppnas".to_string(),
        Lang::En => "kdl: no kdl.yaml in the workspace or any folder above it; kdl shows findings once a file in a catalog is opened".to_string(),
    }
}

/// The catalog root of the first workspace folder (or `rootUri`) that
/// lies in a catalog: `kdl.yaml` there or in a folder above.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    #[allow(deprecated)] // rootUri: what clients without workspace folders send
    let root_uri = params.root_uri.iter();
    params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| &f.uri)
        .chain(root_uri)
        .filter_map(|u| u.to_file_path().ok())
        .find_map(|p| crate::load::find_root(&p))
}

fn main_loop(conn: &Connection, state: &mut State) -> Result<i32, Failure> {
    let mut next: Option<Message> = None;
    loop {
        let msg = match next.take() {
            Some(m) => m,
            None => match conn.receiver.recv() {
                Ok(m) => m,
                // The client closed the stream without `exit`.
                Err(_) => return Ok(1),
            },
        };
        let mut dirty = false;
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req)? {
                    return Ok(0);
                }
                let resp = state.answer(req);
                conn.sender.send(resp.into())?;
                continue;
            }
            Message::Response(_) => continue,
            Message::Notification(n) => {
                if n.method == Exit::METHOD {
                    // `exit` without `shutdown`.
                    return Ok(1);
                }
                dirty |= state.apply(n);
            }
        }
        // A burst of edits is one lint: take every edit already queued.
        while let Ok(m) = conn.receiver.try_recv() {
            match m {
                Message::Notification(n) if is_sync(&n.method) => dirty |= state.apply(n),
                // Completion reads the buffer as it is now and only the ids
                // from the last lint: it need not wait for the next one
                // (typing is a change and a completion per keystroke).
                Message::Request(r) if r.method == Completion::METHOD => {
                    let resp = state.answer(r);
                    conn.sender.send(resp.into())?;
                }
                other => {
                    next = Some(other);
                    break;
                }
            }
        }
        if dirty {
            state.publish(conn)?;
        }
    }
}

fn is_sync(method: &str) -> bool {
    [
        DidOpenTextDocument::METHOD,
        DidChangeTextDocument::METHOD,
        DidSaveTextDocument::METHOD,
        DidCloseTextDocument::METHOD,
    ]
    .contains(&method)
}

impl State {
    fn log(&self, conn: &Connection, typ: MessageType, message: String) -> Result<(), Failure> {
        let params = LogMessageParams { typ, message };
        conn.sender
            .send(Notification::new(LogMessage::METHOD.to_string(), params).into())?;
        Ok(())
    }

    /// The catalog-relative path of a document, when it lies in the catalog.
    fn rel(&self, uri: &Url) -> Option<String> {
        let root = self.root.as_ref()?;
        let path = uri.to_file_path().ok()?;
        rel_in(root, &path)
    }

    /// A document opened outside any known catalog may name one: the
    /// first such file sets the root.
    fn find_root_from(&mut self, uri: &Url) {
        if self.root.is_some() {
            return;
        }
        let dir = uri
            .to_file_path()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        self.root = dir.and_then(|d| crate::load::find_root(&d));
    }

    /// Applies one notification; true when the catalog may read differently.
    fn apply(&mut self, n: Notification) -> bool {
        match n.method.as_str() {
            m if m == DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return false;
                };
                let doc = p.text_document;
                self.find_root_from(&doc.uri);
                let Some(rel) = self.rel(&doc.uri) else {
                    return false;
                };
                self.overlay.set(rel.clone(), doc.text);
                self.open.insert(rel, (doc.uri, doc.version));
                true
            }
            m if m == DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return false;
                };
                let Some(rel) = self.rel(&p.text_document.uri) else {
                    return false;
                };
                let encoding = self.encoding;
                let Some(buffer) = self.overlay.get_mut(&rel) else {
                    return false;
                };
                for change in p.content_changes {
                    match change.range {
                        None => *buffer = change.text,
                        // Not asked for (the sync is full), but understood.
                        Some(range) => {
                            let text = Text::new(buffer.as_str());
                            let start = text.offset(range.start, encoding);
                            let end = text.offset(range.end, encoding).max(start);
                            buffer.replace_range(start..end, &change.text);
                        }
                    }
                }
                if let Some(open) = self.open.get_mut(&rel) {
                    open.1 = p.text_document.version;
                }
                true
            }
            m if m == DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) else {
                    return false;
                };
                let Some(rel) = self.rel(&p.text_document.uri) else {
                    return false;
                };
                if let Some(text) = p.text {
                    if self.open.contains_key(&rel) {
                        self.overlay.set(rel, text);
                    }
                }
                // Whatever else changed on disk with the save is read too.
                true
            }
            m if m == DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return false;
                };
                let Some(rel) = self.rel(&p.text_document.uri) else {
                    return false;
                };
                self.overlay.remove(&rel);
                if let Some((uri, _)) = self.open.remove(&rel) {
                    self.closed.insert(uri);
                }
                // From now on the file on disk counts.
                true
            }
            _ => false,
        }
    }

    /// Lints the catalog with the open buffers and publishes every file's
    /// findings; a file whose findings are gone gets an empty list.
    fn publish(&mut self, conn: &Connection) -> Result<(), Failure> {
        let Some(root) = self.root.clone() else {
            return Ok(());
        };
        let opts = LintOptions {
            drop_documents: true,
            ..LintOptions::default()
        };
        // The last lint's catalog goes first: two never exist at once.
        self.snapshot = None;
        // A bug that panics in a rule costs this lint, not the editor's server.
        let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::lint_from(&self.overlay, root, true, &opts)
        }));
        let run = match linted {
            Ok(Ok(run)) => run,
            Ok(Err(f)) => {
                let message = format!("kdl: {}", f.message(self.lang));
                return self.log(conn, MessageType::ERROR, message);
            }
            Err(_) => {
                let message = match self.lang {
                    Lang::Sv => "kdl: internt fel under granskningen; fynden visas igen efter nästa ändring",
                    Lang::En => "kdl: internal error while linting; findings are shown again after the next change",
                };
                return self.log(conn, MessageType::ERROR, message.to_string());
            }
        };
        let uris: HashMap<String, Url> = self
            .open
            .iter()
            .map(|(rel, (uri, _))| (rel.clone(), uri.clone()))
            .collect();
        let versions: HashMap<&Url, i32> = self.open.values().map(|(u, v)| (u, *v)).collect();
        let found = Converter::new(&run, &self.overlay, &uris, self.lang, self.encoding).all();
        let gone: Vec<Url> = self
            .published
            .keys()
            .filter(|u| !found.contains_key(*u))
            .cloned()
            .collect();
        let closed = std::mem::take(&mut self.closed);
        // The open files first (what the user looks at), then the rest.
        let (open, rest): (Vec<_>, Vec<_>) = found
            .iter()
            .map(|(u, d)| (u.clone(), d.clone()))
            .chain(gone.into_iter().map(|u| (u, Vec::new())))
            .partition(|(u, _)| versions.contains_key(u));
        for (uri, diagnostics) in open.into_iter().chain(rest) {
            // A file whose findings are as the editor shows them is not
            // sent again (on a large catalog most files, every keystroke),
            // unless it is open or was just closed.
            let unchanged = self
                .published
                .get(&uri)
                .map_or(diagnostics.is_empty(), |shown| *shown == diagnostics);
            if unchanged && !versions.contains_key(&uri) && !closed.contains(&uri) {
                continue;
            }
            let version = versions.get(&uri).copied();
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            };
            conn.sender
                .send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into())?;
        }
        self.published = found;
        self.snapshot = Some(Snapshot::new(run));
        Ok(())
    }

    /// Answers a request from the last lint. A bug that panics costs the
    /// request (an internal error), not the server.
    fn answer(&self, req: lsp_server::Request) -> Response {
        let id = req.id.clone();
        let open: HashMap<String, Url> = self
            .open
            .iter()
            .map(|(rel, (uri, _))| (rel.clone(), uri.clone()))
            .collect();
        let view = self.snapshot.as_ref().map(|snap| View {
            snap,
            overlay: &self.overlay,
            open: &open,
            lang: self.lang,
            encoding: self.encoding,
        });
        let rel = |uri: &Url| self.rel(uri);
        let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::requests::answer(view.as_ref(), &rel, req)
        }));
        answered.unwrap_or_else(|_| {
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "kdl lsp: internal error".to_string(),
            )
        })
    }
}

/// `path` relative to the catalog `root`, `/`-separated as the walk spells
/// it; `None` outside the catalog. The path is taken as given first, then
/// with its links resolved (the root is canonical).
fn rel_in(root: &Path, path: &Path) -> Option<String> {
    let plain = path.strip_prefix(root).ok().map(Path::to_path_buf);
    let rel = plain.or_else(|| {
        let canonical = path.canonicalize().ok().or_else(|| {
            // A file not (yet) on disk: its folder's canonical path.
            let dir = path.parent()?.canonicalize().ok()?;
            Some(dir.join(path.file_name()?))
        })?;
        canonical.strip_prefix(root).ok().map(Path::to_path_buf)
    })?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?.to_string()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_root_have_a_relative_path() {
        let root = Path::new("/k");
        assert_eq!(
            rel_in(root, Path::new("/k/system/a.yaml")).as_deref(),
            Some("system/a.yaml")
        );
        assert_eq!(rel_in(root, Path::new("/k")), None);
        assert_eq!(rel_in(root, Path::new("/k/../x/a.yaml")), None);
        assert_eq!(rel_in(root, Path::new("/elsewhere/a.yaml")), None);
    }
}
