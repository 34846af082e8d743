//! Reads racing a writer that rewrites the queue, as the orchestrator does
//! while `orch` looks at it. Each file's content encodes its generation
//! twice, at its start (`priority`) and at its end (`name`), so a read that
//! mixed two versions shows up as a disagreement.
//!
//! - Atomic writes (temp file + rename): every read is a consistent snapshot
//!   of each file, and never fails.
//! - In-place writes (truncate + write): a read may catch a file half
//!   written. The guest reads such a file again, with short pauses, until
//!   it is whole (guest/src/queue/live_read.rs), so these never fail either,
//!   and no task is built from a torn file. tests/tests/live_data.rs races
//!   every command and the plugin against a writer process.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

use orch_runtime::model::{FileErrorKind, QueryError, ReadOptions, StatusSource, Task, TaskQuery};
use orch_runtime::{Error, Runtime, RuntimeOptions};
use orch_tests::{cache_dir, data_dir, orch};

const FILES: usize = 8;
const READS: usize = 1_000;
const CLI_READS: usize = 150;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Write {
    /// To `.name.tmp` (a dotfile: the scan ignores it), then renamed over.
    Atomic,
    /// Truncated and rewritten where it stands.
    InPlace,
}

/// Generation `g` of task `i`: sizes vary from 100 bytes to 3 KB so that
/// consecutive versions differ in length, as real rewrites do.
fn task_text(i: usize, g: u64) -> String {
    let pad = "x".repeat(((g as usize * 389) + i * 97) % 3000);
    format!(
        r#"{{"priority": {g}, "id": "t{i}", "status": "pending", "created_at": "2025-10-08T10:00:00Z", "output": "{pad}", "name": "gen-{g}"}}"#
    )
}

fn status_text(g: u64) -> String {
    format!(r#"{{"tasks_pending": {g}, "running": true, "last_check": "2025-10-08T10:00:00Z", "tasks_running": {g}}}"#)
}

fn write_file(path: &Path, text: &str, how: Write) {
    match how {
        Write::InPlace => std::fs::write(path, text).unwrap(),
        Write::Atomic => {
            let tmp = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_str().unwrap()));
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, path).unwrap();
        }
    }
}

/// Rewrites every file, generation after generation, until told to stop.
struct Writer {
    stop: Arc<AtomicBool>,
    generations: Arc<AtomicU64>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Writer {
    fn start(dir: PathBuf, how: Write) -> Writer {
        let stop = Arc::new(AtomicBool::new(false));
        let generations = Arc::new(AtomicU64::new(0));
        let (flag, count) = (stop.clone(), generations.clone());
        let handle = thread::spawn(move || {
            let mut g = 1;
            while !flag.load(Ordering::Relaxed) {
                for i in 0..FILES {
                    write_file(&dir.join(format!("tasks/t{i}.json")), &task_text(i, g), how);
                }
                write_file(&dir.join("status.json"), &status_text(g), how);
                count.store(g, Ordering::Relaxed);
                g += 1;
            }
        });
        Writer { stop, generations, handle: Some(handle) }
    }

    /// Stops the writer; how many generations it wrote.
    fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.take().unwrap().join().expect("the writer panicked");
        self.generations.load(Ordering::Relaxed)
    }
}

fn initial_dir() -> tempfile::TempDir {
    let dir = data_dir(&[("status.json", &status_text(0))]);
    std::fs::create_dir(dir.path().join("tasks")).unwrap();
    for i in 0..FILES {
        write_file(&dir.path().join(format!("tasks/t{i}.json")), &task_text(i, 0), Write::Atomic);
    }
    dir
}

/// The generation a task carries, checked in both places.
fn consistent_generation(t: &Task) -> u64 {
    let g = t.priority as u64;
    assert_eq!(
        t.name.as_deref(),
        Some(format!("gen-{g}").as_str()),
        "torn task {}: priority {g}, name {:?}",
        t.id,
        t.name
    );
    assert_eq!(
        t.output.as_ref().unwrap().len(),
        ((g as usize * 389) + t.id[1..].parse::<usize>().unwrap() * 97) % 3000
    );
    g
}

