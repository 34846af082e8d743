//! The command line. Flags shared by several commands live in flattened
//! groups, so every command spells them the same way.

use std::path::PathBuf;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The headings that `--help` groups the flags under.
const FILTERS: &str = "Filters";
const OUTPUT: &str = "Output";
const DATA: &str = "Data";
const LIMITS: &str = "Sandbox limits";
const WATCHING: &str = "Watching";

#[derive(Parser)]
#[command(
    name = "orch",
    version,
    about = "Inspect the provisioning orchestrator's local state, sandboxed",
    long_about = "Inspect the provisioning orchestrator's local state (its status file and task queue) \
                  in milliseconds, with no REST round trip. All parsing runs inside a WebAssembly \
                  component that sees only the data directory, read-only.",
    after_help = "Examples:\n  orch status --data-dir examples/data\n  \
orch tasks --data-dir examples/data --status pending,running --limit 10\n  \
orch tasks --data-dir examples/data --from 2025-10-08 --format json",
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands that read no data: the data, output and sandbox flags mean
/// nothing to them, so their help leaves those out.
const WITHOUT_DATA: &[&str] = &["component", "completions", "man"];

/// The command line, built (the global flags propagated into every
/// command), as it parses and as completions and the man page describe it.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    cmd.build();
    for name in WITHOUT_DATA {
        cmd = cmd.mut_subcommand(name, hide_global_flags);
    }
    cmd
}

fn hide_global_flags(cmd: clap::Command) -> clap::Command {
    let subcommands: Vec<String> = cmd.get_subcommands().map(|sub| sub.get_name().to_string()).collect();
    let mut cmd = cmd.mut_args(|arg| if arg.is_global_set() { arg.hide(true) } else { arg });
    for name in subcommands {
        cmd = cmd.mut_subcommand(name, hide_global_flags);
    }
    cmd
}

#[derive(Subcommand)]
pub enum Command {
    /// Show the orchestrator's status: running, task counts, last check.
    #[command(
        after_help = "Examples:\n  orch status --data-dir examples/data\n  orch status --data-dir examples/data --format json"
    )]
    Status(StatusArgs),
    /// List tasks from the queue, filtered and ordered by priority.
    #[command(
        after_help = "Tasks are ordered by priority (highest first), then creation time (oldest first), then id.\n\n\
Examples:\n  orch tasks --data-dir examples/data --status pending --limit 5\n  \
orch tasks --data-dir examples/data --status failed,cancelled --from 2025-10-07\n  \
orch tasks --data-dir examples/data --min-priority 5 --workflow 'deploy-*' --format jsonl\n  \
orch tasks --data-dir examples/data --from 2025-10-06 --to 2025-10-07 --offset 2 --limit 3"
    )]
    Tasks(TasksArgs),
    /// Summarize the queue: counts by status, priority and day, run times,
    /// the oldest pending task, throughput.
    #[command(after_help = "Takes the filters of `orch tasks`; the figures cover every matching task.\n\n\
Run time is completed_at - started_at; percentiles are nearest-rank. Tasks started after they \
completed are left out of the run times and counted. Throughput counts completed tasks whose \
completed_at lies in the window: --from/--to where given, else from the earliest created_at to now.\n\n\
Examples:\n  orch stats --data-dir examples/data\n  orch stats --data-dir examples/data --from 2025-10-08 --workflow 'k8s-*'\n  \
orch stats --data-dir examples/data --format json")]
    Stats(StatsArgs),
    /// Show one task whole: every field, its queue entry, timings, and its
    /// place in the dependency graph (for a pending task, why it is not running).
    #[command(after_help = "ID is a task's id, or the beginning of one that no other id begins with, as with \
git or docker. An ambiguous prefix lists the candidates (exit 2); an id that names no task suggests near ones \
(exit 1).\n\n\
A pending task's state: ready (every dependency completed), waiting (a dependency pending or running), \
blocked (a dependency, directly or through others, failed or cancelled: the root causes are named), dangling \
(a dependency names no task) or cycle (the task is on a dependency cycle, whose path is named).\n\n\
Examples:\n  orch show --data-dir examples/data task-004\n  orch show --data-dir examples/data 6b0d\n  \
orch show --data-dir examples/data task-009 --format json")]
    Show(ShowArgs),
    /// List workflows with their progress, state and what holds them up;
    /// with NAME, that workflow's tasks in dependency order.
    #[command(after_help = "Tasks are grouped by their `workflow`. Tasks without one are grouped by the \
