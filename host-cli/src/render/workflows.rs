//! `orch workflows` as text: one row per workflow, like `kubectl get`, and
//! with a NAME the workflow in sections, like `orch show`, then its tasks.
//! States are styled; the styles are dropped where stdout is not a terminal.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use orch_runtime::model::{GroupedBy, StateKind, WorkflowDetail, WorkflowRow, WorkflowState, WorkflowTask};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::table::{age, one_line, time};

const HEADING: Style = Style::new().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();
const GOOD: Style = AnsiColor::Green.on_default();
const WAITING: Style = AnsiColor::Yellow.on_default();
const PLAIN: Style = Style::new();

/// The width of the field names in the detail, so the values line up.
const LABEL: usize = 15;
/// HELD BY in the listing is cut to this many columns; the detail has it whole.
const HELD_BY_WIDTH: usize = 60;
/// What marks a row grouped by dependencies, after its name.
const BY_DEPENDENCIES: &str = "*";

/// The listing: one line per workflow, then how many.
pub fn table(rows: &[WorkflowRow]) -> String {
    if rows.is_empty() {
        return "no workflows\n".into();
    }
    const HEADER: [&str; 8] = ["WORKFLOW", "STATE", "TASKS", "DONE", "BLOCKED", "STARTED", "ELAPSED", "HELD BY"];
    let mut lines = Lines::new(&HEADER, &[2, 4, 6]);
    for row in rows {
        let name = match row.grouped_by {
            GroupedBy::Workflow => one_line(&row.name),
            GroupedBy::Dependencies => format!("{} {BY_DEPENDENCIES}", one_line(&row.name)),
        };
        lines.row([
            (name, PLAIN),
            (row.state.name().into(), state_style(row.state)),
            (row.total.to_string(), PLAIN),
            (progress(row), PLAIN),
            (row.blocked.to_string(), if row.blocked > 0 { BAD } else { PLAIN }),
            (time(row.started), PLAIN),
            (row.elapsed.map_or_else(|| "-".into(), age), PLAIN),
            (held_by(row), PLAIN),
        ]);
    }
    let mut text = lines.finish();
    let n = rows.len();
    let _ = writeln!(text, "{n} workflow{}", if n == 1 { "" } else { "s" });
    if rows.iter().any(|row| row.grouped_by == GroupedBy::Dependencies) {
        let _ =
            writeln!(text, "{BY_DEPENDENCIES} workflows without a `workflow` field are grouped by their dependencies");
    }
    text
}

/// One workflow: its figures, what holds it up, and its tasks in
/// dependency order.
pub fn detail(d: &WorkflowDetail) -> String {
    let row = &d.row;
    let mut out = String::new();
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "{HEADING}{:<LABEL$}{HEADING:#}{value}", format!("{name}:"));
    };
    field("Workflow", one_line(&row.name));
    field(
        "Grouped by",
        match row.grouped_by {
            GroupedBy::Workflow => "workflow".into(),
            GroupedBy::Dependencies if row.name == "-" => {
                "dependencies (the tasks with no `workflow` field that are linked to no other)".into()
            }
            GroupedBy::Dependencies => "dependencies (its tasks have no `workflow` field)".into(),
        },
    );
    field("State", styled(row.state.name(), state_style(row.state)));
    field("Progress", progress(row));
    let counts: Vec<String> = row
        .by_status
        .iter()
        .map(|c| format!("{} {}", c.count, styled(&one_line(&c.status), status_style(&c.status))))
        .collect();
    field("Tasks", if counts.is_empty() { "0".into() } else { format!("{} ({})", row.total, counts.join(", ")) });
    field("Blocked", styled(&row.blocked.to_string(), if row.blocked > 0 { BAD } else { PLAIN }));
    field("Started", time(row.started));
    let finished = matches!(row.state, WorkflowState::Failed | WorkflowState::Completed);
    field(
        "Elapsed",
        match row.elapsed {
            Some(d) if finished => age(d),
            Some(d) => format!("{} so far", age(d)),
            None => "-".into(),
        },
    );
    field("Last activity", time(row.last_activity));

    let _ = write!(out, "\n{HEADING}Held by:{HEADING:#}\n");
    if row.held_by.is_empty() {
        out.push_str("  (none)\n");
    } else {
        let mut lines = Lines::new(&["", "", ""], &[]);
        for held in &row.held_by {
            lines.row([
                (one_line(&held.id), PLAIN),
                (held.state.name().into(), kind_style(held.state)),
                (one_line(&held.reason), PLAIN),
            ]);
        }
        for line in lines.finish().lines().skip(1) {
            let _ = writeln!(out, "  {line}");
        }
    }

    let _ = write!(out, "\n{HEADING}Tasks:{HEADING:#}\n");
    if d.tasks.is_empty() {
        out.push_str("  (none)\n");
    } else {
        out.push_str(&tasks(&d.tasks));
    }
    out
}

