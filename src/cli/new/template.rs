//! The entity templates of `kdl new`: a YAML document built line by line
//! with aligned comments, one writer per entity kind, from the model.

use super::*;

/// A YAML scalar for free text: plain when that reads back as the same
/// string, else double-quoted (JSON string syntax is valid YAML).
pub(super) fn scalar(s: &str) -> String {
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

pub(super) fn looks_like_date(s: &str) -> bool {
    s.len() >= 4 && s.chars().take(4).all(|c| c.is_ascii_digit())
}

/// Builds a YAML file line by line, with comments aligned.
pub(super) struct Doc {
    pub(super) out: String,
    pub(super) lang: Lang,
}

pub(super) const COMMENT_COL: usize = 34;

impl Doc {
    pub(super) fn t<'a>(&self, sv: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    pub(super) fn comment(&mut self, indent: usize, text: &str) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push('#');
        if !text.is_empty() {
            self.out.push(' ');
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    /// `key: value  # comment`; an empty value leaves `key:`.
    pub(super) fn kv(&mut self, indent: usize, key: &str, value: &str, comment: &str) {
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
    pub(super) fn commented_kv(&mut self, indent: usize, key: &str, value: &str, comment: &str) {
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
pub(super) fn flow(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// What the template needs besides the arguments.
pub(super) struct Ctx<'a> {
    pub(super) model: &'a Model,
    pub(super) today: chrono::NaiveDate,
    pub(super) lang: Lang,
}

impl Ctx<'_> {
    pub(super) fn placeholder(&self, what: &str) -> String {
        match self.lang {
            Lang::Sv => format!("ange-{what}"),
            Lang::En => format!("todo-{what}"),
        }
    }
}

pub(super) fn header(doc: &mut Doc, kind: &str, intro: &str) {
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

pub(super) fn system(doc: &mut Doc, a: &NewArgs, cx: &Ctx, category: &str, name: &str) {
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
        if let Some(others) = m.any_of.get(1..).filter(|o| !o.is_empty()) {
            let others: Vec<String> = others.iter().map(|r| format!("`{r}`")).collect();
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
    if let Some(first) = agreements.first() {
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
                a.id, first, first, a.id
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

pub(super) fn holder_hint(model: &Model, role: &str, lang: Lang) -> &'static str {
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

pub(super) fn person(doc: &mut Doc, a: &NewArgs, cx: &Ctx, title: &str, name: &str) {
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

pub(super) fn namnd(doc: &mut Doc, a: &NewArgs, cx: &Ctx, typ: &str, name: &str) {
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

pub(super) fn avtal(doc: &mut Doc, a: &NewArgs, cx: &Ctx, typ: &str) {
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

pub(super) fn behandling(doc: &mut Doc, a: &NewArgs, cx: &Ctx, basis: &str, name: &str) {
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
