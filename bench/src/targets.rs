//! The report's targets: each one the issues set, measured in this run,
//! met or not, and what is left.

use std::fmt::Write;

/// One target, as this run measured it.
pub struct Target {
    /// What is measured, e.g. `` `orch workflows` ÷ `orch stats` at 100,000 tasks ``.
    pub what: String,
    /// The bound, as written, e.g. `≤ 1.10`.
    pub bound: String,
    pub measured: String,
    pub met: bool,
}

/// The targets table, then what is left: the targets not met.
pub fn section(targets: &[Target]) -> String {
    let mut text = String::from("\n## Targets\n\nFrom this run's figures above.\n\n");
    text.push_str("| target | bound | measured | met |\n| --- | :---: | ---: | :---: |\n");
    for t in targets {
        let _ = writeln!(text, "| {} | {} | {} | {} |", t.what, t.bound, t.measured, if t.met { "✓" } else { "✗" });
    }
    text.push_str("\n## What is left\n\n");
    let left: Vec<&Target> = targets.iter().filter(|t| !t.met).collect();
    if left.is_empty() {
        text.push_str("Every target above is met.\n");
    }
    for t in left {
        let _ = writeln!(text, "- {}: {} against {}.", t.what, t.measured, t.bound);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(met: bool) -> Target {
        Target { what: "`a` ÷ `b`".into(), bound: "≤ 1.10".into(), measured: "1.23".into(), met }
    }

    #[test]
    fn a_target_not_met_is_left() {
        let text = section(&[target(true), target(false)]);
        assert!(text.contains("| `a` ÷ `b` | ≤ 1.10 | 1.23 | ✗ |"), "{text}");
        assert!(text.contains("- `a` ÷ `b`: 1.23 against ≤ 1.10."), "{text}");
        assert!(section(&[target(true)]).contains("Every target above is met."));
    }
}
