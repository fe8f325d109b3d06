//! `kdl report [PATH] --year YYYY`: the yearly follow-up (cli.md).
//!
//! Exit codes: 0 when the report was written, whatever it shows (a report
//! is not a gate); 2 when it could not be made (no catalog, broken
//! `kdl.yaml`, unknown `--namnd`, bad dates, git failure, a file that may
//! not be overwritten, a write error).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use clap::{Args, ValueEnum};

use super::{fail, lint_to_publish, parse_date};
use crate::catalog::Index;
use crate::i18n::Lang;
use crate::yearly::{self, git, Baseline, Options};
use crate::LintOptions;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Html,
    Md,
    Json,
    Xlsx,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The catalog directory (default: search upward for kdl.yaml)
    pub path: Option<PathBuf>,
    /// The year followed up; evaluated as of 31 December (default: the year of --as-of)
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=9999), required_unless_present = "as_of")]
    pub year: Option<i32>,
    /// Limit to one nämnd: the systems it owns or uses, their agreements, its behandlingar
    #[arg(long, value_name = "ID")]
    pub namnd: Option<String>,
    /// The diarienummer the report is filed under, shown in the header of
    /// every page and on the first
    #[arg(long, value_name = "DNR")]
    pub reference: Option<String>,
    /// The municipality's logo for the HTML report's header (PNG, JPEG,
    /// GIF or SVG, at most 512 KB), embedded in the file
    #[arg(long, value_name = "FILE")]
    pub logo: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub format: Format,
    /// Output file, written atomically (default: stdout for md and json;
    /// html and xlsx go to stdout only when it is not a terminal)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE even if it is not a previous kdl report
    #[arg(long)]
    pub force: bool,
    /// Evaluation date (YYYY-MM-DD, within --year; default 31 December of the year)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Also compare with the catalog at the last commit on or before 1 January (git)
    #[arg(long)]
    pub compare_git: bool,
}

pub fn run(args: ReportArgs, lang: Lang) -> i32 {
    let sv = lang == Lang::Sv;
    // the year and the report date
    let year = match (args.year, args.as_of) {
        (Some(y), _) => y,
        (None, Some(d)) => d.year(),
        (None, None) => return fail(if sv { "ange --year" } else { "give --year" }),
    };
    let as_of = match args.as_of {
        Some(d) if d.year() != year => {
            return fail(if sv {
                format!("--as-of {d} ligger inte i år {year}")
            } else {
                format!("--as-of {d} is not in the year {year}")
            })
        }
        Some(d) => d,
        None => match yearly::year_end(year) {
            Some(d) => d,
            None => return fail(format!("{year}?")),
        },
    };
    // html and xlsx are not for a terminal
    if args.output.is_none()
        && matches!(args.format, Format::Html | Format::Xlsx)
        && std::io::stdout().is_terminal()
    {
        return fail(if sv {
            "html- och xlsx-rapporter skrivs inte till terminalen: ange -o FIL (eller styr om utdata)"
        } else {
            "html and xlsx reports are not written to a terminal: give -o FILE (or redirect the output)"
        });
    }

    let opts = LintOptions {
        path: args.path.clone(),
        as_of: Some(as_of),
        ..LintOptions::default()
    };
    let run = match lint_to_publish(opts, lang) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = &args.namnd {
        let ix = Index::build(&run.catalog);
        if ix.namnd(n).is_none() {
            let ids: Vec<&str> = ix.namnder.iter().map(|x| x.head.id.v.as_str()).collect();
            let hint = crate::suggest::closest(n, ids.iter().copied())
                .map(|s| {
                    if sv {
                        format!(" – menade du `{s}`?")
                    } else {
                        format!(" – did you mean `{s}`?")
                    }
                })
                .unwrap_or_default();
            let mut known = ids.clone();
            known.sort_unstable();
            return fail(if sv {
                format!("okänd nämnd `{n}`{hint} (kända: {})", known.join(", "))
            } else {
                format!("unknown nämnd `{n}`{hint} (known: {})", known.join(", "))
            });
        }
    }

    let ropts = Options {
        year,
        namnd: args.namnd.clone(),
        lang,
        reference: args
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string),
    };
    let mut report = yearly::build(&run, &ropts);
    if let Some(path) = &args.logo {
        match read_logo(path, sv) {
            Ok(uri) => report.logo = Some(uri),
            Err(e) => return fail(e),
        }
    }
    if args.compare_git {
        let history = match git::year_history(&run.root, year, as_of) {
            Ok(h) => h,
            Err(e) => return fail(e.message(lang)),
        };
        let base_as_of = yearly::year_end(year - 1).unwrap_or(as_of);
        let base_run = match &history.baseline {
            Some(b) => {
                // Only its findings and entities are compared: its parsed
                // trees are freed as it loads.
                let o = LintOptions {
                    as_of: Some(base_as_of),
                    drop_documents: true,
                    ..LintOptions::default()
                };
                match crate::changed::lint_commit(&run.root, &b.commit, &b.prefix, &o) {
                    Ok(r) => r,
                    Err(e) => return fail(e.message(lang)),
                }
            }
            None => None,
        };
        let baseline = history.baseline.as_ref().map(|b| Baseline {
            commit: b.commit.clone(),
            date: b.date.clone(),
            as_of: base_as_of.to_string(),
        });
        yearly::compare(
            &mut report,
            &run,
            base_run.as_ref(),
            baseline,
            history.role_changes,
            &ropts,
        );
    }
    // The report holds all it shows: the catalog (most of the memory at
    // 100,000 systems) is freed before rendering, whose template values
    // and output then reuse that memory instead of adding to it.
    drop(run);
    emit(&args, &report, lang)
}

