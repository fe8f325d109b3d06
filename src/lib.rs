//! kdl — a compliance linter for a municipality's catalog of digital
//! services and systems.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: find the root, walk, read and parse every file with spans;
//! 2. [`schema`]: validate each document against its kind's JSON Schema;
//! 3. [`catalog`] + [`resolve`]: typed entities, the index, references;
//! 4. [`check`]: the model's rules (the model itself is [`model`]);
//! 5. [`report`]: render diagnostics (human, JSON, …); [`lsp`] shows them
//!    in an editor.
//!
//! [`lint`] runs stages 1–4 and returns a [`Run`]; the CLI ([`cli`]) renders it.

pub mod baseline;
pub mod catalog;
pub mod changed;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod i18n;
pub mod intern;
pub mod load;
pub mod lsp;
pub mod messages;
pub mod model;
pub mod progress;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod site;
pub mod suggest;
pub mod yearly;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

use crate::catalog::{Catalog, Index};
use crate::config::{pattern_matches, Config, Level};
use crate::diagnostic::{Diagnostic, FileId, Msg, Severity};
use crate::load::{SourceFile, CONFIG_FILE};
use crate::model::Model;

/// What to lint and how.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// The catalog (or a directory inside it); default: the current directory.
    pub path: Option<PathBuf>,
    /// Evaluation date of every date rule.
    pub as_of: Option<NaiveDate>,
    /// `--rule`: run only these rules (ids or `group/*`).
    pub select: Vec<String>,
    /// `--skip`: do not run these.
    pub skip: Vec<String>,
    /// `--no-exceptions`: ignore every `exceptions:` entry.
    pub no_exceptions: bool,
    /// Free each file's parsed tree once its entity is built (the typed
    /// entities and the diagnostics are kept; the text of a file without
    /// findings is set aside and read again for a snippet, see
    /// `catalog::SetAside`). Saves most of the memory on a large catalog;
    /// commands that read raw fields (`list`) leave it off.
    pub drop_documents: bool,
    /// Read a `model:` file that lies outside the catalog (else only a
    /// built-in id or a file inside the catalog is accepted). Also set for
    /// the whole process by `--allow-external-model` ([`allow_external_model`]).
    pub allow_external_model: bool,
    /// Keep each file's own load diagnostics in [`Run::loads`]
    /// (`--changed-since` re-uses them for the merge-base).
    pub keep_loads: bool,
}

static EXTERNAL_MODEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `--allow-external-model`: every lint in this process may read a model
/// file outside its catalog. Given by whoever runs kdl, never by the catalog.
pub fn allow_external_model(allow: bool) {
    EXTERNAL_MODEL.store(allow, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn external_model_allowed(opts: &LintOptions) -> bool {
    opts.allow_external_model || EXTERNAL_MODEL.load(std::sync::atomic::Ordering::Relaxed)
}

/// Counts for the summary line and JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub entities: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    /// Findings covered by `--baseline` (not counted above).
    pub baselined: usize,
}

/// A completed lint run.
pub struct Run {
    pub root: PathBuf,
    pub catalog: Catalog,
    pub model: Model,
    pub config: Config,
    pub as_of: NaiveDate,
    /// Sorted by file, line, column, rule. Suppressed ones are kept, marked.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// The run itself failed (no or broken `kdl.yaml`, unknown model): exit 2.
    pub broken: bool,
    pub elapsed_ms: u128,
    /// Wall time per pipeline stage, in order (for `--timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// What `--baseline` set aside (filled in by the CLI).
    pub baseline: Option<baseline::Applied>,
    /// What loading each file gave (its own diagnostics, its git blob
    /// id): kept with [`LintOptions::keep_loads`].
    pub loads: Option<catalog::source::Loads>,
}

/// Why a run could not start at all.
#[derive(Debug)]
pub enum Fatal {
    NoCatalog { start: PathBuf },
    NotFound { path: PathBuf },
    Internal(String),
}

impl Fatal {
    pub fn message(&self, lang: i18n::Lang) -> String {
        match (self, lang) {
            (Fatal::NoCatalog { start }, i18n::Lang::Sv) => format!(
                "ingen katalog hittades: `{CONFIG_FILE}` saknas i {} och alla kataloger ovanför.\n  tips: ange katalogen, t.ex. `kdl lint catalog`, eller starta en ny katalog med `kdl init`",
                start.display()
            ),
            (Fatal::NoCatalog { start }, i18n::Lang::En) => format!(
                "no catalog found: no `{CONFIG_FILE}` in {} or any directory above it.\n  hint: name the catalog, e.g. `kdl lint catalog`, or start a new catalog with `kdl init`",
                start.display()
            ),
            (Fatal::NotFound { path }, i18n::Lang::Sv) => format!("sökvägen finns inte: {}", path.display()),
            (Fatal::NotFound { path }, i18n::Lang::En) => format!("no such path: {}", path.display()),
            (Fatal::Internal(m), _) => m.clone(),
        }
    }
}

impl Run {
    /// Exit code per cli.md: 2 broken run, 1 findings at or above the
    /// failing severity, else 0.
    pub fn exit_code(&self, deny_warnings: bool) -> i32 {
        if self.broken {
            return 2;
        }
        let fails = self.summary.errors > 0 || (deny_warnings && self.summary.warnings > 0);
        i32::from(fails)
    }

    /// Diagnostics not suppressed by an exception.
    pub fn active(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.suppressed_by.is_none())
    }

    pub fn rel(&self, file: FileId) -> &str {
        self.catalog.rel(file)
    }
}

