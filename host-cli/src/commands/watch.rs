//! `orch watch`

use std::sync::Arc;

use jiff::Timestamp;
use orch_runtime::{Session, WatchOptions, Watcher};

use crate::args::{GlobalArgs, WatchArgs};
use crate::commands::{CliError, Context, task_query};
use crate::render;

pub fn run(global: &GlobalArgs, args: &WatchArgs) -> Result<(), CliError> {
    let ctx = Context::new(global)?;
    let data_dir = ctx.data_dir.clone();
    let session = Session::new(Arc::new(ctx.runtime), ctx.data_dir).with_cache(!global.no_cache);
    let options = WatchOptions { read: ctx.read, interval: args.interval, poll: args.poll, ..WatchOptions::default() };
    // A pinned "now" (`ORCH_NOW`) pins the events' times too, for reproducible output.
    let clock: Box<dyn Fn() -> Timestamp + Send> = match global.now {
        Some(now) => Box::new(move || now),
        None => Box::new(Timestamp::now),
    };
    // Ctrl-C ends the process; nothing is left to clean up.
    let watcher = Watcher::start(session, task_query(&args.filter), options, clock, Box::new(|| false))?;
    render::watch::started(&data_dir, watcher.mode());
    for batch in watcher {
        match batch {
            Ok(events) => {
                if !render::watch::events(ctx.format, &events)? || args.once {
                    return Ok(());
                }
            }
            // One failed check does not end a watch; it is reported and the next change retried.
            Err(e) if !args.once => render::error::print(&CliError::Runtime(e)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
