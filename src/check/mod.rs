//! Stage 4 — check: the rule kinds, each parameterised by the model.
//!
//! One module per rule group. Rules read the typed entities and the
//! [`Index`]; per-system, per-agreement and per-nämnd checks each run in
//! parallel, and each looks only at its entity and O(1) index lookups, so
//! the stage is linear in the catalog's size.

pub mod exceptions;
pub mod explain;
pub mod registry;

mod contracts;
mod cycle;
mod documents;
mod infosec;
mod personal_data;
mod register;
mod roles;
mod scope;

pub use cycle::needs_yearly_documents;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use crate::catalog::{Catalog, Head, Index, Person, SpStr, System};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Msg};
use crate::load::Span;
use crate::model::{Model, Params};

/// What every rule sees.
pub struct Ctx<'a> {
    pub cat: &'a Catalog,
    pub ix: &'a Index<'a>,
    pub model: &'a Model,
    pub config: &'a Config,
    pub as_of: NaiveDate,
    /// The rules that run, with their parameters (model merged with config).
    active: HashMap<&'static str, Params>,
}

impl<'a> Ctx<'a> {
    /// `selected` filters which model rules run (`--rule`/`--skip`).
    pub fn new(
        cat: &'a Catalog,
        ix: &'a Index<'a>,
        model: &'a Model,
        config: &'a Config,
        as_of: NaiveDate,
        selected: impl Fn(&str) -> bool,
    ) -> Ctx<'a> {
        let mut active = HashMap::new();
        for (id, spec) in &model.rules {
            let Some(id) = registry::find(id) else {
                continue;
            };
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
            params.extend(config.params_for(id));
            active.insert(id, Params(params));
        }
        Ctx {
            cat,
            ix,
            model,
            config,
            as_of,
            active,
        }
    }

    /// The parameters of `rule` if it runs.
    pub fn on(&self, rule: &str) -> Option<&Params> {
        self.active.get(rule)
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

    /// A finding on `head`'s entity.
    pub fn diag(
        &self,
        rule: &'static str,
        head: &Head,
        span: Span,
        path: impl Into<String>,
        msg: Msg,
    ) -> Diagnostic {
        Diagnostic::new(rule, head.file, span, msg)
            .at_path(path)
            .entity(&head.id.v)
    }
}

/// Runs every active rule. The result is unordered and unfiltered; the
/// pipeline applies severities, exceptions and sorting.
pub fn run(ctx: &Ctx) -> Vec<Diagnostic> {
    let systems = ctx.ix.systems.par_iter().flat_map_iter(|s| {
        let mut out = Vec::new();
        // A decommissioned system is exempt from every rule but loading and
        // references.
        if ctx.status(s).is_some_and(|st| ctx.model.is_retired(st)) {
            return out;
        }
        roles::system(ctx, s, &mut out);
        scope::system(ctx, s, &mut out);
        documents::system(ctx, s, &mut out);
        contracts::system(ctx, s, &mut out);
        personal_data::system(ctx, s, &mut out);
        cycle::system(ctx, s, &mut out);
        infosec::system(ctx, s, &mut out);
        register::system(ctx, s, &mut out);
        out
    });
    let agreements = ctx.ix.avtal.par_iter().flat_map_iter(|a| {
        let mut out = Vec::new();
        contracts::avtal(ctx, a, &mut out);
        personal_data::avtal(ctx, a, &mut out);
        out
    });
    let namnder = ctx.ix.namnder.par_iter().flat_map_iter(|n| {
        let mut out = Vec::new();
        personal_data::namnd(ctx, n, &mut out);
        out
    });
    let behandlingar = ctx.ix.behandlingar.par_iter().flat_map_iter(|b| {
        let mut out = Vec::new();
        register::behandling(ctx, b, &mut out);
        out
    });
    systems
        .chain(agreements)
        .chain(namnder)
        .chain(behandlingar)
        .collect()
}
