//! Every message kdl shows, as typed facts ([`Msg`]) and their rendering in
//! Swedish (default) and English. Checks never format text themselves.

use crate::i18n::Lang;
use crate::model::Model;

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
    MissingKey {
        key: String,
    },
    NotAllowed {
        value: String,
        allowed: Vec<String>,
        suggestion: Option<String>,
    },
    BadDate {
        value: String,
    },
    BadPattern {
        value: String,
        pattern: String,
    },
    WrongType {
        expected: String,
        found: String,
    },
    WrongShape {
        found: String,
        expected: String,
    },
    SchemaOther {
        detail: String,
    },
    // configuration
    ConfigMissing,
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

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn mean(s: &Option<String>, lang: Lang) -> String {
    match (s, lang) {
        (Some(s), Lang::Sv) => format!(" – menade du `{s}`?"),
        (Some(s), Lang::En) => format!(" – did you mean `{s}`?"),
        (None, _) => String::new(),
    }
}

impl RefKind {
    fn noun(self, lang: Lang) -> &'static str {
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

impl Msg {
    /// The message text. `model` supplies labels of roles and categories.
    pub fn render(&self, lang: Lang, model: &Model) -> String {
        let en = lang == Lang::En;
        let role = |r: &str| format!("`{r}` ({})", model.role_label(r, en));
        let cat = |c: &str| model.category_label(c, en);
        let title = |t: &str| model.title_label(t, en);
        // An exception kind's label, capitalised: "Avsteg", "Undantagsbeslut".
        let exc = |k: &str, en: bool| {
            model
                .exception_kinds
                .get(k)
                .map_or_else(|| k.to_string(), |x| x.label(en).to_lowercase())
        };
        macro_rules! t {
            ($sv:expr, $en:expr) => {
                if en {
                    $en
                } else {
                    $sv
                }
            };
        }
        match self {
            Msg::Syntax { detail } => t!(format!("YAML-syntaxfel: {detail}"), format!("YAML syntax error: {detail}")),
            Msg::DuplicateKey { key } => t!(format!("nyckeln `{key}` förekommer två gånger"), format!("duplicate key `{key}`")),
            Msg::FirstKeyHere => t!("först här".into(), "first here".into()),
            Msg::AliasBudget { budget } => t!(
                format!("YAML-alias expanderar till fler än {budget} noder; filen läses inte (skydd mot \"billion laughs\")"),
                format!("YAML aliases expand to more than {budget} nodes; file not read (\"billion laughs\" protection)")
            ),
            Msg::TooDeep { max } => t!(format!("nästlat djupare än {max} nivåer"), format!("nested deeper than {max} levels")),
            Msg::ComplexKey => t!("en nyckel måste vara en enkel text".into(), "a key must be a plain scalar".into()),
            Msg::MultipleDocuments => t!(
                "filen innehåller flera YAML-dokument; en fil ska beskriva en entitet".into(),
                "the file holds several YAML documents; one file describes one entity".into()
            ),
            Msg::EmptyFile => t!("filen är tom; den ska börja med `kind:` och `id:`".into(), "the file is empty; it should start with `kind:` and `id:`".into()),
            Msg::TooLarge { size, limit } => t!(
                format!("filen är {size} byte, större än gränsen {limit} byte; den läses inte"),
                format!("the file is {size} bytes, over the {limit}-byte limit; not read")
            ),
            Msg::NotUtf8 => t!("filen är inte giltig UTF-8 (spara den som UTF-8)".into(), "the file is not valid UTF-8 (save it as UTF-8)".into()),
            Msg::Io { error } => t!(format!("filen kan inte läsas: {error}"), format!("cannot read the file: {error}")),
            Msg::SymlinkLoop { target } => t!(
                format!("symbolisk länk i en slinga (tillbaka till `{target}`); följs inte"),
                format!("symbolic link loop (back to `{target}`); not followed")
            ),
            Msg::SymlinkOutside { target } => t!(
                format!("symbolisk länk leder ut ur katalogen ({target}); följs inte"),
                format!("symbolic link leads out of the catalog ({target}); not followed")
            ),
            Msg::NotAMapping => t!(
                "dokumentet är ingen mappning; en entitetsfil består av `nyckel: värde`-rader".into(),
                "the document is not a mapping; an entity file consists of `key: value` lines".into()
            ),
            Msg::MissingKind => t!(
                "`kind:` saknas (namnd, person, system, avtal eller behandling)".into(),
                "`kind:` is missing (namnd, person, system, avtal or behandling)".into()
            ),
            Msg::UnknownKind { kind, suggestion } => t!(
                format!("okänd `kind: {kind}` (namnd, person, system, avtal, behandling){}", mean(suggestion, lang)),
                format!("unknown `kind: {kind}` (namnd, person, system, avtal, behandling){}", mean(suggestion, lang))
            ),
            Msg::UnknownKey { key, suggestion } => t!(
                format!("okänd nyckel `{key}`{}", mean(suggestion, lang)),
                format!("unknown key `{key}`{}", mean(suggestion, lang))
            ),
            Msg::MissingKey { key } => t!(format!("obligatorisk nyckel `{key}` saknas"), format!("required key `{key}` is missing")),
            Msg::NotAllowed { value, allowed, suggestion } => t!(
                format!("`{value}` är inte tillåtet; tillåtna värden: {}{}", list(allowed), mean(suggestion, lang)),
                format!("`{value}` is not allowed; allowed values: {}{}", list(allowed), mean(suggestion, lang))
            ),
            Msg::BadDate { value } => t!(
                format!("`{value}` är inget giltigt datum (ÅÅÅÅ-MM-DD)"),
                format!("`{value}` is not a valid date (YYYY-MM-DD)")
            ),
            Msg::BadPattern { value, pattern } => {
                if pattern.starts_with("^[a-z0-9]") {
                    t!(
                        format!("`{value}` är ingen giltig identifierare (gemener a–z, siffror och bindestreck)"),
                        format!("`{value}` is not a valid identifier (lowercase a–z, digits and hyphens)")
                    )
                } else {
                    t!(
                        format!("`{value}` har fel format (ska matcha `{pattern}`)"),
                        format!("`{value}` has the wrong format (must match `{pattern}`)")
                    )
                }
            }
            Msg::WrongType { expected, found } => t!(
                format!("fel typ: väntade {}, fick {}", sv_type(expected), sv_type(found)),
                format!("wrong type: expected {expected}, got {found}")
            ),
            Msg::WrongShape { found, expected } => {
                if expected.is_empty() {
                    t!(format!("värdet ({}) har fel form", sv_type(found)), format!("the value ({found}) has the wrong shape"))
                } else {
                    t!(
                        format!("värdet ({}) har fel form: {expected}", sv_type(found)),
                        format!("the value ({found}) has the wrong shape: {expected}")
                    )
                }
            }
            Msg::SchemaOther { detail } => t!(format!("bryter mot schemat: {detail}"), format!("breaks the schema: {detail}")),
            Msg::ConfigMissing => t!(
                "`kdl.yaml` saknas i katalogens rot; standardmodellen används".into(),
                "`kdl.yaml` is missing at the catalog root; using the default model".into()
            ),
            Msg::ConfigUnreadable { detail } => t!(format!("`kdl.yaml` kan inte läsas: {detail}"), format!("cannot read `kdl.yaml`: {detail}")),
            Msg::RuleNotInModel { rule, model } => t!(
                format!("regeln `{rule}` finns inte i modellen `{model}` och körs aldrig; inställningen har ingen verkan"),
                format!("rule `{rule}` is not in the model `{model}` and never runs; the setting has no effect")
            ),
            Msg::UnknownRule { rule, suggestion } => t!(
                format!("okänd regel `{rule}`{}", mean(suggestion, lang)),
                format!("unknown rule `{rule}`{}", mean(suggestion, lang))
            ),
            Msg::BadSeverity { value } => t!(
                format!("okänd allvarlighetsgrad `{value}` (error, warning, info eller off)"),
                format!("unknown severity `{value}` (error, warning, info or off)")
            ),
            Msg::BadGlob { glob, error } => t!(format!("ogiltigt filmönster `{glob}`: {error}"), format!("invalid glob `{glob}`: {error}")),
            Msg::UnknownModel { model, known } => t!(
                format!("okänd modell `{model}`; inbyggda modeller: {} (eller en sökväg till en modellfil)", list(known)),
                format!("unknown model `{model}`; built-in models: {} (or a path to a model file)", list(known))
            ),
            Msg::ModelInvalid { model, detail_sv, detail_en } => t!(
                format!("modellfilen `{model}` är felaktig: {detail_sv}"),
                format!("the model file `{model}` is invalid: {detail_en}")
            ),
            Msg::BadParam { rule, sv, en } => t!(
                format!("regeln `{rule}`: {sv}"),
                format!("rule `{rule}`: {en}")
            ),
            Msg::OrgPartMissing { part } => t!(
                format!("`organisation.{part}` saknas; modellen behöver veta vilken del av organisationen det är"),
                format!("`organisation.{part}` is missing; the model needs to know which part of the organisation it is")
            ),
            Msg::OrgPartUnknownNamnd { part, id } => t!(
                format!("`organisation.{part}`: nämnden `{id}` finns inte i katalogen"),
                format!("`organisation.{part}`: nämnd `{id}` is not in the catalog")
            ),
            Msg::OrgPartUnknownUnit { part, forvaltning, unit } => t!(
                format!("`organisation.{part}`: enheten `{unit}` finns inte i förvaltningen `{forvaltning}`"),
                format!("`organisation.{part}`: unit `{unit}` is not a unit of förvaltning `{forvaltning}`")
            ),
            Msg::UnknownOrgPart { part, known } => t!(
                format!("okänd organisationsdel `{part}`; modellen känner till {}", list(known)),
                format!("unknown organisation part `{part}`; the model knows {}", list(known))
            ),
            Msg::UnknownRef { what, id, suggestion } => t!(
                format!("{} `{id}` finns inte{}", capitalize(what.noun(lang)), mean(suggestion, lang)),
                format!("unknown {} `{id}`{}", what.noun(lang), mean(suggestion, lang))
            ),
            Msg::DuplicateId { id } => t!(format!("id `{id}` används redan av en annan entitet"), format!("id `{id}` is already used by another entity")),
            Msg::FirstIdHere => t!("först definierad här".into(), "first defined here".into()),
            Msg::FileName { id, stem } => t!(
                format!("id `{id}` skiljer sig från filnamnet `{stem}`; döp om filen till `{id}.yaml`"),
                format!("id `{id}` differs from the file name `{stem}`; rename the file to `{id}.yaml`")
            ),
            Msg::DefinedHere => t!("definierad här".into(), "defined here".into()),
            Msg::RoleMissing { role: r, category } => t!(
                format!("obligatorisk roll {} saknas för kategorin {}", role(r), cat(category)),
                format!("mandatory role {} is missing for category {}", role(r), cat(category))
            ),
            Msg::RoleVacant { role: r, person, left_on } => t!(
                format!("rollen {} innehas av `{person}`, som slutade {left_on}; rollen är vakant", role(r)),
                format!("role {} is held by `{person}`, who left on {left_on}; the role is vacant", role(r))
            ),
            Msg::PersonLeftOn { date } => t!(format!("slutade {date}"), format!("left on {date}")),
            Msg::RoleNotApplicable { role: r, category } => t!(
                format!("rollen {} ska inte finnas för kategorin {}", role(r), cat(category)),
                format!("role {} does not apply to category {}", role(r), cat(category))
            ),
            Msg::RoleUnknownForCategory { role: r, category } => t!(
                format!("kategorin {} har ingen roll {}", cat(category), role(r)),
                format!("category {} has no role {}", cat(category), role(r))
            ),
            Msg::RoleCardinality { role: r, count } => t!(
                format!("rollen {} får ha en innehavare, här finns {count}", role(r)),
                format!("role {} takes one holder, {count} are given", role(r))
            ),
            Msg::RoleMissingForNamndType { role: r, namnd_type } => t!(
                format!("obligatorisk roll {} saknas för nämndtypen {}", role(r), model.namnd_type_label(namnd_type, false).to_lowercase()),
                format!("mandatory role {} is missing for nämnd type {}", role(r), model.namnd_type_label(namnd_type, true).to_lowercase())
            ),
            Msg::RoleGroupMissing { roles, of, namnd_type } => {
                let names: Vec<String> = roles.iter().map(|r| role(r)).collect();
                let of_sv = if *namnd_type { format!("nämndtypen {}", model.namnd_type_label(of, false).to_lowercase()) } else { format!("kategorin {}", cat(of)) };
                let of_en = if *namnd_type { format!("nämnd type {}", model.namnd_type_label(of, true).to_lowercase()) } else { format!("category {}", cat(of)) };
                t!(
                    format!("obligatorisk roll saknas för {of_sv}: ange {}", or_list(&names, Lang::Sv)),
                    format!("a mandatory role is missing for {of_en}: give {}", or_list(&names, Lang::En))
                )
            }
            Msg::TitleHere { title: tt } => t!(format!("titel: {}", title(tt)), format!("title: {}", title(tt))),
            Msg::HolderTitle { role: r, person, title: tt, allowed } => {
                let allowed: Vec<String> = allowed.iter().map(|a| title(a)).collect();
                t!(
                    format!("rollen {} innehas av `{person}`, som är {}, men ska innehas av {}", role(r), title(tt).to_lowercase(), or_list(&allowed, lang).to_lowercase()),
                    format!("role {} is held by `{person}`, a {}, but must be held by a {}", role(r), title(tt).to_lowercase(), or_list(&allowed, lang).to_lowercase())
                )
            }
            Msg::HolderNotManager { role: r, person, title: tt } => t!(
                format!("rollen {} innehas av `{person}`, som är {} och inte chef", role(r), title(tt).to_lowercase()),
                format!("role {} is held by `{person}`, a {}, who is not a manager", role(r), title(tt).to_lowercase())
            ),
            Msg::HolderNotAtUnit { role: r, person, forvaltning, unit } => t!(
                format!("rollen {} innehas av `{person}`, som inte arbetar på enheten `{unit}` i `{forvaltning}`", role(r)),
                format!("role {} is held by `{person}`, who does not work at unit `{unit}` of `{forvaltning}`", role(r))
            ),
            Msg::HolderNotInForvaltning { role: r, person, forvaltning, namnder } => t!(
                format!("rollen {} innehas av `{person}` på `{forvaltning}`, men ska innehas av någon i förvaltningen hos {}", role(r), or_list(&quoted(namnder), Lang::Sv)),
                format!("role {} is held by `{person}` of `{forvaltning}`, but must be held by someone in the förvaltning of {}", role(r), or_list(&quoted(namnder), Lang::En))
            ),
            Msg::HolderNotInUserForvaltning { role: r, person, forvaltning } => t!(
                format!("rollen {} innehas av `{person}` på `{forvaltning}`, som inte hör till någon nämnd som använder systemet", role(r)),
                format!("role {} is held by `{person}` of `{forvaltning}`, which belongs to no nämnd that uses the system", role(r))
            ),
            Msg::HolderNotNamnd { role: r, value } => t!(
                format!("rollen {} ska innehas av en nämnd, men `{value}` är ingen nämnd", role(r)),
                format!("role {} must be held by a nämnd, but `{value}` is not a nämnd", role(r))
            ),
            Msg::HolderNamndNotUser { role: r, namnd } => t!(
                format!("rollen {} innehas av `{namnd}`, som inte använder systemet (saknas i `used-by`)", role(r)),
                format!("role {} is held by `{namnd}`, which does not use the system (not in `used-by`)", role(r))
            ),
            Msg::HolderNamndOrgPart { role: r, namnd, namnder, allowed: true } => t!(
                format!("rollen {} innehas av `{namnd}`, men ska innehas av {}", role(r), or_list(&quoted(namnder), Lang::Sv)),
                format!("role {} is held by `{namnd}`, but must be held by {}", role(r), or_list(&quoted(namnder), Lang::En))
            ),
            Msg::HolderNamndOrgPart { role: r, namnd, namnder: _, allowed: false } => t!(
                format!("rollen {} får inte innehas av `{namnd}`", role(r)),
                format!("role {} must not be held by `{namnd}`", role(r))
            ),
            Msg::AppointerMissing { role: r, holder } => t!(
                format!("det framgår inte vem som har utsett `{holder}` till {}; ange `appointed-by`", role(r)),
                format!("it is not stated who appointed `{holder}` as {}; give `appointed-by`", role(r))
            ),
            Msg::AppointedBy { role: r, holder, failure } => t!(
                format!("`{holder}` har utsetts till {} av fel person: {}", role(r), failure.render(lang, model)),
                format!("`{holder}` was appointed {} by the wrong person: {}", role(r), failure.render(lang, model))
            ),
            Msg::AppointerTitle { role: r, holder, appointer, title: tt, allowed } => {
                let allowed: Vec<String> = allowed.iter().map(|a| title(a)).collect();
                t!(
                    format!("`{holder}` har utsetts till {} av `{appointer}`, som är {}; den som utser ska vara {}", role(r), title(tt).to_lowercase(), or_list(&allowed, lang).to_lowercase()),
                    format!("`{holder}` was appointed {} by `{appointer}`, a {}; the appointer must be a {}", role(r), title(tt).to_lowercase(), or_list(&allowed, lang).to_lowercase())
                )
            }
            Msg::AgareShouldBeStodprocessChef { role: r, namnd, person, stodprocess, expected } => t!(
                format!("systemet stöder stödprocessen `{stodprocess}` hos `{namnd}`; {} bör vara förvaltningschefen där (`{expected}`), inte `{person}`", role(r)),
                format!("the system supports the support process `{stodprocess}` of `{namnd}`; its {} should be that förvaltningschef (`{expected}`), not `{person}`", role(r))
            ),
            Msg::AgareShouldHaveTitle { role: r, person, title: tt } => t!(
                format!("systemet stöder ingen stödprocess med egen ägare; {} bör vara {}, inte `{person}`", role(r), title(tt).to_lowercase()),
                format!("the system supports no support process with an owner of its own; its {} should be the {}, not `{person}`", role(r), title(tt).to_lowercase())
            ),
            Msg::UsedByAll { scope } => t!(
                format!("systemet är {} men används av alla nämnder", model.scope_label_neuter(scope, false)),
                format!("the system is {} but used by every nämnd", model.scope_label(scope, true))
            ),
            Msg::SingleUserKommungemensam { scope, namnd } => t!(
                format!("systemet är {} men används bara av `{namnd}` och stöder ingen stödprocess; stämmer omfattningen?", model.scope_label_neuter(scope, false)),
                format!("the system is {} but used only by `{namnd}` and supports no support process; is the scope right?", model.scope_label(scope, true))
            ),
            Msg::DocumentMissing { document, category } => t!(
                format!("{document} saknas: inget giltigt avtal av den typen täcker systemet (obligatoriskt för {})", cat(category)),
                format!("{document} missing: no valid agreement of that type covers the system (mandatory for {})", cat(category))
            ),
            Msg::ContractExpiring { avtal, until, days } => t!(
                format!("avtalet `{avtal}` löper ut {until} (inom {days} dagar) och inget beslut om förlängning är fattat"),
                format!("agreement `{avtal}` ends on {until} (within {days} days) and no decision to extend has been made")
            ),
            Msg::ContractExpired { system, until } => t!(
                format!("`{system}` används men täcks bara av grundavtal som löpte ut {until}"),
                format!("`{system}` is in use but covered only by grundavtal that ended on {until}")
            ),
            Msg::CoversSystem { system } => t!(format!("avtalet täcker `{system}`"), format!("the agreement covers `{system}`")),
            Msg::PubMissing { uncovered, any } => {
                if *any {
                    t!(
                        format!("personuppgiftsbiträdesavtal saknas för nämnderna {}", list(uncovered)),
                        format!("no PUB-avtal covers the nämnder {}", list(uncovered))
                    )
                } else {
                    t!(
                        "systemet behandlar personuppgifter men inget giltigt personuppgiftsbiträdesavtal (PUB-avtal) täcker det".into(),
                        "the system processes personal data but no valid PUB-avtal (data processing agreement) covers it".into()
                    )
                }
            }
            Msg::PubNotAssessed { absent: true } => t!(
                "det är inte bedömt om systemet behandlar personuppgifter (`personal-data.processed` saknas); ange `true` eller `false` med datum för dialogen med dataskyddskontakten".into(),
                "whether the system processes personal data is not assessed (`personal-data.processed` is missing); state `true`, or `false` with the date of the dialogue with the dataskyddskontakt".into()
            ),
            Msg::PubNotAssessed { absent: false } => t!(
                "`processed: false` utan datum för dialog med dataskyddskontakt (`dataskyddskontakt-dialog`)".into(),
                "`processed: false` without a date of the dialogue with the dataskyddskontakt (`dataskyddskontakt-dialog`)".into()
            ),
            Msg::PubPublicService => t!(
                "tjänsten behandlar personuppgifter men har varken personuppgiftsbiträdesavtal eller avtal om gemensamt personuppgiftsansvar".into(),
                "the service processes personal data but has neither a PUB-avtal nor a joint-controllership agreement (gpa)".into()
            ),
            Msg::PubDecidedByTitle { person, system, title: tt } => t!(
                format!("PUB-avtal för det kommungemensamma systemet `{system}` ska beslutas av {}, inte av `{person}`", title(tt).to_lowercase()),
                format!("the PUB-avtal of the kommungemensam system `{system}` must be decided by the {}, not by `{person}`", title(tt).to_lowercase())
            ),
            Msg::PubDecidedByNamnd { person, system, namnd } => t!(
                format!("PUB-avtal för `{system}` ska beslutas av en delegat i `{namnd}`s förvaltning, inte av `{person}`"),
                format!("the PUB-avtal of `{system}` must be decided by a delegate of `{namnd}`'s förvaltning, not by `{person}`")
            ),
            Msg::SystemScope { scope, stodprocess } => match stodprocess {
                Some(sp) => t!(format!("systemet är {scope} och stöder stödprocessen `{sp}`"), format!("the system is {scope} and supports support process `{sp}`")),
                None => t!(format!("systemet är {scope}"), format!("the system is {scope}")),
            },
            Msg::PubFullmakt { person, system, missing } => t!(
                format!("`{person}` har undertecknat PUB-avtalet för `{system}` utan giltig fullmakt från {}", list(missing)),
                format!("`{person}` signed the PUB-avtal of `{system}` without a valid fullmakt from {}", list(missing))
            ),
            Msg::PubClauses { missing } => t!(
                format!("PUB-avtalet saknar punkterna {} i artikel 28.3 GDPR", list(missing)),
                format!("the PUB-avtal lacks GDPR art. 28.3 points {}", list(missing))
            ),
            Msg::ThirdCountry { country } if country.is_empty() => t!(
                "personuppgifterna lagras i tredjeland men inget gällande avtal har överföringsmekanism och överföringsanalys (`transfer.mechanism`, `transfer.tia-date`)".to_string(),
                "personal data is stored in a third country but no valid agreement has a transfer mechanism and transfer impact assessment (`transfer.mechanism`, `transfer.tia-date`)".to_string()
            ),
            Msg::ThirdCountry { country } => t!(
                format!("personuppgifter överförs till tredjeland `{country}` utan överföringsmekanism och överföringsanalys (`transfer.mechanism`, `transfer.tia-date`)"),
                format!("personal data goes to third country `{country}` without a transfer mechanism and transfer impact assessment (`transfer.mechanism`, `transfer.tia-date`)")
            ),
            Msg::InternalProcessor { namnd } => t!(
                format!("internt driftat: `{namnd}` är internt personuppgiftsbiträde; det ska framgå av behandlingsregistret"),
                format!("operated internally: `{namnd}` is internal processor; the processing register must say so")
            ),
            Msg::DelegationMissing { matter, delegate } => t!(
                format!("delegeringsförteckningen saknar `{matter}` till {}", title(delegate).to_lowercase()),
                format!("the delegation list lacks `{matter}` to the {}", title(delegate).to_lowercase())
            ),
            Msg::PlanMissing { year } => t!(format!("ingen godkänd förvaltningsplan för {year}"), format!("no approved förvaltningsplan for {year}")),
            Msg::PlanLate { year, approved_on, deadline } => t!(
                format!("förvaltningsplanen för {year} godkändes {approved_on}, efter {deadline}"),
                format!("the förvaltningsplan for {year} was approved on {approved_on}, after {deadline}")
            ),
            Msg::PlanApprover { person, year, role } => t!(
                format!("förvaltningsplanen för {year} är godkänd av `{person}`, som inte är {} för systemet", model.role_label(role, false).to_lowercase()),
                format!("the förvaltningsplan for {year} was approved by `{person}`, who is not a {} of the system", model.role_label(role, true).to_lowercase())
            ),
            Msg::PlanNextYear { year } => t!(
                format!("arbetet med förvaltningsplanen för {year} ska ha påbörjats; ingen plan finns"),
                format!("work on the förvaltningsplan for {year} should have started; there is none")
            ),
            Msg::ReportMissing { year, deadline } => t!(
                format!("ingen uppföljningsrapport för {year} (ska vara klar senast {deadline})"),
                format!("no uppföljningsrapport for {year} (due by {deadline})")
            ),
            Msg::ReportApprover { person, year, role } => t!(
                format!("uppföljningsrapporten för {year} är godkänd av `{person}`, som inte är {}", model.role_label(role, false).to_lowercase()),
                format!("the uppföljningsrapport for {year} was approved by `{person}`, who is not a {}", model.role_label(role, true).to_lowercase())
            ),
            Msg::FollowupMissing { months, since } => t!(
                format!("ingen avtalsuppföljning under de senaste {months} månaderna (sedan {since})"),
                format!("no contract follow-up in the last {months} months (since {since})")
            ),
            Msg::ClassificationMissing => t!(
                "ingen informationsklassning med datum".into(),
                "no information classification with a date".into()
            ),
            Msg::ClassificationOld { date, years } => t!(
                format!("informationsklassningen från {date} är äldre än {years} år"),
                format!("the information classification of {date} is older than {years} years")
            ),
            Msg::DpiaThreshold => t!(
                "systemet behandlar personuppgifter men ingen tröskelanalys är dokumenterad".into(),
                "the system processes personal data but no threshold analysis is documented".into()
            ),
            Msg::DpiaRequired { criteria, threshold } => t!(
                format!("tröskelanalysen uppfyller {criteria} kriterier (fler än {threshold}); konsekvensbedömning eller motivering saknas"),
                format!("the threshold analysis meets {criteria} criteria (more than {threshold}); no impact assessment or motivation")
            ),
            Msg::DpiaDso => t!(
                "dataskyddsombudet har inte rådfrågats (`dso-consulted: true`)".into(),
                "the data protection officer was not consulted (`dso-consulted: true`)".into()
            ),
            Msg::RegisterMissing { namnder } => t!(
                format!("ingen behandling i behandlingsregistret för {} anger systemet", list(namnder)),
                format!("no processing activity of {} lists the system", list(namnder))
            ),
            Msg::RegisterJoint { namnd, system } => t!(
                format!("`{system}` stöder en stödprocess för `{namnd}`; `{namnd}` ska anges i `joint-with`"),
                format!("`{system}` supports a support process of `{namnd}`; `{namnd}` belongs in `joint-with`")
            ),
            Msg::ExceptionExpired { kind, rule, expires } => t!(
                format!("{} från `{rule}` gick ut {expires} och gäller inte längre", exc(kind, false)),
                format!("{} from `{rule}` expired on {expires} and no longer applies", exc(kind, true))
            ),
            Msg::ExceptionUnused { kind, rule } => t!(
                format!("{} från `{rule}` gäller ingen avvikelse som regeln rapporterar; ta bort det", exc(kind, false)),
                format!("{} from `{rule}` covers no finding of the rule; remove it", exc(kind, true))
            ),
            Msg::ExceptionInvalid { kind, missing } => t!(
                format!("{} saknar {}", exc(kind, false), list(missing)),
                format!("{} lacks {}", exc(kind, true), list(missing))
            ),
            Msg::ExceptionWrongDecider { kind, decider, expected } if decider.is_empty() => t!(
                format!("{} saknar `decided-by`; det ska beslutas av {}", exc(kind, false), or_list(expected, Lang::Sv)),
                format!("{} lacks `decided-by`; it must be decided by {}", exc(kind, true), or_list(expected, Lang::En))
            ),
            Msg::ExceptionWrongDecider { kind, decider, expected } => t!(
                format!("{} är beslutat av `{decider}`, men ska beslutas av {}", exc(kind, false), or_list(expected, Lang::Sv)),
                format!("{} was decided by `{decider}`, but must be decided by {}", exc(kind, true), or_list(expected, Lang::En))
            ),
            Msg::ExceptionKindNotAllowed { kind, rule, allowed } => t!(
                format!("{} kan inte gälla `{rule}`; regeln tillåter {}", exc(kind, false), or_list(&quoted(allowed), Lang::Sv)),
                format!("{} cannot waive `{rule}`; the rule allows {}", exc(kind, true), or_list(&quoted(allowed), Lang::En))
            ),
            Msg::RecordMissing { types, due, by } => {
                let labels: Vec<String> = types.iter().enumerate().map(|(i, t)| {
                    let l = model.record_type_label(t, en);
                    if i == 0 { l } else { lower_first(&l) }
                }).collect();
                let what = or_list(&labels, lang);
                let by = by.as_ref().map(|n| t!(format!(" av `{n}`"), format!(" by `{n}`"))).unwrap_or_default();
                match due {
                    Due::Standing => t!(format!("{what}{by} saknas"), format!("{what}{by} is missing")),
                    Due::Year { year, deadline: Some(d) } => t!(
                        format!("{what}{by} för {year} saknas (ska finnas senast {d})"),
                        format!("{what}{by} for {year} is missing (due by {d})")
                    ),
                    Due::Year { year, deadline: None } => t!(format!("{what}{by} för {year} saknas"), format!("{what}{by} for {year} is missing")),
                    Due::WithinMonths(n) => t!(
                        format!("{what}{by} från de senaste {n} månaderna saknas"),
                        format!("{what}{by} from the last {n} months is missing")
                    ),
                }
            }
            Msg::RecordWrongBy { record, by: Some(by), expected } => t!(
                format!("{} ska komma från {}, inte från `{by}`", model.record_type_label(record, false), who_list(expected, lang, model)),
                format!("{} must come from {}, not from `{by}`", model.record_type_label(record, true), who_list(expected, lang, model))
            ),
            Msg::RecordWrongBy { record, by: None, expected } => t!(
                format!("{} saknar `by` (ska komma från {})", model.record_type_label(record, false), who_list(expected, lang, model)),
                format!("{} lacks `by` (must come from {})", model.record_type_label(record, true), who_list(expected, lang, model))
            ),
            Msg::RecordNotConsulted { record, expected } => t!(
                format!("{}: samråd med {} saknas (`consulted`)", model.record_type_label(record, false), who_list(expected, lang, model)),
                format!("{} was not made in consultation with {} (`consulted`)", model.record_type_label(record, true), who_list(expected, lang, model))
            ),
            Msg::RecordStatus { record, status: Some(st), expected } => t!(
                format!("{} har status `{st}`, men ska ha status `{expected}`", model.record_type_label(record, false)),
                format!("{} has status `{st}`, but must have status `{expected}`", model.record_type_label(record, true))
            ),
            Msg::RecordStatus { record, status: None, expected } => t!(
                format!("{} saknar status (ska ha status `{expected}`)", model.record_type_label(record, false)),
                format!("{} has no status; it must have status `{expected}`", model.record_type_label(record, true))
            ),
            Msg::RecordSections { record, missing } => t!(
                format!("{} saknar avsnitten {}", model.record_type_label(record, false), list(missing)),
                format!("{} lacks the sections {}", model.record_type_label(record, true), list(missing))
            ),
            Msg::RecordOrder { record, other, after, date, other_date: None } => {
                let (r, o) = (model.record_type_label(record, en), lower_first(&model.record_type_label(other, en)));
                let _ = date;
                match after {
                    true => t!(format!("{r} ska komma efter {o}, som saknas"), format!("{r} must come after {o}, which is missing")),
                    false => t!(format!("{r} ska komma före {o}, som saknas"), format!("{r} must come before {o}, which is missing")),
                }
            }
            Msg::RecordOrder { record, other, after, date, other_date: Some(od) } => {
                let (r, o) = (model.record_type_label(record, en), lower_first(&model.record_type_label(other, en)));
                let d = date.clone().unwrap_or_else(|| t!("utan datum".to_string(), "undated".to_string()));
                match after {
                    true => t!(format!("{r} har datum {d}, men ska ha ett senare datum än {o} ({od})"), format!("{r} is dated {d}, but must be dated after {o} ({od})")),
                    false => t!(format!("{r} har datum {d}, men ska ha ett tidigare datum än {o} ({od})"), format!("{r} is dated {d}, but must be dated before {o} ({od})")),
                }
            }
            Msg::FieldMissing { fact } => t!(format!("{} saknas", fact_name(model, fact, false)), format!("{} is missing", fact_name(model, fact, true))),
            Msg::FieldPresent { fact } => t!(format!("{} ska inte anges", fact_name(model, fact, false)), format!("{} must not be given", fact_name(model, fact, true))),
            Msg::FieldNotIn { fact, value, values, forbidden: false } => t!(
                format!("{} är `{value}`, men ska vara {}", fact_name(model, fact, false), or_list(&quoted(values), Lang::Sv)),
                format!("{} is `{value}`, but must be {}", fact_name(model, fact, true), or_list(&quoted(values), Lang::En))
            ),
            Msg::FieldNotIn { fact, value, values: _, forbidden: true } => t!(
                format!("{} får inte vara `{value}`", fact_name(model, fact, false)),
                format!("{} must not be `{value}`", fact_name(model, fact, true))
            ),
            Msg::FieldBelow { fact, value, min } => t!(
                format!("{} är `{value}`, men ska vara minst `{min}`", fact_name(model, fact, false)),
                format!("{} is `{value}`, but must be at least `{min}`", fact_name(model, fact, true))
            ),
            Msg::NamndNotCovered { namnd } => t!(
                format!("systemet ska användas av `{namnd}`, som saknas i `used-by`"),
                format!("the system must be used by `{namnd}`, which is missing from `used-by`")
            ),
            Msg::NamndCovered { namnd } => t!(
                format!("systemet får inte användas av `{namnd}`, men `{namnd}` står i `used-by`"),
                format!("the system must not be used by `{namnd}`, but `{namnd}` is in `used-by`")
            ),
            Msg::UniqueDuplicate { fact, value, others, max } => {
                let n = if *max == 1 { t!("system".to_string(), "system".to_string()) } else { t!("system".to_string(), "systems".to_string()) };
                t!(
                    format!("{} `{value}` finns redan hos {}; högst {max} {n} får ha det värdet", fact_name(model, fact, false), and_list(&quoted(others), Lang::Sv)),
                    format!("{} `{value}` is already used by {}; at most {max} {n} may have that value", fact_name(model, fact, true), and_list(&quoted(others), Lang::En))
                )
            }
            Msg::UniqueTooFew { fact, value, count, min } => {
                let n = if *min == 1 { "system" } else { t!("system", "systems") };
                t!(
                    format!("minst {min} {n} ska ha {} `{value}`, men {count} har det", lower_first(&fact_name(model, fact, false))),
                    format!("at least {min} {n} must have {} `{value}`, but {count} do", lower_first(&fact_name(model, fact, true)))
                )
            }
            Msg::UniqueConflict { fact, value, other } => t!(
                format!("systemet har {} `{value}`, som `{other}` redan har; de får inte ha samma värde", lower_first(&fact_name(model, fact, false))),
                format!("the system has {} `{value}`, which `{other}` already has; they must not share it", lower_first(&fact_name(model, fact, true)))
            ),
            Msg::ValueAlsoHere { entity } => t!(format!("samma värde hos `{entity}`"), format!("same value on `{entity}`")),
            Msg::ExceptionUnknownRule { rule, suggestion } => t!(
                format!("avsteget gäller en okänd regel `{rule}`{}", mean(suggestion, lang)),
                format!("the exception names an unknown rule `{rule}`{}", mean(suggestion, lang))
            ),
        }
    }
}

/// "A, B och C" / "A, B and C".
fn and_list(items: &[String], lang: Lang) -> String {
    let and = if lang == Lang::En { " and " } else { " och " };
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{}{and}{}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// A label in running text: "Förvaltningsplan" → "förvaltningsplan", but
/// "IT-chef" and "PUB-avtal" stay as they are.
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(f), Some(g)) if f.is_uppercase() && !g.is_uppercase() => {
            f.to_lowercase().collect::<String>() + &s[f.len_utf8()..]
        }
        _ => s.to_string(),
    }
}

