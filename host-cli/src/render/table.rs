//! Readable tables.

use comfy_table::presets::NOTHING;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use jiff::{SignedDuration, Timestamp};
use orch_runtime::model::{StatusReport, Task};

/// Plain aligned columns, like `kubectl get`: easy to read, to grep and to
/// paste.
pub(crate) fn table() -> Table {
    let mut table = Table::new();
    table.load_preset(NOTHING).set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// comfy-table pads the last column; trailing blanks only get in the way.
pub(crate) fn finish(table: &mut Table) -> String {
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    let mut text = String::new();
    for line in table.lines() {
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

pub(crate) fn time(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "-".into(), |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
}

/// "3h 20m", the two largest units, for ages.
pub fn age(d: SignedDuration) -> String {
    let total = d.as_secs();
    let (sign, secs) = if total < 0 { ("-", -total) } else { ("", total) };
    let units = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    let parts: Vec<String> = units
        .iter()
        .scan(secs, |rest, &(size, unit)| {
            let n = *rest / size;
            *rest %= size;
            Some((n, unit))
        })
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() { "0s".into() } else { format!("{sign}{}", parts.join(" ")) }
}

pub fn status(report: &StatusReport) -> String {
    let count = |n: Option<u64>| n.map_or_else(|| "-".into(), |n| n.to_string());
    let last_check = match (report.last_check, report.last_check_age) {
        (Some(t), Some(a)) => format!("{} ({} ago)", time(Some(t)), age(a)),
        (t, _) => time(t),
    };
    let rows = [
        ("orchestrator", report.running.map_or("unknown", |r| if r { "running" } else { "stopped" }).into()),
        ("pending", report.tasks_pending.to_string()),
        ("running", report.tasks_running.to_string()),
        ("completed", count(report.tasks_completed)),
        ("failed", count(report.tasks_failed)),
        ("last check", last_check),
        ("data dir", report.data_dir.display().to_string()),
        ("source", report.source.to_string()),
    ];
    let mut table = table();
    for (key, value) in rows {
        table.add_row(vec![Cell::new(key), Cell::new(value)]);
    }
    finish(&mut table)
}

pub fn tasks(tasks: &[Task], offset: u64, total: u64) -> String {
    let mut table = table();
    table.set_header(["ID", "STATUS", "PRIORITY", "CREATED", "WORKFLOW", "NAME"]);
    for task in tasks {
        table.add_row(vec![
            Cell::new(&task.id),
            Cell::new(&task.status),
            Cell::new(task.priority).set_alignment(CellAlignment::Right),
            Cell::new(time(task.created_at)),
            Cell::new(task.workflow.as_deref().unwrap_or("-")),
            Cell::new(task.name.as_deref().unwrap_or("-")),
        ]);
    }
    let shown = tasks.len() as u64;
    let summary = if shown == total {
        format!("{total} task{}", if total == 1 { "" } else { "s" })
    } else if shown == 0 {
        format!("no tasks shown of {total}")
    } else {
        format!("tasks {}-{} of {total}", offset + 1, offset + shown)
    };
    if tasks.is_empty() { format!("{summary}\n") } else { format!("{}{summary}\n", finish(&mut table)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_show_two_units() {
        assert_eq!(age(SignedDuration::from_secs(30)), "30s");
        assert_eq!(age(SignedDuration::from_secs(3_600 * 3 + 60 * 20 + 5)), "3h 20m");
        assert_eq!(age(SignedDuration::from_secs(86_400 * 2 + 5)), "2d");
        assert_eq!(age(SignedDuration::ZERO), "0s");
        assert_eq!(age(SignedDuration::from_secs(-90)), "-1m 30s");
    }
}
