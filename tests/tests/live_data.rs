//! Reads of a queue that another process rewrites meanwhile, as an
//! orchestrator does while someone looks at it. The `live-writer` binary
//! rewrites task files and `status.json` in place (truncate, then two
//! halves), by rename and by deleting and writing anew
//! (`orch_tests::live_queue`), while `orch` (a process per run) and the
//! plugin (one nu session) read it over and over.
//!
//! No run may fail. Every listing holds every task that always exists
//! exactly once (a deleted and recreated one may be missing, never
//! doubled), and every task and status is a version the writer wrote whole.
//!
//! And a file that is malformed and stays so still fails as it always did.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use orch_tests::live_queue::{LiveTask, Rewrite, live_tasks, populate, status_version};
use orch_tests::nu::{Nu, quote};
use orch_tests::{data_dir, orch, task_json, workspace};
use serde_json::Value;

/// The writer stops by itself after this long or this many generations,
/// whatever becomes of the test.
const WRITER_DEADLINE: Duration = Duration::from_secs(20);
const MAX_GENERATIONS: u64 = 100_000;
/// A run of `orch` taking longer hangs: it is killed and counts as failed.
const RUN_LIMIT: Duration = Duration::from_secs(10);
/// The whole nu session, likewise.
const NU_LIMIT: Duration = Duration::from_secs(40);
/// Each round runs seven reads (and, in the first half, every other round a
/// watch, which needs the writer still writing to end): ~145 runs.
const CLI_ROUNDS: usize = 20;
/// Calls of each of `orch tasks` and `orch status` in the nu session.
const NU_ROUNDS: usize = 100;

