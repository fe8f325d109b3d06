//! `kdl new KIND ID [PATH]`: a new entity file from the active model.
//!
//! The file is written at the conventional place (`system/ID.yaml`,
//! `personer/`, `namnder/`, `avtal/`, `behandlingar/`) with the editor
//! modeline, never over an existing file. For a system, the template is
//! built from the model's category: its mandatory roles as empty
//! placeholders with comments, its optional roles commented out, and the
//! yearly-cycle sections when the category has them. Values the command
//! cannot know are left empty where the schema allows it, or written as an
//! obvious placeholder id (`ange-namnd`) that `kdl lint` reports as an
//! unknown reference. The result is checked against the schema before it
//! is written.

use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::Args;

use super::{active_model, files, lint::print};
use crate::i18n::Lang;
use crate::model::{Holder, Model};

/// The entity kinds and their conventional directories.
pub const DIRS: &[(&str, &str)] = &[
    ("namnd", "namnder"),
    ("person", "personer"),
    ("system", "system"),
    ("avtal", "avtal"),
    ("behandling", "behandlingar"),
];

/// The model's system scopes, the municipality-wide one first (catalog
/// format v1: `kommungemensam`, `forvaltningsspecifik`).
fn scopes(model: &Model) -> Vec<&str> {
    model.scopes.keys().map(String::as_str).collect()
}

/// The scope a new system gets without `--scope`: the model's last, the
/// narrowest (`forvaltningsspecifik`, Göteborg's `verksamhetsspecifik`).
fn default_scope(model: &Model) -> &str {
    model
        .scopes
        .keys()
        .last()
        .map_or("forvaltningsspecifik", String::as_str)
}

/// The model's nämnd types (`kommunstyrelse`, `namnd`, `bolagsstyrelse` …).
fn namnd_types(model: &Model) -> Vec<&str> {
    model.namnd_types.keys().map(String::as_str).collect()
}

/// The model's agreement types.
fn avtal_types(model: &Model) -> Vec<&str> {
    model.avtal_types.keys().map(String::as_str).collect()
}
const LEGAL_BASES: &[&str] = &[
    "samtycke",
    "avtal",
    "rattslig-forpliktelse",
    "grundlaggande-intresse",
    "allmant-intresse",
    "myndighetsutovning",
];

#[derive(Args, Debug, Default)]
pub struct NewArgs {
    /// Kind of entity
    #[arg(value_parser = PossibleValuesParser::new(["namnd", "person", "system", "avtal", "behandling"]))]
    pub kind: String,
    /// The new entity's id: a slug (a–z, 0–9, '-'), also the file name
    pub id: String,
    /// The catalog (default: search upward for kdl.yaml)
    pub path: Option<PathBuf>,
    /// Display name (default: made from the id)
    #[arg(long)]
    pub name: Option<String>,
    /// system: its category in the model (required for a system)
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// system: a scope of the model, e.g. kommungemensam or forvaltningsspecifik (default: the model's narrowest)
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,
    /// system: lifecycle status (default: the model's first, e.g. behov)
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// system: a nämnd that uses it (repeatable; default: all for kommungemensam)
    #[arg(long = "used-by", value_name = "NAMND")]
    pub used_by: Vec<String>,
    /// person: title in the model (required for a person)
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// person: the förvaltning employing them; namnd: the id of its förvaltning
    #[arg(long, value_name = "ID")]
    pub forvaltning: Option<String>,
    /// avtal: grundavtal, pub-avtal, gpa, sla or fullmakt (required); namnd: kommunstyrelse or namnd
    #[arg(long = "type", value_name = "TYPE")]
    pub typ: Option<String>,
    /// avtal, behandling: a system it covers (repeatable)
    #[arg(long = "system", value_name = "ID")]
    pub systems: Vec<String>,
    /// avtal: a personuppgiftsansvarig nämnd, or for a fullmakt the nämnd giving it;
    /// behandling: the personuppgiftsansvarig nämnd (repeatable for avtal)
    #[arg(long = "controller", value_name = "NAMND")]
    pub controllers: Vec<String>,
    /// behandling: the legal basis (required for a behandling)
    #[arg(long = "legal-basis", value_name = "BASIS", value_parser = PossibleValuesParser::new(LEGAL_BASES))]
    pub legal_basis: Option<String>,
    /// Print the file on stdout instead of writing it
    #[arg(long)]
    pub dry_run: bool,
}

