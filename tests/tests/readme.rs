//! Every command the README shows runs as written, from (a scratch copy
//! of) the repository's root.
//!
//! The README's convention: shell commands are in ```console blocks, each
//! command on a line of its own after `$ `, what it prints below it. A
//! command that is meant to fail says so in a trailing comment, `# exit N`.
//! Nushell is in ```nu blocks, each block one session. Other shell fences
//! (```sh, ```bash) are refused, so that no command escapes this test.

use std::os::unix::process::CommandExt;
use std::process::Command;

use orch_tests::nu::Nu;
use orch_tests::scratch_root::{ScratchRoot, stop};
use orch_tests::workspace;

/// Commands the README shows that this test does not run, each exactly as
/// written there. Each must still be in the README, so that none is
/// excluded after it is gone.
const NOT_RUN: &[(&str, &str)] = &[
    // The two set-up commands are the whole release build and the whole
    // test suite (this test among them): running them here would build
    // everything again, recursively. CI runs the second (`.ci/run`).
    ("cargo run --release -p orch-cli -- tasks --data-dir examples/data", "the main job, a release build"),
    ("scripts/test.sh", "every test, this one included"),
    // Release builds into ~/.cargo; scripts/check-install.sh proves them
    // from a clean clone.
    ("cargo install --locked --path host-cli", "scripts/check-install.sh"),
    ("cargo install --locked --path host-plugin", "scripts/check-install.sh"),
];

/// Lines of a ```nu block that the test's nu does itself, with a private
/// plugin registry (`Nu::new`, `Nu::session`), rather than the user's.
const NU_SET_UP: &[&str] = &["plugin add ", "plugin use "];

/// The commands of `orch`: the README shows each in the CLI, and those of
/// the plugin (`PLUGIN_COMMANDS`) in nu.
const COMMANDS: &[&str] =
    &["status", "tasks", "stats", "watch", "show", "workflows", "validate", "completions", "man", "component"];
const PLUGIN_COMMANDS: &[&str] = &["status", "tasks", "stats", "watch", "show", "workflows", "validate"];

const MAX_LINES: usize = 250;

/// A shell command of a ```console block.
#[derive(Debug)]
struct ShellCommand {
    /// 1-based, in the README.
    line: usize,
    text: String,
    /// What the command is expected to exit with (`# exit N`, else 0).
    exit: i32,
}

/// A ```nu block, without the lines the test's nu does itself.
#[derive(Debug)]
struct NuBlock {
    line: usize,
    script: String,
}

#[derive(Debug, Default)]
struct Examples {
    shell: Vec<ShellCommand>,
    nu: Vec<NuBlock>,
}

/// The examples of a Markdown text: its commands to run, or why one of its
/// blocks cannot be checked.
fn examples(markdown: &str) -> Result<Examples, String> {
    let mut found = Examples::default();
    let mut lines = markdown.lines().enumerate().map(|(i, line)| (i + 1, line));
    while let Some((start, line)) = lines.next() {
        let Some(lang) = line.trim_start().strip_prefix("```") else { continue };
        let body: Vec<(usize, &str)> = lines.by_ref().take_while(|(_, l)| !l.trim_start().starts_with("```")).collect();
        match lang.trim() {
            "console" => {
                for (line, text) in body {
                    if let Some(command) = text.strip_prefix("$ ") {
                        found.shell.extend(shell_command(line, command)?);
                    }
                }
            }
            "nu" => {
                let script: Vec<&str> = body
                    .iter()
                    .map(|(_, l)| *l)
                    .filter(|l| !NU_SET_UP.iter().any(|set_up| l.trim_start().starts_with(set_up)))
                    .collect();
                if script.iter().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
                    found.nu.push(NuBlock { line: start, script: script.join("\n") });
                }
            }
            "sh" | "bash" | "shell" | "zsh" => {
                return Err(format!(
                    "line {start}: a ```{} block; the README's commands are in ```console",
                    lang.trim()
                ));
            }
            _ => {}
        }
    }
    Ok(found)
}

/// One `$ ` line: a command to run, or one of `NOT_RUN` (`None`).
fn shell_command(line: usize, text: &str) -> Result<Option<ShellCommand>, String> {
    let (command, comment) = match text.split_once(" # ") {
        Some((command, comment)) => (command.trim(), Some(comment.trim())),
        None => (text.trim(), None),
    };
    let exit = match comment.and_then(|c| c.strip_prefix("exit ")) {
        Some(code) => code.parse().map_err(|_| format!("line {line}: `# exit {code}` is not an exit code"))?,
        None => 0,
    };
    if NOT_RUN.iter().any(|(not_run, _)| *not_run == command) {
        return Ok(None);
    }
    if command.starts_with("orch ") || command.starts_with("mkdir -p ") {
        return Ok(Some(ShellCommand { line, text: command.to_string(), exit }));
    }
    Err(format!(
        "line {line}: `{command}` is neither an `orch` command nor one this test knowingly leaves out (NOT_RUN)"
    ))
}

