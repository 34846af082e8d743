//! Escape attempts and resource abuse that sandbox.rs does not cover, end
//! to end: hard links, FIFOs, devices, a file larger than memory, JSON
//! nested 100,000 deep, a call that runs past its deadline. Each must end in
//! a clear error (never a hang) and leave the host able to serve the next call.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use orch_runtime::model::{FileErrorKind, QueryError, ReadOptions, TaskQuery};
use orch_runtime::probe::Probe;
use orch_runtime::{Error, Limits, Runtime, RuntimeOptions, TrapKind};
use orch_tests::{assert_contains, cache_dir, data_dir, orch, task_json};

/// Longer than any call should take, shorter than "hung".
const HANG: Duration = Duration::from_secs(30);

fn now() -> jiff::Timestamp {
    "2025-10-08T12:00:00Z".parse().unwrap()
}

fn runtime(limits: Limits) -> Runtime {
    Runtime::new(RuntimeOptions { limits, cache_dir: Some(cache_dir()) }).unwrap()
}

fn good_task() -> String {
    task_json("a", "pending", 1, "2025-10-08T10:00:00Z")
}

/// Runs `cmd`, killing it (and failing the test) if it outlives [`HANG`].
fn run_bounded(mut cmd: Command) -> (Output, Duration) {
    let start = Instant::now();
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).unwrap();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).unwrap();
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{cmd:?} hung: killed after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let took = start.elapsed();
    (Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }, took)
}

fn orch_on(dir: &Path, args: &[&str]) -> (Output, Duration, String) {
    let mut cmd = orch();
    cmd.args(args).arg("--data-dir").arg(dir);
    let (out, took) = run_bounded(cmd);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, took, stderr)
}

