//! `orch-bench`: whole-process wall time (median) and peak RSS of `orch`
//! against the native floor, jq, a plain Nushell pipeline and the warm
//! plugin, on generated data. Writes BENCHMARKS.md. Run it through
//! `scripts/bench.sh`, which builds and installs what it needs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use orch_bench::measure::{Sample, measure, measure_alike};

struct Tools {
    orch: PathBuf,
    /// `orch` as built at an earlier commit (`--before`), run in turns with
    /// this build on the queue rows.
    before: Option<PathBuf>,
    native: PathBuf,
    plugin: PathBuf,
    nu: PathBuf,
    jq: PathBuf,
    /// The official `nickel` CLI 1.18, for the Nickel row.
    nickel: PathBuf,
}

/// One row of the table: how each contender did on one case.
struct Row {
    case: String,
    size: usize,
    orch: Sample,
    before: Option<Sample>,
    native: Option<Sample>,
    jq: Option<Sample>,
    nu: Option<Sample>,
    plugin: Option<PluginTimes>,
    /// The same calls on `orch_runtime::Session` in this process.
    session: Option<PluginTimes>,
    /// For `validate`: the session's calls with the file edited before
    /// each, so that none can reuse the last verdict.
    edited: Option<PluginTimes>,
}

/// One row of the graph table: a command of the dependency graph against
/// the queue command nearest it in work, run in turns.
struct GraphRow {
    case: String,
    size: usize,
    orch: Sample,
    baseline_case: String,
    baseline: Sample,
}

/// The graph rows' targets (issue 23): orch ÷ baseline at each of these
/// sizes, and peak RSS at the largest.
const GRAPH_RATIO_SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const GRAPH_RSS_SIZE: usize = 100_000;
const GRAPH_TARGET_RATIO: f64 = 1.1;
const GRAPH_TARGET_RSS_MIB: f64 = 64.0;

/// The plugin inside one `nu` session: its first call (plugin start,
/// component load, a cold parse cache) and the median of the calls after.
#[derive(Clone, Copy)]
struct PluginTimes {
    first_ms: f64,
    repeat_ms: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(WARM_SESSION) {
        return warm_session_child(&args[1..]);
    }
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let runs: usize = flag("--runs").map_or(10, |r| r.parse().expect("--runs N"));
    let sizes: Vec<usize> = flag("--sizes")
        .map_or(vec![10, 1_000, 10_000, 100_000], |s| s.split(',').map(|n| n.parse().unwrap()).collect());
    let out = PathBuf::from(flag("--out").unwrap_or_else(|| "BENCHMARKS.md".into()));
    let root = std::env::current_dir().unwrap();
    let work = root.join("target/bench-data");
    let release = root.join("target/release");
    let tools = Tools {
        orch: release.join("orch"),
        before: flag("--before").map(PathBuf::from),
        native: release.join("orch-native"),
        plugin: release.join("nu_plugin_orchestrator"),
        nu: std::env::var_os("ORCH_NU").map(PathBuf::from).expect("$ORCH_NU: run through scripts/bench.sh"),
        jq: PathBuf::from("jq"),
        nickel: std::env::var_os("ORCH_NICKEL").map(PathBuf::from).expect("$ORCH_NICKEL: run through scripts/bench.sh"),
    };
    let cache = work.join("orch-cache");
    let plugin_config = work.join("plugins.msgpackz");
    std::fs::create_dir_all(&work).unwrap();
    register_plugin(&tools, &plugin_config);

