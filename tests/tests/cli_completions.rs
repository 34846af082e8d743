//! `orch completions SHELL`: each script loads in its shell and offers the
//! commands. bash is always there; nu is the pinned one (`$ORCH_NU`); zsh
//! and fish are the system's (`$ORCH_ZSH`, `$ORCH_FISH`, set by
//! scripts/install-tools.sh), and their absence fails the test under
//! `ORCH_REQUIRE_TOOLS`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use orch_tests::{external_tool, orch, orch_commands};

/// Writes the script for `shell` to `path`.
fn write_script(shell: &str, path: &Path) {
    let output = orch().args(["completions", shell]).output().unwrap();
    assert!(output.status.success(), "orch completions {shell}: {}", String::from_utf8_lossy(&output.stderr));
    assert!(!output.stdout.is_empty());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, &output.stdout).unwrap();
}

/// The top-level commands, as `orch --help` lists them.
fn top_level_commands() -> Vec<String> {
    let commands: Vec<String> = orch_commands().into_iter().filter(|p| p.len() == 1).map(|p| p[0].clone()).collect();
    assert!(commands.len() >= 8, "{commands:?}");
    commands
}

/// A shell, and the script for it written into a scratch directory that is
/// its home when it runs, so that no user configuration is read.
struct Shell {
    program: PathBuf,
    home: tempfile::TempDir,
    script: PathBuf,
}

impl Shell {
    /// `program`, with the script for `shell` at `name` in its home.
    fn new(program: impl Into<PathBuf>, shell: &str, name: &str) -> Shell {
        let home = tempfile::tempdir().unwrap();
        let script = home.path().join(name);
        write_script(shell, &script);
        Shell { program: program.into(), home, script }
    }

    fn command(&self) -> Command {
        Command::new(&self.program)
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    /// Runs `cmd` (one of [`Shell::command`]) in the scratch home, and
    /// returns its stdout.
    fn run(&self, mut cmd: Command, what: &str) -> String {
        let home = self.home();
        let output: Output = cmd.env("HOME", home).env("XDG_CONFIG_HOME", home.join(".config")).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{what} failed ({:?})\nstdout:\n{stdout}\nstderr:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }
}

fn assert_offers_all(offered: &[&str], what: &str) {
    for command in top_level_commands() {
        assert!(offered.contains(&command.as_str()), "{what} does not offer `{command}`: {offered:?}");
    }
}

#[test]
fn bash_loads_the_script_and_completes_the_commands() {
    let shell = Shell::new("bash", "bash", "orch.bash");
    let mut bash = shell.command();
    bash.args(["--norc", "--noprofile", "-c"])
        .arg(
            r#"source "$1" && complete -p orch && echo --- &&
               COMP_WORDS=(orch "") COMP_CWORD=1 COMP_LINE="orch " COMP_POINT=5 &&
               _orch orch "" orch && printf '%s\n' "${COMPREPLY[@]}" && echo --- &&
               COMP_WORDS=(orch tasks --st) COMP_CWORD=2 COMP_LINE="orch tasks --st" COMP_POINT=15 &&
               _orch orch --st tasks && printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(&shell.script);
    let out = shell.run(bash, "bash");
    let parts: Vec<&str> = out.split("---\n").collect();
    assert_eq!(parts.len(), 3, "{out}");
    assert!(parts[0].starts_with("complete ") && parts[0].trim_end().ends_with(" orch"), "{}", parts[0]);
    assert!(parts[0].contains("-F _orch"), "{}", parts[0]);
    assert_offers_all(&parts[1].lines().collect::<Vec<_>>(), "bash");
    assert_eq!(parts[2].trim().lines().collect::<Vec<_>>(), ["--status", "--state"], "bash on `orch tasks --st`");
}

#[test]
#[cfg_attr(not(has_nu), ignore = "needs nu: $ORCH_NU is not set (scripts/test.sh sets it)")]
fn nushell_parses_the_script_and_completes_the_commands() {
    let nu = Shell::new(external_tool("ORCH_NU"), "nushell", "orch-completions.nu");

    // It parses and loads: the externs are there.
    let mut load = nu.command();
    load.arg("-n")
        .arg("-c")
        .arg(format!("use '{}' *; scope externs | where name =~ '^orch' | get name | to json -r", nu.script.display()));
    let externs: Vec<String> = serde_json::from_str(nu.run(load, "nu use").trim()).unwrap();
    assert!(externs.contains(&"orch".to_string()) && externs.contains(&"orch tasks".to_string()), "{externs:?}");

    // nu's completer, on a line after the script is sourced.
    let complete = |line: &str| -> Vec<String> {
        let source = nu.home().join("line.nu");
        std::fs::write(&source, format!("source '{}'\n{line}", nu.script.display())).unwrap();
        let mut cmd = nu.command();
        cmd.arg("-n").arg("--ide-complete").arg(std::fs::metadata(&source).unwrap().len().to_string()).arg(&source);
        let out = nu.run(cmd, "nu --ide-complete");
        let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
        value["completions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    let commands = complete("orch ");
    let names: Vec<&str> = commands.iter().filter_map(|c| c.strip_prefix("orch ")).collect();
    assert_offers_all(&names, "nu");
    assert!(commands.contains(&"orch component wasm".to_string()), "{commands:?}");
    assert_eq!(complete("orch tasks --st"), ["--state", "--status"]);
    assert_eq!(complete("orch tasks --format "), ["json", "jsonl", "table"], "nu sorts them");
}

#[test]
#[cfg_attr(not(has_zsh), ignore = "needs zsh: $ORCH_ZSH is not set (scripts/test.sh sets it)")]
fn zsh_loads_the_script_through_compinit() {
    let zsh = Shell::new(external_tool("ORCH_ZSH"), "zsh", "functions/_orch");

    let mut check = zsh.command();
    check.arg("-n").arg(&zsh.script);
    zsh.run(check, "zsh -n");

    // As a user's ~/.zshrc would: the directory on $fpath, then compinit.
    let mut zsh_cmd = zsh.command();
    zsh_cmd.arg("-f").arg("-c").arg(format!(
        "fpath=({} $fpath); autoload -U compinit && compinit -u -d {}/zcompdump && \
         print -r -- $_comps[orch] && autoload +X _orch && whence -w _orch",
        zsh.script.parent().unwrap().display(),
        zsh.home().display()
    ));
    let out = zsh.run(zsh_cmd, "zsh");
    assert_eq!(out, "_orch\n_orch: function\n");
}

#[test]
#[cfg_attr(not(has_fish), ignore = "needs fish: $ORCH_FISH is not set (scripts/test.sh sets it)")]
fn fish_loads_the_script_and_completes_the_commands() {
    let fish = Shell::new(external_tool("ORCH_FISH"), "fish", "orch.fish");
    let complete = |line: &str| -> String {
        let mut cmd = fish.command();
        cmd.arg("--no-config").arg("-c").arg(format!("source '{}'; complete -C '{line}'", fish.script.display()));
        fish.run(cmd, "fish")
    };
    let out = complete("orch ");
    let names: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_offers_all(&names, "fish");
    let out = complete("orch tasks --st");
    assert_eq!(out.lines().map(|l| l.split('\t').next().unwrap()).collect::<Vec<_>>(), ["--state", "--status"]);
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell", "nushell"] {
        let path = dir.path().join(shell);
        write_script(shell, &path);
        let text = std::fs::read_to_string(path).unwrap();
        for command in top_level_commands() {
            assert!(text.contains(&command), "the {shell} script does not name `{command}`");
        }
    }
    let output = orch().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
