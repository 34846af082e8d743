//! `orch status`

use crate::args::{GlobalArgs, StatusArgs};
use crate::commands::{CliError, Context};
use crate::render;

pub fn run(global: &GlobalArgs, _args: &StatusArgs) -> Result<(), CliError> {
    let ctx = Context::new(global)?;
    let report = ctx.runtime.status(&ctx.data_dir, ctx.now, ctx.read)?;
    render::skipped::warn(&report.skipped);
    render::output(ctx.format, &report, render::table::status)
}