/// Locates the catalog root for `path` (or the current directory).
/// Returns the root and whether `kdl.yaml` exists there.
pub fn locate(path: Option<&Path>) -> Result<(PathBuf, bool), Fatal> {
    match path {
        Some(p) => {
            if !p.exists() {
                return Err(Fatal::NotFound {
                    path: p.to_path_buf(),
                });
            }
            let dir = if p.is_file() {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            } else {
                p.to_path_buf()
            };
            let dir = if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir
            };
            match load::find_root(&dir) {
                Some(root) => Ok((root, true)),
                // An explicit directory without kdl.yaml is reported as
                // such (exit 2); nothing under it is read.
                None => dir
                    .canonicalize()
                    .map(|d| (d, false))
                    .map_err(|e| Fatal::Internal(e.to_string())),
            }
        }
        None => {
            let cwd = std::env::current_dir().map_err(|e| Fatal::Internal(e.to_string()))?;
            load::find_root(&cwd)
                .map(|r| (r, true))
                .ok_or(Fatal::NoCatalog { start: cwd })
        }
    }
}

/// Whether `model` names a file (not a built-in id).
pub fn is_model_path(name: &str) -> bool {
    name.contains('/') || name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Where a `model:` path leads, when it may be read: inside the catalog
/// (after following every link), or anywhere when `external` is allowed.
pub fn model_path(root: &Path, name: &str, external: bool) -> Result<PathBuf, ModelPathError> {
    let path = root.join(name);
    let canonical = path
        .canonicalize()
        .map_err(|e| ModelPathError::Unreadable(e.to_string()))?;
    let inside = root
        .canonicalize()
        .is_ok_and(|r| canonical.starts_with(&r) && canonical != r);
    if inside || external {
        Ok(canonical)
    } else {
        Err(ModelPathError::Outside)
    }
}

/// Why a `model:` path is not read.
#[derive(Debug, PartialEq, Eq)]
pub enum ModelPathError {
    /// It leads out of the catalog and no flag allows that.
    Outside,
    /// It does not exist or cannot be resolved.
    Unreadable(String),
}

/// A model error's text without the double-quoted parts, where serde puts
/// the offending value (`invalid type: string "…"`): for a model file
/// outside the catalog, whose values must not reach a CI log (key names in
/// backticks stay: they say what to fix).
fn without_content(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '"' => {
                if !quoted {
                    out.push(c);
                    out.push('…');
                } else {
                    out.push(c);
                }
                quoted = !quoted;
            }
            _ if quoted => {}
            c => out.push(c),
        }
    }
    out
}