/// A named fact in a message: an attribute by its label, a core fact by
/// its key (`category`).
fn fact_name(model: &Model, fact: &str, en: bool) -> String {
    if let Some(attr) = fact.strip_prefix("attributes.") {
        if let Some(def) = model.attributes.values().find_map(|a| a.get(attr)) {
            return format!("{} (`{fact}`)", def.label(en));
        }
    }
    format!("`{fact}`")
}

/// Who a record must come from, in words, alternatives joined with "or".
fn who_list(items: &[Who], lang: Lang, model: &Model) -> String {
    let en = lang == Lang::En;
    let words: Vec<String> = items
        .iter()
        .map(|w| match w {
            Who::Titles(ts) => {
                let labels: Vec<String> = ts
                    .iter()
                    .map(|t| lower_first(&model.title_label(t, en)))
                    .collect();
                if en {
                    format!("a person with the title {}", or_list(&labels, lang))
                } else {
                    format!("en person med titeln {}", or_list(&labels, lang))
                }
            }
            Who::Role(r) => {
                let l = lower_first(&model.role_label(r, en));
                if en {
                    format!("the holder of the role `{r}` ({l})")
                } else {
                    format!("innehavaren av rollen `{r}` ({l})")
                }
            }
            Who::Body(b) => lower_first(&model.body_label(b, en)),
            Who::Namnd(n) => format!("`{n}`"),
            Who::UserNamnd => {
                if en {
                    "a nämnd that uses the system".into()
                } else {
                    "en nämnd som använder systemet".into()
                }
            }
            Who::AnyNamnd => {
                if en {
                    "a nämnd".into()
                } else {
                    "en nämnd".into()
                }
            }
        })
        .collect();
    or_list(&words, lang)
}

fn quoted(items: &[String]) -> Vec<String> {
    items.iter().map(|i| format!("`{i}`")).collect()
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn or_list(items: &[String], lang: Lang) -> String {
    let or = if lang == Lang::En { " or " } else { " eller " };
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{}{or}{}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn sv_type(t: &str) -> &str {
    match t {
        "string" => "text",
        "integer" => "heltal",
        "number" => "tal",
        "boolean" => "sant/falskt",
        "array" => "lista",
        "object" => "mappning",
        "null" => "tomt värde",
        other => other,
    }
}
