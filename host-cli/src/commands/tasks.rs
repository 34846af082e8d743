//! `orch tasks`

use orch_runtime::model::TaskQuery;

use crate::args::{GlobalArgs, TasksArgs};
use crate::commands::{CliError, Context};
use crate::render;

pub fn run(global: &GlobalArgs, args: &TasksArgs) -> Result<(), CliError> {
    let ctx = Context::new(global)?;
    let f = &args.filter;
    let query = TaskQuery {
        statuses: f.status.clone(),
        min_priority: f.min_priority,
        max_priority: f.max_priority,
        from: f.from.clone(),
        to: f.to.clone(),
        workflow: f.workflow.clone(),
        offset: args.offset,
        limit: args.limit,
    };
    let page = ctx.runtime.tasks(&ctx.data_dir, &query, ctx.now, ctx.read)?;
    render::skipped::warn(&page.skipped);
    render::output_list(ctx.format, &page.tasks, |tasks| render::table::tasks(tasks, args.offset, page.total))
}