/// Loads the model named by the configuration; problems are `config/invalid`.
fn load_model(
    source: &dyn catalog::source::Source,
    root: &Path,
    config: &Config,
    external: bool,
    out: &mut Vec<Diagnostic>,
) -> (Model, bool) {
    let name = config.model.as_str();
    let mut outside_catalog = false;
    let loaded = if is_model_path(name) {
        match source.model(root, name, external) {
            Ok((model, outside)) => {
                outside_catalog = outside;
                Some(model)
            }
            Err(ModelPathError::Outside) => {
                out.push(
                    Diagnostic::new(
                        "config/invalid",
                        0,
                        config.model_span,
                        Msg::ModelOutside {
                            model: name.to_string(),
                        },
                    )
                    .at_path("model"),
                );
                return fallback_model();
            }
            Err(ModelPathError::Unreadable(e)) => {
                Some(Err(model::ModelError::plain(e, load::Span::FILE_START)))
            }
        }
    } else {
        Model::builtin(name)
    };
    let problem = match loaded {
        Some(Ok((m, _))) => return (m, false),
        Some(Err(e)) => Msg::ModelInvalid {
            model: name.to_string(),
            detail_sv: format!(
                "{} ({}:{})",
                if outside_catalog {
                    without_content(&e.message_sv)
                } else {
                    e.message_sv.clone()
                },
                e.pos.line,
                e.pos.col
            ),
            detail_en: format!(
                "{} ({}:{})",
                if outside_catalog {
                    without_content(&e.message)
                } else {
                    e.message
                },
                e.pos.line,
                e.pos.col
            ),
        },
        None => Msg::UnknownModel {
            model: name.to_string(),
            known: model::BUILTIN
                .iter()
                .map(|(id, _)| (*id).to_string())
                .collect(),
        },
    };
    out.push(Diagnostic::new("config/invalid", 0, config.model_span, problem).at_path("model"));
    fallback_model()
}

/// The default model as a stand-in when the configured one cannot be used
/// (the run is broken: exit 2).
fn fallback_model() -> (Model, bool) {
    match Model::builtin(model::DEFAULT_MODEL)
        .and_then(Result::ok)
        .map(|(m, _)| m)
    {
        Some(m) => (m, true),
        None => unreachable_model(),
    }
}

/// The built-in default model is tested to load; should that ever fail,
/// an empty model keeps the run going (format rules only).
pub(crate) fn unreachable_model() -> (Model, bool) {
    let empty = Model {
        format: 1,
        id: "none".into(),
        name: "none".into(),
        municipality: None,
        sources: Default::default(),
        lifecycle: model::Lifecycle {
            order: Vec::new(),
            retired: None,
            in_use: Vec::new(),
            labels: Default::default(),
        },
        owner_role: None,
        organisation: Default::default(),
        titles: Default::default(),
        roles: Default::default(),
        documents: Default::default(),
        categories: Default::default(),
        scopes: model::vocab::defaults::scopes(),
        namnd_types: model::vocab::defaults::namnd_types(),
        avtal_types: model::vocab::defaults::avtal_types(),
        bodies: Default::default(),
        attributes: Default::default(),
        record_types: Default::default(),
        exception_kinds: Default::default(),
        gdpr: Default::default(),
        rules: Default::default(),
    };
    (empty, true)
}

/// Runs load → validate → resolve → check on a catalog.
pub fn lint(opts: &LintOptions) -> Result<Run, Fatal> {
    let (root, has_config) = locate(opts.path.as_deref())?;
    lint_from(&catalog::source::Disk, root, has_config, opts)
}

