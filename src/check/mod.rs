//! Stage 4 — check: the rule kinds, each parameterised by the model.
//!
//! One module per rule group. Rules read the typed entities and the
//! [`Index`]; per-system, per-agreement and per-nämnd checks each run in
//! parallel, and each looks only at its entity and O(1) index lookups, so
//! the stage is linear in the catalog's size.

pub mod exceptions;
pub mod explain;
pub mod kind;
pub mod registry;
pub mod select;

mod contracts;
pub mod cycle;
mod documents;
mod field;
mod infosec;
pub mod personal_data;
pub mod record;
mod register;
pub mod roles;
mod scope;
#[cfg(test)]
mod testkit;
mod unique;

pub use crate::catalog::facts::needs_yearly_documents;
pub use kind::{Cx, Instance};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use std::sync::OnceLock;

use crate::catalog::index::Ref;
use crate::catalog::{Catalog, Index, Person, SpStr, System};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::{EntityKind, Model};

/// What every rule sees.
pub struct Ctx<'a> {
    pub cat: &'a Catalog,
    pub ix: &'a Index<'a>,
    pub model: &'a Model,
    pub config: &'a Config,
    pub as_of: NaiveDate,
    /// The rule instances that run, built with their parameters (model
    /// merged with `kdl.yaml`).
    pub instances: Vec<Instance>,
    /// [`Ctx::departed`], built on first use.
    departed: OnceLock<Departed>,
}

/// Persons who had left by a run's date: id → index in [`Index::persons`].
/// Keys owned and values as indices, so the cell holds no borrow and
/// [`Ctx`] stays covariant in `'a`.
pub type Departed = hashbrown::HashMap<compact_str::CompactString, usize>;

/// Builds the model's rule instances for a run: `selected` filters them
/// (`--rule`/`--skip`); `kdl.yaml` parameters are merged in and checked. A
/// bad parameter in `kdl.yaml` is `config/invalid` at its key, and that
/// instance does not run.
pub fn compile(
    model: &Model,
    config: &Config,
    selected: impl Fn(&str) -> bool,
) -> (Vec<Instance>, Vec<Diagnostic>) {
    let mut instances = Vec::new();
    let mut problems = Vec::new();
    for (id, spec) in &model.rules {
        let Some(kind) = registry::kind(spec.kind_of(id)) else {
            continue; // rejected when the model loaded
        };
        let id = crate::intern::rule_id(id);
        if !selected(id) {
            continue;
        }
        // A rule switched off for every file need not run at all.
        if config.level_for(id, "") == Some(crate::config::Level::Off)
            && config.overrides.is_empty()
        {
            continue;
        }
        let mut params = spec.params.clone();
        let from_config = config.params_for(id);
        let tuned = !from_config.is_empty();
        params.extend(from_config);
        match (kind.build)(&params, model) {
            Ok(built) => instances.push(Instance {
                id,
                kind,
                select: select::Selector::new(&spec.applies_to),
                rule: built.rule,
                params: built.any,
            }),
            Err(e) if tuned => {
                let span = config
                    .param_span(id, &e.path)
                    .unwrap_or(crate::load::Span::FILE_START);
                problems.push(
                    Diagnostic::new(
                        "config/invalid",
                        0,
                        span,
                        Msg::BadParam {
                            rule: id.to_string(),
                            sv: e.sv,
                            en: e.en,
                        },
                    )
                    .at_path(format!("rules.{id}")),
                );
            }
            // The model's own parameters were checked when it loaded.
            Err(_) => {}
        }
    }
    (instances, problems)
}

