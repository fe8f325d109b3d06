//! `kdl lsp`: a Language Server Protocol server over stdio that shows
//! `kdl lint`'s findings while the catalog is edited. It runs the very
//! same engine ([`crate::lint_from`]) over the catalog as the editor has it:
//! open buffers over the files on disk ([`overlay::Overlay`]).
//!
//! - [`server`]: the loop (initialize, text sync, publish, shutdown);
//! - [`convert`]: byte spans to LSP positions, findings to LSP diagnostics;
//! - [`overlay`]: the source that reads open buffers instead of the disk;
//! - [`snapshot`]: the last lint, kept for the requests below, and what a
//!   reference names;
//! - [`requests`]: answers them: [`definition`], [`hover`], [`completion`]
//!   and quick fixes ([`actions`]).

pub mod actions;
pub mod completion;
pub mod convert;
pub mod definition;
pub mod hover;
pub mod overlay;
pub mod requests;
pub mod server;
pub mod snapshot;

pub use server::run;