/// [`lint`] of the catalog at `root` as `source` gives it (`has_config`:
/// whether it has a `kdl.yaml`).
pub fn lint_from(
    source: &dyn catalog::source::Source,
    root: PathBuf,
    has_config: bool,
    opts: &LintOptions,
) -> Result<Run, Fatal> {
    let started = Instant::now();
    let as_of = opts
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut diags: Vec<Diagnostic> = Vec::new();

    let config_file = source.config(&root, has_config);
    let (config, config_node) = match &config_file.doc {
        Ok(node) if node.is_map() => {
            let (cfg, problems) = Config::from_node(node);
            for p in problems {
                diags.push(Diagnostic::new("config/invalid", 0, p.span, p.what));
            }
            (cfg, Some(node.clone()))
        }
        other => {
            let d = if !has_config {
                Diagnostic::new(
                    "config/invalid",
                    0,
                    load::Span::FILE_START,
                    Msg::ConfigMissing,
                )
            } else {
                match other {
                    Err(load::LoadError::Yaml(load::YamlError::Empty)) => Diagnostic::new(
                        "config/invalid",
                        0,
                        load::Span::FILE_START,
                        Msg::ConfigEmpty,
                    ),
                    Err(e) => {
                        let mut d = catalog::load_diagnostic(0, e);
                        d.rule = "config/invalid";
                        d
                    }
                    Ok(n) => Diagnostic::new("config/invalid", 0, n.span, Msg::ConfigNotAMapping),
                }
            };
            diags.push(d);
            (
                Config {
                    model: model::DEFAULT_MODEL.to_string(),
                    ..Config::default()
                },
                None,
            )
        }
    };
    // A kdl.yaml that cannot be read is one diagnostic: nothing else is
    // said about a configuration that was never read.
    let (model, model_broken) = if config_node.is_some() {
        load_model(
            source,
            &root,
            &config,
            external_model_allowed(opts),
            &mut diags,
        )
    } else {
        load_model(
            source,
            &root,
            &Config {
                model: model::DEFAULT_MODEL.to_string(),
                ..Config::default()
            },
            external_model_allowed(opts),
            &mut diags,
        )
    };
    // `model:` missing or not a string: the run would silently use the
    // default model.
    let model_broken = model_broken || config.model_invalid;
    if !model_broken {
        // A setting for a rule the model leaves out would silently do nothing.
        for r in &config.rules {
            let exact = !r.pattern.ends_with("/*");
            let known = check::registry::pattern_known(&model, &r.pattern)
                || (exact && check::registry::find(&r.pattern).is_some());
            if !known {
                diags.push(
                    Diagnostic::new(
                        "config/invalid",
                        0,
                        r.span,
                        Msg::UnknownRule {
                            rule: r.pattern.clone(),
                            suggestion: check::registry::suggest(&model, &r.pattern),
                        },
                    )
                    .at_path(format!("rules.{}", r.pattern)),
                );
                continue;
            }
            if exact
                && !check::registry::is_format_rule(&r.pattern)
                && !model.rules.contains_key(&r.pattern)
            {
                diags.push(
                    Diagnostic::new(
                        "config/invalid",
                        0,
                        r.span,
                        Msg::RuleNotInModel {
                            rule: r.pattern.clone(),
                            model: model.id.clone(),
                        },
                    )
                    .at_path(format!("rules.{}", r.pattern)),
                );
            }
        }
    }
    let schemas = schema::Schemas::new(&model).map_err(Fatal::Internal)?;
    if let Some(node) = &config_node {
        for e in schemas.validate("kdl", node) {
            // One fault, one diagnostic: what the settings reader already
            // said at this place (an unknown rule, a bad severity) stands.
            if diags.iter().any(|d| d.span.start == e.span.start) {
                continue;
            }
            diags.push(
                Diagnostic::new("config/invalid", 0, e.span, e.msg)
                    .at_path(load::node::path_to_string(&e.path)),
            );
        }
    }
    // Rule instances with their typed parameters: a misspelt parameter in
    // kdl.yaml is a configuration fault like a misspelt rule id.
    let selected = |rule: &str| selected(opts, rule);
    let (instances, param_problems) = check::compile(&model, &config, selected);
    if !model_broken {
        // One fault, one finding: a rule already named as unknown.
        let fresh: Vec<Diagnostic> = param_problems
            .into_iter()
            .filter(|p| !diags.iter().any(|d| d.span.start == p.span.start))
            .collect();
        diags.extend(fresh);
    }
    // A kdl.yaml that is missing, cannot be read or breaks its schema, or a
    // model that cannot be loaded: the run fails (exit 2) on these findings
    // alone; no rule runs on a half-read configuration.
    if !diags.is_empty() {
        return Ok(config_failure(
            root,
            config_file,
            model,
            config,
            as_of,
            diags,
            started,
        ));
    }

    let progress = progress::Progress::new();
    let mut timings = Vec::new();
    let mut lap = Instant::now();
    let mut stage = |name: &'static str| {
        timings.push((name, lap.elapsed()));
        lap = Instant::now();
        progress.finished(name);
    };
    stage("config");

    // load: only a catalog is walked; a directory without `kdl.yaml`
    // (`kdl lint /`) is reported, not read.
    let mut found = if has_config {
        source.list(&root, &config.exclude)
    } else {
        Vec::new()
    };
    // A model file kept inside the catalog is configuration, not an entity.
    if let Some(model_rel) = source.model_rel(&root, &config.model) {
        found.retain(|f| f.rel != model_rel);
    }
    stage("walk");
    progress.start(found.len());
    let max = config
        .max_file_bytes
        .unwrap_or(load::DEFAULT_MAX_FILE_BYTES);
    let (cat, load_diags, loads) = catalog::load_from(
        source,
        &root,
        config_file,
        found,
        max,
        &schemas,
        opts.drop_documents,
        opts.keep_loads,
    );
    diags.extend(load_diags);
    stage("read+parse+validate");
    let ix = Index::build(&cat);
    stage("index");
    let unloaded = unloaded_ids(&cat);
    let resolved = resolve::resolve(&cat, &ix, &model, &config);
    // The model's organisation parts (which nämnd is the kommunstyrelse,
    // which unit is Digitalt center) must resolve before any rule can run:
    // rules on a half-read organisation only flood the report.
    let org_broken = resolved.iter().any(|d| {
        matches!(
            d.msg,
            Msg::OrgPartMissing { .. }
                | Msg::OrgPartUnknownNamnd { .. }
                | Msg::OrgPartUnknownUnit { .. }
                | Msg::WrongShape { .. }
        )
    });
    diags.extend(resolved.into_iter().filter(|d| {
        // The support processes are listed by the organisation's nämnder.
        let stodprocess = matches!(
            d.msg,
            Msg::UnknownRef {
                what: messages::RefKind::Stodprocess,
                ..
            }
        );
        let follows_org = org_broken && stodprocess;
        !(about_unloaded(d, &unloaded) || follows_org)
    }));
    stage("resolve");
    let ctx = check::Ctx::new(&cat, &ix, &model, &config, as_of, instances);
    if !org_broken {
        diags.extend(check::run(&ctx));
    }
    stage("check");

    // severities, filters, exceptions
    let mut diags = finalize(diags, &cat, &model, &config, opts);
    if !opts.no_exceptions && !org_broken {
        check::exceptions::apply(&ctx, &cat, &mut diags);
        diags = finalize(diags, &cat, &model, &config, opts);
    }
    cat.locate(&mut diags);
    // Within a file, byte order is line and column order.
    diags.sort_by(|a, b| {
        (cat.rel(a.file), a.span.start, a.rule, &a.path).cmp(&(
            cat.rel(b.file),
            b.span.start,
            b.rule,
            &b.path,
        ))
    });
    diags.dedup_by(|a, b| {
        a.file == b.file && a.span == b.span && a.rule == b.rule && a.msg == b.msg
    });
    drop_misspelt_role_followers(&mut diags);
    drop_misspelt_system_followers(&mut diags);
    let diags_in_config = diags
        .iter()
        .any(|d| d.rule == "config/invalid" && d.suppressed_by.is_none());

    let mut summary = Summary {
        files: cat.files.len(),
        entities: cat.entities.len(),
        ..Summary::default()
    };
    for d in &diags {
        if d.suppressed_by.is_some() {
            summary.suppressed += 1;
            continue;
        }
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    stage("finalize");
    drop(ctx);
    drop(ix);
    Ok(Run {
        root,
        catalog: cat,
        model,
        config,
        as_of,
        diagnostics: diags,
        summary,
        // Any finding in kdl.yaml (or rules skipped for its sake) fails the
        // run itself: exit 2, as documented.
        broken: org_broken || diags_in_config,
        elapsed_ms: started.elapsed().as_millis(),
        timings,
        baseline: None,
        loads,
    })
}

