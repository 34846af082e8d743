//! Agreement with a reference implementation, case by case, and the
//! known misses: a differential test lists every case on which it
//! disagrees with the reference, by name, and fails when a case not on
//! the list disagrees or a listed one now agrees. The counts and
//! percentages are printed, never compared with a threshold.

use std::collections::BTreeSet;
use std::fmt::Write;

/// How a case disagrees with the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Miss {
    /// One side accepts it, the other rejects it.
    Verdict,
    /// Both reject it, with the first error at different places.
    Place,
}

impl Miss {
    fn constructor(self) -> &'static str {
        match self {
            Miss::Verdict => "verdict",
            Miss::Place => "place",
        }
    }
}

/// A case on a test's list of known misses, and why it misses.
#[derive(Clone, Copy, Debug)]
pub struct KnownMiss {
    pub case: &'static str,
    pub miss: Miss,
    pub why: &'static str,
}

impl KnownMiss {
    pub const fn verdict(case: &'static str, why: &'static str) -> KnownMiss {
        KnownMiss { case, miss: Miss::Verdict, why }
    }

    pub const fn place(case: &'static str, why: &'static str) -> KnownMiss {
        KnownMiss { case, miss: Miss::Place, why }
    }
}

/// A disagreement as found: the case, how, and both sides' answers.
pub struct Found {
    pub case: String,
    pub miss: Miss,
    pub detail: String,
}

/// The tally of one group of cases.
#[derive(Default)]
pub struct Score {
    pub inputs: usize,
    /// Cases the reference could not judge (it crashed or timed out), by name.
    pub unscored: Vec<String>,
    pub theirs_accept: usize,
    pub ours_accept: usize,
    pub verdict_agree: usize,
    pub both_reject: usize,
    pub place_agree: usize,
    /// Cases the reference accepts and we reject.
    pub false_rejects: usize,
    pub misses: Vec<Found>,
}

fn pct(n: usize, of: usize) -> f64 {
    if of == 0 { 100.0 } else { 100.0 * n as f64 / of as f64 }
}

impl Score {
    /// A case the reference could not judge.
    pub fn unscored(&mut self, case: &str) {
        self.inputs += 1;
        self.unscored.push(case.to_string());
    }

    /// Scores one case. Each side's verdict is `None` (accepted) or the
    /// place of its first error; `detail` describes both, for a miss.
    pub fn judge<P: PartialEq>(
        &mut self,
        case: &str,
        ours: Option<&P>,
        theirs: Option<&P>,
        detail: impl FnOnce() -> String,
    ) -> Option<Miss> {
        self.inputs += 1;
        self.theirs_accept += usize::from(theirs.is_none());
        self.ours_accept += usize::from(ours.is_none());
        let miss = match (ours, theirs) {
            (None, None) => None,
            (Some(ours), Some(theirs)) => {
                self.both_reject += 1;
                if ours == theirs {
                    self.place_agree += 1;
                    None
                } else {
                    Some(Miss::Place)
                }
            }
            (Some(_), None) => {
                self.false_rejects += 1;
                Some(Miss::Verdict)
            }
            (None, Some(_)) => Some(Miss::Verdict),
        };
        if miss != Some(Miss::Verdict) {
            self.verdict_agree += 1;
        }
        if let Some(miss) = miss {
            self.misses.push(Found { case: case.to_string(), miss, detail: detail() });
        }
        miss
    }

    pub fn scored(&self) -> usize {
        self.inputs - self.unscored.len()
    }

    /// Cases the reference rejects and we accept.
    pub fn false_accepts(&self) -> usize {
        self.scored() - self.verdict_agree - self.false_rejects
    }

    pub fn verdict_pct(&self) -> f64 {
        pct(self.verdict_agree, self.scored())
    }

    pub fn place_pct(&self) -> f64 {
        pct(self.place_agree, self.both_reject)
    }

    /// `verdicts 925/928 (99.68 %), first error 752/758 (99.21 %) of both-rejected`.
    pub fn summary(&self) -> String {
        format!(
            "verdicts {}/{} ({:.2} %), first error {}/{} ({:.2} %) of both-rejected",
            self.verdict_agree,
            self.scored(),
            self.verdict_pct(),
            self.place_agree,
            self.both_reject,
            self.place_pct()
        )
    }
}

/// Compares the misses of `scores` with `known` (the list `list` names,
/// for the message): an error saying which entries to add and which to
/// remove, unless they match exactly. A listed case the reference could
/// not judge this time is neither.
pub fn check_known(scores: &[&Score], known: &[KnownMiss], list: &str) -> Result<(), String> {
    let found: Vec<&Found> = scores.iter().flat_map(|s| &s.misses).collect();
    let unscored: BTreeSet<&str> = scores.iter().flat_map(|s| &s.unscored).map(String::as_str).collect();
    let listed: BTreeSet<(&str, Miss)> = known.iter().map(|k| (k.case, k.miss)).collect();
    let missed: BTreeSet<(&str, Miss)> = found.iter().map(|f| (f.case.as_str(), f.miss)).collect();
    let mut message = String::new();
    let new: Vec<&&Found> = found.iter().filter(|f| !listed.contains(&(f.case.as_str(), f.miss))).collect();
    if !new.is_empty() {
        let _ = writeln!(message, "{} misses are not on {list}: fix them, or add them to it:", new.len());
        for f in new {
            let _ = writeln!(
                message,
                "    KnownMiss::{}({:?}, \"WHY\"),\n        {}",
                f.miss.constructor(),
                f.case,
                f.detail
            );
        }
    }
    let stale: Vec<&KnownMiss> =
        known.iter().filter(|k| !missed.contains(&(k.case, k.miss)) && !unscored.contains(k.case)).collect();
    if !stale.is_empty() {
        let _ =
            writeln!(message, "{} cases on {list} no longer miss so (or no longer exist): remove them:", stale.len());
        for k in stale {
            let _ = writeln!(message, "    KnownMiss::{}({:?}, {:?}),", k.miss.constructor(), k.case, k.why);
        }
    }
    if listed.len() != known.len() {
        let _ = writeln!(message, "{list} names a case twice");
    }
    if message.is_empty() { Ok(()) } else { Err(message) }
}
