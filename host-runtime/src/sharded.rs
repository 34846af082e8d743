//! `tasks` over one instance per core. The queue is a directory of files,
//! so it splits cleanly: each instance scans its share of the task files
//! (chosen by the component), and the pages are merged here by the
//! component's opaque order keys, so the host never decides the order.
//! A shard that finds the split unsound (a file not named after its task)
//! says so, and the caller scans with one instance instead.

use std::path::Path;

use jiff::Timestamp;

use crate::bindings::exports::provisioning::orchestrator::queue as wit;
use crate::error::Error;
use crate::runtime::Runtime;
use crate::{convert, model};

/// Above this many cores, more instances only add instantiation and merge work.
const MAX_SHARDS: usize = 4;

/// How many instances a scan uses on this machine.
pub(crate) fn shard_count() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_SHARDS) as u32
}

pub(crate) fn tasks(
    runtime: &Runtime,
    dir: &Path,
    query: &model::TaskQuery,
    now: Timestamp,
    read: model::ReadOptions,
    count: u32,
) -> Result<Option<model::TaskPage>, Error> {
    // The page [offset, offset + limit) of the whole queue lies within the
    // first offset + limit tasks of every shard.
    let shard_query =
        model::TaskQuery { offset: 0, limit: query.limit.map(|l| l.saturating_add(query.offset)), ..query.clone() };
    let shard_query = convert::task_query(&shard_query, now);
    let scan = runtime.scan_options(read, None, None);
    let results: Vec<Result<wit::ShardPage, Error>> = std::thread::scope(|scope| {
        let shard_query = &shard_query;
        let handles: Vec<_> = (0..count)
            .map(|index| {
                let scan = scan.clone();
                scope.spawn(move || {
                    let (mut store, instance) = runtime.instantiate(dir)?;
                    instance
                        .provisioning_orchestrator_queue()
                        .call_tasks_shard(&mut store, shard_query, scan, wit::Shard { index, count })
                        .map_err(|e| runtime.trap(e, &store))?
                        .map_err(|e| convert::guest_error(e, dir).into())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::Setup("a scan thread panicked".into()))))
            .collect()
    });
    let mut pages = Vec::with_capacity(results.len());
    for result in results {
        // The lowest shard's error, so that a run reports the same one every time.
        pages.push(result?);
    }
    if pages.iter().any(|page| page.misnamed) {
        return Ok(None);
    }
    Ok(Some(merge(pages, query.offset, query.limit, dir)))
}

/// Merges shard pages, each already in queue order, by order key; then
/// takes the page. The stable sort finds the sorted runs, so this costs
/// about n log(shards).
fn merge(pages: Vec<wit::ShardPage>, offset: u64, limit: Option<u64>, dir: &Path) -> model::TaskPage {
    let total = pages.iter().map(|p| p.total).sum();
    let mut skipped = Vec::new();
    let mut ranked = Vec::new();
    for page in pages {
        skipped.extend(page.skipped.into_iter().map(|e| convert::file_error(e, dir)));
        ranked.extend(page.order_keys.into_iter().zip(page.tasks));
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    skipped.sort_by(|a: &model::FileError, b| a.path.cmp(&b.path));
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let tasks = ranked.into_iter().skip(offset).take(limit).map(|(_, task)| convert::task(task)).collect();
    model::TaskPage { tasks, total, skipped }
}
