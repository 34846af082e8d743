//! Readable tables.

use comfy_table::presets::NOTHING;
use comfy_table::{Cell, ContentArrangement, Table};
use jiff::{SignedDuration, Timestamp};
use orch_runtime::model::{StatusReport, Task};
use unicode_width::UnicodeWidthStr;

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

/// The task listing, laid out as [`table`] lays out a table, but written
/// straight into the text: a listing can run to 100,000 rows, and a cell
/// object per value cost a couple of kilobytes a row. One line per task, so
/// control characters in a value are shown escaped.
pub fn tasks(tasks: &[Task], offset: u64, total: u64) -> String {
    const HEADER: [&str; 7] = ["ID", "STATUS", "STATE", "PRIORITY", "CREATED", "WORKFLOW", "NAME"];
    const RIGHT_ALIGNED: usize = 3;
    let shown = tasks.len() as u64;
    let summary = if shown == total {
        format!("{total} task{}", if total == 1 { "" } else { "s" })
    } else if shown == 0 {
        format!("no tasks shown of {total}")
    } else {
        format!("tasks {}-{} of {total}", offset + 1, offset + shown)
    };
    if tasks.is_empty() {
        return format!("{summary}\n");
    }
    let cells = |t: &Task| {
        [
            one_line(&t.id),
            one_line(&t.status),
            t.state.map_or("-", |s| s.name()).to_string(),
            t.priority.to_string(),
            time(t.created_at),
            one_line(t.workflow.as_deref().unwrap_or("-")),
            one_line(t.name.as_deref().unwrap_or("-")),
        ]
    };
    let mut widths = HEADER.map(UnicodeWidthStr::width);
    for task in tasks {
        for (width, cell) in widths.iter_mut().zip(cells(task)) {
            *width = (*width).max(cell.width());
        }
    }
    let mut text = String::with_capacity((tasks.len() + 2) * (widths.iter().sum::<usize>() + 2 * widths.len() + 1));
    let mut line = |cells: [&str; 7], align_right: bool| {
        let start = text.len();
        for (column, (cell, width)) in cells.iter().zip(widths).enumerate() {
            let pad = " ".repeat(width - cell.width());
            if align_right && column == RIGHT_ALIGNED {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
            text.push_str("  ");
        }
        let end = text[start..].trim_end().len();
        text.truncate(start + end);
        text.push('\n');
    };
    line(HEADER, false);
    for task in tasks {
        let cells = cells(task);
        line(cells.each_ref().map(String::as_str), true);
    }
    text.push_str(&summary);
    text.push('\n');
    text
}

/// A value on one line: control characters (a newline in a name) escaped.
pub fn one_line(value: &str) -> String {
    if value.chars().any(char::is_control) {
        value.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
    } else {
        value.to_string()
    }
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

    fn task(id: &str, name: &str, priority: i64) -> Task {
        Task { id: id.into(), name: Some(name.into()), status: "pending".into(), priority, ..Task::default() }
    }

    #[test]
    fn task_columns_align_by_display_width_and_priority_to_the_right() {
        let text = tasks(&[task("a", "日本 deploy", 10), task("bb", "two\nlines", 7)], 0, 2);
        assert_eq!(
            text,
            "ID  STATUS   STATE  PRIORITY  CREATED  WORKFLOW  NAME\n\
             a   pending  -            10  -        -         日本 deploy\n\
             bb  pending  -             7  -        -         two\\nlines\n\
             2 tasks\n"
        );
    }
}
