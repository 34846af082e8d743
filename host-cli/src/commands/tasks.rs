//! `orch tasks`

use orch_runtime::model::TaskQuery;

use crate::args::{GlobalArgs, TasksArgs};
use crate::commands::{CliError, Context, task_query};
use crate::render;

pub fn run(global: &GlobalArgs, args: &TasksArgs) -> Result<(), CliError> {
    let ctx = Context::new(global)?;
    let query =
        TaskQuery { states: args.state.clone(), offset: args.offset, limit: args.limit, ..task_query(&args.filter) };
    let mut stream = ctx.runtime.task_stream(&ctx.data_dir, &query, ctx.now, ctx.read)?;
    render::skipped::warn(&stream.skipped);
    let total = stream.total;
    render::output_stream(ctx.format, &mut stream, |tasks| render::table::tasks(tasks, args.offset, total))
}
