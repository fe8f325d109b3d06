//! What a rule kind is: a typed parameter struct that implements [`Rule`]
//! (its check, per entity kind) and [`Kind`] (its validation against the
//! model), registered once in `registry::KINDS`. A model instantiates a kind
//! any number of times; each [`Instance`] carries its own id, selector and
//! parameters.
//!
//! Adding a rule kind touches three places: its file in `check/` (params
//! struct + `Rule` + `Kind`), one line in `registry::KINDS`, and its
//! documentation in `check/docs/` (see docs/model.md, "Adding a rule kind").

use std::any::Any;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value as Json};

use crate::catalog::{Avtal, Behandling, Head, Namnd, Person, System};
use crate::diagnostic::{Diagnostic, Msg};
use crate::load::{PathSeg, Span};
use crate::model::{EntityKind, Model};

use super::select::Selector;
use super::Ctx;

/// A kind's check. Every method defaults to "nothing to say"; a kind
/// implements the entity kinds it is about.
pub trait Rule: Send + Sync {
    fn system(&self, _cx: &Cx, _s: &System, _out: &mut Vec<Diagnostic>) {}
    fn namnd(&self, _cx: &Cx, _n: &Namnd, _out: &mut Vec<Diagnostic>) {}
    fn avtal(&self, _cx: &Cx, _a: &Avtal, _out: &mut Vec<Diagnostic>) {}
    fn behandling(&self, _cx: &Cx, _b: &Behandling, _out: &mut Vec<Diagnostic>) {}
    fn person(&self, _cx: &Cx, _p: &Person, _out: &mut Vec<Diagnostic>) {}
    /// Checks across the whole catalog (uniqueness), once per run.
    fn catalog(&self, _cx: &Cx, _out: &mut Vec<Diagnostic>) {}
}

/// A kind's parameters: deserialised strictly (`deny_unknown_fields`),
/// then checked against the model (role, title, status names …).
pub trait Kind: Rule + DeserializeOwned + 'static {
    fn validate(&self, _model: &Model) -> Result<(), ParamError> {
        Ok(())
    }
}

/// A bad parameter: where inside `params`, and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamError {
    pub path: Vec<PathSeg>,
    /// Point at the key (an unknown parameter) rather than the value.
    pub at_key: bool,
    pub sv: String,
    pub en: String,
}

impl ParamError {
    pub fn at(path: &[&str], sv: String, en: String) -> ParamError {
        ParamError {
            path: path
                .iter()
                .map(|s| PathSeg::Key((*s).to_string()))
                .collect(),
            at_key: false,
            sv,
            en,
        }
    }

    /// An unknown model name (role, title, org part …) with a suggestion.
    pub fn unknown<'k>(
        path: &[&str],
        (what_sv, what_en): (&str, &str),
        name: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) -> ParamError {
        let hint = crate::suggest::closest(name, known);
        let (hs, he) = match hint {
            Some(h) => (
                format!(" – menade du `{h}`?"),
                format!(" – did you mean `{h}`?"),
            ),
            None => (String::new(), String::new()),
        };
        let neuter = [
            "attribut", "dokument", "organ", "fält", "värde", "faktum", "avsnitt",
        ];
        let okand = if neuter.contains(&what_sv) {
            "okänt"
        } else {
            "okänd"
        };
        ParamError::at(
            path,
            format!("{okand} {what_sv} `{name}`{hs}"),
            format!("unknown {what_en} `{name}`{he}"),
        )
    }
}

/// A built rule: the check, and the same value as `Any` so that a kind can
/// read another instance's parameters ([`Ctx::params_of`](super::Ctx)).
#[derive(Clone)]
pub struct Built {
    pub rule: Arc<dyn Rule>,
    pub any: Arc<dyn Any + Send + Sync>,
}

/// Builds a kind's rule from its parameters.
pub fn build<K: Kind + Send + Sync>(
    params: &Map<String, Json>,
    model: &Model,
) -> Result<Built, ParamError> {
    let k: K = serde_path_to_error::deserialize(Json::Object(params.clone()))
        .map_err(|e| serde_error(e.path(), &e.inner().to_string()))?;
    k.validate(model)?;
    let k = Arc::new(k);
    Ok(Built {
        rule: k.clone(),
        any: k,
    })
}

/// A serde error inside `params`, in words, at its path.
fn serde_error(path: &serde_path_to_error::Path, message: &str) -> ParamError {
    use serde_path_to_error::Segment;
    let mut segs: Vec<PathSeg> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(PathSeg::Key(key.clone())),
            Segment::Seq { index } => Some(PathSeg::Index(*index)),
            _ => None,
        })
        .collect();
    let mut at_key = false;
    let (sv, en) = if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default().to_string();
        let expected: Vec<&str> = message
            .split("expected")
            .nth(1)
            .map(|e| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let hint = crate::suggest::closest(&field, expected.iter().copied());
        let list = expected
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ");
        segs.push(PathSeg::Key(field.clone()));
        at_key = true;
        match hint {
            Some(h) => (
                format!("okänd parameter `{field}` – menade du `{h}`?"),
                format!("unknown parameter `{field}` – did you mean `{h}`?"),
            ),
            None if expected.is_empty() => (
                format!("okänd parameter `{field}`; regeltypen tar inga parametrar"),
                format!("unknown parameter `{field}`; the rule kind takes no parameters"),
            ),
            None => (
                format!("okänd parameter `{field}`; tillåtna: {list}"),
                format!("unknown parameter `{field}`; allowed: {list}"),
            ),
        }
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or_default();
        (
            format!("parametern `{field}` saknas"),
            format!("parameter `{field}` is missing"),
        )
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        (
            format!("fel typ: {found}, väntade {expected}"),
            format!("wrong type: {found}, expected {expected}"),
        )
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = message
            .split("expected")
            .nth(1)
            .map(|e| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let hint = crate::suggest::closest(value, expected.iter().copied());
        let list = expected.join(", ");
        match hint {
            Some(h) => (
                format!("okänt värde `{value}` – menade du `{h}`?"),
                format!("unknown value `{value}` – did you mean `{h}`?"),
            ),
            None => (
                format!("okänt värde `{value}`; tillåtna: {list}"),
                format!("unknown value `{value}`; allowed: {list}"),
            ),
        }
    } else {
        (message.to_string(), message.to_string())
    };
    ParamError {
        path: segs,
        at_key,
        sv,
        en,
    }
}

