//! Cross-references inside a model: every role, status, category, vocabulary
//! value, fact, rule kind and parameter it names must exist. Each problem is
//! a [`ModelError`] at the offending key or value, in Swedish and English,
//! with "did you mean" where a close name exists.

use serde_json::Value as Json;

use super::selector::{fact_domain, fact_names, AppliesTo, Cond, Domain, VocabName};
use super::vocab::{AttrType, EntityKind};
use super::{Mandatory, Model, ModelError, SevSpec};
use crate::load::{self, Node, PathSeg};

/// A path into the model file.
type Path = Vec<PathSeg>;

fn key(s: &str) -> PathSeg {
    PathSeg::Key(s.to_string())
}

fn p(parts: &[&str]) -> Path {
    parts.iter().map(|s| key(s)).collect()
}

struct V<'a> {
    model: &'a Model,
    node: &'a Node,
}

impl V<'_> {
    /// An error at `path` (its value; with `at_key`, its key).
    fn err(&self, path: &[PathSeg], at_key: bool, sv: String, en: String) -> ModelError {
        // The deepest part of the path that exists.
        let mut path = path.to_vec();
        let span = loop {
            if let Some((n, k)) = self.node.lookup(&path) {
                break if at_key && !path.is_empty() {
                    k
                } else {
                    n.span
                };
            }
            if path.pop().is_none() {
                break load::Span::FILE_START;
            }
        };
        ModelError {
            message: en,
            message_sv: sv,
            span,
            pos: load::Pos::default(),
        }
    }

    /// "unknown {what} `{name}`" with a suggestion from `known`.
    fn unknown<'k>(
        &self,
        path: &[PathSeg],
        at_key: bool,
        (what_sv, what_en): (&str, &str),
        name: &str,
        known: impl IntoIterator<Item = &'k str> + Clone,
    ) -> ModelError {
        let hint = crate::suggest::closest(name, known.clone());
        let list: Vec<String> = known
            .into_iter()
            .take(12)
            .map(|k| format!("`{k}`"))
            .collect();
        let (sv_hint, en_hint) = match hint {
            Some(h) => (
                format!(" – menade du `{h}`?"),
                format!(" – did you mean `{h}`?"),
            ),
            None if list.is_empty() => (
                format!(" – modellen deklarerar inga ({what_sv})"),
                format!(" – the model declares none ({what_en})"),
            ),
            None => (
                format!(" (kända: {})", list.join(", ")),
                format!(" (known: {})", list.join(", ")),
            ),
        };
        // Swedish adjective agreement: "okänd roll", "okänt attribut".
        let neuter = ["attribut", "faktum", "värde", "dokument", "fält", "organ"];
        let okand = if neuter.contains(&what_sv) {
            "okänt"
        } else {
            "okänd"
        };
        self.err(
            path,
            at_key,
            format!("{okand} {what_sv} `{name}`{sv_hint}"),
            format!("unknown {what_en} `{name}`{en_hint}"),
        )
    }

    fn status(&self, path: &[PathSeg], s: &str) -> Result<(), ModelError> {
        if self.model.status_rank(s).is_some() {
            return Ok(());
        }
        Err(self.unknown(
            path,
            false,
            ("livscykelstatus", "lifecycle status"),
            s,
            self.model.lifecycle.order.iter().map(String::as_str),
        ))
    }

    fn role(
        &self,
        path: &[PathSeg],
        at_key: bool,
        r: &str,
        on: EntityKind,
    ) -> Result<(), ModelError> {
        match self.model.roles.get(r) {
            Some(role) if role.on.contains(&on) => Ok(()),
            Some(_) => Err(self.err(
                path,
                at_key,
                format!(
                    "rollen `{r}` hålls inte på {} (lägg till `{}` i rollens `on`)",
                    on.as_str(),
                    on.as_str()
                ),
                format!(
                    "role `{r}` is not held on {} entities (add `{}` to the role's `on`)",
                    on.as_str(),
                    on.as_str()
                ),
            )),
            None => Err(self.unknown(
                path,
                at_key,
                ("roll", "role"),
                r,
                self.model.roles.keys().map(String::as_str),
            )),
        }
    }

    fn vocab(&self, name: VocabName) -> Vec<&str> {
        let m = self.model;
        match name {
            VocabName::Categories => m.categories.keys().map(String::as_str).collect(),
            VocabName::Scopes => m.scopes.keys().map(String::as_str).collect(),
            VocabName::Statuses => m.lifecycle.order.iter().map(String::as_str).collect(),
            VocabName::NamndTypes => m.namnd_types.keys().map(String::as_str).collect(),
            VocabName::AvtalTypes => m.avtal_types.keys().map(String::as_str).collect(),
            VocabName::Titles => m.titles.keys().map(String::as_str).collect(),
        }
    }

    fn vocab_words(name: VocabName) -> (&'static str, &'static str) {
        match name {
            VocabName::Categories => ("kategori", "category"),
            VocabName::Scopes => ("omfattning", "scope"),
            VocabName::Statuses => ("livscykelstatus", "lifecycle status"),
            VocabName::NamndTypes => ("nämndtyp", "nämnd type"),
            VocabName::AvtalTypes => ("avtalstyp", "agreement type"),
            VocabName::Titles => ("titel", "title"),
        }
    }

    /// Every value in `values` is in the vocabulary.
    fn in_vocab(
        &self,
        path: &[PathSeg],
        name: VocabName,
        values: &[String],
    ) -> Result<(), ModelError> {
        let known = self.vocab(name);
        for (i, v) in values.iter().enumerate() {
            if !known.contains(&v.as_str()) {
                let mut at = path.to_vec();
                at.push(PathSeg::Index(i));
                return Err(self.unknown(
                    &at,
                    false,
                    Self::vocab_words(name),
                    v,
                    known.iter().copied(),
                ));
            }
        }
        Ok(())
    }

    /// A `when:` map: known facts of `entity`, well-formed conditions,
    /// values in the fact's domain.
    fn when(
        &self,
        path: &[PathSeg],
        entity: EntityKind,
        when: &indexmap::IndexMap<String, Json>,
    ) -> Result<(), ModelError> {
        for (fact, cond) in when {
            let mut at = path.to_vec();
            at.push(key(fact));
            let domain = self.fact(&at, entity, fact)?;
            let cond = Cond::parse(cond).map_err(|e| {
                self.err(
                    &at,
                    false,
                    format!("villkoret för `{fact}` är felaktigt: {e}"),
                    format!("the condition on `{fact}` is malformed: {e}"),
                )
            })?;
            self.cond_values(&at, fact, domain, &cond)?;
        }
        Ok(())
    }

    /// The domain of a fact, or an error naming the known facts.
    fn fact(&self, at: &[PathSeg], entity: EntityKind, fact: &str) -> Result<Domain, ModelError> {
        if let Some(attr) = fact.strip_prefix("attributes.") {
            let attrs = self.model.attributes.get(&entity);
            return match attrs.and_then(|a| a.get(attr)) {
                Some(def) => Ok(match def.ty {
                    AttrType::Bool => Domain::Bool,
                    AttrType::Int => Domain::Int,
                    AttrType::Date => Domain::Date,
                    _ => Domain::Text,
                }),
                None => Err(self.unknown(
                    at,
                    true,
                    ("attribut", "attribute"),
                    attr,
                    attrs.into_iter().flat_map(|a| a.keys().map(String::as_str)),
                )),
            };
        }
        match fact_domain(entity, fact) {
            Some(d) => Ok(d),
            None => {
                let mut known: Vec<String> = fact_names(entity).map(str::to_string).collect();
                if let Some(a) = self.model.attributes.get(&entity) {
                    known.extend(a.keys().map(|k| format!("attributes.{k}")));
                }
                Err(self.unknown(
                    at,
                    true,
                    ("faktum", "fact"),
                    fact,
                    known.iter().map(String::as_str),
                ))
            }
        }
    }

    fn cond_values(
        &self,
        at: &[PathSeg],
        fact: &str,
        domain: Domain,
        cond: &Cond,
    ) -> Result<(), ModelError> {
        let known: Vec<&str> = match domain {
            Domain::Vocab(v) => self.vocab(v),
            Domain::Fixed(vals) => vals.to_vec(),
            Domain::Text => match fact.strip_prefix("attributes.") {
                Some(attr) => self
                    .model
                    .attributes
                    .values()
                    .find_map(|a| a.get(attr))
                    .map(|d| d.values.iter().map(String::as_str).collect())
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        for v in cond.values() {
            let ok = match (domain, v) {
                (Domain::Bool, Json::Bool(_)) | (Domain::Int, Json::Number(_)) => true,
                (Domain::Bool | Domain::Int, _) => false,
                (_, Json::String(s)) => known.is_empty() || known.contains(&s.as_str()),
                _ => false,
            };
            if !ok {
                let shown = match v {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                };
                return Err(if known.is_empty() {
                    self.err(
                        at,
                        false,
                        format!("`{fact}` kan inte vara `{shown}`"),
                        format!("`{fact}` cannot be `{shown}`"),
                    )
                } else {
                    self.unknown(at, false, ("värde", "value"), &shown, known.iter().copied())
                });
            }
        }
        if matches!(cond, Cond::Range { .. }) && domain != Domain::Int {
            return Err(self.err(
                at,
                false,
                format!("`{fact}` är inget heltal; `min`/`max` går inte att använda"),
                format!("`{fact}` is not an integer; `min`/`max` do not apply"),
            ));
        }
        Ok(())
    }

    fn applies_to(
        &self,
        path: &[PathSeg],
        a: &AppliesTo,
        default: EntityKind,
    ) -> Result<(), ModelError> {
        let at = |k: &str| {
            let mut x = path.to_vec();
            x.push(key(k));
            x
        };
        if let Some(c) = &a.categories {
            self.in_vocab(&at("categories"), VocabName::Categories, c)?;
        }
        self.in_vocab(
            &at("not-categories"),
            VocabName::Categories,
            &a.not_categories,
        )?;
        if let Some(c) = &a.scopes {
            self.in_vocab(&at("scopes"), VocabName::Scopes, c)?;
        }
        if let Some(s) = &a.from {
            self.status(&at("from"), s)?;
        }
        if let Some(s) = &a.until {
            self.status(&at("until"), s)?;
        }
        if let Some(c) = &a.statuses {
            self.in_vocab(&at("statuses"), VocabName::Statuses, c)?;
        }
        if let Some(c) = &a.namnd_types {
            self.in_vocab(&at("namnd-types"), VocabName::NamndTypes, c)?;
        }
        if let Some(c) = &a.avtal_types {
            self.in_vocab(&at("avtal-types"), VocabName::AvtalTypes, c)?;
        }
        let parts: Vec<&str> = self.model.organisation.keys().map(String::as_str).collect();
        for (k, list) in [
            ("org-parts", a.org_parts.as_deref().unwrap_or_default()),
            ("not-org-parts", &a.not_org_parts[..]),
        ] {
            for (i, part) in list.iter().enumerate() {
                if !parts.contains(&part.as_str()) {
                    let mut x = at(k);
                    x.push(PathSeg::Index(i));
                    return Err(self.unknown(
                        &x,
                        false,
                        ("organisationsdel", "organisation part"),
                        part,
                        parts.iter().copied(),
                    ));
                }
            }
        }
        self.when(&at("when"), a.entity.unwrap_or(default), &a.when)
    }

    fn mandatory(
        &self,
        path: &[PathSeg],
        name: &str,
        m: &Mandatory,
        on: EntityKind,
    ) -> Result<(), ModelError> {
        if m.any_of.is_empty() {
            self.role(path, true, name, on)?;
        }
        for (i, r) in m.any_of.iter().enumerate() {
            let mut x = path.to_vec();
            x.extend([key("any-of"), PathSeg::Index(i)]);
            self.role(&x, false, r, on)?;
        }
        if let Some(f) = &m.from {
            let mut x = path.to_vec();
            x.push(key("from"));
            self.status(&x, f)?;
        }
        if let Some(SevSpec::ByStatus(map)) = &m.severity {
            for st in map.keys() {
                let mut x = path.to_vec();
                x.extend([key("severity"), key(st)]);
                self.status(&x, st)?;
            }
        }
        let mut x = path.to_vec();
        x.push(key("when"));
        self.when(&x, on, &m.when)
    }
}

/// Validates the whole model against itself and the registry of rule kinds.
pub fn check(model: &Model, node: &Node) -> Result<(), ModelError> {
    let v = V { model, node };
    if !(1..=2).contains(&model.format) {
        return Err(v.err(
            &p(&["format"]),
            false,
            format!("okänt modellformat {}; skriv 1 eller 2", model.format),
            format!("unknown model format {}; write 1 or 2", model.format),
        ));
    }
    let lc = &model.lifecycle;
    for s in lc.in_use.iter().chain(lc.retired.iter()) {
        v.status(&p(&["lifecycle"]), s)?;
    }
    for s in lc.labels.keys() {
        v.status(&p(&["lifecycle", "labels", s]), s)?;
    }
    for (cid, cat) in &model.categories {
        for (name, m) in &cat.mandatory {
            v.mandatory(
                &p(&["categories", cid, "mandatory", name]),
                name,
                m,
                EntityKind::System,
            )?;
        }
        for (field, list) in [
            ("optional", &cat.optional),
            ("not-applicable", &cat.not_applicable),
        ] {
            for (i, r) in list.iter().enumerate() {
                let mut x = p(&["categories", cid, field]);
                x.push(PathSeg::Index(i));
                v.role(&x, false, r, EntityKind::System)?;
            }
        }
        for (i, doc) in cat.documents.iter().enumerate() {
            if !model.documents.contains_key(doc) {
                let mut x = p(&["categories", cid, "documents"]);
                x.push(PathSeg::Index(i));
                return Err(v.unknown(
                    &x,
                    false,
                    ("dokument", "document"),
                    doc,
                    model.documents.keys().map(String::as_str),
                ));
            }
        }
    }
    for (tid, t) in &model.namnd_types {
        for (name, m) in &t.mandatory {
            v.mandatory(
                &p(&["namnd-types", tid, "mandatory", name]),
                name,
                m,
                EntityKind::Namnd,
            )?;
        }
    }
    for (did, d) in &model.documents {
        if let Some(t) = &d.avtal {
            if !model.avtal_types.contains_key(t) {
                return Err(v.unknown(
                    &p(&["documents", did, "avtal"]),
                    false,
                    ("avtalstyp", "agreement type"),
                    t,
                    model.avtal_types.keys().map(String::as_str),
                ));
            }
        }
    }
    for (kind, attrs) in &model.attributes {
        for (name, a) in attrs {
            let at = p(&["attributes", kind.as_str(), name]);
            if !is_slug(name) {
                return Err(v.err(
                    &at,
                    true,
                    format!("attributnamnet `{name}` ska skrivas med a–z, 0–9 och bindestreck"),
                    format!("attribute name `{name}` must be written with a-z, 0-9 and hyphens"),
                ));
            }
            let needs_values = matches!(a.ty, AttrType::Enum | AttrType::Ordered);
            if needs_values && a.values.is_empty() {
                return Err(v.err(
                    &at,
                    true,
                    format!("attributet `{name}` är en uppräkning men saknar `values`"),
                    format!("attribute `{name}` is an enumeration without `values`"),
                ));
            }
            if a.ty == AttrType::Ref && a.target.is_none() {
                return Err(v.err(&at, true, format!("attributet `{name}` är en referens men saknar `ref` (system, namnd, person, avtal eller body)"), format!("attribute `{name}` is a reference without `ref` (system, namnd, person, avtal or body)")));
            }
        }
    }
    for (rid, r) in &model.record_types {
        if r.on.is_empty() {
            return Err(v.err(
                &p(&["record-types", rid, "on"]),
                false,
                "`on` får inte vara tom".into(),
                "`on` must not be empty".into(),
            ));
        }
    }
    for (kid, k) in &model.exception_kinds {
        for (i, f) in k.requires.iter().enumerate() {
            let core = [
                "decision",
                "decided-on",
                "decided-by",
                "motivation",
                "expires",
            ];
            if !core.contains(&f.as_str()) && !k.fields.contains_key(f) {
                let mut x = p(&["exception-kinds", kid, "requires"]);
                x.push(PathSeg::Index(i));
                let known: Vec<&str> = core
                    .iter()
                    .copied()
                    .chain(k.fields.keys().map(String::as_str))
                    .collect();
                return Err(v.unknown(&x, false, ("fält", "field"), f, known));
            }
        }
        if let Some(d) = &k.decided_by {
            decided_by(&v, &p(&["exception-kinds", kid, "decided-by"]), d)?;
        }
    }
    for (id, spec) in &model.rules {
        let at = p(&["rules", id]);
        if !is_instance_id(id) {
            return Err(v.err(&at, true, format!("regel-id `{id}` ska ha formen grupp/namn (grupp med a–z, namn med a–z, 0–9 och bindestreck)"), format!("rule id `{id}` must look like group/name (group a-z, name a-z, 0-9 and hyphens)")));
        }
        if crate::check::registry::is_format_rule(id) {
            return Err(v.err(
                &at,
                true,
                format!("`{id}` är en inbyggd regel för katalogformatet; ställ in den i kdl.yaml"),
                format!("`{id}` is a built-in rule of the catalog format; tune it in kdl.yaml"),
            ));
        }
        let kind_id = spec.kind_of(id);
        let Some(kind) = crate::check::registry::kind(kind_id) else {
            let kpath = if spec.kind.is_some() {
                p(&["rules", id, "kind"])
            } else {
                at.clone()
            };
            return Err(v.unknown(
                &kpath,
                spec.kind.is_none(),
                ("regeltyp", "rule kind"),
                kind_id,
                crate::check::registry::kind_ids(),
            ));
        };
        let mut sel = at.clone();
        sel.push(key("applies-to"));
        v.applies_to(&sel, &spec.applies_to, kind.entity())?;
        if let Err(e) = (kind.build)(&spec.params, model) {
            let mut x = at.clone();
            x.push(key("params"));
            x.extend(e.path.iter().cloned());
            return Err(v.err(&x, e.at_key, e.sv, e.en));
        }
        if let Some(pol) = &spec.exceptions {
            for (i, k) in pol.kinds.iter().enumerate() {
                if !model.exception_kinds.contains_key(k) {
                    let mut x = p(&["rules", id, "exceptions", "kinds"]);
                    x.push(PathSeg::Index(i));
                    return Err(v.unknown(
                        &x,
                        false,
                        ("avstegstyp", "exception kind"),
                        k,
                        model.exception_kinds.keys().map(String::as_str),
                    ));
                }
            }
            if let Some(d) = &pol.decided_by {
                decided_by(&v, &p(&["rules", id, "exceptions", "decided-by"]), d)?;
            }
        }
    }
    Ok(())
}

fn decided_by(v: &V, path: &[PathSeg], d: &super::vocab::DecidedBy) -> Result<(), ModelError> {
    if let Some(b) = &d.body {
        if !v.model.bodies.contains_key(b) {
            let mut x = path.to_vec();
            x.push(key("body"));
            return Err(v.unknown(
                &x,
                false,
                ("organ", "body"),
                b,
                v.model.bodies.keys().map(String::as_str),
            ));
        }
    }
    let mut x = path.to_vec();
    x.push(key("titles"));
    v.in_vocab(&x, VocabName::Titles, &d.titles)
}

/// Validates an `applies-to` written inside a rule's parameters (e.g.
/// `unique/attribute`'s `conflicts-with`): `Err((sv, en))` in words; the
/// caller knows where it is.
pub fn applies_to_text(
    model: &Model,
    a: &AppliesTo,
    default: EntityKind,
) -> Result<(), (String, String)> {
    let node = Node {
        value: load::Value::Null,
        span: load::Span::FILE_START,
    };
    let v = V { model, node: &node };
    v.applies_to(&[], a, default)
        .map_err(|e| (e.message_sv, e.message))
}

/// `group/name`: a group of letters (it is also a `group/*` pattern), a
/// name of lower-case letters, digits and hyphens.
pub fn is_instance_id(id: &str) -> bool {
    let Some((g, n)) = id.split_once('/') else {
        return false;
    };
    !g.is_empty()
        && g.bytes().all(|b| b.is_ascii_lowercase())
        && !n.is_empty()
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
