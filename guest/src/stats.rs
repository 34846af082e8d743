//! Figures over a set of tasks: counts by status, priority and day, run-time
//! percentiles, the oldest pending task and the completion rate. Pure: the
//! caller selects the tasks and passes "now".

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use crate::model::{KNOWN_STATUSES, Task};

const SECONDS_PER_DAY: i64 = 86_400;

#[derive(Debug, Clone, PartialEq)]
pub struct TaskStats {
    pub total: u64,
    /// Lifecycle order, then unknown statuses by name; only statuses that occur.
    pub by_status: Vec<(String, u64)>,
    /// Highest priority first.
    pub by_priority: Vec<(i64, u64)>,
    /// Each UTC day's first instant; oldest first, only days with tasks.
    pub by_day: Vec<(Timestamp, u64)>,
    pub undated: u64,
    pub run_times: Option<RunTimeSummary>,
    pub run_times_by_status: Vec<(String, RunTimeSummary)>,
    pub run_times_by_workflow: Vec<(String, RunTimeSummary)>,
    /// Tasks started after they completed: a clock or writer bug, so left
    /// out of the run times rather than counted as zero.
    pub negative_run_times: u64,
    pub oldest_pending: Option<OldestPending>,
    pub throughput: Option<Throughput>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTimeSummary {
    pub count: u64,
    pub min: SignedDuration,
    pub median: SignedDuration,
    pub p95: SignedDuration,
    pub max: SignedDuration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldestPending {
    pub id: String,
    pub created_at: Timestamp,
    pub age: SignedDuration,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    pub window_start: Timestamp,
    pub window_end: Timestamp,
    pub completed: u64,
    pub per_hour: f64,
}

/// `created_from` and `created_to` are the query's bounds, which fix the
/// throughput window where given.
pub fn compute(
    tasks: &[&Task],
    created_from: Option<Timestamp>,
    created_to: Option<Timestamp>,
    now: Timestamp,
) -> TaskStats {
    let mut by_status: BTreeMap<(usize, &str), u64> = BTreeMap::new();
    let mut by_priority: BTreeMap<std::cmp::Reverse<i64>, u64> = BTreeMap::new();
    let mut by_day: BTreeMap<i64, u64> = BTreeMap::new();
    let mut undated = 0;
    let mut all_runs = Vec::new();
    let mut runs_by_status: BTreeMap<(usize, &str), Vec<SignedDuration>> = BTreeMap::new();
    let mut runs_by_workflow: BTreeMap<&str, Vec<SignedDuration>> = BTreeMap::new();
    let mut negative_run_times = 0;
    for task in tasks {
        let status_key = (status_rank(&task.status), task.status.as_str());
        *by_status.entry(status_key).or_default() += 1;
        *by_priority.entry(std::cmp::Reverse(task.priority)).or_default() += 1;
        match task.created_at {
            Some(t) => *by_day.entry(t.as_second().div_euclid(SECONDS_PER_DAY)).or_default() += 1,
            None => undated += 1,
        }
        let Some(run) = run_time(task) else { continue };
        if run.is_negative() {
            negative_run_times += 1;
            continue;
        }
        all_runs.push(run);
        runs_by_status.entry(status_key).or_default().push(run);
        if let Some(workflow) = &task.workflow {
            runs_by_workflow.entry(workflow).or_default().push(run);
        }
    }
    TaskStats {
        total: tasks.len() as u64,
        by_status: by_status.into_iter().map(|((_, s), n)| (s.to_string(), n)).collect(),
        by_priority: by_priority.into_iter().map(|(p, n)| (p.0, n)).collect(),
        by_day: by_day
            .into_iter()
            .filter_map(|(day, n)| Timestamp::from_second(day * SECONDS_PER_DAY).ok().map(|t| (t, n)))
            .collect(),
        undated,
        run_times: summarize(all_runs),
        run_times_by_status: runs_by_status
            .into_iter()
            .filter_map(|((_, s), runs)| summarize(runs).map(|r| (s.to_string(), r)))
            .collect(),
        run_times_by_workflow: runs_by_workflow
            .into_iter()
            .filter_map(|(w, runs)| summarize(runs).map(|r| (w.to_string(), r)))
            .collect(),
        negative_run_times,
        oldest_pending: oldest_pending(tasks, now),
        throughput: throughput(tasks, created_from, created_to, now),
    }
}

/// Known statuses sort in lifecycle order, any other after them.
fn status_rank(status: &str) -> usize {
    KNOWN_STATUSES.iter().position(|s| *s == status).unwrap_or(KNOWN_STATUSES.len())
}

fn run_time(task: &Task) -> Option<SignedDuration> {
    Some(task.completed_at?.duration_since(task.started_at?))
}

/// Nearest-rank percentiles: each figure is a run time that occurred.
pub fn summarize(mut runs: Vec<SignedDuration>) -> Option<RunTimeSummary> {
    if runs.is_empty() {
        return None;
    }
    runs.sort_unstable();
    Some(RunTimeSummary {
        count: runs.len() as u64,
        min: runs[0],
        median: percentile(&runs, 50),
        p95: percentile(&runs, 95),
        max: runs[runs.len() - 1],
    })
}

/// The smallest value with at least `p` percent of `sorted` at or below it.
fn percentile(sorted: &[SignedDuration], p: usize) -> SignedDuration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Ties on `created_at` go to the smaller id, so the answer is stable.
fn oldest_pending(tasks: &[&Task], now: Timestamp) -> Option<OldestPending> {
    tasks
        .iter()
        .filter(|t| t.status == "pending")
        .filter_map(|t| Some((t.created_at?, t.id.as_str())))
        .min()
        .map(|(created_at, id)| OldestPending { id: id.to_string(), created_at, age: now.duration_since(created_at) })
}

fn throughput(
    tasks: &[&Task],
    created_from: Option<Timestamp>,
    created_to: Option<Timestamp>,
    now: Timestamp,
) -> Option<Throughput> {
    let window_start = created_from.or_else(|| tasks.iter().filter_map(|t| t.created_at).min())?;
    let window_end = created_to.unwrap_or(now);
    if window_end <= window_start {
        return None;
    }
    let completed = tasks
        .iter()
        .filter(|t| t.status == "completed")
        .filter_map(|t| t.completed_at)
        .filter(|&at| window_start <= at && at <= window_end)
        .count() as u64;
    let hours = window_end.duration_since(window_start).as_secs_f64() / 3_600.0;
    Some(Throughput { window_start, window_end, completed, per_hour: completed as f64 / hours })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn now() -> Timestamp {
        ts("2025-10-08T12:00:00Z")
    }

    fn task(id: &str, status: &str, created: &str) -> Task {
        Task { id: id.into(), status: status.into(), created_at: Some(ts(created)), ..Task::default() }
    }

    fn ran(mut t: Task, started: &str, completed: &str) -> Task {
        t.started_at = Some(ts(started));
        t.completed_at = Some(ts(completed));
        t
    }

    fn secs(n: i64) -> SignedDuration {
        SignedDuration::from_secs(n)
    }

    fn stats(tasks: &[Task]) -> TaskStats {
        compute(&tasks.iter().collect::<Vec<_>>(), None, None, now())
    }

    #[test]
    fn no_tasks_has_no_figures() {
        let s = stats(&[]);
        assert_eq!(s.total, 0);
        assert!(s.by_status.is_empty() && s.by_day.is_empty());
        assert_eq!((s.run_times, s.oldest_pending, s.throughput), (None, None, None));
    }

    #[test]
    fn one_task_is_every_percentile() {
        let s = stats(&[ran(
            task("a", "completed", "2025-10-08T10:00:00Z"),
            "2025-10-08T10:00:00Z",
            "2025-10-08T10:00:42Z",
        )]);
        let r = s.run_times.unwrap();
        assert_eq!((r.count, r.min, r.median, r.p95, r.max), (1, secs(42), secs(42), secs(42), secs(42)));
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let runs = |n: i64| (1..=n).map(secs).collect::<Vec<_>>();
        let r = summarize(runs(100)).unwrap();
        assert_eq!((r.min, r.median, r.p95, r.max), (secs(1), secs(50), secs(95), secs(100)));
        // Even count: the lower middle.
        assert_eq!(summarize(runs(4)).unwrap().median, secs(2));
        assert_eq!(summarize(runs(4)).unwrap().p95, secs(4));
        assert_eq!(summarize(runs(20)).unwrap().p95, secs(19));
        // Order of input does not matter.
        assert_eq!(summarize(vec![secs(9), secs(1), secs(5)]).unwrap().median, secs(5));
        assert_eq!(summarize(Vec::new()), None);
    }

    #[test]
    fn negative_run_times_are_counted_and_left_out() {
        let s = stats(&[
            ran(task("a", "completed", "2025-10-08T10:00:00Z"), "2025-10-08T10:05:00Z", "2025-10-08T10:00:00Z"),
            ran(task("b", "failed", "2025-10-08T10:00:00Z"), "2025-10-08T10:00:00Z", "2025-10-08T10:00:10Z"),
            task("c", "running", "2025-10-08T10:00:00Z"),
        ]);
        assert_eq!(s.negative_run_times, 1);
        assert_eq!(s.run_times.unwrap().count, 1);
        assert_eq!(s.run_times_by_status, [("failed".to_string(), s.run_times.unwrap())]);
    }

    #[test]
    fn counts_by_status_priority_and_day() {
        let mut urgent = task("u", "failed", "2025-10-07T23:59:59Z");
        urgent.priority = 9;
        let undated = Task { created_at: None, ..task("x", "paused", "2025-10-08T00:00:00Z") };
        let s = stats(&[
            task("a", "pending", "2025-10-08T00:00:00Z"),
            task("b", "completed", "2025-10-08T11:00:00Z"),
            task("c", "pending", "2025-10-06T09:00:00Z"),
            urgent,
            undated,
        ]);
        let statuses: Vec<_> = s.by_status.iter().map(|(s, n)| (s.as_str(), *n)).collect();
        assert_eq!(statuses, [("pending", 2), ("completed", 1), ("failed", 1), ("paused", 1)]);
        assert_eq!(s.by_priority, [(9, 1), (0, 4)]);
        let days: Vec<_> = s.by_day.iter().map(|(d, n)| (d.to_string(), *n)).collect();
        assert_eq!(
            days,
            [
                ("2025-10-06T00:00:00Z".into(), 1),
                ("2025-10-07T00:00:00Z".into(), 1),
                ("2025-10-08T00:00:00Z".into(), 2)
            ]
        );
        assert_eq!(s.undated, 1);
    }

    #[test]
    fn days_before_the_epoch_floor_correctly() {
        let s = stats(&[task("a", "pending", "1969-12-31T23:00:00Z")]);
        assert_eq!(s.by_day[0].0.to_string(), "1969-12-31T00:00:00Z");
    }

    #[test]
    fn run_times_group_by_workflow_by_name() {
        let in_workflow = |id, w: &str, secs_run: i64| {
            let mut t = ran(
                task(id, "completed", "2025-10-08T10:00:00Z"),
                "2025-10-08T10:00:00Z",
                &format!("2025-10-08T10:00:{secs_run:02}Z"),
            );
            t.workflow = Some(w.into());
            t
        };
        let s = stats(&[in_workflow("a", "web", 10), in_workflow("b", "db", 30), in_workflow("c", "web", 20)]);
        let groups: Vec<_> = s.run_times_by_workflow.iter().map(|(w, r)| (w.as_str(), r.count, r.max)).collect();
        assert_eq!(groups, [("db", 1, secs(30)), ("web", 2, secs(20))]);
    }

    #[test]
    fn oldest_pending_and_its_age() {
        let s = stats(&[
            task("b", "pending", "2025-10-08T09:00:00Z"),
            task("a", "pending", "2025-10-08T09:00:00Z"),
            task("c", "running", "2025-10-01T09:00:00Z"),
            Task { created_at: None, ..task("d", "pending", "2025-10-01T00:00:00Z") },
        ]);
        let oldest = s.oldest_pending.unwrap();
        assert_eq!((oldest.id.as_str(), oldest.age), ("a", secs(3 * 3600)));
    }

    #[test]
    fn throughput_over_the_bounds_or_from_the_first_task_to_now() {
        let done = |id, at: &str| ran(task(id, "completed", "2025-10-08T06:00:00Z"), "2025-10-08T06:00:00Z", at);
        let tasks = [
            done("a", "2025-10-08T07:00:00Z"),
            done("b", "2025-10-08T11:00:00Z"),
            task("c", "pending", "2025-10-08T08:00:00Z"),
        ];
        let refs: Vec<_> = tasks.iter().collect();
        // 06:00 to now (12:00): 2 in 6 h.
        let t = compute(&refs, None, None, now()).throughput.unwrap();
        assert_eq!((t.window_start, t.window_end, t.completed), (ts("2025-10-08T06:00:00Z"), now(), 2));
        assert!((t.per_hour - 2.0 / 6.0).abs() < 1e-12);
        // Given bounds: only completions inside count.
        let t = compute(&refs, Some(ts("2025-10-08T10:00:00Z")), Some(ts("2025-10-08T12:00:00Z")), now())
            .throughput
            .unwrap();
        assert_eq!((t.completed, t.per_hour), (1, 0.5));
        // An empty window has no rate.
        assert_eq!(compute(&refs, Some(now()), None, now()).throughput, None);
    }
}
