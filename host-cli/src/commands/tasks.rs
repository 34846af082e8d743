//! `orch tasks`

use orch_runtime::model::TaskQuery;

use crate::args::{GlobalArgs, TasksArgs};
use crate::commands::{CliError, Context, task_query};
use crate::render;

pub fn run(global: &GlobalArgs, args: &TasksArgs) -> Result<(), CliError> {
    let ctx = Context::new(global)?;
    let query = TaskQuery { offset: args.offset, limit: args.limit, ..task_query(&args.filter) };
    let page = ctx.runtime.tasks(&ctx.data_dir, &query, ctx.now, ctx.read)?;
    render::skipped::warn(&page.skipped);
    render::output_list(ctx.format, &page.tasks, |tasks| render::table::tasks(tasks, args.offset, page.total))
}
