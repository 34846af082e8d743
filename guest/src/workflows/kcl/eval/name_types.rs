//! The types kcl's resolver gives top-level names before anything runs,
//! where they are certain, so that [`super::statics`] can judge a
//! selector on such a name as kcl does, also in a branch never taken
//! (`a = -1` then `a.bit_length()`: "attribute 'bit_length' not found in
//! 'int'").
//!
//! A name is typed only when the file binds it exactly once, by a plain
//! top-level `name = value` (or `name: int = value`, with a basic type),
//! and `value` has a type that follows from its form: a literal, a unary
//! or binary operation on known types, a conditional whose branches
//! agree, `len(..)`, an earlier such name. Everything else is unknown and
//! passes: a name bound again anywhere in the file (in a schema, a
//! lambda, a comprehension, as a config key, in an `if` block), `any` or
//! union annotations, configs, calls, operands kcl would reject itself.
//! The type is known only after the binding: kcl's resolver goes in
//! source order, and a use before it is left to the evaluation.

use std::collections::HashMap;
use std::fmt;

use super::super::ast::{BasicType, BinOp, Expr, Stmt, Suffix, Type, UnaryOp};
use super::super::strict::walk::each_expr_in_stmts;

/// A type as kcl writes it in its messages.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Ty {
    Int,
    Float,
    Bool,
    Str,
    /// A unit literal such as `1Ki`: kcl keeps the literal in the type.
    Unit(String),
    /// A list, with the distinct types of its items in order; `None`
    /// for the empty list (`[any]`).
    List(Option<Vec<Ty>>),
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Int => f.write_str("int"),
            Ty::Float => f.write_str("float"),
            Ty::Bool => f.write_str("bool"),
            Ty::Str => f.write_str("str"),
            Ty::Unit(src) => write!(f, "number_multiplier({src})"),
            Ty::List(None) => f.write_str("[any]"),
            Ty::List(Some(items)) => {
                let items: Vec<String> = items.iter().map(Ty::to_string).collect();
                write!(f, "[{}]", items.join(" | "))
            }
        }
    }
}

/// The known types of a file's top-level names.
pub(super) struct NameTypes {
    /// Name, its type, and the offset its binding ends at.
    known: HashMap<String, (Ty, u32)>,
}

impl NameTypes {
    pub(super) fn new(body: &[Stmt], text: &str) -> Self {
        let counts = binding_counts(body);
        let mut known: HashMap<String, (Ty, u32)> = HashMap::new();
        for stmt in body {
            let Stmt::Assign { targets, ty, value, span } = stmt else { continue };
            for target in targets {
                let Expr::Name(n) = target else { continue };
                if n.parts.len() != 1 || counts.get(n.first()) != Some(&1) {
                    continue;
                }
                let inferred = match ty {
                    None => Infer { known: &known, counts: &counts, text }.expr(value),
                    Some(Type::Basic(b)) => Some(basic(*b)),
                    Some(_) => None,
                };
                if let Some(t) = inferred {
                    known.insert(n.first().to_string(), (t, span.end));
                }
            }
        }
        NameTypes { known }
    }

    /// The type of the top-level name `name` used at offset `at`.
    pub(super) fn at(&self, name: &str, at: u32) -> Option<&Ty> {
        self.known.get(name).filter(|(_, after)| at >= *after).map(|(t, _)| t)
    }
}

fn basic(b: BasicType) -> Ty {
    match b {
        BasicType::Bool => Ty::Bool,
        BasicType::Int => Ty::Int,
        BasicType::Float => Ty::Float,
        BasicType::Str => Ty::Str,
    }
}

/// How often each name is bound anywhere in the file, in any scope.
/// Counting every scope together over-counts (a lambda parameter and a
/// global of the same name make two), which only makes a name unknown.
fn binding_counts(body: &[Stmt]) -> HashMap<&str, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    stmt_bindings(body, &mut counts);
    each_expr_in_stmts(body, &mut |e| expr_bindings(e, &mut counts));
    counts
}