dependencies that connect them, each group named after its first root task, with +N for its other roots \
(create-servers +2); tasks linked to no other go into one row named -. The table marks these rows with *.\n\n\
A workflow's state is the first of these that holds: running (a task is running), blocked (a pending task \
is blocked, on a cycle or dangling, so it can never run), pending (a task is pending, or of a status orch \
doesn't know), failed (a task failed or was cancelled), completed (every task is completed). Workflows are \
ordered by state in that order, then the latest activity first.\n\n\
HELD BY names the pending tasks holding a workflow up: ready ones, ones waiting on a running task, and ones \
that can never run, with why. ELAPSED runs from the first start to the last completion, or to now while \
anything is left to run.\n\n\
Examples:\n  orch workflows --data-dir examples/data\n  \
orch workflows --data-dir examples/data --state running,blocked\n  \
orch workflows --data-dir examples/data --workflow 'deploy-*' --format json\n  \
orch workflows --data-dir examples/data deploy-web")]
    Workflows(WorkflowsArgs),
    /// Print changes to the queue as they happen: tasks added, removed,
    /// changing status or updated.
    #[command(after_help = "Takes the filters of `orch tasks`; a task is reported when it matches before or \
after the change. Runs until interrupted (Ctrl-C), or with --once until the first batch of changes.\n\
Filesystem notifications are used where available, else the directory is polled every --interval.\n\
--format json and jsonl both print one JSON object per line.\n\n\
Examples:\n  orch watch --data-dir examples/data\n  orch watch --data-dir examples/data --status failed --format jsonl\n  \
orch watch --data-dir examples/data --once && orch tasks --data-dir examples/data --limit 5\n  \
orch watch --data-dir examples/data --poll --interval 500ms")]
    Watch(WatchArgs),
    /// Check workflows before they are submitted: KCL (*.k) without running
    /// it, Nickel (*.ncl) with Nickel's own engine, as `nickel export` does;
    /// with --strict also the task graph (and for KCL names, schemas, imports).
    #[command(after_help = "Each workflow is checked in a sandbox that sees only its package: the nearest \
directory up from the file holding kcl.mod (KCL) or Nickel-pkg.ncl (Nickel), else the file's own \
directory, and for Nickel the import paths (--import-path, then $NICKEL_IMPORT_PATH). Without --strict, \
the checks beyond the language's own verdict are warnings; with it, a KCL workflow is also evaluated \
as `kcl run` does (checks, asserts, types). Exits 1 when a workflow is invalid.\n\n\
Examples:\n  orch validate examples/workflows/deploy.ncl\n  \
orch validate examples/workflows/deploy.ncl --import-path examples/workflows/schemas\n  \
orch validate tests/kcl/strict/015_unknown_dependency.k      # a warning; an error with --strict\n  \
orch validate --strict examples/workflows/deploy.k\n  \
orch validate --format json examples/workflows/deploy.ncl")]
    Validate(ValidateArgs),
    /// Write out the embedded components and their WIT, to run them in
    /// another runtime (Node.js with jco, Python with wasmtime-py).
    #[command(
        subcommand,
        arg_required_else_help = true,
        after_help = "The bytes are exactly those orch runs; `orch --version` names each component's hash.\n\n\
Examples:\n  orch component wasm -o orch_guest.wasm\n  orch component wit > orchestrator.wit"
    )]
    Component(ComponentCommand),
    /// Print a shell completion script.
    #[command(after_help = "Where each shell looks for it:\n  \
bash        ~/.local/share/bash-completion/completions/orch, or: source <(orch completions bash)\n  \
zsh         a file _orch in a directory on $fpath, before compinit runs\n  \
fish        ~/.config/fish/completions/orch.fish\n  \
elvish      in ~/.config/elvish/rc.elv: eval (orch completions elvish | slurp)\n  \
powershell  in $PROFILE: orch completions powershell | Out-String | Invoke-Expression\n  \
nushell     a file that config.nu uses: use orch-completions.nu *\n\n\
The Nushell script declares the orch binary's commands as externs; the Nushell plugin's own orch \
commands need no script.\n\n\
Examples:\n  \
mkdir -p ~/.local/share/bash-completion/completions\n  \
orch completions bash > ~/.local/share/bash-completion/completions/orch\n  \
mkdir -p ~/.zfunc && orch completions zsh > ~/.zfunc/_orch\n  \
mkdir -p ~/.config/fish/completions\n  \
orch completions fish > ~/.config/fish/completions/orch.fish\n  \
mkdir -p ~/.config/nushell && orch completions nushell > ~/.config/nushell/orch-completions.nu")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), covering every command.
    #[command(after_help = "Examples:\n  orch man > orch.1\n  mkdir -p ~/.local/share/man/man1\n  \