    let mut rows = Vec::new();
    let mut graph_rows = Vec::new();
    for &size in &sizes {
        let dir = work.join(format!("tasks-{size}"));
        // A directory without the marker is from an older generator (no
        // dependencies) or was cut short: written again from scratch.
        if !dir.join(orch_bench::generate::MARKER).exists() {
            eprintln!("generating {size} tasks");
            if dir.exists() {
                std::fs::remove_dir_all(&dir).unwrap();
            }
            orch_bench::generate::data_dir(&dir, size).unwrap();
        }
        for case in cases() {
            eprintln!("{size:>7} {}", case.name);
            let orch_args = case.orch_args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            let queue_command = |orch: &Path| {
                let mut c = Command::new(orch);
                // The default 10 s deadline is wall time; a loaded machine must not fail the run.
                c.args(&orch_args)
                    .arg("--data-dir")
                    .arg(&dir)
                    .args(["--format", "json", "--deadline", "120s"])
                    .env("ORCH_CACHE_DIR", &cache);
                c
            };
            let mut orch_command = || queue_command(&tools.orch);
            let mut before_command = tools.before.as_deref().map(|before| move || queue_command(before));
            let mut native_command = || {
                let mut c = Command::new(&tools.native);
                c.args(&orch_args).arg("--data-dir").arg(&dir);
                c
            };
            let (tools_ref, dir_ref) = (&tools, &dir);
            let mut jq = case.jq.map(|filter| move || jq_command(tools_ref, dir_ref, filter));
            let mut makers: Vec<&mut dyn FnMut() -> Command> = vec![&mut orch_command];
            if let Some(before) = before_command.as_mut() {
                makers.push(before);
            }
            if case.native {
                makers.push(&mut native_command);
            }
            if let Some(jq) = jq.as_mut() {
                makers.push(jq);
            }
            let mut samples = measure_alike(runs, &mut makers).into_iter();
            let orch = samples.next().expect("orch was measured");
            let before = tools.before.as_ref().map(|_| samples.next().expect("the build before was measured"));
            let native = case.native.then(|| samples.next().expect("native was measured"));
            let jq = case.jq.map(|_| samples.next().expect("jq was measured"));
            let nu = case.nu.map(|pipeline| {
                measure(runs, || {
                    let mut c = Command::new(&tools.nu);
                    c.args(["-n", "-c", &pipeline.replace("DIR", &dir.display().to_string())]);
                    c
                })
            });
            let plugin = case.plugin.then(|| plugin_per_call(&tools, &plugin_config, &cache, &dir, &orch_args, runs));
            let session = case.plugin.then(|| warm_session_in_child(&cache, &dir, &orch_args, runs));
            let row =
                Row { case: case.name.to_string(), size, orch, before, native, jq, nu, plugin, session, edited: None };
            rows.push(row);
        }
        graph_rows.extend(graph_rows_for(&tools, &cache, &dir, size, runs));
    }
    // `--strict` evaluates the workflow too (schemas, checks, types).
    for (lines, strict) in [(100, false), (1_000, false), (1_000, true), (10_000, false)] {
        let file = work.join(format!("workflow-{lines}.k"));
        if !file.exists() {
            orch_bench::generate::workflow(&file, lines).unwrap();
        }
        let flags: &[&str] = if strict { &["--strict"] } else { &[] };
        eprintln!("{lines:>7} lines: orch validate {}", flags.join(" "));
        let native = || {
            let mut c = Command::new(&tools.native);
            c.current_dir(&work).args(["validate", &format!("workflow-{lines}.k")]).args(flags);
            c
        };
        let case = format!("orch validate {}({lines} lines)", if strict { "--strict " } else { "" });
        rows.push(validate_row(&tools, &plugin_config, &cache, &file, flags, native, case, runs));
    }
    rows.push(nickel_row(&tools, &plugin_config, &cache, &work, runs));
    let before =
        tools.before.as_ref().map(|_| std::env::var("ORCH_BENCH_BEFORE").unwrap_or_else(|_| "an earlier build".into()));
    std::fs::write(&out, report(&rows, &graph_rows, runs, before.as_deref())).unwrap();
    eprintln!("wrote {}", out.display());
}

