//! Byte ranges in nickel's file database → line/column [`Span`]s.

use std::ops::Range;

// The codespan trait's methods return `Result`s where nickel's inherent ones panic on an unknown
// id, so we call them explicitly.
use codespan_reporting::files::Files as CodespanFiles;
use nickel_lang_core::{
    files::{FileId, Files},
    position::{PosIdx, PosTable, RawSpan},
};

use super::types::Span;

/// Converts a codespan byte range. Returns `None` rather than panicking if the file id is unknown
/// (diagnostics may refer to snippets added to a *copy* of the database). Out-of-range or
/// non-char-boundary offsets are clamped/snapped, so a slightly-off range from nickel still yields
/// a usable position.
///
/// Uses the line index that nickel's `Files` already keeps, so each call costs a binary search
/// plus the length of one line: value conversion calls this once per node, even on big files.
pub fn span_of(files: &Files, file_id: FileId, range: Range<usize>) -> Option<Span> {
    let name = CodespanFiles::name(files, file_id).ok()?;
    let (line, column) = line_col(files, file_id, range.start)?;
    let (end_line, end_column) = line_col(files, file_id, range.end.max(range.start))?;
    Some(Span { file: name, line, column, end_line, end_column })
}

/// The span of a nickel [`RawSpan`].
pub fn span_of_raw(files: &Files, span: RawSpan) -> Option<Span> {
    span_of(files, span.src_id, span.start.to_usize()..span.end.to_usize())
}

/// The span of a runtime value's position index (both original and inherited positions count:
/// an inherited position is the one of the expression the value was computed from).
pub fn span_of_pos(files: &Files, pos_table: &PosTable, idx: PosIdx) -> Option<Span> {
    pos_table.get(idx).into_opt().and_then(|raw| span_of_raw(files, raw))
}

/// 1-based line and char-counted column of a byte offset, computed the way codespan does
/// (column = chars between the line start and the offset, plus one).
fn line_col(files: &Files, file_id: FileId, offset: usize) -> Option<(u32, u32)> {
    let source = CodespanFiles::source(files, file_id).ok()?;
    let offset = snap(source, offset);
    let line_idx = CodespanFiles::line_index(files, file_id, offset).ok()?;
    let line_start = CodespanFiles::line_range(files, file_id, line_idx).ok()?.start;
    let column = source.get(line_start..offset)?.chars().count() + 1;
    Some((saturate(line_idx + 1), saturate(column)))
}

/// Clamps to the source and moves back to a char boundary.
fn snap(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_and_lines_start_at_one() {
        let mut files = Files::empty();
        let id = files.add("t.ncl", "ab\nçé=x\n");
        let at = |o| line_col(&files, id, o).unwrap();
        assert_eq!(at(0), (1, 1));
        assert_eq!(at(3), (2, 1));
        // 'ç' and 'é' are two bytes each: byte 7 is '='.
        assert_eq!(at(7), (2, 3));
        // Inside a multi-byte char: snapped back to its start.
        assert_eq!(at(4), (2, 1));
        // Past the end: clamped to the end of the file.
        assert_eq!(at(999), (3, 1));
        let span = span_of(&files, id, 3..7).unwrap();
        assert_eq!((span.line, span.column, span.end_line, span.end_column), (2, 1, 2, 3));
    }
}
