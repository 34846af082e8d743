//! Name checks: every name used must be defined (in the module, an
//! enclosing schema/lambda/comprehension, or as a builtin), and public
//! top-level names (not starting with `_`) are immutable: assigning one
//! twice is an error in KCL.

use super::super::ast::{BinOp, CheckExpr, CompClause, Entry, Expr, Module, Name, Param, Span, Stmt, Suffix, Type};
use super::super::diagnostic::{self as codes, RawDiag};
use super::super::imports::{Target, Workflow};
use super::schemas::SchemaTable;
use super::walk::entry_key;
use std::collections::HashSet;

/// Builtin functions, constants and decorators: never undefined.
pub const BUILTINS: &[&str] = &[
    "print",
    "len",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "typeof",
    "option",
    "sum",
    "max",
    "min",
    "sorted",
    "range",
    "any",
    "all",
    "zip",
    "map",
    "filter",
    "abs",
    "round",
    "hex",
    "oct",
    "bin",
    "ord",
    "isnullish",
    "isunique",
    "multiplyof",
    "pow",
    "all_true",
    "any_true",
    "True",
    "False",
    "deprecated",
    "info",
    "any",
    "self",
    "instances",
];

pub fn check(wf: &Workflow, file: usize, table: &SchemaTable) -> Vec<RawDiag> {
    let module = &wf.files[file].module;
    let mut globals = HashSet::new();
    define_all(&module.body, &mut globals);
    // Files of one directory package share their global scope.
    for imports in &wf.imports {
        for r in imports {
            match &r.target {
                Target::Files(ids) if ids.len() > 1 && ids.contains(&file) => {
                    for &other in ids {
                        define_all(&wf.files[other].module.body, &mut globals);
                    }
                }
                _ => {}
            }
        }
    }
    let mut ctx = Ctx { table, file, scopes: vec![globals], lenient: 0, reported: HashSet::new(), out: Vec::new() };
    ctx.stmts(&module.body);
    let mut out = ctx.out;
    out.extend(reassignments(module, &wf.files[file].text));
    out
}

/// Names a block of statements binds in its scope (including inside
/// `if` branches, which do not open scopes in KCL).
fn define_all(body: &[Stmt], names: &mut HashSet<String>) {
    for stmt in body {
        match stmt {
            Stmt::Assign { targets, .. } => {
                for t in targets {
                    if let Expr::Name(n) = t {
                        names.insert(n.first().to_string());
                    }
                }
            }
            Stmt::AugAssign { target: Expr::Name(n), .. } | Stmt::Unification { target: Expr::Name(n), .. } => {
                names.insert(n.first().to_string());
            }
            Stmt::Import(i) => {
                names.insert(i.bound_name().to_string());
            }
            Stmt::Schema(def) => {
                names.insert(def.name.clone());
            }
            Stmt::Rule(def) => {
                names.insert(def.name.clone());
            }
            Stmt::TypeAlias { name, .. } => {
                names.insert(name.first().to_string());
            }
            Stmt::Attr(attr) => {
                names.insert(attr.name.clone());
            }
            Stmt::If { branches, .. } => {
                for (_, b) in branches {
                    define_all(b, names);
                }
            }
            _ => {}
        }
    }
}

struct Ctx<'a, 't> {
    table: &'t SchemaTable<'a>,
    file: usize,
    scopes: Vec<HashSet<String>>,
    /// Inside code whose names may come from elsewhere (mixins, schemas
    /// with unresolved bases, rules bound to protocols).
    lenient: u32,
    reported: HashSet<String>,
    out: Vec<RawDiag>,
}

impl Ctx<'_, '_> {
    fn defined(&self, name: &str) -> bool {
        name.is_empty()
            || name.starts_with("__")
            || BUILTINS.contains(&name)
            || self.scopes.iter().rev().any(|s| s.contains(name))
    }

