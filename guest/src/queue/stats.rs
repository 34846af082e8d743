//! Figures over a set of tasks: counts by status, priority and day, run-time
//! percentiles, the oldest pending task and the completion rate. Pure: the
//! caller selects the tasks and passes "now".

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::model::{
    DayCount, GroupedRunTimes, KNOWN_STATUSES, OldestPending, PriorityCount, RunTimes, StatusCount, Task, TaskStats,
    Throughput,
};

const SECONDS_PER_DAY: i64 = 86_400;

/// What the figures are made from, gathered one task at a time. Tallies of
/// disjoint sets of tasks merge into the tally of their union, so a scan
/// split over instances gives the same figures as one over the whole queue.
/// Times are nanoseconds (since the epoch, or long), which keeps the encoded
/// form plain numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    total: u64,
    by_status: BTreeMap<String, u64>,
    by_priority: BTreeMap<i64, u64>,
    /// Days since the epoch.
    by_day: BTreeMap<i64, u64>,
    undated: u64,
    /// Every non-negative run time is under its task's status, so these
    /// together are the overall figure.
    runs_by_status: BTreeMap<String, Vec<i128>>,
    runs_by_workflow: BTreeMap<String, Vec<i128>>,
    negative_run_times: u64,
    /// The least (`created-at`, id) of the pending tasks.
    oldest_pending: Option<(i128, String)>,
    earliest_created: Option<i128>,
    /// `completed-at` of the tasks whose status is `completed`.
    completions: Vec<i128>,
}

/// A tally that did not come from [`Tally::encode`].
#[derive(Debug, thiserror::Error)]
#[error("not a tally of task figures: {0}")]
pub struct TallyDecodeError(String);

impl Tally {
    pub fn add(&mut self, task: &Task) {
        self.total += 1;
        *self.by_status.entry(task.status.clone()).or_default() += 1;
        *self.by_priority.entry(task.priority).or_default() += 1;
        match task.created_at {
            Some(t) => {
                *self.by_day.entry(t.as_second().div_euclid(SECONDS_PER_DAY)).or_default() += 1;
                let created = t.as_nanosecond();
                self.earliest_created = Some(self.earliest_created.map_or(created, |e| e.min(created)));
                if task.status == "pending" {
                    let candidate = (created, task.id.clone());
                    if self.oldest_pending.as_ref().is_none_or(|o| candidate < *o) {
                        self.oldest_pending = Some(candidate);
                    }
                }
            }
            None => self.undated += 1,
        }
        if task.status == "completed"
            && let Some(at) = task.completed_at
        {
            self.completions.push(at.as_nanosecond());
        }
        let Some(run) = run_time(task) else { return };
        if run.is_negative() {
            self.negative_run_times += 1;
            return;
        }
        let run = run.as_nanos();
        self.runs_by_status.entry(task.status.clone()).or_default().push(run);
        if let Some(workflow) = &task.workflow {
            self.runs_by_workflow.entry(workflow.clone()).or_default().push(run);
        }
    }

    /// Adds the tasks `other` tallied, which must be none of this one's.
    pub fn merge(&mut self, other: Tally) {
        fn sum<K: Ord>(into: &mut BTreeMap<K, u64>, from: BTreeMap<K, u64>) {
            for (key, n) in from {
                *into.entry(key).or_default() += n;
            }
        }
        fn concat(into: &mut BTreeMap<String, Vec<i128>>, from: BTreeMap<String, Vec<i128>>) {
            for (key, runs) in from {
                into.entry(key).or_default().extend(runs);
            }
        }
        self.total += other.total;
        sum(&mut self.by_status, other.by_status);
        sum(&mut self.by_priority, other.by_priority);
        sum(&mut self.by_day, other.by_day);
        self.undated += other.undated;
        concat(&mut self.runs_by_status, other.runs_by_status);
        concat(&mut self.runs_by_workflow, other.runs_by_workflow);
        self.negative_run_times += other.negative_run_times;
        self.oldest_pending = self.oldest_pending.take().into_iter().chain(other.oldest_pending).min();
        self.earliest_created = self.earliest_created.into_iter().chain(other.earliest_created).min();
        self.completions.extend(other.completions);
    }

