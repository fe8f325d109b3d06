//! `kdl site [PATH] -o DIR`: the catalog as a static, searchable site
//! (systemkarta / tjänstekatalog), see docs/site.md.
//!
//! Exit codes: 0 when the site was written, whatever findings it shows (a
//! site is not a gate); 2 when it could not be made (no catalog, broken
//! `kdl.yaml`, a directory that may not be written into, a write error).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::{fail, lint_to_publish, parse_date};
use crate::i18n::Lang;
use crate::site::{self, write::WriteError};
use crate::LintOptions;

#[derive(Args, Debug)]
pub struct SiteArgs {
    /// The catalog directory (default: search upward for kdl.yaml)
    pub path: Option<PathBuf>,
    /// The directory to write the site into (created if missing)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// A public site: no person pages, no person's name or id anywhere
    /// (roles are shown without their holder), no finding about a person
    #[arg(long)]
    pub no_persons: bool,
    /// Write into DIR even if it holds files that are not a previous kdl site
    #[arg(long)]
    pub force: bool,
    /// Evaluation date of every date rule (YYYY-MM-DD; default today)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Ignore every `exceptions:` entry (show what would fail without the avsteg)
    #[arg(long)]
    pub no_exceptions: bool,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: SiteArgs, lang: Lang) -> i32 {
    let sv = lang == Lang::Sv;
    let opts = LintOptions {
        path: args.path.clone(),
        as_of: args.as_of,
        no_exceptions: args.no_exceptions,
        ..LintOptions::default()
    };
    let run = match lint_to_publish(opts, lang) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let site = site::build(
        &run,
        &site::Options {
            lang,
            persons: !args.no_persons,
        },
    );
    drop(run);
    let dir = &args.output;
    match site::write::write(&site, dir, args.force) {
        Ok(w) => {
            if !args.quiet {
                let pages = site.pages.len() + 2;
                eprintln!(
                    "{}",
                    if sv {
                        format!(
                            "skrev {} ({} filer, {} byte) till {}",
                            lang.count(pages, "sida", "sidor"),
                            w.files,
                            w.bytes,
                            dir.display()
                        )
                    } else {
                        format!(
                            "wrote {} ({} files, {} bytes) to {}",
                            lang.count(pages, "page", "pages"),
                            w.files,
                            w.bytes,
                            dir.display()
                        )
                    }
                );
            }
            0
        }
        Err(e) => fail(message(&e, sv)),
    }
}

fn message(e: &WriteError, sv: bool) -> String {
    match (e, sv) {
        (WriteError::NotASite(d), true) => format!(
            "{} är inte tom och innehåller ingen tidigare kdl-webbplats; skriver inte dit (använd --force)",
            d.display()
        ),
        (WriteError::NotASite(d), false) => format!(
            "{} is not empty and holds no previous kdl site; not writing there (use --force)",
            d.display()
        ),
        (WriteError::NotADirectory(d), true) => format!("{} är ingen katalog", d.display()),
        (WriteError::NotADirectory(d), false) => format!("{} is not a directory", d.display()),
        (WriteError::NotAFile(p), true) => format!(
            "{} är ingen vanlig fil (en katalog eller länk); skriver inte över den",
            p.display()
        ),
        (WriteError::NotAFile(p), false) => format!(
            "{} is not a regular file (a directory or link); not replacing it",
            p.display()
        ),
        (WriteError::Render(m), _) => m.clone(),
        (WriteError::Io(p, e), _) => format!("{}: {e}", p.display()),
    }
}
