//! Limits: a step's timeout must be positive, its retry and attempt counts
//! positive integers, and a workflow's `parallel_limit` positive.

use super::value::{Field, Node, Value};
use super::{Finding, NON_POSITIVE_LIMIT};

/// Counts on the step itself.
const STEP_COUNTS: &[&str] = &["retries", "retry_count", "max_retries", "max_attempts"];
/// Counts in the step's `retry` record.
const RETRY_COUNTS: &[&str] = &["attempts", "max_attempts", "retries", "max_retries"];

/// A step's `timeout`, its counts, and the counts of its `retry` record;
/// each finding also points at the step (`id`: its id and the id's span).
pub fn check_step<S: Copy>(fields: &[Field<S>], id: Option<(&str, S)>) -> Vec<Finding<S>> {
    let mut out = Vec::new();
    for field in fields {
        let key = field.key.as_str();
        if key == "timeout" {
            out.extend(non_positive(key, &field.value));
        } else if STEP_COUNTS.contains(&key) {
            out.extend(not_a_count(key, &field.value));
        } else if key == "retry" {
            for inner in field.value.fields().into_iter().flatten() {
                if RETRY_COUNTS.contains(&inner.key.as_str()) {
                    out.extend(not_a_count(&format!("retry.{}", inner.key), &inner.value));
                }
            }
        }
    }
    if let Some((id, span)) = id {
        for finding in &mut out {
            finding.related.push((span, format!("on step `{id}`")));
        }
    }
    out
}

pub fn check_record<S: Copy>(fields: &[Field<S>]) -> Vec<Finding<S>> {
    fields
        .iter()
        .filter(|f| f.key == "parallel_limit")
        .filter_map(|f| non_positive("parallel_limit", &f.value))
        .collect()
}

fn non_positive<S: Copy>(name: &str, value: &Value<S>) -> Option<Finding<S>> {
    let n = value.as_number().filter(|n| *n <= 0.0)?;
    Some(Finding::new(
        value.span,
        NON_POSITIVE_LIMIT,
        format!("'{name}' must be positive, got {}", fmt(n)),
        format!("set '{name}' to a value greater than zero, or remove it"),
    ))
}

/// A count must be a positive integer; `null` (no count) and what the
/// adapter could not know are left alone.
fn not_a_count<S: Copy>(name: &str, value: &Value<S>) -> Option<Finding<S>> {
    let got = match &value.node {
        Node::Null | Node::Opaque => return None,
        Node::Number(n) if *n <= 0.0 => return non_positive(name, value),
        Node::Number(n) if n.fract() == 0.0 && n.is_finite() => return None,
        Node::Number(n) => fmt(*n),
        Node::Str(s) => format!("the string {s:?}"),
        Node::Bool(b) => format!("`{b}`"),
        Node::Record(_) => "a record".to_string(),
        Node::List(_) => "a list".to_string(),
    };
    Some(Finding::new(
        value.span,
        NON_POSITIVE_LIMIT,
        format!("'{name}' must be a whole number, got {got}"),
        format!("set '{name}' to a whole number greater than zero (a count, such as 3), or remove it"),
    ))
}

fn fmt(n: f64) -> String {
    if n.fract() == 0.0 { format!("{}", n as i64) } else { format!("{n}") }
}
