//! Calls: lambdas (arguments, parameter and return types), schemas and
//! rules called like functions, builtins and methods.

use super::super::ast::{Expr, Span, Stmt};
use super::error::{self, Result, type_error};
use super::value::{Func, Scope, Value};
use super::{Ctx, Evaluator, Site};

impl<'a> Evaluator<'a> {
    pub(super) fn call(
        &self,
        cx: &Ctx<'a>,
        callee: &Value<'a>,
        args: Vec<Value<'a>>,
        kwargs: Vec<(&str, Value<'a>)>,
        arg_exprs: &'a [Expr],
        span: Span,
    ) -> Result<Value<'a>> {
        match callee {
            Value::Func(f) => match &**f {
                Func::Lambda { params, ret, body, span: lspan, file, closure } => {
                    self.deeper(cx.file, span, || {
                        let name = callee_name(&self.wf.files[cx.file].text, span);
                        if args.len() > params.len() {
                            return Err(cx.error(
                                span,
                                error::ARGUMENT_COUNT,
                                format!(
                                    "\"{name}\" takes {} positional argument{} but {} were given",
                                    params.len(),
                                    if params.len() == 1 { "" } else { "s" },
                                    args.len()
                                ),
                            ));
                        }
                        let inner = Ctx { file: *file, scope: Scope::child(closure) };
                        let given = args.len();
                        for (i, (param, v)) in params.iter().zip(args).enumerate() {
                            let at = arg_exprs.get(i).map(Expr::span).unwrap_or(span);
                            let v = self.typed_param(cx, *file, param, v, at)?;
                            inner.scope.set(&param.name, v);
                        }
                        for (name, v) in kwargs {
                            match params.iter().find(|p| p.name == name) {
                                Some(param) => {
                                    let v = self.typed_param(cx, *file, param, v, span)?;
                                    inner.scope.set(name, v);
                                }
                                None => {
                                    return Err(cx.error(
                                        span,
                                        error::ARGUMENT_COUNT,
                                        format!("\"{name}\" got an unexpected keyword argument '{name}'"),
                                    ));
                                }
                            }
                        }
                        for param in &params[given..] {
                            if inner.scope.vars.borrow().contains_key(param.name.as_str()) {
                                continue;
                            }
                            match &param.default {
                                Some(d) => {
                                    let v = self.expr(&inner, d)?;
                                    inner.scope.set(&param.name, v);
                                }
                                None => {
                                    return Err(cx.error(
                                        span,
                                        error::ARGUMENT_COUNT,
                                        format!("\"{name}\" missing required positional argument '{}'", param.name),
                                    ));
                                }
                            }
                        }
                        // KCL reports a run-time error in a lambda's body at
                        // the lambda.
                        let (v, at) = self.body(&inner, body, *lspan).map_err(|mut e| {
                            let inside = e.file == *file && e.span.start >= lspan.start && e.span.end <= lspan.end;
                            if inside && error::is_runtime(e.code) {
                                e.span = Span::new(lspan.start, lspan.start);
                            }
                            e
                        })?;
                        match ret {
                            Some(ty) => match self.conform(&inner, *file, v.clone(), ty, at)? {
                                Some(x) => Ok(x),
                                None => Err(type_error(*file, at, ty, &v, Some((*file, *lspan)))),
                            },
                            None => Ok(v),
                        }
                    })
                }
                Func::Builtin(name) => super::builtins::call(self, cx, name, args, kwargs, span),
                Func::Method(recv, name) => match recv {
                    Value::Str(s) => super::strings::call(cx, s, name, args, span),
                    _ => Ok(Value::Opaque),
                },
            },
            Value::Schema(s) => {
                if let Some(rule) = self.rule_def(s.file, &s.name) {
                    return self.run_rule(cx, s.file, rule, args, Default::default(), Site::implicit(span));
                }
                match self.schema_def(s.file, &s.name) {
                    Some(def) => self.instantiate(
                        cx,
                        s.file,
                        def,
                        args,
                        kwargs,
                        arg_exprs,
                        Default::default(),
                        Site::explicit(span),
                    ),
                    None => Ok(Value::Opaque),
                }
            }
            Value::Opaque => Ok(Value::Opaque),
            other => {
                Err(cx.error(span, error::NOT_CALLABLE, format!("'{}' object is not callable", other.type_name())))
            }
        }
    }

    fn typed_param(
        &self,
        cx: &Ctx<'a>,
        file: usize,
        param: &'a super::super::ast::Param,
        v: Value<'a>,
        at: Span,
    ) -> Result<Value<'a>> {
        match &param.ty {
            Some(ty) => match self.conform(cx, file, v.clone(), ty, at)? {
                Some(x) => Ok(x),
                None => Err(type_error(cx.file, at, ty, &v, Some((file, param.span)))),
            },
            None => Ok(v),
        }
    }

    /// A lambda's body: the value of its last expression statement, and
    /// where that expression is.
    fn body(&self, cx: &Ctx<'a>, body: &'a [Stmt], span: Span) -> Result<(Value<'a>, Span)> {
        let mut last = (Value::None, span);
        for stmt in body {
            let v = self.stmt_value(cx, stmt)?;
            last = match (v, stmt) {
                (Some(v), Stmt::Expr { exprs, .. }) => (v, exprs.last().map(Expr::span).unwrap_or(span)),
                (Some(v), _) => (v, span),
                (None, _) => (Value::None, span),
            };
        }
        Ok(last)
    }
}

/// The name a call is made through (`f` in `f(1, 2)`), for messages.
fn callee_name(text: &str, span: Span) -> String {
    let call = text.get(span.start as usize..span.end as usize).unwrap_or("");
    let name: String = call.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
    if name.is_empty() { "lambda".into() } else { name }
}
