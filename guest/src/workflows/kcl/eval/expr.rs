//! Expressions.

use std::rc::Rc;

use super::super::ast::{BinOp, CompClause, Entry, Expr, Name, Span, Suffix, Template};
use super::builtins;
use super::error::{self, EvalError, Result};
use super::ops::{self, OpError};
use super::strings::format_spec;
use super::value::{Dict, Func, Module, Value, to_str, unit_factor};
use super::{Ctx, Evaluator};

/// A list built by a comprehension holds at most this many items: far
/// beyond any workflow, well inside the component's memory.
const MAX_ITEMS: usize = 1 << 20;

/// A call's positional and keyword argument values.
pub type Arguments<'a> = (Vec<Value<'a>>, Vec<(&'a str, Value<'a>)>);

impl<'a> Evaluator<'a> {
    pub(super) fn expr(&self, cx: &Ctx<'a>, e: &'a Expr) -> Result<Value<'a>> {
        self.step(cx.file, e.span())?;
        match e {
            Expr::Name(n) => self.dotted(cx, n),
            Expr::Number { span, .. } => Ok(self.number(cx, *span)),
            Expr::Str { value, parts, template, .. } => match template {
                Some(t) => self.interpolate(cx, t, parts),
                None => Ok(Value::str(value)),
            },
            Expr::Constant(span) => Ok(match &self.wf.files[cx.file].text[span.start as usize..span.end as usize] {
                "True" => Value::Bool(true),
                "False" => Value::Bool(false),
                "Undefined" => Value::Undefined,
                _ => Value::None,
            }),
            Expr::List { items, .. } => {
                let mut out = Vec::with_capacity(items.len());
                self.list_items(cx, items, &mut out)?;
                Ok(Value::list(out))
            }
            Expr::ListComp { elt, clauses, .. } => {
                let mut out = Vec::new();
                self.comprehension(cx, clauses, &mut |ev, cx| {
                    let v = ev.expr(cx, elt)?;
                    if out.len() >= MAX_ITEMS {
                        return Err(cx.error(
                            elt.span(),
                            error::BUDGET,
                            format!("a comprehension built more than {MAX_ITEMS} items"),
                        ));
                    }
                    out.push(v);
                    Ok(())
                })?;
                Ok(Value::list(out))
            }
            Expr::Config { entries, .. } => Ok(Value::dict(self.config(cx, entries)?.dict)),
            Expr::DictComp { entry, clauses, .. } => {
                let mut out = Dict::default();
                let entry: &'a Entry = entry;
                self.comprehension(cx, clauses, &mut |ev, cx| {
                    let one = ev.config(cx, std::slice::from_ref(entry))?;
                    for (k, v) in one.dict.entries {
                        out.insert(k, v);
                    }
                    Ok(())
                })?;
                Ok(Value::dict(out))
            }
            Expr::Schema { name, args, kwargs, config, span } => {
                let target = self.dotted(cx, name)?;
                let Expr::Config { entries, .. } = &**config else { return Ok(Value::Opaque) };
                let conf = self.config(cx, entries)?;
                self.instantiate_value(cx, &target, args, kwargs, conf, *span)
            }
            Expr::Lambda { params, ret, body, span } => Ok(Value::Func(Rc::new(Func::Lambda {
                params,
                ret: ret.as_ref(),
                body,
                span: *span,
                file: cx.file,
                closure: cx.scope.clone(),
            }))),
            Expr::Quant { vars, target, test, cond, span } => {
                self.quantifier(cx, e, vars, target, test, cond.as_deref(), *span)
            }
            Expr::Unary { op, operand, span } => {
                let v = self.expr(cx, operand)?;
                ops::unary(*op, &v).map_err(|err| self.op_error(cx, *span, err))
            }
            Expr::Binary { operands, ops, span } => self.binary(cx, operands, ops, *span),
            Expr::IfElse { body, cond, orelse, .. } => {
                if self.expr(cx, cond)?.truthy() {
                    self.expr(cx, body)
                } else {
                    self.expr(cx, orelse)
                }
            }
            Expr::Paren(inner, _) => self.expr(cx, inner),
            Expr::Suffixed { base, suffixes, span } => self.suffixed(cx, base, suffixes, *span),
            Expr::Starred(inner, _) => self.expr(cx, inner),
            Expr::ListIf { .. } | Expr::ConfigIf { .. } | Expr::Missing(_) => Ok(Value::Opaque),
        }
    }

    /// `a.b.c`.
    pub(super) fn dotted(&self, cx: &Ctx<'a>, n: &Name) -> Result<Value<'a>> {
        let mut v = self.name(cx, n.first());
        for part in &n.parts[1..] {
            v = self.attribute(cx, &v, part, n.span)?;
        }
        Ok(v)
    }

    /// A name: the scopes, then the builtins; a name nobody defines is
    /// the strict checks' business, and evaluates to `Opaque` here.
    pub(super) fn name(&self, cx: &Ctx<'a>, name: &str) -> Value<'a> {
        if let Some(v) = cx.scope.lookup(name) {
            return v;
        }
        match builtins::lookup(name) {
            Some(f) => Value::Func(Rc::new(Func::Builtin(f))),
            None => Value::Opaque,
        }
    }

    fn number(&self, cx: &Ctx<'a>, span: Span) -> Value<'a> {
        use super::super::lexer::{NumberLiteral, number_literal};
        let text = &self.wf.files[cx.file].text[span.start as usize..span.end as usize];
        match number_literal(text) {
            Some(NumberLiteral::Int(i)) => Value::Int(i),
            Some(NumberLiteral::Float(f)) => Value::Float(f),
            Some(NumberLiteral::Unit(n, suffix)) => match unit_factor(suffix) {
                Some(factor) => Value::Unit(n.saturating_mul(factor), n, suffix),
                None => Value::Opaque,
            },
            None => Value::Opaque,
        }
    }

    fn interpolate(&self, cx: &Ctx<'a>, t: &'a Template, parts: &'a [Expr]) -> Result<Value<'a>> {
        let mut out = String::new();
        for (i, literal) in t.literals.iter().enumerate() {
            out.push_str(literal);
            if let Some(part) = parts.get(i) {
                let v = self.expr(cx, part)?;
                if matches!(v, Value::Opaque) {
                    return Ok(Value::Opaque);
                }
                match t.specs.get(i).and_then(|s| s.as_deref()) {
                    Some(spec) => out.push_str(&format_spec(&v, spec)),
                    None => out.push_str(&to_str(&v)),
                }
            }
        }
        Ok(Value::Str(out.into()))
    }

    fn list_items(&self, cx: &Ctx<'a>, items: &'a [Expr], out: &mut Vec<Value<'a>>) -> Result<()> {
        for item in items {
            match item {
                Expr::Starred(inner, span) => match self.expr(cx, inner)? {
                    Value::List(l) => out.extend(l.iter().cloned()),
                    Value::Dict(d) => out.extend(d.entries.iter().map(|(k, _)| Value::Str(k.clone()))),
                    Value::None | Value::Undefined => {}
                    Value::Opaque => out.push(Value::Opaque),
                    // kcl's resolver rejects `*` of anything else (its
                    // message names the type `any`).
                    _ => {
                        return Err(cx.error(
                            *span,
                            error::OPERAND_TYPES,
                            "only list, dict, schema object can be used * unpacked, got any",
                        ));
                    }
                },
                Expr::ListIf { branches, .. } => {
                    if let Some(body) = self.taken_branch(cx, branches)? {
                        self.list_items(cx, body, out)?;
                    }
                }
                other => out.push(self.expr(cx, other)?),
            }
        }
        Ok(())
    }

    /// The body of the first branch of a list's or a config's `if` whose
    /// condition holds (or that has none: `else`).
    pub(super) fn taken_branch<T>(
        &self,
        cx: &Ctx<'a>,
        branches: &'a [(Option<Expr>, Vec<T>)],
    ) -> Result<Option<&'a [T]>> {
        for (cond, body) in branches {
            let taken = match cond {
                Some(c) => self.expr(cx, c)?.truthy(),
                None => true,
            };
            if taken {
                return Ok(Some(body));
            }
        }
        Ok(None)
    }

    /// Runs `body` once per binding of the clauses, in a nested scope.
    pub(super) fn comprehension(
        &self,
        cx: &Ctx<'a>,
        clauses: &'a [CompClause],
        body: &mut dyn FnMut(&Self, &Ctx<'a>) -> Result<()>,
    ) -> Result<()> {
        let inner = cx.nested();
        self.clauses(&inner, clauses, body)
    }

    fn clauses(
        &self,
        cx: &Ctx<'a>,
        clauses: &'a [CompClause],
        body: &mut dyn FnMut(&Self, &Ctx<'a>) -> Result<()>,
    ) -> Result<()> {
        let Some((first, rest)) = clauses.split_first() else {
            return body(self, cx);
        };
        let iter = self.expr(cx, &first.iter)?;
        let names: Vec<&str> = first.targets.iter().map(|t| t.first()).collect();
        for binding in self.iterate(cx, &iter, names.len(), first.iter.span())? {
            for (name, v) in names.iter().zip(binding) {
                cx.scope.set(name, v);
            }
            let mut keep = true;
            for cond in &first.ifs {
                if !self.expr(cx, cond)?.truthy() {
                    keep = false;
                    break;
                }
            }
            if keep {
                self.clauses(cx, rest, body)?;
            }
        }
        Ok(())
    }

    /// The bindings of `for a[, b] in v`: items (and indices), dict keys
    /// (and values), characters.
    pub(super) fn iterate(&self, cx: &Ctx<'a>, v: &Value<'a>, arity: usize, span: Span) -> Result<Vec<Vec<Value<'a>>>> {
        let pair = |a: Value<'a>, b: Value<'a>| if arity == 2 { vec![a, b] } else { vec![a] };
        Ok(match v {
            Value::List(l) => l
                .iter()
                .enumerate()
                .map(|(i, x)| if arity == 2 { vec![Value::Int(i as i64), x.clone()] } else { vec![x.clone()] })
                .collect(),
            Value::Dict(d) => d.entries.iter().map(|(k, x)| pair(Value::Str(k.clone()), x.clone())).collect(),
            Value::Str(s) => s
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    let ch = Value::Str(c.to_string().into());
                    if arity == 2 { vec![Value::Int(i as i64), ch] } else { vec![ch] }
                })
                .collect(),
            Value::None | Value::Undefined | Value::Opaque => Vec::new(),
            other => {
                return Err(cx.error(
                    span,
                    error::OPERAND_TYPES,
                    format!("'{}' object is not iterable", other.type_name()),
                ));
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn quantifier(
        &self,
        cx: &Ctx<'a>,
        whole: &'a Expr,
        vars: &'a [Name],
        target: &'a Expr,
        test: &'a Expr,
        cond: Option<&'a Expr>,
        span: Span,
    ) -> Result<Value<'a>> {
        let kind = &self.wf.files[cx.file].text[whole.span().start as usize..];
        let kind = kind.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        let iter = self.expr(cx, target)?;
        if matches!(iter, Value::Opaque) {
            return Ok(Value::Opaque);
        }
        let inner = cx.nested();
        let names: Vec<&str> = vars.iter().map(|v| v.first()).collect();
        let mut kept = Vec::new();
        for binding in self.iterate(cx, &iter, names.len(), span)? {
            let item = binding.last().cloned().unwrap_or(Value::None);
            for (name, v) in names.iter().zip(binding) {
                inner.scope.set(name, v);
            }
            if let Some(c) = cond
                && !self.expr(&inner, c)?.truthy()
            {
                continue;
            }
            let t = self.expr(&inner, test)?;
            match kind {
                "all" if !t.truthy() => return Ok(Value::Bool(false)),
                "any" if t.truthy() => return Ok(Value::Bool(true)),
                "map" => kept.push(t),
                "filter" if t.truthy() => kept.push(item),
                _ => {}
            }
        }
        Ok(match kind {
            "all" => Value::Bool(true),
            "any" => Value::Bool(false),
            _ => match iter {
                Value::Dict(d) if kind == "filter" => {
                    let keys: Vec<Rc<str>> = kept
                        .iter()
                        .filter_map(|k| if let Value::Str(s) = k { Some(s.clone()) } else { None })
                        .collect();
                    let mut out = Dict::default();
                    for (k, v) in &d.entries {
                        if keys.contains(k) {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                    Value::dict(out)
                }
                _ => Value::list(kept),
            },
        })
    }

    fn binary(&self, cx: &Ctx<'a>, operands: &'a [Expr], ops: &[BinOp], span: Span) -> Result<Value<'a>> {
        let Some(first) = operands.first() else { return Ok(Value::Opaque) };
        let mut acc = self.expr(cx, first)?;
        // `a < b < c` is `a < b and b < c`.
        let mut last_right: Option<Value<'a>> = None;
        for (i, op) in ops.iter().enumerate() {
            let Some(right) = operands.get(i + 1) else { break };
            match op {
                BinOp::And => {
                    if acc.truthy() && !matches!(acc, Value::Opaque) {
                        acc = self.expr(cx, right)?;
                    }
                }
                BinOp::Or => {
                    if !acc.truthy() {
                        acc = self.expr(cx, right)?;
                    }
                }
                // `x as T`: the value itself; casts are not modelled.
                BinOp::As => {}
                op if op.is_comparison() => {
                    let r = self.expr(cx, right)?;
                    let left = match (&last_right, i > 0 && ops[i - 1].is_comparison()) {
                        (Some(prev), true) => {
                            if !acc.truthy() {
                                continue;
                            }
                            prev.clone()
                        }
                        _ => acc.clone(),
                    };
                    acc = ops::binary(*op, &left, &r).map_err(|err| self.op_error(cx, span, err))?;
                    last_right = Some(r);
                    continue;
                }
                op => {
                    // KCL's resolver rejects a literal zero divisor.
                    if matches!(op, BinOp::Div | BinOp::FloorDiv | BinOp::Mod) && self.is_literal_zero(cx, right) {
                        return Err(cx.error(span, error::DIVISION_BY_ZERO, "integer division or modulo by zero"));
                    }
                    let r = self.expr(cx, right)?;
                    acc = ops::binary(*op, &acc, &r).map_err(|err| self.op_error(cx, span, err))?;
                }
            }
            last_right = None;
        }
        Ok(acc)
    }

    fn is_literal_zero(&self, cx: &Ctx<'a>, e: &Expr) -> bool {
        matches!(e, Expr::Number { .. }) && self.number(cx, e.span()).number().is_some_and(|n| n.as_f64() == 0.0)
    }

    pub(super) fn op_error(&self, cx: &Ctx<'a>, span: Span, err: OpError) -> Box<EvalError> {
        match err {
            OpError::Operands(m) => cx.error(span, error::OPERAND_TYPES, m),
            OpError::DivisionByZero(m) => cx.error(span, error::DIVISION_BY_ZERO, m),
            OpError::TooLarge => cx.error(span, error::BUDGET, "the value built here is too large"),
        }
    }

    fn suffixed(&self, cx: &Ctx<'a>, base: &'a Expr, suffixes: &'a [Suffix], span: Span) -> Result<Value<'a>> {
        let mut v = self.expr(cx, base)?;
        let mut optional = false;
        for suffix in suffixes {
            if optional && v.is_none() {
                return Ok(Value::None);
            }
            optional = false;
            v = match suffix {
                Suffix::Optional => {
                    optional = true;
                    continue;
                }
                Suffix::Attr(name) => self.attribute(cx, &v, name, span)?,
                Suffix::Call { args, kwargs } => {
                    let (values, named) = self.arguments(cx, args, kwargs)?;
                    self.call(cx, &v, values, named, args, span)?
                }
                Suffix::Index(parts) => {
                    let Some(index) = parts.first() else { return Ok(Value::Opaque) };
                    let i = self.expr(cx, index)?;
                    self.index(cx, &v, &i, span)?
                }
                Suffix::Slice(parts) => self.slice(cx, &v, parts, span)?,
            };
        }
        Ok(v)
    }

    /// The values of a call's positional and keyword arguments.
    pub(super) fn arguments(
        &self,
        cx: &Ctx<'a>,
        args: &'a [Expr],
        kwargs: &'a [super::super::ast::Keyword],
    ) -> Result<Arguments<'a>> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.expr(cx, a)?);
        }
        let mut named = Vec::with_capacity(kwargs.len());
        for k in kwargs {
            named.push((k.name.as_str(), self.expr(cx, &k.value)?));
        }
        Ok((values, named))
    }

    /// `v.name`.
    pub(super) fn attribute(&self, cx: &Ctx<'a>, v: &Value<'a>, name: &str, span: Span) -> Result<Value<'a>> {
        Ok(match v {
            Value::Dict(d) => match d.get(name) {
                Some(x) => x.clone(),
                None => match &d.schema {
                    Some(schema) if !self.schema_allows(schema, name) => {
                        return Err(cx.error(
                            span,
                            error::NO_SUCH_ATTRIBUTE,
                            format!("attribute '{name}' not found in '{schema}'"),
                        ));
                    }
                    _ => Value::None,
                },
            },
            Value::Module(m) => match &**m {
                Module::File(scope) => scope.lookup(name).unwrap_or(Value::Opaque),
                Module::Builtin(module) => super::modules::member(module, name),
            },
            Value::Schema(s) => self.schema_member(s, name),
            Value::Str(_) => match super::strings::method(name) {
                Some(m) => Value::Func(Rc::new(Func::Method(v.clone(), m))),
                None => Value::Opaque,
            },
            Value::None | Value::Undefined => Value::None,
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Unit(..) | Value::List(_) => {
                return Err(cx.error(
                    span,
                    error::NO_SUCH_ATTRIBUTE,
                    format!("attribute '{name}' not found in '{}'", v.type_name()),
                ));
            }
            _ => Value::Opaque,
        })
    }

    fn index(&self, cx: &Ctx<'a>, v: &Value<'a>, i: &Value<'a>, span: Span) -> Result<Value<'a>> {
        Ok(match (v, i) {
            (Value::List(l), Value::Int(n)) => {
                let len = l.len() as i64;
                let at = if *n < 0 { n + len } else { *n };
                match l.get(usize::try_from(at).unwrap_or(usize::MAX)) {
                    Some(x) => x.clone(),
                    None => {
                        return Err(cx.error(span, error::INDEX_OUT_OF_RANGE, format!("list index out of range: {n}")));
                    }
                }
            }
            (Value::Str(s), Value::Int(n)) => {
                let chars: Vec<char> = s.chars().collect();
                let len = chars.len() as i64;
                let at = if *n < 0 { n + len } else { *n };
                match chars.get(usize::try_from(at).unwrap_or(usize::MAX)) {
                    Some(c) => Value::Str(c.to_string().into()),
                    None => {
                        return Err(cx.error(
                            span,
                            error::INDEX_OUT_OF_RANGE,
                            format!("string index out of range: {n}"),
                        ));
                    }
                }
            }
            (Value::Dict(d), Value::Str(k)) => d.get(k).cloned().unwrap_or(Value::None),
            (Value::None | Value::Undefined, _) => Value::None,
            _ => Value::Opaque,
        })
    }

    fn slice(&self, cx: &Ctx<'a>, v: &Value<'a>, parts: &'a [Expr], _span: Span) -> Result<Value<'a>> {
        // The parser keeps the present parts only; with fewer than three
        // their slots are ambiguous, so only `[a:]`, `[a:b]` and `[::s]`
        // shapes are distinguished by their source text.
        let mut bounds = [None, None, None];
        let text = &self.wf.files[cx.file].text;
        let mut slot = 0;
        let mut prev_end = None::<u32>;
        for p in parts {
            if let Some(end) = prev_end {
                let between = &text[end as usize..p.span().start as usize];
                slot += between.matches(':').count();
            } else {
                // Colons before the first part (`[:b]`, `[::s]`).
                let before = text[..p.span().start as usize].rsplit('[').next().unwrap_or("");
                slot += before.matches(':').count();
            }
            if slot < 3 {
                bounds[slot] = match self.expr(cx, p)? {
                    Value::Int(i) => Some(i),
                    Value::None | Value::Undefined => None,
                    _ => return Ok(Value::Opaque),
                };
            }
            prev_end = Some(p.span().end);
        }
        let step = bounds[2].unwrap_or(1);
        if step == 0 {
            return Err(cx.error(_span, error::INVALID_VALUE, "slice step cannot be zero"));
        }
        let pick = |len: usize| -> Vec<usize> {
            let len = len as i64;
            let norm = |b: Option<i64>, default: i64| match b {
                Some(i) if i < 0 => (i + len).max(if step > 0 { 0 } else { -1 }),
                Some(i) => i.min(if step > 0 { len } else { len - 1 }),
                None => default,
            };
            let (start, stop) = if step > 0 {
                (norm(bounds[0], 0), norm(bounds[1], len))
            } else {
                (norm(bounds[0], len - 1), norm(bounds[1], -1))
            };
            let mut out = Vec::new();
            let mut i = start;
            while (step > 0 && i < stop) || (step < 0 && i > stop) {
                out.push(i as usize);
                i += step;
            }
            out
        };
        Ok(match v {
            Value::List(l) => Value::list(pick(l.len()).into_iter().map(|i| l[i].clone()).collect()),
            Value::Str(s) => {
                let chars: Vec<char> = s.chars().collect();
                Value::Str(pick(chars.len()).into_iter().map(|i| chars[i]).collect::<String>().into())
            }
            _ => Value::Opaque,
        })
    }
}
