//! What a workflow validator finds, in any language: KCL's checks,
//! Nickel's engine and the task-graph checks all report in these records.
//! In the component a file is named relative to its preopen (the package
//! directory, or `import-path:N/…` for the N-th import path); the host
//! joins it with the directory it preopened, as for a [`crate::FileError`].

use std::path::PathBuf;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A range of one file's text. Lines and columns are 1-based and columns
/// count characters, so they match what an editor shows; the end is
/// exclusive (an empty range has `end == start`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// The text of `line`, so that a renderer need not read the file
    /// (cut short for huge lines). Not in JSON: it is the file's own text.
    #[serde(skip)]
    pub source_line: String,
}

impl Span {
    /// The start of `file`, for a finding about the whole file (one too
    /// large to read, one whose problem has no place of its own).
    pub fn start_of(file: impl Into<PathBuf>) -> Span {
        Span { file: file.into(), line: 1, column: 1, end_line: 1, end_column: 1, source_line: String::new() }
    }
}

/// A place that explains a finding, such as the contract a value broke or
/// where a name is first defined; often in another file than the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    #[serde(flatten)]
    pub span: Span,
    pub message: String,
}

/// One finding, with a stable code (`E1001` for KCL, `N3001` for Nickel,
/// `E4xxx` for the task graph). JSON has the span's fields inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    #[serde(flatten)]
    pub span: Span,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
    pub related: Vec<Related>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hosts print this JSON; its fields are flat, as they were before
    /// the span was a record of its own.
    #[test]
    fn json_has_the_span_inline_and_no_source_text() {
        let span = |line| Span { line, source_line: "x = 1".into(), ..Span::start_of("a/b.k") };
        let d = Diagnostic {
            span: span(2),
            code: "E4001".into(),
            message: "duplicate step id 'x'".into(),
            hint: None,
            severity: Severity::Warning,
            related: vec![Related { span: span(1), message: "first defined here".into() }],
        };
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"file":"a/b.k","line":2,"column":1,"end_line":1,"end_column":1,"code":"E4001","#.to_owned()
                + r#""message":"duplicate step id 'x'","hint":null,"severity":"warning","related":"#
                + r#"[{"file":"a/b.k","line":1,"column":1,"end_line":1,"end_column":1,"message":"first defined here"}]}"#
        );
    }
}
