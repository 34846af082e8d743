//! Evaluation findings: where, what class, and the places that explain
//! them ("variable is defined here").

use super::super::ast::{Span, Type};
use super::super::diagnostic::RawDiag;
use super::value::{Value, type_display};

pub const CHECK_FAILED: &str = "E5001";
pub const ASSERT_FAILED: &str = "E5002";
pub const TYPE_MISMATCH: &str = "E5003";
pub const CONFLICTING_VALUES: &str = "E5004";
pub const UNKNOWN_MEMBER: &str = "E5005";
pub const REQUIRED_ATTRIBUTE: &str = "E5006";
pub const INDEX_OUT_OF_RANGE: &str = "E5007";
pub const DIVISION_BY_ZERO: &str = "E5008";
pub const OPERAND_TYPES: &str = "E5009";
pub const ARGUMENT_COUNT: &str = "E5010";
pub const NO_SUCH_ATTRIBUTE: &str = "E5011";
pub const DEPRECATED: &str = "E5012";
pub const SCHEMA_DEFINITION: &str = "E5013";
pub const INVALID_VALUE: &str = "E5014";
pub const RECURSION_LIMIT: &str = "E5015";
pub const BUDGET: &str = "E5016";
pub const NOT_CALLABLE: &str = "E5017";

/// Classes KCL finds while evaluating, as opposed to those its resolver
/// finds before (those keep the place of the expression).
pub fn is_runtime(code: &str) -> bool {
    [INDEX_OUT_OF_RANGE, DIVISION_BY_ZERO, INVALID_VALUE, CONFLICTING_VALUES, ASSERT_FAILED].contains(&code)
}

/// A place in some file of the workflow that explains a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: usize,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub file: usize,
    pub span: Span,
    pub code: &'static str,
    pub message: String,
    pub related: Vec<Related>,
}

pub type Result<T> = std::result::Result<T, Box<EvalError>>;

impl EvalError {
    pub fn new(file: usize, span: Span, code: &'static str, message: impl Into<String>) -> Box<Self> {
        Box::new(EvalError { file, span, code, message: message.into(), related: Vec::new() })
    }

    pub fn related(mut self: Box<Self>, file: usize, span: Span, message: impl Into<String>) -> Box<Self> {
        self.related.push(Related { file, span, message: message.into() });
        self
    }

    pub fn into_raw(self) -> (usize, RawDiag, Vec<Related>) {
        (self.file, RawDiag::new(self.span.start, self.span.end, self.code, self.message), self.related)
    }
}

/// `expected int, got str(a)`, with the declaration as the related place.
pub fn type_error(file: usize, at: Span, ty: &Type, v: &Value, declared: Option<(usize, Span)>) -> Box<EvalError> {
    let shown = type_display(ty);
    let got = v.type_str();
    let e = EvalError::new(file, at, TYPE_MISMATCH, format!("expected {shown}, got {got}"));
    match declared {
        Some((f, span)) => e.related(f, span, format!("variable is defined here, its type is {shown}, but got {got}")),
        None => e,
    }
}
