//! `kdl lint [PATH]`.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::parse_date;
use crate::baseline::{self, Baseline};
use crate::changed;
use crate::i18n::Lang;
use crate::report::{concise, github, gitlab, human, json, junit, sarif};
use crate::{LintOptions, Run};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// miette-style reports and a summary line
    Human,
    /// one line per finding: `path:line:col: rule message`
    Concise,
    /// kdl's stable JSON (version 1)
    Json,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// GitLab Code Quality JSON
    Gitlab,
    /// JUnit XML (GitLab test reports, Jenkins)
    Junit,
}

/// `--output FORMAT=FILE`.
#[derive(Clone, Debug)]
pub struct OutputSpec {
    pub format: Format,
    pub file: PathBuf,
}

fn parse_output(s: &str) -> Result<OutputSpec, String> {
    let names = Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
        .collect::<Vec<_>>()
        .join(", ");
    let Some((format, file)) = s.split_once('=') else {
        return Err(format!("expected FORMAT=FILE (FORMAT: {names})"));
    };
    let format = Format::from_str(format, false)
        .map_err(|_| format!("unknown format `{format}` (FORMAT: {names})"))?;
    if file.is_empty() {
        return Err("expected FORMAT=FILE: the file is missing".into());
    }
    Ok(OutputSpec {
        format,
        file: PathBuf::from(file),
    })
}

#[derive(Args, Debug)]
pub struct LintArgs {
    /// The catalog directory (default: search upward for kdl.yaml), and/or
    /// files in it: the whole catalog is checked, but only findings in the
    /// named files are reported (what editors and pre-commit pass)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Evaluation date for every date rule (YYYY-MM-DD; default today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Warnings fail the run (exit 1)
    #[arg(long)]
    pub deny_warnings: bool,
    /// Run only these rules (repeatable; `group/*` allowed)
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Skip these rules (repeatable; `group/*` allowed)
    #[arg(long = "skip", value_name = "ID")]
    pub skip: Vec<String>,
    /// Ignore every `exceptions:` entry (what would fail without the avsteg)
    #[arg(long)]
    pub no_exceptions: bool,
    /// Only the summary line
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the number of findings per rule (most frequent first) instead
    /// of the findings themselves
    #[arg(long)]
    pub statistics: bool,
    /// Print the wall time of each pipeline stage on stderr
    #[arg(long)]
    pub timings: bool,
    /// Also write FORMAT to FILE (repeatable), e.g. `--output sarif=kdl.sarif`
    #[arg(long = "output", value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub outputs: Vec<OutputSpec>,
    /// Report only what changed since the merge-base with REF (git): findings
    /// in changed files and findings elsewhere the change caused
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Ignore findings recorded in this baseline file; report stale entries
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (then apply it)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// SARIF: also write findings set aside by an exception or the baseline,
    /// as suppressed results
    #[arg(long)]
    pub sarif_include_suppressed: bool,
}

/// Checks `--rule`/`--skip` patterns name known rules or groups.
fn check_patterns(
    model: &crate::model::Model,
    patterns: &[String],
    lang: Lang,
) -> Result<(), String> {
    for p in patterns {
        if !crate::check::registry::pattern_known(model, p) {
            let hint = crate::check::registry::suggest(model, p)
                .map(|s| match lang {
                    Lang::Sv => format!(" – menade du `{s}`?"),
                    Lang::En => format!(" – did you mean `{s}`?"),
                })
                .unwrap_or_default();
            return Err(match lang {
                Lang::Sv => format!("okänd regel `{p}`{hint} (se `kdl rules`)"),
                Lang::En => format!("unknown rule `{p}`{hint} (see `kdl rules`)"),
            });
        }
    }
    Ok(())
}

/// Splits the positional arguments into the catalog (a directory, or the
/// first file) and the files whose findings are reported.
fn split_paths(paths: &[PathBuf], lang: Lang) -> Result<(Option<PathBuf>, Vec<PathBuf>), String> {
    let dirs: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let mut files = Vec::new();
    for p in paths.iter().filter(|p| !p.is_dir()) {
        // `kdl lint catalog system/x.yaml`: a file may also be named
        // relative to the catalog directory given beside it.
        let in_catalog = dirs.first().map(|d| d.join(p)).filter(|j| j.is_file());
        if p.exists() {
            files.push(p.clone());
        } else if let Some(j) = in_catalog {
            files.push(j);
        } else {
            return Err(match lang {
                Lang::Sv => format!("sökvägen finns inte: {}", p.display()),
                Lang::En => format!("no such path: {}", p.display()),
            });
        }
    }
    if dirs.len() > 1 {
        return Err(match lang {
            Lang::Sv => "ange högst en katalog (och valfritt filer i den)".to_string(),
            Lang::En => {
                "give at most one catalog directory (and optionally files in it)".to_string()
            }
        });
    }
    let catalog = dirs.first().cloned().or_else(|| files.first().cloned());
    Ok((catalog, files))
}