/// Names bound by statements, in nested blocks and schema bodies too
/// (lambda bodies are reached through [`expr_bindings`]).
fn stmt_bindings<'a>(stmts: &'a [Stmt], counts: &mut HashMap<&'a str, usize>) {
    let bind = |name: &'a str, counts: &mut HashMap<&'a str, usize>| *counts.entry(name).or_default() += 1;
    for stmt in stmts {
        match stmt {
            Stmt::Assign { targets, .. } => targets.iter().filter_map(target_name).for_each(|n| bind(n, counts)),
            Stmt::AugAssign { target, .. } | Stmt::Unification { target, .. } => {
                target_name(target).into_iter().for_each(|n| bind(n, counts))
            }
            Stmt::Import(i) => bind(i.bound_name(), counts),
            Stmt::TypeAlias { name, .. } => bind(name.first(), counts),
            Stmt::If { branches, .. } => branches.iter().for_each(|(_, b)| stmt_bindings(b, counts)),
            Stmt::Schema(def) => {
                bind(&def.name, counts);
                def.params.iter().for_each(|p| bind(&p.name, counts));
                if let Some(key) = def.index_signature.as_ref().and_then(|s| s.key_name.as_deref()) {
                    bind(key, counts);
                }
                stmt_bindings(&def.body, counts);
            }
            Stmt::Rule(def) => {
                bind(&def.name, counts);
                def.params.iter().for_each(|p| bind(&p.name, counts));
            }
            Stmt::Attr(attr) => bind(&attr.name, counts),
            Stmt::Expr { .. } | Stmt::Assert { .. } => {}
        }
    }
}

/// The name an assignment target binds: `a` of `a`, `a.b`, `a[0]`.
fn target_name(target: &Expr) -> Option<&str> {
    match target {
        Expr::Name(n) => Some(n.first()),
        Expr::Suffixed { base, .. } => target_name(base),
        _ => None,
    }
}

/// Names an expression binds: lambda parameters (and the statements of
/// its body), comprehension and quantifier variables, and config keys,
/// which a config's values see instead of the globals
/// (`{a = "s", x = a.foo}`).
fn expr_bindings<'a>(e: &'a Expr, counts: &mut HashMap<&'a str, usize>) {
    let mut bind = |name: &'a str| *counts.entry(name).or_default() += 1;
    match e {
        Expr::Lambda { params, body, .. } => {
            params.iter().for_each(|p| bind(&p.name));
            stmt_bindings(body, counts);
        }
        Expr::ListComp { clauses, .. } | Expr::DictComp { clauses, .. } => {
            clauses.iter().flat_map(|c| &c.targets).for_each(|t| bind(t.first()))
        }
        Expr::Quant { vars, .. } => vars.iter().for_each(|v| bind(v.first())),
        Expr::Config { entries, .. } => {
            entries.iter().filter_map(|en| en.key.as_ref()).for_each(|k| key_name(k, &mut bind))
        }
        Expr::ConfigIf { branches, .. } => {
            branches.iter().flat_map(|(_, es)| es).filter_map(|en| en.key.as_ref()).for_each(|k| key_name(k, &mut bind))
        }
        _ => {}
    }
}

fn key_name<'a>(key: &'a Expr, bind: &mut impl FnMut(&'a str)) {
    match key {
        Expr::Str { value, parts, .. } if parts.is_empty() => bind(value.split('.').next().unwrap_or("")),
        other => target_name(other).into_iter().for_each(bind),
    }
}

/// Infers the type of a top-level value from the names typed so far.
struct Infer<'k, 'c> {
    known: &'k HashMap<String, (Ty, u32)>,
    counts: &'c HashMap<&'c str, usize>,
    text: &'k str,
}

