//! Personal data and PUB-avtal (M §7.2, R, D): every user nämnd covered by
//! a valid PUB-avtal, decided by the right delegate, signed with the needed
//! fullmakter, with all art. 28.3 points, and no unprotected third-country
//! transfer; the delegations every nämnd must have made.

use std::collections::HashSet;

use crate::catalog::{Avtal, Namnd, System};
use crate::diagnostic::{Diagnostic, Msg};

use super::Ctx;

pub fn system(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    missing(ctx, s, out);
    not_assessed(ctx, s, out);
    public_service(ctx, s, out);
    third_country_storage(ctx, s, out);
    internal_processor(ctx, s, out);
}

pub fn avtal(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
    decided_by(ctx, a, out);
    fullmakt(ctx, a, out);
    clauses(ctx, a, out);
    third_country_avtal(ctx, a, out);
}

pub fn namnd(ctx: &Ctx, n: &Namnd, out: &mut Vec<Diagnostic>) {
    for rule in ["delegation/pub-kommungemensamma", "delegation/fullmakt"] {
        let Some(p) = ctx.on(rule) else { continue };
        let (Some(matter), Some(delegate)) = (p.str("matter"), p.str("delegate")) else {
            continue;
        };
        let has = n.delegations.iter().any(|d| {
            d.matter.as_ref().is_some_and(|m| m.v == matter)
                && d.delegate.as_ref().is_some_and(|x| x.v == delegate)
        });
        if !has {
            out.push(ctx.diag(
                rule,
                &n.head,
                n.delegations_key.unwrap_or(n.head.id.key),
                "delegations",
                Msg::DelegationMissing {
                    matter: matter.to_string(),
                    delegate: delegate.to_string(),
                },
            ));
        }
    }
}

fn category_requires(ctx: &Ctx, s: &System, document: &str) -> bool {
    s.category
        .as_ref()
        .and_then(|c| ctx.model.category(&c.v))
        .is_some_and(|c| c.documents.iter().any(|d| d == document))
}

fn pub_type<'a>(ctx: &'a Ctx, document: &str) -> Option<&'a str> {
    ctx.model.documents.get(document)?.avtal.as_deref()
}

fn missing(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("pub/missing") else {
        return;
    };
    let Some(document) = p.str("document") else {
        return;
    };
    // The agreement types that satisfy the document: by default the
    // document's own type. rules.md asks for a `pub-avtal` only, so the
    // default model lists just that; a model may add `gpa` (M §7.2 also
    // names an agreement on joint controllership).
    let types: Vec<&str> = match p.list("types") {
        t if t.is_empty() => pub_type(ctx, document).into_iter().collect(),
        t => t,
    };
    if s.processed() != Some(true) || !category_requires(ctx, s, document) {
        return;
    }
    if s.hosting.as_ref().is_some_and(|h| h.v == "intern") {
        return;
    }
    if !p.str("from").is_none_or(|from| ctx.reached(s, from)) {
        return;
    }
    let Some(pd) = &s.personal_data else { return };
    let valid: Vec<&Avtal> = ctx
        .ix
        .agreements(&s.head.id.v)
        .filter(|a| types.iter().any(|t| a.type_is(t)) && a.valid_on(ctx.as_of))
        .collect();
    let msg = if valid.is_empty() {
        Msg::PubMissing {
            uncovered: Vec::new(),
            any: false,
        }
    } else {
        let Some(users) = &s.used_by else { return };
        let uncovered: Vec<String> = ctx
            .ix
            .namnd_ids(&users.v)
            .into_iter()
            .filter(|n| {
                !valid
                    .iter()
                    .any(|a| a.controllers.as_ref().is_some_and(|c| c.v.contains(n)))
            })
            .map(str::to_string)
            .collect();
        if uncovered.is_empty() {
            return;
        }
        Msg::PubMissing {
            uncovered,
            any: true,
        }
    };
    out.push(ctx.diag("pub/missing", &s.head, pd.key, "personal-data", msg));
}

fn not_assessed(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("pub/not-assessed") else {
        return;
    };
    let Some(document) = p.str("document") else {
        return;
    };
    if !category_requires(ctx, s, document) {
        return;
    }
    let pd = s.personal_data.as_ref();
    let (span, path) = match pd.and_then(|pd| pd.processed.as_ref()) {
        Some(pr) if pr.v => return,
        Some(pr) => {
            if pd.is_some_and(|pd| pd.dialog.is_some()) {
                return;
            }
            (pr.key, "personal-data.processed")
        }
        // Absent: not assessed at all.
        None => (
            pd.map_or(s.category_or_id_key(), |pd| pd.key),
            "personal-data",
        ),
    };
    let absent = path == "personal-data";
    out.push(ctx.diag(
        "pub/not-assessed",
        &s.head,
        span,
        path,
        Msg::PubNotAssessed { absent },
    ));
}

