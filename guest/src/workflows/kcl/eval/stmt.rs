//! Statements: a module's top level, and the bodies of schemas and
//! lambdas.

use std::rc::Rc;

use super::super::ast::{Expr, Stmt};
use super::super::imports::Target;
use super::error::{self, Result, type_error};
use super::ops;
use super::output::Scalars;
use super::value::{Module, SchemaRef, Scope, Value};
use super::{Ctx, Evaluator};

/// Runs a file's statements in `scope`, its globals.
fn run_module<'a>(ev: &Evaluator<'a>, file: usize, scope: &Rc<Scope<'a>>) -> Result<()> {
    let wf = ev.wf;
    // Definitions and imports are known before any statement runs.
    for stmt in &wf.files[file].module.body {
        match stmt {
            Stmt::Schema(def) => {
                scope.set(&def.name, Value::Schema(Rc::new(SchemaRef { file, name: def.name.as_str().into() })))
            }
            Stmt::Rule(def) => {
                scope.set(&def.name, Value::Schema(Rc::new(SchemaRef { file, name: def.name.as_str().into() })))
            }
            _ => {}
        }
    }
    for resolved in &wf.imports[file] {
        let name = resolved.import.bound_name();
        let value = match &resolved.target {
            Target::Builtin => {
                let module = resolved.import.path.as_str();
                match super::modules::builtin_module(module) {
                    Some(m) => Value::Module(Rc::new(Module::Builtin(m))),
                    None => Value::Opaque,
                }
            }
            // One file: its globals. A directory package: only its
            // first file is modelled.
            Target::Files(files) if files.len() == 1 => {
                let globals = ev.module(files[0])?;
                Value::Module(Rc::new(Module::File(globals)))
            }
            _ => Value::Opaque,
        };
        scope.set(name, value);
    }
    let cx = Ctx { file, scope: scope.clone() };
    let mut scalars = Scalars::default();
    for stmt in &wf.files[file].module.body {
        ev.module_stmt(&cx, stmt, &mut scalars)?;
    }
    // Only the entry file is planned (an imported module's output is not).
    if file != 0 {
        return Ok(());
    }
    let imports: Vec<&str> = wf.imports[file].iter().map(|r| r.import.bound_name()).collect();
    scalars.plan(scope, &imports, ev.last_stmt.get())
}

impl<'a> Evaluator<'a> {
    /// The globals of `file`, evaluating it the first time.
    pub(super) fn module(&self, file: usize) -> Result<Rc<Scope<'a>>> {
        if let Some(done) = self.modules.borrow().get(&file) {
            // While a module runs (its own schemas, an import cycle), its
            // globals so far are what it has.
            return Ok(done.clone());
        }
        let scope = Rc::new(Scope::default());
        self.modules.borrow_mut().insert(file, scope.clone());
        run_module(self, file, &scope)?;
        Ok(scope)
    }

    /// A module-level statement: bare expressions, also in the taken
    /// branch of an `if`, are the module's scalars.
    fn module_stmt(&self, cx: &Ctx<'a>, stmt: &'a Stmt, scalars: &mut Scalars<'a>) -> Result<()> {
        match stmt {
            Stmt::Expr { exprs, span } => {
                self.last_stmt.set((cx.file, *span));
                for e in exprs {
                    let v = self.expr(cx, e)?;
                    scalars.add(e, v);
                }
            }
            Stmt::If { branches, span } => {
                self.last_stmt.set((cx.file, *span));
                for (cond, body) in branches {
                    if let Some(c) = cond {
                        let v = self.expr(cx, c)?;
                        if matches!(v, Value::Opaque) {
                            return Ok(());
                        }
                        if !v.truthy() {
                            continue;
                        }
                    }
                    for s in body {
                        self.module_stmt(cx, s, scalars)?;
                    }
                    break;
                }
            }
            other => self.stmt(cx, other)?,
        }
        Ok(())
    }
}

impl<'a> Evaluator<'a> {
    /// Runs one statement; returns the value of an expression statement.
    pub(super) fn stmt(&self, cx: &Ctx<'a>, stmt: &'a Stmt) -> Result<()> {
        self.stmt_value(cx, stmt).map(|_| ())
    }