#[derive(Default, Debug)]
struct Tally {
    consistent: usize,
    malformed: usize,
}

/// One in-process read of tasks and of status; panics on anything but a
/// consistent answer or (in-place only) a malformed file named by its path.
fn read_once(rt: &Runtime, dir: &Path, how: Write, tally: &mut Tally) {
    let now = "2025-10-08T12:00:00Z".parse().unwrap();
    let accept_error = |e: Error, tally: &mut Tally| match e {
        Error::Guest(QueryError::File(f)) if how == Write::InPlace && f.kind == FileErrorKind::Malformed => {
            let name = f.path.strip_prefix(dir).unwrap().to_str().unwrap().to_string();
            assert!(name == "status.json" || (name.starts_with("tasks/t") && name.ends_with(".json")), "{f}");
            eprintln!("a read failed: {f}");
            tally.malformed += 1;
        }
        other => panic!("{how:?} writes: {other}"),
    };
    match rt.tasks(dir, &TaskQuery::default(), now, ReadOptions::default()) {
        Ok(page) => {
            assert_eq!(page.total as usize, FILES);
            page.tasks.iter().for_each(|t| {
                consistent_generation(t);
            });
            tally.consistent += 1;
        }
        Err(e) => accept_error(e, tally),
    }
    match rt.status(dir, now, ReadOptions::default()) {
        Ok(report) => {
            assert_eq!(report.source, StatusSource::StatusFile);
            assert_eq!(report.tasks_pending, report.tasks_running, "torn status.json");
            tally.consistent += 1;
        }
        Err(e) => accept_error(e, tally),
    }
}

fn race_in_process(how: Write) -> (Tally, u64) {
    let dir = initial_dir();
    let rt = Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap();
    let writer = Writer::start(dir.path().to_path_buf(), how);
    let mut tally = Tally::default();
    for _ in 0..READS {
        read_once(&rt, dir.path(), how, &mut tally);
    }
    let generations = writer.finish();
    eprintln!("{how:?}: {READS} tasks+status reads against {generations} generations: {tally:?}");
    assert!(generations > 10, "the writer barely ran ({generations} generations): the race proved nothing");
    (tally, generations)
}

#[test]
fn atomic_rewrites_always_read_as_consistent_snapshots() {
    let (tally, _) = race_in_process(Write::Atomic);
    assert_eq!(tally.consistent, 2 * READS);
}

#[test]
fn in_place_rewrites_read_as_consistent_tasks() {
    let (tally, _) = race_in_process(Write::InPlace);
    assert_eq!(tally.consistent, 2 * READS, "{tally:?}");
}

/// The same race through the CLI, a process per read.
fn race_cli(how: Write) -> (usize, usize) {
    let dir = initial_dir();
    let writer = Writer::start(dir.path().to_path_buf(), how);
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..CLI_READS {
        let out = orch().args(["tasks", "--format", "json", "--data-dir"]).arg(dir.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            let tasks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let tasks = tasks.as_array().unwrap();
            assert_eq!(tasks.len(), FILES);
            for t in tasks {
                let g = t["priority"].as_i64().unwrap();
                assert_eq!(t["name"], format!("gen-{g}"), "torn task through the CLI: {t}");
            }
            ok += 1;
        } else {
            assert_eq!(how, Write::InPlace, "atomic writes made the CLI fail: {stderr}");
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            assert!(stderr.starts_with("error: cannot parse t") && stderr.contains(".json"), "{stderr}");
            refused += 1;
        }
    }
    let generations = writer.finish();
    eprintln!("{how:?} via CLI: {CLI_READS} runs against {generations} generations: {ok} ok, {refused} malformed");
    (ok, refused)
}

#[test]
fn the_cli_reads_atomic_rewrites_consistently() {
    let (ok, _) = race_cli(Write::Atomic);
    assert_eq!(ok, CLI_READS);
}

#[test]
fn the_cli_reads_in_place_rewrites_consistently() {
    let (ok, refused) = race_cli(Write::InPlace);
    assert_eq!((ok, refused), (CLI_READS, 0));
}