/// The graph commands at one size, each in turns with its baseline: `show`
/// (one task and its graph) and `workflows` (every task, grouped) against
/// `stats` (every task, counted), `tasks --state blocked` against
/// `tasks --status pending` (the same tasks, before the graph). Only this
/// build: the build before (`--before`) may not have these commands.
fn graph_rows_for(tools: &Tools, cache: &Path, dir: &Path, size: usize, runs: usize) -> Vec<GraphRow> {
    let show_id = orch_bench::generate::show_id(dir);
    if show_id.is_none() {
        eprintln!("{size:>7} orch show: no pending backend task with dependencies, row left out");
    }
    let show_args = show_id.map(|id| vec!["show".to_string(), id]);
    let owned = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let stats = owned(&["stats"]);
    let pairs = [
        show_args.map(|args| ("orch show ID".to_string(), args, stats.clone())),
        Some(("orch workflows".to_string(), owned(&["workflows"]), stats.clone())),
        Some((
            "orch tasks --state blocked".to_string(),
            owned(&["tasks", "--state", "blocked"]),
            owned(&["tasks", "--status", "pending"]),
        )),
    ];
    let command = |args: &[String]| {
        let mut c = Command::new(&tools.orch);
        c.args(args)
            .arg("--data-dir")
            .arg(dir)
            .args(["--format", "json", "--deadline", "120s"])
            .env("ORCH_CACHE_DIR", cache);
        c
    };
    let mut rows = Vec::new();
    for (case, orch_args, baseline_args) in pairs.into_iter().flatten() {
        eprintln!("{size:>7} {case} vs orch {}", baseline_args.join(" "));
        let mut orch_command = || command(&orch_args);
        let mut baseline_command = || command(&baseline_args);
        let makers: &mut [&mut dyn FnMut() -> Command] = &mut [&mut orch_command, &mut baseline_command];
        let mut samples = measure_alike(runs, makers).into_iter();
        let (orch, baseline) =
            (samples.next().expect("orch was measured"), samples.next().expect("the baseline was measured"));
        let baseline_case = format!("orch {}", baseline_args.join(" "));
        rows.push(GraphRow { case, size, orch, baseline_case, baseline });
    }
    rows
}

/// A realistic three-file Nickel workflow (tests/nickel/bench: contracts,
/// defaults, and a main file of 40 operations), against `nickel export` of
/// the same file, with no sandbox.
fn nickel_row(tools: &Tools, plugin_config: &Path, cache: &Path, work: &Path, runs: usize) -> Row {
    // A copy: the edited session rewrites the workflow.
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/nickel/bench");
    let copy = work.join("nickel");
    std::fs::create_dir_all(&copy).unwrap();
    let mut lines = 0;
    for name in ["bench_contracts.ncl", "bench_defaults.ncl", "bench_workflow.ncl"] {
        let text = std::fs::read_to_string(source.join(name)).unwrap();
        lines += text.lines().count();
        std::fs::write(copy.join(name), text).unwrap();
    }
    let file = copy.join("bench_workflow.ncl");
    eprintln!("{lines:>7} lines: orch validate (Nickel)");
    let native = || {
        let mut c = Command::new(&tools.nickel);
        c.arg("export").arg(&file);
        c
    };
    let case = format!("orch validate (Nickel, 3 files, {lines} lines; native = nickel export)");
    validate_row(tools, plugin_config, cache, &file, &[], native, case, runs)
}