/// The catalog-relative paths of `files`; an error names one outside it.
fn catalog_rels(run: &Run, files: &[PathBuf], lang: Lang) -> Result<Vec<String>, String> {
    files
        .iter()
        .map(|f| {
            f.canonicalize()
                .ok()
                .and_then(|c| {
                    c.strip_prefix(&run.root).ok().map(|r| {
                        r.components()
                            .map(|c| c.as_os_str().to_string_lossy())
                            .collect::<Vec<_>>()
                            .join("/")
                    })
                })
                .ok_or_else(|| match lang {
                    Lang::Sv => format!(
                        "{} ligger inte i katalogen {}",
                        f.display(),
                        run.root.display()
                    ),
                    Lang::En => format!(
                        "{} is not in the catalog {}",
                        f.display(),
                        run.root.display()
                    ),
                })
        })
        .collect()
}

pub fn run(args: LintArgs, lang: Lang) -> i32 {
    let (catalog, files) = match split_paths(&args.paths, lang) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("kdl: {e}");
            return 2;
        }
    };
    // `--rule`/`--skip` name the active model's instances.
    let model = (!args.rules.is_empty() || !args.skip.is_empty())
        .then(|| crate::cli::active_model(catalog.as_ref()));
    let checked = model.as_ref().map_or(Ok(()), |m| {
        check_patterns(m, &args.rules, lang).and_then(|()| check_patterns(m, &args.skip, lang))
    });
    if let Err(e) = checked {
        eprintln!("kdl: {e}");
        return 2;
    }
    let opts = LintOptions {
        path: catalog,
        as_of: args.as_of,
        select: args.rules.clone(),
        skip: args.skip.clone(),
        no_exceptions: args.no_exceptions,
        drop_documents: true,
        keep_loads: args.changed_since.is_some(),
        ..LintOptions::default()
    };
    // `--changed-since`: git finds the changed files and lists the
    // merge-base's tree while the working tree is linted.
    let (linted, git) = std::thread::scope(|scope| {
        let git = args.changed_since.as_deref().and_then(|reference| {
            let (root, _) = crate::locate(opts.path.as_deref()).ok()?;
            Some(scope.spawn(move || changed::prepare(&root, reference)))
        });
        let linted = crate::lint(&opts);
        let git = git.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(changed::GitError::NoGit("internal error".into())))
        });
        (linted, git)
    });
    let mut run = match linted {
        Ok(r) => r,
        Err(f) => {
            eprintln!("kdl: {}", f.message(lang));
            return 2;
        }
    };
    if args.timings {
        print_timings(&run);
    }
    if let Err(e) = ci_steps(&args, &opts, &mut run, git, lang) {
        eprintln!("kdl: {e}");
        return 2;
    }
    let sarif_opts = sarif::Options {
        include_suppressed: args.sarif_include_suppressed,
        ..sarif::Options::default()
    };
    if !files.is_empty() {
        match catalog_rels(&run, &files, lang) {
            Ok(rels) => {
                run.diagnostics
                    .retain(|d| rels.iter().any(|r| r == run.catalog.rel(d.file)));
                baseline::recount(&mut run);
            }
            Err(e) => {
                eprintln!("kdl: {e}");
                return 2;
            }
        }
    }
    let text = if args.statistics {
        statistics(&run, lang)
    } else {
        render(
            args.format,
            &run,
            lang,
            human::Style::detect(),
            args.quiet,
            sarif_opts,
        )
    };
    for o in &args.outputs {
        let text = render(
            o.format,
            &run,
            lang,
            human::Style::plain(),
            false,
            sarif_opts,
        );
        if let Err(e) = crate::load::read::write_regular(&o.file, text.as_bytes()) {
            let e = e.message(lang);
            eprintln!(
                "kdl: {}",
                match lang {
                    Lang::Sv => format!("kan inte skriva {}: {e}", o.file.display()),
                    Lang::En => format!("cannot write {}: {e}", o.file.display()),
                }
            );
            return 2;
        }
    }
    print(&text);
    if args.format == Format::Sarif || args.outputs.iter().any(|o| o.format == Format::Sarif) {
        if let Some(w) = sarif::warning(&run, sarif_opts, lang) {
            eprintln!("kdl: {w}");
        }
    }
    // Stale baseline entries: `github` shows them as annotations; every
    // other format gets them on stderr (stdout stays machine-readable).
    if let Some(b) = &run.baseline {
        if args.format != Format::Github && !args.quiet {
            for e in &b.stale {
                eprintln!("kdl: info: {}", baseline::stale_notice(lang, &b.file, e));
            }
        }
    }
    run.exit_code(args.deny_warnings)
}

