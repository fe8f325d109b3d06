//! Personal data and PUB-avtal (M §7.2, R, D): every user nämnd covered by
//! a valid PUB-avtal, decided by the right delegate, signed with the needed
//! fullmakter, with all art. 28.3 points, and no unprotected third-country
//! transfer; the delegations every nämnd must have made. These kinds encode
//! GDPR (national law, the same in every municipality); the model supplies
//! the agreement types, documents, organisation parts and selectors.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::catalog::{Avtal, Namnd, System};
use crate::diagnostic::{Diagnostic, Msg};
use crate::model::Model;

use super::kind::{Cx, Kind, ParamError, Rule};

type Ctx<'c, 'a> = Cx<'c, 'a>;

fn pub_avtal() -> String {
    "pub-avtal".into()
}

fn fullmakt_type() -> String {
    "fullmakt".into()
}

fn known_type(m: &Model, path: &str, t: &str) -> Result<(), ParamError> {
    if m.avtal_types.contains_key(t) {
        return Ok(());
    }
    Err(ParamError::unknown(
        &[path],
        ("avtalstyp", "agreement type"),
        t,
        m.avtal_types.keys().map(String::as_str),
    ))
}

fn known_document(m: &Model, d: &str) -> Result<(), ParamError> {
    if m.documents.contains_key(d) {
        return Ok(());
    }
    Err(ParamError::unknown(
        &["document"],
        ("dokument", "document"),
        d,
        m.documents.keys().map(String::as_str),
    ))
}

fn known_org_part(m: &Model, path: &str, part: &str) -> Result<(), ParamError> {
    if m.organisation.contains_key(part) {
        return Ok(());
    }
    Err(ParamError::unknown(
        &[path],
        ("organisationsdel", "organisation part"),
        part,
        m.organisation.keys().map(String::as_str),
    ))
}

/// `delegation/*` (and the generic `delegation/required`): every selected
/// nämnd has delegated `matter` to `delegate` (a title).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Delegation {
    /// The matter delegated (e.g. `pub-avtal-kommungemensamma`).
    pub matter: String,
    /// The delegate's title (model `titles`).
    pub delegate: String,
}

impl Kind for Delegation {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        if m.titles.contains_key(&self.delegate) {
            return Ok(());
        }
        Err(ParamError::unknown(
            &["delegate"],
            ("titel", "title"),
            &self.delegate,
            m.titles.keys().map(String::as_str),
        ))
    }
}

impl Rule for Delegation {
    fn namnd(&self, ctx: &Cx, n: &Namnd, out: &mut Vec<Diagnostic>) {
        let has = n.delegations.iter().any(|d| {
            d.matter.as_ref().is_some_and(|m| m.v == self.matter)
                && d.delegate.as_ref().is_some_and(|x| x.v == self.delegate)
        });
        if !has {
            out.push(ctx.diag(
                &n.head,
                n.delegations_key.unwrap_or(n.head.id.key),
                "delegations",
                Msg::DelegationMissing {
                    matter: self.matter.clone(),
                    delegate: self.delegate.clone(),
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

/// `pub/missing`: personal data is processed, the category requires the
/// `document`, and no valid agreement of `types` covers the system and
/// every user nämnd (through `controllers`). Select the hosting with
/// `applies-to.when` (format 1 models skip internally hosted systems).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PubMissing {
    /// The model document the category must require.
    pub document: String,
    /// The agreement types that satisfy it (default: the document's type).
    #[serde(default)]
    pub types: Vec<String>,
}

impl Kind for PubMissing {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        known_document(m, &self.document)?;
        self.types
            .iter()
            .try_for_each(|t| known_type(m, "types", t))
    }
}

impl Rule for PubMissing {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        missing(ctx, self, s, out);
    }
}

fn missing(ctx: &Ctx, p: &PubMissing, s: &System, out: &mut Vec<Diagnostic>) {
    let document = p.document.as_str();
    // The agreement types that satisfy the document: by default the
    // document's own type. rules.md asks for a `pub-avtal` only, so the
    // default model lists just that; a model may add `gpa` (M §7.2 also
    // names an agreement on joint controllership).
    let types: Vec<&str> = match &p.types {
        t if t.is_empty() => pub_type(ctx, document).into_iter().collect(),
        t => t.iter().map(String::as_str).collect(),
    };
    if s.processed() != Some(true) || !category_requires(ctx, s, document) {
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
    out.push(ctx.diag(&s.head, pd.key, "personal-data", msg));
}

/// `pub/not-assessed`: the category requires `document`, and personal
/// data is not assessed (`processed` absent, or `false` without a dialogue
/// date).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PubNotAssessed {
    pub document: String,
}

impl Kind for PubNotAssessed {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        known_document(m, &self.document)
    }
}

impl Rule for PubNotAssessed {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        not_assessed(ctx, &self.document, s, out);
    }
}

fn not_assessed(ctx: &Ctx, document: &str, s: &System, out: &mut Vec<Diagnostic>) {
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
    out.push(ctx.diag(&s.head, span, path, Msg::PubNotAssessed { absent }));
}

/// `pub/public-service`: a selected service (select the categories) with
/// personal data has no valid agreement of `types`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PubPublicService {
    /// The agreement types that answer it (default: pub-avtal, gpa).
    #[serde(default = "pub_gpa")]
    pub types: Vec<String>,
}

