//! The sandbox, property by property, proven from inside the guest with
//! the test-only probe build of the component.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use orch_runtime::model::{FileErrorKind, QueryError, ReadOptions, TaskQuery};
use orch_runtime::probe::Probe;
use orch_runtime::{Error, Limits, RuntimeOptions, TrapKind};
use orch_tests::{cache_dir, data_dir, task_json};

fn probe_with(limits: Limits) -> Probe {
    Probe::new(RuntimeOptions { limits, cache_dir: Some(cache_dir()) }).unwrap()
}

fn probe() -> Probe {
    probe_with(Limits::default())
}

fn now() -> jiff::Timestamp {
    "2025-10-08T12:00:00Z".parse().unwrap()
}

/// Every file under `dir` with its contents and modification time.
fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                files.insert(path.display().to_string(), (std::fs::read(&path).unwrap(), meta.modified().unwrap()));
            }
        }
    }
    files
}

fn sample() -> tempfile::TempDir {
    data_dir(&[
        ("status.json", r#"{"running": true, "tasks_pending": 1, "tasks_running": 0}"#),
        ("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z")),
    ])
}

#[test]
fn the_guest_sees_only_the_data_dir() {
    let dir = sample();
    let probe = probe();
    // Nothing exists outside the one preopen, not even `/`.
    assert!(probe.list_dir(dir.path(), "/").unwrap().is_err());
    assert_eq!(probe.list_dir(dir.path(), "/data").unwrap(), Ok(vec!["status.json".into(), "tasks".into()]));
    assert!(probe.read_file(dir.path(), "/etc/passwd").unwrap().is_err());
    assert!(probe.read_file(dir.path(), "/data/status.json").unwrap().is_ok());
}

#[test]
fn dot_dot_and_absolute_paths_do_not_leave_the_preopen() {
    let outer = tempfile::tempdir().unwrap();
    let data = outer.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(outer.path().join("secret.json"), "{}").unwrap();
    let probe = probe();
    for path in ["/data/../secret.json", "/data/tasks/../../secret.json", "../secret.json", "/secret.json"] {
        let result = probe.read_file(&data, path).unwrap();
        assert!(result.is_err(), "{path} was readable");
    }
    let secret = outer.path().join("secret.json").display().to_string();
    assert!(probe.read_file(&data, &secret).unwrap().is_err());
}

#[test]
fn the_preopen_is_read_only() {
    let dir = sample();
    let before = tree(dir.path());
    let probe = probe();
    for path in ["/data/new.json", "/data/status.json", "/data/tasks/a.json"] {
        let result = probe.write_file(dir.path(), path, "{}").unwrap();
        assert!(result.is_err(), "writing {path} succeeded");
    }
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn no_env_args_or_stdin() {
    // SAFETY: set before any other thread of this test binary reads the environment... the
    // harness runs tests in threads, but none of them reads this variable.
    unsafe { std::env::set_var("ORCH_SECRET_TOKEN", "hunter2") };
    let dir = sample();
    let probe = probe();
    assert_eq!(probe.environment(dir.path()).unwrap(), Vec::<(String, String)>::new());
    assert_eq!(probe.arguments(dir.path()).unwrap(), Vec::<String>::new());
    assert_eq!(probe.read_stdin(dir.path()).unwrap(), Ok(String::new()));
}

#[test]
fn no_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let dir = sample();
    let result = probe().connect(dir.path(), &address).unwrap();
    assert!(result.is_err(), "the guest connected to {address}");
    assert!(listener.accept().is_err(), "the listener saw a connection");
}

#[test]
fn no_clock() {
    let dir = sample();
    assert_eq!(probe().clocks(dir.path()).unwrap(), (0, 0));
}

#[test]
fn guest_stdout_is_discarded_and_stderr_captured() {
    if std::env::var_os("ORCH_PROBE_CHILD").is_some() {
        let dir = sample();
        let stderr = probe().print(dir.path(), "GUEST-STDOUT\n", "GUEST-STDERR\n").unwrap();
        assert_eq!(stderr, "GUEST-STDERR\n");
        return;
    }
    // In a child process, so that the process's real stdout can be checked.
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "guest_stdout_is_discarded_and_stderr_captured", "--nocapture", "--test-threads=1"])
        .env("ORCH_PROBE_CHILD", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1 passed"), "{stdout}");
    assert!(!stdout.contains("GUEST-STDOUT"), "{stdout}");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("GUEST-STDOUT"));
}

#[test]
fn symlinks_out_of_the_data_dir_are_refused_and_named() {
    let outside = data_dir(&[("secret.json", &task_json("secret", "pending", 1, "2025-10-08T10:00:00Z"))]);
    let secret = outside.path().join("secret.json");
    type MakeLink<'a> = Box<dyn Fn(&Path) + 'a>;
    let cases: [(&str, MakeLink); 3] = [
        ("absolute", Box::new(|tasks: &Path| std::os::unix::fs::symlink(&secret, tasks.join("evil.json")).unwrap())),
        (
            "relative",
            Box::new(|tasks: &Path| {
                let rel = Path::new("../../..").join(secret.strip_prefix("/").unwrap());
                std::os::unix::fs::symlink(rel, tasks.join("evil.json")).unwrap()
            }),
        ),
        (
            "chained",
            Box::new(|tasks: &Path| {
                std::os::unix::fs::symlink(&secret, tasks.join(".hop")).unwrap();
                std::os::unix::fs::symlink(".hop", tasks.join("evil.json")).unwrap()
            }),
        ),
    ];
    let probe = probe();
    for (name, make) in cases {
        let dir = data_dir(&[("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z"))]);
        make(&dir.path().join("tasks"));
        let err = probe.runtime().tasks(dir.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err();
        let Error::Guest(QueryError::File(file)) = err else { panic!("{name}: {err:?}") };
        assert_eq!(file.kind, FileErrorKind::Denied, "{name}: {file}");
        assert_eq!(file.path, dir.path().join("tasks/evil.json"), "{name}");
        // --skip-invalid does not skip a sandbox refusal.
        let read = ReadOptions { skip_invalid: true };
        assert!(probe.runtime().tasks(dir.path(), &TaskQuery::default(), now(), read).is_err(), "{name}");
    }
}

