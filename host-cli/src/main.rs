//! `orch`: the orchestrator's queue from the shell, read through the
//! sandboxed component. This binary only parses arguments and renders.

mod args;
mod commands;
mod render;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Status(cmd) => commands::status::run(&cli.global, cmd),
        Command::Tasks(cmd) => commands::tasks::run(&cli.global, cmd),
        Command::Stats(cmd) => commands::stats::run(&cli.global, cmd),
        Command::Watch(cmd) => commands::watch::run(&cli.global, cmd),
        Command::Validate(cmd) => commands::validate::run(&cli.global, cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            render::error::print(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