/// The run of a catalog whose configuration failed: only the findings in
/// `kdl.yaml` (or about the model), and exit 2.
fn config_failure(
    root: PathBuf,
    config_file: SourceFile,
    model: Model,
    config: Config,
    as_of: NaiveDate,
    mut diags: Vec<Diagnostic>,
    started: Instant,
) -> Run {
    for d in &mut diags {
        d.severity = Severity::Error;
    }
    for d in &mut diags {
        d.locate(|_, span| config_file.pos(span));
    }
    diags.sort_by(|a, b| (a.span.start, &a.path).cmp(&(b.span.start, &b.path)));
    diags.dedup_by(|a, b| a.span == b.span && a.msg == b.msg);
    let summary = Summary {
        files: 1,
        entities: 0,
        errors: diags.len(),
        ..Summary::default()
    };
    Run {
        root,
        catalog: Catalog {
            files: vec![config_file],
            entities: Vec::new(),
            failed_keys: Vec::new(),
            set_aside: Default::default(),
        },
        model,
        config,
        as_of,
        diagnostics: diags,
        summary,
        broken: true,
        elapsed_ms: started.elapsed().as_millis(),
        timings: Vec::new(),
        baseline: None,
        loads: None,
    }
}

/// The ids declared in files that failed to load or validate (so no entity
/// was built from them), and their file stems: references to them are not
/// "unknown" — the file's own finding says what is wrong. Read from the
/// text (every `id:` line, which also covers a nämnd's förvaltning id), so
/// it works for files that did not even parse.
fn unloaded_ids(cat: &Catalog) -> std::collections::HashSet<String> {
    let mut loaded = vec![false; cat.files.len()];
    for e in &cat.entities {
        if let Some(l) = loaded.get_mut(e.head().file) {
            *l = true;
        }
    }
    let mut out = std::collections::HashSet::new();
    for (i, f) in cat.files.iter().enumerate().skip(1) {
        if loaded.get(i).copied().unwrap_or(false) {
            continue;
        }
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        let stem = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
            .unwrap_or(name);
        out.insert(stem.to_string());
        for line in f.text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("id:") else {
                continue;
            };
            let v = rest.split('#').next().unwrap_or_default().trim();
            let v = v.trim_matches(|c| c == '"' || c == '\'');
            if !v.is_empty() {
                out.insert(v.to_string());
            }
        }
    }
    out
}