    pub(super) fn stmt_value(&self, cx: &Ctx<'a>, stmt: &'a Stmt) -> Result<Option<Value<'a>>> {
        // kcl reports an output conflict at the last statement it ran
        // (imports are resolved before, and do not count).
        if !matches!(stmt, Stmt::Import(_)) {
            self.last_stmt.set((cx.file, stmt.span()));
        }
        match stmt {
            Stmt::Expr { exprs, .. } => {
                let mut last = None;
                for e in exprs {
                    last = Some(self.expr(cx, e)?);
                }
                return Ok(last);
            }
            Stmt::Assign { targets, ty, value, span } => {
                let mut v = self.expr(cx, value)?;
                if let Some(ty) = ty {
                    match self.conform(cx, cx.file, v.clone(), ty, value.span())? {
                        Some(x) => v = x,
                        None => return Err(type_error(cx.file, *span, ty, &v, None)),
                    }
                }
                for t in targets {
                    self.assign(cx, t, v.clone());
                }
            }
            Stmt::Unification { target, value, .. } => {
                let v = self.expr(cx, value)?;
                self.assign(cx, target, v);
            }
            Stmt::AugAssign { target, value, span } => {
                let current = self.expr(cx, target)?;
                let v = self.expr(cx, value)?;
                let text = &self.wf.files[cx.file].text[target.span().end as usize..value.span().start as usize];
                let op = aug_op(text.trim());
                let out = match op {
                    Some(op) => ops::binary(op, &current, &v).map_err(|err| self.op_error(cx, *span, err))?,
                    None => Value::Opaque,
                };
                self.assign(cx, target, out);
            }
            Stmt::Assert { test, cond, msg, span } => {
                if let Some(c) = cond {
                    let c = self.expr(cx, c)?;
                    if matches!(c, Value::Opaque) || !c.truthy() {
                        return Ok(None);
                    }
                }
                let t = self.expr(cx, test)?;
                if !matches!(t, Value::Opaque) && !t.truthy() {
                    let message = match msg {
                        Some(m) => match self.expr(cx, m)? {
                            Value::Str(s) => s.to_string(),
                            other => super::value::to_str(&other),
                        },
                        None => "Assertion failure".to_string(),
                    };
                    return Err(cx.error(*span, error::ASSERT_FAILED, message));
                }
            }
            Stmt::If { branches, .. } => {
                for (cond, body) in branches {
                    let taken = match cond {
                        Some(c) => {
                            let v = self.expr(cx, c)?;
                            if matches!(v, Value::Opaque) {
                                return Ok(None);
                            }
                            v.truthy()
                        }
                        None => true,
                    };
                    if taken {
                        let mut last = None;
                        for s in body {
                            last = self.stmt_value(cx, s)?;
                        }
                        return Ok(last);
                    }
                }
            }
            Stmt::Attr(attr) => {
                // An attribute outside a schema body (a lambda's
                // `x: int = 1`): an annotated assignment.
                let mut v = match &attr.value {
                    Some(e) => self.expr(cx, e)?,
                    None => Value::Undefined,
                };
                if let Some(x) = self.conform(cx, cx.file, v.clone(), &attr.ty, attr.span)? {
                    v = x;
                }
                cx.scope.set(&attr.name, v);
            }
            Stmt::Import(_) | Stmt::TypeAlias { .. } | Stmt::Schema(_) | Stmt::Rule(_) => {}
        }
        Ok(None)
    }

    /// `name = v`, `a.b = v`, `a[i] = v`: only plain names are tracked.
    fn assign(&self, cx: &Ctx<'a>, target: &'a Expr, v: Value<'a>) {
        match target {
            Expr::Name(n) if n.parts.len() == 1 => cx.scope.assign(n.first(), v),
            Expr::Name(n) => cx.scope.assign(n.first(), Value::Opaque),
            Expr::Suffixed { base, .. } => {
                if let Expr::Name(n) = &**base {
                    cx.scope.assign(n.first(), Value::Opaque);
                }
            }
            _ => {}
        }
    }
}

fn aug_op(text: &str) -> Option<super::super::ast::BinOp> {
    use super::super::ast::BinOp::*;
    Some(match text {
        "+=" => Add,
        "-=" => Sub,
        "*=" => Mul,
        "/=" => Div,
        "//=" => FloorDiv,
        "%=" => Mod,
        "**=" => Pow,
        "<<=" => Shl,
        ">>=" => Shr,
        "&=" => BitAnd,
        "|=" => BitOr,
        "^=" => BitXor,
        _ => return None,
    })
}
