//! Go to definition: from a reference (a role holder, an agreement's
//! system, a `used-by` nämnd, a person's förvaltning …) to the `id:` of
//! the entity it names, or where the förvaltning, unit or support process
//! is declared.

use lsp_types::{Location, Position};

use super::snapshot::{target, View};
use crate::catalog::refs;

/// The declaration of the reference at `pos` in `rel`; `None` when there
/// is no reference there or it names nothing in the catalog.
pub fn definition(v: &View, rel: &str, pos: Position) -> Option<Location> {
    let doc = v.doc(rel, pos)?;
    let entity = v.snap.entity(doc.file)?;
    let run = v.snap.run();
    let r = refs::reference_at(entity, &run.model, doc.offset)?;
    let ix = v.snap.index();
    let (file, span) = target(ix, run, &r)?.declared()?;
    v.location(file, span)
}
