//! The command line (cli.md): argument parsing and dispatch. Each command
//! lives in its own module; all print through `report`.

mod completions;
mod files;
mod init;
mod lint;
mod list;
mod man;
mod new;
mod report;
mod rules;
mod schema;
mod site;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "kdl",
    version,
    about = "Granskar en kommuns katalog över digitala tjänster och system mot styrmodellen\n(compliance linter for a municipality's catalog of digital services and systems)",
    propagate_version = true
)]
pub struct Cli {
    /// Message language (default from LANG, else sv)
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// Accept a `model:` file outside the catalog (default: only a built-in
    /// model id or a file inside the catalog is read)
    #[arg(long, global = true)]
    pub allow_external_model: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the catalog against its model and print diagnostics
    Lint(lint::LintArgs),
    /// List every rule of the active model
    Rules(rules::RulesArgs),
    /// Explain a rule: what, why, source clause, examples
    Explain(rules::ExplainArgs),
    /// The yearly follow-up report (årlig uppföljning): html, md, json, xlsx
    Report(report::ReportArgs),
    /// Print the JSON Schemas (for editors), or write them with --write DIR
    Schema(schema::SchemaArgs),
    /// Start a catalog: kdl.yaml, folders, examples that lint clean, editor settings
    Init(init::InitArgs),
    /// Write a new entity file from the model's template (never overwrites)
    New(Box<new::NewArgs>),
    /// List the catalog's systems (or --kind, or --holder's roles) as a table, CSV or JSON
    List(list::ListArgs),
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write all pages with --out DIR
    Man(man::ManArgs),
    /// A static, searchable site of the catalog: a page per system, nämnd, person, agreement
    Site(site::SiteArgs),
    /// Language server for editors (LSP over stdio): the findings of `kdl lint` while you edit
    Lsp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

/// Parses the arguments, runs the command, returns the exit code.
pub fn run_from_args() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let lang = Lang::detect(cli.lang);
    crate::allow_external_model(cli.allow_external_model);
    match cli.command {
        Command::Lint(args) => {
            if matches!(args.format, lint::Format::Human) && !args.quiet && !args.statistics {
                crate::progress::enable(lang);
            }
            lint::run(args, lang)
        }
        Command::Rules(args) => rules::list(args, lang),
        Command::Explain(args) => rules::explain(args, lang),
        Command::Report(args) => report::run(args, lang),
        Command::Schema(args) => schema::run(args, lang),
        Command::Init(args) => init::run(args, lang),
        Command::New(args) => new::run(*args, lang),
        Command::List(args) => list::run(args, lang),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args, lang),
        Command::Site(args) => site::run(args, lang),
        Command::Lsp => crate::lsp::run(lang),
    }
}

/// The catalog's configuration (`kdl.yaml` found from `path` or the
/// current directory), when there is a readable one.
/// `--as-of` and the like: a date of the form YYYY-MM-DD.
pub(crate) fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::catalog::parse_date(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// A usage error: the message on stderr, exit 2.
pub(crate) fn fail(msg: impl std::fmt::Display) -> i32 {
    eprintln!("kdl: {msg}");
    2
}

/// The lint run that `kdl report` and `kdl site` publish (typed entities
/// only, never the parsed trees); `Err(2)` after saying why when the
/// catalog cannot be read or its `kdl.yaml` is broken.
pub(crate) fn lint_to_publish(opts: crate::LintOptions, lang: Lang) -> Result<crate::Run, i32> {
    let opts = crate::LintOptions {
        drop_documents: true,
        ..opts
    };
    let run = crate::lint(&opts).map_err(|f| fail(f.message(lang)))?;
    if run.broken {
        return Err(fail(match lang {
            Lang::Sv => {
                "katalogens konfiguration (kdl.yaml) är trasig; kör `kdl lint` för detaljer"
            }
            Lang::En => {
                "the catalog's configuration (kdl.yaml) is broken; run `kdl lint` for details"
            }
        }));
    }
    Ok(run)
}

pub(crate) fn active_config(path: Option<&PathBuf>) -> Option<crate::config::Config> {
    let (root, has) = crate::locate(path.map(PathBuf::as_path)).ok()?;
    if !has {
        return None;
    }
    let f = crate::load::read_file(
        &root.join(crate::load::CONFIG_FILE),
        String::new(),
        crate::load::DEFAULT_MAX_FILE_BYTES,
        Default::default(),
    );
    let node = f.doc.ok()?;
    node.is_map()
        .then(|| crate::config::Config::from_node(&node).0)
}

/// Loads the active model for commands that need only it: the catalog's
/// (`kdl.yaml` found from `path` or the current directory), else the default.
pub(crate) fn active_model(path: Option<&PathBuf>) -> crate::model::Model {
    let from_catalog = crate::locate(path.map(PathBuf::as_path))
        .ok()
        .filter(|(_, has)| *has)
        .and_then(|(root, _)| {
            let f = crate::load::read_file(
                &root.join(crate::load::CONFIG_FILE),
                String::new(),
                crate::load::DEFAULT_MAX_FILE_BYTES,
                Default::default(),
            );
            let node = f.doc.ok()?;
            let (cfg, _) = crate::config::Config::from_node(&node);
            let name = cfg.model;
            if crate::is_model_path(&name) {
                let external = crate::external_model_allowed(&crate::LintOptions::default());
                let path = crate::model_path(&root, &name, external).ok()?;
                crate::model::Model::from_file(&path).ok().map(|(m, _)| m)
            } else {
                crate::model::Model::builtin(&name)
                    .and_then(Result::ok)
                    .map(|(m, _)| m)
            }
        });
    from_catalog
        .or_else(|| {
            crate::model::Model::builtin(crate::model::DEFAULT_MODEL)
                .and_then(Result::ok)
                .map(|(m, _)| m)
        })
        .unwrap_or_else(|| crate::unreachable_model().0)
}
