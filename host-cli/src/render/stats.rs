//! `orch stats` as text: bar charts of tasks by status, priority and day,
//! so the shape of the queue shows at a glance, then the run-time table and
//! the one-line figures.

use comfy_table::{Cell, CellAlignment};
use jiff::SignedDuration;
use orch_runtime::model::{GroupedRunTimes, RunTimes, TaskStats};

use super::table::{age, finish, table, time};

/// The longest bar, in characters.
const BAR_WIDTH: u64 = 30;

pub fn text(stats: &TaskStats) -> String {
    let mut out = format!("{} task{}\n", stats.total, if stats.total == 1 { "" } else { "s" });
    if stats.total == 0 {
        return out;
    }
    let section = |out: &mut String, title: &str, body: String| {
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        out.push_str(&body);
    };
    section(&mut out, "by status", bars(stats.by_status.iter().map(|c| (c.status.clone(), c.count))));
    section(&mut out, "by priority", bars(stats.by_priority.iter().map(|c| (c.priority.to_string(), c.count))));
    let mut days = bars(stats.by_day.iter().map(|c| (c.day.to_string(), c.count)));
    if stats.undated > 0 {
        days.push_str(&format!("({} without created_at)\n", stats.undated));
    }
    section(&mut out, "by day created (UTC)", days);
    if let Some(all) = stats.run_times {
        section(&mut out, "run time (completed_at - started_at)", run_times(all, stats));
    }
    if stats.negative_run_times > 0 {
        let n = stats.negative_run_times;
        out.push_str(&format!("({n} task{} started after completing, left out)\n", if n == 1 { "" } else { "s" }));
    }
    out.push('\n');
    let mut facts = table();
    let oldest = match &stats.oldest_pending {
        Some(o) => format!("{}, created {} ({} ago)", o.id, time(Some(o.created_at)), age(o.age)),
        None => "-".into(),
    };
    facts.add_row(vec!["oldest pending".to_string(), oldest]);
    let throughput = match &stats.throughput {
        Some(t) => format!(
            "{:.2}/h: {} completed from {} to {} ({})",
            t.per_hour,
            t.completed,
            time(Some(t.window_start)),
            time(Some(t.window_end)),
            age(t.window_end.duration_since(t.window_start))
        ),
        None => "-".into(),
    };
    facts.add_row(vec!["throughput".to_string(), throughput]);
    out.push_str(&finish(&mut facts));
    out
}

/// `label  ████████  9`, bars scaled to the largest count. A nonzero
/// count always gets at least one block.
fn bars(rows: impl Iterator<Item = (String, u64)>) -> String {
    let rows: Vec<(String, u64)> = rows.collect();
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let mut table = table();
    for (label, count) in rows {
        let len = (count * BAR_WIDTH).div_ceil(max);
        table.add_row(vec![
            Cell::new(label),
            Cell::new("█".repeat(len as usize)),
            Cell::new(count).set_alignment(CellAlignment::Right),
        ]);
    }
    finish(&mut table)
}

fn run_times(all: RunTimes, stats: &TaskStats) -> String {
    let mut table = table();
    table.set_header(["", "COUNT", "MIN", "MEDIAN", "P95", "MAX"]);
    let mut row = |label: String, r: &RunTimes| {
        let mut cells = vec![Cell::new(label), Cell::new(r.count).set_alignment(CellAlignment::Right)];
        cells.extend(
            [r.min, r.median, r.p95, r.max].map(|d| Cell::new(duration(d)).set_alignment(CellAlignment::Right)),
        );
        table.add_row(cells);
    };
    row("all".into(), &all);
    let grouped = |prefix: &str, groups: &[GroupedRunTimes]| -> Vec<(String, RunTimes)> {
        groups.iter().map(|g| (format!("{prefix}={}", g.key), g.run_times)).collect()
    };
    for (label, r) in grouped("status", &stats.run_times_by_status)
        .into_iter()
        .chain(grouped("workflow", &stats.run_times_by_workflow))
    {
        row(label, &r);
    }
    finish(&mut table)
}

/// Milliseconds below a second, else the two largest units.
fn duration(d: SignedDuration) -> String {
    if d.as_secs() == 0 { format!("{}ms", d.as_millis()) } else { age(d) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_count() {
        let text = bars([("a".to_string(), 10), ("b".to_string(), 5), ("c".to_string(), 1)].into_iter());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].matches('█').count(), 30);
        assert_eq!(lines[1].matches('█').count(), 15);
        assert_eq!(lines[2].matches('█').count(), 3);
        assert!(lines[2].ends_with(" 1"), "{text}");
    }

    #[test]
    fn short_durations_show_milliseconds() {
        assert_eq!(duration(SignedDuration::from_millis(250)), "250ms");
        assert_eq!(duration(SignedDuration::from_secs(90)), "1m 30s");
    }
}
