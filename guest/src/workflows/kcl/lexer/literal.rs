//! Validation of literal lexemes: string escapes and number spelling.
//! KCL accepts the lexeme first and judges its content afterwards; these
//! functions are that second step.

use super::raw::NumBase;

/// Checks the escapes of a string literal's content (between the quotes)
/// the way KCL evaluates it. Returns false where KCL reports "invalid
/// string syntax".
pub fn string_content_ok(content: &str, quote: char, triple: bool, raw: bool) -> bool {
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let next = chars.next();
            if raw {
                if next.is_none() {
                    return false;
                }
                continue;
            }
            match next {
                None => return false,
                Some(n) if n == quote => {}
                Some('0'..='7') => {
                    // Up to two more octal digits; KCL consumes the
                    // following character even when it is not one.
                    for _ in 0..2 {
                        match chars.next() {
                            Some('0'..='7') => {}
                            _ => break,
                        }
                    }
                }
                Some('x') => {
                    if !hex_digits(&mut chars, 2) {
                        return false;
                    }
                }
                Some('u') => {
                    if !hex_digits(&mut chars, 4) {
                        return false;
                    }
                }
                Some('U') => {
                    let mut value = 0u32;
                    for _ in 0..8 {
                        match chars.next().and_then(|c| c.to_digit(16)) {
                            Some(d) => value = value.wrapping_mul(16).wrapping_add(d),
                            None => return false,
                        }
                    }
                    if !(0xD800..=0xDFFF).contains(&value) && char::from_u32(value).is_none() {
                        return false;
                    }
                }
                Some('N') => {
                    // `\N{NAME}`: the name table is not available here, so
                    // any braced name is accepted.
                    if chars.next() != Some('{') {
                        return false;
                    }
                    if !chars.by_ref().any(|c| c == '}') {
                        return false;
                    }
                }
                Some(_) => {}
            }
        } else if c == '\n' && !triple {
            return false;
        }
    }
    true
}

fn hex_digits(chars: &mut std::str::Chars, n: usize) -> bool {
    (0..n).all(|_| chars.next().is_some_and(|c| c.is_ascii_hexdigit()))
}

/// Unit suffixes an integer may carry (`1Ki`, `2G`, ...).
pub const INT_SUFFIXES: &[&str] = &["n", "u", "m", "k", "K", "M", "G", "T", "P", "i", "Ki", "Mi", "Gi", "Ti", "Pi"];

/// The digits after a `0b`/`0o`/`0x` (or C-style `0`) prefix must fit the
/// base. Returns the offset (within `text`) of the first bad digit.
pub fn first_bad_digit(text: &str, base: NumBase) -> Option<usize> {
    let radix = match base {
        NumBase::Binary => 2,
        NumBase::Octal => 8,
        NumBase::Hex => 16,
        NumBase::Decimal => return None,
    };
    let digits = text.get(2..)?;
    digits.char_indices().find(|&(_, c)| c != '_' && c.to_digit(radix).is_none()).map(|(i, _)| i + 2)
}

/// Whether an integer literal (without suffix) has a value KCL accepts:
/// underscores only between digits, and the value fits in an i64.
pub fn int_value(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let (radix, mut digits): (u32, &[u8]) = if bytes.first() == Some(&b'0') {
        match bytes.get(1) {
            None => return Some(0),
            Some(b'x' | b'X') => (16, &bytes[2..]),
            Some(b'b' | b'B') => (2, &bytes[2..]),
            Some(b'o' | b'O') => (8, &bytes[2..]),
            Some(_) => (8, &bytes[1..]),
        }
    } else {
        (10, bytes)
    };
    if digits.first() == Some(&b'_') && radix != 10 {
        digits = &digits[1..];
    }
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    let mut last = b'0';
    for (i, &c) in digits.iter().enumerate() {
        if c == b'_' {
            if last == b'_' || i == 0 {
                return None;
            }
        } else {
            let d = (c as char).to_digit(radix)? as i64;
            value = value.checked_mul(radix as i64)?.checked_add(d)?;
        }
        last = c;
    }
    if last == b'_' {
        return None;
    }
    Some(value)
}

/// The value of a string literal's content (between the quotes), with
/// escapes decoded as KCL decodes them. Raw content is returned as is,
/// except that a backslash before the quote keeps both characters.
pub fn decode_string(content: &str, raw: bool) -> String {
    if raw || !content.contains('\\') {
        return content.to_string();
    }
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(n) = chars.next() else {
            out.push('\\');
            break;
        };
        match n {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            '0'..='7' => {
                let mut value = n.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(value));
            }
            'x' | 'u' | 'U' => {
                let width = match n {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits: String = (0..width).filter_map(|_| chars.next()).collect();
                match u32::from_str_radix(&digits, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push('\u{fffd}'),
                }
            }
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\n' => {}
            '\\' | '\'' | '"' => out.push(n),
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

/// A number literal: its value and its unit suffix (`2Gi`).
#[derive(Clone, Debug, PartialEq)]
pub enum NumberLiteral {
    Int(i64),
    Float(f64),
    /// An integer with a unit: the raw number and the suffix.
    Unit(i64, &'static str),
}

/// Parses a number literal's text, as the lexer accepted it.
pub fn number_literal(text: &str) -> Option<NumberLiteral> {
    let is_radix = text.len() > 1 && text.starts_with('0') && text[1..].starts_with(['x', 'X', 'b', 'B', 'o', 'O']);
    if !is_radix {
        for suffix in INT_SUFFIXES.iter().rev() {
            if let Some(digits) = text.strip_suffix(suffix)
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            {
                return int_value(digits).map(|v| NumberLiteral::Unit(v, suffix));
            }
        }
        if text.contains(['.', 'e', 'E']) {
            return text.replace('_', "").parse::<f64>().ok().map(NumberLiteral::Float);
        }
    }
    int_value(text).map(NumberLiteral::Int)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_follow_kcl() {
        assert_eq!(int_value("017"), Some(15));
        assert_eq!(int_value("0_1"), Some(1));
        assert_eq!(int_value("1_000"), Some(1000));
        assert_eq!(int_value("1__0"), None);
        assert_eq!(int_value("99999999999999999999999"), None);
        assert_eq!(int_value("0x1F"), Some(31));
    }

    #[test]
    fn literals_decode() {
        assert_eq!(decode_string(r"a\nb\x41\u00e9\\", false), "a\nbA\u{e9}\\");
        assert_eq!(decode_string(r"a\nb", true), r"a\nb");
        assert_eq!(number_literal("2Gi"), Some(NumberLiteral::Unit(2, "Gi")));
        assert_eq!(number_literal("1_000"), Some(NumberLiteral::Int(1000)));
        assert_eq!(number_literal("0x1F"), Some(NumberLiteral::Int(31)));
        assert_eq!(number_literal("2.5"), Some(NumberLiteral::Float(2.5)));
        assert_eq!(number_literal("1e3"), Some(NumberLiteral::Float(1000.0)));
    }

    #[test]
    fn string_escapes() {
        assert!(string_content_ok(r"\n \t \x41 \u00e9", '"', false, false));
        assert!(!string_content_ok(r"\x4", '"', false, false));
        assert!(string_content_ok(r"\q", '"', false, false));
        assert!(!string_content_ok("a\nb", '"', false, false));
        assert!(string_content_ok("a\nb", '"', true, false));
    }
}
