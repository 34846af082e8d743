//! What a case expects, from its first lines (the format is in
//! tests/CORPORA.md):
//!
//! ```text
//! # expect: valid
//! # expect: valid; warnings E3006
//! # expect: strict E3002, E3005
//! # expect: strict E4001 line 10, E4004 line 7
//! # expect: error line 7
//! # expect: error line 32 in lib/workflow_contracts.ncl
//! # class: check_failed
//! ```
//!
//! `# expect:` is line 1 (a file without it expects `valid`), `# class:`
//! line 2. Which check a verdict goes through (parse, evaluation, strict
//! mode) is the corpus directory's business, not the header's.

use std::fmt;
use std::path::Path;

/// A diagnostic code a case expects, and its line where the corpus
/// records one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub code: String,
    pub line: Option<u32>,
}

/// The verdict a case expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Accepted. `strict` are errors with strict checks and warnings
    /// without; `warnings` are warnings either way. `valid` is both empty.
    Accepted { strict: Vec<Finding>, warnings: Vec<Finding> },
    /// Rejected, the first error on `line` of `file` (a path relative to
    /// the corpus root), or of the case itself when `file` is `None`.
    Rejected { line: u32, file: Option<String> },
}

/// A case's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub expect: Expect,
    /// The kind of mistake a case holds, for the reports' per-class tables.
    pub class: Option<String>,
}

/// Why a header does not parse.
#[derive(Debug, PartialEq, Eq)]
pub struct HeaderError(String);

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const EXPECT: &str = "# expect: ";
const CLASS: &str = "# class: ";

impl Header {
    /// The header of a case's text.
    pub fn parse(text: &str) -> Result<Header, HeaderError> {
        let mut lines = text.lines();
        let (first, second) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""));
        // A misplaced or misspelled header would silently mean `valid`.
        let stray = text.lines().take(5).enumerate().find(|(i, line)| {
            let claims = line.starts_with("# expect") || line.starts_with("# class");
            let placed = (*i == 0 && line.starts_with(EXPECT)) || (*i == 1 && line.starts_with(CLASS));
            claims && !placed
        });
        if let Some((i, line)) = stray {
            return Err(HeaderError(format!(
                "line {}: {line:?} is no header (`# expect: ...` is line 1, `# class: ...` line 2)",
                i + 1
            )));
        }
        let expect = match first.strip_prefix(EXPECT) {
            Some(value) => parse_expect(value.trim())?,
            None => Expect::Accepted { strict: Vec::new(), warnings: Vec::new() },
        };
        let class = second.strip_prefix(CLASS).map(|c| c.trim().to_string());
        Ok(Header { expect, class })
    }

    /// The header of the case at `path`; a test's failure if it has none
    /// that parses.
    pub fn read(path: &Path) -> Header {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Header::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The line and file of an expected first error, or a test's failure
    /// naming `case` when it expects none.
    pub fn rejected(&self, case: &str) -> (u32, Option<&str>) {
        match &self.expect {
            Expect::Rejected { line, file } => (*line, file.as_deref()),
            Expect::Accepted { .. } => panic!("{case}: its header expects no error; it needs `# expect: error line N`"),
        }
    }

    /// The findings of an accepted case (strict, always-warnings), or a
    /// test's failure naming `case` when it expects an error.
    pub fn accepted(&self, case: &str) -> (&[Finding], &[Finding]) {
        match &self.expect {
            Expect::Accepted { strict, warnings } => (strict, warnings),
            Expect::Rejected { .. } => panic!("{case}: its header expects an error; it should be accepted"),
        }
    }
}

fn parse_expect(value: &str) -> Result<Expect, HeaderError> {
    let mut clauses = value.split(';').map(str::trim);
    let main = clauses.next().unwrap_or("");
    let mut expect = if main == "valid" {
        Expect::Accepted { strict: Vec::new(), warnings: Vec::new() }
    } else if let Some(list) = main.strip_prefix("strict ") {
        Expect::Accepted { strict: findings(list)?, warnings: Vec::new() }
    } else if let Some(place) = main.strip_prefix("error line ") {
        let (line, file) = match place.split_once(" in ") {
            Some((line, file)) => (line, Some(file.trim().to_string())),
            None => (place, None),
        };
        Expect::Rejected { line: number(line)?, file }
    } else {
        return Err(HeaderError(format!(
            "`# expect: {value}`: expected `valid`, `strict FINDINGS` or `error line N [in FILE]`"
        )));
    };
    for clause in clauses {
        match (&mut expect, clause.strip_prefix("warnings ")) {
            (Expect::Accepted { warnings, .. }, Some(list)) => warnings.extend(findings(list)?),
            _ => return Err(HeaderError(format!("`# expect: {value}`: `{clause}` is no `warnings FINDINGS` clause"))),
        }
    }
    Ok(expect)
}

/// `CODE [line N], ...`
fn findings(list: &str) -> Result<Vec<Finding>, HeaderError> {
    list.split(',')
        .map(|item| {
            let item = item.trim();
            let (code, line) = match item.split_once(" line ") {
                Some((code, line)) => (code, Some(number(line)?)),
                None => (item, None),
            };
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(HeaderError(format!("`{item}` is no `CODE [line N]`")));
            }
            Ok(Finding { code: code.to_string(), line })
        })
        .collect()
}

fn number(text: &str) -> Result<u32, HeaderError> {
    text.trim().parse().map_err(|_| HeaderError(format!("`{text}` is no line number")))
}