    fn use_name(&mut self, name: &str, span: Span) {
        if self.lenient > 0 || self.defined(name) || !self.reported.insert(name.to_string()) {
            return;
        }
        let known = self.scopes.iter().flat_map(|s| s.iter().map(String::as_str)).chain(BUILTINS.iter().copied());
        let hint = match crate::suggest::closest(name, known) {
            Some(near) => format!("did you mean '{near}'?"),
            None => "define it before use, import the module it comes from, or check the spelling".to_string(),
        };
        self.out.push(
            RawDiag::new(span.start, span.end, codes::UNDEFINED_NAME, format!("undefined name '{name}'"))
                .with_hint(hint),
        );
    }

    fn use_dotted(&mut self, name: &Name) {
        let first = name.first().to_string();
        let span = Span::new(name.span.start, name.span.start + first.len() as u32);
        self.use_name(&first, span);
    }

    fn with_scope(&mut self, names: HashSet<String>, f: impl FnOnce(&mut Self)) {
        self.scopes.push(names);
        f(self);
        self.scopes.pop();
    }

    /// The scope of a schema's or a rule's body, lenient where some of
    /// its names may come from elsewhere (`uncertain`).
    fn with_definition_scope(&mut self, names: HashSet<String>, uncertain: bool, f: impl FnOnce(&mut Self)) {
        self.with_scope(names, |ctx| {
            ctx.lenient += u32::from(uncertain);
            f(ctx);
            ctx.lenient -= u32::from(uncertain);
        });
    }

    fn checks(&mut self, checks: &[CheckExpr]) {
        for c in checks {
            self.test(&c.test, c.cond.as_ref(), c.msg.as_ref());
        }
    }

    /// An assertion's or a check's `test [if cond] [, msg]`.
    fn test(&mut self, test: &Expr, cond: Option<&Expr>, msg: Option<&Expr>) {
        self.expr(test);
        cond.into_iter().chain(msg).for_each(|e| self.expr(e));
    }

    /// The branches of an `if` statement, item or entry: each condition,
    /// then its body.
    fn branches<B>(&mut self, branches: &[(Option<Expr>, B)], mut body: impl FnMut(&mut Self, &B)) {
        for (cond, b) in branches {
            cond.iter().for_each(|e| self.expr(e));
            body(self, b);
        }
    }

    /// A comprehension's clauses and then its element (`element`), in the
    /// scope of the names the clauses bind.
    fn comprehension(&mut self, clauses: &[CompClause], element: impl FnOnce(&mut Self)) {
        let names = clauses.iter().flat_map(|c| c.targets.iter().map(|t| t.first().to_string())).collect();
        self.with_scope(names, |ctx| {
            for c in clauses {
                ctx.expr(&c.iter);
                c.ifs.iter().for_each(|e| ctx.expr(e));
            }
            element(ctx);
        });
    }