/// One entry of the registry: a rule kind.
pub struct KindDef {
    pub id: &'static str,
    /// The entity kinds the kind checks (the first is its default subject).
    pub entities: &'static [EntityKind],
    pub build: fn(&Map<String, Json>, &Model) -> Result<Built, ParamError>,
    /// The JSON Schema of its parameters (documentation, editors).
    pub params: fn() -> Json,
}

impl KindDef {
    pub fn entity(&self) -> EntityKind {
        self.entities.first().copied().unwrap_or(EntityKind::System)
    }
}

/// The JSON Schema of a kind's parameter struct.
pub fn params_schema<K: schemars::JsonSchema>() -> Json {
    serde_json::to_value(schemars::schema_for!(K)).unwrap_or(Json::Null)
}

/// A rule instance ready to run: the model's id, the kind, the selector and
/// the built rule (parameters from the model merged with `kdl.yaml`).
pub struct Instance {
    pub id: &'static str,
    pub kind: &'static KindDef,
    pub select: Selector,
    pub rule: Arc<dyn Rule>,
    pub params: Arc<dyn Any + Send + Sync>,
}

impl Instance {
    /// Whether the instance checks entities of `kind`.
    pub fn checks(&self, kind: EntityKind) -> bool {
        match self.select.entity {
            Some(e) => e == kind && self.kind.entities.contains(&e),
            None => self.kind.entities.contains(&kind),
        }
    }
}

/// What a rule sees while it checks: the run's context and its own
/// instance (id, selector).
pub struct Cx<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    pub inst: &'c Instance,
}

impl<'a> std::ops::Deref for Cx<'_, 'a> {
    type Target = Ctx<'a>;
    fn deref(&self) -> &Ctx<'a> {
        self.ctx
    }
}

impl Cx<'_, '_> {
    /// A finding of this instance on `head`'s entity.
    pub fn diag(&self, head: &Head, span: Span, path: impl Into<String>, msg: Msg) -> Diagnostic {
        Diagnostic::new(self.inst.id, head.file, span, msg)
            .at_path(path)
            .entity(&head.id.v)
    }

    /// Whether the instance's selector selects system `s` (agreement rules
    /// ask this of the systems an agreement covers).
    pub fn selects(&self, s: &System) -> bool {
        self.inst.select.system(self.ctx, s)
    }

    /// The selector's `from` status, if any (yearly rules use it for "in
    /// this status on 1 January").
    pub fn from(&self) -> Option<&str> {
        self.inst.select.from.as_deref()
    }
}

/// A kind with nothing to check (the `exception/*` kinds are applied by
/// `exceptions::apply`; a format 1 kind whose model gives it no subject).
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Noop {}

impl Rule for Noop {}
impl Kind for Noop {}

/// Whether the instance checks entities of `kind`: its `applies-to.entity`,
/// else the kind's first entity kind (system).
pub(super) fn targets(cx: &Cx, kind: EntityKind) -> bool {
    cx.inst.select.entity.unwrap_or(cx.inst.kind.entity()) == kind
}

/// `impl Rule` for a kind that checks one entity kind of its instance's
/// choice (`applies-to: {entity: …}`) through one method
/// `check(&self, cx, EntityRef, out)`.
macro_rules! per_entity_rule {
    ($kind:ty) => {
        impl Rule for $kind {
            fn system(&self, cx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
                if targets(cx, EntityKind::System) {
                    self.check(cx, EntityRef::System(s), out);
                }
            }
            fn namnd(&self, cx: &Cx, n: &Namnd, out: &mut Vec<Diagnostic>) {
                if targets(cx, EntityKind::Namnd) {
                    self.check(cx, EntityRef::Namnd(n), out);
                }
            }
            fn avtal(&self, cx: &Cx, a: &Avtal, out: &mut Vec<Diagnostic>) {
                if targets(cx, EntityKind::Avtal) {
                    self.check(cx, EntityRef::Avtal(a), out);
                }
            }
            fn behandling(&self, cx: &Cx, b: &Behandling, out: &mut Vec<Diagnostic>) {
                if targets(cx, EntityKind::Behandling) {
                    self.check(cx, EntityRef::Behandling(b), out);
                }
            }
            fn person(&self, cx: &Cx, p: &Person, out: &mut Vec<Diagnostic>) {
                if targets(cx, EntityKind::Person) {
                    self.check(cx, EntityRef::Person(p), out);
                }
            }
        }
    };
}
pub(super) use per_entity_rule;