    /// `created_from` and `created_to` are the query's bounds, which fix the
    /// throughput window where given.
    pub fn finish(self, created_from: Option<Timestamp>, created_to: Option<Timestamp>, now: Timestamp) -> TaskStats {
        let mut by_status: Vec<StatusCount> =
            self.by_status.into_iter().map(|(status, count)| StatusCount { status, count }).collect();
        by_status.sort_by_cached_key(|c| (status_rank(&c.status), c.status.clone()));
        let mut runs_by_status: Vec<(String, Vec<i128>)> = self.runs_by_status.into_iter().collect();
        runs_by_status.sort_by_cached_key(|(status, _)| (status_rank(status), status.clone()));
        let all_runs: Vec<i128> = runs_by_status.iter().flat_map(|(_, runs)| runs.iter().copied()).collect();
        let grouped = |groups: Vec<(String, Vec<i128>)>| -> Vec<GroupedRunTimes> {
            groups
                .into_iter()
                .filter_map(|(key, runs)| {
                    summarize(durations(runs)).map(|run_times| GroupedRunTimes { key, run_times })
                })
                .collect()
        };
        let oldest_pending = self.oldest_pending.and_then(|(created, id)| {
            let created_at = instant(created)?;
            Some(OldestPending { id, created_at, age: now.duration_since(created_at) })
        });
        let window_start = created_from.or_else(|| self.earliest_created.and_then(instant));
        TaskStats {
            total: self.total,
            by_status,
            by_priority: self
                .by_priority
                .into_iter()
                .rev()
                .map(|(priority, count)| PriorityCount { priority, count })
                .collect(),
            by_day: self
                .by_day
                .into_iter()
                .filter_map(|(day, count)| Some(DayCount { day: utc_day(day)?, count }))
                .collect(),
            undated: self.undated,
            run_times: summarize(durations(all_runs)),
            run_times_by_status: grouped(runs_by_status),
            run_times_by_workflow: grouped(self.runs_by_workflow.into_iter().collect()),
            negative_run_times: self.negative_run_times,
            oldest_pending,
            throughput: throughput(&self.completions, window_start, created_to.unwrap_or(now)),
            skipped: Vec::new(),
        }
    }

    /// An opaque form that [`Tally::decode`] reads back, for a tally to
    /// travel from one instance to another through the host.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn decode(bytes: &[u8]) -> Result<Tally, TallyDecodeError> {
        let tally: Tally = serde_json::from_slice(bytes).map_err(|e| TallyDecodeError(e.to_string()))?;
        // Every time must be one jiff can hold, so that `finish` drops none.
        let instants =
            tally.oldest_pending.iter().map(|(t, _)| t).chain(&tally.earliest_created).chain(&tally.completions);
        if let Some(t) = instants.copied().find(|&t| instant(t).is_none()) {
            return Err(TallyDecodeError(format!("instant out of range: {t} ns")));
        }
        let runs = tally.runs_by_status.values().chain(tally.runs_by_workflow.values()).flatten();
        if let Some(r) = runs.copied().find(|&r| r < 0 || SignedDuration::try_from_nanos_i128(r).is_none()) {
            return Err(TallyDecodeError(format!("run time out of range: {r} ns")));
        }
        Ok(tally)
    }
}

/// The UTC date `days` after the epoch.
fn utc_day(days: i64) -> Option<Date> {
    Some(Timestamp::from_second(days.checked_mul(SECONDS_PER_DAY)?).ok()?.to_zoned(TimeZone::UTC).date())
}

fn instant(nanos: i128) -> Option<Timestamp> {
    Timestamp::from_nanosecond(nanos).ok()
}

/// Run times a tally holds, which came from jiff or passed [`Tally::decode`].
fn durations(runs: Vec<i128>) -> Vec<SignedDuration> {
    runs.into_iter().filter_map(SignedDuration::try_from_nanos_i128).collect()
}

/// Known statuses sort in lifecycle order, any other after them.
pub(crate) fn status_rank(status: &str) -> usize {
    KNOWN_STATUSES.iter().position(|s| *s == status).unwrap_or(KNOWN_STATUSES.len())
}

fn run_time(task: &Task) -> Option<SignedDuration> {
    Some(task.completed_at?.duration_since(task.started_at?))
}

