//! `orch watch`'s events, one line each: aligned text for people, JSON
//! for machines.

use std::path::Path;

use orch_runtime::WatchMode;
use orch_runtime::model::{TaskChange, WatchEvent};

use crate::args::Format;
use crate::commands::CliError;

/// On stderr, once the first snapshot is taken: from here on every change
/// is reported. Scripts may wait for this line.
pub fn started(dir: &Path, mode: WatchMode) {
    let how = match mode {
        WatchMode::Notify => "filesystem notifications",
        WatchMode::Poll => "polling",
    };
    anstream::eprintln!("watching {} ({how}); Ctrl-C to stop", dir.display());
}

/// Prints one batch; `false` when stdout's reader has gone.
pub fn events(format: Format, events: &[WatchEvent]) -> Result<bool, CliError> {
    let text: String = events
        .iter()
        .map(|event| match format {
            Format::Table => line(event),
            Format::Json | Format::Jsonl => super::to_json_line(event),
        })
        .collect();
    super::stream(&text)
}

/// `2025-10-08 12:00:30  status_changed  task-001  pending → running (started-at)`
fn line(event: &WatchEvent) -> String {
    let others: Vec<&str> = event.fields.iter().map(String::as_str).filter(|f| *f != "status").collect();
    let detail = match &event.change {
        TaskChange::Added | TaskChange::Removed => String::new(),
        TaskChange::StatusChanged { from, to } if others.is_empty() => format!("  {from} → {to}"),
        TaskChange::StatusChanged { from, to } => format!("  {from} → {to} ({})", others.join(", ")),
        TaskChange::Updated => format!("  {}", others.join(", ")),
    };
    format!("{}  {:<14}  {}{detail}\n", event.at.strftime("%Y-%m-%d %H:%M:%S"), event.change.as_str(), event.task_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(change: TaskChange, fields: &[&str]) -> WatchEvent {
        WatchEvent {
            task_id: "t1".into(),
            at: "2025-10-08T12:00:30Z".parse().unwrap(),
            change,
            fields: fields.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn one_aligned_line_per_event() {
        let moved = TaskChange::StatusChanged { from: "pending".into(), to: "running".into() };
        assert_eq!(line(&event(TaskChange::Added, &[])), "2025-10-08 12:00:30  added           t1\n");
        assert_eq!(
            line(&event(moved.clone(), &["status"])),
            "2025-10-08 12:00:30  status_changed  t1  pending → running\n"
        );
        assert_eq!(
            line(&event(moved, &["status", "started-at"])),
            "2025-10-08 12:00:30  status_changed  t1  pending → running (started-at)\n"
        );
        assert_eq!(
            line(&event(TaskChange::Updated, &["priority", "output"])),
            "2025-10-08 12:00:30  updated         t1  priority, output\n"
        );
    }
}
