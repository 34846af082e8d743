//! `orch workflows`

use orch_runtime::model::WorkflowQuery;

use crate::args::{Format, GlobalArgs, WorkflowsArgs};
use crate::commands::{CliError, Context};
use crate::render;

pub fn run(global: &GlobalArgs, args: &WorkflowsArgs) -> Result<(), CliError> {
    if args.name.is_some() && global.format == Format::Jsonl {
        return Err(CliError::Usage("orch workflows NAME prints one workflow: use --format json, not jsonl".into()));
    }
    let ctx = Context::new(global)?;
    if let Some(name) = &args.name {
        let detail = ctx.runtime.workflow(&ctx.data_dir, name, ctx.now, ctx.read)?;
        render::skipped::warn(&detail.skipped);
        return render::output(ctx.format, &detail, render::workflows::detail);
    }
    let query = WorkflowQuery { name: args.workflow.clone(), states: args.state.clone() };
    let list = ctx.runtime.workflows(&ctx.data_dir, &query, ctx.now, ctx.read)?;
    render::skipped::warn(&list.skipped);
    render::output_list(ctx.format, &list.rows, render::workflows::table)
}