/// The workflow's tasks, in the order given (dependencies first).
fn tasks(tasks: &[WorkflowTask]) -> String {
    const HEADER: [&str; 7] = ["ID", "STATUS", "STATE", "PRIORITY", "CREATED", "NAME", "WHY"];
    let mut lines = Lines::new(&HEADER, &[3]);
    for t in tasks {
        lines.row([
            (one_line(&t.id), PLAIN),
            (one_line(&t.status), status_style(&t.status)),
            (t.state.map_or("-", StateKind::name).into(), t.state.map_or(PLAIN, kind_style)),
            (t.priority.to_string(), PLAIN),
            (time(t.created_at), PLAIN),
            (one_line(t.name.as_deref().unwrap_or("-")), PLAIN),
            (t.reason.as_deref().map_or_else(String::new, one_line), PLAIN),
        ]);
    }
    lines.finish()
}

/// "3/5 60%": completed of all, and the share, rounded down so that 100%
/// means done.
fn progress(row: &WorkflowRow) -> String {
    let completed = row.by_status.iter().find(|c| c.status == "completed").map_or(0, |c| c.count);
    let percent = (row.progress * 100.0).floor() as u64;
    format!("{completed}/{} {percent}%", row.total)
}

/// The first task holding the workflow up, cut short, and how many more.
fn held_by(row: &WorkflowRow) -> String {
    let Some(first) = row.held_by.first() else {
        return "-".into();
    };
    let text = shorten(&short_ids(&one_line(&format!("{}: {}", first.id, first.reason))), HELD_BY_WIDTH);
    match row.held_by.len() - 1 {
        0 => text,
        more => format!("{text} (+{more} more)"),
    }
}

fn state_style(state: WorkflowState) -> Style {
    match state {
        WorkflowState::Failed | WorkflowState::Blocked => BAD,
        WorkflowState::Completed => GOOD,
        WorkflowState::Running | WorkflowState::Pending => WAITING,
    }
}

fn status_style(status: &str) -> Style {
    match status {
        "failed" | "cancelled" => BAD,
        "completed" => GOOD,
        "running" | "pending" => WAITING,
        _ => PLAIN,
    }
}

fn kind_style(kind: StateKind) -> Style {
    match kind {
        StateKind::Ready => GOOD,
        StateKind::Waiting => WAITING,
        StateKind::Blocked | StateKind::Dangling | StateKind::Cycle => BAD,
    }
}

fn styled(text: &str, style: Style) -> String {
    format!("{style}{text}{style:#}")
}

/// Aligned columns, measured on the text before it is styled, so that the
/// escape codes (kept on a terminal, dropped elsewhere) never shift them.
struct Lines<const N: usize> {
    header: [String; N],
    rows: Vec<[(String, Style); N]>,
    right_aligned: &'static [usize],
}

impl<const N: usize> Lines<N> {
    fn new(header: &[&str; N], right_aligned: &'static [usize]) -> Self {
        Lines { header: header.map(str::to_string), rows: Vec::new(), right_aligned }
    }

    fn row(&mut self, cells: [(String, Style); N]) {
        self.rows.push(cells);
    }

