//! `kdl completions SHELL`: a shell completion script, from the same clap
//! definitions that parse the command line.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{lint::print, Cli};

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  kdl completions bash > ~/.local/share/bash-completion/completions/kdl\n  kdl completions zsh > ~/.zfunc/_kdl\n  kdl completions fish > ~/.config/fish/completions/kdl.fish\n  kdl completions powershell >> $PROFILE"
)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The script for `shell`.
pub fn script(shell: Shell) -> String {
    let mut cmd = Cli::command();
    let mut buf: Vec<u8> = Vec::new();
    clap_complete::generate(shell, &mut cmd, "kdl", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

pub fn run(args: CompletionsArgs) -> i32 {
    print(&script(args.shell));
    0
}
