//! `kdl lint [PATH]`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::i18n::Lang;
use crate::report::{human, json};
use crate::LintOptions;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
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
}

pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::catalog::parse_date(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// Checks `--rule`/`--skip` patterns name known rules or groups.
fn check_patterns(patterns: &[String], lang: Lang) -> Result<(), String> {
    for p in patterns {
        let known = match p.strip_suffix("/*") {
            Some(g) => crate::check::registry::group_exists(g),
            None => crate::check::registry::find(p).is_some(),
        };
        if !known {
            let hint = crate::check::registry::suggest(p)
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
    if let Err(e) =
        check_patterns(&args.rules, lang).and_then(|()| check_patterns(&args.skip, lang))
    {
        eprintln!("kdl: {e}");
        return 2;
    }
    let opts = LintOptions {
        path: args.path.clone(),
        as_of: args.as_of,
        select: args.rules.clone(),
        skip: args.skip.clone(),
        no_exceptions: args.no_exceptions,
    };
    let run = match crate::lint(&opts) {
        Ok(r) => r,
        Err(f) => {
            eprintln!("kdl: {}", f.message(lang));
            return 2;
        }
    };
    let render_started = std::time::Instant::now();
    let text = match args.format {
        Format::Human => human::render(&run, lang, human::Style::detect(), args.quiet),
        Format::Json => json::render(&run, lang),
    };
    print(&text);
    if args.timings {
        print_timings(&run, render_started.elapsed());
    }
    run.exit_code(args.deny_warnings)
}

/// The stage breakdown, on stderr so it never mixes with a format's output.
fn print_timings(run: &crate::Run, render: std::time::Duration) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let mut total = render;
    for (stage, d) in &run.timings {
        eprintln!("{stage:>12} {:9.1} ms", ms(*d));
        total += *d;
    }
    eprintln!("{:>12} {:9.1} ms", "report", ms(render));
    eprintln!("{:>12} {:9.1} ms", "total", ms(total));
}

/// Writes to stdout; a closed pipe (`kdl lint | head`) is not an error.
pub(crate) fn print(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