/// `--write-baseline`, `--baseline`, `--changed-since`, in that order: the
/// baseline is written from and checked against the whole catalog; only
/// then is the report narrowed to the change.
fn ci_steps(
    args: &LintArgs,
    opts: &LintOptions,
    run: &mut Run,
    git: Option<Result<changed::Prepared, changed::GitError>>,
    lang: Lang,
) -> Result<(), String> {
    if let Some(file) = &args.write_baseline {
        let b = baseline::write(run, file, lang)
            .map_err(|e| baseline::io_error(lang, file, true, &e))?;
        if args.baseline.is_none() {
            baseline::apply(run, &b, &display(file), &args.rules, &args.skip);
        }
    }
    if let Some(file) = &args.baseline {
        let text =
            baseline::read(file, lang).map_err(|e| baseline::io_error(lang, file, false, &e))?;
        let b = Baseline::parse(&text).map_err(|e| baseline::io_error(lang, file, false, &e))?;
        baseline::apply(run, &b, &display(file), &args.rules, &args.skip);
    }
    if let Some(reference) = &args.changed_since {
        let lap = std::time::Instant::now();
        let (ch, tree) = match git {
            Some(found) => found,
            None => changed::prepare(&run.root, reference),
        }
        .and_then(|prepared| changed::complete(prepared, run))
        .map_err(|e| e.message(lang))?;
        let waited = lap.elapsed();
        let base = changed::lint_base(run, &ch, &tree, opts).map_err(|e| e.message(lang))?;
        if args.timings {
            // After the working tree's stages: what pull-request mode adds.
            eprintln!(
                "{:>12} {:>9.1} ms",
                "git (wait)",
                waited.as_secs_f64() * 1000.0
            );
            for (stage, t) in &base.timings {
                eprintln!(
                    "{:>12} {:>9.1} ms",
                    format!("base {stage}"),
                    t.as_secs_f64() * 1000.0
                );
            }
            eprintln!(
                "{:>12} {:>9.1} ms",
                "base total",
                lap.elapsed().as_secs_f64() * 1000.0 - waited.as_secs_f64() * 1000.0
            );
        }
        changed::filter(run, &base, &ch);
        if !args.quiet {
            let short = ch.base.get(..12).unwrap_or(&ch.base);
            eprintln!(
                "kdl: {}",
                match lang {
                    Lang::Sv => format!(
                        "--changed-since {reference} (merge-base {short}): {}",
                        lang.count(ch.files.len(), "ändrad fil", "ändrade filer")
                    ),
                    Lang::En => format!(
                        "--changed-since {reference} (merge-base {short}): {}",
                        lang.count(ch.files.len(), "changed file", "changed files")
                    ),
                }
            );
        }
    }
    Ok(())
}

/// `--timings`: the wall time of each pipeline stage, on stderr.
fn print_timings(run: &Run) {
    for (stage, t) in &run.timings {
        eprintln!("{stage:>12} {:>9.1} ms", t.as_secs_f64() * 1000.0);
    }
    eprintln!("{:>12} {:>9} ms", "total", run.elapsed_ms);
}

/// `--statistics`: findings per rule, most frequent first (ties by id),
/// then the summary line.
fn statistics(run: &Run, lang: Lang) -> String {
    let mut counts: std::collections::BTreeMap<(&str, crate::diagnostic::Severity), usize> =
        std::collections::BTreeMap::new();
    for d in run.active() {
        *counts.entry((d.rule, d.severity)).or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1);
    let id_width = rows.iter().map(|((r, _), _)| r.len()).max().unwrap_or(0);
    let mut out = String::new();
    for ((rule, sev), n) in &rows {
        let summary = crate::check::explain::get(rule)
            .map(|d| d.summary.get(lang).to_string())
            .unwrap_or_default();
        out.push_str(&format!(
            "{n:>width$}  {rule:<id_width$}  [{}] {summary}\n",
            lang.severity(*sev)
        ));
    }
    out.push_str(&lang.summary_as_of(
        &run.summary,
        Some(run.elapsed_ms),
        crate::report::shown_as_of(run),
    ));
    out.push('\n');
    out
}

/// A path as the user gave it, `/`-separated.
fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Renders `run` in `format`.
/// A renderer that fails (a bug) never takes the findings with it: they
/// are printed one per line instead, with a note on stderr.
pub fn render(
    format: Format,
    run: &Run,
    lang: Lang,
    style: human::Style,
    quiet: bool,
    sarif_opts: sarif::Options,
) -> String {
    let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
        Format::Human => human::render(run, lang, style, quiet),
        Format::Concise => concise::render(run, lang, quiet),
        Format::Json => json::render(run, lang),
        Format::Sarif => sarif::render(run, lang, sarif_opts),
        Format::Github => github::render(run, lang),
        Format::Gitlab => gitlab::render(run, lang),
        Format::Junit => junit::render(run, lang),
    }));
    drawn.unwrap_or_else(|_| {
        eprintln!(
            "kdl: {}",
            match lang {
                Lang::Sv => "internt fel i utdataformatet; fynden följer på en rad vart",
                Lang::En =>
                    "internal error in the output format; the findings follow, one per line",
            }
        );
        human::plain(run, lang)
    })
}

/// Writes to stdout; a closed pipe (`kdl lint | head`) is not an error.
pub(crate) fn print(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
