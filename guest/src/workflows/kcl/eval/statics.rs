//! Checks kcl's resolver makes before anything runs, on what is known
//! without evaluating: argument counts (and literal argument types) of
//! builtin functions and of methods called on a string literal, and
//! `as` casts. kcl makes them everywhere, also in branches that never run
//! and in checks whose condition is false, so they are not left to the
//! evaluation.
//!
//! Only what is certain is judged: a builtin name the file rebinds, a
//! receiver that is neither a literal nor a top-level name of a known
//! type ([`super::name_types`]), keyword arguments, all pass.

use std::collections::HashSet;

use super::super::ast::{BinOp, Expr, Name, Span, Stmt, Suffix};
use super::super::strict::walk::each_expr_in_stmts;
use super::error::{self, EvalError, Result};
use super::name_types::{NameTypes, Ty, number};

/// Builtin functions with a fixed signature: required, total positional
/// parameters (kcl-lib 0.13.2 `builtin/mod.rs`; variadic ones left out).
const FUNCTIONS: &[(&str, usize, usize)] = &[
    ("multiplyof", 2, 2),
    ("isunique", 1, 1),
    ("isnullish", 1, 1),
    ("len", 1, 1),
    ("abs", 1, 1),
    ("all_true", 1, 1),
    ("any_true", 1, 1),
    ("hex", 1, 1),
    ("bin", 1, 1),
    ("oct", 1, 1),
    ("ord", 1, 1),
    ("range", 0, 3),
    ("sum", 1, 2),
    ("pow", 2, 3),
    ("round", 1, 2),
    ("int", 1, 2),
    ("float", 1, 1),
    ("bool", 0, 1),
    ("str", 0, 1),
    ("list", 0, 1),
    ("typeof", 1, 2),
];

/// String methods: name and parameter types (`?` marks a default).
const METHODS: &[(&str, &[&str])] = &[
    ("capitalize", &[]),
    ("chars", &[]),
    ("count", &["str", "int?", "int?"]),
    ("endswith", &["str", "int?", "int?"]),
    ("find", &["str", "int?", "int?"]),
    ("index", &["str", "int?", "int?"]),
    ("isalpha", &[]),
    ("isalnum", &[]),
    ("isdigit", &[]),
    ("islower", &[]),
    ("isspace", &[]),
    ("istitle", &[]),
    ("isupper", &[]),
    ("join", &["any"]),
    ("lower", &[]),
    ("upper", &[]),
    ("lstrip", &["str?"]),
    ("rstrip", &["str?"]),
    ("strip", &["str?"]),
    ("replace", &["str", "str", "int?"]),
    ("removeprefix", &["str"]),
    ("removesuffix", &["str"]),
    ("rfind", &["str", "int?", "int?"]),
    ("rindex", &["str", "int?", "int?"]),
    ("rsplit", &["str?", "int?"]),
    ("split", &["str?", "int?"]),
    ("splitlines", &["bool?"]),
    ("startswith", &["str", "int?", "int?"]),
    ("title", &[]),
];

/// The first such error in `file`, in source order.
pub(super) fn check(file: usize, body: &[Stmt], text: &str) -> Result<()> {
    let rebound = rebound_names(body);
    let typed = NameTypes::new(body, text);
    let mut found: Option<Box<EvalError>> = None;
    for stmt in body {
        let names = if inherits(stmt) { None } else { Some(&typed) };
        let known = Known { file, text, rebound: &rebound, names };
        each_expr_in_stmts(std::slice::from_ref(stmt), &mut |e| {
            if found.is_none() {
                found = check_expr(&known, e).err();
            }
        });
    }
    found.map_or(Ok(()), Err)
}

/// What the checks know where an expression is.
struct Known<'k> {
    file: usize,
    text: &'k str,
    /// Builtin names the file rebinds ([`rebound_names`]).
    rebound: &'k HashSet<&'k str>,
    /// The types of top-level names, where they can be trusted.
    names: Option<&'k NameTypes>,
}

/// A schema with a parent, mixins or a host, or a rule with parents:
/// its body may see attributes declared in another file under the name
/// of a global, so globals' types are not used there.
fn inherits(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Schema(d) => d.parent.is_some() || !d.mixins.is_empty() || d.for_host.is_some(),
        Stmt::Rule(d) => !d.parents.is_empty() || d.for_host.is_some(),
        _ => false,
    }
}

/// Names the file binds at the top level: a builtin of that name is not
/// the builtin.
fn rebound_names(body: &[Stmt]) -> HashSet<&str> {
    let mut out = HashSet::new();
    for stmt in body {
        match stmt {
            Stmt::Assign { targets, .. } => {
                out.extend(targets.iter().filter_map(|t| if let Expr::Name(n) = t { Some(n.first()) } else { None }))
            }
            Stmt::Schema(d) => {
                out.insert(d.name.as_str());
            }
            Stmt::Import(i) => {
                out.insert(i.bound_name());
            }
            _ => {}
        }
    }
    out
}

