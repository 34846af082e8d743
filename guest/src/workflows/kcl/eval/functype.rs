//! Whether a function value fits a function type (`f: (int) -> int =
//! lambda ...`), as kcl's resolver decides it: the same number of
//! parameters, and each written type equal to the expected one; an
//! unwritten type is `any` and fits anything.

use super::super::ast::Type;
use super::value::{Func, type_display};

pub(super) fn fits(f: &Func, want: &[Type], want_ret: Option<&Type>) -> bool {
    let Func::Lambda { params, ret, .. } = f else { return true };
    params.len() == want.len()
        && params.iter().zip(want).all(|(p, w)| p.ty.as_ref().is_none_or(|t| same(t, w)))
        && ret.is_none_or(|r| want_ret.is_none_or(|w| same(r, w)))
}

/// Types compared as kcl writes them; `any` on either side fits, and
/// `int` fits `float` (kcl accepts `(int) -> int` for `(int) -> float`).
fn same(a: &Type, b: &Type) -> bool {
    let (a, b) = (type_display(a), type_display(b));
    a == b || a == "any" || b == "any" || matches!((a.as_str(), b.as_str()), ("int", "float") | ("float", "int"))
}
