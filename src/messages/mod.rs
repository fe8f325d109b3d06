//! Every message kdl shows, as typed facts ([`Msg`]) and their rendering in
//! Swedish (default) and English. Checks never format text themselves; the
//! renderers, the yearly report, and any other consumer (an editor server,
//! a published site) call [`Msg::render`].
//!
//! - `kinds`: the facts ([`Msg`], [`RefKind`], [`Who`], [`Due`]);
//! - this file: their text, in both languages;
//! - `words`: the grammar the texts share.

mod kinds;
mod words;

pub use kinds::*;
pub use words::{kind_sv, lower_first};

use words::*;

use crate::i18n::Lang;
use crate::model::Model;

impl Msg {
    /// Whether the finding's facts name `role` in a `role` field (the role
    /// rules, plan and report approvers). Read from the facts' debug form
    /// on purpose, so that it keeps working for every rule message, present
    /// and future, that records the role it is about as `role`.
    pub fn names_role(&self, role: &str) -> bool {
        format!("{self:?}").contains(&format!("role: {role:?}"))
    }

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
            Msg::Syntax { detail } => syntax(detail, lang),
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
            Msg::MissingKey { key, parent } if parent.is_empty() => t!(
                format!("obligatorisk nyckel `{key}` saknas – lägg till `{key}:`"),
                format!("required key `{key}` is missing – add `{key}:`")
            ),
            Msg::MissingKey { key, parent } => t!(
                format!("obligatorisk nyckel `{key}` saknas under `{parent}` – lägg till `{key}:`"),
                format!("required key `{key}` is missing under `{parent}` – add `{key}:`")
            ),
            Msg::NotAllowed { key, value, allowed, .. } if matches!(allowed.as_slice(), [one] if one == "all") => {
                // `used-by: socialnamnden` meant a list of one; `alla` meant `all`.
                let one_id = crate::schema::slug_of(value).is_none()
                    && !value.is_empty()
                    && !matches!(value.as_str(), "alla" | "samtliga" | "allt" | "every" | "everyone");
                let example = if one_id {
                    format!(", t.ex. `{key}: [{value}]`")
                } else {
                    String::new()
                };
                t!(
                    format!("{} – skriv `all` (alla nämnder) eller en lista med id{example}", kv(key, value)),
                    format!("{} – write `all` (every nämnd) or a list of ids{}", kv(key, value), example.replace("t.ex.", "e.g."))
                )
            }
            Msg::NotAllowed { key, value, allowed, .. } if allowed.len() == 1 => {
                let one = allowed.first().map_or("", String::as_str);
                t!(
                    format!("{} är inte tillåtet – värdet ska vara `{one}`", kv(key, value)),
                    format!("{} is not allowed – the value must be `{one}`", kv(key, value))
                )
            }
            Msg::NotAllowed { key, value, allowed, suggestion } => t!(
                format!("{} är inte tillåtet; tillåtna värden: {}{}", kv(key, value), list(allowed), mean(suggestion, lang)),
                format!("{} is not allowed; allowed values: {}{}", kv(key, value), list(allowed), mean(suggestion, lang))
            ),
            Msg::BadDate { key, value } if looks_like_date(value) => t!(
                format!("{} är inget giltigt datum (dagen finns inte i kalendern) – skriv ÅÅÅÅ-MM-DD, t.ex. `2025-01-31`", kv(key, value)),
                format!("{} is not a valid date (no such day in the calendar) – write YYYY-MM-DD, e.g. `2025-01-31`", kv(key, value))
            ),
            Msg::BadDate { key, value } => t!(
                format!("{} är inget giltigt datum – skriv ÅÅÅÅ-MM-DD, t.ex. `2025-01-31`", kv(key, value)),
                format!("{} is not a valid date – write YYYY-MM-DD, e.g. `2025-01-31`", kv(key, value))
            ),
            Msg::YearNotDate { key, value } if value.len() == 4 && value.chars().all(|c| c.is_ascii_digit()) => t!(
                format!("{} är ett år, inte ett datum – skriv t.ex. `{value}-01-01`", kv(key, value)),
                format!("{} is a year, not a date – write e.g. `{value}-01-01`", kv(key, value))
            ),
            Msg::YearNotDate { key, value } => t!(
                format!("{} är ett tal, inte ett datum – skriv ÅÅÅÅ-MM-DD, t.ex. `2025-01-31`", kv(key, value)),
                format!("{} is a number, not a date – write YYYY-MM-DD, e.g. `2025-01-31`", kv(key, value))
            ),
            Msg::BadPattern { key, value, pattern, suggestion } if pattern.starts_with("^[a-z0-9]") => t!(
                format!("{} är inget giltigt id – ett id skrivs med gemener a–z, siffror och bindestreck{}", kv(key, value), mean(suggestion, lang)),
                format!("{} is not a valid id – an id is written in lowercase a–z, digits and hyphens{}", kv(key, value), mean(suggestion, lang))
            ),
            Msg::BadPattern { key, value, pattern, suggestion } if pattern == "^[A-Z]{2}$" => t!(
                format!("{} är ingen landskod – skriv två versaler enligt ISO 3166-1, t.ex. `US`{}", kv(key, value), mean(suggestion, lang)),
                format!("{} is not a country code – write two capital letters (ISO 3166-1), e.g. `US`{}", kv(key, value), mean(suggestion, lang))
            ),
            Msg::BadPattern { key, value, pattern, .. } if pattern.starts_with("^[a-z]+/") => t!(
                format!("{} är inget regel-id – skriv grupp/namn, t.ex. `roles/mandatory` (se `kdl rules`)", kv(key, value)),
                format!("{} is not a rule id – write group/name, e.g. `roles/mandatory` (see `kdl rules`)", kv(key, value))
            ),
            Msg::BadPattern { key, value, pattern, suggestion } => t!(
                format!("{} har fel format – värdet ska matcha `{pattern}`{}", kv(key, value), mean(suggestion, lang)),
                format!("{} has the wrong format – the value must match `{pattern}`{}", kv(key, value), mean(suggestion, lang))
            ),
            Msg::WrongType { key, expected, value, .. } if only_boolean(expected) => t!(
                format!("{} är inget sanningsvärde – skriv `true` eller `false`", kv(key, value)),
                format!("{} is not a boolean – write `true` or `false`", kv(key, value))
            ),
            Msg::WrongType { key, expected, found, .. } if found == "null" => t!(
                format!("{} saknar värde – värdet ska vara {}", name(key, lang), types(expected, lang)),
                format!("{} has no value – it must be {}", name(key, lang), types(expected, lang))
            ),
            Msg::WrongType { key, expected, found, value } if matches!(found.as_str(), "array" | "object") => {
                let _ = value;
                t!(
                    format!("{} ska vara {}, men är {}", name(key, lang), types(expected, lang), type_noun(found, lang)),
                    format!("{} must be {}, but is {}", name(key, lang), types(expected, lang), type_noun(found, lang))
                )
            }
            Msg::WrongType { key, expected, found, value } if expected.iter().any(|e| e == "string") => {
                let quoted = if key.is_empty() || key.ends_with("[]") {
                    format!("`\"{value}\"`")
                } else {
                    format!("`{key}: \"{value}\"`")
                };
                t!(
                    format!(
                        "{} ska vara text, men är {} (`{value}`) – sätt värdet inom citattecken: {quoted}",
                        name(key, lang),
                        type_noun(found, lang)
                    ),
                    format!(
                        "{} must be text, but is {} (`{value}`) – put the value in quotes: {quoted}",
                        name(key, lang),
                        type_noun(found, lang)
                    )
                )
            }
            Msg::WrongType { key, expected, found, value } => t!(
                format!("{} ska vara {}, men är {} (`{value}`)", name(key, lang), types(expected, lang), type_noun(found, lang)),
                format!("{} must be {}, but is {} (`{value}`)", name(key, lang), types(expected, lang), type_noun(found, lang))
            ),
            Msg::OutOfRange { key, value, min, max } => {
                let over = match (value.parse::<f64>(), max.as_deref().map(str::parse::<f64>)) {
                    (Ok(v), Some(Ok(m))) => v > m,
                    _ => false,
                };
                let klassa = matches!(key.as_str(), "konfidentialitet" | "riktighet" | "tillganglighet");
                let range = match (min, max) {
                    (Some(a), Some(b)) if klassa => format!(" (KLASSA {a}–{b})"),
                    (Some(a), Some(b)) => t!(format!(" (tillåtet: {a}–{b})"), format!(" (allowed: {a}–{b})")),
                    _ => String::new(),
                };
                let bound = if over { max } else { min }.clone().unwrap_or_default();
                match (over, klassa) {
                    (true, true) => t!(
                        format!("{} är {value}, men högsta nivån är {bound}{range}", name(key, lang)),
                        format!("{} is {value}, but the highest level is {bound}{range}", name(key, lang))
                    ),
                    (false, true) => t!(
                        format!("{} är {value}, men lägsta nivån är {bound}{range}", name(key, lang)),
                        format!("{} is {value}, but the lowest level is {bound}{range}", name(key, lang))
                    ),
                    (true, false) => t!(
                        format!("{} är {value}, men får vara högst {bound}{range}", name(key, lang)),
                        format!("{} is {value}, but may be at most {bound}{range}", name(key, lang))
                    ),
                    (false, false) => t!(
                        format!("{} är {value}, men ska vara minst {bound}{range}", name(key, lang)),
                        format!("{} is {value}, but must be at least {bound}{range}", name(key, lang))
                    ),
                }
            }
            Msg::TooShort { key, list: false, .. } => t!(
                // "ett värde … är tomt" agrees with its neuter noun.
                format!(
                    "{} är {} – skriv ett värde",
                    name(key, lang),
                    if key.ends_with("[]") { "tomt" } else { "tom" }
                ),
                format!("{} is empty – write a value", name(key, lang))
            ),
            Msg::TooShort { key, min, list: true } => {
                let n = if *min <= 1 {
                    t!("minst ett värde".to_string(), "at least one value".to_string())
                } else {
                    t!(format!("minst {min} värden"), format!("at least {min} values"))
                };
                t!(
                    format!("{} har för få värden – ange {n}", name(key, lang)),
                    format!("{} has too few values – give {n}", name(key, lang))
                )
            }
            Msg::NotUnique { key, value } => t!(
                format!("{} innehåller `{value}` mer än en gång – ta bort dubbletten", name(key, lang)),
                format!("{} lists `{value}` more than once – remove the duplicate", name(key, lang))
            ),
            Msg::BadKeyName { key, parent, suggestion } if parent == "roles" => {
                let known = suggestion.as_deref().filter(|s| model.roles.contains_key(*s));
                let folded = key.chars().any(|c| "åäöÅÄÖ".contains(c));
                match (folded, known, suggestion) {
                    (true, Some(s), _) => t!(
                        format!("rollnyckeln `{key}` innehåller å, ä eller ö – rollnamn skrivs utan, menade du `{s}`?"),
                        format!("role key `{key}` contains å, ä or ö – role names are written without them; did you mean `{s}`?")
                    ),
                    (true, None, Some(s)) => t!(
                        format!("rollnyckeln `{key}` innehåller å, ä eller ö – rollnamn skrivs utan (t.ex. `{s}`); se `kdl explain roles/mandatory` för modellens roller"),
                        format!("role key `{key}` contains å, ä or ö – role names are written without them (e.g. `{s}`); see `kdl explain roles/mandatory` for the model's roles")
                    ),
                    (_, known, _) => t!(
                        format!("rollnyckeln `{key}` är inget giltigt rollnamn – rollnamn skrivs med gemener a–z, siffror och bindestreck{}", mean(&known.map(str::to_string), lang)),
                        format!("role key `{key}` is not a valid role name – role names are written in lowercase a–z, digits and hyphens{}", mean(&known.map(str::to_string), lang))
                    ),
                }
            }
            Msg::BadKeyName { key, parent, .. } if parent == "rules" => t!(
                format!("`{key}` är inget regel-id – skriv grupp/namn (t.ex. `roles/mandatory`) eller grupp/* (se `kdl rules`)"),
                format!("`{key}` is not a rule id – write group/name (e.g. `roles/mandatory`) or group/* (see `kdl rules`)")
            ),
            Msg::BadKeyName { key, parent, suggestion } => t!(
                format!("nyckeln `{key}` under `{parent}` är inget giltigt namn – skriv gemener a–z, siffror och bindestreck{}", mean(suggestion, lang)),
                format!("key `{key}` under `{parent}` is not a valid name – write lowercase a–z, digits and hyphens{}", mean(suggestion, lang))
            ),
            Msg::WrongShape { found, expected } if found.is_empty() => t!(
                format!("värdet har fel form – det ska vara {}", shape(expected, lang)),
                format!("the value has the wrong shape – it must be {}", shape(expected, lang))
            ),
            Msg::WrongShape { found, expected } if expected.is_empty() => t!(
                format!("värdet ({}) har fel form", type_noun(found, lang)),
                format!("the value ({}) has the wrong shape", type_noun(found, lang))
            ),
            Msg::WrongShape { found, expected } => t!(
                format!("värdet ({}) har fel form: {expected}", type_noun(found, lang)),
                format!("the value ({}) has the wrong shape: {expected}", type_noun(found, lang))
            ),
            Msg::SchemaOther { key, keyword } => t!(
                format!("värdet av {} uppfyller inte schemats villkor `{keyword}` (se `kdl schema`)", name(key, lang)),
                format!("the value of {} does not meet the schema's `{keyword}` condition (see `kdl schema`)", name(key, lang))
            ),
            Msg::ConfigMissing => t!(
                "`kdl.yaml` saknas i katalogens rot – skapa den med `kdl init`".into(),
                "`kdl.yaml` is missing at the catalog root – create it with `kdl init`".into()
            ),
            Msg::ConfigEmpty => t!(
                "`kdl.yaml` är tom – den ska ange minst `model:` och `organisation:` (se `kdl init`)".into(),
                "`kdl.yaml` is empty – it must give at least `model:` and `organisation:` (see `kdl init`)".into()
            ),
            Msg::ConfigNotAMapping => t!(
                "`kdl.yaml` består inte av `nyckel: värde`-rader – den ska ange minst `model:` och `organisation:`".into(),
                "`kdl.yaml` does not consist of `key: value` lines – it must give at least `model:` and `organisation:`".into()
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
            Msg::BadGlob { glob, error } => t!(
                format!("ogiltigt filmönster `{glob}`: {}", glob_error_sv(error)),
                format!("invalid glob `{glob}`: {error}")
            ),
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
                format!("{} `{id}` finns inte{}", what.noun(lang), mean(suggestion, lang)),
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
            Msg::RecordSections { record, missing } if missing.len() == 1 => t!(
                format!("{} saknar avsnittet {}", model.record_type_label(record, false), list(missing)),
                format!("{} lacks the section {}", model.record_type_label(record, true), list(missing))
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