/// A reference (or organisation part) naming what a broken file declares.
fn about_unloaded(d: &Diagnostic, unloaded: &std::collections::HashSet<String>) -> bool {
    match &d.msg {
        Msg::UnknownRef { id, .. } | Msg::OrgPartUnknownNamnd { id, .. } => unloaded.contains(id),
        Msg::OrgPartUnknownUnit { forvaltning, .. } => unloaded.contains(forvaltning),
        _ => false,
    }
}

/// One fault, one finding: a misspelt role key (`budgetansvarige:`,
/// `systemförvaltare:`) is reported once, as the bad key with its "did you
/// mean"; what the rules then say in the same file about the intended role
/// (missing, plans approved by someone who "is not" its holder, …) follows
/// from that one fault and is dropped.
fn drop_misspelt_role_followers(diags: &mut Vec<Diagnostic>) {
    use messages::RefKind;
    let misspelt: Vec<(FileId, String)> = diags
        .iter()
        .filter_map(|d| match &d.msg {
            Msg::BadKeyName {
                parent,
                suggestion: Some(s),
                ..
            } if parent == "roles" => Some((d.file, s.clone())),
            Msg::UnknownRef {
                what: RefKind::Role,
                suggestion: Some(s),
                ..
            } => Some((d.file, s.clone())),
            _ => None,
        })
        .collect();
    if misspelt.is_empty() {
        return;
    }
    diags.retain(|d| {
        check::registry::is_format_rule(d.rule)
            || !misspelt
                .iter()
                .any(|(f, role)| *f == d.file && d.msg.names_role(role))
    });
}

/// One fault, one finding: a misspelt system id in an agreement or a
/// register entry (`systems: [herome]`, `systems: [Heroma]`) is reported once, as the unknown
/// reference with its "did you mean `heroma`"; that `heroma` then lacks the
/// agreement or register entry follows from the same typo and is dropped.
fn drop_misspelt_system_followers(diags: &mut Vec<Diagnostic>) {
    use messages::RefKind;
    let meant: Vec<String> = diags
        .iter()
        .filter_map(|d| match &d.msg {
            Msg::UnknownRef {
                what: RefKind::System,
                suggestion: Some(s),
                ..
            } if d.path.starts_with("systems") => Some(s.clone()),
            // `systems: [Raindance]`: not an id at all, but meant one.
            Msg::BadPattern {
                suggestion: Some(s),
                ..
            } if d.path.starts_with("systems[") => Some(s.clone()),
            _ => None,
        })
        .collect();
    if meant.is_empty() {
        return;
    }
    diags.retain(|d| {
        let group = d.rule.split('/').next().unwrap_or_default();
        let follows = matches!(group, "docs" | "pub" | "contract" | "register");
        !(follows && d.entity.as_ref().is_some_and(|e| meant.contains(e)))
    });
}