fn pub_gpa() -> Vec<String> {
    vec!["pub-avtal".into(), "gpa".into()]
}

impl Kind for PubPublicService {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        self.types
            .iter()
            .try_for_each(|t| known_type(m, "types", t))
    }
}

impl Rule for PubPublicService {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        public_service(ctx, &self.types, s, out);
    }
}

fn public_service(ctx: &Ctx, types: &[String], s: &System, out: &mut Vec<Diagnostic>) {
    if s.processed() != Some(true) {
        return;
    }
    let covered = ctx.ix.agreements(&s.head.id.v).any(|a| {
        a.typ
            .as_ref()
            .is_some_and(|t| types.iter().any(|s| s == t.v.as_str()))
            && a.valid_on(ctx.as_of)
    });
    if !covered {
        if let Some(pd) = &s.personal_data {
            out.push(ctx.diag(&s.head, pd.key, "personal-data", Msg::PubPublicService));
        }
    }
}

/// `pub/internal-processor`: an internally hosted system with personal
/// data; the nämnd of `organisation` is internal processor.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InternalProcessor {
    /// The organisation part that operates internal systems.
    pub organisation: String,
}

impl Kind for InternalProcessor {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        known_org_part(m, "organisation", &self.organisation)
    }
}

impl Rule for InternalProcessor {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        internal_processor(ctx, &self.organisation, s, out);
    }
}

fn internal_processor(ctx: &Ctx, org: &str, s: &System, out: &mut Vec<Diagnostic>) {
    let Some(h) = &s.hosting else { return };
    if h.v != "intern" || s.processed() != Some(true) {
        return;
    }
    let namnd = ctx.org_namnd(org).unwrap_or_default().to_string();
    out.push(ctx.diag(&s.head, h.span, "hosting", Msg::InternalProcessor { namnd }));
}

/// `pub/decided-by`: for a selected system (select its scope) supporting a
/// stödprocess of one of `stodprocess-organisations`, the PUB-avtal is
/// decided by a person of that nämnd's förvaltning; otherwise by a person
/// with `title`. Reported once per agreement at its `decided-by:`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DecidedBy {
    /// The decider's title when no stödprocess applies.
    pub title: String,
    /// Organisation parts whose nämnd decides for its stödprocesser.
    #[serde(default)]
    pub stodprocess_organisations: Vec<String>,
    /// The agreement type (default `pub-avtal`).
    #[serde(default = "pub_avtal", rename = "type")]
    pub typ: String,
}