/// The races take turns. Their writers would share the disk (on ext4 each
/// rewrite in place flushes as the file closes), and each would get half
/// as far.
fn one_race_at_a_time() -> MutexGuard<'static, ()> {
    static RACE: Mutex<()> = Mutex::new(());
    // A race that failed leaves the lock poisoned; the next may still run.
    RACE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Two live data directories: one with `status.json`, one without (its
/// status is derived from the queue).
struct LiveDirs {
    with_status: tempfile::TempDir,
    derived: tempfile::TempDir,
}

impl LiveDirs {
    fn new() -> LiveDirs {
        let dirs = LiveDirs { with_status: tempfile::tempdir().unwrap(), derived: tempfile::tempdir().unwrap() };
        populate(dirs.with_status.path(), true);
        populate(dirs.derived.path(), false);
        dirs
    }
}

/// The `live-writer` process, killed if the test ends before `finish`.
struct Writer {
    child: Child,
    /// Its stdin: closing it tells the writer to stop.
    stdin: Option<ChildStdin>,
}

impl Writer {
    fn start(dirs: &LiveDirs) -> Writer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_live-writer"))
            .arg(WRITER_DEADLINE.as_millis().to_string())
            .arg(MAX_GENERATIONS.to_string())
            .arg("--with-status")
            .arg(dirs.with_status.path())
            .arg("--without-status")
            .arg(dirs.derived.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        Writer { child, stdin }
    }

    /// Stops the writer; how many generations it wrote (all of them whole).
    fn finish(mut self) -> u64 {
        drop(self.stdin.take());
        let status = wait_bounded(&mut self.child, RUN_LIMIT).expect("the writer did not stop");
        assert!(status.success(), "the writer failed: {status}");
        let mut out = String::new();
        self.child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
        out.trim().strip_prefix("generations ").and_then(|n| n.parse().ok()).expect(&out)
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for `child` to exit, for at most `limit`; past it, kills it.
fn wait_bounded(child: &mut Child, limit: Duration) -> Result<std::process::ExitStatus, String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Ok(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {limit:?}: killed"));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// What a finished run printed.
struct Finished {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `cmd` to its end, killing it past `limit` (an error then).
fn run_bounded(cmd: &mut Command, limit: Duration) -> Result<Finished, String> {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // Read both pipes while the child runs, so a full one cannot stall it.
    let stdout = read_to_end(child.stdout.take().unwrap());
    let stderr = read_to_end(child.stderr.take().unwrap());
    let status = wait_bounded(&mut child, limit)?;
    Ok(Finished { code: status.code(), stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() })
}

fn read_to_end(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// What the readers may find: the live queue's tasks by id.
struct Expected {
    tasks: HashMap<String, LiveTask>,
}

impl Expected {
    fn new() -> Expected {
        Expected { tasks: live_tasks().into_iter().map(|t| (t.id.clone(), t)).collect() }
    }

    /// Tasks that exist throughout: all but the deleted and recreated.
    fn always(&self) -> impl Iterator<Item = &LiveTask> {
        self.tasks.values().filter(|t| t.rewrite != Rewrite::Recreated)
    }

    /// How many tasks a listing holds, at least and at most.
    fn count_bounds(&self) -> (u64, u64) {
        (self.always().count() as u64, self.tasks.len() as u64)
    }

    /// How many tasks a derived status counts (those not cancelled), at
    /// least and at most.
    fn counted_bounds(&self) -> (u64, u64) {
        let counted = |t: &&LiveTask| t.counted();
        (self.always().filter(counted).count() as u64, self.tasks.values().filter(counted).count() as u64)
    }

    /// Cancelled tasks: never rewritten, so always exactly this many.
    fn cancelled(&self) -> u64 {
        self.tasks.values().filter(|t| !t.counted()).count() as u64
    }

    /// Checks a listing; the newest generation it holds.
    fn listing(&self, tasks: &[Value]) -> Result<u64, String> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut newest = 0;
        for task in tasks {
            let id = task["id"].as_str().ok_or("a task without an id")?;
            let live = self.tasks.get(id).ok_or_else(|| format!("unknown task {id}"))?;
            let times = seen.entry(id).or_default();
            *times += 1;
            if *times > 1 {
                return Err(format!("{id} listed twice"));
            }
            newest = newest.max(live.generation_in(task)?);
        }
        match self.always().find(|t| !seen.contains_key(t.id.as_str())) {
            Some(missing) => {
                Err(format!("{} ({:?}) missing from a listing of {}", missing.id, missing.rewrite, tasks.len()))
            }
            None => Ok(newest),
        }
    }

    /// Checks `orch stats --format json`.
    fn stats(&self, stats: &Value) -> Result<u64, String> {
        let total = stats["total"].as_u64().ok_or("no total")?;
        let (least, most) = self.count_bounds();
        if !(least..=most).contains(&total) {
            return Err(format!("stats: total {total} outside {least}..={most}"));
        }
        let by_status = stats["by_status"].as_array().ok_or("no by_status")?;
        let counts: u64 = by_status.iter().filter_map(|s| s["count"].as_u64()).sum();
        let cancelled = by_status.iter().find(|s| s["status"] == "cancelled").and_then(|s| s["count"].as_u64());
        if counts != total || cancelled != Some(self.cancelled()) {
            return Err(format!("stats: by_status {by_status:?} for a total of {total}"));
        }
        Ok(0)
    }

    /// Checks `orch workflows --format json`: every task in one row.
    fn workflows(&self, rows: &Value) -> Result<u64, String> {
        let rows = rows.as_array().ok_or("workflows: not a list")?;
        let total: u64 = rows.iter().filter_map(|r| r["total"].as_u64()).sum();
        let (least, most) = self.count_bounds();
        match (least..=most).contains(&total) {
            true => Ok(0),
            false => Err(format!("workflows: {total} tasks in the rows, not {least}..={most}")),
        }
    }

    /// Checks `orch show ID --format json` of a task that always exists.
    fn show(&self, detail: &Value, id: &str) -> Result<u64, String> {
        let task = &detail["task"];
        if task["id"] != id {
            return Err(format!("show {id}: got {}", task["id"]));
        }
        self.tasks.get(id).ok_or_else(|| format!("show: unknown task {id}"))?.generation_in(task)
    }

    /// Checks `orch status --format json` (or the plugin's record). Where
    /// `status.json` is being deleted and written anew, a read may find it
    /// gone and derive the counts instead; that is right too. (Its
    /// versions are no task generation: `Ok(0)`.)
    fn status(&self, report: &Value, has_file: bool) -> Result<u64, String> {
        match report["source"].as_str() {
            Some("status.json") if has_file => status_version(report).map(|_| 0),
            Some("derived") => {
                let fields = ["tasks_pending", "tasks_running", "tasks_completed", "tasks_failed"];
                let counted: u64 = fields.iter().filter_map(|f| report[f].as_u64()).sum();
                let (least, most) = self.counted_bounds();
                match (least..=most).contains(&counted) {
                    true => Ok(0),
                    false => Err(format!("derived status counts {counted} tasks, not {least}..={most}: {report}")),
                }
            }
            _ => Err(format!("status from an unexpected source: {report}")),
        }
    }

    /// Checks the events of `orch watch --once --format jsonl`: tasks that
    /// always exist are never added or removed.
    fn watch_events(&self, jsonl: &str) -> Result<u64, String> {
        let events: Vec<Value> =
            jsonl.lines().map(serde_json::from_str).collect::<Result<_, _>>().map_err(|e| format!("watch: {e}"))?;
        if events.is_empty() {
            return Err("watch --once exited without an event".into());
        }
        for event in &events {
            let id = event["task_id"].as_str().unwrap_or_default();
            let live = self.tasks.get(id).ok_or_else(|| format!("watch: unknown task in {event}"))?;
            let change = event["change"].as_str().unwrap_or_default();
            let fits = match change {
                "added" | "removed" => live.rewrite == Rewrite::Recreated,
                "updated" | "status_changed" => live.rewrite != Rewrite::Never,
                _ => false,
            };
            if !fits {
                return Err(format!("watch: {change} for {id}, rewritten {:?}", live.rewrite));
            }
        }
        Ok(0)
    }
}

/// Runs and their failures, by what ran.
#[derive(Default)]
struct Tally {
    runs: BTreeMap<&'static str, (usize, usize)>,
    failures: Vec<String>,
    /// The newest task generation a read held.
    newest: u64,
}

impl Tally {
    /// `outcome`: the newest task generation the run read (0 for none), or
    /// why the run failed.
    fn record(&mut self, what: &'static str, outcome: Result<u64, String>) {
        let (runs, failed) = self.runs.entry(what).or_default();
        *runs += 1;
        match outcome {
            Ok(generation) => self.newest = self.newest.max(generation),
            Err(why) => {
                *failed += 1;
                self.failures.push(format!("{what}: {why}"));
            }
        }
    }

    /// Asserts that nothing failed, and that the writer ran throughout
    /// enough to have proved something.
    fn assert_clean(&self, generations: u64) {
        let total: usize = self.runs.values().map(|(runs, _)| runs).sum();
        eprintln!("{total} runs against {generations} generations: (runs, failed) {:?}", self.runs);
        let first: Vec<&str> = self.failures.iter().take(12).map(String::as_str).collect();
        assert!(
            self.failures.is_empty(),
            "{} of {total} runs failed ({:?}); the first:\n{}",
            self.failures.len(),
            self.runs,
            first.join("\n")
        );
        assert!(generations > 10, "the writer barely ran ({generations} generations): the race proved nothing");
        assert!(self.newest > 0, "no read saw a rewritten task: the race proved nothing");
        assert!(self.newest <= generations, "read generation {} of {generations}", self.newest);
    }
}

/// `orch ARGS --format json --data-dir DIR`, run and checked by `check`.
fn orch_json(args: &[&str], dir: &Path, check: impl FnOnce(&Value) -> Result<u64, String>) -> Result<u64, String> {
    let run = run_bounded(orch().args(args).args(["--format", "json", "--data-dir"]).arg(dir), RUN_LIMIT)?;
    succeeded(&run)?;
    check(&serde_json::from_str(&run.stdout).map_err(|e| format!("{e} in {}", run.stdout))?)
}

/// `orch watch --once`: the writer's next change ends it.
fn watch_once(dir: &Path, expected: &Expected) -> Result<u64, String> {
    let run = run_bounded(orch().args(["watch", "--once", "--format", "jsonl", "--data-dir"]).arg(dir), RUN_LIMIT)?;
    succeeded(&run)?;
    expected.watch_events(&run.stdout)
}

fn succeeded(run: &Finished) -> Result<(), String> {
    match run.code {
        Some(0) => Ok(()),
        code => Err(format!("exit {code:?}: {}", run.stderr.lines().next().unwrap_or_default())),
    }
}

#[test]
fn cli_reads_of_a_live_queue_never_fail_nor_tear() {
    let _turn = one_race_at_a_time();
    let (dirs, expected) = (LiveDirs::new(), Expected::new());
    let (with, derived) = (dirs.with_status.path(), dirs.derived.path());
    let writer = Writer::start(&dirs);
    let mut tally = Tally::default();
    let listing = |v: &Value| expected.listing(v.as_array().ok_or("not a list")?);
    for round in 0..CLI_ROUNDS {
        tally.record("tasks", orch_json(&["tasks"], with, listing));
        tally.record("tasks (no status.json)", orch_json(&["tasks"], derived, listing));
        tally.record("stats", orch_json(&["stats"], with, |v| expected.stats(v)));
        tally.record("workflows", orch_json(&["workflows"], derived, |v| expected.workflows(v)));
        let shown = expected.always().nth(round % 4).map(|t| t.id.clone()).expect("live tasks");
        tally.record("show", orch_json(&["show", &shown], with, |v| expected.show(v, &shown)));
        tally.record("status", orch_json(&["status"], with, |v| expected.status(v, true)));
        tally.record("status (derived)", orch_json(&["status"], derived, |v| expected.status(v, false)));
        if round % 2 == 0 && round < CLI_ROUNDS / 2 {
            let dir = if round % 4 == 0 { with } else { derived };
            tally.record("watch --once", watch_once(dir, &expected));
        }
    }
    tally.assert_clean(writer.finish());
}

/// One nu session: `orch tasks` and `orch status` in turns on either data
/// directory, each call's outcome a line of JSON. A call that fails is
/// caught, so that the session goes on and every failure is counted.
/// `output` is sent as its length, to keep the lines short.
fn nu_loop(dirs: &LiveDirs) -> String {
    format!(
        "let dirs = [{} {}]
        for i in 0..<{NU_ROUNDS} {{
            let dir = ($dirs | get ($i mod 2))
            let tasks = try {{
                let t = (orch tasks --data-dir $dir | update output {{|t| $t.output | str length }}
                    | select id status priority command name output)
                {{ok: $t}}
            }} catch {{|e| {{error: $e.msg}} }}
            let status = try {{ {{ok: (orch status --data-dir $dir)}} }} catch {{|e| {{error: $e.msg}} }}
            print ({{has_file: ($i mod 2 == 0), tasks: $tasks, status: $status}} | to json -r)
        }}",
        quote(dirs.with_status.path()),
        quote(dirs.derived.path())
    )
}

/// A call's outcome in the nu loop: `{ok: value}` or `{error: message}`.
fn nu_call(outcome: &Value, check: impl FnOnce(&Value) -> Result<u64, String>) -> Result<u64, String> {
    match (&outcome["ok"], &outcome["error"]) {
        (Value::Null, error) => Err(error.as_str().unwrap_or("no outcome").to_string()),
        (value, _) => check(value),
    }
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn plugin_reads_of_a_live_queue_never_fail_nor_tear() {
    let nu = Nu::new();
    let _turn = one_race_at_a_time();
    let (dirs, expected) = (LiveDirs::new(), Expected::new());
    let writer = Writer::start(&dirs);
    let session = run_bounded(nu.command(&workspace()).arg("-c").arg(nu.session(&nu_loop(&dirs))), NU_LIMIT);
    let generations = writer.finish();
    let session = session.unwrap_or_else(|e| panic!("the nu session {e}"));
    assert_eq!(session.code, Some(0), "nu failed: {}", session.stderr);

    let mut tally = Tally::default();
    let lines: Vec<Value> = session.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines.len(), NU_ROUNDS, "{}", session.stderr);
    for line in &lines {
        let has_file = line["has_file"] == true;
        let listing = |v: &Value| expected.listing(v.as_array().ok_or("not a list")?);
        let status = |v: &Value| expected.status(v, has_file);
        let (tasks_call, status_call) = match has_file {
            true => ("orch tasks", "orch status"),
            false => ("orch tasks (no status.json)", "orch status (derived)"),
        };
        tally.record(tasks_call, nu_call(&line["tasks"], listing));
        tally.record(status_call, nu_call(&line["status"], status));
    }
    tally.assert_clean(generations);
}

/// A task as a reader lists it: generation `g` of its file, with the
/// priority of its queue entry in the backend layout.
fn listed(task: &LiveTask, g: u64) -> Value {
    let mut listed: Value = serde_json::from_str(&task.text(g)).unwrap();
    if let Some((_, entry)) = task.queue_entry() {
        listed["priority"] = serde_json::from_str::<Value>(&entry).unwrap()["priority"].clone();
    }
    listed
}

/// The checks refuse what the writer never wrote; else their passing
/// would prove nothing.
#[test]
fn the_checks_refuse_what_the_writer_never_wrote() {
    let expected = Expected::new();
    let tasks = live_tasks();
    let whole: Vec<Value> = tasks.iter().map(|t| listed(t, 0)).collect();
    assert_eq!(expected.listing(&whole), Ok(0));
    let at = |rewrite| tasks.iter().position(|t| t.rewrite == rewrite).unwrap();
    let (in_place, recreated) = (at(Rewrite::InPlace), at(Rewrite::Recreated));

    let mut newer = whole.clone();
    newer[in_place] = listed(&tasks[in_place], 7);
    assert_eq!(expected.listing(&newer), Ok(7));

    let mut without = whole.clone();
    without.remove(recreated);
    assert_eq!(expected.listing(&without), Ok(0), "a recreated task may be missing");
    without.remove(in_place);
    assert!(expected.listing(&without).unwrap_err().contains("missing"));

    let mut doubled = whole.clone();
    doubled.push(whole[recreated].clone());
    assert!(expected.listing(&doubled).unwrap_err().contains("twice"));

    let mut torn = whole.clone();
    torn[in_place]["name"] = "gen-1".into();
    assert!(expected.listing(&torn).unwrap_err().contains("torn"));
    torn[in_place] = listed(&tasks[in_place], 1);
    torn[in_place]["output"] = "x".repeat(10).into();
    assert!(expected.listing(&torn).unwrap_err().contains("torn"));

    let report = serde_json::json!({"source": "status.json", "tasks_pending": 3, "tasks_running": 4});
    assert!(expected.status(&report, true).unwrap_err().contains("torn"));
}

/// A task file that stays malformed, its position on line 3.
const MALFORMED_TASK: &str = "{\n  \"id\": \"bad\",\n  \"status\": pending\n}\n";

/// Sets `path`'s modification time `age` back from now.
fn age_file(path: &Path, age: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

/// A malformed file fails as it always has, whether it was written just
/// now (a writer might still be at it) or an hour ago: exit 1 and the same
/// message, naming the file and the position.
#[test]
fn a_file_that_stays_malformed_fails_as_before_however_recent() {
    for age in [Duration::ZERO, Duration::from_secs(3600)] {
        let dir = data_dir(&[
            ("tasks/good.json", &task_json("good", "pending", 1, "2025-10-08T10:00:00Z")),
            ("tasks/bad.json", MALFORMED_TASK),
        ]);
        let bad = dir.path().join("tasks/bad.json");
        age_file(&bad, age);
        let expected = format!(
            "error: cannot parse bad.json: expected value\n  --> {}:3:13\n  \
             help: pass --skip-invalid to list the other tasks and report this file\n",
            bad.display()
        );
        for args in [&["tasks"][..], &["stats"], &["status"], &["watch", "--once"]] {
            let run = run_bounded(orch().args(args).arg("--data-dir").arg(dir.path()), RUN_LIMIT).unwrap();
            assert_eq!(run.code, Some(1), "{args:?}, {age:?} old: {}", run.stderr);
            assert_eq!(run.stderr, expected, "{args:?}, {age:?} old");
            assert_eq!(run.stdout, "", "{args:?}, {age:?} old");
        }
    }
}

#[test]
fn a_status_file_that_stays_malformed_fails_as_before_however_recent() {
    for age in [Duration::ZERO, Duration::from_secs(3600)] {
        let dir = data_dir(&[("status.json", "{\"running\": yes}")]);
        let path = dir.path().join("status.json");
        age_file(&path, age);
        let run = run_bounded(orch().args(["status", "--data-dir"]).arg(dir.path()), RUN_LIMIT).unwrap();
        assert_eq!(run.code, Some(1), "{age:?} old: {}", run.stderr);
        let expected = format!(
            "error: cannot parse status.json: expected value\n  --> {}:1:13\n  \
             help: pass --skip-invalid to list the other tasks and report this file\n",
            path.display()
        );
        assert_eq!(run.stderr, expected, "{age:?} old");
    }
}
