//! The plugin in the real Nushell (`$ORCH_NU`, the pinned 0.115.1): what a
//! user gets after `plugin add` and `plugin use` (`orch_tests::nu::Nu`).

use std::path::Path;
use std::process::Command;

use orch_tests::nu::{Nu, quote};
use orch_tests::{assert_contains, data_dir, example_data, orch, stdout, task_json, workspace};

fn examples() -> String {
    quote(&example_data())
}

/// `orch COMMAND --data-dir examples/data ARGS... --format json`, parsed.
fn cli_json(command: &str, args: &[&str]) -> serde_json::Value {
    let output =
        orch().args([command, "--data-dir"]).arg(example_data()).args(args).args(["--format", "json"]).output();
    serde_json::from_str(&stdout(&output.unwrap())).unwrap()
}

/// Command-line arguments as a user types them to nu: flag names and
/// numbers as they are, text quoted.
fn as_typed(args: &[&str]) -> String {
    let typed: Vec<String> = args
        .iter()
        .map(|a| if a.starts_with("--") || a.parse::<i64>().is_ok() { a.to_string() } else { format!("'{a}'") })
        .collect();
    typed.join(" ")
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn help_lists_the_commands_in_their_category() {
    let nu = Nu::new();
    let names = nu.ok("help commands | where category == orchestrator | get name | sort | to json -r");
    assert_eq!(
        names,
        r#"["orch","orch show","orch stats","orch status","orch tasks","orch validate","orch watch","orch workflows"]"#
    );

    let group = nu.ok("orch");
    assert!(group.contains("orch status") && group.contains("orch tasks"), "{group}");

    let help = nu.ok("help orch tasks");
    for flag in [
        "--status",
        "--min-priority",
        "--max-priority",
        "--from",
        "--to",
        "--workflow",
        "--limit",
        "--offset",
        "--data-dir",
        "--skip-invalid",
        "--max-file-size",
        "--memory-limit",
        "--deadline",
    ] {
        assert!(help.contains(flag), "help orch tasks lacks {flag}:\n{help}");
    }
    assert!(help.contains("orch tasks --status pending --limit 5"), "{help}");
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn columns_are_typed() {
    let nu = Nu::new();
    let dir = examples();
    let task = nu.ok(&format!(
        "orch tasks --data-dir {dir} --status failed --min-priority 6 --max-priority 6 | first | describe"
    ));
    assert_eq!(
        task,
        "record<id: string, name: string, command: string, args: list<string>, dependencies: list<string>, \
         status: string, priority: int, created_at: datetime, started_at: datetime, completed_at: datetime, \
         output: nothing, error: string, workflow: nothing, state: nothing>"
    );

    let status = nu.ok(&format!("orch status --data-dir {dir} | describe"));
    assert_eq!(
        status,
        "record<running: bool, tasks_pending: int, tasks_running: int, tasks_completed: int, tasks_failed: nothing, \
         last_check: datetime, last_check_age: duration, data_dir: string, source: string>"
    );
    // ORCH_NOW is 30 seconds after the last check.
    let age = nu.ok(&format!("(orch status --data-dir {dir}).last_check_age == 30sec"));
    assert_eq!(age, "true");

    let stream = nu.ok(&format!("orch tasks --data-dir {dir} | describe"));
    assert!(stream.starts_with("table<id: string") && stream.ends_with("(stream)"), "{stream}");
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn pipelines_with_where_and_sort_by() {
    let nu = Nu::new();
    let dir = examples();
    assert_eq!(nu.ok(&format!("orch tasks --data-dir {dir} | where priority > 3 | length")), "17");
    assert_eq!(
        nu.ok(&format!(
            "orch tasks --data-dir {dir} | where status == pending | sort-by created_at | get id | to json -r"
        )),
        r#"["task-012","task-001","task-010","task-005","8d116ece-1738-47d9-bd9c-172411e20b8f","task-006","6b0d549b-6f03-475a-9600-a35a099950d8","0cb1e29c-658c-4a14-95e6-0af593bd04cf","6b4cb242-4a23-4596-a217-beaddbc496cb"]"#
    );
    // Dates compare as dates, not text.
    assert_eq!(
        nu.ok(&format!("orch tasks --data-dir {dir} | where created_at < 2025-10-07 | get id | to json -r")),
        r#"["task-011","a170b338-3926-4059-b28c-105d1fb17c23","task-007"]"#
    );
    // Taking the head of the stream ends it early.
    assert_eq!(nu.ok(&format!("orch tasks --data-dir {dir} | first 2 | get priority | to json -r")), "[9,9]");
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn filters_match_the_cli() {
    let nu = Nu::new();
    let dir = example_data();
    let filters: [&[&str]; 4] = [
        &["--status", "pending,running"],
        &["--min-priority", "5", "--max-priority", "8"],
        &["--workflow", "deploy-*", "--from", "2025-10-08"],
        &["--from", "1h", "--offset", "1", "--limit", "3"],
    ];
    for filter in filters {
        let cli = cli_json("tasks", filter);
        let cli_ids: Vec<&str> = cli.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
        let plugin =
            nu.ok(&format!("orch tasks --data-dir {} {} | get id | to json -r", quote(&dir), as_typed(filter)));
        let plugin: Vec<String> = serde_json::from_str(&plugin).unwrap();
        assert_eq!(plugin, cli_ids, "filter {filter:?}");
    }
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn relative_paths_follow_the_session_directory() {
    let nu = Nu::new();
    let elsewhere = tempfile::tempdir().unwrap();
    // The plugin process starts in `elsewhere`; the session then moves.
    let output = nu
        .run_in(elsewhere.path(), &format!("cd {}\norch tasks --data-dir examples/data | length", quote(&workspace())));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "24");

    // $env.ORCHESTRATOR_DATA_DIR, set in the session, relative too.
    let output = nu.run_in(
        elsewhere.path(),
        &format!(
            "cd {}\n$env.ORCHESTRATOR_DATA_DIR = 'data'\n(orch status).data_dir",
            quote(&workspace().join("examples"))
        ),
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), example_data().to_str().unwrap());

    // The default place, under the session's current directory.
    let session = data_dir(&[(
        "provisioning/platform/orchestrator/data/tasks/a.json",
        &task_json("a", "pending", 1, "2025-10-08T10:00:00Z"),
    )]);
    let output = nu.run_in(elsewhere.path(), &format!("cd {}\n(orch tasks).id | to json -r", quote(session.path())));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), r#"["a"]"#);
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn a_missing_data_dir_says_what_was_tried() {
    let nu = Nu::new();
    let shown = nu.err("orch tasks --data-dir does-not-exist");
    assert_contains(
        &shown,
        &[
            "orch::data_dir",
            "data directory not found:",
            "does-not-exist",
            "no such directory",
            "tried, in order: --data-dir = does-not-exist",
            "pass --data-dir DIR or set $env.ORCHESTRATOR_DATA_DIR",
        ],
    );
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn a_bad_task_file_is_named_with_its_position() {
    let nu = Nu::new();
    let dir = data_dir(&[
        ("tasks/good.json", &task_json("good", "pending", 1, "2025-10-08T10:00:00Z")),
        ("tasks/bad.json", "{\n  \"id\": \"bad\",\n  \"priority\": oops\n}\n"),
    ]);
    let shown = nu.err(&format!("orch tasks --data-dir {}", quote(dir.path())));
    assert_contains(&shown, &["orch::file::malformed", "bad.json:3:", "malformed task file", "pass --skip-invalid"]);

    let output = nu.run_in(
        &workspace(),
        &format!("orch tasks --data-dir {} --skip-invalid | get id | to json -r", quote(dir.path())),
    );
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), r#"["good"]"#);
    let warning = String::from_utf8_lossy(&output.stderr);
    assert!(
        warning.contains("warning: orch tasks: skipped 1 invalid file") && warning.contains("bad.json:3:"),
        "{warning}"
    );
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn an_argument_error_points_at_its_flag() {
    let nu = Nu::new();
    let shown = nu.err(&format!("orch tasks --data-dir {} --from yesterday-ish", examples()));
    assert!(shown.contains("orch::argument") && shown.contains("invalid --from:"), "{shown}");
    assert!(shown.contains("--from yesterday-ish"), "{shown}");
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn one_plugin_process_serves_the_session() {
    let nu = Nu::new();
    let dir = examples();
    // A trap (memory) in the middle must not cost the process either.
    let pids = nu.ok(&format!(
        "orch status --data-dir {dir} | ignore
        let first = (plugin list | where name == orchestrator).0.pid
        orch tasks --data-dir {dir} | length | ignore
        let trapped = (try {{ orch tasks --data-dir {dir} --memory-limit 1MiB; 'ran' }} catch {{|e| $e.rendered }})
        let count = (orch tasks --data-dir {dir} | length)
        let last = (plugin list | where name == orchestrator).0.pid
        {{first: $first, last: $last, trapped: $trapped, count: $count}} | to json -r"
    ));
    let pids: serde_json::Value = serde_json::from_str(&pids).unwrap();
    assert!(pids["first"].is_u64(), "the plugin was running: {pids}");
    assert_eq!(pids["first"], pids["last"], "one process for the whole session");
    assert_eq!(pids["count"], 24);
    assert!(pids["trapped"].as_str().unwrap().contains("orch::trap::memory"), "{pids}");
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn stats_are_typed_and_match_the_cli() {
    let nu = Nu::new();
    let stats = nu.ok(&format!(
        "let s = orch stats --data-dir {}; [$s.total ($s.run_times.p95 | describe) ($s.by_day.0.day | describe) $s.oldest_pending.id] | to json -r",
        examples()
    ));
    assert_eq!(stats, r#"[24,"duration","datetime","task-012"]"#);
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn show_finds_a_task_by_a_prefix_of_its_id() {
    let nu = Nu::new();
    let dir = examples();
    assert_eq!(
        nu.ok(&format!("orch show 6b0d --data-dir {dir} | get task.id")),
        "6b0d549b-6f03-475a-9600-a35a099950d8"
    );
    let types = nu.ok(&format!(
        "let d = orch show 9531 --data-dir {dir}; [($d.timings.ran | describe) ($d.queue_entry.enqueued_at | describe) \
         ($d.dependencies | get id)] | to json -r"
    ));
    assert_eq!(
        types,
        r#"["duration","datetime",["d23f0824-128b-4f33-8c5c-7fd0a6a3a450","6513270e-269e-4d37-b2a7-4de452e6b438"]]"#
    );
    let shown = nu.err(&format!("orch show 6b --data-dir {dir}"));
    assert_contains(&shown, &["orch::task::ambiguous", "6b0d549b-6f03-475a-9600-a35a099950d8", "give more of the id"]);
}

/// Keeps adding task files to `dir/tasks` until `stop` is set.
fn keep_adding_tasks(dir: &Path, stop: std::sync::Arc<std::sync::atomic::AtomicBool>) -> std::thread::JoinHandle<()> {
    let tasks = dir.join("tasks");
    std::thread::spawn(move || {
        for n in 0.. {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            let text = task_json(&format!("new-{n}"), "pending", 1, "2025-10-08T12:00:00Z");
            std::fs::write(tasks.join(format!("new-{n}.json")), text).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    })
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn watch_streams_until_ctrl_c() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let nu = Nu::new();
    let dir = data_dir(&[("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z"))]);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = keep_adding_tasks(dir.path(), stop.clone());
    let script = nu.session(&format!(
        "orch watch --data-dir {} | each {{|e| print $'($e.change) ($e.task_id)' }} | ignore",
        quote(dir.path())
    ));
    let mut child =
        nu.command(&workspace()).arg("-c").arg(script).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Events stream while the watch runs.
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("added new-"), "{first}");
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    // Ctrl-C (SIGINT to nu, which tells the plugin) ends the watch: the
    // stream closes and nu exits, reporting the interrupt.
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(rest.iter().all(|line| line.starts_with("added new-")), "{rest:?}");
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    child.wait().unwrap();
    assert!(stderr.contains("Operation interrupted"), "{stderr}");
}

/// `first` takes what it needs and drops the stream. A quiet directory then
/// gives the watch nothing more to send, and the plugin must still end with
/// nu rather than wait for a change that never comes.
#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
#[cfg_attr(not(target_os = "linux"), ignore = "finds the plugin's process in /proc")]
fn watch_ends_with_nu_after_first() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::Stdio;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::{Duration, Instant};

    let nu = Nu::new();
    let dir = data_dir(&[("tasks/a.json", &task_json("a", "pending", 1, "2025-10-08T10:00:00Z"))]);
    let script = nu.session(&format!(
        "let first = (orch watch --data-dir {} | first 1)
        print ($first | get task_id | to json -r)
        print (plugin list | where name == orchestrator).0.pid",
        quote(dir.path())
    ));
    let mut child =
        nu.command(&workspace()).arg("-c").arg(script).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (line_tx, lines) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || stdout.lines().map_while(Result::ok).try_for_each(|line| line_tx.send(line)));
    let deadline = Instant::now() + Duration::from_secs(20);
    fn fail(child: &mut std::process::Child, why: &str) -> ! {
        let _ = child.kill();
        let mut stderr = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
        panic!("{why}; nu's stderr:\n{stderr}");
    }

    // One new task at a time, each given time to be reported: any change
    // after `first` dropped the stream would end the watch by itself and
    // hide what this test is about. A task written before the watch's first
    // snapshot is in it, and reports nothing: the next one does.
    let tasks = dir.path().join("tasks");
    let mut written = 0;
    let first = loop {
        if Instant::now() >= deadline {
            fail(&mut child, "no event within 20 s");
        }
        std::fs::write(
            tasks.join(format!("new-{written}.json")),
            task_json(&format!("new-{written}"), "pending", 1, "2025-10-08T12:00:00Z"),
        )
        .unwrap();
        written += 1;
        match lines.recv_timeout(Duration::from_secs(2)) {
            Ok(line) => break line,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => fail(&mut child, "nu ended before the first event"),
        }
    };
    assert!(first.starts_with(r#"["new-"#) && first.ends_with(r#""]"#), "{first}");
    let Ok(pid) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) else {
        fail(&mut child, "nu printed no plugin pid");
    };
    let pid: u32 = pid.parse().unwrap_or_else(|_| panic!("not a pid: {pid}"));

    // nu ends with its script...
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            fail(&mut child, "nu did not exit after `first 1`");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "nu failed: {status}");

    // ...and the plugin it started follows it.
    let plugin = orch_tests::built_binary("nu_plugin_orchestrator").canonicalize().unwrap();
    // `/proc/<pid>/exe` cannot be read once the process has ended (nor for
    // a zombie), and names another binary if the pid was reused.
    let running = || std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == plugin);
    let gone_by = Instant::now() + Duration::from_secs(10);
    while running() && Instant::now() < gone_by {
        std::thread::sleep(Duration::from_millis(100));
    }
    if running() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
        panic!("the plugin (pid {pid}) was still running 10 s after nu exited");
    }
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn workflows_are_typed_records_with_their_tasks() {
    let nu = Nu::new();
    let dir = examples();
    let names = nu.ok(&format!("orch workflows --data-dir {dir} | get name | to json -r"));
    assert_eq!(
        names,
        r#"["provision-cluster","-","deploy-api","deploy-web","k8s-upgrade","backup-nightly","db-migrate"]"#
    );
    let row =
        nu.ok(&format!("orch workflows --data-dir {dir} --workflow 'provision-*' | first | reject held_by | describe"));
    assert_eq!(
        row,
        "record<name: string, grouped_by: string, total: int, by_status: record<pending: int, running: int, \
         completed: int, failed: int>, blocked: int, progress: float, state: string, started: datetime, \
         elapsed: duration, last_activity: datetime>"
    );
    // Running since 2025-10-07T06:00:02; ORCH_NOW is 2025-10-08T12:00:30.
    let figures = nu.ok(&format!(
        "let w = orch workflows provision-cluster --data-dir {dir}
        [$w.state $w.blocked ($w.elapsed == 30hr + 28sec) ($w.held_by | select id state) \
         ($w.tasks | where state == blocked | get id) ($w.tasks.created_at.0 | describe)] | to json -r"
    ));
    assert_eq!(
        figures,
        r#"["running",1,true,[{"id":"8d116ece-1738-47d9-bd9c-172411e20b8f","state":"blocked"},{"id":"6b4cb242-4a23-4596-a217-beaddbc496cb","state":"waiting"}],["8d116ece-1738-47d9-bd9c-172411e20b8f"],"datetime"]"#
    );
    let failed = nu.ok(&format!("orch workflows --data-dir {dir} --state failed,completed | get name | to json -r"));
    assert_eq!(failed, r#"["db-migrate"]"#);

    // The rows the CLI lists, in its order, with the same figures.
    for filter in [&[][..], &["--state", "running,pending"], &["--workflow", "deploy-*"]] {
        let row = |w: &serde_json::Value| (w["name"].clone(), w["state"].clone(), w["total"].clone());
        let cli: Vec<_> = cli_json("workflows", filter).as_array().unwrap().iter().map(row).collect();
        let plugin = nu.ok(&format!(
            "orch workflows --data-dir {dir} {} | each {{|w| [$w.name $w.state $w.total] }} | to json -r",
            as_typed(filter)
        ));
        let plugin: Vec<(serde_json::Value, serde_json::Value, serde_json::Value)> =
            serde_json::from_str(&plugin).unwrap();
        assert_eq!(plugin, cli, "filter {filter:?}");
    }

    let shown = nu.err(&format!("orch workflows deploy-wbe --data-dir {dir}"));
    assert_contains(&shown, &["orch::workflow::unknown", "no workflow 'deploy-wbe'", "did you mean 'deploy-web'?"]);
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn tasks_by_dependency_state() {
    let nu = Nu::new();
    let dir = examples();
    assert_eq!(
        nu.ok(&format!("orch tasks --data-dir {dir} --state blocked | get id | to json -r")),
        r#"["8d116ece-1738-47d9-bd9c-172411e20b8f"]"#
    );
    assert_eq!(
        nu.ok(&format!("orch tasks --data-dir {dir} --state [waiting blocked] | select id state | to json -r")),
        r#"[{"id":"8d116ece-1738-47d9-bd9c-172411e20b8f","state":"blocked"},{"id":"6b4cb242-4a23-4596-a217-beaddbc496cb","state":"waiting"}]"#
    );
    // Every row has the column: nothing unless pending, so where and
    // group-by work on it.
    let counts = nu.ok(&format!(
        "orch tasks --data-dir {dir} | group-by {{|t| $t.state | default none }} | transpose state tasks \
         | each {{|g| {{state: $g.state, count: ($g.tasks | length)}} }} | sort-by state | to json -r"
    ));
    assert_eq!(
        counts,
        r#"[{"state":"blocked","count":1},{"state":"none","count":15},{"state":"ready","count":7},{"state":"waiting","count":1}]"#
    );
    let shown = nu.err(&format!("orch tasks --data-dir {dir} --state stuck"));
    assert!(shown.contains("orch::argument") && shown.contains("invalid --state: unknown state \"stuck\""), "{shown}");
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn validate_a_directory_of_workflows_and_libraries() {
    let nu = Nu::new();
    let dir = quote(&workspace().join("examples/workflows"));
    let files = nu.ok(&format!(
        "orch validate {dir} | get files | each {{|f| [($f.file | path basename) $f.role $f.valid] }} | to json -r"
    ));
    assert_eq!(
        files,
        r#"[["Nickel-pkg.ncl","manifest",true],["broken.k","workflow",true],["broken.ncl","workflow",false],["deploy.k","workflow",true],["deploy.ncl","workflow",true],["workflow_contracts.ncl","library",true],["workflow_defaults.ncl","library",true]]"#
    );
    let strict = nu.ok(&format!(
        "orch validate --strict {dir} | get files | where not valid | get file | path basename | to json -r"
    ));
    assert_eq!(strict, r#"["broken.k","broken.ncl"]"#);
    let empty = data_dir(&[("notes.txt", "x")]);
    let shown = nu.err(&format!("orch validate {}", quote(empty.path())));
    assert!(shown.contains("orch::usage::empty") && shown.contains("no workflows"), "{shown}");
}
