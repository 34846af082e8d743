//! `orch stats`

use crate::args::{GlobalArgs, StatsArgs};
use crate::commands::{CliError, Context, task_query};
use crate::render;

pub fn run(global: &GlobalArgs, args: &StatsArgs) -> Result<(), CliError> {
    let ctx = Context::new(global)?;
    let stats = ctx.runtime.stats(&ctx.data_dir, &task_query(&args.filter), ctx.now, ctx.read)?;
    render::skipped::warn(&stats.skipped);
    render::output(ctx.format, &stats, render::stats::text)
}
