//! The processing register (R "Behandlingsregister"): every nämnd using a
//! system with personal data has a behandling for it; joint controllership
//! with the nämnd whose support process a kommungemensam system serves.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::{Behandling, System};
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::Model;

use super::kind::{Cx, Kind, ParamError, Rule};

/// `register/missing`: a selected system with personal data is used by a
/// nämnd that has no behandling listing it.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Missing {}

impl Kind for Missing {}

impl Rule for Missing {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        missing(cx, s, out);
    }
}

/// Cost: O(behandlingar listing the system + users).
fn missing(ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
    if s.processed() != Some(true) {
        return;
    }
    let Some(used) = &s.used_by else { return };
    let registered: HashSet<&str> = ctx
        .ix
        .behandlingar_of(&s.head.id.v)
        .iter()
        .filter_map(|i| ctx.ix.behandlingar.get(*i))
        .flat_map(|b| b.controller.iter().chain(b.joint_with.iter()))
        .map(|n| n.v.as_str())
        .collect();
    let namnder: Vec<String> = ctx
        .ix
        .namnd_ids(&used.v)
        .into_iter()
        .filter(|n| !registered.contains(n) && ctx.ix.namnd(n).is_some())
        .map(str::to_string)
        .collect();
    if !namnder.is_empty() {
        out.push(ctx.diag(
            &s.head,
            used.key,
            "used-by",
            Msg::RegisterMissing { namnder },
        ));
    }
}

/// `register/joint`: a behandling uses a selected system (select its
/// scope) that supports a stödprocess of one of `stodprocess-organisations`,
/// but neither names that nämnd as controller nor in `joint-with`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Joint {
    #[serde(default)]
    pub stodprocess_organisations: Vec<String>,
}

impl Kind for Joint {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        for p in &self.stodprocess_organisations {
            if !m.organisation.contains_key(p) {
                return Err(ParamError::unknown(
                    &["stodprocess-organisations"],
                    ("organisationsdel", "organisation part"),
                    p,
                    m.organisation.keys().map(String::as_str),
                ));
            }
        }
        Ok(())
    }
}

impl Rule for Joint {
    fn behandling(&self, cx: &Cx, b: &Behandling, out: &mut Vec<Diagnostic>) {
        joint(cx, self, b, out);
    }
}

fn joint(ctx: &Cx, p: &Joint, b: &Behandling, out: &mut Vec<Diagnostic>) {
    let parts: Vec<&str> = p
        .stodprocess_organisations
        .iter()
        .map(String::as_str)
        .collect();
    let controller = b.controller.as_ref().map(|c| c.v.as_str());
    let mut reported: HashSet<&str> = HashSet::new();
    for sref in &b.systems {
        let Some(s) = ctx.ix.system(&sref.v) else {
            continue;
        };
        if !ctx.selects(s) {
            continue;
        }
        let Some((_, namnd)) = super::scope::stodprocess_owner(ctx, s, &parts) else {
            continue;
        };
        if controller == Some(namnd)
            || b.joint_with.iter().any(|j| j.v == namnd)
            || !reported.insert(namnd)
        {
            continue;
        }
        let span = b
            .joint_with_key
            .or(b.controller.as_ref().map(|c| c.key))
            .unwrap_or(b.head.id.key);
        out.push(
            ctx.diag(
                &b.head,
                span,
                "joint-with",
                Msg::RegisterJoint {
                    namnd: namnd.to_string(),
                    system: s.head.id.v.to_string(),
                },
            )
            .subject(&s.head.id.v),
        );
    }
}