/// Runs `orch ARGS --data-dir DIR`, which must fail (exit 1) well within
/// 10 s, saying each of `says` on stderr.
fn fails_promptly(dir: &Path, args: &[&str], says: &[&str]) {
    let (out, took, stderr) = orch_on(dir, args);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_contains(&stderr, says);
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

fn file_error(err: Error) -> orch_runtime::model::FileError {
    match err {
        Error::Guest(QueryError::File(f)) => f,
        other => panic!("expected a file error, got {other:?}"),
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("run id");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn mknod_char(path: &Path, major: u32, minor: u32) {
    let status = Command::new("mknod").arg(path).args(["c", &major.to_string(), &minor.to_string()]).status().unwrap();
    assert!(status.success(), "mknod {} as root", path.display());
}

// ---- escape attempts -------------------------------------------------------

/// A hard link is not an escape route the sandbox can see: it *is* a file
/// in the data dir, indistinguishable from one written there. Whoever can
/// create it could as well have copied the file in. Documented in SECURITY.md.
#[test]
fn a_hard_link_to_a_file_outside_is_read_like_any_other_file() {
    let outside = data_dir(&[("secret.json", &task_json("secret", "pending", 9, "2025-10-08T10:00:00Z"))]);
    let dir = data_dir(&[("tasks/a.json", &good_task())]);
    std::fs::hard_link(outside.path().join("secret.json"), dir.path().join("tasks/linked.json"))
        .expect("hard link within one filesystem (both are temp dirs)");
    let page =
        runtime(Limits::default()).tasks(dir.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    let ids: Vec<_> = page.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["secret", "a"]);
}

#[test]
fn a_fifo_task_file_is_refused_by_name_and_never_opened() {
    let dir = data_dir(&[("tasks/a.json", &good_task())]);
    let fifo = dir.path().join("tasks/pipe.json");
    mkfifo(&fifo);
    // Nobody ever writes to the FIFO: opening it would block forever.
    fails_promptly(dir.path(), &["tasks"], &["not a regular file (a FIFO, socket or device)", fifo.to_str().unwrap()]);

    // A FIFO is a bad file, not a sandbox refusal: --skip-invalid skips it.
    let (out, _, stderr) = orch_on(dir.path(), &["tasks", "--skip-invalid", "--format", "json"]);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("skipped 1 invalid file") && stderr.contains("pipe.json"), "{stderr}");
    let tasks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tasks.as_array().unwrap().len(), 1);
}

/// The race that refusing FIFOs by name leaves open: a task file replaced
/// by a FIFO after the listing. The probe opens a FIFO as the component
/// would after such a swap; the host's `open-at` must not wait for a
/// writer, which never comes.
#[test]
fn a_fifo_opened_after_the_listing_does_not_wait_for_a_writer() {
    let dir = data_dir(&[("tasks/a.json", &good_task())]);
    mkfifo(&dir.path().join("tasks/pipe.json"));
    let data = dir.path().to_path_buf();
    let (send, receive) = std::sync::mpsc::channel();
    // On a thread: a blocked open cannot be interrupted, only left behind.
    std::thread::spawn(move || {
        let probe = Probe::new(RuntimeOptions { limits: Limits::default(), cache_dir: Some(cache_dir()) }).unwrap();
        let _ =
            send.send((probe.read_file(&data, "/data/tasks/pipe.json"), probe.read_file(&data, "/data/tasks/a.json")));
    });
    let (pipe, file) = receive.recv_timeout(HANG).expect("opening the FIFO waited for a writer");
    // Opened at once; the read then fails (WASI reads at an offset, which a
    // pipe refuses) rather than waiting.
    pipe.unwrap().expect_err("a FIFO read as a file");
    // The same open still reads a regular file whole.
    assert_eq!(file.unwrap(), Ok(good_task().len() as u64));
}

#[test]
fn a_symlink_to_a_fifo_inside_the_data_dir_is_refused() {
    let dir = data_dir(&[("tasks/a.json", &good_task())]);
    mkfifo(&dir.path().join("pipe"));
    std::os::unix::fs::symlink("../pipe", dir.path().join("tasks/p.json")).unwrap();
    let err =
        runtime(Limits::default()).tasks(dir.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err();
    let f = file_error(err);
    assert_eq!(f.kind, FileErrorKind::NotAFile, "{f}");
    assert_eq!(f.path, dir.path().join("tasks/p.json"));
}

#[test]
fn a_fifo_status_file_is_refused_and_never_opened() {
    let dir = data_dir(&[("tasks/a.json", &good_task())]);
    mkfifo(&dir.path().join("status.json"));
    fails_promptly(dir.path(), &["status"], &["status.json", "not a regular file"]);
}

#[test]
fn symlinks_to_devices_are_refused() {
    let rt = runtime(Limits::default());
    for device in ["/dev/zero", "/dev/null", "/dev/urandom"] {
        let dir = data_dir(&[("tasks/a.json", &good_task())]);
        std::os::unix::fs::symlink(device, dir.path().join("tasks/dev.json")).unwrap();
        let f = file_error(rt.tasks(dir.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err());
        // An absolute target is outside the preopen: refused before its type matters.
        assert_eq!(f.kind, FileErrorKind::Denied, "{device}: {f}");
        assert_eq!(f.path, dir.path().join("tasks/dev.json"), "{device}");

        let dir = data_dir(&[("tasks/a.json", &good_task())]);
        std::os::unix::fs::symlink(device, dir.path().join("status.json")).unwrap();
        let f = file_error(rt.status(dir.path(), now(), ReadOptions::default()).unwrap_err());
        assert_eq!(f.kind, FileErrorKind::Denied, "status.json -> {device}: {f}");
    }
}

/// Device nodes inside the data dir need root to create. As a task file a
/// device is refused by its directory entry type; as `status.json` (read
/// directly, by name) it is refused before it is opened.
#[test]
fn device_nodes_in_the_data_dir_are_refused() {
    if !is_root() {
        eprintln!("NOTE: not root: mknod is not permitted, so device nodes were not tried (symlinks to devices were)");
        return;
    }
    let rt = runtime(Limits::default());
    let dir = data_dir(&[("tasks/a.json", &good_task())]);
    mknod_char(&dir.path().join("tasks/zero.json"), 1, 5);
    let f = file_error(rt.tasks(dir.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err());
    assert_eq!((f.kind, f.path.clone()), (FileErrorKind::NotAFile, dir.path().join("tasks/zero.json")), "{f}");

    // Through the CLI, bounded: an opened FIFO or device could block a call forever.
    for (name, minor) in [("zero", 5), ("null", 3)] {
        let dir = data_dir(&[]);
        mknod_char(&dir.path().join("status.json"), 1, minor);
        let (out, took, stderr) = orch_on(dir.path(), &["status"]);
        assert_eq!(out.status.code(), Some(1), "status.json as /dev/{name}: {stderr}");
        assert!(stderr.contains("not a regular file") && stderr.contains("status.json"), "/dev/{name}: {stderr}");
        assert!(took < Duration::from_secs(10), "/dev/{name}: took {took:?}");
    }
}

// ---- resource abuse --------------------------------------------------------

/// A data dir whose one task file, `tasks/<name>`, is sparse: `len` bytes
/// of zeros that take no disk.
fn sparse_task(name: &str, len: u64) -> tempfile::TempDir {
    let dir = data_dir(&[]);
    let path = dir.path().join("tasks").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::File::create(path).unwrap().set_len(len).unwrap();
    dir
}

#[test]
fn a_file_larger_than_memory_with_the_size_limit_raised_hits_the_memory_cap() {
    let dir = sparse_task("huge.json", 1 << 30);
    fails_promptly(
        dir.path(),
        &["tasks", "--max-file-size", "2GiB", "--memory-limit", "64MiB"],
        &[
            "the component needed more than its 64 MiB memory limit and was stopped",
            "raise the limit with --memory-limit",
        ],
    );
}

fn deep(field: &str, depth: usize) -> String {
    format!(r#"{{"id": "deep", "status": "pending", "{field}": {}{}}}"#, "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn json_nested_100000_deep_in_a_known_field_is_a_parse_error_naming_the_file() {
    let dir = data_dir(&[("tasks/a.json", &good_task()), ("tasks/deep.json", &deep("args", 100_000))]);
    // `args` holds strings: the second `[` is already the wrong type, so the
    // parse stops at depth 2 instead of recursing 100,000 levels.
    let place = format!("{}:1:45", dir.path().join("tasks/deep.json").display());
    fails_promptly(
        dir.path(),
        &["tasks"],
        &["cannot parse deep.json", "invalid type: sequence, expected a string", &place],
    );
}

#[test]
fn json_nested_100000_deep_in_an_unknown_field_is_skipped_inside_the_component() {
    // serde skips an unknown field without recursing: the component's small
    // stack is never at risk, and the task is valid.
    let dir = data_dir(&[("tasks/deep.json", &deep("extra", 100_000))]);
    let (out, _, stderr) = orch_on(dir.path(), &["tasks", "--format", "json"]);
    assert!(out.status.success(), "{stderr}");
    let tasks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tasks[0]["id"], "deep");
}

#[test]
fn a_call_past_its_deadline_is_stopped_with_a_clear_message() {
    // Reading 256 MiB through WASI takes far longer than 10 ms on any machine.
    let dir = sparse_task("slow.json", 256 << 20);
    fails_promptly(
        dir.path(),
        &["tasks", "--max-file-size", "1GiB", "--memory-limit", "1GiB", "--deadline", "10ms"],
        &["the component ran past its 10 ms deadline and was stopped", "raise the limit with --deadline"],
    );
}

/// One runtime takes every abuse in turn, and after each serves a good call:
/// a fault never outlives its call.
#[test]
fn one_runtime_survives_every_abuse_in_turn() {
    let limits = Limits { memory_bytes: 64 << 20, deadline: Duration::from_secs(2), max_file_size: 2 << 30 };
    let rt = runtime(limits);
    let good = data_dir(&[("tasks/a.json", &good_task())]);
    let serve_good = |after: &str| {
        let page = rt.tasks(good.path(), &TaskQuery::default(), now(), ReadOptions::default());
        assert_eq!(page.unwrap_or_else(|e| panic!("after {after}: {e}")).total, 1, "after {after}");
    };

    let huge = sparse_task("huge.json", 1 << 30);
    let err = rt.tasks(huge.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Trap { kind: TrapKind::Memory(_), .. }), "{err:?}");
    serve_good("the memory trap");

    let slow = sparse_task("slow.json", 512 << 20);
    // 50 ms: far more than the good call below needs, far less than reading 512 MiB takes.
    let slow_rt =
        runtime(Limits { memory_bytes: 2 << 30, deadline: Duration::from_millis(50), max_file_size: 1 << 30 });
    let err = slow_rt.tasks(slow.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Trap { kind: TrapKind::Deadline(_), .. }), "{err:?}");
    let page = slow_rt.tasks(good.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    assert_eq!(page.total, 1, "after the deadline trap");

    let nested = data_dir(&[("tasks/deep.json", &deep("dependencies", 100_000))]);
    let f = file_error(rt.tasks(nested.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err());
    assert_eq!(f.kind, FileErrorKind::Malformed);
    serve_good("deep nesting");

    let fifo = data_dir(&[]);
    std::fs::create_dir(fifo.path().join("tasks")).unwrap();
    mkfifo(&fifo.path().join("tasks/pipe.json"));
    let f = file_error(rt.tasks(fifo.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err());
    assert_eq!(f.kind, FileErrorKind::NotAFile);
    serve_good("the FIFO");
}
