//! The shape of `src/`: the core (load → validate → resolve → check, the
//! messages and the model) never reaches into the output layer (`report`,
//! `yearly`, the editor server `lsp`) or the command line (`cli`), so that
//! every front end — the renderers, the yearly report, the editor server, a
//! published site — builds on the same core.

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::fs;
use std::path::Path;

/// Core modules (directories or files under `src/`).
const CORE: &[&str] = &[
    "load",
    "schema",
    "catalog",
    "resolve.rs",
    "check",
    "model",
    "messages",
    "diagnostic.rs",
    "config.rs",
    "changed",
    "baseline.rs",
    "suggest.rs",
    "intern.rs",
    "i18n.rs",
    "progress.rs",
];

const OUTPUT: &[&str] = &["report", "yearly", "cli", "lsp"];

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = fs::read_dir(path)
            .expect("read dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            rust_files(&e, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn the_core_never_imports_the_output_layer() {
    let src = common::root().join("src");
    let mut files = Vec::new();
    for m in CORE {
        let p = src.join(m);
        assert!(p.exists(), "core module {m} moved: update this list");
        rust_files(&p, &mut files);
    }
    let mut offences = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).expect("read");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for o in OUTPUT {
                if code.contains(&format!("crate::{o}::")) || code.contains(&format!("crate::{o};"))
                {
                    offences.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "the core imports the output layer:\n{}",
        offences.join("\n")
    );
}