orch man > ~/.local/share/man/man1/orch.1")]
    Man(ManArgs),
}

#[derive(Subcommand)]
pub enum ComponentCommand {
    /// Write a component's WebAssembly: the exact bytes orch embeds and runs.
    #[command(after_help = "Without -o the bytes go to stdout, unless stdout is a terminal.\n\n\
Examples:\n  orch component wasm -o orch_guest.wasm\n  orch component wasm --world orchestrator > orch_guest.wasm\n  \
orch component wasm | sha256sum      # the hash `orch --version` names")]
    Wasm(WasmArgs),
    /// Print the WIT package the components implement.
    #[command(after_help = "Examples:\n  orch component wit\n  orch component wit > orchestrator.wit")]
    Wit(WitArgs),
}

#[derive(Args)]
pub struct WasmArgs {
    /// The world the component exports: which component to write.
    #[arg(long, value_name = "WORLD", default_value = "orchestrator", value_parser = worlds())]
    pub world: String,

    /// Write to FILE rather than stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The worlds of the embedded components, for `--world`.
fn worlds() -> PossibleValuesParser {
    PossibleValuesParser::new(orch_runtime::component::COMPONENTS.iter().map(|c| c.world))
}

#[derive(Args)]
pub struct WitArgs {}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
    Nushell,
}

#[derive(Args)]
pub struct ManArgs {}

#[derive(Args)]
pub struct ValidateArgs {
    /// Workflow files (*.k, *.ncl), or directories of workflows and the
    /// libraries they import (a library is checked, not run, on its own;
    /// Nickel-pkg.ncl is the package manifest).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Report task-graph problems (duplicate, unknown, self or cyclic
    /// dependencies, non-positive limits) and, for KCL, undefined names,
    /// reassigned public names, unknown or missing schema attributes and
    /// unresolved imports as errors rather than warnings.
    #[arg(long)]
    pub strict: bool,

    /// A directory Nickel searches for imports, after the importing file's
    /// own; repeatable, searched in order, before $NICKEL_IMPORT_PATH.
    /// Each is preopened read-only.
    #[arg(long = "import-path", short = 'I', value_name = "DIR")]
    pub import_paths: Vec<PathBuf>,
}

#[derive(Args)]
pub struct GlobalArgs {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table, help_heading = OUTPUT)]
    pub format: Format,

    /// The orchestrator's data directory [default: $ORCHESTRATOR_DATA_DIR, else
    /// $PROVISIONING/platform/orchestrator/data, else ./provisioning/platform/orchestrator/data]
    #[arg(long, global = true, value_name = "DIR", help_heading = DATA)]
    pub data_dir: Option<PathBuf>,

    /// Skip malformed task files (they are listed on stderr) instead of failing.
    #[arg(long, global = true, help_heading = DATA)]
    pub skip_invalid: bool,

    /// Refuse files larger than this (e.g. 16MiB, 512KiB, 1048576).
    #[arg(long, global = true, value_name = "SIZE", default_value = "16MiB", value_parser = parse_size, help_heading = LIMITS)]
    pub max_file_size: u64,

    /// The component's memory limit (e.g. 256MiB).
    #[arg(long, global = true, value_name = "SIZE", default_value = "256MiB", value_parser = parse_size, help_heading = LIMITS)]
    pub memory_limit: u64,

    /// Stop the component after this long (e.g. 10s, 500ms).
    #[arg(long, global = true, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = LIMITS)]
    pub deadline: Duration,

    /// Read every file afresh instead of reusing what earlier reads in this
    /// process parsed (only `watch` reads more than once).
    #[arg(long, global = true, help_heading = DATA)]
    pub no_cache: bool,

    /// Take this RFC 3339 instant as "now" (for reproducible output).
    #[arg(long, global = true, hide = true, env = "ORCH_NOW", value_name = "TIME")]
    pub now: Option<jiff::Timestamp>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Args)]
