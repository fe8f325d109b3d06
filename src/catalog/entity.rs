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
    fn new(v: impl Into<T>, key: Span, span: Span) -> Self {
        Sp {
            v: v.into(),
            key,
            span,
        }
    }
}

impl SpStr {
    pub fn as_str(&self) -> &str {
        &self.v
    }
}

pub type SpStr = Sp<compact_str::CompactString>;

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
    /// The exception kind (model `exception-kinds`); absent: the model's first.
    pub kind: Option<SpStr>,
    pub rule: Option<SpStr>,
    /// The other entity the waived finding is about (a nämnd's avsteg from
    /// a bastjänst names the system).
    pub subject: Option<SpStr>,
    pub decision: Option<SpStr>,
    pub decided_on: Option<Sp<NaiveDate>>,
    pub decided_by: Option<SpStr>,
    pub motivation: Option<SpStr>,
    pub expires: Option<Sp<NaiveDate>>,
    /// The kind's own fields (`ssg-informed`, `reported-in` …) as written.
    pub fields: Vec<(SpStr, SpStr)>,
    /// The span of the list item.
    pub span: Span,
}

impl Exception {
    /// Whether a field (core or the kind's own) is filled in.
    pub fn has(&self, field: &str) -> bool {
        let filled = |s: &Option<SpStr>| s.as_ref().is_some_and(|x| !x.v.trim().is_empty());
        match field {
            "rule" => self.rule.is_some(),
            "decision" => filled(&self.decision),
            "decided-on" => self.decided_on.is_some(),
            "decided-by" => filled(&self.decided_by),
            "motivation" => filled(&self.motivation),
            "expires" => self.expires.is_some(),
            "subject" => self.subject.is_some(),
            other => self
                .fields
                .iter()
                .any(|(k, v)| k.v == other && !v.v.trim().is_empty()),
        }
    }
}

/// A model attribute's value, as written under `attributes:`.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<SpStr>),
}

#[derive(Clone, Debug)]
pub struct Attr {
    pub name: SpStr,
    pub value: Sp<AttrValue>,
}

/// A record (decision, approval, consultation, plan, report) under
/// `records:`.
#[derive(Clone, Debug)]
pub struct Record {
    pub index: usize,
    pub typ: Option<SpStr>,
    pub date: Option<Sp<NaiveDate>>,
    pub by: Option<SpStr>,
    pub consulted: Vec<SpStr>,
    pub year: Option<Sp<i64>>,
    pub status: Option<SpStr>,
    pub reference: Option<SpStr>,
    pub systems: Vec<SpStr>,
    pub sections: Vec<SpStr>,
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
    pub attributes_key: Option<Span>,
    pub attributes: Vec<Attr>,
    pub records_key: Option<Span>,
    pub records: Vec<Record>,
}

impl Head {
    pub fn attribute(&self, name: &str) -> Option<&Attr> {
        self.attributes.iter().find(|a| a.name.v == name)
    }
}

#[derive(Clone, Debug)]
pub struct Namnd {
    pub head: Head,
    pub typ: Option<SpStr>,
    pub roles_key: Option<Span>,
    pub roles: Vec<RoleAssignment>,
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
    /// Per holder (same order): who appointed it, when (the long form
    /// `{holder, appointed-by, appointed-on}`). Empty when no holder has
    /// either (the short form): read it with `.get(i)`.
    pub appointments: Vec<Appointment>,
    /// Whether the value was written as a list.
    pub is_list: bool,
    /// The span of the whole value.
    pub value_span: Span,
}

/// Who appointed a role holder, and when.
#[derive(Clone, Debug, Default)]
pub struct Appointment {
    pub by: Option<SpStr>,
    pub on: Option<Sp<NaiveDate>>,
}