impl Kind for DecidedBy {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        if !m.titles.contains_key(&self.title) {
            return Err(ParamError::unknown(
                &["title"],
                ("titel", "title"),
                &self.title,
                m.titles.keys().map(String::as_str),
            ));
        }
        known_type(m, "type", &self.typ)?;
        self.stodprocess_organisations
            .iter()
            .try_for_each(|p| known_org_part(m, "stodprocess-organisations", p))
    }
}

impl Rule for DecidedBy {
    fn avtal(&self, ctx: &Cx, a: &Avtal, out: &mut Vec<Diagnostic>) {
        decided_by(ctx, self, a, out);
    }
}

fn decided_by(ctx: &Ctx, p: &DecidedBy, a: &Avtal, out: &mut Vec<Diagnostic>) {
    if !a.type_is(&p.typ) {
        return;
    }
    let Some(by) = &a.decided_by else { return };
    let Some(person) = ctx.ix.person(&by.v) else {
        return;
    };
    let parts: Vec<&str> = p
        .stodprocess_organisations
        .iter()
        .map(String::as_str)
        .collect();
    for sref in &a.systems {
        let Some(s) = ctx.ix.system(&sref.v) else {
            continue;
        };
        if !ctx.selects(s) || ctx.status(s).is_some_and(|st| ctx.model.is_retired(st)) {
            continue;
        }
        let scope = s.scope.as_ref().map(|x| x.v.clone()).unwrap_or_default();
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
                    person: by.v.to_string(),
                    system: s.head.id.v.to_string(),
                    namnd: namnd_id.to_string(),
                }
            }
            None => {
                if person.title.as_ref().is_some_and(|t| t.v == p.title) {
                    continue;
                }
                Msg::PubDecidedByTitle {
                    person: by.v.to_string(),
                    system: s.head.id.v.to_string(),
                    title: p.title.clone(),
                }
            }
        };
        let scope_span = s.scope.as_ref().map_or(s.head.id.span, |x| x.span);
        out.push(
            ctx.diag(&a.head, by.span, "decided-by", msg)
                .subject(&s.head.id.v)
                .related(
                    s.head.file,
                    scope_span,
                    Msg::SystemScope {
                        scope: scope.to_string(),
                        stodprocess: s.stodprocess.as_ref().map(|x| x.v.to_string()),
                    },
                ),
        );
        return;
    }
}

/// `pub/fullmakt`: the agare of a förvaltningsspecifik system shared by
/// several nämnder signed the PUB-avtal; every other user nämnd must have
/// given that person a valid fullmakt.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Fullmakt {
    /// The role whose holder signs (e.g. `agare`).
    pub role: String,
    /// The fullmakt's `scope:` that counts (absent: any).
    #[serde(default)]
    pub fullmakt_scope: Option<String>,
    /// The agreement type signed (default `pub-avtal`).
    #[serde(default = "pub_avtal", rename = "type")]
    pub typ: String,
    /// The type of a fullmakt (default `fullmakt`).
    #[serde(default = "fullmakt_type")]
    pub fullmakt_type: String,
}

impl Kind for Fullmakt {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        if !m.roles.contains_key(&self.role) {
            return Err(ParamError::unknown(
                &["role"],
                ("roll", "role"),
                &self.role,
                m.roles.keys().map(String::as_str),
            ));
        }
        known_type(m, "type", &self.typ)?;
        known_type(m, "fullmakt-type", &self.fullmakt_type)
    }
}

impl Rule for Fullmakt {
    fn avtal(&self, ctx: &Cx, a: &Avtal, out: &mut Vec<Diagnostic>) {
        fullmakt(ctx, self, a, out);
    }
}