impl Infer<'_, '_> {
    fn expr(&self, e: &Expr) -> Option<Ty> {
        match e {
            Expr::Number { span, .. } => Some(number(self.text.get(span.start as usize..span.end as usize)?)),
            Expr::Str { .. } => Some(Ty::Str),
            Expr::Constant(span) => match self.text.get(span.start as usize..span.end as usize)? {
                "True" | "False" => Some(Ty::Bool),
                _ => None,
            },
            Expr::Name(n) if n.parts.len() == 1 => self.known.get(n.first()).map(|(t, _)| t.clone()),
            Expr::List { items, .. } => {
                let items = items.iter().map(|i| self.expr(i)).collect::<Option<Vec<_>>>()?;
                list_of(items)
            }
            Expr::Paren(inner, _) => self.expr(inner),
            Expr::Unary { op, operand, .. } => unary(*op, self.expr(operand)?),
            Expr::Binary { operands, ops, .. } => {
                let types = operands.iter().map(|o| self.expr(o)).collect::<Option<Vec<_>>>()?;
                binary(ops, types)
            }
            Expr::IfElse { body, orelse, .. } => match (self.expr(body)?, self.expr(orelse)?) {
                (a, b) if a == b => Some(a),
                (Ty::Int | Ty::Float, Ty::Int | Ty::Float) => Some(Ty::Float),
                _ => None,
            },
            Expr::Suffixed { base, suffixes, .. } => match (base.as_ref(), suffixes.as_slice()) {
                (Expr::Name(n), [Suffix::Call { args, kwargs }])
                    if n.parts.len() == 1
                        && n.first() == "len"
                        && !self.counts.contains_key("len")
                        && args.len() == 1
                        && kwargs.is_empty() =>
                {
                    Some(Ty::Int)
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// A number literal's type from its text: a unit (`1Ki`), `float`
/// (`1.5`, `1e3`) or `int` (`1`, `0x1e`).
pub(super) fn number(src: &str) -> Ty {
    let is_float = src.contains(['.', 'e', 'E']) && !src.starts_with("0x");
    let unit = src.ends_with(|c: char| c.is_ascii_alphabetic()) && !src.starts_with('0');
    match (is_float, unit) {
        (_, true) => Ty::Unit(src.to_string()),
        (true, _) => Ty::Float,
        _ => Ty::Int,
    }
}

/// A list of items of these types. kcl widens `int` to `float` when
/// both occur; where that puts `float` among other types is not
/// modelled, so such a list is unknown.
fn list_of(items: Vec<Ty>) -> Option<Ty> {
    if items.is_empty() {
        return Some(Ty::List(None));
    }
    let mut kinds: Vec<Ty> = Vec::new();
    for t in items {
        if !kinds.contains(&t) {
            kinds.push(t);
        }
    }
    if kinds.contains(&Ty::Int) && kinds.contains(&Ty::Float) {
        return if kinds.len() == 2 { Some(Ty::List(Some(vec![Ty::Float]))) } else { None };
    }
    Some(Ty::List(Some(kinds)))
}

/// kcl's `not x` has the type of `x`; `-`, `+` and `~` are typed only
/// where kcl accepts them.
fn unary(op: UnaryOp, t: Ty) -> Option<Ty> {
    match (op, &t) {
        (UnaryOp::Not, _) => Some(t),
        (UnaryOp::Minus | UnaryOp::Plus, Ty::Int | Ty::Float) | (UnaryOp::Invert, Ty::Int) => Some(t),
        _ => None,
    }
}

/// A chain of operators of one precedence level over operands of these
/// types. Operand types kcl rejects (`1 < "s"`, `True + 1`) give
/// nothing: kcl reports those first.
fn binary(ops: &[BinOp], types: Vec<Ty>) -> Option<Ty> {
    use BinOp::*;
    let all = |set: &[BinOp]| ops.iter().all(|o| set.contains(o));
    let numeric = types.iter().all(|t| matches!(t, Ty::Int | Ty::Float));
    let ints = types.iter().all(|t| *t == Ty::Int);
    if all(&[Eq, NotEq, Is, IsNot]) || (all(&[Lt, LtEq, Gt, GtEq]) && (numeric || types.iter().all(|t| *t == Ty::Str)))
    {
        return Some(Ty::Bool);
    }
    if all(&[And]) {
        return Some(Ty::Bool);
    }
    if all(&[Or]) {
        return types.windows(2).all(|w| w[0] == w[1]).then(|| types[0].clone());
    }
    if all(&[Add, Sub, Mul, Div, FloorDiv, Mod, Pow]) && numeric {
        return Some(if ints { Ty::Int } else { Ty::Float });
    }
    if all(&[Shl, Shr, BitAnd, BitOr, BitXor]) && ints {
        return Some(Ty::Int);
    }
    match (ops, types.as_slice()) {
        ([In | NotIn], [_, Ty::List(_)] | [Ty::Str, Ty::Str]) => Some(Ty::Bool),
        ([Add], [Ty::Str, Ty::Str]) | ([Mul], [Ty::Str, Ty::Int] | [Ty::Int, Ty::Str]) => Some(Ty::Str),
        ([Add], [Ty::List(Some(a)), Ty::List(Some(b))]) => list_of(a.iter().chain(b).cloned().collect()),
        _ => None,
    }
}
