//! Schemas at run time: instantiation (config, defaults, inheritance,
//! mixins, index signatures, types, required attributes, `check:`),
//! rules, decorators, and the definition checks KCL's resolver makes.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::super::ast::{Attr, CheckExpr, EntryOp, Expr, IndexSignature, Keyword, Name, SchemaDef, Span, Stmt, Type};
use super::config::{Config, unify};
use super::error::{self, EvalError, Result, type_error};
use super::value::{Dict, SchemaRef, Scope, Value, type_display};
use super::{Ctx, Evaluator, Site};

/// A schema's attribute, wherever in its chain it is declared.
struct AttrInfo<'a> {
    attr: &'a Attr,
    file: usize,
}

impl<'a> Evaluator<'a> {
    /// `Target {config}` and `Target(args) {config}`.
    pub(super) fn instantiate_value(
        &self,
        cx: &Ctx<'a>,
        target: &Value<'a>,
        args: &'a [Expr],
        kwargs: &'a [Keyword],
        conf: Config<'a>,
        span: Span,
    ) -> Result<Value<'a>> {
        let Value::Schema(s) = target else {
            // `a {..}` on a value that is not a schema: a config merge.
            return Ok(match target {
                Value::Dict(d) => {
                    let mut out = (**d).clone();
                    for (k, v) in conf.dict.entries {
                        out.insert(k, v);
                    }
                    Value::dict(out)
                }
                _ => Value::Opaque,
            });
        };
        let (values, named) = self.arguments(cx, args, kwargs)?;
        if let Some(rule) = self.rule_def(s.file, &s.name) {
            return self.run_rule(cx, s.file, rule, values, conf, Site::explicit(span));
        }
        match self.schema_def(s.file, &s.name) {
            Some(def) => self.instantiate(cx, s.file, def, values, named, args, conf, Site::explicit(span)),
            None => Ok(Value::Opaque),
        }
    }

    /// Builds an instance of `def` (defined in `file`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn instantiate(
        &self,
        cx: &Ctx<'a>,
        file: usize,
        def: &'a SchemaDef,
        args: Vec<Value<'a>>,
        kwargs: Vec<(&str, Value<'a>)>,
        arg_exprs: &'a [Expr],
        conf: Config<'a>,
        site: Site,
    ) -> Result<Value<'a>> {
        let span = site.span;
        self.deeper(cx.file, span, || {
            if def.is_protocol || def.is_mixin {
                return Ok(Value::Opaque);
            }
            if let Some(note) = deprecation(&self.wf.files[file].text, &def.decorators) {
                return Err(cx.error(span, error::DEPRECATED, format!("{} was deprecated{note}", def.name)));
            }
            let Some(chain) = self.chain(file, def) else { return Ok(Value::Opaque) };
            let module = self.module(file)?;
            let inst = Ctx { file, scope: Scope::child(&module) };
            self.bind_params(cx, &inst, def, args, kwargs, arg_exprs, span)?;
            let mut attrs: HashMap<&str, AttrInfo> = HashMap::new();
            let mut order: Vec<&str> = Vec::new();
            let mut signature: Option<(usize, &'a IndexSignature)> = None;
            let mut open = false;
            for &(f, d) in &chain {
                if let Some(sig) = &d.index_signature {
                    signature = Some((f, sig));
                }
                open |= d.for_host.is_some();
                collect_attrs(&d.body, f, &mut attrs, &mut order);
            }
            // Unknown config keys.
            for (key, _) in &conf.dict.entries {
                if attrs.contains_key(&**key) || signature.is_some() || open {
                    continue;
                }
                let at = conf.keys.get(key).map(|(s, _)| *s).unwrap_or(span);
                return Err(cx.error(
                    at,
                    error::UNKNOWN_MEMBER,
                    format!("Cannot add member '{key}' to schema '{}'", def.name),
                ));
            }
            for (key, value) in &conf.dict.entries {
                inst.scope.set(key, value.clone());
            }
            for name in &order {
                if conf.dict.get(name).is_none() {
                    inst.scope.set(name, Value::Undefined);
                }
            }
            for &(f, d) in &chain {
                let body_cx = Ctx { file: f, scope: inst.scope.clone() };
                self.schema_body(cx, &body_cx, &d.body, &conf, &attrs, span)?;
            }
            // Index-signature entries: their values must fit its type.
            if let Some((f, sig)) = signature {
                for (key, value) in &conf.dict.entries {
                    if attrs.contains_key(&**key) {
                        continue;
                    }
                    let at = conf.keys.get(key).map(|(s, _)| *s).unwrap_or(span);
                    match self.conform(cx, f, value.clone(), &sig.value_ty, at)? {
                        Some(v) => inst.scope.set(key, v),
                        None => return Err(type_error(cx.file, at, &sig.value_ty, value, Some((f, sig.span)))),
                    }
                }
            }
            for name in &order {
                let info = &attrs[name];
                let v = inst.scope.lookup(name).unwrap_or(Value::Undefined);
                if !info.attr.optional && v.is_none() {
                    return Err(cx.error(
                        span,
                        error::REQUIRED_ATTRIBUTE,
                        format!("attribute '{name}' of {} is required and can't be None or Undefined", def.name),
                    ));
                }
            }
            // Decorated attributes.
            for name in &order {
                let info = &attrs[name];
                if conf.dict.get(name).is_some()
                    && let Some(note) = deprecation(&self.wf.files[info.file].text, &info.attr.decorators)
                {
                    return Err(cx.error(span, error::DEPRECATED, format!("{name} was deprecated{note}")));
                }
            }
            // A check that names the index signature's key runs once per
            // key the signature holds.
            let keys: Vec<Rc<str>> =
                conf.dict.entries.iter().map(|(k, _)| k.clone()).filter(|k| !attrs.contains_key(&**k)).collect();
            let key_name = signature.and_then(|(_, sig)| sig.key_name.as_deref());
            for &(f, d) in &chain {
                let check_cx = Ctx { file: f, scope: inst.scope.clone() };
                let rounds: Vec<Option<&Rc<str>>> = match key_name {
                    Some(_) if !keys.is_empty() => keys.iter().map(Some).collect(),
                    _ => vec![None],
                };
                for key in rounds {
                    let check_cx = match (key_name, key) {
                        (Some(name), Some(key)) => {
                            let scoped = check_cx.nested();
                            scoped.scope.set(name, Value::Str(key.clone()));
                            scoped
                        }
                        _ => check_cx.clone(),
                    };
                    self.checks(cx, &check_cx, f, &d.checks, site)?;
                }
            }
            let mut dict = Dict { entries: Vec::new(), schema: Some(def.name.as_str().into()) };
            for name in &order {
                dict.entries
                    .push(((*name).into(), inst.scope.vars.borrow().get(*name).cloned().unwrap_or(Value::None)));
            }
            let params: HashSet<&str> = def.params.iter().map(|p| p.name.as_str()).collect();
            let mut rest: Vec<(Rc<str>, Value<'a>)> = inst
                .scope
                .vars
                .borrow()
                .iter()
                .filter(|(k, _)| !attrs.contains_key(&***k) && !params.contains(&***k) && !k.starts_with('_'))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            rest.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in rest {
                dict.insert(k, v);
            }
            Ok(Value::dict(dict))
        })
    }

    /// A schema's statements, run in the instance's scope; a config
    /// value wins over what the body assigns.
    fn schema_body(
        &self,
        caller: &Ctx<'a>,
        cx: &Ctx<'a>,
        body: &'a [Stmt],
        conf: &Config<'a>,
        attrs: &HashMap<&str, AttrInfo<'a>>,
        span: Span,
    ) -> Result<()> {
        for stmt in body {
            self.last_stmt.set((cx.file, stmt.span()));
            match stmt {
                Stmt::Attr(attr) => {
                    let given = conf.dict.get(&attr.name).cloned();
                    let (value, at, from_config) = match (&attr.value, given) {
                        (Some(default), Some(given)) => {
                            let op = conf.keys.get(attr.name.as_str()).map(|(_, op)| *op);
                            let at = conf.keys.get(attr.name.as_str()).map(|(s, _)| *s).unwrap_or(span);
                            match (op, &given) {
                                _ if conf.patched.contains(attr.name.as_str()) => {
                                    let base = self.expr(cx, default)?;
                                    (super::config::patch(&base, &given), at, true)
                                }
                                (Some(EntryOp::Union) | None, Value::Dict(_)) => {
                                    let base = self.expr(cx, default)?;
                                    let merged = unify(&base, &given, &attr.name).map_err(|c| {
                                        EvalError::new(caller.file, at, error::CONFLICTING_VALUES, c.message())
                                    })?;
                                    (merged, at, true)
                                }
                                _ => (given, at, true),
                            }
                        }
                        (None, Some(given)) => {
                            let at = conf.keys.get(attr.name.as_str()).map(|(s, _)| *s).unwrap_or(span);
                            (given, at, true)
                        }
                        (Some(default), None) => (self.expr(cx, default)?, attr.span, false),
                        (None, None) => (Value::Undefined, attr.span, false),
                    };
                    let file = if from_config { caller.file } else { cx.file };
                    match self.conform(cx, cx.file, value.clone(), &attr.ty, at)? {
                        Some(v) => cx.scope.set(&attr.name, v),
                        None => return Err(type_error(file, at, &attr.ty, &value, Some((cx.file, attr.span)))),
                    }
                }
                Stmt::Assign { targets, .. }
                    if targets.iter().all(
                        |t| matches!(t, Expr::Name(n) if conf.dict.get(n.first()).is_some() && n.parts.len() == 1),
                    ) => {}
                // `x = v` for a declared attribute (a child's new default,
                // a mixin's value) must fit the declared type.
                Stmt::Assign { targets, ty: None, value, span: at } if targets.len() == 1 => {
                    let declared = match &targets[0] {
                        Expr::Name(n) if n.parts.len() == 1 => attrs.get(n.first()),
                        _ => None,
                    };
                    match declared {
                        Some(info) => {
                            let v = self.expr(cx, value)?;
                            match self.conform(cx, info.file, v.clone(), &info.attr.ty, *at)? {
                                Some(x) => cx.scope.set(&info.attr.name, x),
                                None => {
                                    return Err(type_error(
                                        cx.file,
                                        *at,
                                        &info.attr.ty,
                                        &v,
                                        Some((info.file, info.attr.span)),
                                    ));
                                }
                            }
                        }
                        None => self.stmt(cx, stmt)?,
                    }
                }
                other => self.stmt(cx, other)?,
            }
        }
        Ok(())
    }

    /// Runs `checks` (of a schema or rule in `file`); the first that
    /// fails is the error.
    fn checks(&self, caller: &Ctx<'a>, cx: &Ctx<'a>, file: usize, checks: &'a [CheckExpr], site: Site) -> Result<()> {
        for check in checks {
            if let Some(message) = self.failed_check(cx, check)? {
                let shown = if message.is_empty() { String::new() } else { format!(": {message}") };
                let condition = format!("Check failed on the condition{shown}");
                return Err(if site.implicit {
                    EvalError::new(file, check.test.span(), error::CHECK_FAILED, condition)
                } else {
                    EvalError::new(caller.file, site.span, error::CHECK_FAILED, format!("Instance check failed{shown}"))
                        .related(file, check.test.span(), condition)
                });
            }
        }
        Ok(())
    }

    /// The message of the first failing check, `Some("")` when it has
    /// none; `None` when every check holds.
    pub(super) fn failed_check(&self, cx: &Ctx<'a>, check: &'a CheckExpr) -> Result<Option<String>> {
        if let Some(cond) = &check.cond {
            let c = self.expr(cx, cond)?;
            if matches!(c, Value::Opaque) || !c.truthy() {
                return Ok(None);
            }
        }
        let t = self.expr(cx, &check.test)?;
        if matches!(t, Value::Opaque) || t.truthy() {
            return Ok(None);
        }
        Ok(Some(match &check.msg {
            Some(m) => match self.expr(cx, m)? {
                Value::Str(s) => s.to_string(),
                Value::Opaque => String::new(),
                other => super::value::to_str(&other),
            },
            None => String::new(),
        }))
    }

    /// Schema parameters `schema S[a, b]:` from `S(1, b=2) {..}`.
    #[allow(clippy::too_many_arguments)]
    fn bind_params(
        &self,
        caller: &Ctx<'a>,
        inst: &Ctx<'a>,
        def: &'a SchemaDef,
        args: Vec<Value<'a>>,
        kwargs: Vec<(&str, Value<'a>)>,
        arg_exprs: &'a [Expr],
        span: Span,
    ) -> Result<()> {
        if args.len() > def.params.len() {
            return Err(EvalError::new(
                caller.file,
                arg_exprs.get(def.params.len()).map(Expr::span).unwrap_or(span),
                error::ARGUMENT_COUNT,
                format!(
                    "\"{}\" takes {} positional argument{} but {} were given",
                    def.name,
                    def.params.len(),
                    plural(def.params.len()),
                    args.len()
                ),
            ));
        }
        let given = args.len();
        for (param, v) in def.params.iter().zip(args) {
            inst.scope.set(&param.name, v);
        }
        for (name, v) in kwargs {
            inst.scope.set(name, v);
        }
        for param in &def.params[given..] {
            if inst.scope.vars.borrow().contains_key(param.name.as_str()) {
                continue;
            }
            let v = match &param.default {
                Some(d) => self.expr(inst, d)?,
                None => Value::None,
            };
            inst.scope.set(&param.name, v);
        }
        Ok(())
    }

    /// The schemas whose bodies make up an instance of `def`: bases
    /// first, then its mixins, then `def`. None when a base cannot be
    /// found (then the instance is not judged).
    fn chain(&self, file: usize, def: &'a SchemaDef) -> Option<Vec<(usize, &'a SchemaDef)>> {
        let mut out = vec![(file, def)];
        let mut at = (file, def);
        while let Some(parent) = &at.1.parent {
            let (f, name) = self.resolve_schema(at.0, parent)?;
            let d = self.schema_def(f, &name)?;
            if out.len() > 64 || out.iter().any(|(_, x)| std::ptr::eq(*x, d)) {
                return None;
            }
            out.push((f, d));
            at = (f, d);
        }
        out.reverse();
        let mut full = Vec::with_capacity(out.len());
        for (f, d) in out {
            for mixin in &d.mixins {
                let (mf, mname) = self.resolve_schema(f, mixin)?;
                full.push((mf, self.schema_def(mf, &mname)?));
            }
            full.push((f, d));
        }
        Some(full)
    }

    /// Whether instances of `schema` may have attribute `name` beyond
    /// the ones they hold (an index signature, an unknown base).
    pub(super) fn schema_allows(&self, schema: &str, name: &str) -> bool {
        let mut found = false;
        for (file, defs) in self.defs.iter().enumerate() {
            if let Some(def) = defs.schemas.get(schema) {
                found = true;
                match self.chain(file, def) {
                    Some(chain) => {
                        for (_, d) in chain {
                            if d.index_signature.is_some() || d.for_host.is_some() || declares(&d.body, name) {
                                return true;
                            }
                        }
                    }
                    None => return true,
                }
            }
        }
        !found
    }

    pub(super) fn schema_member(&self, _s: &SchemaRef, _name: &str) -> Value<'a> {
        Value::Opaque
    }

    /// `R()` / `R(args) {config}` of a rule: its checks, and its
    /// parents', must hold. Called like a function, KCL reports the
    /// failed check itself; instantiated, the expression.
    pub(super) fn run_rule(
        &self,
        cx: &Ctx<'a>,
        file: usize,
        rule: &'a super::super::ast::RuleDef,
        args: Vec<Value<'a>>,
        conf: Config<'a>,
        site: Site,
    ) -> Result<Value<'a>> {
        self.deeper(cx.file, site.span, || {
            let module = self.module(file)?;
            let rcx = Ctx { file, scope: Scope::child(&module) };
            for (param, v) in rule.params.iter().zip(args) {
                rcx.scope.set(&param.name, v);
            }
            for (k, v) in &conf.dict.entries {
                rcx.scope.set(k, v.clone());
            }
            let mut rules = vec![(file, rule)];
            for parent in &rule.parents {
                if let Some((f, name)) = self.resolve_schema(file, parent)
                    && let Some(r) = self.rule_def(f, &name)
                {
                    rules.insert(0, (f, r));
                }
            }
            for (f, r) in rules {
                let rcx = Ctx { file: f, scope: rcx.scope.clone() };
                self.checks(cx, &rcx, f, &r.checks, site)?;
            }
            Ok(Value::Bool(true))
        })
    }

    /// What KCL's resolver rejects in a file's schema definitions
    /// before anything runs.
    pub(super) fn check_definitions(&self, file: usize) -> Result<()> {
        let text = &self.wf.files[file].text;
        super::statics::check(file, &self.wf.files[file].module.body, text)?;
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for stmt in &self.wf.files[file].module.body {
            let (name, span) = match stmt {
                Stmt::Schema(def) => (def.name.as_str(), def.span),
                Stmt::Rule(def) => (def.name.as_str(), def.span),
                _ => continue,
            };
            if let Some(first) = seen.get(name) {
                return Err(EvalError::new(
                    file,
                    span,
                    error::SCHEMA_DEFINITION,
                    format!("Unique key error name '{name}'"),
                )
                .related(file, *first, format!("The variable '{name}' is declared here")));
            }
            seen.insert(name, span);
            let Stmt::Schema(def) = stmt else { continue };
            let keyword = text[..def.span.start as usize].trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
            for (kind, suffix) in [("protocol", "Protocol"), ("mixin", "Mixin")] {
                if keyword == kind && !def.name.ends_with(suffix) {
                    let message = format!("schema {kind} name must end with '{suffix}'");
                    return Err(EvalError::new(file, def.span, error::SCHEMA_DEFINITION, message));
                }
            }
            self.check_bases(file, def)?;
            self.check_overrides(file, def)?;
            self.check_defaults(file, def)?;
        }
        for stmt in &self.wf.files[file].module.body {
            let decorators: Vec<&Expr> = match stmt {
                Stmt::Schema(def) => def
                    .decorators
                    .iter()
                    .chain(def.body.iter().flat_map(|s| match s {
                        Stmt::Attr(a) => a.decorators.as_slice(),
                        _ => &[],
                    }))
                    .collect(),
                Stmt::Rule(def) => def.decorators.iter().collect(),
                _ => continue,
            };
            for d in decorators {
                let name = match d {
                    Expr::Name(n) => n,
                    Expr::Suffixed { base, .. } => match &**base {
                        Expr::Name(n) => n,
                        _ => continue,
                    },
                    _ => continue,
                };
                let shown = name.dotted();
                if shown != "deprecated" && shown != "info" {
                    return Err(EvalError::new(
                        file,
                        name.span,
                        error::SCHEMA_DEFINITION,
                        format!("UnKnown decorator {shown}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A schema inherits from a schema, and mixes in mixins.
    fn check_bases(&self, file: usize, def: &'a SchemaDef) -> Result<()> {
        if let Some(parent) = &def.parent
            && let Some((f, name)) = self.resolve_schema(file, parent)
            && self.schema_def(f, &name).is_some_and(|p| p.is_mixin || p.is_protocol)
        {
            return Err(EvalError::new(
                file,
                parent.span,
                error::SCHEMA_DEFINITION,
                format!("invalid schema inherit object type, expect schema, got '{}'", parent.dotted()),
            ));
        }
        for mixin in &def.mixins {
            let shown = mixin.dotted();
            if !shown.ends_with("Mixin") {
                return Err(EvalError::new(
                    file,
                    mixin.span,
                    error::SCHEMA_DEFINITION,
                    format!("a valid mixin name should end with 'Mixin', got '{shown}'"),
                ));
            }
        }
        Ok(())
    }

    /// A child may not change the type of an attribute it inherits.
    fn check_overrides(&self, file: usize, def: &'a SchemaDef) -> Result<()> {
        let Some(chain) = self.chain(file, def) else { return Ok(()) };
        let mut declared: HashMap<&str, (String, usize)> = HashMap::new();
        for (f, d) in chain {
            if d.is_mixin {
                continue;
            }
            for stmt in &d.body {
                let Stmt::Attr(attr) = stmt else { continue };
                let shown = type_display(&attr.ty);
                match declared.get(attr.name.as_str()) {
                    Some((old, _)) if *old != shown && !matches!(attr.ty, Type::Any) && old != "any" => {
                        if f == file && std::ptr::eq(d, def) {
                            return Err(EvalError::new(
                                f,
                                attr.span,
                                error::TYPE_MISMATCH,
                                format!("can't change schema field type of '{}' from {old} to {shown}", attr.name),
                            ));
                        }
                    }
                    _ => {
                        declared.insert(&attr.name, (shown, f));
                    }
                }
            }
        }
        Ok(())
    }

    /// Defaults that need nothing from the instance are typed up front,
    /// as KCL's resolver does, even if the schema is never used.
    fn check_defaults(&self, file: usize, def: &'a SchemaDef) -> Result<()> {
        let cx = Ctx { file, scope: Rc::new(Scope::default()) };
        for stmt in &def.body {
            let Stmt::Attr(attr) = stmt else { continue };
            let Some(default) = &attr.value else { continue };
            if !is_constant(default) {
                continue;
            }
            let Ok(v) = self.expr(&cx, default) else { continue };
            if let Ok(None) = self.conform(&cx, file, v.clone(), &attr.ty, attr.span) {
                return Err(type_error(file, attr.span, &attr.ty, &v, None));
            }
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn collect_attrs<'a>(
    body: &'a [Stmt],
    file: usize,
    attrs: &mut HashMap<&'a str, AttrInfo<'a>>,
    order: &mut Vec<&'a str>,
) {
    for stmt in body {
        match stmt {
            Stmt::Attr(attr) => {
                if !attrs.contains_key(attr.name.as_str()) {
                    order.push(&attr.name);
                }
                attrs.insert(&attr.name, AttrInfo { attr, file });
            }
            Stmt::If { branches, .. } => {
                for (_, b) in branches {
                    collect_attrs(b, file, attrs, order);
                }
            }
            _ => {}
        }
    }
}

/// Whether a schema body declares or assigns `name`.
fn declares(body: &[Stmt], name: &str) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Attr(a) => a.name == name,
        Stmt::Assign { targets, .. } => targets.iter().any(|t| matches!(t, Expr::Name(n) if n.first() == name)),
        Stmt::AugAssign { target: Expr::Name(n), .. } | Stmt::Unification { target: Expr::Name(n), .. } => {
            n.first() == name
        }
        Stmt::If { branches, .. } => branches.iter().any(|(_, b)| declares(b, name)),
        _ => false,
    })
}

/// A literal, or a list/config of literals.
fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Number { .. } | Expr::Constant(_) => true,
        Expr::Str { parts, .. } => parts.is_empty(),
        Expr::List { items, .. } => items.iter().all(is_constant),
        Expr::Config { entries, .. } => {
            entries.iter().all(|en| en.key.as_ref().is_some_and(is_constant_key) && is_constant(&en.value))
        }
        Expr::Unary { operand, .. } => is_constant(operand),
        Expr::Paren(inner, _) => is_constant(inner),
        _ => false,
    }
}

fn is_constant_key(e: &Expr) -> bool {
    matches!(e, Expr::Name(n) if n.parts.len() == 1) || matches!(e, Expr::Str { parts, .. } if parts.is_empty())
}

/// `@deprecated` / `@deprecated(version="1.0", reason="…")`: the note
/// KCL appends to "X was deprecated".
fn deprecation(text: &str, decorators: &[Expr]) -> Option<String> {
    for d in decorators {
        let (name, kwargs): (&Name, &[Keyword]) = match d {
            Expr::Name(n) => (n, &[]),
            Expr::Suffixed { base, suffixes, .. } => match (&**base, suffixes.first()) {
                (Expr::Name(n), Some(super::super::ast::Suffix::Call { kwargs, .. })) => (n, kwargs.as_slice()),
                _ => continue,
            },
            _ => continue,
        };
        if name.dotted() != "deprecated" {
            continue;
        }
        let mut note = String::new();
        for k in kwargs {
            if let Expr::Str { value, .. } = &k.value {
                match k.name.as_str() {
                    "version" if !value.is_empty() => note.push_str(&format!(" since version {value}")),
                    "reason" if !value.is_empty() => note.push_str(&format!(", {value}")),
                    _ => {}
                }
            }
        }
        // `@deprecated(strict=False)` only warns.
        let lenient = kwargs.iter().any(|k| {
            k.name == "strict"
                && matches!(&k.value, Expr::Constant(s) if &text[s.start as usize..s.end as usize] == "False")
        });
        if !lenient {
            return Some(note);
        }
    }
    None
}