    /// The header line, then the rows; no trailing blanks.
    fn finish(self) -> String {
        let mut widths = self.header.each_ref().map(|h| h.width());
        for row in &self.rows {
            for (width, (cell, _)) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        let mut text = String::new();
        let mut line = |cells: [(&str, Style); N], align: bool| {
            let mut parts = String::new();
            let mut plain_end = 0;
            for (column, ((cell, style), width)) in cells.iter().zip(widths).enumerate() {
                let pad = " ".repeat(width - cell.width());
                let right = align && self.right_aligned.contains(&column);
                if right {
                    parts.push_str(&pad);
                }
                parts.push_str(&styled(cell, *style));
                if !cell.is_empty() {
                    plain_end = parts.len();
                }
                if !right {
                    parts.push_str(&pad);
                }
                parts.push_str("  ");
            }
            parts.truncate(plain_end);
            text.push_str(&parts);
            text.push('\n');
        };
        line(self.header.each_ref().map(|h| (h.as_str(), PLAIN)), false);
        for row in &self.rows {
            line(row.each_ref().map(|(cell, style)| (cell.as_str(), *style)), true);
        }
        text
    }
}

/// UUIDs (the orchestrator's task ids) cut to their first 8 digits, as git
/// and docker shorten hashes: `orch show` takes the prefix.
fn short_ids(text: &str) -> String {
    const LEN: usize = 36;
    let bytes = text.as_bytes();
    let is_uuid = |at: usize| {
        bytes.get(at..at + LEN).is_some_and(|b| {
            b.iter()
                .enumerate()
                .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() })
        }) && !bytes.get(at + LEN).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let starts_word = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'-');
        if starts_word && is_uuid(at) {
            out.push_str(&text[at..at + 8]);
            at += LEN;
        } else {
            let c = text[at..].chars().next().expect("at is on a char boundary");
            out.push(c);
            at += c.len_utf8();
        }
    }
    out
}

/// At most `max` columns wide, ending in `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if width + w + 1 > max {
            break;
        }
        out.push(c);
        width += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use jiff::{SignedDuration, Timestamp};
    use orch_runtime::model::{HeldTask, StatusCount};

    use super::*;

    fn row(name: &str, grouped_by: GroupedBy, state: WorkflowState) -> WorkflowRow {
        WorkflowRow {
            name: name.into(),
            grouped_by,
            total: 5,
            by_status: vec![
                StatusCount { status: "pending".into(), count: 2 },
                StatusCount { status: "completed".into(), count: 3 },
            ],
            blocked: 0,
            progress: 0.6,
            state,
            started: Some("2025-10-08T10:00:00Z".parse::<Timestamp>().unwrap()),
            elapsed: Some(SignedDuration::from_secs(3_600 * 2 + 60 * 5)),
            last_activity: None,
            held_by: Vec::new(),
        }
    }

    fn held(id: &str, reason: &str) -> HeldTask {
        HeldTask { id: id.into(), name: None, state: StateKind::Ready, reason: reason.into() }
    }

    #[test]
    fn rows_align_and_the_dependency_groups_are_marked() {
        let text = anstream::adapter::strip_str(&table(&[
            {
                let mut web = row("deploy-web", GroupedBy::Workflow, WorkflowState::Pending);
                web.held_by = vec![held("t1", "ready: every dependency is completed"), held("t2", "ready")];
                web
            },
            row("-", GroupedBy::Dependencies, WorkflowState::Completed),
        ]))
        .to_string();
        assert_eq!(
            text,
            "WORKFLOW    STATE      TASKS  DONE     BLOCKED  STARTED              ELAPSED  HELD BY\n\
             deploy-web  pending        5  3/5 60%        0  2025-10-08 10:00:00    2h 5m  t1: ready: every dependency is completed (+1 more)\n\
             - *         completed      5  3/5 60%        0  2025-10-08 10:00:00    2h 5m  -\n\
             2 workflows\n\
             * workflows without a `workflow` field are grouped by their dependencies\n"
        );
    }

    #[test]
    fn uuids_are_cut_to_a_prefix() {
        assert_eq!(
            short_ids("8d116ece-1738-47d9-bd9c-172411e20b8f: blocked: 9531985d-5d9d-49f8-9818-e811892f902b failed"),
            "8d116ece: blocked: 9531985d failed"
        );
        // Not a whole word: left alone.
        let longer = "x8d116ece-1738-47d9-bd9c-172411e20b8f 8d116ece-1738-47d9-bd9c-172411e20b8f0 é";
        assert_eq!(short_ids(longer), longer);
        assert_eq!(short_ids("task-001: ready"), "task-001: ready");
    }

    #[test]
    fn no_rows_say_so() {
        assert_eq!(table(&[]), "no workflows\n");
    }

    #[test]
    fn held_by_is_cut_by_display_width() {
        assert_eq!(shorten("abcdef", 6), "abcdef");
        assert_eq!(shorten("abcdefg", 6), "abcde…");
        assert_eq!(shorten("日本語です", 5), "日本…");
    }

    #[test]
    fn progress_rounds_down() {
        let mut r = row("w", GroupedBy::Workflow, WorkflowState::Pending);
        r.total = 3;
        r.by_status = vec![StatusCount { status: "completed".into(), count: 2 }];
        r.progress = 2.0 / 3.0;
        assert_eq!(progress(&r), "2/3 66%");
    }
}