#[derive(Clone, Debug)]
pub struct PersonalData {
    pub key: Span,
    pub processed: Option<Sp<bool>>,
    pub sensitive: Option<bool>,
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
    /// `reference:` (a diarienummer), shown by the yearly report.
    pub reference: Option<String>,
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
    /// Free text: what the system is for (shown on the site and on hover).
    pub description: Option<SpStr>,
    pub category: Option<SpStr>,
    pub supplier: Option<SpStr>,
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
    /// `with-supplier:` of the follow-ups that give it, by date, in file
    /// order (for the yearly report).
    pub followups_with_supplier: Vec<(NaiveDate, bool)>,
}

impl Namnd {
    pub fn role(&self, name: &str) -> Option<&RoleAssignment> {
        self.roles.iter().find(|r| r.name.v == name)
    }
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
    // The rarer parts boxed: an agreement (240,000 at 100k systems) then
    // fits mimalloc's 1 KiB size class instead of 1.5 KiB.
    pub controllers: Option<Box<Sp<NamndSet>>>,
    pub decided_by: Option<SpStr>,
    pub signed_by: Option<SpStr>,
    pub signed_on: Option<Sp<NaiveDate>>,
    pub valid_from: Option<Sp<NaiveDate>>,
    pub valid_until: Option<Sp<NaiveDate>>,
    pub extension_decided_on: Option<Sp<NaiveDate>>,
    pub clauses: Option<Box<Sp<Vec<SpStr>>>>,
    pub subprocessors: Vec<Subprocessor>,
    pub transfer: Option<Box<Transfer>>,
    pub from: Option<SpStr>,
    pub to: Option<SpStr>,
    pub scope: Option<SpStr>,
    /// `counterparty:`, shown by the yearly report.
    pub counterparty: Option<String>,
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
        .map(|s| Sp::new(s, e.key_span, e.value.span))
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
    // `YYYY-MM-DD` read directly: `parse_from_str` re-reads its format
    // string for every date (one date per few lines at 400,000 files).
    // Any other shape goes to chrono, so what is accepted is unchanged.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() {
        if [y0, y1, y2, y3, m0, m1, d0, d1]
            .iter()
            .all(u8::is_ascii_digit)
        {
            let n = |ds: &[u8]| ds.iter().fold(0, |a, d| a * 10 + i32::from(d - b'0'));
            let (y, m, d) = (n(&[y0, y1, y2, y3]), n(&[m0, m1]), n(&[d0, d1]));
            return NaiveDate::from_ymd_opt(y, m as u32, d as u32);
        }
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
        Some(Value::Seq(items)) => {
            // Reserved to the list's length: collecting a filtered iterator
            // starts at four items, and most lists hold one or two.
            let mut out = Vec::with_capacity(items.len());
            out.extend(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(|s| Sp::new(s, i.span, i.span))),
            );
            out
        }
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
                    kind: str_field(i, "kind"),
                    rule: str_field(i, "rule"),
                    subject: str_field(i, "subject"),
                    decision: str_field(i, "decision"),
                    decided_on: date_field(i, "decided-on"),
                    decided_by: str_field(i, "decided-by"),
                    motivation: str_field(i, "motivation"),
                    expires: date_field(i, "expires"),
                    fields: i
                        .entries()
                        .iter()
                        .filter(|e| !EXCEPTION_CORE.contains(&e.key.as_str()))
                        .filter_map(|e| {
                            let v = scalar_text(&e.value)?;
                            Some((
                                Sp::new(e.key.as_str(), e.key_span, e.key_span),
                                Sp::new(v, e.key_span, e.value.span),
                            ))
                        })
                        .collect(),
                    span: i.span,
                })
                .collect()
        })
        .unwrap_or_default();
    let attributes = node
        .get("attributes")
        .map(|a| {
            a.entries()
                .iter()
                .filter_map(|e| {
                    let v = match &e.value.value {
                        Value::Str(s) => AttrValue::Str(s.clone()),
                        Value::Bool(b) => AttrValue::Bool(*b),
                        Value::Int(i) => AttrValue::Int(*i),
                        Value::Seq(_) => AttrValue::List(str_list(Some(&e.value))),
                        _ => return None,
                    };
                    Some(Attr {
                        name: Sp::new(e.key.as_str(), e.key_span, e.key_span),
                        value: Sp::new(v, e.key_span, e.value.span),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let records = node
        .get("records")
        .and_then(Node::as_seq)
        .map(|items| {
            items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.is_map())
                .map(|(index, r)| Record {
                    index,
                    typ: str_field(r, "type"),
                    date: date_field(r, "date"),
                    by: str_field(r, "by"),
                    consulted: str_list(r.get("consulted")),
                    year: int_field(r, "year"),
                    status: str_field(r, "status"),
                    reference: str_field(r, "reference"),
                    systems: str_list(r.get("systems")),
                    sections: str_list(r.get("sections")),
                    span: r.span,
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
        attributes_key: node.entry("attributes").map(|e| e.key_span),
        attributes,
        records_key: node.entry("records").map(|e| e.key_span),
        records,
    }
}

/// The fields every exception has; the rest belong to its kind.
const EXCEPTION_CORE: &[&str] = &[
    "kind",
    "rule",
    "subject",
    "decision",
    "decided-on",
    "decided-by",
    "motivation",
    "expires",
];

/// A scalar as text (for an exception kind's own fields).
fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A `roles:` mapping: short form (an id or a list of ids) or long form
/// (`{holder, appointed-by, appointed-on}`, alone or in a list).
fn role_assignments(node: &Node) -> Vec<RoleAssignment> {
    node.get("roles")
        .map(|r| {
            r.entries()
                .iter()
                .map(|e| {
                    let items: Vec<&Node> = match &e.value.value {
                        Value::Seq(items) => items.iter().collect(),
                        Value::Map(_) => vec![&e.value],
                        _ => Vec::new(),
                    };
                    let (holders, mut appointments): (Vec<SpStr>, Vec<Appointment>) =
                        if items.is_empty() {
                            (str_list(Some(&e.value)), Vec::new())
                        } else {
                            items
                                .iter()
                                .filter_map(|i| match &i.value {
                                    Value::Str(s) => Some((
                                        Sp::new(s.as_str(), i.span, i.span),
                                        Appointment::default(),
                                    )),
                                    Value::Map(_) => {
                                        let h = str_field(i, "holder")?;
                                        Some((
                                            Sp::new(h.v, h.span, h.span),
                                            Appointment {
                                                by: str_field(i, "appointed-by"),
                                                on: date_field(i, "appointed-on"),
                                            },
                                        ))
                                    }
                                    _ => None,
                                })
                                .unzip()
                        };
                    if appointments
                        .iter()
                        .all(|a| a.by.is_none() && a.on.is_none())
                    {
                        appointments = Vec::new();
                    }
                    RoleAssignment {
                        name: Sp::new(e.key.as_str(), e.key_span, e.key_span),
                        holders,
                        appointments,
                        is_list: e.value.as_seq().is_some(),
                        value_span: e.value.span,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// An entity of any kind.
#[derive(Clone, Debug)]
pub enum Entity {
    // Every kind boxed: an entity is two words wherever it is moved or
    // collected (400,000 of them at 100k systems), each box its own size.
    Namnd(Box<Namnd>),
    Person(Box<Person>),
    System(Box<System>),
    Avtal(Box<Avtal>),
    Behandling(Box<Behandling>),
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

    pub fn head_mut(&mut self) -> &mut Head {
        match self {
            Entity::Namnd(x) => &mut x.head,
            Entity::Person(x) => &mut x.head,
            Entity::System(x) => &mut x.head,
            Entity::Avtal(x) => &mut x.head,
            Entity::Behandling(x) => &mut x.head,
        }
    }

    /// Reads an entity of `kind` from its document. `None` when the document
    /// has no usable `id` (the schema stage reports that).
    pub fn from_node(kind: &str, node: &Node, file: FileId) -> Option<Entity> {
        let id = str_field(node, "id")?;
        let kind_span = node.entry("kind").map_or(id.key, |e| e.key_span);
        let head = head(node, file, id, kind_span);
        Some(match kind {
            "namnd" => Entity::Namnd(Box::new(namnd(node, head))),
            "person" => Entity::Person(Box::new(Person {
                head,
                title: str_field(node, "title"),
                forvaltning: str_field(node, "forvaltning"),
                unit: str_field(node, "unit"),
                left_on: date_field(node, "left-on"),
            })),
            "system" => Entity::System(Box::new(system(node, head))),
            "avtal" => Entity::Avtal(Box::new(avtal(node, head))),
            "behandling" => Entity::Behandling(Box::new(Behandling {
                head,
                controller: str_field(node, "controller"),
                joint_with_key: node.entry("joint-with").map(|e| e.key_span),
                joint_with: str_list(node.get("joint-with")),
                systems: str_list(node.get("systems")),
            })),
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
        roles_key: node.entry("roles").map(|e| e.key_span),
        roles: role_assignments(node),
        forvaltning,
        dataskyddskontakt: str_field(node, "dataskyddskontakt"),
        delegations_key: node.entry("delegations").map(|e| e.key_span),
        delegations,
        stodprocesser: str_list(node.get("stodprocesser")),
    }
}

fn system(node: &Node, head: Head) -> System {
    let lifecycle = node.get("lifecycle");
    let roles = role_assignments(node);
    let personal_data = node.entry("personal-data").map(|e| PersonalData {
        key: e.key_span,
        processed: bool_field(&e.value, "processed"),
        sensitive: e.value.get("sensitive").and_then(Node::as_bool),
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
            reference: p
                .get("reference")
                .and_then(Node::as_str)
                .map(str::to_string),
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
        .iter()
        .filter_map(|(_, f)| date_field(f, "date"))
        .collect();
    let followups_with_supplier = followup_nodes
        .iter()
        .filter_map(|(_, f)| {
            let date = parse_date(f.get("date").and_then(Node::as_str)?)?;
            Some((date, f.get("with-supplier").and_then(Node::as_bool)?))
        })
        .collect();
    let fee = bool_field(node, "fee");
    System {
        head,
        category: str_field(node, "category"),
        description: str_field(node, "description").filter(|d| !d.v.trim().is_empty()),
        supplier: str_field(node, "supplier"),
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
        followups_with_supplier,
    }
}

fn avtal(node: &Node, head: Head) -> Avtal {
    let clauses = node.entry("clauses").and_then(|e| {
        e.value
            .as_seq()
            .map(|_| Box::new(Sp::new(str_list(Some(&e.value)), e.key_span, e.value.span)))
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
    let transfer = node.get("transfer").filter(|t| t.is_map()).map(|t| {
        Box::new(Transfer {
            countries: str_list(t.get("countries")),
            mechanism: str_field(t, "mechanism"),
            tia_date: date_field(t, "tia-date"),
        })
    });
    Avtal {
        head,
        typ: str_field(node, "type"),
        systems: str_list(node.get("systems")),
        controllers: namnd_set(node, "controllers").map(Box::new),
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
        counterparty: node
            .get("counterparty")
            .and_then(Node::as_str)
            .map(str::to_string),
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn parse_date_agrees_with_chrono() {
        let cases = [
            "2024-01-05",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "0000-01-01",
            "9999-12-31",
            "2024-1-05 ",
            "+024-01-05",
            "2024/01/05",
            "２０２４-01-0",
            "2024-01-5a",
            " 2024-1-05",
        ];
        for c in cases {
            let chrono = if c.len() == 10 {
                NaiveDate::parse_from_str(c, "%Y-%m-%d").ok()
            } else {
                None
            };
            assert_eq!(parse_date(c), chrono, "{c}");
        }
        for y in [0, 1, 999, 1900, 2000, 2023, 2024, 2100, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let c = format!("{y:04}-{m:02}-{d:02}");
                    let chrono = NaiveDate::parse_from_str(&c, "%Y-%m-%d").ok();
                    assert_eq!(parse_date(&c), chrono, "{c}");
                }
            }
        }
    }
}
