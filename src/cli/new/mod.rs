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

mod template;

use template::*;

use super::{active_model, fail, files, lint::print};
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
                crate::i18n::upper_first(w)
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
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
        return Err(format!(
            "line {}: {:?}",
            crate::load::Lines::new(text).pos(e.span).line,
            e.msg
        ));
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
            .entry(h.id.v.to_string())
            .or_insert_with(|| run.rel(h.file).to_string());
        match e {
            crate::catalog::Entity::Namnd(n) => {
                k.namnder.push(h.id.v.to_string());
                if let Some(f) = &n.forvaltning {
                    k.forvaltningar.push(f.id.v.to_string());
                }
            }
            crate::catalog::Entity::System(_) => k.systems.push(h.id.v.to_string()),
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
