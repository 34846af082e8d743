//! Limits that must be positive: a step's timeout and retry counts, and a
//! workflow's `parallel_limit`.

use super::value::Field;
use super::{Finding, NON_POSITIVE_LIMIT};

const STEP_LIMITS: &[&str] = &["timeout", "retries", "retry_count", "max_retries"];

/// A step's `timeout`, `retries`, `retry_count`, `max_retries`, and the
/// `attempts` of a `retry` record.
pub fn check_step<S: Copy>(fields: &[Field<S>]) -> Vec<Finding<S>> {
    let mut out = Vec::new();
    for field in fields {
        if STEP_LIMITS.contains(&field.key.as_str()) {
            out.extend(non_positive(&field.key, field));
        } else if field.key == "retry" {
            let attempts = field.value.fields().into_iter().flatten().filter(|f| f.key == "attempts");
            out.extend(attempts.filter_map(|f| non_positive("retry.attempts", f)));
        }
    }
    out
}

pub fn check_record<S: Copy>(fields: &[Field<S>]) -> Vec<Finding<S>> {
    fields.iter().filter(|f| f.key == "parallel_limit").filter_map(|f| non_positive("parallel_limit", f)).collect()
}

fn non_positive<S: Copy>(name: &str, field: &Field<S>) -> Option<Finding<S>> {
    let n = field.value.as_number().filter(|n| *n <= 0.0)?;
    Some(Finding::new(
        field.value.span,
        NON_POSITIVE_LIMIT,
        format!("'{name}' must be positive, got {}", fmt(n)),
        format!("set '{name}' to a value greater than zero, or remove it"),
    ))
}

fn fmt(n: f64) -> String {
    if n.fract() == 0.0 { format!("{}", n as i64) } else { format!("{n}") }
}
