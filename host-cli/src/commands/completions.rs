//! `orch completions SHELL`

use clap_complete::{Generator, generate};

use crate::args::{self, CompletionsArgs, Shell};
use crate::commands::CliError;
use crate::render;

pub fn run(args: &CompletionsArgs) -> Result<(), CliError> {
    let script = match args.shell {
        Shell::Bash => script(clap_complete::Shell::Bash),
        Shell::Zsh => script(clap_complete::Shell::Zsh),
        Shell::Fish => script(clap_complete::Shell::Fish),
        Shell::Elvish => script(clap_complete::Shell::Elvish),
        Shell::Powershell => script(clap_complete::Shell::PowerShell),
        Shell::Nushell => script(clap_complete_nushell::Nushell),
    };
    render::bytes(&script)
}

fn script(shell: impl Generator) -> Vec<u8> {
    let mut out = Vec::new();
    generate(shell, &mut args::command(), "orch", &mut out);
    out
}
