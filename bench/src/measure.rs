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
    measure_alike(runs, &mut [&mut make]).remove(0)
}

/// Commands run in turns are all run as often as the shortest of them needs,
/// unless that would keep one of them running longer than this.
const TURNS_BUDGET: std::time::Duration = std::time::Duration::from_secs(20);

/// [`measure`] for several commands at once, run in turns: a noisy stretch
/// of the machine's time then falls on all of them alike, and the ratios
/// between them, which the benchmark reports, stay fair. Each is run as
/// often as the shortest needs, so that the turns last to the end; only
/// where that would be too long (jq over 100,000 files) does a slow one stop
/// early, and the short ones' extra runs come in turns among themselves.
pub fn measure_alike(runs: usize, makers: &mut [&mut dyn FnMut() -> Command]) -> Vec<Sample> {
    let warmups: Vec<Duration> = makers.iter_mut().map(|make| run_once(&mut make()).wall).collect();
    let own = |wall: &Duration| if *wall < SHORT_RUN { runs * SHORT_RUN_FACTOR } else { runs };
    let most = warmups.iter().map(own).max().unwrap_or(runs);
    let fits = warmups.iter().all(|wall| *wall * most as u32 <= TURNS_BUDGET);
    let counts: Vec<usize> = warmups.iter().map(|wall| if fits { most } else { own(wall) }).collect();
    let mut samples: Vec<Vec<Sample>> = makers.iter().map(|_| Vec::new()).collect();
    for round in 0..counts.iter().copied().max().unwrap_or(0) {
        for (index, make) in makers.iter_mut().enumerate() {
            if round < counts[index] {
                samples[index].push(run_once(&mut make()));
            }
        }
    }
    samples.into_iter().map(summary).collect()
}

/// The median wall time and the largest peak RSS.
fn summary(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by_key(|s| s.wall);
    Sample { wall: samples[samples.len() / 2].wall, max_rss_kib: samples.iter().map(|s| s.max_rss_kib).max().unwrap() }
}
