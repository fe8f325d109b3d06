//! The facts a finding states: [`Msg`] and the small types in it.

/// What a reference points at, for `ref/unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Person,
    Namnd,
    Forvaltning,
    Unit,
    System,
    Role,
    Stodprocess,
    Rule,
    /// Any entity or a model body.
    Entity,
}

/// Who a record must come from, or be made in consultation with.
#[derive(Clone, Debug, PartialEq)]
pub enum Who {
    /// A person with one of these titles.
    Titles(Vec<String>),
    /// The holder of a role on the entity.
    Role(String),
    /// A body (model `bodies`).
    Body(String),
    /// This nämnd.
    Namnd(String),
    /// A nämnd that uses the system.
    UserNamnd,
    AnyNamnd,
}

/// When a required record is due.
#[derive(Clone, Debug, PartialEq)]
pub enum Due {
    /// Any record, any date.
    Standing,
    /// One for `year`, due by `deadline` (when the model gives one).
    Year { year: i32, deadline: Option<String> },
    /// One dated in the last N months.
    WithinMonths(i64),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    // loading
    Syntax {
        detail: String,
    },
    DuplicateKey {
        key: String,
    },
    FirstKeyHere,
    AliasBudget {
        budget: usize,
    },
    TooDeep {
        max: usize,
    },
    ComplexKey,
    MultipleDocuments,
    EmptyFile,
    TooLarge {
        size: u64,
        limit: u64,
    },
    NotUtf8,
    Io {
        error: String,
    },
    SymlinkLoop {
        target: String,
    },
    SymlinkOutside {
        target: String,
    },
    NotRegularFile {
        kind: String,
    },
    DirectoryRepeated {
        first: String,
    },
    ModelOutside {
        model: String,
    },
    TooManyFiles {
        limit: usize,
    },
    NotAMapping,
    MissingKind,
    UnknownKind {
        kind: String,
        suggestion: Option<String>,
    },
    // schema
    UnknownKey {
        key: String,
        suggestion: Option<String>,
    },
    /// A required key is missing under `parent` (a YAML path; empty: the document).
    MissingKey {
        key: String,
        parent: String,
    },
    NotAllowed {
        key: String,
        value: String,
        allowed: Vec<String>,
        suggestion: Option<String>,
    },
    BadDate {
        key: String,
        value: String,
    },
    /// A number where a date belongs (`since: 2012`).
    YearNotDate {
        key: String,
        value: String,
    },
    BadPattern {
        key: String,
        value: String,
        pattern: String,
        suggestion: Option<String>,
    },
    /// `expected`: JSON Schema type names (`string`, `integer`, …).
    WrongType {
        key: String,
        expected: Vec<String>,
        found: String,
        value: String,
    },
    OutOfRange {
        key: String,
        value: String,
        min: Option<String>,
        max: Option<String>,
    },
    /// An empty text (`list: false`) or a list with fewer than `min` items.
    TooShort {
        key: String,
        min: u64,
        list: bool,
    },
    NotUnique {
        key: String,
        value: String,
    },
    /// A key under `parent` that is not a valid name (`systemförvaltare:`).
    BadKeyName {
        key: String,
        parent: String,
        suggestion: Option<String>,
    },
    WrongShape {
        found: String,
        expected: String,
    },
    /// A schema keyword kdl's schemas do not use today.
    SchemaOther {
        key: String,
        keyword: String,
    },
    // configuration
    ConfigMissing,
    /// `kdl.yaml` holds nothing.
    ConfigEmpty,
    /// `kdl.yaml` is a list or a scalar, not `key: value` lines.
    ConfigNotAMapping,
    ConfigUnreadable {
        detail: String,
    },
    UnknownRule {
        rule: String,
        suggestion: Option<String>,
    },
    /// A known rule that the active model does not have: it never runs.
    RuleNotInModel {
        rule: String,
        model: String,
    },
    BadSeverity {
        value: String,
    },
    BadGlob {
        glob: String,
        error: String,
    },
    UnknownModel {
        model: String,
        known: Vec<String>,
    },
    ModelInvalid {
        model: String,
        detail_sv: String,
        detail_en: String,
    },
    /// A rule parameter set in `kdl.yaml` is wrong.
    BadParam {
        rule: String,
        sv: String,
        en: String,
    },
    OrgPartMissing {
        part: String,
    },
    OrgPartUnknownNamnd {
        part: String,
        id: String,
    },
    OrgPartUnknownUnit {
        part: String,
        forvaltning: String,
        unit: String,
    },
    UnknownOrgPart {
        part: String,
        known: Vec<String>,
    },
    // references
    UnknownRef {
        what: RefKind,
        id: String,
        suggestion: Option<String>,
    },
    DuplicateId {
        id: String,
    },
    FirstIdHere,
    FileName {
        id: String,
        stem: String,
    },
    DefinedHere,
    // roles
    RoleMissing {
        role: String,
        category: String,
    },
    RoleVacant {
        role: String,
        person: String,
        left_on: String,
    },
    PersonLeftOn {
        date: String,
    },
    RoleNotApplicable {
        role: String,
        category: String,
    },
    RoleUnknownForCategory {
        role: String,
        category: String,
    },
    RoleCardinality {
        role: String,
        count: usize,
    },
    RoleMissingForNamndType {
        role: String,
        namnd_type: String,
    },
    /// None of an `any-of` group's roles is held.
    RoleGroupMissing {
        roles: Vec<String>,
        /// The category (or nämnd type).
        of: String,
        namnd_type: bool,
    },
    TitleHere {
        title: String,
    },
    HolderTitle {
        role: String,
        person: String,
        title: String,
        allowed: Vec<String>,
    },
    HolderNotManager {
        role: String,
        person: String,
        title: String,
    },
    HolderNotAtUnit {
        role: String,
        person: String,
        forvaltning: String,
        unit: String,
    },
    HolderNotInForvaltning {
        role: String,
        person: String,
        forvaltning: String,
        /// The nämnder whose förvaltning would do.
        namnder: Vec<String>,
    },
    HolderNotInUserForvaltning {
        role: String,
        person: String,
        forvaltning: String,
    },
    HolderNotNamnd {
        role: String,
        value: String,
    },
    HolderNamndNotUser {
        role: String,
        namnd: String,
    },
    HolderNamndOrgPart {
        role: String,
        namnd: String,
        namnder: Vec<String>,
        /// true: must be one of `namnder`; false: must be none of them.
        allowed: bool,
    },
    AppointerMissing {
        role: String,
        holder: String,
    },
    AppointedBy {
        role: String,
        holder: String,
        failure: Box<Msg>,
    },
    AppointerTitle {
        role: String,
        holder: String,
        appointer: String,
        title: String,
        allowed: Vec<String>,
    },
    // scope
    AgareShouldBeStodprocessChef {
        role: String,
        namnd: String,
        person: String,
        stodprocess: String,
        expected: String,
    },
    AgareShouldHaveTitle {
        role: String,
        person: String,
        title: String,
    },
    UsedByAll {
        scope: String,
    },
    SingleUserKommungemensam {
        scope: String,
        namnd: String,
    },
    // documents and contracts
    DocumentMissing {
        document: String,
        category: String,
    },
    ContractExpiring {
        avtal: String,
        until: String,
        days: i64,
    },
    ContractExpired {
        system: String,
        until: String,
    },
    CoversSystem {
        system: String,
    },
    // personal data
    PubMissing {
        uncovered: Vec<String>,
        any: bool,
    },
    /// `absent`: `personal-data.processed` is not stated at all.
    PubNotAssessed {
        absent: bool,
    },
    PubPublicService,
    PubDecidedByTitle {
        person: String,
        system: String,
        title: String,
    },
    PubDecidedByNamnd {
        person: String,
        system: String,
        namnd: String,
    },
    SystemScope {
        scope: String,
        stodprocess: Option<String>,
    },
    PubFullmakt {
        person: String,
        system: String,
        missing: Vec<String>,
    },
    PubClauses {
        missing: Vec<String>,
    },
    ThirdCountry {
        country: String,
    },
    InternalProcessor {
        namnd: String,
    },
    DelegationMissing {
        matter: String,
        delegate: String,
    },
    // yearly cycle
    PlanMissing {
        year: i32,
    },
    PlanLate {
        year: i32,
        approved_on: String,
        deadline: String,
    },
    PlanApprover {
        person: String,
        year: i32,
        /// The role whose holders may approve (the model's `role` param).
        role: String,
    },
    PlanNextYear {
        year: i32,
    },
    ReportMissing {
        year: i32,
        deadline: String,
    },
    ReportApprover {
        person: String,
        year: i32,
        role: String,
    },
    FollowupMissing {
        months: i64,
        since: String,
    },
    // information security, DPIA
    ClassificationMissing,
    ClassificationOld {
        date: String,
        years: i64,
    },
    DpiaThreshold,
    DpiaRequired {
        criteria: i64,
        threshold: i64,
    },
    DpiaDso,
    // register
    RegisterMissing {
        namnder: Vec<String>,
    },
    RegisterJoint {
        namnd: String,
        system: String,
    },
    // exceptions
    ExceptionExpired {
        kind: String,
        rule: String,
        expires: String,
    },
    ExceptionUnused {
        kind: String,
        rule: String,
    },
    ExceptionInvalid {
        kind: String,
        missing: Vec<String>,
    },
    ExceptionWrongDecider {
        kind: String,
        decider: String,
        expected: Vec<String>,
    },
    ExceptionKindNotAllowed {
        kind: String,
        rule: String,
        allowed: Vec<String>,
    },
    ExceptionUnknownRule {
        rule: String,
        suggestion: Option<String>,
    },
    // generic kinds: records, fields, uniqueness
    /// A required record is missing (none of `types` fits).
    RecordMissing {
        types: Vec<String>,
        due: Due,
        /// Per user nämnd: the nämnd whose record is missing.
        by: Option<String>,
    },
    RecordWrongBy {
        record: String,
        /// `None`: the record says nobody.
        by: Option<String>,
        expected: Vec<Who>,
    },
    RecordNotConsulted {
        record: String,
        expected: Vec<Who>,
    },
    RecordStatus {
        record: String,
        status: Option<String>,
        expected: String,
    },
    RecordSections {
        record: String,
        missing: Vec<String>,
    },
    /// The record is not after (before) a record of type `other`, or there
    /// is no such record (`other_date: None`).
    RecordOrder {
        record: String,
        other: String,
        after: bool,
        date: Option<String>,
        other_date: Option<String>,
    },
    FieldMissing {
        fact: String,
    },
    /// The fact must not be given.
    FieldPresent {
        fact: String,
    },
    /// `equals`/`in` (`forbidden: false`) or `not-in` (`forbidden: true`).
    FieldNotIn {
        fact: String,
        value: String,
        values: Vec<String>,
        forbidden: bool,
    },
    FieldBelow {
        fact: String,
        value: String,
        min: String,
    },
    /// A nämnd the system must be used by is not in `used-by`.
    NamndNotCovered {
        namnd: String,
    },
    /// A nämnd that must not use the system is in `used-by`.
    NamndCovered {
        namnd: String,
    },
    UniqueDuplicate {
        fact: String,
        value: String,
        others: Vec<String>,
        max: i64,
    },
    UniqueTooFew {
        fact: String,
        value: String,
        count: i64,
        min: i64,
    },
    UniqueConflict {
        fact: String,
        value: String,
        other: String,
    },
    /// Related: another entity with the same value.
    ValueAlsoHere {
        entity: String,
    },
}

use crate::i18n::Lang;

impl RefKind {
    pub(super) fn noun(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RefKind::Person, Lang::Sv) => "personen",
            (RefKind::Person, Lang::En) => "person",
            (RefKind::Namnd, Lang::Sv) => "nämnden",
            (RefKind::Namnd, Lang::En) => "nämnd (board)",
            (RefKind::Forvaltning, Lang::Sv) => "förvaltningen",
            (RefKind::Forvaltning, Lang::En) => "förvaltning (administration)",
            (RefKind::Unit, Lang::Sv) => "enheten",
            (RefKind::Unit, Lang::En) => "unit",
            (RefKind::System, Lang::Sv) => "systemet",
            (RefKind::System, Lang::En) => "system",
            (RefKind::Role, Lang::Sv) => "rollen",
            (RefKind::Role, Lang::En) => "role",
            (RefKind::Stodprocess, Lang::Sv) => "stödprocessen",
            (RefKind::Stodprocess, Lang::En) => "support process",
            (RefKind::Rule, Lang::Sv) => "regeln",
            (RefKind::Rule, Lang::En) => "rule",
            (RefKind::Entity, Lang::Sv) => "id:t",
            (RefKind::Entity, Lang::En) => "id",
        }
    }
}