fn public_service(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("pub/public-service") else {
        return;
    };
    let Some(cat) = &s.category else { return };
    if !p.list("categories").contains(&cat.v.as_str()) || s.processed() != Some(true) {
        return;
    }
    let types: Vec<&str> = match p.list("types") {
        t if t.is_empty() => vec!["pub-avtal", "gpa"],
        t => t,
    };
    let covered = ctx.ix.agreements(&s.head.id.v).any(|a| {
        a.typ
            .as_ref()
            .is_some_and(|t| types.contains(&t.v.as_str()))
            && a.valid_on(ctx.as_of)
    });
    if !covered {
        if let Some(pd) = &s.personal_data {
            out.push(ctx.diag(
                "pub/public-service",
                &s.head,
                pd.key,
                "personal-data",
                Msg::PubPublicService,
            ));
        }
    }
}

fn internal_processor(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("pub/internal-processor") else {
        return;
    };
    let Some(h) = &s.hosting else { return };
    if h.v != "intern" || s.processed() != Some(true) {
        return;
    }
    let namnd = p
        .str("organisation")
        .and_then(|o| ctx.org_namnd(o))
        .unwrap_or_default()
        .to_string();
    out.push(ctx.diag(
        "pub/internal-processor",
        &s.head,
        h.span,
        "hosting",
        Msg::InternalProcessor { namnd },
    ));
}

/// `pub/decided-by`, reported once per agreement at its `decided-by:`.
fn decided_by(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("pub/decided-by") else {
        return;
    };
    if !a.type_is("pub-avtal") {
        return;
    }
    let Some(by) = &a.decided_by else { return };
    let Some(person) = ctx.ix.person(&by.v) else {
        return;
    };
    let Some(scope) = p.str("scope") else { return };
    let parts = p.list("stodprocess-organisations");
    for sref in &a.systems {
        let Some(s) = ctx.ix.system(&sref.v) else {
            continue;
        };
        if !s.scope_is(scope) || ctx.status(s).is_some_and(|st| ctx.model.is_retired(st)) {
            continue;
        }
        let msg = match super::scope::stodprocess_owner(ctx, s, &parts) {
            Some((_, namnd_id)) => {
                if ctx
                    .ix
                    .namnd_of_person(person)
                    .is_some_and(|n| n.head.id.v == namnd_id)
                {
                    continue;
                }
                Msg::PubDecidedByNamnd {
                    person: by.v.clone(),
                    system: s.head.id.v.clone(),
                    namnd: namnd_id.to_string(),
                }
            }
            None => {
                let Some(title) = p.str("title") else {
                    continue;
                };
                if person.title.as_ref().is_some_and(|t| t.v == title) {
                    continue;
                }
                Msg::PubDecidedByTitle {
                    person: by.v.clone(),
                    system: s.head.id.v.clone(),
                    title: title.to_string(),
                }
            }
        };
        let scope_span = s.scope.as_ref().map_or(s.head.id.span, |x| x.span);
        out.push(
            ctx.diag("pub/decided-by", &a.head, by.span, "decided-by", msg)
                .subject(&s.head.id.v)
                .related(
                    s.head.file,
                    scope_span,
                    Msg::SystemScope {
                        scope: scope.to_string(),
                        stodprocess: s.stodprocess.as_ref().map(|x| x.v.clone()),
                    },
                ),
        );
        return;
    }
}

/// `pub/fullmakt`: the agare of a förvaltningsspecifik system shared by
/// several nämnder signed the PUB-avtal; every other user nämnd must have
/// given that person a valid fullmakt.
fn fullmakt(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
    let Some(p) = ctx.on("pub/fullmakt") else {
        return;
    };
    if !a.type_is("pub-avtal") {
        return;
    }
    let Some(signer) = &a.signed_by else { return };
    let (Some(scope), Some(role)) = (p.str("scope"), p.str("role")) else {
        return;
    };
    let fm_scope = p.str("fullmakt-scope");
    for sref in &a.systems {
        let Some(s) = ctx.ix.system(&sref.v) else {
            continue;
        };
        if !s.scope_is(scope) || ctx.status(s).is_some_and(|st| ctx.model.is_retired(st)) {
            continue;
        }
        let Some(users) = &s.used_by else { continue };
        let users = ctx.ix.namnd_ids(&users.v);
        if users.len() < 2 || !s.holders(role).any(|h| h.v == signer.v) {
            continue;
        }
        let owner = ctx
            .ix
            .person(&signer.v)
            .and_then(|p| ctx.ix.namnd_of_person(p))
            .map(|n| n.head.id.v.as_str());
        let given: HashSet<&str> = ctx
            .ix
            .agreements(&s.head.id.v)
            .filter(|f| {
                f.type_is("fullmakt")
                    && f.valid_on(ctx.as_of)
                    && f.to.as_ref().is_some_and(|t| t.v == signer.v)
                    && fm_scope.is_none_or(|sc| f.scope.as_ref().is_none_or(|x| x.v == sc))
            })
            .filter_map(|f| f.from.as_ref().map(|x| x.v.as_str()))
            .collect();
        let missing: Vec<String> = users
            .into_iter()
            .filter(|n| Some(*n) != owner && !given.contains(n))
            .map(str::to_string)
            .collect();
        if !missing.is_empty() {
            out.push(
                ctx.diag(
                    "pub/fullmakt",
                    &a.head,
                    signer.span,
                    "signed-by",
                    Msg::PubFullmakt {
                        person: signer.v.clone(),
                        system: s.head.id.v.clone(),
                        missing,
                    },
                )
                .subject(&s.head.id.v),
            );
        }
    }
}

