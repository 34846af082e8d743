//! Whole-process measurement: wall time and peak RSS of each run, taken
//! with `wait4` so the RSS is the child's own.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub wall: Duration,
    pub max_rss_kib: u64,
}

/// Runs `cmd` once; its stdout goes to /dev/null (the output is still
/// produced and written), its stderr must stay empty.
pub fn run_once(cmd: &mut Command) -> Sample {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    // Reaped by `wait4` below, which also reports its peak RSS.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet reaped; the out-pointers are valid.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(reaped, pid, "wait4 failed for {cmd:?}");
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed: status {status}");
    Sample { wall, max_rss_kib: usage.ru_maxrss as u64 }
}

/// Commands faster than this are run [`SHORT_RUN_FACTOR`] times as often:
/// a few milliseconds of wall time is where the machine's own noise (a
/// page-cache writeback, a scheduler hiccup) moves a median most, and the
/// extra runs cost next to nothing.
const SHORT_RUN: std::time::Duration = std::time::Duration::from_millis(50);
pub const SHORT_RUN_FACTOR: usize = 5;

/// The median wall time and the largest peak RSS over `runs` runs (more for
/// short commands), after one warm-up run (page cache, component cache).
pub fn measure(runs: usize, mut make: impl FnMut() -> Command) -> Sample {
    let warm_up = run_once(&mut make());
    let runs = if warm_up.wall < SHORT_RUN { runs * SHORT_RUN_FACTOR } else { runs };
    let mut samples: Vec<Sample> = (0..runs).map(|_| run_once(&mut make())).collect();
    samples.sort_by_key(|s| s.wall);
    Sample { wall: samples[samples.len() / 2].wall, max_rss_kib: samples.iter().map(|s| s.max_rss_kib).max().unwrap() }
}