/// `--rule`/`--skip`. Loading and configuration faults are always shown
/// unless skipped by name: a broken file must never pass silently.
fn selected(opts: &LintOptions, rule: &str) -> bool {
    if opts.skip.iter().any(|p| pattern_matches(p, rule)) {
        return false;
    }
    opts.select.is_empty()
        || matches!(rule, "parse/syntax" | "config/invalid")
        || opts.select.iter().any(|p| pattern_matches(p, rule))
}

/// The paths of one file that failed their schema, for asking whether a
/// finding's path is one of them, lies inside one, or contains one
/// (`roles` / `roles.agare` / `roles.agare[1]`) with a few hash lookups:
/// linear in the findings, however many paths failed.
#[derive(Default)]
struct FailedPaths<'a> {
    exact: HashSet<&'a str>,
    /// Every failed path and every path that contains one.
    containing: HashSet<&'a str>,
}

impl<'a> FailedPaths<'a> {
    fn add(&mut self, p: &'a str) {
        if p.is_empty() {
            return;
        }
        self.exact.insert(p);
        self.containing.insert(p);
        for (i, c) in p.char_indices() {
            if (c == '.' || c == '[') && i > 0 {
                self.containing.insert(&p[..i]);
            }
        }
    }

    fn overlaps(&self, path: &str) -> bool {
        if path.is_empty() {
            return false;
        }
        self.containing.contains(path)
            || path
                .char_indices()
                .any(|(i, c)| (c == '.' || c == '[') && self.exact.contains(&path[..i]))
    }
}

/// Applies the configured severity to each finding and drops what is off,
/// not selected, or about a field that already failed its schema.
fn finalize(
    diags: Vec<Diagnostic>,
    cat: &Catalog,
    model: &Model,
    config: &Config,
    opts: &LintOptions,
) -> Vec<Diagnostic> {
    let mut failed: HashMap<FileId, FailedPaths> = HashMap::new();
    for (e, paths) in cat.entities.iter().zip(&cat.failed_keys) {
        for p in paths {
            failed.entry(e.head().file).or_default().add(p);
        }
    }
    let overlaps_failed =
        |file: FileId, path: &str| -> bool { failed.get(&file).is_some_and(|f| f.overlaps(path)) };
    diags
        .into_iter()
        .filter_map(|mut d| {
            if !selected(opts, d.rule) {
                return None;
            }
            let format_rule = check::registry::is_format_rule(d.rule);
            // One fault, one diagnostic: nothing but the schema error is
            // said about a value that failed its schema (a rule or a
            // reference about it, or about the mapping that holds it).
            let checks_content = !format_rule || d.rule == "ref/unknown";
            if checks_content && overlaps_failed(d.file, &d.path) {
                return None;
            }
            let default = if format_rule {
                check::registry::format_severity(d.rule)
            } else {
                model.rules.get(d.rule).map(|r| r.severity)
            };
            d.severity = match config.level_for(d.rule, cat.rel(d.file)) {
                Some(Level::Off) => return None,
                Some(Level::On(s)) => s,
                None => d.severity_hint.or(default).unwrap_or(Severity::Error),
            };
            Some(d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `FailedPaths` implements.
    fn paths_overlap(a: &str, b: &str) -> bool {
        let inside = |outer: &str, inner: &str| {
            inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        };
        !a.is_empty() && !b.is_empty() && (inside(a, b) || inside(b, a))
    }

    #[test]
    fn failed_paths_overlap_as_defined() {
        let failed = ["roles.agare", "lifecycle", "plans[1].year", ""];
        let mut f = FailedPaths::default();
        for p in failed {
            f.add(p);
        }
        for path in [
            "",
            "roles",
            "roles.agare",
            "roles.agare[0]",
            "roles.agarex",
            "lifecycle.status",
            "lifecycle",
            "life",
            "plans",
            "plans[1]",
            "plans[1].year",
            "plans[10].year",
            "plans[1].yearx",
            "x",
        ] {
            let want = failed.iter().any(|p| paths_overlap(p, path));
            assert_eq!(f.overlaps(path), want, "{path}");
        }
    }
}
