//! The task-graph checks that `--strict` runs on any workflow, whatever its
//! language: on a neutral value tree (records, lists, scalars, each with the
//! span of the source that produced it) that a language's adapter builds
//! from its own AST or evaluated value. A list whose items are records with
//! an `id` and a `depends_on` (or `dependencies`) field is a workflow: ids
//! must be unique, dependencies must name existing ids other than the item
//! itself, the graph must be acyclic, and limits must be positive.
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
pub const NON_POSITIVE_LIMIT: &str = "E4005";

/// One problem with a workflow's graph, at the caller's span.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding<S> {
    pub span: S,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl<S> Finding<S> {
    fn new(span: S, code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Finding { span, code, message: message.into(), hint: Some(hint.into()) }
    }
}

/// Every finding in a whole value: each list in it is checked as a
/// possible workflow, and each record's `parallel_limit` must be positive.
/// Iterative: an evaluated value can nest as deep as its engine allowed.
pub fn check<S: Copy>(root: &Value<S>) -> Vec<Finding<S>> {
    let mut out = Vec::new();
    let mut pending = vec![root];
    while let Some(value) = pending.pop() {
        match &value.node {
            Node::List(items) => {
                out.extend(check_list(items));
                pending.extend(items.iter().rev());
            }
            Node::Record(fields) => {
                out.extend(limits::check_record(fields));
                pending.extend(fields.iter().rev().map(|f| &f.value));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests;