/// Reads `--logo` into a `data:` URI; the message says why not.
fn read_logo(path: &Path, sv: bool) -> Result<String, String> {
    let limit = u64::try_from(yearly::html::MAX_LOGO_BYTES).unwrap_or(u64::MAX);
    let bytes = crate::load::read::read_head(path, limit + 1)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    yearly::html::logo_data_uri(&bytes).map_err(|e| {
        let what = match (e, sv) {
            (yearly::html::LogoError::TooLarge, true) => "är större än 512 KB",
            (yearly::html::LogoError::TooLarge, false) => "is larger than 512 KB",
            (yearly::html::LogoError::NotAnImage, true) => {
                "är ingen PNG-, JPEG-, GIF- eller SVG-bild"
            }
            (yearly::html::LogoError::NotAnImage, false) => "is not a PNG, JPEG, GIF or SVG image",
        };
        format!("--logo {} {what}", path.display())
    })
}

/// Writes the JSON model, pretty-printed, straight into `w`: at 100k
/// systems the document is some 240 MB, never held as one string.
fn write_json(report: &yearly::Report, w: &mut dyn Write) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, report).map_err(std::io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Writes the JSON report (streamed, see [`write_json`]).
fn emit_json(args: &ReportArgs, report: &yearly::Report, lang: Lang) -> i32 {
    match &args.output {
        None => {
            // a closed pipe is not an error
            let _ = write_json(report, &mut std::io::stdout().lock());
            0
        }
        Some(path) => match write_file(path, &|w| write_json(report, w), args.force, lang) {
            Ok(()) => 0,
            Err(e) => fail(e),
        },
    }
}

/// Renders and writes the report.
fn emit(args: &ReportArgs, report: &yearly::Report, lang: Lang) -> i32 {
    let bytes: Vec<u8> = match args.format {
        Format::Json => return emit_json(args, report, lang),
        Format::Md => match yearly::md::render(report, lang) {
            Ok(s) => s.into_bytes(),
            Err(e) => return fail(format!("{e:#}")),
        },
        Format::Html => match yearly::html::render(report, lang) {
            Ok(s) => s.into_bytes(),
            Err(e) => return fail(format!("{e:#}")),
        },
        Format::Xlsx => match yearly::xlsx::render(report, lang) {
            Ok(b) => b,
            Err(e) => return fail(e.to_string()),
        },
    };
    match &args.output {
        None => {
            let mut out = std::io::stdout().lock();
            // a closed pipe is not an error
            let _ = out.write_all(&bytes);
            let _ = out.flush();
            0
        }
        Some(path) => match write_file(path, &|w| w.write_all(&bytes), args.force, lang) {
            Ok(()) => 0,
            Err(e) => fail(e),
        },
    }
}

/// Whether `head` (the first bytes of a file) begins with the header kdl
/// writes at the top of a report in one of its text formats. Only that
/// exact header counts: the marker anywhere else, or an empty file, does not.
fn has_report_header(head: &[u8]) -> bool {
    let id = yearly::FORMAT_ID;
    let md = format!("<!-- {id} v");
    let json = format!("{{\n  \"format\": \"{id}\",\n");
    let html_meta = format!("\n<meta name=\"generator\" content=\"{id} v");
    if head.starts_with(md.as_bytes()) || head.starts_with(json.as_bytes()) {
        return true;
    }
    // html: the generator line is the sixth line of the document kdl writes.
    head.starts_with(b"<!DOCTYPE html>\n<html lang=\"")
        && head
            .get(..512)
            .unwrap_or(head)
            .windows(html_meta.len())
            .any(|w| w == html_meta.as_bytes())
}

/// Whether `path` holds a report kdl wrote before (any format), so that
/// overwriting it loses nothing. Only a regular file is ever read.
fn is_previous_report(path: &Path) -> bool {
    let Ok(head) = crate::load::read::read_head(path, 8192) else {
        return false;
    };
    if has_report_header(&head) {
        return true;
    }
    // xlsx: a zip whose document properties carry the marker as keywords.
    if head.starts_with(b"PK") {
        let Ok(f) = crate::load::read::open_regular(path) else {
            return false;
        };
        let Ok(mut zip) = zip::ZipArchive::new(f) else {
            return false;
        };
        let Ok(core) = zip.by_name("docProps/core.xml") else {
            return false;
        };
        let mut text = String::new();
        if core.take(1 << 20).read_to_string(&mut text).is_ok() {
            return text.contains(&format!("<cp:keywords>{}</cp:keywords>", yearly::FORMAT_ID));
        }
    }
    false
}

/// Writes atomically: a temporary file beside the target, then a rename.
/// Refuses to replace anything that is not a regular file (a device such as
/// `/dev/null`, a FIFO, a socket, a directory), even with `force`; refuses
/// to replace a regular file that is not a previous report unless `force`.
/// `write` writes the content.
fn write_file(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
    force: bool,
    lang: Lang,
) -> Result<(), String> {
    let sv = lang == Lang::Sv;
    let exists = match crate::load::read::check_output_target(path) {
        Ok(exists) => exists,
        Err(crate::load::read::ReadError::NotRegular { kind }) => {
            return Err(if sv {
                format!(
                    "{} är ingen vanlig fil ({}); rapporten skrivs bara till en vanlig fil",
                    path.display(),
                    crate::messages::kind_sv(kind)
                )
            } else {
                format!(
                    "{} is not a regular file ({kind}); the report is written only to a regular file",
                    path.display()
                )
            });
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    if exists && !force && !is_previous_report(path) {
        return Err(if sv {
            format!(
                "{} finns redan och är ingen tidigare kdl-rapport; skriver inte över den (använd --force)",
                path.display()
            )
        } else {
            format!(
                "{} exists and is not a previous kdl report; not overwriting it (use --force)",
                path.display()
            )
        });
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".kdl-report-")
        .tempfile_in(&dir)
        .map_err(io)?;
    write(tmp.as_file_mut()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o644);
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
