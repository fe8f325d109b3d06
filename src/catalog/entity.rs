//! Typed entities read from the span-keeping tree. Every field a rule reads
//! carries its spans ([`Sp`]). Extraction is lenient: a field of the wrong
//! shape is simply absent here (the schema stage has reported it, and rules
//! skip fields that failed their schema).

use chrono::NaiveDate;

use crate::diagnostic::FileId;
use crate::load::{Node, Span, Value};

/// A value with the span of its key and of itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub v: T,
    /// The key's span (`roles:`), or the value's for list items.
    pub key: Span,
    pub span: Span,
}

impl<T> Sp<T> {
    fn new(v: T, key: Span, span: Span) -> Self {
        Sp { v, key, span }
    }
}

impl Sp<String> {
    pub fn as_str(&self) -> &str {
        &self.v
    }
}

pub type SpStr = Sp<String>;

/// `used-by`, `controllers`: every nämnd, or a list.
#[derive(Clone, Debug, PartialEq)]
pub enum NamndSet {
    All,
    List(Vec<SpStr>),
}

impl NamndSet {
    pub fn contains(&self, id: &str) -> bool {
        match self {
            NamndSet::All => true,
            NamndSet::List(l) => l.iter().any(|n| n.v == id),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Exception {
    pub index: usize,
    pub rule: Option<SpStr>,
    pub decision: Option<SpStr>,
    pub decided_on: Option<Sp<NaiveDate>>,
    pub motivation: Option<SpStr>,
    pub expires: Option<Sp<NaiveDate>>,
    /// The span of the list item.
    pub span: Span,
}

/// What every entity has.
#[derive(Clone, Debug)]
pub struct Head {
    pub file: FileId,
    pub id: SpStr,
    pub kind_span: Span,
    pub name: Option<SpStr>,
    pub exceptions: Vec<Exception>,
}

#[derive(Clone, Debug)]
pub struct Namnd {
    pub head: Head,
    pub typ: Option<SpStr>,
    pub forvaltning: Option<Forvaltning>,
    pub dataskyddskontakt: Option<SpStr>,
    pub delegations_key: Option<Span>,
    pub delegations: Vec<Delegation>,
    pub stodprocesser: Vec<SpStr>,
}

#[derive(Clone, Debug)]
pub struct Forvaltning {
    pub id: SpStr,
    pub chef: Option<SpStr>,
    pub units: Vec<SpStr>,
}

#[derive(Clone, Debug)]
pub struct Delegation {
    pub matter: Option<SpStr>,
    pub delegate: Option<SpStr>,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub head: Head,
    pub title: Option<SpStr>,
    pub forvaltning: Option<SpStr>,
    pub unit: Option<SpStr>,
    pub left_on: Option<Sp<NaiveDate>>,
}

#[derive(Clone, Debug)]
pub struct RoleAssignment {
    pub name: SpStr,
    /// The holders (person or nämnd ids), each with its span.
    pub holders: Vec<SpStr>,
    /// Whether the value was written as a list.
    pub is_list: bool,
    /// The span of the whole value.
    pub value_span: Span,
}

#[derive(Clone, Debug)]
pub struct PersonalData {
    pub key: Span,
    pub processed: Option<Sp<bool>>,
    pub storage: Option<SpStr>,
    pub third_countries: Vec<SpStr>,
    pub dialog: Option<Sp<NaiveDate>>,
}

#[derive(Clone, Debug)]
pub struct Classification {
    pub key: Span,
    pub date: Option<Sp<NaiveDate>>,
}

#[derive(Clone, Debug)]
pub struct Dpia {
    pub key: Span,
    pub threshold_date: Option<Sp<NaiveDate>>,
    pub criteria_met: Option<Sp<i64>>,
    /// The `assessment:` key span, when an assessment with a date exists.
    pub assessment: Option<Span>,
    pub assessment_date: Option<Sp<NaiveDate>>,
    pub dso_consulted: bool,
    pub motivation: Option<SpStr>,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub index: usize,
    pub year: Option<Sp<i64>>,
    pub status: Option<SpStr>,
    pub approved_by: Option<SpStr>,
    pub approved_on: Option<Sp<NaiveDate>>,
    pub covers: Vec<SpStr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub index: usize,
    pub year: Option<Sp<i64>>,
    pub completed_on: Option<Sp<NaiveDate>>,
    pub approved_by: Option<SpStr>,
}

#[derive(Clone, Debug)]
pub struct System {
    pub head: Head,
    pub category: Option<SpStr>,
    pub scope: Option<SpStr>,
    pub stodprocess: Option<SpStr>,
    pub used_by: Option<Sp<NamndSet>>,
    pub fee: bool,
    pub fee_span: Option<Span>,
    pub hosting: Option<SpStr>,
    pub status: Option<SpStr>,
    pub since: Option<Sp<NaiveDate>>,
    pub roles_key: Option<Span>,
    pub roles: Vec<RoleAssignment>,
    pub personal_data: Option<PersonalData>,
    pub classification: Option<Classification>,
    pub dpia: Option<Dpia>,
    pub plans_key: Option<Span>,
    pub plans: Vec<Plan>,
    pub reports_key: Option<Span>,
    pub reports: Vec<Report>,
    pub followups_key: Option<Span>,
    pub followups: Vec<Sp<NaiveDate>>,
}

impl System {
    pub fn role(&self, name: &str) -> Option<&RoleAssignment> {
        self.roles.iter().find(|r| r.name.v == name)
    }

    pub fn holders(&self, role: &str) -> impl Iterator<Item = &SpStr> {
        self.role(role).into_iter().flat_map(|r| r.holders.iter())
    }

    pub fn processed(&self) -> Option<bool> {
        self.personal_data
            .as_ref()
            .and_then(|p| p.processed.as_ref())
            .map(|p| p.v)
    }

    pub fn scope_is(&self, scope: &str) -> bool {
        self.scope.as_ref().is_some_and(|s| s.v == scope)
    }

    pub fn category_is(&self, cat: &str) -> bool {
        self.category.as_ref().is_some_and(|c| c.v == cat)
    }

    /// The span rules fall back on when the key they would point at is
    /// absent: `category:`, else `id:`.
    pub fn category_or_id_key(&self) -> Span {
        self.category.as_ref().map_or(self.head.id.key, |c| c.key)
    }
}

#[derive(Clone, Debug)]
pub struct Subprocessor {
    pub country: Option<SpStr>,
}

#[derive(Clone, Debug)]
pub struct Transfer {
    pub countries: Vec<SpStr>,
    pub mechanism: Option<SpStr>,
    pub tia_date: Option<Sp<NaiveDate>>,
}

#[derive(Clone, Debug)]
pub struct Avtal {
    pub head: Head,
    pub typ: Option<SpStr>,
    pub systems: Vec<SpStr>,
    pub controllers: Option<Sp<NamndSet>>,
    pub decided_by: Option<SpStr>,
    pub signed_by: Option<SpStr>,
    pub signed_on: Option<Sp<NaiveDate>>,
    pub valid_from: Option<Sp<NaiveDate>>,
    pub valid_until: Option<Sp<NaiveDate>>,
    pub extension_decided_on: Option<Sp<NaiveDate>>,
    pub clauses: Option<Sp<Vec<SpStr>>>,
    pub subprocessors: Vec<Subprocessor>,
    pub transfer: Option<Transfer>,
    pub from: Option<SpStr>,
    pub to: Option<SpStr>,
    pub scope: Option<SpStr>,
}

impl Avtal {
    pub fn type_is(&self, t: &str) -> bool {
        self.typ.as_ref().is_some_and(|x| x.v == t)
    }

    /// Valid on `date`: started (valid-from, defaulting to signed-on) and not ended.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        let from = self
            .valid_from
            .as_ref()
            .or(self.signed_on.as_ref())
            .map(|d| d.v);
        from.is_none_or(|f| f <= date) && self.valid_until.as_ref().is_none_or(|u| date <= u.v)
    }

    pub fn covers(&self, system: &str) -> bool {
        self.systems.iter().any(|s| s.v == system)
    }
}

#[derive(Clone, Debug)]
pub struct Behandling {
    pub head: Head,
    pub controller: Option<SpStr>,
    pub joint_with_key: Option<Span>,
    pub joint_with: Vec<SpStr>,
    pub systems: Vec<SpStr>,
}

// ---- extraction -------------------------------------------------------

pub(crate) fn str_field(node: &Node, key: &str) -> Option<SpStr> {
    let e = node.entry(key)?;
    e.value
        .as_str()
        .map(|s| Sp::new(s.to_string(), e.key_span, e.value.span))
}

pub(crate) fn date_field(node: &Node, key: &str) -> Option<Sp<NaiveDate>> {
    let e = node.entry(key)?;
    let d = parse_date(e.value.as_str()?)?;
    Some(Sp::new(d, e.key_span, e.value.span))
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn bool_field(node: &Node, key: &str) -> Option<Sp<bool>> {
    let e = node.entry(key)?;
    e.value
        .as_bool()
        .map(|b| Sp::new(b, e.key_span, e.value.span))
}

fn int_field(node: &Node, key: &str) -> Option<Sp<i64>> {
    let e = node.entry(key)?;
    e.value
        .as_i64()
        .map(|i| Sp::new(i, e.key_span, e.value.span))
}

/// A list of strings; a single string is read as a one-item list.
fn str_list(node: Option<&Node>) -> Vec<SpStr> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(|s| Sp::new(s.to_string(), i.span, i.span)))
            .collect(),
        Some(Value::Str(s)) => node
            .map(|n| vec![Sp::new(s.clone(), n.span, n.span)])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn namnd_set(node: &Node, key: &str) -> Option<Sp<NamndSet>> {
    let e = node.entry(key)?;
    let set = match &e.value.value {
        Value::Str(s) if s == "all" => NamndSet::All,
        Value::Seq(_) => NamndSet::List(str_list(Some(&e.value))),
        _ => return None,
    };
    Some(Sp::new(set, e.key_span, e.value.span))
}

fn head(node: &Node, file: FileId, id: SpStr, kind_span: Span) -> Head {
    let exceptions = node
        .get("exceptions")
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.is_map())
                .map(|(index, i)| Exception {
                    index,
                    rule: str_field(i, "rule"),
                    decision: str_field(i, "decision"),
                    decided_on: date_field(i, "decided-on"),
                    motivation: str_field(i, "motivation"),
                    expires: date_field(i, "expires"),
                    span: i.span,
                })
                .collect()
        })
        .unwrap_or_default();
    Head {
        file,
        id,
        kind_span,
        name: str_field(node, "name"),
        exceptions,
    }
}