impl<'a> Ctx<'a> {
    pub fn new(
        cat: &'a Catalog,
        ix: &'a Index<'a>,
        model: &'a Model,
        config: &'a Config,
        as_of: NaiveDate,
        instances: Vec<Instance>,
    ) -> Ctx<'a> {
        Ctx {
            cat,
            ix,
            model,
            config,
            as_of,
            instances,
            departed: OnceLock::new(),
        }
    }

    /// The persons who had left by the run's date ([`Ctx::as_of`]), keyed
    /// by the id that names them (as [`Index::person`] answers: when ids are
    /// duplicated, the first entity's). Built once, on first use. It is
    /// small next to the catalog, so a catalog where nobody has left costs
    /// nothing per role holder (the cache misses of reading each holder
    /// then fall to the next rule that reads the same persons; see
    /// docs/performance.md).
    pub fn departed(&self) -> &Departed {
        self.departed.get_or_init(|| {
            let ix = self.ix;
            ix.persons
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    p.left_on.as_ref().filter(|l| l.v < self.as_of)?;
                    let id = &p.head.id.v;
                    (ix.by_id.get(id) == Some(Ref::Person(i))).then(|| (id.clone(), i))
                })
                .collect()
        })
    }

    /// The first running instance of a kind (the `exception/*` kinds are
    /// applied once, not per entity).
    pub fn instance_of(&self, kind: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.kind.id == kind)
    }

    /// The parameters of every running instance of the kind whose
    /// parameter type is `K` (a kind asking about another: `docs/*` leaves
    /// expired agreements to `contract/expired`).
    pub fn params_of<K: 'static>(&self) -> impl Iterator<Item = &K> {
        self.instances
            .iter()
            .filter_map(|i| i.params.downcast_ref::<K>())
    }

    /// The first running instance of a kind, with its parameters.
    pub fn first<K: 'static>(&self, kind: &str) -> Option<(&Instance, &K)> {
        self.instances
            .iter()
            .filter(|i| i.kind.id == kind)
            .find_map(|i| i.params.downcast_ref::<K>().map(|k| (i, k)))
    }

    /// Whether any instance of `kind` runs.
    pub fn runs(&self, kind: &str) -> bool {
        self.instance_of(kind).is_some()
    }

    pub fn status<'s>(&self, s: &'s System) -> Option<&'s str> {
        s.status.as_ref().map(|x| x.v.as_str())
    }

    /// Whether the system has reached lifecycle status `from`.
    pub fn reached(&self, s: &System, from: &str) -> bool {
        self.status(s)
            .is_some_and(|st| self.model.status_reached(st, from))
    }

    pub fn in_use(&self, s: &System) -> bool {
        self.status(s).is_some_and(|st| self.model.is_in_use(st))
    }

    /// The persons holding `role` on `s` (holders that name no person are
    /// skipped: they are `ref/unknown`).
    pub fn holders<'s>(
        &'s self,
        s: &'s System,
        role: &'s str,
    ) -> impl Iterator<Item = (&'s SpStr, &'a Person)> + 's {
        s.holders(role)
            .filter_map(move |h| self.ix.person(&h.v).map(|p| (h, p)))
    }

    /// The nämnd id configured for an organisation part.
    pub fn org_namnd(&self, part: &str) -> Option<&str> {
        self.config.org_namnd(part)
    }

    /// Whether the person works at the organisation unit `part`.
    pub fn works_at_unit(&self, p: &Person, part: &str) -> bool {
        match self.config.org_unit(part) {
            Some((f, u)) => {
                p.forvaltning.as_ref().is_some_and(|x| x.v == f)
                    && p.unit.as_ref().is_some_and(|x| x.v == u)
            }
            None => false,
        }
    }

    /// The date `MM-DD` of `year`.
    pub fn date_in(&self, year: i32, mm_dd: &str) -> Option<NaiveDate> {
        crate::catalog::parse_date(&format!("{year:04}-{mm_dd}"))
    }

    pub fn year(&self) -> i32 {
        self.as_of.year()
    }
}

/// Runs every instance on the entities it selects. The result is unordered
/// and unfiltered; the pipeline applies severities, exceptions and sorting.
/// Each entity is checked by the instances that select it, in parallel, so
/// the stage is linear in the catalog (times the number of instances).
pub fn run(ctx: &Ctx) -> Vec<Diagnostic> {
    let of = |k: EntityKind| -> Vec<&Instance> {
        ctx.instances.iter().filter(|i| i.checks(k)).collect()
    };
    let (sys, nam, avt, beh, per) = (
        of(EntityKind::System),
        of(EntityKind::Namnd),
        of(EntityKind::Avtal),
        of(EntityKind::Behandling),
        of(EntityKind::Person),
    );
    let systems = ctx.ix.systems.par_iter().flat_map_iter(|s| {
        let mut out = Vec::new();
        // A decommissioned system is exempt from every rule but loading and
        // references.
        if ctx.status(s).is_some_and(|st| ctx.model.is_retired(st)) {
            return out;
        }
        for inst in &sys {
            if inst.select.system(ctx, s) {
                inst.rule.system(&Cx { ctx, inst }, s, &mut out);
            }
        }
        out
    });
    let agreements = ctx.ix.avtal.par_iter().flat_map_iter(|a| {
        let mut out = Vec::new();
        for inst in &avt {
            if inst.select.avtal(ctx, a) {
                inst.rule.avtal(&Cx { ctx, inst }, a, &mut out);
            }
        }
        out
    });
    let namnder = ctx.ix.namnder.par_iter().flat_map_iter(|n| {
        let mut out = Vec::new();
        for inst in &nam {
            if inst.select.namnd(ctx, n) {
                inst.rule.namnd(&Cx { ctx, inst }, n, &mut out);
            }
        }
        out
    });
    let behandlingar = ctx.ix.behandlingar.par_iter().flat_map_iter(|b| {
        let mut out = Vec::new();
        for inst in &beh {
            if inst.select.behandling(ctx, b) {
                inst.rule.behandling(&Cx { ctx, inst }, b, &mut out);
            }
        }
        out
    });
    let persons = ctx.ix.persons.par_iter().flat_map_iter(|p| {
        let mut out = Vec::new();
        for inst in &per {
            if inst.select.person(ctx, p) {
                inst.rule.person(&Cx { ctx, inst }, p, &mut out);
            }
        }
        out
    });
    let whole: Vec<Diagnostic> = ctx
        .instances
        .par_iter()
        .flat_map_iter(|inst| {
            let mut out = Vec::new();
            inst.rule.catalog(&Cx { ctx, inst }, &mut out);
            out
        })
        .collect();
    systems
        .chain(agreements)
        .chain(namnder)
        .chain(behandlingar)
        .chain(persons)
        .chain(whole)
        .collect()
}