/// `orch validate FILE [FLAGS]` against a native command, in turns, and
/// the warm plugin's repeat.
#[allow(clippy::too_many_arguments)]
fn validate_row(
    tools: &Tools,
    plugin_config: &Path,
    cache: &Path,
    file: &Path,
    flags: &[&str],
    mut native: impl FnMut() -> Command,
    case: String,
    runs: usize,
) -> Row {
    let mut orch_command = || {
        let mut c = Command::new(&tools.orch);
        c.arg("validate").arg(file).args(flags).args(["--format", "json"]).env("ORCH_CACHE_DIR", cache);
        c
    };
    let makers: &mut [&mut dyn FnMut() -> Command] = &mut [&mut orch_command, &mut native];
    let mut samples = measure_alike(runs, makers).into_iter();
    let (orch, native) = (samples.next().expect("orch was measured"), samples.next().expect("native was measured"));
    let plugin = Some(plugin_validate(tools, plugin_config, cache, file, flags, runs));
    let call: Vec<String> = std::iter::once("validate").chain(flags.iter().copied()).map(String::from).collect();
    let session = Some(warm_session_in_child(cache, file, &call, runs));
    let edited_call: Vec<String> = call.iter().cloned().chain(["--edit".to_string()]).collect();
    let edited = Some(warm_session_in_child(cache, file, &edited_call, runs));
    Row { case, size: 0, orch, before: None, native: Some(native), jq: None, nu: None, plugin, session, edited }
}

struct Case {
    name: &'static str,
    orch_args: &'static [&'static str],
    native: bool,
    jq: Option<&'static str>,
    nu: Option<&'static str>,
    plugin: bool,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "orch status",
            orch_args: &["status"],
            native: true,
            jq: Some("."),
            nu: Some("open DIR/status.json | to json | ignore"),
            plugin: true,
        },
        Case {
            name: "orch tasks --status pending --limit 50",
            orch_args: &["tasks", "--status", "pending", "--limit", "50"],
            native: true,
            jq: Some(
                "[.[] | select(.status | ascii_downcase == \"pending\")] | sort_by(-(.priority // 0), .created_at, .id) | .[:50]",
            ),
            nu: Some(
                "glob DIR/**/tasks/*.json | each { open $in | default 0 priority } | where ($it.status | str lowercase) == pending | sort-by -r priority | first 50 | to json | ignore",
            ),
            plugin: true,
        },
        Case {
            name: "orch tasks",
            orch_args: &["tasks"],
            native: true,
            jq: Some("sort_by(-(.priority // 0), .created_at, .id)"),
            nu: Some(
                "glob DIR/**/tasks/*.json | each { open $in | default 0 priority } | sort-by -r priority | to json | ignore",
            ),
            plugin: true,
        },
        Case {
            name: "orch stats",
            orch_args: &["stats"],
            native: true,
            jq: Some(
                "{total: length, by_status: (group_by(.status | ascii_downcase) | map({(.[0].status | ascii_downcase): length}) | add), by_priority: (group_by(.priority // 0) | map({(.[0].priority // 0 | tostring): length}) | add), by_day: (map(select(.created_at != null)) | group_by(.created_at[:10]) | map({(.[0].created_at[:10]): length}) | add)}",
            ),
            nu: Some(
                "glob DIR/**/tasks/*.json | each { open $in | default 0 priority } | group-by { $in.status | str lowercase } | transpose status tasks | each { {status: $in.status, count: ($in.tasks | length)} } | to json | ignore",
            ),
            plugin: true,
        },
    ]
}

/// The hidden first argument that makes this binary time a warm session.
const WARM_SESSION: &str = "--warm-session";