/// Runs one command in `root`. A watch runs while a writer changes a task,
/// until it exits.
fn run_shell(root: &ScratchRoot, command: &ShellCommand) -> Result<(), String> {
    let mut cmd = root.bash(&command.text);
    let output = if command.text.contains("orch watch") {
        until_exit_while_a_writer_changes(root, cmd)?
    } else {
        cmd.output().unwrap()
    };
    let code = output.status.code();
    if code == Some(command.exit) {
        return Ok(());
    }
    Err(format!(
        "line {}: `{}` exited {code:?}, not {}:\n{}",
        command.line,
        command.text,
        command.exit,
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// Runs one nu block as a session, from `root`, with the plugin registered.
fn run_nu(nu: &Nu, root: &ScratchRoot, block: &NuBlock) -> Result<(), String> {
    let mut cmd = nu.command(root.path());
    cmd.arg("-c").arg(nu.session(&block.script)).process_group(0);
    let output = if block.script.contains("orch watch") {
        until_exit_while_a_writer_changes(root, cmd)?
    } else {
        cmd.output().unwrap()
    };
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "the nu block at line {} failed ({}):\n{}\nstderr:\n{}",
        block.line,
        output.status,
        block.script,
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// Output goes to files, not pipes: a process the command leaves behind
/// (nu's plugin) would hold a pipe open, and reading it would never end.
fn until_exit_while_a_writer_changes(root: &ScratchRoot, mut cmd: Command) -> Result<std::process::Output, String> {
    let out = tempfile::tempfile().unwrap();
    let err = tempfile::tempfile().unwrap();
    let mut child = cmd.stdout(out.try_clone().unwrap()).stderr(err.try_clone().unwrap()).spawn().unwrap();
    let exited = root.while_a_writer_changes(|| child.try_wait().unwrap());
    stop(&mut child);
    let status = child.wait().unwrap();
    let read = |mut file: std::fs::File| {
        use std::io::{Read, Seek};
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    };
    let output = std::process::Output { status, stdout: read(out), stderr: read(err) };
    match exited {
        Some(_) => Ok(output),
        None => Err(format!("no exit while a writer changed a task:\n{}", String::from_utf8_lossy(&output.stderr))),
    }
}

fn readme() -> String {
    std::fs::read_to_string(workspace().join("README.md")).unwrap()
}

fn run_all<T>(items: &[T], run: impl Fn(&T) -> Result<(), String>) {
    let failures: Vec<String> = items.iter().filter_map(|item| run(item).err()).collect();
    assert!(failures.is_empty(), "README examples that fail:\n\n{}", failures.join("\n\n"));
}

#[test]
fn the_readme_reads_in_five_minutes() {
    let lines = readme().lines().count();
    assert!(lines <= MAX_LINES, "README.md has {lines} lines, more than {MAX_LINES}: move reference to docs/");
}

#[test]
fn every_command_the_readme_shows_runs_as_written() {
    let readme = readme();
    for (command, why) in NOT_RUN {
        assert!(
            readme.contains(&format!("$ {command}\n")),
            "NOT_RUN lists `{command}` ({why}), which the README no longer shows"
        );
    }
    let examples = examples(&readme).unwrap();
    for name in COMMANDS {
        let shown = examples
            .shell
            .iter()
            .any(|c| c.text.contains(&format!("orch {name} ")) || c.text == format!("orch {name}"));
        assert!(shown, "the README shows no `orch {name}` in a ```console block");
    }
    let root = ScratchRoot::new();
    run_all(&examples.shell, |command| run_shell(&root, command));
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn every_nu_block_in_the_readme_runs_in_nu() {
    let examples = examples(&readme()).unwrap();
    for name in PLUGIN_COMMANDS {
        let shown = examples.nu.iter().any(|block| block.script.contains(&format!("orch {name}")));
        assert!(shown, "the README shows no `orch {name}` in a ```nu block");
    }
    let nu = Nu::new();
    let root = ScratchRoot::new();
    run_all(&examples.nu, |block| run_nu(&nu, &root, block));
}

/// The one command of a one-line ```console block.
fn command(line: &str) -> ShellCommand {
    let mut shell = examples(&format!("```console\n$ {line}\n```\n")).unwrap().shell;
    assert_eq!(shell.len(), 1, "{line}");
    shell.pop().unwrap()
}

#[test]
fn a_made_up_command_or_an_unexpected_exit_is_caught() {
    let root = ScratchRoot::new();
    let nonsense = run_shell(&root, &command("orch nonsense"));
    assert!(nonsense.unwrap_err().contains("`orch nonsense` exited Some(2), not 0"));
    let strict = "orch validate --strict examples/workflows/broken.k";
    assert!(run_shell(&root, &command(strict)).is_err());
    run_shell(&root, &command(&format!("{strict}   # exit 1"))).unwrap();
    assert!(run_shell(&root, &command("orch status --data-dir examples/data   # exit 1")).is_err());
}

#[test]
fn a_command_this_test_would_not_run_is_refused() {
    let unknown = examples("```console\n$ rm -rf examples\n```\n").unwrap_err();
    assert!(unknown.contains("line 2: `rm -rf examples`"), "{unknown}");
    let fence = examples("text\n\n```sh\norch status\n```\n").unwrap_err();
    assert!(fence.contains("line 3: a ```sh block"), "{fence}");
    let bad_exit = examples("```console\n$ orch man   # exit one\n```\n").unwrap_err();
    assert!(bad_exit.contains("not an exit code"), "{bad_exit}");
    // The set-up commands are left out, and only they.
    assert!(examples("```console\n$ scripts/test.sh\n```\n").unwrap().shell.is_empty());
    assert!(examples("```console\n$ scripts/test.sh --release\n```\n").is_err());
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn a_made_up_nu_command_is_caught() {
    let blocks = examples("```nu\nplugin add ~/.cargo/bin/nu_plugin_orchestrator\nplugin use orchestrator\norch nonsense --data-dir examples/data\n```\n").unwrap().nu;
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].script, "orch nonsense --data-dir examples/data");
    let nu = Nu::new();
    let root = ScratchRoot::new();
    assert!(run_nu(&nu, &root, &blocks[0]).unwrap_err().contains("line 1"));
}
