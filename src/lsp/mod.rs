//! `kdl lsp`: a Language Server Protocol server over stdio that shows
//! `kdl lint`'s findings while the catalog is edited. It runs the very
//! same engine ([`crate::lint_from`]) over the catalog as the editor has it:
//! open buffers over the files on disk ([`overlay::Overlay`]).
//!
//! - [`server`]: the loop (initialize, text sync, publish, shutdown);
//! - [`convert`]: byte spans to LSP positions, findings to LSP diagnostics;
//! - [`overlay`]: the source that reads open buffers instead of the disk.

pub mod convert;
pub mod overlay;
pub mod server;

pub use server::run;
