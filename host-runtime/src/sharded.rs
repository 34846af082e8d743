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

/// Merges shard pages, each already in queue order, by order key, taking
/// only the page asked for. Tasks move from the shards' pages straight into
/// the result: a large page is never held twice over.
fn merge(pages: Vec<wit::ShardPage>, offset: u64, limit: Option<u64>, dir: &Path) -> model::TaskPage {
    let total = pages.iter().map(|p| p.total).sum();
    let available: usize = pages.iter().map(|p| p.tasks.len()).sum();
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let mut skipped = Vec::new();
    let mut heads = Vec::with_capacity(pages.len());
    for page in pages {
        skipped.extend(page.skipped.into_iter().map(|e| convert::file_error(e, dir)));
        heads.push(page.order_keys.into_iter().zip(page.tasks).peekable());
    }
    skipped.sort_by(|a: &model::FileError, b| a.path.cmp(&b.path));
    let mut tasks = Vec::with_capacity(available.saturating_sub(offset).min(limit));
    let mut position = 0;
    while tasks.len() < limit {
        // The first shard wins a tie, as a stable sort of the pages in order would have it.
        let next = heads
            .iter_mut()
            .enumerate()
            .filter_map(|(shard, head)| head.peek().map(|(key, _)| (shard, key)))
            .min_by(|a, b| a.1.cmp(b.1))
            .map(|(shard, _)| shard);
        let Some((_, task)) = next.and_then(|shard| heads[shard].next()) else { break };
        if position >= offset {
            tasks.push(convert::task(task));
        }
        position += 1;
    }
    model::TaskPage { tasks, total, skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(keyed: &[(u8, &str)], total: u64) -> wit::ShardPage {
        let task = |id: &str| wit::Task {
            id: id.to_string(),
            name: None,
            command: None,
            args: None,
            dependencies: None,
            status: "pending".into(),
            priority: 0,
            created_at: None,
            started_at: None,
            completed_at: None,
            output: None,
            error: None,
            workflow: None,
        };
        wit::ShardPage {
            tasks: keyed.iter().map(|(_, id)| task(id)).collect(),
            order_keys: keyed.iter().map(|(key, _)| vec![*key]).collect(),
            total,
            skipped: Vec::new(),
            misnamed: false,
        }
    }

    fn ids(page: &model::TaskPage) -> Vec<&str> {
        page.tasks.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn pages_interleave_by_key_and_the_page_is_cut_after_merging() {
        let pages = || vec![page(&[(1, "a"), (4, "d"), (5, "e")], 7), page(&[(2, "b"), (3, "c"), (9, "z")], 3)];
        let dir = Path::new("/data");
        let all = merge(pages(), 0, None, dir);
        assert_eq!(ids(&all), ["a", "b", "c", "d", "e", "z"]);
        assert_eq!(all.total, 10);
        assert_eq!(ids(&merge(pages(), 2, Some(3), dir)), ["c", "d", "e"]);
        assert_eq!(ids(&merge(pages(), 5, Some(3), dir)), ["z"]);
        assert!(merge(pages(), 9, None, dir).tasks.is_empty());
        assert!(merge(Vec::new(), 0, Some(1), dir).tasks.is_empty());
    }
}
