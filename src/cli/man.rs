//! `kdl man`: the manual page (roff), generated from the clap definitions.
//! `kdl man` prints `kdl(1)`; `--out DIR` writes it and one page per
//! subcommand (`kdl-lint.1`, …), replacing only pages kdl wrote.

use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory};

use super::{files, lint::print, Cli};
use crate::i18n::Lang;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  kdl man | man -l -\n  kdl man --out /usr/local/share/man/man1"
)]
pub struct ManArgs {
    /// Write kdl.1 and a page per subcommand (kdl-lint.1, …) into DIR instead of printing kdl.1
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Every page: (file name, roff), the top-level page first.
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    collect(&cmd, &mut out);
    out
}

fn collect(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
    let man = clap_mangen::Man::new(cmd.clone()).manual("kdl");
    let mut buf = Vec::new();
    if man.render(&mut buf).is_ok() {
        out.push((man.get_filename(), buf));
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, out);
    }
}

/// A man page kdl wrote: its title line names a kdl command. Only a
/// regular file is read (a FIFO or device there is refused, never opened
/// for writing), and only its first 64 KiB.
fn written_by_kdl(path: &Path) -> bool {
    let head = crate::load::read::read_head(path, 64 * 1024);
    head.is_ok_and(|t| {
        let t = String::from_utf8_lossy(&t);
        t.lines()
            .take(5)
            .any(|l| l.starts_with(".TH kdl ") || l.starts_with(".TH kdl-"))
    })
}

pub fn run(args: ManArgs, lang: Lang) -> i32 {
    let pages = pages();
    let Some(dir) = args.out else {
        let Some((_, top)) = pages.first() else {
            return 2;
        };
        print(&String::from_utf8_lossy(top));
        return 0;
    };
    let sv = lang == Lang::Sv;
    for (name, _) in &pages {
        let path = dir.join(name);
        if path.exists() && !written_by_kdl(&path) {
            eprintln!(
                "kdl: {}",
                if sv {
                    format!(
                        "vägrar skriva över {}: filen är ingen manualsida från kdl",
                        path.display()
                    )
                } else {
                    format!(
                        "refusing to overwrite {}: not a man page kdl wrote",
                        path.display()
                    )
                }
            );
            return 2;
        }
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("kdl: {}: {e}", dir.display());
        return 2;
    }
    let mut out = String::new();
    for (name, roff) in &pages {
        let path = dir.join(name);
        if let Err(e) = files::replace(&path, roff) {
            eprintln!("kdl: {}: {e}", path.display());
            return 2;
        }
        out.push_str(&format!(
            "{} {}\n",
            if sv { "skrev" } else { "wrote" },
            path.display()
        ));
    }
    print(&out);
    0
}
