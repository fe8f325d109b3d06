//! Organisation scope (M §3): who owns a system that supports a
//! stödprocess, and whether the scope matches who uses it. (Who may hold a
//! role in a kommungemensam system is `roles/holder` with
//! `in-forvaltning-of`.)

use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::{NamndSet, System};
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::Model;

use super::kind::{Cx, Kind, ParamError, Rule};
use super::Ctx;

/// The stödprocess of `s`, if one of the organisation parts `parts` lists
/// it; returns (part, nämnd id).
pub fn stodprocess_owner<'a>(
    ctx: &'a Ctx,
    s: &System,
    parts: &[&'a str],
) -> Option<(&'a str, &'a str)> {
    let sp = s.stodprocess.as_ref()?;
    parts.iter().find_map(|part| {
        let id = ctx.org_namnd(part)?;
        let n = ctx.ix.namnd(id)?;
        n.stodprocesser
            .iter()
            .any(|x| x.v == sp.v)
            .then_some((*part, n.head.id.v.as_str()))
    })
}

/// `scope/kommungemensam-agare`: a selected system that supports a
/// stödprocess of `stodprocess-organisation` should have that nämnd's
/// förvaltningschef (`stodprocess-title`) as `role`; any other selected
/// system a holder with `default-title`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct StodprocessOwner {
    pub role: String,
    pub stodprocess_organisation: String,
    pub stodprocess_title: String,
    pub default_title: String,
}

impl Kind for StodprocessOwner {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        if !m.roles.contains_key(&self.role) {
            return Err(ParamError::unknown(
                &["role"],
                ("roll", "role"),
                &self.role,
                m.roles.keys().map(String::as_str),
            ));
        }
        if !m.organisation.contains_key(&self.stodprocess_organisation) {
            return Err(ParamError::unknown(
                &["stodprocess-organisation"],
                ("organisationsdel", "organisation part"),
                &self.stodprocess_organisation,
                m.organisation.keys().map(String::as_str),
            ));
        }
        for (path, t) in [
            ("stodprocess-title", &self.stodprocess_title),
            ("default-title", &self.default_title),
        ] {
            if !m.titles.contains_key(t) {
                return Err(ParamError::unknown(
                    &[path],
                    ("titel", "title"),
                    t,
                    m.titles.keys().map(String::as_str),
                ));
            }
        }
        Ok(())
    }
}

impl Rule for StodprocessOwner {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        kommungemensam_agare(cx, self, s, out);
    }
}

fn kommungemensam_agare(ctx: &Cx, p: &StodprocessOwner, s: &System, out: &mut Vec<Diagnostic>) {
    let role = p.role.as_str();
    let part = p.stodprocess_organisation.as_str();
    for (h, person) in ctx.holders(s, role) {
        let title = person.title.as_ref().map(|t| t.v.as_str());
        let msg = match stodprocess_owner(ctx, s, &[part]) {
            Some((_, namnd_id)) => {
                let want_title = Some(p.stodprocess_title.as_str());
                let in_namnd = ctx
                    .ix
                    .namnd_of_person(person)
                    .is_some_and(|n| n.head.id.v == namnd_id);
                if in_namnd && title == want_title {
                    continue;
                }
                let chef = ctx
                    .ix
                    .namnd(namnd_id)
                    .and_then(|n| n.forvaltning.as_ref())
                    .and_then(|f| f.chef.as_ref())
                    .map_or_else(|| p.stodprocess_title.clone(), |c| c.v.to_string());
                Msg::AgareShouldBeStodprocessChef {
                    role: role.to_string(),
                    namnd: namnd_id.to_string(),
                    person: h.v.to_string(),
                    stodprocess: s
                        .stodprocess
                        .as_ref()
                        .map(|x| x.v.to_string())
                        .unwrap_or_default(),
                    expected: chef,
                }
            }
            None => {
                let want = p.default_title.as_str();
                if title.is_none() || title == Some(want) {
                    continue;
                }
                Msg::AgareShouldHaveTitle {
                    role: role.to_string(),
                    person: h.v.to_string(),
                    title: want.to_string(),
                }
            }
        };
        out.push(ctx.diag(&s.head, h.span, format!("roles.{role}"), msg));
    }
}

/// `scope/used-by-all`: a selected system (select the scope that should
/// not be used by everyone) is used by every nämnd.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UsedByAll {}

impl Kind for UsedByAll {}

impl Rule for UsedByAll {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        used_by_all(cx, s, out);
    }
}

fn used_by_all(ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(used) = &s.used_by else { return };
    let all = match &used.v {
        NamndSet::All => true,
        NamndSet::List(list) => {
            let total = ctx.ix.namnder.len();
            total > 1
                && ctx
                    .ix
                    .namnder
                    .iter()
                    .all(|n| list.iter().any(|x| x.v == n.head.id.v))
        }
    };
    if all {
        out.push(
            ctx.diag(
                &s.head,
                used.key,
                "used-by",
                Msg::UsedByAll {
                    scope: s
                        .scope
                        .as_ref()
                        .map(|x| x.v.to_string())
                        .unwrap_or_default(),
                },
            ),
        );
    }
}

/// `scope/single-user-kommungemensam`: a selected system (select the
/// municipality-wide scope) supports no stödprocess and lists exactly one
/// user nämnd.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SingleUser {}

impl Kind for SingleUser {}

impl Rule for SingleUser {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        single_user(cx, s, out);
    }
}

fn single_user(ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
    if s.stodprocess.is_some() {
        return;
    }
    if let Some(used) = &s.used_by {
        if let NamndSet::List(list) = &used.v {
            if let [only] = list.as_slice() {
                out.push(
                    ctx.diag(
                        &s.head,
                        used.key,
                        "used-by",
                        Msg::SingleUserKommungemensam {
                            scope: s
                                .scope
                                .as_ref()
                                .map(|x| x.v.to_string())
                                .unwrap_or_default(),
                            namnd: only.v.to_string(),
                        },
                    ),
                );
            }
        }
    }
}
