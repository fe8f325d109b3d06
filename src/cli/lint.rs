//! `kdl lint [PATH]`.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::baseline::{self, Baseline};
use crate::changed;
use crate::i18n::Lang;
use crate::report::{github, gitlab, human, json, junit, sarif};
use crate::{LintOptions, Run};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// miette-style reports and a summary line
    Human,
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
    /// The catalog directory (default: search upward for kdl.yaml)
    pub path: Option<PathBuf>,
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

pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::catalog::parse_date(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
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

pub fn run(args: LintArgs, lang: Lang) -> i32 {
    let model = (!args.rules.is_empty() || !args.skip.is_empty())
        .then(|| crate::cli::active_model(args.path.as_ref()));
    let checked = model.as_ref().map_or(Ok(()), |m| {
        check_patterns(m, &args.rules, lang).and_then(|()| check_patterns(m, &args.skip, lang))
    });
    if let Err(e) = checked {
        eprintln!("kdl: {e}");
        return 2;
    }
    let opts = LintOptions {
        path: args.path.clone(),
        as_of: args.as_of,
        select: args.rules.clone(),
        skip: args.skip.clone(),
        no_exceptions: args.no_exceptions,
        drop_documents: true,
    };
    let mut run = match crate::lint(&opts) {
        Ok(r) => r,
        Err(f) => {
            eprintln!("kdl: {}", f.message(lang));
            return 2;
        }
    };
    if args.timings {
        print_timings(&run);
    }
    if let Err(e) = ci_steps(&args, &opts, &mut run, lang) {
        eprintln!("kdl: {e}");
        return 2;
    }
    let sarif_opts = sarif::Options {
        include_suppressed: args.sarif_include_suppressed,
        ..sarif::Options::default()
    };
    let text = render(
        args.format,
        &run,
        lang,
        human::Style::detect(),
        args.quiet,
        sarif_opts,
    );
    for o in &args.outputs {
        let text = render(
            o.format,
            &run,
            lang,
            human::Style::plain(),
            false,
            sarif_opts,
        );
        if let Err(e) = std::fs::write(&o.file, text) {
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
fn ci_steps(args: &LintArgs, opts: &LintOptions, run: &mut Run, lang: Lang) -> Result<(), String> {
    if let Some(file) = &args.write_baseline {
        let b = baseline::write(run, file)
            .map_err(|e| baseline::io_error(lang, file, true, &e.to_string()))?;
        if args.baseline.is_none() {
            baseline::apply(run, &b, &display(file), &args.rules, &args.skip);
        }
    }
    if let Some(file) = &args.baseline {
        let text = std::fs::read_to_string(file)
            .map_err(|e| baseline::io_error(lang, file, false, &e.to_string()))?;
        let b = Baseline::parse(&text).map_err(|e| baseline::io_error(lang, file, false, &e))?;
        baseline::apply(run, &b, &display(file), &args.rules, &args.skip);
    }
    if let Some(reference) = &args.changed_since {
        let ch = changed::changed_files(&run.root, reference).map_err(|e| e.message(lang))?;
        let base = changed::lint_base(run, &ch, opts).map_err(|e| e.message(lang))?;
        changed::filter(run, &base, &ch);
        if !args.quiet {
            let short = ch.base.get(..12).unwrap_or(&ch.base);
            eprintln!(
                "kdl: {}",
                match lang {
                    Lang::Sv => format!(
                        "--changed-since {reference} (merge-base {short}): {} ändrade filer",
                        ch.files.len()
                    ),
                    Lang::En => format!(
                        "--changed-since {reference} (merge-base {short}): {} changed files",
                        ch.files.len()
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

/// A path as the user gave it, `/`-separated.
fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Renders `run` in `format`.
pub fn render(
    format: Format,
    run: &Run,
    lang: Lang,
    style: human::Style,
    quiet: bool,
    sarif_opts: sarif::Options,
) -> String {
    match format {
        Format::Human => human::render(run, lang, style, quiet),
        Format::Json => json::render(run, lang),
        Format::Sarif => sarif::render(run, lang, sarif_opts),
        Format::Github => github::render(run, lang),
        Format::Gitlab => gitlab::render(run, lang),
        Format::Junit => junit::render(run, lang),
    }
}

/// Writes to stdout; a closed pipe (`kdl lint | head`) is not an error.
pub(crate) fn print(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