/// Whether `s` is an id: `[a-z0-9][a-z0-9-]*`.
pub fn is_slug(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The closest slug to `s`: lower case, å/ä → a, ö → o, other letters
/// ASCII-folded where simple, anything else a single `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ï' => 'i',
            c => c,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A display name from an id: `sara-lind` → `Sara Lind` (persons), else
/// `bygg-och-miljo` → `Bygg och miljo`.
fn name_from_id(id: &str, kind: &str) -> String {
    let words: Vec<String> = id
        .split('-')
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if i == 0 || kind == "person" {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// A YAML scalar for free text: plain when that reads back as the same
/// string, else double-quoted (JSON string syntax is valid YAML).
fn scalar(s: &str) -> String {
    let reserved = [
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let plain = !s.is_empty()
        && s.trim() == s
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
        && s.parse::<f64>().is_err()
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(|c| c.is_control())
        && !s.contains([
            '[', ']', '{', '}', ',', '"', '\'', '`', '|', '>', '&', '*', '!', '%', '@',
        ])
        && !looks_like_date(s);
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn looks_like_date(s: &str) -> bool {
    s.len() >= 4 && s.chars().take(4).all(|c| c.is_ascii_digit())
}

/// Builds a YAML file line by line, with comments aligned.
struct Doc {
    out: String,
    lang: Lang,
}

const COMMENT_COL: usize = 34;

impl Doc {
    fn t<'a>(&self, sv: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    fn comment(&mut self, indent: usize, text: &str) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push('#');
        if !text.is_empty() {
            self.out.push(' ');
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    /// `key: value  # comment`; an empty value leaves `key:`.
    fn kv(&mut self, indent: usize, key: &str, value: &str, comment: &str) {
        let mut line = format!("{}{key}:", " ".repeat(indent));
        if !value.is_empty() {
            line.push(' ');
            line.push_str(value);
        }
        if !comment.is_empty() {
            let pad = COMMENT_COL.saturating_sub(line.chars().count()).max(1);
            line.push_str(&" ".repeat(pad));
            line.push_str("# ");
            line.push_str(comment);
        }
        self.out.push_str(&line);
        self.out.push('\n');
    }

    /// A commented-out `key: value  # comment` line.
    fn commented_kv(&mut self, indent: usize, key: &str, value: &str, comment: &str) {
        let mut line = format!("{}# {key}:", " ".repeat(indent));
        if !value.is_empty() {
            line.push(' ');
            line.push_str(value);
        }
        if !comment.is_empty() {
            let pad = COMMENT_COL.saturating_sub(line.chars().count()).max(1);
            line.push_str(&" ".repeat(pad));
            line.push_str("# ");
            line.push_str(comment);
        }
        self.out.push_str(&line);
        self.out.push('\n');
    }
}

/// A YAML flow list of slugs: `[a, b]`.
fn flow(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// What the template needs besides the arguments.
struct Ctx<'a> {
    model: &'a Model,
    today: chrono::NaiveDate,
    lang: Lang,
}

impl Ctx<'_> {
    fn placeholder(&self, what: &str) -> String {
        match self.lang {
            Lang::Sv => format!("ange-{what}"),
            Lang::En => format!("todo-{what}"),
        }
    }
}

fn header(doc: &mut Doc, kind: &str, intro: &str) {
    doc.out.push_str(&format!(
        "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
    ));
    doc.comment(0, intro);
    let hint = doc
        .t(
            "Fyll i de tomma värdena och platshållarna (ange-…) och kör `kdl lint`.",
            "Fill in the empty values and placeholders (todo-…), then run `kdl lint`.",
        )
        .to_string();
    doc.comment(0, &hint);
}

fn system(doc: &mut Doc, a: &NewArgs, cx: &Ctx, category: &str, name: &str) {
    let model = cx.model;
    let Some(cat) = model.category(category) else {
        return;
    };
    let en = cx.lang == Lang::En;
    let label = model.category_label(category, en);
    let source = match &cat.section {
        Some(section) => format!("{}, {section}", model.name),
        None => model.name.clone(),
    };
    let intro = match cx.lang {
        Lang::Sv => format!("Ny digital tjänst eller system: {label} ({source})."),
        Lang::En => format!("New digital service or system: {label} ({source})."),
    };
    header(doc, "system", &intro);
    doc.kv(0, "kind", "system", "");
    doc.kv(0, "id", &a.id, "");
    let c = doc.t(
        "namn på tjänsten eller systemet",
        "name of the service or system",
    );
    doc.kv(0, "name", &scalar(name), c);
    let c = doc.t("kort beskrivning", "short description");
    doc.kv(0, "description", "", c);
    doc.kv(0, "category", category, &label);
    let scope = a.scope.as_deref().unwrap_or(default_scope(model));
    doc.kv(0, "scope", scope, &scopes(model).join(" | "));
    let used_by = if !a.used_by.is_empty() {
        flow(&a.used_by)
    } else if scopes(model).first() == Some(&scope) {
        "all".to_string()
    } else {
        flow(&[cx.placeholder("namnd")])
    };
    let c = doc.t(
        "\"all\" eller en lista med nämnd-id",
        "\"all\" or a list of nämnd ids",
    );
    doc.kv(0, "used-by", &used_by, c);
    let c = doc.t("leverantör", "supplier");
    doc.kv(0, "supplier", "", c);
    let c = doc.t(
        "kommunen betalar för att använda tjänsten",
        "the municipality pays to use it",
    );
    doc.kv(0, "fee", "true", c);
    let c = doc.t(
        "extern | intern (drivs av Service-nämnden)",
        "extern | intern (run by the Service nämnd)",
    );
    doc.kv(0, "hosting", "extern", c);
    doc.kv(0, "lifecycle", "", "");
    let status = a
        .status
        .clone()
        .or_else(|| model.lifecycle.order.first().cloned())
        .unwrap_or_default();
    doc.kv(2, "status", &status, &model.lifecycle.order.join(" | "));
    let c = doc.t("datum då statusen började", "date the status began");
    doc.kv(2, "since", &cx.today.to_string(), c);

    // Roles: the category's mandatory ones as placeholders, its optional
    // ones commented out.
    doc.kv(0, "roles", "", "");
    let mandatory_intro = match cx.lang {
        Lang::Sv => format!("Obligatoriska roller för {}:", label.to_lowercase()),
        Lang::En => format!("Mandatory roles for {}:", label.to_lowercase()),
    };
    if !cat.mandatory.is_empty() {
        doc.comment(2, &mandatory_intro);
    }
    for (name, m) in &cat.mandatory {
        // A group (`any-of`) is written as its first role, the others named.
        let role = m.any_of.first().unwrap_or(name);
        let from = m
            .start()
            .map(|f| model.status_label(f, en))
            .unwrap_or_else(|| doc.t("start", "the start").to_string());
        let mut c = format!(
            "{} ({}) – {} {}",
            model.role_label(role, en),
            holder_hint(model, role, cx.lang),
            doc.t("obligatorisk från", "mandatory from"),
            from
        );
        if m.any_of.len() > 1 {
            let others: Vec<String> = m.any_of[1..].iter().map(|r| format!("`{r}`")).collect();
            c.push_str(&format!(
                " ({} {})",
                doc.t("eller", "or"),
                others.join(", ")
            ));
        }
        if !m.when.is_empty() {
            let parts: Vec<String> = m.when.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            c.push_str(&format!(" {} {}", doc.t("när", "when"), parts.join(", ")));
        }
        doc.kv(2, role, "", &c);
    }
    if !cat.optional.is_empty() {
        let c = doc.t(
            "Valfria roller (ta bort # för att använda):",
            "Optional roles (remove # to use):",
        );
        doc.comment(2, c);
        for role in &cat.optional {
            let c = format!(
                "{} ({})",
                model.role_label(role, en),
                holder_hint(model, role, cx.lang)
            );
            doc.commented_kv(2, role, "", &c);
        }
    }

    // Personal data, classification, DPIA.
    doc.kv(0, "personal-data", "", "");
    let c = doc.t(
        "true eller false; tomt = inte bedömt",
        "true or false; empty = not assessed",
    );
    doc.kv(2, "processed", "", c);
    let c = doc.t(
        "känsliga personuppgifter (GDPR art. 9)",
        "special categories (GDPR art. 9)",
    );
    doc.kv(2, "sensitive", "", c);
    doc.kv(2, "storage", "", "eu | third-country");
    let c = doc.t(
        "landskoder (t.ex. US) vid third-country",
        "country codes (e.g. US) for third-country",
    );
    doc.kv(2, "third-countries", "[]", c);
    let c = doc.t(
        "datum för dialog med dataskyddskontakten när processed är false",
        "date of the dialogue with the dataskyddskontakt when processed is false",
    );
    doc.kv(2, "dataskyddskontakt-dialog", "", c);
    doc.kv(0, "information-classification", "", "");
    let c = doc.t(
        "datum för informationsklassningen",
        "date of the information classification",
    );
    doc.kv(2, "date", "", c);
    for key in ["konfidentialitet", "riktighet", "tillganglighet"] {
        doc.kv(2, key, "", "0–4 (KLASSA)");
    }
    let c = doc.t(
        "true om en handlingsplan tagits fram",
        "true if an action plan was drawn up",
    );
    doc.kv(2, "action-plan", "", c);
    doc.kv(0, "dpia", "", "");
    doc.kv(2, "threshold-analysis", "", "");
    let c = doc.t(
        "datum för tröskelanalysen",
        "date of the threshold analysis",
    );
    doc.kv(4, "date", "", c);
    let c = doc.t("antal uppfyllda kriterier", "number of criteria met");
    doc.kv(4, "criteria-met", "", c);
    doc.kv(2, "assessment", "", "");
    let c = doc.t(
        "datum för konsekvensbedömningen, när den krävs",
        "date of the impact assessment, when required",
    );
    doc.kv(4, "date", "", c);
    let c = doc.t(
        "true när dataskyddsombudet rådfrågats",
        "true when the DPO was consulted",
    );
    doc.kv(4, "dso-consulted", "", c);
    let c = doc.t(
        "motivering om ingen konsekvensbedömning görs",
        "why no assessment despite the criteria",
    );
    doc.kv(2, "motivation", "", c);

    // Documents the category needs: agreements live in avtal/.
    let agreements: Vec<&str> = cat
        .documents
        .iter()
        .filter_map(|d| model.documents.get(d).and_then(|x| x.avtal.as_deref()))
        .collect();
    if !agreements.is_empty() {
        let c = match cx.lang {
            Lang::Sv => format!(
                "Obligatoriska avtal ({}) skrivs som egna filer i avtal/, t.ex.:",
                agreements.join(", ")
            ),
            Lang::En => format!(
                "Mandatory agreements ({}) are files of their own in avtal/, e.g.:",
                agreements.join(", ")
            ),
        };
        doc.comment(0, &c);
        doc.comment(
            0,
            &format!(
                "  kdl new avtal {}-{} --type {} --system {}",
                a.id, agreements[0], agreements[0], a.id
            ),
        );
    }

    if cat.yearly_cycle {
        use chrono::Datelike;
        let year = cx.today.year();
        let c = doc.t(
            "årliga förvaltningsplaner, t.ex.:",
            "yearly management plans, e.g.:",
        );
        doc.kv(0, "forvaltningsplaner", "[]", c);
        doc.comment(2, &format!("- year: {}", year + 1));
        doc.comment(2, "  status: godkand             # pagaende | godkand");
        let c = doc.t(
            "  approved-by:                # person-id för en budgetansvarig",
            "  approved-by:                # person id of a budgetansvarig",
        );
        doc.comment(2, c);
        doc.comment(2, &format!("  approved-on: {year}-12-12"));
        doc.comment(2, &format!("  reference: KS-{year}-01234"));
        let c = doc.t(
            "årliga uppföljningsrapporter, t.ex.:",
            "yearly follow-up reports, e.g.:",
        );
        doc.kv(0, "uppfoljningsrapporter", "[]", c);
        doc.comment(2, &format!("- year: {year}"));
        doc.comment(2, &format!("  completed-on: {}-03-20", year + 1));
        doc.comment(2, "  approved-by:");
        let c = doc.t(
            "avtalsuppföljningar, minst en gång per år, t.ex.:",
            "contract follow-ups, at least yearly, e.g.:",
        );
        doc.kv(0, "avtalsuppfoljningar", "[]", c);
        doc.comment(2, &format!("- date: {year}-05-13"));
        let c = doc.t(
            "  with-supplier: true         # false: intern dialog, dokumenterad",
            "  with-supplier: true         # false: an internal dialogue, documented",
        );
        doc.comment(2, c);
    }
}

fn holder_hint(model: &Model, role: &str, lang: Lang) -> &'static str {
    let r = model.roles.get(role);
    match (r.map(|r| r.holder), r.is_some_and(|r| r.single), lang) {
        (Some(Holder::Namnd), _, Lang::Sv) => "nämnd-id",
        (Some(Holder::Namnd), _, Lang::En) => "nämnd id",
        (_, true, Lang::Sv) => "person-id",
        (_, true, Lang::En) => "person id",
        (_, false, Lang::Sv) => "person-id eller lista",
        (_, false, Lang::En) => "person id or list",
    }
}

fn person(doc: &mut Doc, a: &NewArgs, cx: &Ctx, title: &str, name: &str) {
    let intro = doc.t(
        "Ny person som kan ha roller.",
        "New person who can hold roles.",
    );
    header(doc, "person", intro);
    doc.kv(0, "kind", "person", "");
    doc.kv(0, "id", &a.id, "");
    let c = doc.t("för- och efternamn", "full name");
    doc.kv(0, "name", &scalar(name), c);
    let en = cx.lang == Lang::En;
    doc.kv(0, "title", title, &cx.model.title_label(title, en));
    let f = a
        .forvaltning
        .clone()
        .unwrap_or_else(|| cx.placeholder("forvaltning"));
    let c = doc.t("förvaltningens id", "id of the förvaltning");
    doc.kv(0, "forvaltning", &f, c);
    let c = doc.t(
        "enhetens id (valfritt; en enhet i förvaltningen)",
        "unit id (optional; a unit of the förvaltning)",
    );
    doc.kv(0, "unit", "", c);
    let c = doc.t(
        "sista anställningsdag; roller efter den är vakanta",
        "last day of employment; roles after it are vacant",
    );
    doc.commented_kv(0, "left-on", "", c);
}

fn namnd(doc: &mut Doc, a: &NewArgs, cx: &Ctx, typ: &str, name: &str) {
    let intro = doc.t(
        "Ny nämnd och dess förvaltning.",
        "New nämnd and its administration (förvaltning).",
    );
    header(doc, "namnd", intro);
    doc.kv(0, "kind", "namnd", "");
    doc.kv(0, "id", &a.id, "");
    let c = doc.t("nämndens namn", "the nämnd's name");
    doc.kv(0, "name", &scalar(name), c);
    doc.kv(0, "type", typ, &namnd_types(cx.model).join(" | "));
    doc.kv(0, "forvaltning", "", "");
    let f = a
        .forvaltning
        .clone()
        .unwrap_or_else(|| cx.placeholder("forvaltning"));
    let c = doc.t(
        "förvaltningens id, unikt i katalogen",
        "the förvaltning's id, unique in the catalog",
    );
    doc.kv(2, "id", &f, c);
    let c = doc.t("förvaltningens namn", "the förvaltning's name");
    doc.kv(2, "name", "", c);
    let c = doc.t(
        "person-id för förvaltningschefen",
        "person id of the förvaltningschef",
    );
    doc.kv(2, "chef", "", c);
    let c = doc.t("enheters id (valfritt)", "unit ids (optional)");
    doc.kv(2, "units", "[]", c);
    let c = doc.t("person-id", "person id");
    doc.kv(0, "dataskyddskontakt", "", c);
    let c = doc.t(
        "delegeringsförteckningen, de delar modellen granskar:",
        "the delegation order, the parts the model checks:",
    );
    doc.kv(0, "delegations", "[]", c);
    let mut first = true;
    for (id, spec) in &cx.model.rules {
        if !id.starts_with("delegation/") {
            continue;
        }
        let (Some(matter), Some(delegate)) = (
            spec.params.get("matter").and_then(|v| v.as_str()),
            spec.params.get("delegate").and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        if !first {
            doc.comment(2, "");
        }
        first = false;
        doc.comment(2, &format!("- matter: {matter}"));
        doc.comment(2, &format!("  delegate: {delegate}"));
        doc.comment(2, &format!("  decided-on: {}", cx.today));
        doc.comment(2, "  reference:");
    }
    let c = doc.t(
        "stödprocesser nämnden utför åt alla nämnder (kommunstyrelsen, Service)",
        "support processes performed for all nämnder (kommunstyrelse, Service)",
    );
    doc.kv(0, "stodprocesser", "[]", c);
}

fn avtal(doc: &mut Doc, a: &NewArgs, cx: &Ctx, typ: &str) {
    let intro = match cx.lang {
        Lang::Sv => format!("Nytt avtal: {typ}."),
        Lang::En => format!("New agreement: {typ}."),
    };
    header(doc, "avtal", &intro);
    doc.kv(0, "kind", "avtal", "");
    doc.kv(0, "id", &a.id, "");
    doc.kv(0, "type", typ, &avtal_types(cx.model).join(" | "));
    let systems = if a.systems.is_empty() {
        vec![cx.placeholder("system")]
    } else {
        a.systems.clone()
    };
    let c = doc.t(
        "system-id som avtalet gäller",
        "ids of the systems it covers",
    );
    doc.kv(0, "systems", &flow(&systems), c);
    if typ == "fullmakt" {
        let from = a
            .controllers
            .first()
            .cloned()
            .unwrap_or_else(|| cx.placeholder("namnd"));
        let c = doc.t("nämnden som ger fullmakten", "the nämnd giving it");
        doc.kv(0, "from", &from, c);
        let c = doc.t(
            "person-id för systemets ägare som får fullmakten",
            "person id of the system's ägare it authorises",
        );
        doc.kv(0, "to", &cx.placeholder("person"), c);
        doc.kv(0, "scope", "sign-pub-avtal", "");
        doc.kv(0, "signed-on", "", "");
        doc.kv(0, "valid-from", "", "");
        return;
    }
    let c = doc.t("leverantör eller motpart", "supplier or counterparty");
    doc.kv(0, "counterparty", "", c);
    if matches!(typ, "pub-avtal" | "gpa") {
        let controllers = if a.controllers.is_empty() {
            "all".to_string()
        } else {
            flow(&a.controllers)
        };
        let c = doc.t(
            "personuppgiftsansvariga nämnder: \"all\" eller lista",
            "controllers: \"all\" or a list of nämnd ids",
        );
        doc.kv(0, "controllers", &controllers, c);
    }
    let c = doc.t(
        "person-id för den som beslutade (delegat)",
        "person id of who decided (delegate)",
    );
    doc.kv(0, "decided-by", "", c);
    let c = doc.t(
        "person-id för den som skrev under",
        "person id of the signatory",
    );
    doc.kv(0, "signed-by", "", c);
    doc.kv(0, "signed-on", "", "");
    let c = doc.t("standard: signed-on", "default: signed-on");
    doc.kv(0, "valid-from", "", c);
    let c = doc.t("tomt = tills vidare", "empty = open-ended");
    doc.kv(0, "valid-until", "", c);
    let c = doc.t(
        "datum då ägaren beslutade om förlängning eller uppsägning",
        "date the ägare decided to extend or terminate",
    );
    doc.kv(0, "extension-decided-on", "", c);
    let c = doc.t("diarienummer", "reference number (diarienummer)");
    doc.kv(0, "reference", "", c);
    if typ == "pub-avtal" {
        let points = cx.model.gdpr.art_28_3.clone();
        let c = match cx.lang {
            Lang::Sv => format!(
                "punkter i GDPR art. 28.3 som avtalet reglerar: {}",
                points.join(", ")
            ),
            Lang::En => format!(
                "GDPR art. 28.3 points the agreement stipulates: {}",
                points.join(", ")
            ),
        };
        doc.kv(0, "clauses", "[]", &c);
        let c = doc.t(
            "underbiträden: - name: …, country: IE",
            "subprocessors: - name: …, country: IE",
        );
        doc.kv(0, "subprocessors", "[]", c);
        let c = doc.t(
            "vid överföring till tredje land: countries, mechanism, tia-date",
            "when data leaves the EU/EES: countries, mechanism, tia-date",
        );
        doc.kv(0, "transfer", "", c);
    }
}

fn behandling(doc: &mut Doc, a: &NewArgs, cx: &Ctx, basis: &str, name: &str) {
    let intro = doc.t(
        "Ny behandling av personuppgifter (post i registret).",
        "New processing activity (register entry).",
    );
    header(doc, "behandling", intro);
    doc.kv(0, "kind", "behandling", "");
    doc.kv(0, "id", &a.id, "");
    let c = doc.t("behandlingens namn", "name of the processing");
    doc.kv(0, "name", &scalar(name), c);
    let controller = a
        .controllers
        .first()
        .cloned()
        .unwrap_or_else(|| cx.placeholder("namnd"));
    let c = doc.t("personuppgiftsansvarig nämnd", "controller nämnd");
    doc.kv(0, "controller", &controller, c);
    let c = doc.t(
        "nämnder med gemensamt personuppgiftsansvar",
        "nämnder the controllership is joint with",
    );
    doc.kv(0, "joint-with", "[]", c);
    let purpose = match cx.lang {
        Lang::Sv => "Ange ändamålet med behandlingen",
        Lang::En => "State the purpose of the processing",
    };
    let c = doc.t("ändamål – skriv om", "purpose – rewrite");
    doc.kv(0, "purpose", &scalar(purpose), c);
    doc.kv(0, "legal-basis", basis, &LEGAL_BASES.join(" | "));
    let systems = if a.systems.is_empty() {
        vec![cx.placeholder("system")]
    } else {
        a.systems.clone()
    };
    let c = doc.t("system-id som används", "ids of the systems used");
    doc.kv(0, "systems", &flow(&systems), c);
    let c = doc.t("kategorier av registrerade", "categories of data subjects");
    doc.kv(0, "categories-of-data-subjects", "[]", c);
    let c = doc.t(
        "kategorier av personuppgifter",
        "categories of personal data",
    );
    doc.kv(0, "categories-of-data", "[]", c);
    let c = doc.t("gallring och bevarande", "retention");
    doc.kv(0, "retention", "", c);
}

/// A usage error: the message, exit 2.
fn fail(msg: String) -> i32 {
    eprintln!("kdl: {msg}");
    2
}

fn unknown_value(lang: Lang, flag: &str, value: &str, known: &[&str]) -> String {
    let hint = crate::suggest::closest(value, known.iter().copied())
        .map(|s| match lang {
            Lang::Sv => format!(" – menade du `{s}`?"),
            Lang::En => format!(" – did you mean `{s}`?"),
        })
        .unwrap_or_default();
    match lang {
        Lang::Sv => format!(
            "okänt värde `{value}` för {flag}{hint}\n  möjliga värden: {}",
            known.join(", ")
        ),
        Lang::En => format!(
            "unknown value `{value}` for {flag}{hint}\n  possible values: {}",
            known.join(", ")
        ),
    }
}

fn missing_flag(lang: Lang, kind: &str, flag: &str, known: &[String]) -> String {
    let a_new_sv = match kind {
        "system" => "ett nytt system",
        "avtal" => "ett nytt avtal",
        "namnd" => "en ny nämnd",
        "person" => "en ny person",
        _ => "en ny behandling",
    };
    match lang {
        Lang::Sv => format!(
            "{a_new_sv} behöver {flag}\n  möjliga värden: {}",
            known.join(", ")
        ),
        Lang::En => format!(
            "a new {kind} needs {flag}\n  possible values: {}",
            known.join(", ")
        ),
    }
}

/// Flags that do not apply to the kind are an error, not silently ignored.
fn check_flags(a: &NewArgs, lang: Lang) -> Result<(), String> {
    let given: &[(&str, bool, &[&str])] = &[
        ("--category", a.category.is_some(), &["system"]),
        ("--scope", a.scope.is_some(), &["system"]),
        ("--status", a.status.is_some(), &["system"]),
        ("--used-by", !a.used_by.is_empty(), &["system"]),
        ("--title", a.title.is_some(), &["person"]),
        (
            "--forvaltning",
            a.forvaltning.is_some(),
            &["person", "namnd"],
        ),
        ("--type", a.typ.is_some(), &["avtal", "namnd"]),
        ("--system", !a.systems.is_empty(), &["avtal", "behandling"]),
        (
            "--controller",
            !a.controllers.is_empty(),
            &["avtal", "behandling"],
        ),
        ("--legal-basis", a.legal_basis.is_some(), &["behandling"]),
    ];
    for (flag, set, kinds) in given {
        if *set && !kinds.contains(&a.kind.as_str()) {
            return Err(match lang {
                Lang::Sv => format!(
                    "{flag} gäller inte för {} (bara {})",
                    a.kind,
                    kinds.join(", ")
                ),
                Lang::En => format!(
                    "{flag} does not apply to {} (only {})",
                    a.kind,
                    kinds.join(", ")
                ),
            });
        }
    }
    let ids = a
        .used_by
        .iter()
        .chain(&a.systems)
        .chain(&a.controllers)
        .chain(&a.forvaltning);
    for id in ids {
        if !is_slug(id) {
            return Err(bad_id(lang, id));
        }
    }
    if a.kind == "behandling" && a.controllers.len() > 1 {
        return Err(match lang {
            Lang::Sv => "en behandling har en personuppgiftsansvarig nämnd (--controller en gång); gemensamt ansvar anges i joint-with".into(),
            Lang::En => "a behandling has one controller (--controller once); joint controllership goes in joint-with".into(),
        });
    }
    Ok(())
}

fn bad_id(lang: Lang, id: &str) -> String {
    let s = slugify(id);
    let hint = if s.is_empty() || s == id {
        String::new()
    } else {
        match lang {
            Lang::Sv => format!(", t.ex. `{s}`"),
            Lang::En => format!(", e.g. `{s}`"),
        }
    };
    match lang {
        Lang::Sv => format!(
            "ogiltigt id `{id}`: ett id skrivs med gemena a–z, siffror och bindestreck och börjar med en bokstav eller siffra{hint}"
        ),
        Lang::En => format!(
            "invalid id `{id}`: an id is lowercase a–z, digits and hyphens, starting with a letter or digit{hint}"
        ),
    }
}

/// The text of the new file, built and checked: `Err` is a usage error.
fn render(a: &NewArgs, cx: &Ctx) -> Result<String, String> {
    let lang = cx.lang;
    let model = cx.model;
    let name = a
        .name
        .clone()
        .unwrap_or_else(|| name_from_id(&a.id, &a.kind));
    if name.trim().is_empty() {
        return Err(match lang {
            Lang::Sv => "--name får inte vara tomt".into(),
            Lang::En => "--name must not be empty".into(),
        });
    }
    let mut doc = Doc {
        out: String::new(),
        lang,
    };
    match a.kind.as_str() {
        "system" => {
            let cats: Vec<&str> = model.categories.keys().map(String::as_str).collect();
            let Some(category) = &a.category else {
                let known: Vec<String> = model
                    .categories
                    .iter()
                    .map(|(id, c)| format!("{id} ({})", c.label))
                    .collect();
                return Err(missing_flag(lang, "system", "--category", &known));
            };
            if model.category(category).is_none() {
                return Err(unknown_value(lang, "--category", category, &cats));
            }
            if let Some(s) = &a.scope {
                let known = scopes(model);
                if !known.contains(&s.as_str()) {
                    return Err(unknown_value(lang, "--scope", s, &known));
                }
            }
            if let Some(s) = &a.status {
                if model.status_rank(s).is_none() {
                    let order: Vec<&str> =
                        model.lifecycle.order.iter().map(String::as_str).collect();
                    return Err(unknown_value(lang, "--status", s, &order));
                }
            }
            system(&mut doc, a, cx, category, &name);
        }
        "person" => {
            let titles: Vec<&str> = model.titles.keys().map(String::as_str).collect();
            let Some(title) = &a.title else {
                let known: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
                return Err(missing_flag(lang, "person", "--title", &known));
            };
            if !titles.is_empty() && !titles.contains(&title.as_str()) {
                return Err(unknown_value(lang, "--title", title, &titles));
            }
            if !is_slug(title) {
                return Err(bad_id(lang, title));
            }
            person(&mut doc, a, cx, title, &name);
        }
        "namnd" => {
            let known = namnd_types(model);
            let typ = a.typ.as_deref().unwrap_or("namnd");
            if !known.contains(&typ) {
                return Err(unknown_value(lang, "--type", typ, &known));
            }
            namnd(&mut doc, a, cx, typ, &name);
        }
        "avtal" => {
            let known = avtal_types(model);
            let Some(typ) = &a.typ else {
                let known: Vec<String> = known.iter().map(|t| t.to_string()).collect();
                return Err(missing_flag(lang, "avtal", "--type", &known));
            };
            if !known.contains(&typ.as_str()) {
                return Err(unknown_value(lang, "--type", typ, &known));
            }
            if typ == "fullmakt" && a.controllers.len() > 1 {
                return Err(match lang {
                    Lang::Sv => "en fullmakt ges av en nämnd (--controller en gång)".into(),
                    Lang::En => "a fullmakt is given by one nämnd (--controller once)".into(),
                });
            }
            if a.name.is_some() {
                return Err(match lang {
                    Lang::Sv => {
                        "ett avtal har inget namn (--name); id och reference identifierar det"
                            .into()
                    }
                    Lang::En => {
                        "an agreement has no name (--name); its id and reference identify it".into()
                    }
                });
            }
            avtal(&mut doc, a, cx, typ);
        }
        "behandling" => {
            let Some(basis) = &a.legal_basis else {
                let known: Vec<String> = LEGAL_BASES.iter().map(|t| t.to_string()).collect();
                return Err(missing_flag(lang, "behandling", "--legal-basis", &known));
            };
            behandling(&mut doc, a, cx, basis, &name);
        }
        other => {
            let kinds: Vec<&str> = DIRS.iter().map(|(k, _)| *k).collect();
            return Err(unknown_value(lang, "KIND", other, &kinds));
        }
    }
    Ok(doc.out)
}

/// Parses the text with kdl's loader and validates it against the schema.
/// A failure here is a bug in the template, never the user's fault.
fn self_check(text: &str, kind: &str, model: &Model) -> Result<(), String> {
    let node = crate::load::yaml::parse(text, crate::load::Budget::default())
        .map_err(|e| format!("{e:?}"))?;
    let schemas = crate::schema::Schemas::new(model)?;
    let errors = schemas.validate(kind, &node);
    if let Some(e) = errors.first() {
        return Err(format!("line {}: {:?}", e.span.line, e.msg));
    }
    Ok(())
}

/// Ids already in the catalog (id → file), and names for reference checks.
struct Known {
    ids: std::collections::HashMap<String, String>,
    namnder: Vec<String>,
    systems: Vec<String>,
    forvaltningar: Vec<String>,
}

fn known(root: &Path) -> Option<Known> {
    let opts = crate::LintOptions {
        path: Some(root.to_path_buf()),
        select: vec!["parse/syntax".into()],
        ..Default::default()
    };
    let run = crate::lint(&opts).ok()?;
    let mut k = Known {
        ids: Default::default(),
        namnder: Vec::new(),
        systems: Vec::new(),
        forvaltningar: Vec::new(),
    };
    for e in &run.catalog.entities {
        let h = e.head();
        k.ids
            .entry(h.id.v.clone())
            .or_insert_with(|| run.rel(h.file).to_string());
        match e {
            crate::catalog::Entity::Namnd(n) => {
                k.namnder.push(h.id.v.clone());
                if let Some(f) = &n.forvaltning {
                    k.forvaltningar.push(f.id.v.clone());
                }
            }
            crate::catalog::Entity::System(_) => k.systems.push(h.id.v.clone()),
            _ => {}
        }
    }
    Some(k)
}

/// Warnings for references to ids the catalog does not have (yet).
fn reference_warnings(a: &NewArgs, k: &Known, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |id: &str, pool: &[String], what_sv: &str, what_en: &str| {
        if pool.iter().any(|p| p == id) {
            return;
        }
        let hint = crate::suggest::closest(id, pool.iter().map(String::as_str))
            .map(|s| match lang {
                Lang::Sv => format!(" – menade du `{s}`?"),
                Lang::En => format!(" – did you mean `{s}`?"),
            })
            .unwrap_or_default();
        out.push(match lang {
            Lang::Sv => format!("varning: katalogen har ingen {what_sv} `{id}`{hint}"),
            Lang::En => format!("warning: the catalog has no {what_en} `{id}`{hint}"),
        });
    };
    for n in &a.used_by {
        check(n, &k.namnder, "nämnd", "nämnd");
    }
    for n in &a.controllers {
        check(n, &k.namnder, "nämnd", "nämnd");
    }
    for s in &a.systems {
        check(s, &k.systems, "system", "system");
    }
    if a.kind == "person" {
        if let Some(f) = &a.forvaltning {
            check(f, &k.forvaltningar, "förvaltning", "förvaltning");
        }
    }
    if a.kind == "namnd" {
        if let Some(f) = &a.forvaltning {
            if k.forvaltningar.iter().any(|x| x == f) {
                out.push(match lang {
                    Lang::Sv => {
                        format!("varning: förvaltningen `{f}` hör redan till en annan nämnd")
                    }
                    Lang::En => {
                        format!("warning: förvaltning `{f}` already belongs to another nämnd")
                    }
                });
            }
        }
    }
    out
}

pub fn run(args: NewArgs, lang: Lang) -> i32 {
    if let Err(e) = check_flags(&args, lang) {
        return fail(e);
    }
    if !is_slug(&args.id) {
        return fail(bad_id(lang, &args.id));
    }
    let Some((_, dir)) = DIRS.iter().find(|(k, _)| *k == args.kind) else {
        return fail(format!("unknown kind `{}`", args.kind));
    };
    let root = match crate::locate(args.path.as_deref()) {
        Ok((root, true)) => root,
        Ok((dir, false)) => {
            return fail(match lang {
                Lang::Sv => format!(
                    "{} är ingen katalog: `{}` saknas (kdl new skriver bara i en katalog)",
                    dir.display(),
                    crate::load::CONFIG_FILE
                ),
                Lang::En => format!(
                    "{} is not a catalog: no `{}` (kdl new writes only into a catalog)",
                    dir.display(),
                    crate::load::CONFIG_FILE
                ),
            })
        }
        Err(f) => return fail(f.message(lang)),
    };
    let model = active_model(Some(&root));
    let cx = Ctx {
        model: &model,
        today: chrono::Local::now().date_naive(),
        lang,
    };
    let text = match render(&args, &cx) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    if let Err(e) = self_check(&text, &args.kind, &model) {
        return fail(format!(
            "internal error: the template for {} does not pass its schema ({e}); nothing was written",
            args.kind
        ));
    }
    let rel = format!("{dir}/{}.yaml", args.id);
    let target = root.join(dir).join(format!("{}.yaml", args.id));
    let exists_msg = || {
        match lang {
        Lang::Sv => format!(
            "{rel} finns redan; kdl new skriver aldrig över en fil.\n  tips: välj ett annat id eller redigera den befintliga filen"
        ),
        Lang::En => format!(
            "{rel} already exists; kdl new never overwrites a file.\n  hint: choose another id or edit the existing file"
        ),
    }
    };
    if target.exists() || target.is_symlink() {
        return fail(exists_msg());
    }
    if let Some(k) = known(&root) {
        if let Some(file) = k.ids.get(&args.id) {
            return fail(match lang {
                Lang::Sv => format!(
                    "id `{}` används redan i {file}; ett id ska vara unikt i hela katalogen",
                    args.id
                ),
                Lang::En => format!(
                    "id `{}` is already used in {file}; an id must be unique across the catalog",
                    args.id
                ),
            });
        }
        for w in reference_warnings(&args, &k, lang) {
            eprintln!("kdl: {w}");
        }
    }
    if args.dry_run {
        print(&text);
        return 0;
    }
    if let Err(e) = std::fs::create_dir_all(root.join(dir)) {
        return fail(format!("{}: {e}", root.join(dir).display()));
    }
    // The kind directory must be inside the catalog once links are
    // followed: a `system` that links elsewhere would put the file where
    // `kdl lint` never looks (and write outside the catalog).
    let inside = root.join(dir).canonicalize().is_ok_and(|d| {
        root.canonicalize()
            .is_ok_and(|r| d.starts_with(&r) && d != r)
    });
    if !inside {
        return fail(match lang {
            Lang::Sv => format!(
                "{dir}/ leder ut ur katalogen (en symbolisk länk); kdl new skriver bara inuti katalogen"
            ),
            Lang::En => format!(
                "{dir}/ leads out of the catalog (a symbolic link); kdl new writes only inside the catalog"
            ),
        });
    }
    match files::create_new(&target, text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return fail(exists_msg()),
        Err(e) => return fail(format!("{rel}: {e}")),
    }
    let mut out = match lang {
        Lang::Sv => format!("skapade {rel}\n  nästa steg: fyll i värdena och kör `kdl lint`\n"),
        Lang::En => format!("created {rel}\n  next: fill in the values and run `kdl lint`\n"),
    };
    let schema = root
        .join("schemas")
        .join(format!("{}.schema.json", args.kind));
    if !schema.exists() {
        out.push_str(match lang {
            Lang::Sv => "  tips: kör `kdl schema --write schemas` i katalogens rot så får redigeraren komplettering och felmarkeringar (se docs/editor.md)\n",
            Lang::En => "  hint: run `kdl schema --write schemas` at the catalog root for completion and inline errors in your editor (see docs/editor.md)\n",
        });
    }
    print(&out);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("raindance"));
        assert!(is_slug("w3d3-2"));
        assert!(!is_slug("-x"));
        assert!(!is_slug("Raindance"));
        assert!(!is_slug(""));
        assert!(!is_slug("a_b"));
        assert_eq!(
            slugify("Bygg- och miljöförvaltningen"),
            "bygg-och-miljoforvaltningen"
        );
        assert_eq!(slugify("Raindance BI!"), "raindance-bi");
        assert_eq!(slugify("Åsa Öberg"), "asa-oberg");
    }

    #[test]
    fn names_from_ids() {
        assert_eq!(name_from_id("sara-lind", "person"), "Sara Lind");
        assert_eq!(name_from_id("bygg-och-miljo", "system"), "Bygg och miljo");
    }

    #[test]
    fn scalars_read_back_as_the_same_string() {
        for s in [
            "Raindance",
            "Raindance: BI",
            "yes",
            "No",
            "2024-01-01",
            "123",
            "a # b",
            "\"quoted\"",
            " lead",
            "Åsa Öberg",
            "x\ny",
            "- item",
            "[x]",
        ] {
            let text = format!("name: {}\n", scalar(s));
            let node = crate::load::yaml::parse(&text, Default::default()).unwrap();
            assert_eq!(node.get("name").and_then(|n| n.as_str()), Some(s), "{text}");
        }
    }

    /// Every category × status × scope and every other kind renders a file
    /// that passes its schema (the self-check `run` also does).
    #[test]
    fn every_template_passes_its_schema() {
        for (id, _) in crate::model::BUILTIN {
            let m = Model::builtin(id).unwrap().unwrap().0;
            templates_pass_their_schema(&m);
        }
    }

    fn templates_pass_their_schema(m: &Model) {
        let m = m.clone();
        for lang in [Lang::Sv, Lang::En] {
            let cx = Ctx {
                model: &m,
                today: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                lang,
            };
            let mut cases: Vec<NewArgs> = Vec::new();
            for cat in m.categories.keys() {
                for status in &m.lifecycle.order {
                    for scope in scopes(&m) {
                        cases.push(NewArgs {
                            kind: "system".into(),
                            id: "x".into(),
                            category: Some(cat.clone()),
                            status: Some(status.clone()),
                            scope: Some((*scope).into()),
                            ..Default::default()
                        });
                    }
                }
            }
            for t in avtal_types(&m) {
                cases.push(NewArgs {
                    kind: "avtal".into(),
                    id: "x".into(),
                    typ: Some((*t).into()),
                    ..Default::default()
                });
            }
            cases.push(NewArgs {
                kind: "person".into(),
                id: "x".into(),
                // A title of the model (any, when it declares none).
                title: Some(
                    m.titles
                        .keys()
                        .next()
                        .cloned()
                        .unwrap_or_else(|| "enhetschef".into()),
                ),
                ..Default::default()
            });
            for t in namnd_types(&m) {
                cases.push(NewArgs {
                    kind: "namnd".into(),
                    id: "x".into(),
                    typ: Some(t.into()),
                    ..Default::default()
                });
            }
            cases.push(NewArgs {
                kind: "behandling".into(),
                id: "x".into(),
                legal_basis: Some("avtal".into()),
                name: Some("Bygglov: handläggning".into()),
                ..Default::default()
            });
            for a in cases {
                let text = render(&a, &cx).unwrap();
                self_check(&text, &a.kind, &m).unwrap_or_else(|e| panic!("{e}\n{text}"));
            }
        }
    }
}
