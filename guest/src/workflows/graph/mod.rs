//! The task-graph checks that `--strict` runs on any workflow, whatever its
//! language: on a neutral value tree (records, lists, scalars, each with the
//! span of the source that produced it) that a language's adapter builds
//! from its own AST or evaluated value. A list whose items are records with
//! an `id` and a `depends_on` (or `dependencies`) field is a workflow: ids
//! must be unique, dependencies must name existing ids other than the item
//! itself, the graph must be acyclic, and limits must be positive.
//!
//! Several such lists that are fields of one record (`steps` and `cleanup`,
//! `operations` and `teardown`) are one workflow: one namespace of ids, and
//! dependencies (and cycles) cross from one list to the other. [`check`]
//! joins them; [`check_list`] sees one list only.
//!
//! Where each finding points (its `span`), and what its `related` spans are:
//!
//! | code    | message                                   | span                                   | related |
//! |---------|-------------------------------------------|----------------------------------------|---------|
//! | `E4001` | duplicate step id 'x'                     | the later `id`                          | the first `id` ("`x` is first defined here") |
//! | `E4002` | dependency on unknown step 'y'            | the dependency entry                    | none |
//! | `E4003` | step 'x' depends on itself                | the step's `id`                         | the entry ("`x` depends on itself here") |
//! | `E4004` | dependency cycle: a -> b -> c -> a        | the `id` of `a`, the step named first: the cycle's step that comes first in its list(s) | each edge's dependency entry, in cycle order ("`a` depends on `b` here") |
//! | `E4005` | 'retry.attempts' must be positive, got 0  | the value                               | the step's `id` ("on step `x`"), for a step's limits |
//!
//! `E4005` covers every limit: `timeout` must be positive (a number, or a
//! string that starts with one: `"30s"`); the retry and attempt counts
//! (`retries`, `retry_count`, `max_retries`, `max_attempts` on a step, and
//! `attempts`, `max_attempts`, `retries`, `max_retries` in its `retry`
//! record) must be positive *integers*: `0`, `-1`, `2.5`, `"3"`, `true`, a
//! record or a list are findings (`null`, and what an adapter left opaque,
//! are not); a workflow record's `parallel_limit` must be positive.
//!
//! It imports only [`crate::workflows::suggest`]; spans are the caller's
//! own type, handed back untouched in each finding.

mod limits;
mod steps;
mod value;

pub use steps::check_list;
pub use value::{Field, Node, Value};

pub const DUPLICATE_ID: &str = "E4001";
pub const UNKNOWN_DEPENDENCY: &str = "E4002";
pub const SELF_DEPENDENCY: &str = "E4003";
pub const DEPENDENCY_CYCLE: &str = "E4004";
/// A non-positive `timeout` or `parallel_limit`, or a retry/attempt count
/// that is not a positive integer.
pub const NON_POSITIVE_LIMIT: &str = "E4005";

/// One problem with a workflow's graph, at the caller's span, with the
/// other places that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding<S> {
    pub span: S,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub related: Vec<(S, String)>,
}

impl<S> Finding<S> {
    fn new(span: S, code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding { span, code, message: message.into(), hint: Some(hint.into()), related: Vec::new() }
    }

    fn with_related(mut self, related: Vec<(S, String)>) -> Self {
        self.related = related;
        self
    }
}

/// Every finding in a whole value: each list in it is checked as a
/// possible workflow (the workflow lists of one record together), and each
/// record's `parallel_limit` must be positive. Iterative: an evaluated
/// value can nest as deep as its engine allowed.
pub fn check<S: Copy>(root: &Value<S>) -> Vec<Finding<S>> {
    let mut out = Vec::new();
    // A list already checked as part of its record's workflow is only
    // descended into.
    let mut pending: Vec<(&Value<S>, bool)> = vec![(root, false)];
    while let Some((value, joined)) = pending.pop() {
        match &value.node {
            Node::List(items) => {
                if !joined {
                    out.extend(check_list(items));
                }
                pending.extend(items.iter().rev().map(|v| (v, false)));
            }
            Node::Record(fields) => {
                out.extend(limits::check_record(fields));
                let workflows: Vec<&[Value<S>]> = fields
                    .iter()
                    .filter_map(|f| match &f.value.node {
                        Node::List(items) if steps::is_workflow(items) => Some(items.as_slice()),
                        _ => None,
                    })
                    .collect();
                let join = workflows.len() > 1;
                if join {
                    out.extend(steps::check_items(workflows.into_iter().flatten()));
                }
                // (A list that is no workflow has no findings of its own either.)
                pending.extend(fields.iter().rev().map(|f| (&f.value, join && matches!(f.value.node, Node::List(_)))));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
