//! Strict checks: findings beyond syntax, found without executing KCL.
//!
//! * [`names`]: undefined names, reassigned public (immutable) globals.
//! * [`schemas`]: schema instances with unknown or missing attributes.
//! * [`graph`]: workflow step lists: duplicate/unknown/self/cyclic
//!   dependencies, non-positive timeouts and retry counts.
//! * unresolved imports (resolution itself is in `imports`).
//!
//! Files with syntax errors are skipped: their trees are partial and
//! would produce noise on top of the real problem.

mod graph;
mod names;
pub(crate) mod schemas;
pub(crate) mod walk;

use super::diagnostic::RawDiag;
use super::imports::{Target, Workflow, unresolved_diag};

/// Every finding, tagged with the index of the file it belongs to.
pub(crate) fn check(wf: &Workflow) -> Vec<(usize, RawDiag)> {
    let table = schemas::SchemaTable::build(wf);
    let mut out = Vec::new();
    for (index, file) in wf.files.iter().enumerate() {
        if !file.syntax.is_empty() {
            continue;
        }
        let mut found = Vec::new();
        for resolved in &wf.imports[index] {
            if let Target::Unresolved(why) = &resolved.target {
                found.push(unresolved_diag(&resolved.import, why));
            }
        }
        found.extend(names::check(wf, index, &table));
        found.extend(schemas::check_instances(wf, index, &table));
        found.extend(graph::check(&file.module));
        found.sort_by_key(|d| (d.start, d.end));
        out.extend(found.into_iter().map(|d| (index, d)));
    }
    out
}
