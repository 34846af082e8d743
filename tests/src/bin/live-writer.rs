//! Rewrites live queues (`orch_tests::live_queue`) generation after
//! generation, the ways an orchestrator may, while the tests read them:
//! in place, by rename, and by deleting and writing anew.
//!
//! Usage: `live-writer DEADLINE_MS MAX_GENERATIONS (--with-status DIR | --without-status DIR)...`
//! (`populate` wrote generation 0 first; `--with-status` rewrites the
//! directory's `status.json` too).
//!
//! It stops by itself after the deadline or the last generation, and as
//! soon as its stdin closes. The test holds the other end of that pipe, so
//! a test that fails, or a test process that dies, stops it as well. It
//! always finishes the generation it is writing, so every file is whole
//! when it exits. On stdout it prints `generations N`.
//!
//! `status.json` is one file where there are many tasks, so it is rewritten
//! more often: after every few task files, each time a new version.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use orch_tests::live_queue::{LiveTask, Rewrite, live_tasks, status_text};

/// Task files written between two rewrites of `status.json`.
const TASKS_PER_STATUS: usize = 8;

struct Target {
    dir: PathBuf,
    with_status: bool,
    /// The last version of `status.json` written.
    status_version: u64,
}

fn main() {
    let (deadline, max_generations, mut targets) = parse_args();
    let deadline = Instant::now() + deadline;
    let stdin_closed = watch_stdin();
    let rewritten: Vec<LiveTask> = live_tasks().into_iter().filter(|t| t.rewrite != Rewrite::Never).collect();
    let mut written = 0;
    for g in 1..=max_generations {
        if stdin_closed.load(Ordering::Relaxed) || Instant::now() >= deadline {
            break;
        }
        for target in &mut targets {
            write_generation(target, &rewritten, g);
        }
        written = g;
    }
    println!("generations {written}");
}

fn parse_args() -> (Duration, u64, Vec<Target>) {
    const USAGE: &str = "usage: live-writer DEADLINE_MS MAX_GENERATIONS (--with-status DIR | --without-status DIR)...";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |at: usize| args.get(at).and_then(|a| a.parse::<u64>().ok()).expect(USAGE);
    let (deadline, max_generations) = (Duration::from_millis(number(0)), number(1));
    let targets: Vec<Target> = args[2..]
        .chunks(2)
        .map(|pair| match pair {
            [flag, dir] if flag == "--with-status" => Target { dir: dir.into(), with_status: true, status_version: 0 },
            [flag, dir] if flag == "--without-status" => {
                Target { dir: dir.into(), with_status: false, status_version: 0 }
            }
            _ => panic!("{USAGE}"),
        })
        .collect();
    assert!(!targets.is_empty(), "{USAGE}");
    (deadline, max_generations, targets)
}

/// A flag set once stdin reaches its end (or fails): the parent closed
/// it, or died.
fn watch_stdin() -> Arc<AtomicBool> {
    let closed = Arc::new(AtomicBool::new(false));
    let flag = closed.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        while matches!(std::io::stdin().read(&mut buf), Ok(n) if n > 0) {}
        flag.store(true, Ordering::Relaxed);
    });
    closed
}

fn write_generation(target: &mut Target, tasks: &[LiveTask], g: u64) {
    for (turn, batch) in tasks.chunks(TASKS_PER_STATUS).enumerate() {
        for (n, task) in batch.iter().enumerate() {
            let turn = g + (turn * TASKS_PER_STATUS + n) as u64;
            rewrite(&target.dir.join(task.path()), &task.text(g), task.rewrite, turn);
        }
        if target.with_status {
            target.status_version += 1;
            let v = target.status_version;
            // In turn in place, renamed, recreated.
            let how = Rewrite::ALL[v as usize % Rewrite::ALL.len()];
            rewrite(&target.dir.join("status.json"), &status_text(v), how, v);
        }
    }
}

/// Replaces `path` by `text` the way `how` says; `turn` varies the pauses.
fn rewrite(path: &Path, text: &str, how: Rewrite, turn: u64) {
    let fail = |e: std::io::Error| panic!("live-writer: {}: {e}", path.display());
    match how {
        Rewrite::InPlace => write_in_halves(path, text.as_bytes(), turn).unwrap_or_else(fail),
        Rewrite::Renamed => {
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, text).unwrap_or_else(fail);
            std::fs::rename(&tmp, path).unwrap_or_else(fail);
        }
        Rewrite::Recreated => {
            std::fs::remove_file(path).unwrap_or_else(fail);
            // Let a reader run into the gap now and then.
            std::thread::yield_now();
            std::fs::write(path, text).unwrap_or_else(fail);
        }
        Rewrite::Never => {}
    }
}

/// Truncates `path` and writes `bytes` in two halves, as a plain write of a
/// large buffer may reach the disk. `File` is unbuffered, so once the first
/// half is written a reader sees the file cut short until the rest follows.
fn write_in_halves(path: &Path, bytes: &[u8], turn: u64) -> std::io::Result<()> {
    let (first, rest) = bytes.split_at(bytes.len() / 2);
    let mut file = File::create(path)?;
    file.write_all(first)?;
    file.flush()?;
    pause(turn);
    file.write_all(rest)
}

/// Mostly just yields; one turn in four waits 1 or 2 ms, widening the
/// window in which a reader finds the file half written.
fn pause(turn: u64) {
    match turn % 8 {
        0 => std::thread::sleep(Duration::from_millis(2)),
        4 => std::thread::sleep(Duration::from_millis(1)),
        _ => std::thread::yield_now(),
    }
}
