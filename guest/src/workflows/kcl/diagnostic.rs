//! Diagnostics: what `orch validate` reports.
//!
//! Code scheme (stable; renderers and tests match on it):
//!
//! | range   | meaning                                                   |
//! |---------|-----------------------------------------------------------|
//! | `E1xxx` | lexical: characters, literals, indentation, delimiters    |
//! | `E2xxx` | syntax: the token stream does not fit the grammar         |
//! | `E3xxx` | semantic (strict checks); warnings unless `strict`        |
//! |         | (E3006, an unreadable external package, is always a warning) |
//! | `E4xxx` | workflow graph (strict checks); warnings unless `strict`  |
//! | `E5xxx` | evaluation (`strict` only): checks, asserts, types, values |
//!
//! The `E5xxx` codes are in `eval/error.rs`.
//!
//! Individual codes are the `pub const`s below. A code never changes
//! meaning; new findings get new numbers.
//!
//! The findings are the model's [`Diagnostic`]s. Inside the module
//! everything carries byte offsets ([`RawDiag`]); conversion to the
//! model's line/character columns happens once per file in [`Resolver`],
//! in a single forward pass, so a 10 MB single-line input with many errors
//! stays linear.

use crate::model::{Diagnostic, Related, Severity, Span};

pub const UNKNOWN_CHARACTER: &str = "E1001";
pub const UNTERMINATED_STRING: &str = "E1002";
pub const INVALID_STRING: &str = "E1003";
pub const INVALID_NUMBER: &str = "E1004";
pub const INDENTATION: &str = "E1005";
pub const MISMATCHED_DELIMITER: &str = "E1006";
pub const LINE_CONTINUATION: &str = "E1007";
pub const SEMICOLON: &str = "E1008";
pub const BANG: &str = "E1009";

pub const UNEXPECTED_TOKEN: &str = "E2001";
pub const EXPECTED_IDENTIFIER: &str = "E2002";
pub const ELSE_IF: &str = "E2003";
pub const INVALID_INTERPOLATION: &str = "E2004";
pub const ARGUMENT_ORDER: &str = "E2005";
pub const TOO_DEEP: &str = "E2006";
pub const INVALID_SUBSCRIPT: &str = "E2007";
pub const INVALID_COMPREHENSION: &str = "E2008";
pub const DUPLICATE_INDEX_SIGNATURE: &str = "E2009";
pub const TOO_MANY_ERRORS: &str = "E2010";

pub const UNDEFINED_NAME: &str = "E3001";
pub const IMMUTABLE_REASSIGN: &str = "E3002";
pub const UNKNOWN_ATTRIBUTE: &str = "E3003";
pub const MISSING_ATTRIBUTE: &str = "E3004";
pub const UNRESOLVED_IMPORT: &str = "E3005";
/// A warning in both modes: nothing is wrong with the workflow, but part
/// of it was not checked.
pub const EXTERNAL_PACKAGE: &str = "E3006";

// The workflow-graph codes belong to the checks every language shares.
pub use crate::workflows::graph::{
    DEPENDENCY_CYCLE, DUPLICATE_ID, NON_POSITIVE_LIMIT, SELF_DEPENDENCY, UNKNOWN_DEPENDENCY,
};

/// A finding before positions are resolved: byte offsets into one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDiag {
    pub start: u32,
    pub end: u32,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl RawDiag {
    pub fn new(start: u32, end: u32, code: &'static str, message: impl Into<String>) -> Self {
        RawDiag { start, end: end.max(start), code, message: message.into(), hint: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The longest `source_line` handed to renderers; a 10 MB line is cut.
const MAX_SOURCE_LINE: usize = 400;

/// Turns byte offsets into 1-based line/character columns for one file.
pub struct Resolver<'a> {
    file: &'a str,
    text: &'a str,
}

impl<'a> Resolver<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Resolver { file, text }
    }

    /// Resolves every finding in one forward scan over the text, sorted
    /// by position.
    pub fn resolve(&self, mut raw: Vec<RawDiag>, severity: Severity) -> Vec<Diagnostic> {
        raw.sort_by_key(|d| (d.start, d.end));
        // Every start and end offset, visited in increasing order.
        let mut points: Vec<u32> = raw.iter().flat_map(|d| [d.start, d.end]).collect();
        points.sort_unstable();
        points.dedup();
        let mut walker = Walker::new(self.text);
        let positions: Vec<(u32, u32, usize)> = points.iter().map(|&p| walker.advance_to(p as usize)).collect();
        let lookup = |offset: u32| {
            let i = points.binary_search(&offset).unwrap_or(0);
            positions[i]
        };
        raw.into_iter()
            .map(|d| {
                let (line, column, line_start) = lookup(d.start);
                let (end_line, end_column, _) = lookup(d.end);
                Diagnostic {
                    span: Span {
                        file: self.file.into(),
                        line,
                        column,
                        end_line,
                        end_column,
                        source_line: self.line_text(line_start),
                    },
                    code: d.code.to_string(),
                    message: d.message,
                    hint: d.hint,
                    severity,
                    related: Vec::new(),
                }
            })
            .collect()
    }

    /// The place of a span of this file, for a related place.
    pub fn place(&self, start: u32, end: u32, message: String) -> Related {
        let d = self.resolve(vec![RawDiag::new(start, end, "", String::new())], Severity::Error).remove(0);
        Related { span: d.span, message }
    }

    fn line_text(&self, line_start: usize) -> String {
        let rest = &self.text[line_start..];
        let line = rest.split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.len() <= MAX_SOURCE_LINE {
            line.to_string()
        } else {
            let mut cut = MAX_SOURCE_LINE;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line[..cut].to_string()
        }
    }
}

/// Walks the text once, tracking line and character column.
struct Walker<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    column: u32,
    line_start: usize,
}

impl<'a> Walker<'a> {
    fn new(text: &'a str) -> Self {
        Walker { text, offset: 0, line: 1, column: 1, line_start: 0 }
    }

    /// Returns (line, column, byte offset of the line's start) for `target`.
    fn advance_to(&mut self, target: usize) -> (u32, u32, usize) {
        let target = target.min(self.text.len());
        // KCL places the end of a file that ends with a line break on the
        // last line, just after that break, not on a new empty line.
        if target == self.text.len() && target > 0 && self.text.ends_with('\n') {
            let (line, column, start) = self.advance_to(target - 1);
            return (line, column + 1, start);
        }
        let bytes = self.text.as_bytes();
        while self.offset < target {
            let b = bytes[self.offset];
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
                self.offset += 1;
                self.line_start = self.offset;
            } else {
                // Count one column per character: skip UTF-8 continuation bytes.
                if b & 0xC0 != 0x80 {
                    self.column += 1;
                }
                self.offset += 1;
            }
        }
        // A column is counted when we pass a character's first byte, so a
        // target inside a multi-byte character has already counted it.
        (self.line, self.column, self.line_start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "a = \"é\"\nbé = ?";
        let raw = vec![RawDiag::new(15, 16, UNEXPECTED_TOKEN, "x")];
        let diags = Resolver::new("f.k", text).resolve(raw, Severity::Error);
        assert_eq!((diags[0].span.line, diags[0].span.column), (2, 6));
        assert_eq!(diags[0].span.source_line, "bé = ?");
    }
}
