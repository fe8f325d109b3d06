//! Which entities the report covers (`--namnd`).

use std::collections::HashSet;

use super::owner_role;
use crate::catalog::{Index, NamndSet};
use crate::diagnostic::Diagnostic;
use crate::Run;

/// Which entities the report covers.
pub(crate) struct Scope {
    all: bool,
    ids: HashSet<String>,
}

impl Scope {
    /// Everything, or what concerns nämnd `n`: the systems it owns (its
    /// förvaltning employs the ägare) or uses, their agreements, its
    /// behandlingar, its own file and its förvaltning's persons.
    pub(crate) fn new(run: &Run, ix: &Index, namnd: Option<&str>) -> Scope {
        let Some(n) = namnd else {
            return Scope {
                all: true,
                ids: HashSet::new(),
            };
        };
        let owner_role = owner_role(run);
        let mut ids = HashSet::new();
        ids.insert(n.to_string());
        let forvaltning = ix
            .namnd(n)
            .and_then(|x| x.forvaltning.as_ref())
            .map(|f| f.id.v.clone());
        for s in &ix.systems {
            let uses = s.used_by.as_ref().is_some_and(|u| u.v.contains(n));
            let owns = ix
                .owner_namnd(s, &owner_role)
                .is_some_and(|o| o.head.id.v == n);
            if uses || owns {
                ids.insert(s.head.id.v.to_string());
            }
        }
        for a in &ix.avtal {
            let about = a.systems.iter().any(|s| ids.contains(s.v.as_str()))
                || a.from.as_ref().is_some_and(|f| f.v == n)
                || matches!(&a.controllers, Some(c) if matches!(&c.v, NamndSet::List(_)) && c.v.contains(n));
            if about {
                ids.insert(a.head.id.v.to_string());
            }
        }
        for b in &ix.behandlingar {
            if b.controller.as_ref().is_some_and(|c| c.v == n)
                || b.joint_with.iter().any(|j| j.v == n)
            {
                ids.insert(b.head.id.v.to_string());
            }
        }
        for p in &ix.persons {
            if forvaltning.is_some() && p.forvaltning.as_ref().map(|f| &f.v) == forvaltning.as_ref()
            {
                ids.insert(p.head.id.v.to_string());
            }
        }
        Scope { all: false, ids }
    }

    pub(crate) fn has(&self, id: &str) -> bool {
        self.all || self.ids.contains(id)
    }

    /// A finding is in scope when its entity or its subject is.
    pub(crate) fn covers(&self, d: &Diagnostic) -> bool {
        self.all
            || d.entity.as_deref().is_some_and(|e| self.has(e))
            || d.subject.as_deref().is_some_and(|e| self.has(e))
    }
}
