//! `--help`: each command's flags under the headings Filters, Output, Data
//! and Sandbox limits, and every help ending with examples that run, as
//! written, from a copy of the repository's root on `examples/data`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc;

use orch_tests::scratch_root::{ScratchRoot, stop};
use orch_tests::{help_flags, orch, orch_commands, orch_help};

/// `orch ARGS... FLAG` for a help flag (`-h`, the summary, or `--help`).
fn orch_help_with(args: &[&str], flag: &str) -> String {
    let output = orch().args(args).arg(flag).env("NO_COLOR", "1").output().unwrap();
    assert!(output.status.success(), "orch {args:?} {flag}");
    String::from_utf8(output.stdout).unwrap()
}

/// The help's sections: each heading (a line `Name:` at the margin) with
/// the long flags listed under it.
fn sections(help: &str) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let mut lines = String::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            if let Some(last) = sections.last_mut() {
                last.1 = help_flags(&lines);
            }
            sections.push((line.trim_end_matches(':').to_string(), Vec::new()));
            lines.clear();
        } else {
            lines.push_str(line);
            lines.push('\n');
        }
    }
    if let Some(last) = sections.last_mut() {
        last.1 = help_flags(&lines);
    }
    sections
}

fn section(help: &str, heading: &str) -> Option<Vec<String>> {
    sections(help).into_iter().find(|(h, _)| h == heading).map(|(_, flags)| flags)
}

const FILTERS: &[&str] = &["--status", "--min-priority", "--max-priority", "--from", "--to", "--workflow"];
const DATA: &[&str] = &["--data-dir", "--skip-invalid", "--no-cache"];
const LIMITS: &[&str] = &["--max-file-size", "--memory-limit", "--deadline"];

#[test]
fn flags_are_grouped_under_headings() {
    // Only `tasks` filters by pending state: the others never build the graph.
    let tasks_filters: Vec<&str> = FILTERS.iter().copied().chain(["--state"]).collect();
    for (command, filters, output) in [
        ("tasks", Some(&tasks_filters[..]), &["--format", "--limit", "--offset"][..]),
        ("stats", Some(FILTERS), &["--format"][..]),
        ("watch", Some(FILTERS), &["--format"][..]),
        ("status", None, &["--format"][..]),
        ("validate", None, &["--format"][..]),
    ] {
        for help_flag in ["--help", "-h"] {
            let help = orch_help_with(&[command], help_flag);
            let what = format!("orch {command} {help_flag}");
            assert_eq!(section(&help, "Filters").is_some(), filters.is_some(), "{what}:\n{help}");
            if let Some(filters) = filters {
                assert_eq!(section(&help, "Filters").unwrap(), filters, "{what}");
            }
            assert_eq!(section(&help, "Output").unwrap_or_default(), output, "{what}");
            assert_eq!(section(&help, "Data").unwrap_or_default(), DATA, "{what}");
            assert_eq!(section(&help, "Sandbox limits").unwrap_or_default(), LIMITS, "{what}");
            let options = section(&help, "Options").unwrap();
            for flag in tasks_filters.iter().chain(output).chain(DATA).chain(LIMITS) {
                assert!(!options.contains(&flag.to_string()), "{what}: {flag} under Options");
            }
        }
    }
    let watch = orch_help(&["watch"]);
    assert_eq!(section(&watch, "Watching").unwrap(), ["--once", "--poll", "--interval"]);
    // The commands that read no data leave the data, output and sandbox flags out.
    for path in [&["component", "wasm"][..], &["component", "wit"], &["completions"], &["man"]] {
        let help = orch_help(path);
        let flags = help_flags(&help);
        for flag in ["--format", "--data-dir", "--deadline", "--no-cache"] {
            assert!(!flags.contains(&flag.to_string()), "orch {path:?} --help shows {flag}:\n{help}");
        }
    }
}

/// The examples a help ends with: its last paragraph, `Examples:` and one
/// command a line.
fn examples(path: &[String]) -> Vec<String> {
    let args: Vec<&str> = path.iter().map(String::as_str).collect();
    let help = orch_help(&args);
    let last = help.trim_end().rsplit("\n\n").next().unwrap();
    let mut lines = last.lines();
    assert_eq!(lines.next(), Some("Examples:"), "orch {args:?} --help does not end with examples:\n{help}");
    let examples: Vec<String> = lines.map(|l| l.trim().to_string()).collect();
    assert!(!examples.is_empty(), "orch {args:?}");
    for example in &examples {
        assert!(example.starts_with("orch ") || example.starts_with("mkdir -p "), "orch {args:?}: {example}");
    }
    examples
}

#[test]
fn every_help_ends_with_examples_that_run_as_written() {
    let mut all: Vec<String> = Vec::new();
    for path in std::iter::once(Vec::new()).chain(orch_commands()) {
        for example in examples(&path) {
            if !all.contains(&example) {
                all.push(example);
            }
        }
    }
    assert!(all.len() > 25, "{all:?}");
    let root = ScratchRoot::new();
    for example in &all {
        if example.contains("orch watch") {
            run_watch(&root, example);
        } else {
            run(&root, example);
        }
        for file in files_written(&root, example) {
            let len = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            assert!(len > 0, "`{example}` wrote nothing to {}", file.display());
        }
    }
}

fn run(root: &ScratchRoot, example: &str) {
    let output = root.bash(example).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "`{example}` failed ({:?}):\n{stderr}", output.status);
    assert!(!stderr.contains("error"), "`{example}`:\n{stderr}");
}

/// A watch example runs until it reports a change, while a writer changes
/// a task. With `--once` it must then exit, successfully; otherwise its
/// first line is enough, and it is stopped.
fn run_watch(root: &ScratchRoot, example: &str) {
    let mut child = root.bash(example).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let once = example.contains("--once");
    let outcome = root.while_a_writer_changes(|| {
        if !once && let Ok(line) = received.try_recv() {
            assert!(line.contains("task-006"), "`{example}` printed {line:?}");
            return Some(Ok(()));
        }
        let status = child.try_wait().unwrap()?;
        Some(if status.success() && once { Ok(()) } else { Err(format!("exited {status}")) })
    });
    stop(&mut child);
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    if let Err(why) = outcome.unwrap_or_else(|| Err("no change reported in time".to_string())) {
        panic!("`{example}`: {why}\nstderr:\n{stderr}");
    }
    assert!(stderr.starts_with("watching "), "`{example}`:\n{stderr}");
    assert!(!stderr.contains("error"), "`{example}`:\n{stderr}");
}

/// The files an example redirects to or names with `-o`.
fn files_written(root: &ScratchRoot, example: &str) -> Vec<PathBuf> {
    let words: Vec<&str> = example.split_whitespace().take_while(|w| !w.starts_with('#')).collect();
    words
        .windows(2)
        .filter(|pair| pair[0] == ">" || pair[0] == "-o")
        .map(|pair| match pair[1].strip_prefix("~/") {
            Some(rest) => root.home().join(rest),
            None => root.path().join(pair[1]),
        })
        .collect()
}
