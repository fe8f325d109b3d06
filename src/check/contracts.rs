//! Agreement terms (M §5.1.1, §7.1): agreements about to end without a
//! decision, systems in use whose agreements of a type have all ended.

use chrono::Days;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::{Avtal, System};
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::Model;

use super::kind::{Cx, Kind, ParamError, Rule};

fn check_types<'a>(
    m: &Model,
    path: &str,
    types: impl IntoIterator<Item = &'a String>,
) -> Result<(), ParamError> {
    for t in types {
        if !m.avtal_types.contains_key(t) {
            return Err(ParamError::unknown(
                &[path],
                ("avtalstyp", "agreement type"),
                t,
                m.avtal_types.keys().map(String::as_str),
            ));
        }
    }
    Ok(())
}

/// `contract/expiring`: an agreement of one of `types`, covering a system
/// in use, ends within `days` of the date and no extension is decided.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Expiring {
    /// Notice period in days (kdl's default: 180; the seeds name none).
    #[serde(default = "default_days")]
    pub days: u32,
    /// The agreement types watched.
    pub types: Vec<String>,
}

fn default_days() -> u32 {
    180
}

impl Kind for Expiring {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        check_types(m, "types", &self.types)
    }
}

impl Rule for Expiring {
    /// Once per agreement (not once per system it covers).
    fn avtal(&self, cx: &Cx, a: &Avtal, out: &mut Vec<Diagnostic>) {
        let Some(t) = &a.typ else { return };
        if !self.types.iter().any(|s| s == t.v.as_str()) || a.extension_decided_on.is_some() {
            return;
        }
        let Some(until) = &a.valid_until else { return };
        let days = i64::from(self.days);
        let horizon = cx
            .as_of
            .checked_add_days(Days::new(u64::from(self.days)))
            .unwrap_or(cx.as_of);
        if until.v < cx.as_of || until.v > horizon {
            return;
        }
        // A successor already in place (an agreement of the same type that is
        // valid the day after this one ends) answers the question: nothing to
        // decide for that system.
        let next_day = until.v.succ_opt().unwrap_or(until.v);
        let renewed = |s: &System| {
            cx.ix
                .agreements(&s.head.id.v)
                .any(|o| !std::ptr::eq(o, a) && o.type_is(&t.v) && o.valid_on(next_day))
        };
        let in_use = a
            .systems
            .iter()
            .filter_map(|s| cx.ix.system(&s.v))
            .find(|s| cx.selects(s) && cx.in_use(s) && !renewed(s));
        if let Some(system) = in_use {
            out.push(
                cx.diag(
                    &a.head,
                    until.span,
                    "valid-until",
                    Msg::ContractExpiring {
                        avtal: a.head.id.v.to_string(),
                        until: until.v.to_string(),
                        days,
                    },
                )
                .subject(&system.head.id.v),
            );
        }
    }
}

/// `contract/expired`: a system in use covered only by ended agreements of
/// `type`; reported at the latest one's `valid-until:`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Expired {
    /// The agreement type (e.g. `grundavtal`).
    #[serde(rename = "type")]
    pub typ: String,
}

impl Kind for Expired {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        check_types(m, "type", [&self.typ])
    }
}

impl Rule for Expired {
    fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        if !cx.in_use(s) {
            return;
        }
        let of_type: Vec<&Avtal> = cx
            .ix
            .agreements(&s.head.id.v)
            .filter(|a| a.type_is(&self.typ))
            .collect();
        if of_type.is_empty() || of_type.iter().any(|a| a.valid_on(cx.as_of)) {
            return;
        }
        let latest = of_type
            .iter()
            .filter_map(|a| {
                a.valid_until
                    .as_ref()
                    .filter(|u| u.v < cx.as_of)
                    .map(|u| (a, u))
            })
            .max_by_key(|(_, u)| u.v);
        if let Some((a, until)) = latest {
            out.push(
                cx.diag(
                    &a.head,
                    until.span,
                    "valid-until",
                    Msg::ContractExpired {
                        system: s.head.id.v.to_string(),
                        until: until.v.to_string(),
                    },
                )
                .subject(&s.head.id.v),
            );
        }
    }
}
