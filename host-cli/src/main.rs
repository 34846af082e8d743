//! `orch`: the orchestrator's queue from the shell, read through the
//! sandboxed component. This binary only parses arguments and renders.

mod args;
mod commands;
mod render;
mod version;

use std::process::ExitCode;

use clap::FromArgMatches;
use clap::error::ErrorKind;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let mut command = args::command();
    let parsed = command.try_get_matches_from_mut(std::env::args_os()).and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) if e.kind() == ErrorKind::DisplayVersion => {
            return match render::bytes(version::text().as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    render::error::print(&err);
                    ExitCode::from(err.exit_code())
                }
            };
        }
        Err(e) => e.format(&mut command).exit(),
    };
    let result = match &cli.command {
        Command::Status(cmd) => commands::status::run(&cli.global, cmd),
        Command::Tasks(cmd) => commands::tasks::run(&cli.global, cmd),
        Command::Stats(cmd) => commands::stats::run(&cli.global, cmd),
        Command::Show(cmd) => commands::show::run(&cli.global, cmd),
        Command::Workflows(cmd) => commands::workflows::run(&cli.global, cmd),
        Command::Watch(cmd) => commands::watch::run(&cli.global, cmd),
        Command::Validate(cmd) => commands::validate::run(&cli.global, cmd),
        Command::Component(cmd) => commands::component::run(cmd),
        Command::Completions(cmd) => commands::completions::run(cmd),
        Command::Man(cmd) => commands::man::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            render::error::print(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
