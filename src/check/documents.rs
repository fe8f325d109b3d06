//! Mandatory agreements per category (M §7, "Obligatorisk dokumentation"):
//! one kind, `docs/agreement` (format 1 ids `docs/grundavtal`, `docs/sla`),
//! the document a parameter; the category table says which categories
//! require it.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::System;
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::Model;

use super::contracts::Expired;
use super::kind::{Cx, Kind, ParamError, Rule};

/// A document the system's category requires, fulfilled by a valid
/// agreement of the document's avtal type covering the system.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Agreement {
    /// The model document (`documents:`) whose agreement is required.
    pub document: String,
}

impl Kind for Agreement {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        match m.documents.get(&self.document) {
            None => Err(ParamError::unknown(
                &["document"],
                ("dokument", "document"),
                &self.document,
                m.documents.keys().map(String::as_str),
            )),
            Some(d) if d.avtal.is_none() => Err(ParamError::at(
                &["document"],
                format!("dokumentet `{}` är inget avtal (ange `avtal:` i modellens `documents`)", self.document),
                format!("document `{}` is not an agreement (give it `avtal:` in the model's `documents`)", self.document),
            )),
            Some(_) => Ok(()),
        }
    }
}

impl Rule for Agreement {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        let Some(cat_id) = &s.category else { return };
        let Some(cat) = cx.model.category(&cat_id.v) else {
            return;
        };
        if !cat.documents.contains(&self.document) {
            return;
        }
        let Some(doc) = cx.model.documents.get(&self.document) else {
            return;
        };
        let Some(avtal_type) = doc.avtal.as_deref() else {
            return;
        };
        let of_type: Vec<_> = cx
            .ix
            .agreements(&s.head.id.v)
            .filter(|a| a.type_is(avtal_type))
            .collect();
        if of_type.iter().any(|a| a.valid_on(cx.as_of)) {
            return;
        }
        // Only expired ones, on a system in use: that is `contract/expired`'s
        // finding (the more specific rule), not a missing document.
        let expired = of_type
            .iter()
            .any(|a| a.valid_until.as_ref().is_some_and(|u| u.v < cx.as_of));
        if expired && cx.in_use(s) && cx.params_of::<Expired>().any(|e| e.typ == avtal_type) {
            return;
        }
        out.push(cx.diag(
            &s.head,
            cat_id.key,
            "category",
            Msg::DocumentMissing {
                document: doc.label.clone(),
                category: cat_id.v.to_string(),
            },
        ));
    }
}