    fn stmts(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Expr { exprs, .. } => exprs.iter().for_each(|e| self.expr(e)),
            Stmt::Assign { targets, ty, value, .. } => {
                targets.iter().for_each(|t| self.target(t));
                if let Some(ty) = ty {
                    self.ty(ty);
                }
                self.expr(value);
            }
            Stmt::AugAssign { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            Stmt::Unification { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            Stmt::Import(_) => {}
            Stmt::TypeAlias { ty, .. } => self.ty(ty),
            Stmt::Assert { test, cond, msg, .. } => self.test(test, cond.as_ref(), msg.as_ref()),
            Stmt::If { branches, .. } => self.branches(branches, |ctx, body| ctx.stmts(body)),
            Stmt::Schema(def) => {
                for base in def.parent.iter().chain(def.mixins.iter()).chain(def.for_host.iter()) {
                    self.use_dotted(base);
                }
                self.params(&def.params);
                let attrs = self.table.attributes(self.file, def);
                let mut names: HashSet<String> = attrs.attrs.keys().cloned().collect();
                names.extend(def.params.iter().map(|p| p.name.clone()));
                // `[name: str]: T` binds `name` in the body and the checks.
                names.extend(def.index_signature.iter().filter_map(|s| s.key_name.clone()));
                define_all(&def.body, &mut names);
                self.with_definition_scope(names, attrs.uncertain, |ctx| {
                    ctx.stmts(&def.body);
                    def.index_signature.iter().filter_map(|s| s.value.as_ref()).for_each(|e| ctx.expr(e));
                    ctx.checks(&def.checks);
                });
            }
            Stmt::Rule(def) => {
                for base in def.parents.iter().chain(def.for_host.iter()) {
                    self.use_dotted(base);
                }
                self.params(&def.params);
                let names = def.params.iter().map(|p| p.name.clone()).collect();
                let uncertain = def.for_host.is_some() || !def.parents.is_empty();
                self.with_definition_scope(names, uncertain, |ctx| ctx.checks(&def.checks));
            }
            Stmt::Attr(attr) => {
                self.ty(&attr.ty);
                attr.value.iter().for_each(|e| self.expr(e));
            }
        }
    }

    /// Assignment targets: a plain name is being defined; `a.b` and
    /// `a[0]` use `a`.
    fn target(&mut self, target: &Expr) {
        match target {
            Expr::Name(n) if n.parts.len() == 1 => {}
            Expr::Name(n) => self.use_dotted(n),
            Expr::Suffixed { base, suffixes, .. } => {
                self.expr(base);
                self.suffixes(suffixes);
            }
            other => self.expr(other),
        }
    }

    fn params(&mut self, params: &[Param]) {
        for p in params {
            if let Some(ty) = &p.ty {
                self.ty(ty);
            }
            p.default.iter().for_each(|e| self.expr(e));
        }
    }

    /// A type's names are schemas and aliases, which no mixin or
    /// protocol supplies: checked even where names are lenient.
    fn ty(&mut self, ty: &Type) {
        let lenient = std::mem::take(&mut self.lenient);
        self.ty_names(ty);
        self.lenient = lenient;
    }

    fn ty_names(&mut self, ty: &Type) {
        match ty {
            Type::Named(name) => self.use_dotted(name),
            Type::List(Some(inner)) => self.ty(inner),
            Type::Dict(k, v) => {
                k.iter().for_each(|t| self.ty(t));
                v.iter().for_each(|t| self.ty(t));
            }
            Type::Union(items) => items.iter().for_each(|t| self.ty(t)),
            Type::Function(params, ret) => {
                params.iter().for_each(|t| self.ty(t));
                ret.iter().for_each(|t| self.ty(t));
            }
            _ => {}
        }
    }

    fn suffixes(&mut self, suffixes: &[Suffix]) {
        for s in suffixes {
            match s {
                Suffix::Attr(_) | Suffix::Optional => {}
                Suffix::Call { args, kwargs } => {
                    args.iter().for_each(|e| self.expr(e));
                    kwargs.iter().for_each(|k| self.expr(&k.value));
                }
                Suffix::Index(parts) | Suffix::Slice(parts) => parts.iter().for_each(|e| self.expr(e)),
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Name(n) => self.use_dotted(n),
            Expr::Number { .. } | Expr::Constant(_) | Expr::Missing(_) => {}
            Expr::Str { parts, .. } => parts.iter().for_each(|e| self.expr(e)),
            Expr::List { items, .. } => items.iter().for_each(|e| self.expr(e)),
            Expr::ListComp { elt, clauses, .. } => self.comprehension(clauses, |ctx| ctx.expr(elt)),
            Expr::Config { entries, .. } => self.config(entries),
            Expr::DictComp { entry, clauses, .. } => {
                self.comprehension(clauses, |ctx| ctx.config(std::slice::from_ref(entry)))
            }
            Expr::Schema { name, args, kwargs, config, .. } => {
                self.use_dotted(name);
                args.iter().for_each(|e| self.expr(e));
                kwargs.iter().for_each(|k| self.expr(&k.value));
                self.expr(config);
            }
            Expr::Lambda { params, ret, body, .. } => {
                self.params(params);
                ret.iter().for_each(|t| self.ty(t));
                let mut names: HashSet<String> = params.iter().map(|p| p.name.clone()).collect();
                define_all(body, &mut names);
                self.with_scope(names, |ctx| ctx.stmts(body));
            }
            Expr::Quant { vars, target, test, cond, .. } => {
                self.expr(target);
                let names = vars.iter().map(|v| v.first().to_string()).collect();
                self.with_scope(names, |ctx| {
                    ctx.expr(test);
                    cond.iter().for_each(|e| ctx.expr(e));
                });
            }
            Expr::Unary { operand, .. } => self.expr(operand),
            Expr::Binary { operands, ops, .. } => {
                for (i, operand) in operands.iter().enumerate() {
                    // The right side of `as` is a type.
                    if i > 0 && ops.get(i - 1) == Some(&BinOp::As) {
                        continue;
                    }
                    self.expr(operand);
                }
            }
            Expr::IfElse { body, cond, orelse, .. } => {
                self.expr(body);
                self.expr(cond);
                self.expr(orelse);
            }
            Expr::Paren(inner, _) | Expr::Starred(inner, _) => self.expr(inner),
            Expr::Suffixed { base, suffixes, .. } => {
                self.expr(base);
                self.suffixes(suffixes);
            }
            Expr::ListIf { branches, .. } => {
                self.branches(branches, |ctx, items| items.iter().for_each(|e| ctx.expr(e)))
            }
            Expr::ConfigIf { branches, .. } => self.branches(branches, |ctx, entries| ctx.config(entries)),
        }
    }

    /// Config keys are attribute names, not references. A value may
    /// refer to the keys of earlier entries (kcl's resolver adds each key
    /// to the config's scope after its value), not to its own or later
    /// ones: `{x = x}` and `{b = a, a = 1}` use undefined names.
    fn config(&mut self, entries: &[Entry]) {
        self.with_scope(HashSet::new(), |ctx| {
            for entry in entries {
                match &entry.key {
                    Some(Expr::Name(_)) | None => {}
                    Some(other) => ctx.expr(other),
                }
                ctx.expr(&entry.value);
                if let Some(key) =
                    entry_key(entry).filter(|_| !matches!(&entry.key, Some(Expr::Name(n)) if n.parts.len() > 1))
                {
                    ctx.scopes.last_mut().expect("the config's scope").insert(key);
                }
            }
        });
    }
}

/// A definition of a top-level name. KCL treats an assignment in any
/// `if` branch as a definition, so two branches of one `if` assigning the
/// same public name already reassign it.
struct Definition {
    name: String,
    span: Span,
    augmented: bool,
}

fn top_level_definitions(body: &[Stmt], out: &mut Vec<Definition>) {
    for stmt in body {
        let define = |n: &Name, augmented: bool, out: &mut Vec<Definition>| {
            if n.parts.len() == 1 {
                out.push(Definition { name: n.first().to_string(), span: n.span, augmented });
            }
        };
        match stmt {
            Stmt::Assign { targets, .. } => {
                for t in targets {
                    if let Expr::Name(n) = t {
                        define(n, false, out);
                    }
                }
            }
            Stmt::Unification { target: Expr::Name(n), .. } => define(n, false, out),
            Stmt::AugAssign { target: Expr::Name(n), .. } => define(n, true, out),
            Stmt::If { branches, .. } => {
                for (_, b) in branches {
                    top_level_definitions(b, out);
                }
            }
            _ => {}
        }
    }
}

/// Public top-level names assigned twice, or augmented (`+=`).
fn reassignments(module: &Module, text: &str) -> Vec<RawDiag> {
    let mut defs = Vec::new();
    top_level_definitions(&module.body, &mut defs);
    let mut out = Vec::new();
    for (j, def) in defs.iter().enumerate() {
        if def.name.starts_with('_') {
            continue;
        }
        let earlier = defs[..j].iter().find(|d| d.name == def.name);
        if earlier.is_some() || def.augmented {
            let hint = match earlier {
                Some(first) => {
                    let line = text[..(first.span.start as usize).min(text.len())].matches('\n').count() + 1;
                    format!(
                        "'{}' was first assigned on line {line}; use a private name (`_{}`) for a mutable variable",
                        def.name, def.name
                    )
                }
                None => format!("use a private name (`_{}`) for a mutable variable", def.name),
            };
            out.push(
                RawDiag::new(
                    def.span.start,
                    def.span.end,
                    codes::IMMUTABLE_REASSIGN,
                    format!("cannot reassign '{}': public top-level names are immutable", def.name),
                )
                .with_hint(hint),
            );
        }
    }
    out
}
