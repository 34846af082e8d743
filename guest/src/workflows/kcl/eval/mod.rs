//! Evaluation: runs a workflow the way `kcl run` does and reports what
//! KCL's evaluator (and the type checks of its resolver) would reject.
//!
//! This file holds the [`Evaluator`] and what its files share: the
//! context an expression runs in ([`Ctx`]) and where an instance is made
//! ([`Site`]). The rest of the evaluator is `impl Evaluator` blocks and
//! plain functions, one subject a file:
//!
//! * [`value`]: values and scopes, equality, printing, type names (of
//!   values and of written types), unit multipliers.
//! * [`error`]: findings and their codes; the type-mismatch finding.
//! * [`types`]: checking a value against a type, converting dicts to
//!   schema instances on the way.
//! * [`expr`], [`ops`], [`config`], [`stmt`]: the language; [`stmt`]
//!   also runs a module, once.
//! * [`schema`]: instantiation, inheritance, mixins, checks, rules.
//! * [`call`], [`builtins`], [`strings`], [`modules`], [`functype`]:
//!   functions.
//! * [`statics`]: what kcl's resolver rejects before evaluating, with
//!   [`name_types`]: the types it knows of top-level names.
//! * [`output`]: the module's output (bare expressions and globals).
//!
//! The evaluator is built to never reject what KCL accepts: whatever it
//! does not model (external packages, unsupported builtins, forward
//! references) evaluates to [`Value::Opaque`], which absorbs every
//! operation silently. Evaluation stops at the first error of a file,
//! as KCL's does. Work is bounded by a step budget and a call depth.
//!
//! May import: the syntax tree, `imports` (the loaded files),
//! `diagnostic` for codes, and `strict::walk` (a plain walker over the
//! tree, for [`statics`]); no other part of `strict`. Within the folder
//! every file may import this one, [`value`] and [`error`], and this one
//! imports only those two, [`error`] only [`value`], [`value`] none: the
//! files import each other in no circle.

mod builtins;
mod call;
mod config;
pub mod error;
mod expr;
mod functype;
mod modules;
mod name_types;
mod ops;
mod output;
mod schema;
mod statics;
mod stmt;
mod strings;
mod types;
mod value;

#[cfg(test)]
mod tests;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{RuleDef, SchemaDef, Span, Stmt, Type};
use super::imports::Workflow;
pub use error::Related;
use error::{EvalError, Result};
use value::Scope;

/// At most this many expression evaluations per workflow.
const MAX_STEPS: u64 = 20_000_000;
/// Lambda calls and schema instantiations nested deeper than this are
/// reported as runaway recursion.
const MAX_DEPTH: u32 = 96;

/// A finding: the file it is in, the diagnostic, and the related places.
pub type Finding = (usize, super::diagnostic::RawDiag, Vec<Related>);

/// Evaluates the entry file (index 0) and what it imports. Returns the
/// first error found, if any.
pub(crate) fn evaluate(wf: &Workflow) -> Vec<Finding> {
    let ev = Evaluator::new(wf);
    let mut found = Vec::new();
    for file in 0..wf.files.len() {
        if let Err(e) = ev.check_definitions(file) {
            found.push(e.into_raw());
            return found;
        }
    }
    if let Err(e) = ev.module(0) {
        found.push(e.into_raw());
    }
    found
}

/// Definitions of one file, found before its statements run (KCL
/// resolves schema names ahead of evaluation).
#[derive(Default)]
struct Definitions<'a> {
    schemas: HashMap<&'a str, &'a SchemaDef>,
    rules: HashMap<&'a str, &'a RuleDef>,
    aliases: HashMap<&'a str, &'a Type>,
}

pub(crate) struct Evaluator<'a> {
    wf: &'a Workflow,
    defs: Vec<Definitions<'a>>,
    /// Each file's globals, filled in as its statements run.
    modules: RefCell<HashMap<usize, Rc<Scope<'a>>>>,
    steps: Cell<u64>,
    depth: Cell<u32>,
    /// The file and span of the last statement run.
    last_stmt: Cell<(usize, Span)>,
}

/// Where an expression is evaluated: its file and its innermost scope.
#[derive(Clone)]
pub struct Ctx<'a> {
    pub file: usize,
    pub scope: Rc<Scope<'a>>,
}

impl<'a> Ctx<'a> {
    pub fn nested(&self) -> Ctx<'a> {
        Ctx { file: self.file, scope: Scope::child(&self.scope) }
    }

    /// An error at `span` in this context's file.
    pub fn error(&self, span: Span, code: &'static str, message: impl Into<String>) -> Box<EvalError> {
        EvalError::new(self.file, span, code, message)
    }
}

/// Where an instance is made: an expression (`Job {..}`), or a config
/// converted by a schema type. KCL reports a failed check at the
/// expression, or at the check itself when there is none.
#[derive(Clone, Copy)]
pub struct Site {
    pub span: Span,
    pub implicit: bool,
}

impl Site {
    pub fn explicit(span: Span) -> Self {
        Site { span, implicit: false }
    }

    pub fn implicit(span: Span) -> Self {
        Site { span, implicit: true }
    }
}

impl<'a> Evaluator<'a> {
    fn new(wf: &'a Workflow) -> Self {
        let defs = wf.files.iter().map(|f| definitions(&f.module.body)).collect();
        Evaluator {
            wf,
            defs,
            modules: RefCell::default(),
            steps: Cell::new(0),
            depth: Cell::new(0),
            last_stmt: Cell::new((0, Span::new(0, 0))),
        }
    }

    /// One unit of work; fails once the budget is spent.
    fn step(&self, file: usize, span: Span) -> Result<()> {
        let n = self.steps.get() + 1;
        self.steps.set(n);
        if n > MAX_STEPS {
            return Err(EvalError::new(
                file,
                span,
                error::BUDGET,
                format!("evaluation stopped after {MAX_STEPS} steps: the workflow does too much work"),
            ));
        }
        Ok(())
    }

    /// Runs `f` one call level deeper; fails past [`MAX_DEPTH`].
    fn deeper<T>(&self, file: usize, span: Span, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            return Err(EvalError::new(
                file,
                span,
                error::RECURSION_LIMIT,
                format!("maximum recursion depth exceeded: calls nested more than {MAX_DEPTH} deep"),
            ));
        }
        self.depth.set(d + 1);
        let out = f();
        self.depth.set(d);
        out
    }

    fn schema_def(&self, file: usize, name: &str) -> Option<&'a SchemaDef> {
        self.defs.get(file)?.schemas.get(name).copied()
    }

    fn rule_def(&self, file: usize, name: &str) -> Option<&'a RuleDef> {
        self.defs.get(file)?.rules.get(name).copied()
    }

    fn alias(&self, file: usize, name: &str) -> Option<&'a Type> {
        self.defs.get(file)?.aliases.get(name).copied()
    }
}

fn definitions(body: &[Stmt]) -> Definitions<'_> {
    let mut defs = Definitions::default();
    for stmt in body {
        match stmt {
            Stmt::Schema(def) => {
                defs.schemas.entry(def.name.as_str()).or_insert(def);
            }
            Stmt::Rule(def) => {
                defs.rules.entry(def.name.as_str()).or_insert(def);
            }
            Stmt::TypeAlias { name, ty, .. } => {
                defs.aliases.insert(name.parts.last().map(String::as_str).unwrap_or(""), ty);
            }
            _ => {}
        }
    }
    defs
}