#[test]
fn a_symlinked_tasks_dir_leading_outside_is_refused() {
    let outside = data_dir(&[("secret.json", &task_json("secret", "pending", 1, "2025-10-08T10:00:00Z"))]);
    let dir = data_dir(&[]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join("tasks")).unwrap();
    let err = probe().runtime().tasks(dir.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err();
    let Error::Guest(QueryError::File(file)) = err else { panic!("{err:?}") };
    assert_eq!(file.path, dir.path().join("tasks"));
    assert_eq!(file.kind, FileErrorKind::Denied);
}

#[test]
fn a_symlinked_data_dir_is_allowed() {
    let dir = sample();
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("data");
    std::os::unix::fs::symlink(dir.path(), &link).unwrap();
    let page = probe().runtime().tasks(&link, &TaskQuery::default(), now(), ReadOptions::default()).unwrap();
    assert_eq!(page.tasks.len(), 1);
}

#[test]
fn memory_is_capped_and_the_runtime_recovers() {
    let dir = sample();
    let probe = probe_with(Limits { memory_bytes: 64 << 20, ..Limits::default() });
    assert_eq!(probe.allocate(dir.path(), 16 << 20).unwrap(), 16 << 20);
    let err = probe.allocate(dir.path(), 128 << 20).unwrap_err();
    assert!(matches!(err, Error::Trap { kind: TrapKind::Memory(_), .. }), "{err:?}");
    assert_eq!(err.to_string(), "the component needed more than its 64 MiB memory limit and was stopped");
    // A fresh store per call: the trap did not poison the next one.
    assert_eq!(probe.allocate(dir.path(), 1 << 20).unwrap(), 1 << 20);
    assert!(probe.runtime().status(dir.path(), now(), ReadOptions::default()).is_ok());
}

#[test]
fn a_runaway_guest_is_stopped_at_the_deadline_and_the_runtime_recovers() {
    let dir = sample();
    let probe = probe_with(Limits { deadline: Duration::from_millis(300), ..Limits::default() });
    let start = Instant::now();
    let err = probe.spin(dir.path()).unwrap_err();
    let took = start.elapsed();
    assert!(matches!(err, Error::Trap { kind: TrapKind::Deadline(_), .. }), "{err:?}");
    assert!(took >= Duration::from_millis(250), "stopped early: {took:?}");
    assert!(took < Duration::from_secs(5), "stopped late: {took:?}");
    assert!(probe.runtime().status(dir.path(), now(), ReadOptions::default()).is_ok());
}

#[test]
fn a_panic_is_a_clear_error_with_the_guest_stderr() {
    let dir = sample();
    let probe = probe();
    let err = probe.crash(dir.path(), "the probe crashed on purpose").unwrap_err();
    let Error::Trap { kind, stderr, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*kind, TrapKind::Crash);
    assert!(stderr.contains("the probe crashed on purpose"), "{stderr}");
    assert_eq!(probe.list_dir(dir.path(), "/data").unwrap().unwrap().len(), 2);
}

#[test]
fn a_file_larger_than_memory_is_refused_before_it_is_read() {
    let dir = data_dir(&[]);
    std::fs::create_dir(dir.path().join("tasks")).unwrap();
    let file = std::fs::File::create(dir.path().join("tasks/huge.json")).unwrap();
    file.set_len(1 << 30).unwrap(); // sparse: 1 GiB without the disk
    let probe = probe();
    let err = probe.runtime().tasks(dir.path(), &TaskQuery::default(), now(), ReadOptions::default()).unwrap_err();
    let Error::Guest(QueryError::File(f)) = err else { panic!("{err:?}") };
    assert_eq!(f.kind, FileErrorKind::TooLarge);
    assert_eq!(f.path, dir.path().join("tasks/huge.json"));
}

#[test]
fn queries_never_write_to_the_data_dir() {
    let dir = orch_tests::workspace().join("examples/data");
    let before = tree(&dir);
    let probe = probe();
    let runtime = probe.runtime();
    runtime.status(&dir, now(), ReadOptions::default()).unwrap();
    runtime.tasks(&dir, &TaskQuery { limit: Some(3), ..TaskQuery::default() }, now(), ReadOptions::default()).unwrap();
    let status = orch_tests::orch().args(["status", "--data-dir"]).arg(&dir).output().unwrap();
    assert!(status.status.success());
    let tasks = orch_tests::orch().args(["tasks", "--skip-invalid", "--data-dir"]).arg(&dir).output().unwrap();
    assert!(tasks.status.success());
    assert_eq!(tree(&dir), before);
}
