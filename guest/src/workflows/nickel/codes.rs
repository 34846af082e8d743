//! Stable error codes, one per nickel error class (enum variant). The table is in the crate
//! documentation; keep both in sync. Codes are never reused: a variant that disappears from
//! nickel keeps its number retired.

use nickel_lang_core::error::{
    Error, EvalErrorKind, ExportErrorKind, ImportErrorKind, ParseError, TypecheckErrorKind, Warning,
};

/// Codes of the top-level diagnostics an error expands to, in order. Most errors expand to one;
/// a parse failure expands to one per syntax error found (nickel's parser recovers and reports
/// them all).
pub fn codes_of(error: &Error) -> Vec<&'static str> {
    match error {
        Error::ParseErrors(errs) => errs.errors.iter().map(parse_code).collect(),
        Error::TypecheckError(data) => typecheck_codes(data.borrow_error()),
        Error::EvalError(data) => eval_codes(&data.error),
        Error::ImportError(kind) => import_codes(kind),
        Error::ExportError(data) => vec![export_code(&data.data.error)],
        Error::IOError(_) => vec!["N5000"],
        // The REPL is not used here; keep a code anyway rather than panicking.
        Error::ReplError(_) => vec!["N9003"],
    }
}

pub fn warning_code(warning: &Warning) -> &'static str {
    match warning {
        Warning::NakedFunctionContract { .. } => "W1001",
    }
}

pub const INTERNAL_PANIC: &str = "N9001";
/// The engine's own nesting pre-check (`Options::max_nesting`), not a nickel error.
pub const NESTING_LIMIT: &str = "N6001";

pub fn parse_code(error: &ParseError) -> &'static str {
    use ParseError::*;
    match error {
        UnexpectedToken(..) => "N1001",
        UnexpectedEOF(..) => "N1002",
        ExtraToken(..) => "N1003",
        UnmatchedCloseBrace(..) => "N1004",
        InvalidEscapeSequence(..) => "N1005",
        InvalidAsciiEscapeCode(..) => "N1006",
        InvalidUnicodeEscapeCode(..) => "N1007",
        StringDelimiterMismatch { .. } => "N1008",
        ExternalFormatError(..) => "N1009",
        UnboundTypeVariables(..) => "N1010",
        InvalidRecordType { .. } => "N1011",
        RecursiveLetPattern(..) => "N1012",
        PatternInLetBlock(..) => "N1013",
        TypeVariableKindMismatch { .. } => "N1014",
        TypedFieldWithoutDefinition { .. } => "N1015",
        InterpolationInStaticPath { .. } => "N1016",
        DuplicateIdentInRecordPattern { .. } => "N1017",
        DuplicateIdentInLetBlock { .. } => "N1018",
        DisabledFeature { .. } => "N1019",
        InvalidContract(..) => "N1020",
        InvalidImportFormat { .. } => "N1021",
        MultipleFieldDecls { .. } => "N1022",
        // Only produced for CLI `--override`/sigil arguments, which the engine doesn't take.
        SigilExprMissingColon(..) | UnknownSigilSelector { .. } | UnknownSigilAttribute { .. } => "N1099",
    }
}

fn typecheck_codes(kind: &TypecheckErrorKind<'_>) -> Vec<&'static str> {
    use TypecheckErrorKind::*;
    let code = match kind {
        UnboundIdentifier(..) => "N2001",
        MissingRow { .. } => "N2002",
        MissingDynTail { .. } => "N2003",
        ExtraRow { .. } => "N2004",
        ExtraDynTail { .. } => "N2005",
        ForallParametricityViolation { .. } => "N2006",
        UnboundTypeVariable(..) => "N2007",
        TypeMismatch { .. } => "N2008",
        RecordRowMismatch { .. } => "N2009",
        EnumRowMismatch { .. } => "N2010",
        RecordRowConflict { .. } => "N2011",
        EnumRowConflict { .. } => "N2012",
        ArrowTypeMismatch { .. } => "N2013",
        CtrTypeInTermPos { .. } => "N2014",
        VarLevelMismatch { .. } => "N2015",
        InhomogeneousRecord { .. } => "N2016",
        OrPatternVarsMismatch { .. } => "N2017",
        // The typechecker resolves imports itself, so a missing or unparsable import found while
        // typechecking surfaces here; classify it like the same failure found elsewhere.
        ImportError(import) => return import_codes(import),
    };
    vec![code]
}

fn eval_codes(kind: &EvalErrorKind) -> Vec<&'static str> {
    use EvalErrorKind::*;
    let code = match kind {
        BlameError { .. } => "N3001",
        MissingFieldDef { .. } => "N3002",
        TypeError { .. } => "N3003",
        UnaryPrimopTypeError { .. } => "N3004",
        NAryPrimopTypeError { .. } => "N3005",
        ParseError(parse) => parse_code(parse),
        NotAFunc(..) => "N3006",
        FieldMissing { .. } => "N3007",
        NotEnoughArgs(..) => "N3008",
        MergeIncompatibleArgs { .. } => "N3009",
        UnboundIdentifier(..) => "N3010",
        InfiniteRecursion(..) => "N3011",
        // `std.serialize`/`std.to_string` failing at run time: same classes as export's own
        // serialization check.
        SerializationError(data) => export_code(&data.error),
        DeserializationError(..) | DeserializationErrorWithInner { .. } => "N3012",
        IllegalPolymorphicTailAccess { .. } => "N3013",
        IncomparableValues { .. } => "N3014",
        NonExhaustiveEnumMatch { .. } => "N3015",
        NonExhaustiveMatch { .. } => "N3016",
        FailedDestructuring { .. } => "N3017",
        QueryNonRecord { .. } => "N3018",
        Other(..) => "N3099",
        InternalError(..) => "N9002",
    };
    vec![code]
}

fn export_code(kind: &ExportErrorKind) -> &'static str {
    use ExportErrorKind::*;
    match kind {
        NonSerializable(..) => "N4001",
        NumberOutOfRange { .. } => "N4002",
        UnsupportedNull(..) => "N4003",
        NotAString(..) => "N4004",
        ExpectedArray { .. } => "N4005",
        NoDocumentation(..) => "N4006",
        Other(..) => "N4099",
    }
}

fn import_codes(kind: &ImportErrorKind) -> Vec<&'static str> {
    match kind {
        ImportErrorKind::IOError(..) => vec!["N5001"],
        // The diagnostics are the imported file's parse errors (plus an "imported here" label on
        // the first), so they carry the parse errors' own codes.
        ImportErrorKind::ParseErrors(errs, _) => errs.errors.iter().map(parse_code).collect(),
        ImportErrorKind::MissingDependency { .. } => vec!["N5002"],
        ImportErrorKind::NoPackageMap { .. } => vec!["N5003"],
    }
}
