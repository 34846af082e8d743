//! A problem with one file. In the component the path is relative to the
//! preopened directory; the host joins it with the directory it preopened,
//! so what the user reads names the file on their disk.

use std::fmt;
use std::path::PathBuf;

/// A 1-based position; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileErrorKind {
    NotFound,
    Denied,
    TooLarge,
    NotAFile,
    Malformed,
    Io,
}

impl FileErrorKind {
    /// A stable name for error codes.
    pub fn as_str(self) -> &'static str {
        match self {
            FileErrorKind::NotFound => "not-found",
            FileErrorKind::Denied => "denied",
            FileErrorKind::TooLarge => "too-large",
            FileErrorKind::NotAFile => "not-a-file",
            FileErrorKind::Malformed => "malformed",
            FileErrorKind::Io => "io",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub kind: FileErrorKind,
    pub position: Option<Position>,
    pub message: String,
}

impl FileError {
    pub fn new(path: impl Into<PathBuf>, kind: FileErrorKind, message: impl Into<String>) -> Self {
        FileError { path: path.into(), kind, position: None, message: message.into() }
    }

    /// Classifies an I/O error. The sandbox's refusals surface as
    /// `PermissionDenied` (a symlink or `..` leading outside the preopen).
    pub fn from_io(path: &str, err: &std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let (kind, message) = match err.kind() {
            K::NotFound => (FileErrorKind::NotFound, "no such file or directory".to_string()),
            K::PermissionDenied => (
                FileErrorKind::Denied,
                "access denied by the sandbox (the path may lead outside the data directory)".to_string(),
            ),
            K::IsADirectory => (FileErrorKind::NotAFile, "is a directory".to_string()),
            _ => (FileErrorKind::Io, err.to_string()),
        };
        FileError::new(path, kind, message)
    }

    /// serde accepts a JSON array for a struct; every file here must hold
    /// an object, and saying so beats "invalid length 0, expected struct".
    pub fn expect_object(path: &str, source: &[u8], what: &str) -> Result<(), FileError> {
        let Some(at) = source.iter().position(|b| !b.is_ascii_whitespace()) else {
            return Ok(()); // serde reports the empty file itself
        };
        if source[at] == b'{' {
            return Ok(());
        }
        let line = 1 + source[..at].iter().filter(|&&b| b == b'\n').count();
        let line_start = source[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = 1 + String::from_utf8_lossy(&source[line_start..at]).chars().count();
        Err(FileError {
            path: path.into(),
            kind: FileErrorKind::Malformed,
            position: Some(Position { line: line as u32, column: column as u32 }),
            message: format!("{what} must hold a JSON object"),
        })
    }

    /// A JSON error at serde_json's position. serde_json counts columns in
    /// bytes; users count characters, so the column is recounted on the line.
    pub fn from_json(path: &str, source: &[u8], err: &serde_json::Error) -> Self {
        let position = (err.line() > 0)
            .then(|| Position { line: err.line() as u32, column: char_column(source, err.line(), err.column()) });
        FileError { path: path.into(), kind: FileErrorKind::Malformed, position, message: json_message(err) }
    }
}

/// serde_json appends " at line L column C" to its messages; the position is
/// carried separately, so the suffix is dropped.
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn char_column(source: &[u8], line: usize, byte_column: usize) -> u32 {
    let Some(line_text) = source.split(|&b| b == b'\n').nth(line - 1) else {
        return byte_column as u32;
    };
    let end = byte_column.min(line_text.len());
    let chars = String::from_utf8_lossy(&line_text[..end]).chars().count();
    // serde_json reports the column of the offending byte itself (1-based);
    // past the end of the line it points one beyond.
    (chars + usize::from(byte_column > line_text.len())).max(1) as u32
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {}", self.path.display(), p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for FileError {}

/// The files a `--skip-invalid` call skipped, as both hosts report them on
/// stderr: how many, then each on a line of its own.
pub struct SkippedFiles<'a>(pub &'a [FileError]);

impl fmt::Display for SkippedFiles<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.0.len() == 1 { "file" } else { "files" };
        writeln!(f, "skipped {} invalid {noun}", self.0.len())?;
        for file in self.0 {
            writeln!(f, "  {file}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_files_are_counted_then_listed() {
        let bad = FileError::new("tasks/bad.json", FileErrorKind::Malformed, "expected value");
        assert_eq!(
            SkippedFiles(std::slice::from_ref(&bad)).to_string(),
            "skipped 1 invalid file\n  tasks/bad.json: expected value\n"
        );
        let big = FileError::new("tasks/big.json", FileErrorKind::TooLarge, "too large");
        assert_eq!(
            SkippedFiles(&[bad, big]).to_string(),
            "skipped 2 invalid files\n  tasks/bad.json: expected value\n  tasks/big.json: too large\n"
        );
    }

    #[test]
    fn json_error_column_counts_characters() {
        let source = "{\"id\": \"é\", x}".as_bytes();
        let err = serde_json::from_slice::<serde_json::Value>(source).unwrap_err();
        let file = FileError::from_json("tasks/a.json", source, &err);
        let position = file.position.unwrap();
        assert_eq!(position.line, 1);
        // `x` is the 13th character but the 14th byte.
        assert_eq!(position.column, 13);
        assert_eq!(file.message, "key must be a string");
    }

    #[test]
    fn display_names_file_and_position() {
        let mut err = FileError::new("tasks/a.json", FileErrorKind::Malformed, "EOF while parsing");
        err.position = Some(Position { line: 3, column: 7 });
        assert_eq!(err.to_string(), "tasks/a.json:3:7: EOF while parsing");
    }
}
