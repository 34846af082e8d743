//! Workflow validation: a workflow is checked before it is submitted, with
//! the verdict its language's own engine would give. Each language has its
//! folder; `graph` holds the checks of the task graph that every language
//! shares, on a neutral value tree. It reads through `crate::fs` and never
//! imports `crate::queue`.

pub mod graph;
pub mod kcl;
#[cfg(feature = "nickel")]
pub mod nickel;