pub struct StatusArgs {}

#[derive(Args)]
pub struct ShowArgs {
    /// The task's id, or the beginning of it.
    pub id: String,
}

#[derive(Args)]
pub struct WorkflowsArgs {
    /// Show this workflow's tasks in dependency order, as its row names it.
    #[arg(value_name = "NAME", conflicts_with_all = ["workflow", "state"])]
    pub name: Option<String>,

    /// Keep workflows whose name matches; `*` and `?` are wildcards.
    #[arg(long, value_name = "GLOB", help_heading = FILTERS)]
    pub workflow: Option<String>,

    /// Keep workflows in these states (running, blocked, pending, failed,
    /// completed); repeat or separate with commas.
    #[arg(long, value_name = "STATE", help_heading = FILTERS)]
    pub state: Vec<String>,
}

#[derive(Args)]
pub struct TasksArgs {
    #[command(flatten)]
    pub filter: TaskFilterArgs,

    /// Keep pending tasks in these dependency states (ready, waiting,
    /// blocked, dangling, cycle); repeat or separate with commas.
    #[arg(long, value_name = "STATE", help_heading = FILTERS)]
    pub state: Vec<String>,

    /// Return at most N tasks.
    #[arg(long, value_name = "N", help_heading = OUTPUT)]
    pub limit: Option<u64>,

    /// Skip the first N tasks.
    #[arg(long, value_name = "N", default_value_t = 0, help_heading = OUTPUT)]
    pub offset: u64,
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filter: TaskFilterArgs,
}

#[derive(Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub filter: TaskFilterArgs,

    /// Exit after the first batch of changes.
    #[arg(long, help_heading = WATCHING)]
    pub once: bool,

    /// Poll the data directory instead of using filesystem notifications.
    #[arg(long, help_heading = WATCHING)]
    pub poll: bool,

    /// How often to poll: with --poll, or where notifications are unavailable (e.g. 1s, 250ms).
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration, help_heading = WATCHING)]
    pub interval: Duration,
}

/// The filters that `tasks`, `stats` and `watch` share.
#[derive(Args)]
#[command(next_help_heading = FILTERS)]
pub struct TaskFilterArgs {
    /// Keep tasks with these statuses (pending, running, completed, failed,
    /// cancelled); repeat or separate with commas.
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,

    /// Keep tasks with at least this priority.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub min_priority: Option<i64>,

    /// Keep tasks with at most this priority.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_priority: Option<i64>,

    /// Keep tasks created at or after TIME: RFC 3339, a date (2025-10-08), or an age (2h, 3d).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,

    /// Keep tasks created at or before TIME: RFC 3339, a date (its whole day), or an age.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,

    /// Keep tasks of this workflow; `*` and `?` are wildcards.
    #[arg(long, value_name = "NAME")]
    pub workflow: Option<String>,
}

fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| format!("{text:?} is not a size such as 16MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" | "kb" => 1 << 10,
        "m" | "mib" | "mb" => 1 << 20,
        "g" | "gib" | "gb" => 1 << 30,
        _ => return Err(format!("unknown size unit {unit:?}; use B, KiB, MiB or GiB")),
    };
    n.checked_mul(factor).ok_or_else(|| format!("{text:?} is too large"))
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| format!("{text:?} is not a duration such as 10s or 500ms"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "" | "s" => Ok(Duration::from_secs(n)),
        "m" => n.checked_mul(60).map(Duration::from_secs).ok_or_else(|| format!("{text:?} is too long")),
        _ => Err(format!("unknown duration unit {unit:?}; use ms, s or m")),
    }
    .and_then(|d| if d.is_zero() { Err("the duration must be positive".into()) } else { Ok(d) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("16MiB"), Ok(16 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("12 parsecs").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("18446744073709551615m").is_err());
    }

    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn only_the_commands_that_read_no_data_hide_the_global_flags() {
        let cmd = command();
        for sub in cmd.get_subcommands().filter(|sub| sub.get_name() != "help") {
            let hidden = sub.get_arguments().find(|a| a.get_id() == "data_dir").unwrap().is_hide_set();
            assert_eq!(hidden, WITHOUT_DATA.contains(&sub.get_name()), "{}", sub.get_name());
        }
    }
}