/// Nearest-rank percentiles: each figure is a run time that occurred.
pub fn summarize(mut runs: Vec<SignedDuration>) -> Option<RunTimes> {
    if runs.is_empty() {
        return None;
    }
    runs.sort_unstable();
    Some(RunTimes {
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

/// Completions per hour between `window_start` and `window_end`; none for
/// an empty or inverted window.
fn throughput(completions: &[i128], window_start: Option<Timestamp>, window_end: Timestamp) -> Option<Throughput> {
    let window_start = window_start?;
    if window_end <= window_start {
        return None;
    }
    let (start, end) = (window_start.as_nanosecond(), window_end.as_nanosecond());
    let completed = completions.iter().filter(|&&at| start <= at && at <= end).count() as u64;
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

    /// `created_from` and `created_to` are the query's bounds, which fix the
    /// throughput window where given.
    fn compute(
        tasks: &[&Task],
        created_from: Option<Timestamp>,
        created_to: Option<Timestamp>,
        now: Timestamp,
    ) -> TaskStats {
        let mut tally = Tally::default();
        for task in tasks {
            tally.add(task);
        }
        tally.finish(created_from, created_to, now)
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
        assert_eq!(s.run_times_by_status, [GroupedRunTimes { key: "failed".into(), run_times: s.run_times.unwrap() }]);
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
        let statuses: Vec<_> = s.by_status.iter().map(|c| (c.status.as_str(), c.count)).collect();
        assert_eq!(statuses, [("pending", 2), ("completed", 1), ("failed", 1), ("paused", 1)]);
        assert_eq!(s.by_priority, [PriorityCount { priority: 9, count: 1 }, PriorityCount { priority: 0, count: 4 }]);
        let days: Vec<_> = s.by_day.iter().map(|c| (c.day.to_string(), c.count)).collect();
        assert_eq!(days, [("2025-10-06".into(), 1), ("2025-10-07".into(), 1), ("2025-10-08".into(), 2)]);
        assert_eq!(s.undated, 1);
    }

    #[test]
    fn days_before_the_epoch_floor_correctly() {
        let s = stats(&[task("a", "pending", "1969-12-31T23:00:00Z")]);
        assert_eq!(s.by_day[0].day.to_string(), "1969-12-31");
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
        let groups: Vec<_> =
            s.run_times_by_workflow.iter().map(|g| (g.key.as_str(), g.run_times.count, g.run_times.max)).collect();
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

    #[test]
    fn a_tally_survives_its_encoded_form_and_garbage_is_refused() {
        let mut tally = Tally::default();
        let mut done =
            ran(task("a", "completed", "1969-12-31T23:00:00Z"), "2025-10-08T10:00:00Z", "2025-10-08T10:00:00.5Z");
        done.workflow = Some("w".into());
        tally.add(&done);
        tally.add(&task("p", "pending", "2025-10-08T09:00:00Z"));
        let decoded = Tally::decode(&tally.encode()).unwrap();
        assert_eq!(decoded, tally);
        assert_eq!(decoded.finish(None, None, now()), tally.clone().finish(None, None, now()));
        assert!(Tally::decode(b"{").is_err());
        assert!(Tally::decode(b"[]").is_err());
        // Well-formed, but a time jiff cannot hold.
        let text = String::from_utf8(tally.encode()).unwrap();
        let far = text.replace("500000000]", "1000000000000000000000000000000]");
        assert_ne!(far, text);
        assert!(Tally::decode(far.as_bytes()).unwrap_err().to_string().contains("out of range"));
    }

    #[test]
    fn merged_tallies_give_the_figures_of_all_their_tasks() {
        let tasks = [
            ran(task("a", "completed", "2025-10-08T06:00:00Z"), "2025-10-08T06:00:00Z", "2025-10-08T07:00:00Z"),
            ran(task("b", "failed", "2025-10-07T06:00:00Z"), "2025-10-08T06:00:00Z", "2025-10-08T06:00:09Z"),
            task("c", "pending", "2025-10-05T08:00:00Z"),
            task("d", "pending", "2025-10-05T08:00:00Z"),
            Task { priority: 4, ..task("e", "paused", "2025-10-01T08:00:00Z") },
        ];
        let whole = stats(&tasks);
        for split in 0..=tasks.len() {
            let (mut left, mut right) = (Tally::default(), Tally::default());
            tasks[..split].iter().for_each(|t| left.add(t));
            tasks[split..].iter().for_each(|t| right.add(t));
            right.merge(left);
            assert_eq!(right.finish(None, None, now()), whole, "split at {split}");
        }
    }
}
