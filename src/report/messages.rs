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
        detail: String,
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
    OwnerTitle {
        person: String,
        title: String,
        allowed: Vec<String>,
    },
    OwnerUnit {
        person: String,
        forvaltning: String,
        unit: String,
    },
    TitleHere {
        title: String,
    },
    BudgetManager {
        person: String,
        title: String,
    },
    NotAtUnit {
        role: String,
        person: String,
        forvaltning: String,
        unit: String,
    },
    InformationsagareNotNamnd {
        value: String,
    },
    // scope
    KommungemensamOwner {
        role: String,
        person: String,
        forvaltning: String,
    },
    AgareShouldBeStodprocessChef {
        person: String,
        stodprocess: String,
        expected: String,
    },
    AgareShouldHaveTitle {
        person: String,
        title: String,
    },
    UsedByAll,
    SingleUserKommungemensam {
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
        rule: String,
        expires: String,
    },
    ExceptionUnused {
        rule: String,
    },
    ExceptionInvalid {
        missing: Vec<String>,
    },
    ExceptionUnknownRule {
        rule: String,
        suggestion: Option<String>,
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
            Msg::NotRegularFile { kind } => t!(
                format!("inte en vanlig fil ({}); läses inte", kind_sv(kind)),
                format!("not a regular file ({kind}); not read")
            ),
            Msg::DirectoryRepeated { first } => t!(
                format!("mappen har redan lästs som `{first}` (flera symboliska länkar leder dit); läses inte igen"),
                format!("the directory was already read as `{first}` (several symbolic links lead there); not read again")
            ),
            Msg::TooManyFiles { limit } => t!(
                format!("katalogen har fler än {limit} YAML-filer; från och med den här läses inga fler"),
                format!("the catalog holds more than {limit} YAML files; from this one on, no more are read")
            ),
            Msg::ModelOutside { model } => t!(
                format!("modellfilen `{model}` ligger utanför katalogen och läses inte; ange ett inbyggt modell-id eller en fil i katalogen (eller kör med --allow-external-model)"),
                format!("the model file `{model}` is outside the catalog and is not read; name a built-in model id or a file inside the catalog (or run with --allow-external-model)")
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
                "`kdl.yaml` saknas; mappen är ingen katalog och inget i den kontrolleras (skapa `kdl.yaml` i katalogens rot)".into(),
                "`kdl.yaml` is missing; the directory is not a catalog and nothing in it is checked (create `kdl.yaml` at the catalog root)".into()
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
            Msg::ModelInvalid { model, detail } => t!(
                format!("modellfilen `{model}` är felaktig: {detail}"),
                format!("the model file `{model}` is invalid: {detail}")
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
            Msg::OwnerTitle { person, title: tt, allowed } => {
                let allowed: Vec<String> = allowed.iter().map(|a| title(a)).collect();
                t!(
                    format!("ägaren `{person}` är {}, men ägaren ska vara {}", title(tt).to_lowercase(), or_list(&allowed, lang).to_lowercase()),
                    format!("owner `{person}` is {}, but the owner must be {}", title(tt).to_lowercase(), or_list(&allowed, lang).to_lowercase())
                )
            }
            Msg::OwnerUnit { person, forvaltning, unit } => t!(
                format!("ägaren `{person}` ska vara chef på enheten `{unit}` i `{forvaltning}`"),
                format!("owner `{person}` must be the head of unit `{unit}` in `{forvaltning}`")
            ),
            Msg::TitleHere { title: tt } => t!(format!("titel: {}", title(tt)), format!("title: {}", title(tt))),
            Msg::BudgetManager { person, title: tt } => t!(
                format!("budgetansvarig `{person}` är {}, inte en chef", title(tt).to_lowercase()),
                format!("budget holder `{person}` is {}, not a manager", title(tt).to_lowercase())
            ),
            Msg::NotAtUnit { role: r, person, forvaltning, unit } => t!(
                format!("{} `{person}` ska arbeta på enheten `{unit}` i `{forvaltning}`", role(r)),
                format!("{} `{person}` must work at unit `{unit}` of `{forvaltning}`", role(r))
            ),
            Msg::InformationsagareNotNamnd { value } => t!(
                format!("informationsägaren ska vara en nämnd, men `{value}` är ingen nämnd"),
                format!("the informationsägare must be a nämnd, but `{value}` is not a nämnd")
            ),
            Msg::KommungemensamOwner { role: r, person, forvaltning } => t!(
                format!("kommungemensamt system: {} `{person}` arbetar på `{forvaltning}`, inte på Kommunstyrelsens förvaltning eller Förvaltningen för Service", role(r)),
                format!("kommungemensam system: {} `{person}` works at `{forvaltning}`, not at the kommunstyrelse's or the Service förvaltning", role(r))
            ),
            Msg::AgareShouldBeStodprocessChef { person, stodprocess, expected } => t!(
                format!("systemet stöder stödprocessen `{stodprocess}`; ägaren bör vara förvaltningschefen för Service (`{expected}`), inte `{person}`"),
                format!("the system supports the support process `{stodprocess}`; the owner should be the Service förvaltningschef (`{expected}`), not `{person}`")
            ),
            Msg::AgareShouldHaveTitle { person, title: tt } => t!(
                format!("kommungemensamt system utan stödprocess för Service: ägaren bör vara {}, inte `{person}`", title(tt).to_lowercase()),
                format!("kommungemensam system without a Service support process: the owner should be the {}, not `{person}`", title(tt).to_lowercase())
            ),
            Msg::UsedByAll => t!(
                "ett förvaltningsspecifikt system används av alla nämnder; det är kommungemensamt".into(),
                "a förvaltningsspecifik system is used by every nämnd; it is kommungemensam".into()
            ),
            Msg::SingleUserKommungemensam { namnd } => t!(
                format!("kommungemensamt system som bara används av `{namnd}` och inte stöder någon stödprocess; är det förvaltningsspecifikt?"),
                format!("kommungemensam system used only by `{namnd}` and supporting no support process; is it förvaltningsspecifik?")
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
            Msg::ExceptionExpired { rule, expires } => t!(
                format!("avsteget från `{rule}` gick ut {expires} och gäller inte längre"),
                format!("the exception from `{rule}` expired on {expires} and no longer applies")
            ),
            Msg::ExceptionUnused { rule } => t!(
                format!("avsteget från `{rule}` undertrycker ingenting; ta bort det"),
                format!("the exception from `{rule}` suppresses nothing; remove it")
            ),
            Msg::ExceptionInvalid { missing } => t!(
                format!("avsteget saknar {}", list(missing)),
                format!("the exception lacks {}", list(missing))
            ),
            Msg::ExceptionUnknownRule { rule, suggestion } => t!(
                format!("avsteget gäller en okänd regel `{rule}`{}", mean(suggestion, lang)),
                format!("the exception names an unknown rule `{rule}`{}", mean(suggestion, lang))
            ),
        }
    }
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

/// The Swedish name of a kind of file (`load::read::kind_of`).
pub fn kind_sv(kind: &str) -> &str {
    match kind {
        "fifo" => "namngiven pipe (fifo)",
        "character device" => "teckenenhet",
        "block device" => "blockenhet",
        "socket" => "uttag (socket)",
        "directory" => "mapp",
        "symbolic link" => "symbolisk länk",
        "file" => "fil",
        _ => "specialfil",
    }
}