/// An entity of any kind.
#[derive(Clone, Debug)]
pub enum Entity {
    Namnd(Namnd),
    Person(Person),
    System(Box<System>),
    Avtal(Box<Avtal>),
    Behandling(Behandling),
}

impl Entity {
    pub fn head(&self) -> &Head {
        match self {
            Entity::Namnd(x) => &x.head,
            Entity::Person(x) => &x.head,
            Entity::System(x) => &x.head,
            Entity::Avtal(x) => &x.head,
            Entity::Behandling(x) => &x.head,
        }
    }

    /// Reads an entity of `kind` from its document. `None` when the document
    /// has no usable `id` (the schema stage reports that).
    pub fn from_node(kind: &str, node: &Node, file: FileId) -> Option<Entity> {
        let id = str_field(node, "id")?;
        let kind_span = node.entry("kind").map_or(id.key, |e| e.key_span);
        let head = head(node, file, id, kind_span);
        Some(match kind {
            "namnd" => Entity::Namnd(namnd(node, head)),
            "person" => Entity::Person(Person {
                head,
                title: str_field(node, "title"),
                forvaltning: str_field(node, "forvaltning"),
                unit: str_field(node, "unit"),
                left_on: date_field(node, "left-on"),
            }),
            "system" => Entity::System(Box::new(system(node, head))),
            "avtal" => Entity::Avtal(Box::new(avtal(node, head))),
            "behandling" => Entity::Behandling(Behandling {
                head,
                controller: str_field(node, "controller"),
                joint_with_key: node.entry("joint-with").map(|e| e.key_span),
                joint_with: str_list(node.get("joint-with")),
                systems: str_list(node.get("systems")),
            }),
            _ => return None,
        })
    }
}

