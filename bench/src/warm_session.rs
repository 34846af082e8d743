//! The plugin's warm session without Nushell: `orch_runtime::Session`
//! called in this process, the first call (instance start, cold parse
//! cache) and the median of the calls after it. Set next to the plugin's
//! own times, it shows what the cache saves and what moving the records
//! into Nushell costs on top.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use orch_runtime::model::{ReadOptions, TaskQuery};
use orch_runtime::{Runtime, RuntimeOptions, Session};

/// First and median repeat, in milliseconds, of the call `args` name
/// (`status`, `tasks [--status S] [--limit N]`, `stats`; or `validate
/// [--strict] [--edit]`, with `dir` the workflow file, through
/// `Runtime::validate`). With `--edit`, a comment is appended to the file
/// before each call, untimed, so that no call sees the file the last one
/// saw; the file is put back afterwards.
pub fn times(cache_dir: &Path, dir: &Path, args: &[String], runs: usize) -> (f64, f64) {
    let options = RuntimeOptions { cache_dir: Some(cache_dir.to_path_buf()), ..RuntimeOptions::default() };
    let runtime = Arc::new(Runtime::new(options).expect("the runtime starts"));
    if args[0] == "validate" {
        let flag = |name: &str| args[1..].iter().any(|a| a == name);
        let options = orch_runtime::validate::ValidateOptions { strict: flag("--strict"), ..Default::default() };
        let original = std::fs::read_to_string(dir).expect("the workflow is readable");
        let mut edits = 0;
        let edit = || {
            if flag("--edit") {
                edits += 1;
                std::fs::write(dir, format!("{original}# edit {edits}\n")).expect("the workflow is writable");
            }
        };
        let times = first_and_median_after(runs, edit, || drop(runtime.validate(dir, &options).expect("validate")));
        std::fs::write(dir, original).expect("the workflow is writable");
        return times;
    }
    let mut session = Session::new(runtime, dir);
    let query = query(args);
    let now = jiff::Timestamp::now();
    first_and_median(runs, || {
        let read = ReadOptions::default();
        match args[0].as_str() {
            "status" => drop(session.status(now, read).expect("status")),
            "tasks" => drop(session.tasks(&query, now, read).expect("tasks")),
            "stats" => drop(session.stats(&query, now, read).expect("stats")),
            other => panic!("no session call for {other}"),
        }
    })
}

/// The first call's time and the median of the `runs - 1` after it, in ms.
fn first_and_median(runs: usize, call: impl FnMut()) -> (f64, f64) {
    first_and_median_after(runs, || {}, call)
}

/// As `first_and_median`, with `prepare` run before each call, untimed.
fn first_and_median_after(runs: usize, mut prepare: impl FnMut(), mut call: impl FnMut()) -> (f64, f64) {
    let mut timed = || {
        prepare();
        let start = Instant::now();
        call();
        start.elapsed()
    };
    let first = timed();
    let mut repeats: Vec<Duration> = (1..runs.max(2)).map(|_| timed()).collect();
    repeats.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(first), ms(repeats[repeats.len() / 2]))
}

fn query(args: &[String]) -> TaskQuery {
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1));
    TaskQuery {
        statuses: value("--status").into_iter().cloned().collect(),
        limit: value("--limit").map(|n| n.parse().expect("--limit N")),
        ..TaskQuery::default()
    }
}
