//! `orch show` as text: the task in sections, like `kubectl describe`.
//! Headings and the state are styled; the styles are dropped where stdout
//! is not a terminal.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use orch_runtime::model::{PendingState, RelatedTask, TaskDetail};

use super::table::{age, time};

const HEADING: Style = Style::new().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();
const GOOD: Style = AnsiColor::Green.on_default();
const WAITING: Style = AnsiColor::Yellow.on_default();

/// The width of the field names, so the values line up.
const LABEL: usize = 13;

pub fn text(d: &TaskDetail) -> String {
    let t = &d.task;
    let mut out = String::new();
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "{HEADING}{:<LABEL$}{HEADING:#}{value}", format!("{name}:"));
    };
    field("Task", t.id.clone());
    if let Some(name) = &t.name {
        field("Name", name.clone());
    }
    field("Status", styled_status(&t.status));
    if let Some(state) = &d.state {
        field("State", styled_state(state));
    }
    if let Some(reason) = &d.reason {
        field("Why", reason.clone());
    }
    field("Priority", t.priority.to_string());
    if let Some(workflow) = &t.workflow {
        field("Workflow", workflow.clone());
    }
    if let Some(command) = &t.command {
        let args = t.args.iter().flatten().map(|a| format!(" {a}")).collect::<String>();
        field("Command", format!("{command}{args}"));
    }
    field("Created", time(t.created_at));
    field("Started", time(t.started_at));
    field("Completed", time(t.completed_at));
    if let Some(entry) = &d.queue_entry {
        field("Queue entry", format!("priority {}, enqueued {}", entry.priority, time(entry.enqueued_at)));
    }
    let span = |d: Option<jiff::SignedDuration>| d.map_or_else(|| "-".to_string(), age);
    field(
        "Timings",
        format!("queued {}, waited {}, ran {}", span(d.timings.queued), span(d.timings.waited), span(d.timings.ran)),
    );
    section(&mut out, "Dependencies", tree(&d.dependencies));
    section(&mut out, "Dependents", tree(&d.dependents));
    if let Some(output) = &t.output {
        section(&mut out, "Output", indented(output));
    }
    if let Some(error) = &t.error {
        section(&mut out, "Error", indented(error));
    }
    out
}

fn section(out: &mut String, title: &str, body: String) {
    let _ = write!(out, "\n{HEADING}{title}:{HEADING:#}\n");
    out.push_str(if body.is_empty() { "  (none)\n" } else { &body });
}

/// Each task indented by its depth in the walk, under its parent.
fn tree(related: &[RelatedTask]) -> String {
    related
        .iter()
        .map(|r| {
            let state = r.state.map_or_else(String::new, |k| format!(" ({})", k.name()));
            format!("{}{}  {}{state}\n", "  ".repeat(r.depth as usize), r.id, styled_status(&r.status))
        })
        .collect()
}

/// All of it, never cut: each line indented two spaces.
fn indented(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

fn styled_status(status: &str) -> String {
    let style = match status {
        "failed" | "cancelled" => BAD,
        "completed" => GOOD,
        "running" | "pending" => WAITING,
        _ => Style::new(),
    };
    format!("{style}{status}{style:#}")
}

fn styled_state(state: &PendingState) -> String {
    let style = match state {
        PendingState::Ready => GOOD,
        PendingState::Waiting => WAITING,
        PendingState::Blocked(_) | PendingState::Dangling(_) | PendingState::Cycle(_) => BAD,
    };
    format!("{style}{}{style:#}", state.name())
}