fn namnd(node: &Node, head: Head) -> Namnd {
    let forvaltning = node.get("forvaltning").and_then(|f| {
        Some(Forvaltning {
            id: str_field(f, "id")?,
            chef: str_field(f, "chef"),
            units: str_list(f.get("units")),
        })
    });
    let delegations = node
        .get("delegations")
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .map(|d| Delegation {
                    matter: str_field(d, "matter"),
                    delegate: str_field(d, "delegate"),
                })
                .collect()
        })
        .unwrap_or_default();
    Namnd {
        head,
        typ: str_field(node, "type"),
        forvaltning,
        dataskyddskontakt: str_field(node, "dataskyddskontakt"),
        delegations_key: node.entry("delegations").map(|e| e.key_span),
        delegations,
        stodprocesser: str_list(node.get("stodprocesser")),
    }
}

fn system(node: &Node, head: Head) -> System {
    let lifecycle = node.get("lifecycle");
    let roles = node
        .get("roles")
        .map(|r| {
            r.entries()
                .iter()
                .map(|e| RoleAssignment {
                    name: Sp::new(e.key.clone(), e.key_span, e.key_span),
                    holders: str_list(Some(&e.value)),
                    is_list: e.value.as_seq().is_some(),
                    value_span: e.value.span,
                })
                .collect()
        })
        .unwrap_or_default();
    let personal_data = node.entry("personal-data").map(|e| PersonalData {
        key: e.key_span,
        processed: bool_field(&e.value, "processed"),
        storage: str_field(&e.value, "storage"),
        third_countries: str_list(e.value.get("third-countries")),
        dialog: date_field(&e.value, "dataskyddskontakt-dialog"),
    });
    let classification = node
        .entry("information-classification")
        .map(|e| Classification {
            key: e.key_span,
            date: date_field(&e.value, "date"),
        });
    let dpia = node.entry("dpia").map(|e| {
        let threshold = e.value.get("threshold-analysis");
        let assessment = e.value.entry("assessment");
        let assessment_date = assessment.and_then(|a| date_field(&a.value, "date"));
        Dpia {
            key: e.key_span,
            threshold_date: threshold.and_then(|t| date_field(t, "date")),
            criteria_met: threshold.and_then(|t| int_field(t, "criteria-met")),
            assessment: assessment
                .filter(|a| !a.value.is_null())
                .map(|a| a.key_span),
            assessment_date,
            dso_consulted: assessment
                .and_then(|a| a.value.get("dso-consulted"))
                .and_then(Node::as_bool)
                .unwrap_or(false),
            motivation: str_field(&e.value, "motivation").filter(|m| !m.v.trim().is_empty()),
        }
    });
    let items = |key: &str| -> (Option<Span>, Vec<(usize, &Node)>) {
        let Some(e) = node.entry(key) else {
            return (None, Vec::new());
        };
        let list = e
            .value
            .as_seq()
            .map(|s| s.iter().enumerate().filter(|(_, n)| n.is_map()).collect())
            .unwrap_or_default();
        (Some(e.key_span), list)
    };
    let (plans_key, plan_nodes) = items("forvaltningsplaner");
    let plans = plan_nodes
        .into_iter()
        .map(|(index, p)| Plan {
            index,
            year: int_field(p, "year"),
            status: str_field(p, "status"),
            approved_by: str_field(p, "approved-by"),
            approved_on: date_field(p, "approved-on"),
            covers: str_list(p.get("covers")),
            span: p.span,
        })
        .collect();
    let (reports_key, report_nodes) = items("uppfoljningsrapporter");
    let reports = report_nodes
        .into_iter()
        .map(|(index, r)| Report {
            index,
            year: int_field(r, "year"),
            completed_on: date_field(r, "completed-on"),
            approved_by: str_field(r, "approved-by"),
        })
        .collect();
    let (followups_key, followup_nodes) = items("avtalsuppfoljningar");
    let followups = followup_nodes
        .into_iter()
        .filter_map(|(_, f)| date_field(f, "date"))
        .collect();
    let fee = bool_field(node, "fee");
    System {
        head,
        category: str_field(node, "category"),
        scope: str_field(node, "scope"),
        stodprocess: str_field(node, "stodprocess"),
        used_by: namnd_set(node, "used-by"),
        fee: fee.as_ref().is_none_or(|f| f.v),
        fee_span: fee.map(|f| f.span),
        hosting: str_field(node, "hosting"),
        status: lifecycle.and_then(|l| str_field(l, "status")),
        since: lifecycle.and_then(|l| date_field(l, "since")),
        roles_key: node.entry("roles").map(|e| e.key_span),
        roles,
        personal_data,
        classification,
        dpia,
        plans_key,
        plans,
        reports_key,
        reports,
        followups_key,
        followups,
    }
}