fn check_expr(k: &Known, e: &Expr) -> Result<()> {
    match e {
        Expr::Suffixed { base, suffixes, .. } => calls(k, base, suffixes),
        Expr::Name(n) if n.parts.len() > 1 => match typed_name(n, k.names) {
            Some(t) => selector(k.file, n.span, &t.to_string(), &n.parts[1]),
            None => Ok(()),
        },
        Expr::Binary { operands, ops, .. } if ops.len() == 1 && ops[0] == BinOp::As => cast(k.file, operands, k.text),
        _ => Ok(()),
    }
}

/// The known type of the top-level name `n` (its first part) where it
/// is used.
fn typed_name<'t>(n: &Name, names: Option<&'t NameTypes>) -> Option<&'t Ty> {
    names?.at(n.first(), n.span.start)
}

/// kcl types a literal, `len(..)` (an `int`) and some top-level names
/// statically: a selector it does not have, a string index into a string
/// or list, or an index into a scalar, is an error (`"s".log`,
/// `[1].index`, `len(x).__str__`, `"x"["y"]`, `n[0]` with `n = 1`).
fn selectors(k: &Known, base: &Expr, suffixes: &[Suffix]) -> Result<()> {
    let Known { file, text, rebound, names } = *k;
    let is_len =
        |e: &Expr| matches!(e, Expr::Name(n) if n.first() == "len" && n.parts.len() == 1 && !rebound.contains("len"));
    let (owner, rest) = match (base, suffixes) {
        // `len(x)` is parsed as its own primary, its suffixes outside.
        (Expr::Suffixed { base: inner, suffixes: call, .. }, rest)
            if is_len(inner) && matches!(call.as_slice(), [Suffix::Call { .. }]) =>
        {
            ("int".to_string(), rest)
        }
        (Expr::Str { parts, .. } | Expr::List { items: parts, .. }, rest)
            if parts.is_empty() || matches!(base, Expr::List { .. }) =>
        {
            match literal_type(base, text) {
                Some(t) => (t, rest),
                None => return Ok(()),
            }
        }
        // `a.b` is one name; `a?.b`, `(a).b` and `a[0]` are suffixes.
        (_, rest) => match bare_name(base).and_then(|n| typed_name(n, names)) {
            Some(t) => (t.to_string(), rest),
            None => return Ok(()),
        },
    };
    let err = |code, message: String| Err(EvalError::new(file, base.span(), code, message));
    // `?.b` and `?[0]` are judged as `.b` and `[0]`.
    let rest = rest.strip_prefix(&[Suffix::Optional]).unwrap_or(rest);
    match rest.first() {
        Some(Suffix::Attr(m)) => selector(file, base.span(), &owner, m),
        Some(Suffix::Index(_)) if is_scalar(&owner) => {
            err(error::TYPE_MISMATCH, format!("'{owner}' object is not subscriptable"))
        }
        Some(Suffix::Index(ix)) if ix.len() == 1 && (is_str(&owner) || owner.starts_with('[')) => {
            match literal_type(&ix[0], text) {
                Some(got) if got.starts_with("str(") => err(error::TYPE_MISMATCH, format!("expected int, got {got}")),
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// `a` or `(a)`: a name of one part.
fn bare_name(e: &Expr) -> Option<&Name> {
    match e {
        Expr::Name(n) if n.parts.len() == 1 => Some(n),
        Expr::Paren(inner, _) => bare_name(inner),
        _ => None,
    }
}

/// `str` of a name, `str(..)` of a literal.
fn is_str(owner: &str) -> bool {
    owner == "str" || owner.starts_with("str(")
}

/// The scalar types kcl will not index: `int` (of a name or of
/// `len(..)`), `float`, `bool`, a unit.
fn is_scalar(owner: &str) -> bool {
    matches!(owner, "int" | "float" | "bool") || owner.starts_with("number_multiplier(")
}

/// The attribute `attr` (its first part, of `a.b.c`) of a value of type
/// `owner`: only strings have attributes, their methods.
fn selector(file: usize, at: Span, owner: &str, attr: &str) -> Result<()> {
    let m = attr.split('.').next().unwrap_or(attr);
    if is_str(owner) && (m == "format" || METHODS.iter().any(|x| x.0 == m)) {
        return Ok(());
    }
    Err(EvalError::new(file, at, error::NO_SUCH_ATTRIBUTE, format!("attribute '{m}' not found in '{owner}'")))
}

fn calls(k: &Known, base: &Expr, suffixes: &[Suffix]) -> Result<()> {
    selectors(k, base, suffixes)?;
    let Known { file, text, rebound, names } = *k;
    let Some(Suffix::Call { args, kwargs }) = suffixes.iter().find(|s| !matches!(s, Suffix::Attr(_))) else {
        return Ok(());
    };
    if !kwargs.is_empty() || args.iter().any(|a| matches!(a, Expr::Starred(..))) {
        return Ok(());
    }
    let at = base.span();
    match (base, suffixes) {
        (Expr::Name(n), [Suffix::Call { .. }, ..]) if n.parts.len() == 1 && !rebound.contains(n.first()) => {
            let Some((_, required, total)) = FUNCTIONS.iter().find(|f| f.0 == n.first()) else { return Ok(()) };
            count(file, n.first(), args, *required, *total, at)
        }
        (Expr::Str { parts, .. }, [Suffix::Attr(m), Suffix::Call { .. }, ..]) if parts.is_empty() => {
            method_args(file, m, m, args, text, at)
        }
        // kcl names the method with its receiver here: "a.upper" takes ...
        (Expr::Name(n), [Suffix::Call { .. }, ..])
            if n.parts.len() == 2 && typed_name(n, names).is_some_and(|t| *t == Ty::Str) =>
        {
            method_args(file, &n.parts[1], &n.dotted(), args, text, at)
        }
        _ => Ok(()),
    }
}

/// The arguments of the string method `method`, called as `shown`:
/// their count, and the types of literal ones.
fn method_args(file: usize, method: &str, shown: &str, args: &[Expr], text: &str, at: Span) -> Result<()> {
    let Some((_, params)) = METHODS.iter().find(|x| x.0 == method) else { return Ok(()) };
    let required = params.iter().filter(|p| !p.ends_with('?')).count();
    count(file, shown, args, required, params.len(), at)?;
    for (arg, want) in args.iter().zip(params.iter()) {
        let want = want.trim_end_matches('?');
        if let Some(got) = literal_type(arg, text)
            && want != "any"
            && !got.starts_with(want)
        {
            return Err(EvalError::new(file, arg.span(), error::TYPE_MISMATCH, format!("expected {want}, got {got}")));
        }
    }
    Ok(())
}

/// kcl's messages: too many at the first extra argument, too few at the
/// function.
fn count(file: usize, name: &str, args: &[Expr], required: usize, total: usize, at: Span) -> Result<()> {
    let unit = |n: usize| format!("{n} positional argument{}", if n > 1 { "s" } else { "" });
    if args.len() > total {
        return Err(EvalError::new(
            file,
            args[total].span(),
            error::ARGUMENT_COUNT,
            format!("\"{name}\" takes {} but {} were given", unit(total), args.len()),
        ));
    }
    if args.len() < required {
        return Err(EvalError::new(
            file,
            at,
            error::ARGUMENT_COUNT,
            format!("expected {}, found {}", unit(required), args.len()),
        ));
    }
    Ok(())
}

/// `x as T`: `T` must be a type name, and a literal `x` must already be
/// of that type (kcl: "Conversion of type 'int(1)' to type 'str' may be
/// a mistake"; `1.5 as int` fails when it runs, on the same line).
fn cast(file: usize, operands: &[Expr], text: &str) -> Result<()> {
    let [value, target] = operands else { return Ok(()) };
    let Expr::Name(ty) = target else {
        return Err(EvalError::new(
            file,
            target.span(),
            error::TYPE_MISMATCH,
            "keyword 'as' right operand must be a type",
        ));
    };
    let Some(got) = literal_type(value, text) else { return Ok(()) };
    let want = ty.dotted();
    let fits = match want.as_str() {
        "any" => true,
        "int" | "float" | "str" | "bool" => got.starts_with(&want),
        // A schema (or an alias, an imported type): a dict literal is
        // not one; other literals are judged only against basic types.
        _ => !got.starts_with('{'),
    };
    if fits {
        return Ok(());
    }
    Err(EvalError::new(
        file,
        value.span(),
        error::TYPE_MISMATCH,
        format!(
            "Conversion of type '{got}' to type '{want}' may be a mistake because neither type sufficiently overlaps with the other"
        ),
    ))
}

/// The type kcl gives a literal, as it writes it: `int(1)`, `str(a)`,
/// `bool(True)`, `{...}` for a config; `None` when `e` is not a literal.
fn literal_type(e: &Expr, text: &str) -> Option<String> {
    let src = text.get(e.span().start as usize..e.span().end as usize)?;
    Some(match e {
        Expr::Number { .. } => match number(src) {
            Ty::Unit(_) => format!("number_multiplier({src})"),
            Ty::Float => format!("float({src})"),
            _ => format!("int({src})"),
        },
        Expr::Str { value, parts, .. } if parts.is_empty() => format!("str({value})"),
        Expr::Constant(_) if src == "True" || src == "False" => format!("bool({src})"),
        Expr::Config { .. } => "{...}".into(),
        Expr::List { items, .. } => {
            let mut kinds: Vec<String> = Vec::new();
            for item in items {
                let k = literal_type(item, text)?;
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            format!("[{}]", kinds.join(" | "))
        }
        _ => return None,
    })
}
