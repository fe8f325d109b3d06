//! `kdl init [DIR]`: starts a catalog, like `cargo init` or `cargo deny
//! init`. Writes a commented `kdl.yaml` for a built-in model, the
//! conventional folders, one example nämnd, person and system that lint
//! clean, the JSON Schemas (`schemas/`) and `.vscode/settings.json` mapping
//! them to the folders, and on request a CI configuration. Asks nothing
//! (it never prompts, on a terminal or not: every choice is a flag), and
//! never overwrites: if any file it would write exists, it writes nothing.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::lint::print;
use crate::i18n::Lang;
use crate::model::{self, Model};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Ci {
    /// `.github/workflows/kdl.yml`
    Github,
    /// `.gitlab-ci.yml`
    Gitlab,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Where to start the catalog (default: the current directory)
    pub dir: Option<PathBuf>,
    /// The built-in model the catalog is checked against
    #[arg(long, default_value = model::DEFAULT_MODEL, value_parser = builtin_model)]
    pub model: String,
    /// The municipality's name, e.g. "Kungsbacka kommun"
    #[arg(long, value_name = "NAME")]
    pub municipality: Option<String>,
    /// Also write a CI configuration that runs `kdl lint`
    #[arg(long, value_enum)]
    pub ci: Option<Ci>,
}

fn builtin_model(s: &str) -> Result<String, String> {
    if model::BUILTIN.iter().any(|(id, _)| *id == s) {
        Ok(s.to_string())
    } else {
        let known: Vec<&str> = model::BUILTIN.iter().map(|(id, _)| *id).collect();
        Err(format!(
            "unknown built-in model (known: {})",
            known.join(", ")
        ))
    }
}

/// The example entities' ids.
const NAMND: &str = "kommunstyrelsen";
const FORVALTNING: &str = "kommunledningsforvaltningen";
const PERSON: &str = "anna-exempel";
const SYSTEM: &str = "exempelsystem";
/// The date the examples' decisions are dated.
const DATE: &str = "2025-01-15";

/// The entity folders of catalog format v1.
const FOLDERS: &[&str] = &["namnder", "personer", "system", "avtal", "behandlingar"];

/// Every file `init` writes: (path relative to DIR, content).
fn files(args: &InitArgs, model: &Model, lang: Lang) -> Vec<(String, String)> {
    let sv = lang == Lang::Sv;
    let municipality = args
        .municipality
        .clone()
        .unwrap_or_else(|| if sv { "Min kommun" } else { "My municipality" }.to_string());
    let mut out = vec![
        ("kdl.yaml".to_string(), config(model, &municipality, lang)),
        (format!("namnder/{NAMND}.yaml"), namnd(model, lang)),
        (format!("personer/{PERSON}.yaml"), person(model, lang)),
        (format!("system/{SYSTEM}.yaml"), system(model, lang)),
        (".vscode/settings.json".to_string(), vscode()),
    ];
    for (kind, _) in crate::schema::SCHEMAS {
        if let Some(schema) = super::schema::editor_schema(kind, model) {
            let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            text.push('\n');
            out.push((format!("schemas/{kind}.schema.json"), text));
        }
    }
    match args.ci {
        Some(Ci::Github) => out.push((
            ".github/workflows/kdl.yml".to_string(),
            include_str!("../../examples/ci/github-actions.yml")
                .replace("kdl lint catalog", "kdl lint"),
        )),
        Some(Ci::Gitlab) => out.push((
            ".gitlab-ci.yml".to_string(),
            include_str!("../../examples/ci/gitlab-ci.yml").replace("kdl lint catalog", "kdl lint"),
        )),
        None => {}
    }
    out
}

/// The first line of every YAML file: the schema for editors that read it.
fn modeline(kind: &str) -> String {
    format!("# yaml-language-server: $schema=../schemas/{kind}.schema.json\n")
}