/// Times the warm session in a child process: in this one, its memory
/// would count in the peak RSS of every process started after it (a child
/// starts with its parent's pages, and Linux keeps that peak across exec).
fn warm_session_in_child(cache: &Path, dir: &Path, args: &[String], runs: usize) -> PluginTimes {
    let output = Command::new(std::env::current_exe().expect("this binary's path"))
        .arg(WARM_SESSION)
        .arg(cache)
        .arg(dir)
        .arg(runs.to_string())
        .args(args)
        .output()
        .expect("the warm session child runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let ms: Vec<f64> = text.split_whitespace().map(|n| n.parse().expect("milliseconds")).collect();
    PluginTimes { first_ms: ms[0], repeat_ms: ms[1] }
}

/// `--warm-session CACHE DIR RUNS ARGS...`: prints the first and median repeat ms.
fn warm_session_child(args: &[String]) {
    let runs = args[2].parse().expect("runs");
    let (first, repeat) = orch_bench::warm_session::times(Path::new(&args[0]), Path::new(&args[1]), &args[3..], runs);
    println!("{first} {repeat}");
}

/// jq reads every task file of both layouts; file names go through xargs
/// because 100,000 of them overflow an argument list.
fn jq_command(tools: &Tools, dir: &Path, filter: &str) -> Command {
    let mut c = Command::new("sh");
    let files = if filter == "." {
        format!("cat {}/status.json", dir.display())
    } else {
        format!("find {0}/tasks {0}/queue.rkvs/tasks -name '*.json' -print0 | xargs -0 cat", dir.display())
    };
    c.args(["-c", &format!("{files} | {} -s '{filter}'", tools.jq.display())]);
    c
}

fn register_plugin(tools: &Tools, config: &Path) {
    let status = Command::new(&tools.nu)
        .args(["-n", "-c", &format!("plugin add --plugin-config {} {}", config.display(), tools.plugin.display())])
        .status()
        .unwrap();
    assert!(status.success(), "plugin add failed");
}

/// The median per-call time of the plugin inside one warm `nu` session,
/// after one call that starts the plugin and fills its cache.
fn plugin_per_call(
    tools: &Tools,
    config: &Path,
    cache: &Path,
    dir: &Path,
    args: &[String],
    runs: usize,
) -> PluginTimes {
    plugin_median_ms(tools, config, cache, &format!("orch {} --data-dir {}", args.join(" "), dir.display()), runs)
}

fn plugin_validate(
    tools: &Tools,
    config: &Path,
    cache: &Path,
    file: &Path,
    flags: &[&str],
    runs: usize,
) -> PluginTimes {
    let flags: String = flags.iter().map(|f| format!(" {f}")).collect();
    plugin_median_ms(tools, config, cache, &format!("orch validate {}{flags}", file.display()), runs)
}

fn plugin_median_ms(tools: &Tools, config: &Path, cache: &Path, call: &str, runs: usize) -> PluginTimes {
    let script = format!(
        "plugin use --plugin-config {} orchestrator; \
         let first = (timeit {{ {call} | ignore }}); \
         let times = (1..{runs} | each {{ timeit {{ {call} | ignore }} }}); \
         print $\"($first | into int) ($times | math median | into int)\"",
        config.display()
    );
    let output = Command::new(&tools.nu).args(["-n", "-c", &script]).env("ORCH_CACHE_DIR", cache).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let ns: Vec<f64> = text.split_whitespace().map(|n| n.parse().expect("nanoseconds")).collect();
    PluginTimes { first_ms: ns[0] / 1e6, repeat_ms: ns[1] / 1e6 }
}

fn ms(s: &Sample) -> f64 {
    s.wall.as_secs_f64() * 1e3
}

fn report(rows: &[Row], graph_rows: &[GraphRow], runs: usize, before: Option<&str>) -> String {
    let mut text = String::from("# Benchmarks\n\n");
    let _ = writeln!(
        text,
        "Generated by `scripts/bench.sh` on {} at {} ({}). {}\n",
        today(),
        commit(),
        runs_note(runs),
        machine()
    );
    text.push_str(
        "Whole-process wall time, median after a warm-up run (warm page cache, precompiled component \
         cached), and the largest peak RSS over the runs. `native` is the component's own logic compiled \
         for the host and called in-process (the floor); `jq` is `jq -s` doing the same filter and sort over \
         the same files; `nu` is a plain Nushell pipeline; `plugin first` is the plugin's first call in a \
         `nu` session (plugin start, component load, cold parse cache) and `plugin repeat` the median of the \
         calls after it in the same session. orch, native and jq are run in turns, so that a noisy stretch \
         of the machine's time falls on all three alike; ratios are orch ÷ the other, measured in this one run.",
    );
    match before {
        Some(rev) => {
            let _ = writeln!(
                text,
                " `×before` is this build ÷ `orch` built at {rev}, run in the same turns on the queue rows.\n"
            );
        }
        None => text.push_str("\n\n"),
    }
    text.push_str(
        "| case | tasks | orch ms | orch RSS MiB | ×before | native ms | ×native | jq ms | ×jq | nu ms | plugin first ms | plugin repeat ms | repeat ÷ first |\n",
    );
    text.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for r in rows {
        let opt = |s: &Option<Sample>| s.as_ref().map_or("–".into(), |s| format!("{:.2}", ms(s)));
        let ratio = |s: &Option<Sample>| s.as_ref().map_or("–".into(), |s| format!("{:.2}", ms(&r.orch) / ms(s)));
        let _ = writeln!(
            text,
            "| `{}` | {} | {:.2} | {:.1} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.case,
            if r.size == 0 { "–".to_string() } else { r.size.to_string() },
            ms(&r.orch),
            r.orch.max_rss_kib as f64 / 1024.0,
            ratio(&r.before),
            opt(&r.native),
            ratio(&r.native),
            opt(&r.jq),
            ratio(&r.jq),
            opt(&r.nu),
            r.plugin.map_or("–".into(), |p| format!("{:.2}", p.first_ms)),
            r.plugin.map_or("–".into(), |p| format!("{:.2}", p.repeat_ms)),
            r.plugin.map_or("–".into(), |p| format!("{:.2}", p.repeat_ms / p.first_ms)),
        );
    }
    text.push_str(
        "\nThe plugin's warm session without Nushell: the same calls on `orch_runtime::Session` (for \
         `validate`, `Runtime::validate`) in the benchmark's own process, its first call (instance start, \
         cold parse cache) and the median of the calls after it. `to Nushell` is the plugin's repeat less the session's: the plugin process and \
         moving the records into Nushell, which the cache cannot save. `to Nushell ÷ plugin first` is \
         therefore the least the plugin's `repeat ÷ first` could be if the component's own repeat took \
         no time at all.\n\n",
    );
    text.push_str(
        "| case | tasks | session first ms | session repeat ms | repeat ÷ first | to Nushell ms | to Nushell ÷ plugin first |\n",
    );
    text.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for r in rows {
        let Some(s) = r.session else { continue };
        let transfer = r.plugin.map(|p| (p.repeat_ms - s.repeat_ms, p.first_ms));
        let _ = writeln!(
            text,
            "| `{}` | {} | {:.2} | {:.2} | {:.2} | {} | {} |",
            r.case,
            if r.size == 0 { "–".to_string() } else { r.size.to_string() },
            s.first_ms,
            s.repeat_ms,
            s.repeat_ms / s.first_ms,
            transfer.map_or("–".into(), |(t, _)| format!("{t:.2}")),
            transfer.map_or("–".into(), |(t, first)| format!("{:.2}", t / first)),
        );
    }
    text.push_str(
        "\n`validate` in the warm session once more, with the workflow edited (a comment appended) before \
         each call, untimed: a repeat of an unchanged workflow hands back the last verdict (Nickel's warm \
         engine checks that every file the last check read, and every import's resolution, is unchanged), \
         while an edited one is checked again.\n\n",
    );
    text.push_str("| case | session repeat ms, unchanged | session repeat ms, edited |\n| --- | ---: | ---: |\n");
    for r in rows {
        let (Some(s), Some(e)) = (r.session, r.edited) else { continue };
        let _ = writeln!(text, "| `{}` | {:.2} | {:.2} |", r.case, s.repeat_ms, e.repeat_ms);
    }
    graph_report(&mut text, graph_rows);
    text.push_str(&orch_bench::targets::section(&graph_targets(graph_rows)));
    text
}

/// Each graph command's ratio at every target size, and its peak RSS at
/// the largest.
fn graph_targets(rows: &[GraphRow]) -> Vec<orch_bench::targets::Target> {
    let mut targets = Vec::new();
    for r in rows.iter().filter(|r| GRAPH_RATIO_SIZES.contains(&r.size)) {
        let ratio = ms(&r.orch) / ms(&r.baseline);
        targets.push(orch_bench::targets::Target {
            what: format!("`{}` ÷ `{}` at {} tasks", r.case, r.baseline_case, thousands(r.size)),
            bound: format!("≤ {GRAPH_TARGET_RATIO:.2}"),
            measured: format!("{ratio:.2}"),
            met: ratio <= GRAPH_TARGET_RATIO,
        });
    }
    for r in rows.iter().filter(|r| r.size == GRAPH_RSS_SIZE) {
        let rss = r.orch.max_rss_kib as f64 / 1024.0;
        targets.push(orch_bench::targets::Target {
            what: format!("`{}` peak RSS at {} tasks", r.case, thousands(r.size)),
            bound: format!("≤ {GRAPH_TARGET_RSS_MIB:.0} MiB"),
            measured: format!("{rss:.1} MiB"),
            met: rss <= GRAPH_TARGET_RSS_MIB,
        });
    }
    targets
}

/// Today's date, UTC.
fn today() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
}