fn avtal(node: &Node, head: Head) -> Avtal {
    let clauses = node.entry("clauses").and_then(|e| {
        e.value
            .as_seq()
            .map(|_| Sp::new(str_list(Some(&e.value)), e.key_span, e.value.span))
    });
    let subprocessors = node
        .get("subprocessors")
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .map(|s| Subprocessor {
                    country: str_field(s, "country"),
                })
                .collect()
        })
        .unwrap_or_default();
    let transfer = node
        .get("transfer")
        .filter(|t| t.is_map())
        .map(|t| Transfer {
            countries: str_list(t.get("countries")),
            mechanism: str_field(t, "mechanism"),
            tia_date: date_field(t, "tia-date"),
        });
    Avtal {
        head,
        typ: str_field(node, "type"),
        systems: str_list(node.get("systems")),
        controllers: namnd_set(node, "controllers"),
        decided_by: str_field(node, "decided-by"),
        signed_by: str_field(node, "signed-by"),
        signed_on: date_field(node, "signed-on"),
        valid_from: date_field(node, "valid-from"),
        valid_until: date_field(node, "valid-until"),
        extension_decided_on: date_field(node, "extension-decided-on"),
        clauses,
        subprocessors,
        transfer,
        from: str_field(node, "from"),
        to: str_field(node, "to"),
        scope: str_field(node, "scope"),
    }
}