fn config(model: &Model, municipality: &str, lang: Lang) -> String {
    let sv = lang == Lang::Sv;
    let mut s = String::from("# yaml-language-server: $schema=schemas/kdl.schema.json\n");
    s.push_str(if sv {
        "# Katalogens konfiguration: vilken styrmodell katalogen granskas mot och\n\
         # vilka nämnder och enheter som spelar modellens fasta delar.\n\
         # `kdl lint` letar upp den här filen uppåt från den aktuella mappen.\n\
         # Format: docs/catalog.md i kdl:s repo; regler: `kdl rules`.\n"
    } else {
        "# The catalog's configuration: the governance model the catalog is\n\
         # checked against, and which nämnder and units play the model's parts.\n\
         # `kdl lint` finds this file upward from the current directory.\n\
         # Format: docs/catalog.md in kdl's repository; rules: `kdl rules`.\n"
    });
    s.push_str(&format!("municipality: {}\n", yaml_text(municipality)));
    s.push_str(&format!("model: {}   # {}\n", model.id, model.name));
    if model.organisation.is_empty() {
        s.push_str("organisation: {}\n");
    } else {
        s.push_str(if sv {
            "organisation:   # modellens fasta delar → nämnd-id, eller förvaltning och enhet\n"
        } else {
            "organisation:   # the model's fixed parts → a nämnd id, or a förvaltning and unit\n"
        });
        for (part, kind) in &model.organisation {
            match kind {
                model::OrgPartKind::Namnd => s.push_str(&format!("  {part}: {NAMND}\n")),
                model::OrgPartKind::Unit => s.push_str(&format!(
                    "  {part}:\n    forvaltning: {FORVALTNING}\n    unit: {part}\n"
                )),
            }
        }
    }
    s.push_str(if sv {
        "# Allvarlighetsgrad per regel eller grupp (error | warning | info | off):\n\
         # rules:\n\
         #   contract/expiring: {severity: warning, days: 180}\n\
         #   plan/*: warning\n\
         # Filer och mappar som inte ska läsas:\n\
         # exclude: [utkast/**]\n"
    } else {
        "# Severity per rule or group (error | warning | info | off):\n\
         # rules:\n\
         #   contract/expiring: {severity: warning, days: 180}\n\
         #   plan/*: warning\n\
         # Files and folders not to read:\n\
         # exclude: [drafts/**]\n"
    });
    s
}

/// Units the model's organisation parts need in the example förvaltning.
fn units(model: &Model) -> Vec<String> {
    model
        .organisation
        .iter()
        .filter(|(_, k)| matches!(k, model::OrgPartKind::Unit))
        .map(|(p, _)| p.clone())
        .collect()
}

fn namnd(model: &Model, lang: Lang) -> String {
    let sv = lang == Lang::Sv;
    let mut s = modeline("namnd");
    s.push_str(if sv {
        "# Ett exempel: byt namn och id (filen ska heta som id:t) eller ta bort filen.\n"
    } else {
        "# An example: change its name and id (the file is named after the id) or delete it.\n"
    });
    s.push_str(&format!(
        "kind: namnd\nid: {NAMND}\nname: Kommunstyrelsen\ntype: kommunstyrelse\nforvaltning:\n  id: {FORVALTNING}\n  name: Kommunledningsförvaltningen\n  chef: {PERSON}\n"
    ));
    let units = units(model);
    if !units.is_empty() {
        s.push_str(&format!("  units: [{}]\n", units.join(", ")));
    }
    s.push_str(&format!("dataskyddskontakt: {PERSON}\n"));
    if model.rules.keys().any(|r| r.starts_with("delegation/")) {
        s.push_str(&format!(
            "delegations:\n  - matter: pub-avtal-kommungemensamma\n    delegate: bitradande-kommundirektor\n    decided-on: {DATE}\n    reference: KS-2025-00001 § 1\n  - matter: fullmakt-pub-samarbete\n    delegate: forvaltningschef\n    decided-on: {DATE}\n    reference: KS-2025-00001 § 1\n"
        ));
    }
    s.push_str("stodprocesser: []\n");
    s
}