/// The commit this build is from, marked when the tree has changes.
fn commit() -> String {
    let git = |args: &[&str]| {
        Command::new("git").args(args).output().ok().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head =
        git(&["rev-parse", "--short", "HEAD"]).filter(|h| !h.is_empty()).unwrap_or_else(|| "an unknown commit".into());
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    if dirty { format!("commit {head} with changes") } else { format!("commit {head}") }
}

/// The second table: the graph commands against their baselines.
fn graph_report(text: &mut String, rows: &[GraphRow]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        text,
        "\n## Graph commands\n\n\
         The commands that build the dependency graph, each run in turns with the queue command nearest it \
         in work, on the same data (the generated tasks depend on earlier ones, as submitted batches do; \
         `ID` is a pending backend task with dependencies, named whole): `orch show ID` and \
         `orch workflows` against `orch stats`, `orch tasks --state blocked` against \
         `orch tasks --status pending`. The targets are a ratio (orch ÷ baseline) of at most {GRAPH_TARGET_RATIO} \
         at 1,000, 10,000 and 100,000 tasks, and a peak RSS of at most {GRAPH_TARGET_RSS_MIB:.0} MiB at {} tasks; \
         `target` says whether a row at those sizes meets what applies to it (✓) or not (✗).\n",
        thousands(GRAPH_RSS_SIZE)
    );
    text.push_str("| case | tasks | orch ms | baseline case | baseline ms | ratio | orch RSS MiB | target |\n");
    text.push_str("| --- | ---: | ---: | --- | ---: | ---: | ---: | :---: |\n");
    for r in rows {
        let ratio = ms(&r.orch) / ms(&r.baseline);
        let rss = r.orch.max_rss_kib as f64 / 1024.0;
        let ratio_met = ratio <= GRAPH_TARGET_RATIO;
        let rss_met = r.size != GRAPH_RSS_SIZE || rss <= GRAPH_TARGET_RSS_MIB;
        let target = match (GRAPH_RATIO_SIZES.contains(&r.size), ratio_met && rss_met) {
            (false, _) => "–",
            (true, true) => "✓",
            (true, false) => "✗",
        };
        let _ = writeln!(
            text,
            "| `{}` | {} | {:.2} | `{}` | {:.2} | {ratio:.2} | {rss:.1} | {target} |",
            r.case,
            r.size,
            ms(&r.orch),
            r.baseline_case,
            ms(&r.baseline),
        );
    }
}

/// 100000 as `100,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn runs_note(runs: usize) -> String {
    format!(
        "{runs} runs per cell, {} for commands under 50 ms and for the commands run in turns with them, \
         unless that would take one of those over 20 s",
        runs * orch_bench::measure::SHORT_RUN_FACTOR
    )
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap().trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0)))
        .unwrap_or(0);
    format!("Machine: {cpu}, {cores} cores, {:.0} GiB.", mem as f64 / 1024.0 / 1024.0)
}