fn clauses(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
    if ctx.on("pub/clauses").is_none() || !a.type_is("pub-avtal") {
        return;
    }
    let required = &ctx.model.gdpr.art_28_3;
    let have: Vec<&str> = a
        .clauses
        .as_ref()
        .map(|c| c.v.iter().map(|x| x.v.as_str()).collect())
        .unwrap_or_default();
    let missing: Vec<String> = required
        .iter()
        .filter(|r| !have.contains(&r.as_str()))
        .cloned()
        .collect();
    if missing.is_empty() {
        return;
    }
    let span = a
        .clauses
        .as_ref()
        .map(|c| c.key)
        .or(a.typ.as_ref().map(|t| t.key))
        .unwrap_or(a.head.id.key);
    out.push(ctx.diag(
        "pub/clauses",
        &a.head,
        span,
        "clauses",
        Msg::PubClauses { missing },
    ));
}

fn eu(ctx: &Ctx, country: &str) -> bool {
    ctx.model.gdpr.eu_ees.iter().any(|c| c == country)
}

fn protected(a: &Avtal) -> bool {
    a.transfer
        .as_ref()
        .is_some_and(|t| t.mechanism.is_some() && t.tia_date.is_some())
}

fn third_country_avtal(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
    if ctx.on("pub/third-country").is_none() || a.type_is("fullmakt") || protected(a) {
        return;
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let subs = a.subprocessors.iter().enumerate().filter_map(|(i, s)| {
        s.country
            .as_ref()
            .map(|c| (c, format!("subprocessors[{i}].country")))
    });
    let transfers = a
        .transfer
        .iter()
        .flat_map(|t| t.countries.iter().enumerate())
        .map(|(i, c)| (c, format!("transfer.countries[{i}]")));
    for (c, path) in subs.chain(transfers) {
        if eu(ctx, &c.v) || !seen.insert(c.v.as_str()) {
            continue;
        }
        let mut d = ctx.diag(
            "pub/third-country",
            &a.head,
            c.span,
            path,
            Msg::ThirdCountry {
                country: c.v.clone(),
            },
        );
        if let Some(s) = a.systems.first() {
            d = d.subject(&s.v);
        }
        out.push(d);
    }
}

fn third_country_storage(ctx: &Ctx, s: &System, out: &mut Vec<Diagnostic>) {
    if ctx.on("pub/third-country").is_none() {
        return;
    }
    let Some(pd) = &s.personal_data else { return };
    let Some(storage) = &pd.storage else { return };
    if storage.v != "third-country" {
        return;
    }
    let agreements: Vec<&Avtal> = ctx
        .ix
        .agreements(&s.head.id.v)
        .filter(|a| !a.type_is("fullmakt") && a.valid_on(ctx.as_of))
        .collect();
    // A country is settled here when an agreement carries its transfer: if
    // that agreement lacks the mechanism or analysis, the finding is on the
    // agreement's country (one fault, one diagnostic), not here as well.
    let covered = |country: &str| {
        agreements.iter().any(|a| {
            a.transfer.as_ref().is_some_and(|t| {
                (protected(a) && t.countries.is_empty())
                    || t.countries.iter().any(|c| c.v == country)
            }) || a
                .subprocessors
                .iter()
                .any(|sp| sp.country.as_ref().is_some_and(|c| c.v == country))
        })
    };
    let any_protected = agreements.iter().any(|a| protected(a));
    if pd.third_countries.is_empty() {
        if !any_protected {
            out.push(ctx.diag(
                "pub/third-country",
                &s.head,
                storage.span,
                "personal-data.storage",
                Msg::ThirdCountry {
                    country: String::new(),
                },
            ));
        }
        return;
    }
    for (i, c) in pd.third_countries.iter().enumerate() {
        if !eu(ctx, &c.v) && !covered(&c.v) {
            out.push(ctx.diag(
                "pub/third-country",
                &s.head,
                c.span,
                format!("personal-data.third-countries[{i}]"),
                Msg::ThirdCountry {
                    country: c.v.clone(),
                },
            ));
        }
    }
}