/// The title of the example person: the förvaltningschef, or the model's
/// first manager title.
fn chef_title(model: &Model) -> String {
    if model.titles.contains_key("forvaltningschef") {
        return "forvaltningschef".into();
    }
    model
        .titles
        .iter()
        .find(|(_, t)| t.manager)
        .or_else(|| model.titles.iter().next())
        .map(|(k, _)| k.clone())
        .unwrap_or_else(|| "forvaltningschef".into())
}

fn person(model: &Model, lang: Lang) -> String {
    let sv = lang == Lang::Sv;
    let mut s = modeline("person");
    s.push_str(if sv {
        "# Ett exempel: en person som kan ha roller. Byt mot en riktig person.\n"
    } else {
        "# An example: a person who can hold roles. Replace with a real person.\n"
    });
    s.push_str(&format!(
        "kind: person\nid: {PERSON}\nname: Anna Exempel\ntitle: {}\nforvaltning: {FORVALTNING}\n",
        chef_title(model)
    ));
    s
}

/// The example system's category: a business system if the model has one.
fn category(model: &Model) -> String {
    model
        .categories
        .keys()
        .find(|c| c.contains("verksamhet"))
        .or_else(|| model.categories.keys().next())
        .cloned()
        .unwrap_or_default()
}

fn system(model: &Model, lang: Lang) -> String {
    let sv = lang == Lang::Sv;
    let category = category(model);
    let mut s = modeline("system");
    s.push_str(if sv {
        "# Ett exempel i livscykelns första steg (behov). När systemet upphandlas och\n\
         # tas i drift kräver modellen fler roller och dokument; `kdl lint` säger\n\
         # vilka, och `kdl new system ID` skriver en mall för kategorin.\n"
    } else {
        "# An example at the first lifecycle step (behov, a need). When the system is\n\
         # procured and taken into use the model requires more roles and documents;\n\
         # `kdl lint` says which, and `kdl new system ID` writes a template for the category.\n"
    });
    s.push_str(&format!(
        "kind: system\nid: {SYSTEM}\nname: Exempelsystem\ndescription: {}\ncategory: {category}\nscope: kommungemensam\nused-by: all\nlifecycle:\n  status: {}\n  since: {DATE}\nroles: {{}}\npersonal-data:\n  processed: false\n  dataskyddskontakt-dialog: {DATE}\n",
        if sv {
            "Ett påhittat system som visar filformatet."
        } else {
            "An invented system that shows the file format."
        },
        model
            .lifecycle
            .order
            .first()
            .map_or("behov", String::as_str)
    ));
    s
}

fn vscode() -> String {
    let mut map = serde_json::Map::new();
    map.insert(
        "./schemas/kdl.schema.json".into(),
        serde_json::json!(["kdl.yaml"]),
    );
    for (kind, dir) in super::new::DIRS {
        map.insert(
            format!("./schemas/{kind}.schema.json"),
            serde_json::json!([format!("{dir}/**/*.yaml")]),
        );
    }
    let settings = serde_json::json!({ "yaml.schemas": map });
    let mut s = serde_json::to_string_pretty(&settings).unwrap_or_default();
    s.push('\n');
    s
}

