//! `orch completions SHELL`: each script loads in its shell and offers the
//! commands. bash is always there; nu is the pinned one (`$ORCH_NU`); zsh
//! and fish are the system's (`$ORCH_ZSH`, `$ORCH_FISH`, set by
//! scripts/install-tools.sh), and their absence fails the test under
//! `ORCH_REQUIRE_TOOLS`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use orch_tests::{external_tool, orch, orch_commands};

/// The script for `shell`, written into `dir` as `name`.
fn script(shell: &str, dir: &Path, name: &str) -> PathBuf {
    let output = orch().args(["completions", shell]).output().unwrap();
    assert!(output.status.success(), "orch completions {shell}: {}", String::from_utf8_lossy(&output.stderr));
    assert!(!output.stdout.is_empty());
    let path = dir.join(name);
    std::fs::write(&path, &output.stdout).unwrap();
    path
}

/// The top-level commands, as `orch --help` lists them.
fn top_level_commands() -> Vec<String> {
    let commands: Vec<String> = orch_commands().into_iter().filter(|p| p.len() == 1).map(|p| p[0].clone()).collect();
    assert!(commands.len() >= 8, "{commands:?}");
    commands
}

/// Runs a shell with no user configuration (HOME is a scratch directory).
fn run(mut cmd: Command, home: &Path, what: &str) -> String {
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

fn assert_offers_all(offered: &[&str], what: &str) {
    for command in top_level_commands() {
        assert!(offered.contains(&command.as_str()), "{what} does not offer `{command}`: {offered:?}");
    }
}

#[test]
fn bash_loads_the_script_and_completes_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let file = script("bash", dir.path(), "orch.bash");
    let mut bash = Command::new("bash");
    bash.args(["--norc", "--noprofile", "-c"])
        .arg(
            r#"source "$1" && complete -p orch && echo --- &&
               COMP_WORDS=(orch "") COMP_CWORD=1 COMP_LINE="orch " COMP_POINT=5 &&
               _orch orch "" orch && printf '%s\n' "${COMPREPLY[@]}" && echo --- &&
               COMP_WORDS=(orch tasks --st) COMP_CWORD=2 COMP_LINE="orch tasks --st" COMP_POINT=15 &&
               _orch orch --st tasks && printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(&file);
    let out = run(bash, dir.path(), "bash");
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
    let nu = external_tool("ORCH_NU");
    let dir = tempfile::tempdir().unwrap();
    let file = script("nushell", dir.path(), "orch-completions.nu");

    // It parses and loads: the externs are there.
    let mut load = Command::new(&nu);
    load.arg("-n")
        .arg("-c")
        .arg(format!("use '{}' *; scope externs | where name =~ '^orch' | get name | to json -r", file.display()));
    let externs: Vec<String> = serde_json::from_str(run(load, dir.path(), "nu use").trim()).unwrap();
    assert!(externs.contains(&"orch".to_string()) && externs.contains(&"orch tasks".to_string()), "{externs:?}");

    // nu's completer, on a line after the script is sourced.
    let complete = |line: &str| -> Vec<String> {
        let source = dir.path().join("line.nu");
        std::fs::write(&source, format!("source '{}'\n{line}", file.display())).unwrap();
        let mut cmd = Command::new(&nu);
        cmd.arg("-n").arg("--ide-complete").arg(std::fs::metadata(&source).unwrap().len().to_string()).arg(&source);
        let out = run(cmd, dir.path(), "nu --ide-complete");
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
    let zsh = external_tool("ORCH_ZSH");
    let dir = tempfile::tempdir().unwrap();
    let functions = dir.path().join("functions");
    std::fs::create_dir(&functions).unwrap();
    let file = script("zsh", &functions, "_orch");

    let mut check = Command::new(&zsh);
    check.arg("-n").arg(&file);
    run(check, dir.path(), "zsh -n");

    // As a user's ~/.zshrc would: the directory on $fpath, then compinit.
    let mut zsh_cmd = Command::new(&zsh);
    zsh_cmd.arg("-f").arg("-c").arg(format!(
        "fpath=({} $fpath); autoload -U compinit && compinit -u -d {}/zcompdump && \
         print -r -- $_comps[orch] && autoload +X _orch && whence -w _orch",
        functions.display(),
        dir.path().display()
    ));
    let out = run(zsh_cmd, dir.path(), "zsh");
    assert_eq!(out, "_orch\n_orch: function\n");
}

#[test]
#[cfg_attr(not(has_fish), ignore = "needs fish: $ORCH_FISH is not set (scripts/test.sh sets it)")]
fn fish_loads_the_script_and_completes_the_commands() {
    let fish = external_tool("ORCH_FISH");
    let dir = tempfile::tempdir().unwrap();
    let file = script("fish", dir.path(), "orch.fish");
    let complete = |line: &str| -> String {
        let mut cmd = Command::new(&fish);
        cmd.arg("--no-config").arg("-c").arg(format!("source '{}'; complete -C '{line}'", file.display()));
        run(cmd, dir.path(), "fish")
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
        let text = std::fs::read_to_string(script(shell, dir.path(), shell)).unwrap();
        for command in top_level_commands() {
            assert!(text.contains(&command), "the {shell} script does not name `{command}`");
        }
    }
    let output = orch().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