fn fullmakt(ctx: &Ctx, p: &Fullmakt, a: &Avtal, out: &mut Vec<Diagnostic>) {
    if !a.type_is(&p.typ) {
        return;
    }
    let Some(signer) = &a.signed_by else { return };
    let role = p.role.as_str();
    let fm_scope = p.fullmakt_scope.as_deref();
    for sref in &a.systems {
        let Some(s) = ctx.ix.system(&sref.v) else {
            continue;
        };
        if !ctx.selects(s) || ctx.status(s).is_some_and(|st| ctx.model.is_retired(st)) {
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
                f.type_is(&p.fullmakt_type)
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
                    &a.head,
                    signer.span,
                    "signed-by",
                    Msg::PubFullmakt {
                        person: signer.v.to_string(),
                        system: s.head.id.v.to_string(),
                        missing,
                    },
                )
                .subject(&s.head.id.v),
            );
        }
    }
}

/// `pub/clauses`: an agreement of `type` lacks points of GDPR art. 28.3
/// (the model's `gdpr.art-28-3`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Clauses {
    #[serde(default = "pub_avtal", rename = "type")]
    pub typ: String,
}

impl Kind for Clauses {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        known_type(m, "type", &self.typ)
    }
}

impl Rule for Clauses {
    fn avtal(&self, ctx: &Cx, a: &Avtal, out: &mut Vec<Diagnostic>) {
        if a.type_is(&self.typ) {
            clauses(ctx, a, out);
        }
    }
}

fn clauses(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
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
    out.push(ctx.diag(&a.head, span, "clauses", Msg::PubClauses { missing }));
}

fn eu(ctx: &Ctx, country: &str) -> bool {
    ctx.model.gdpr.eu_ees.iter().any(|c| c == country)
}

fn protected(a: &Avtal) -> bool {
    a.transfer
        .as_ref()
        .is_some_and(|t| t.mechanism.is_some() && t.tia_date.is_some())
}

/// `pub/third-country`: personal data stored in or transferred to a
/// country outside the model's `gdpr.eu-ees` without a transfer mechanism
/// and analysis.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ThirdCountry {
    /// Agreement types that carry no transfer (default `fullmakt`).
    #[serde(default = "fullmakt_list")]
    pub ignore_types: Vec<String>,
}

fn fullmakt_list() -> Vec<String> {
    vec![fullmakt_type()]
}

impl Kind for ThirdCountry {
    fn validate(&self, m: &Model) -> Result<(), ParamError> {
        self.ignore_types
            .iter()
            .try_for_each(|t| known_type(m, "ignore-types", t))
    }
}

impl Rule for ThirdCountry {
    fn system(&self, ctx: &Cx, s: &System, out: &mut Vec<Diagnostic>) {
        third_country_storage(ctx, &self.ignore_types, s, out);
    }
    fn avtal(&self, ctx: &Cx, a: &Avtal, out: &mut Vec<Diagnostic>) {
        if !self.ignore_types.iter().any(|t| a.type_is(t)) {
            third_country_avtal(ctx, a, out);
        }
    }
}

fn third_country_avtal(ctx: &Ctx, a: &Avtal, out: &mut Vec<Diagnostic>) {
    if protected(a) {
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
            &a.head,
            c.span,
            path,
            Msg::ThirdCountry {
                country: c.v.to_string(),
            },
        );
        if let Some(s) = a.systems.first() {
            d = d.subject(&s.v);
        }
        out.push(d);
    }
}

fn third_country_storage(ctx: &Ctx, ignore: &[String], s: &System, out: &mut Vec<Diagnostic>) {
    let Some(pd) = &s.personal_data else { return };
    let Some(storage) = &pd.storage else { return };
    if storage.v != "third-country" {
        return;
    }
    let agreements: Vec<&Avtal> = ctx
        .ix
        .agreements(&s.head.id.v)
        .filter(|a| !ignore.iter().any(|t| a.type_is(t)) && a.valid_on(ctx.as_of))
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
                &s.head,
                c.span,
                format!("personal-data.third-countries[{i}]"),
                Msg::ThirdCountry {
                    country: c.v.to_string(),
                },
            ));
        }
    }
}