/// A free text as a YAML scalar (quoted when it needs to be).
fn yaml_text(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -.,()".contains(c))
        && !s.starts_with(['-', ' '])
        && !s.ends_with(' ');
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

pub fn run(args: InitArgs, lang: Lang) -> i32 {
    let sv = lang == Lang::Sv;
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if dir.exists() && !dir.is_dir() {
        eprintln!(
            "kdl: {}",
            if sv {
                format!("{} finns redan och är ingen mapp", dir.display())
            } else {
                format!("{} exists and is not a directory", dir.display())
            }
        );
        return 2;
    }
    // A catalog inside another would be read as part of it.
    let probe = dir.ancestors().find(|a| a.is_dir()).map(Path::to_path_buf);
    let probe = probe
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    if let Some(outer) = crate::load::find_root(&probe) {
        let same = dir.canonicalize().is_ok_and(|d| d == outer);
        if !same {
            eprintln!(
                "kdl: {}",
                if sv {
                    format!(
                        "{} ligger inne i katalogen {}; en katalog i en annan skulle läsas som en del av den. Inget har skrivits.\n  tips: för en ny entitet i katalogen, använd `kdl new`",
                        dir.display(),
                        outer.display()
                    )
                } else {
                    format!(
                        "{} is inside the catalog {}; a catalog inside another would be read as part of it. Nothing was written.\n  hint: for a new entity in that catalog, use `kdl new`",
                        dir.display(),
                        outer.display()
                    )
                }
            );
            return 2;
        }
    }
    let Some(Ok((model, _))) = model::Model::builtin(&args.model) else {
        eprintln!("kdl: unknown model `{}`", args.model);
        return 2;
    };
    let files = files(&args, &model, lang);
    // Never overwrite: refuse before writing anything.
    let mut existing: Vec<&str> = files
        .iter()
        .filter(|(rel, _)| dir.join(rel).exists())
        .map(|(rel, _)| rel.as_str())
        .collect();
    if !existing.is_empty() {
        if existing.len() > 3 {
            existing.truncate(3);
            existing.push("…");
        }
        eprintln!(
            "kdl: {}",
            if sv {
                format!(
                    "vägrar skriva över det som redan finns i {}: {}. Inget har skrivits.\n  tips: `kdl init` startar en ny katalog; för en ny entitet i en befintlig katalog, använd `kdl new`",
                    dir.display(),
                    existing.join(", ")
                )
            } else {
                format!(
                    "refusing to overwrite what already exists in {}: {}. Nothing was written.\n  hint: `kdl init` starts a new catalog; for a new entity in an existing catalog, use `kdl new`",
                    dir.display(),
                    existing.join(", ")
                )
            }
        );
        return 2;
    }
    if let Err(e) = write(&dir, &files) {
        eprintln!(
            "kdl: {}",
            if sv {
                format!("kan inte skriva i {}: {e}", dir.display())
            } else {
                format!("cannot write in {}: {e}", dir.display())
            }
        );
        return 2;
    }
    let shown = dir.display();
    print(&if sv {
        format!(
            "Ny katalog i {shown} med modellen {} ({}):\n  kdl.yaml, {}/, ett exempel per mapp för nämnd, person och system,\n  schemas/ och .vscode/settings.json för editorstöd{}.\nNästa steg: `kdl lint {shown}`, sedan `kdl new system ID` för katalogens system.\n",
            model.id,
            model.name,
            FOLDERS.join("/, "),
            ci_note(args.ci, lang)
        )
    } else {
        format!(
            "New catalog in {shown} with the model {} ({}):\n  kdl.yaml, {}/, one example nämnd, person and system,\n  schemas/ and .vscode/settings.json for editor support{}.\nNext: `kdl lint {shown}`, then `kdl new system ID` for the catalog's systems.\n",
            model.id,
            model.name,
            FOLDERS.join("/, "),
            ci_note(args.ci, lang)
        )
    });
    0
}

fn ci_note(ci: Option<Ci>, lang: Lang) -> String {
    let file = match ci {
        Some(Ci::Github) => ".github/workflows/kdl.yml",
        Some(Ci::Gitlab) => ".gitlab-ci.yml",
        None => return String::new(),
    };
    match lang {
        Lang::Sv => format!(", och {file}"),
        Lang::En => format!(", and {file}"),
    }
}

fn write(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    for folder in FOLDERS {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // `create_new`: even a file that appeared since the check is kept.
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        f.write_all(text.as_bytes())?;
    }
    Ok(())
}
