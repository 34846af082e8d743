//! `orch show`

use crate::args::{Format, GlobalArgs, ShowArgs};
use crate::commands::{CliError, Context};
use crate::render;

pub fn run(global: &GlobalArgs, args: &ShowArgs) -> Result<(), CliError> {
    if global.format == Format::Jsonl {
        return Err(CliError::Usage("orch show prints one task: use --format json, not jsonl".into()));
    }
    let ctx = Context::new(global)?;
    let detail = ctx.runtime.show(&ctx.data_dir, &args.id, ctx.now, ctx.read)?;
    render::skipped::warn(&detail.skipped);
    render::output(ctx.format, &detail, render::show::text)
}
