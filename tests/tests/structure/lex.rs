//! Rust source as the tokens the import graph needs: names, strings (for
//! `#[path = "…"]`), `::` and single punctuation. Comments, numbers,
//! character literals and lifetimes are dropped, so that nothing inside
//! them reads as a path.

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    PathSep,
    Punct(char),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
}

pub fn tokens(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = line;
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => i = block_comment(&chars, i, &mut line),
            '"' => {
                let (text, end) = string(&chars, i + 1, &mut line);
                out.push(Token { tok: Tok::Str(text), line: at });
                i = end;
            }
            '\'' => i = quote(&chars, i),
            c if c.is_ascii_digit() => {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let next = chars.get(i).copied();
                match (word.as_str(), next) {
                    ("r" | "br" | "cr", Some('"' | '#')) if raw_string_starts(&chars, i) => {
                        let (text, end) = raw_string(&chars, i, &mut line);
                        out.push(Token { tok: Tok::Str(text), line: at });
                        i = end;
                    }
                    ("b" | "c", Some('"')) => {
                        let (text, end) = string(&chars, i + 1, &mut line);
                        out.push(Token { tok: Tok::Str(text), line: at });
                        i = end;
                    }
                    ("b", Some('\'')) => i = quote(&chars, i),
                    // A raw identifier: `r#type` is the name `type`.
                    ("r", Some('#')) => {
                        let start = i + 1;
                        i = start;
                        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                            i += 1;
                        }
                        out.push(Token { tok: Tok::Ident(chars[start..i].iter().collect()), line: at });
                    }
                    _ => out.push(Token { tok: Tok::Ident(word), line: at }),
                }
            }
            ':' if chars.get(i + 1) == Some(&':') => {
                out.push(Token { tok: Tok::PathSep, line: at });
                i += 2;
            }
            c => {
                out.push(Token { tok: Tok::Punct(c), line: at });
                i += 1;
            }
        }
    }
    out
}

/// Past a block comment opening at `i`; they nest.
fn block_comment(chars: &[char], mut i: usize, line: &mut u32) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            if chars[i] == '\n' {
                *line += 1;
            }
            i += 1;
        }
    }
    i
}

/// A string's text from `i` (past its opening quote), and where it ends.
fn string(chars: &[char], mut i: usize, line: &mut u32) -> (String, usize) {
    let mut text = String::new();
    while i < chars.len() && chars[i] != '"' {
        if chars[i] == '\\' {
            i += 1;
        }
        if let Some(&c) = chars.get(i) {
            if c == '\n' {
                *line += 1;
            }
            text.push(c);
        }
        i += 1;
    }
    (text, i + 1)
}

fn raw_string_starts(chars: &[char], mut i: usize) -> bool {
    while chars.get(i) == Some(&'#') {
        i += 1;
    }
    chars.get(i) == Some(&'"')
}

/// `r#"…"#` from `i` (at its first `#` or quote).
fn raw_string(chars: &[char], mut i: usize, line: &mut u32) -> (String, usize) {
    let mut hashes = 0;
    while chars[i] == '#' {
        hashes += 1;
        i += 1;
    }
    i += 1;
    let start = i;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return (chars[start..i].iter().collect(), i + 1 + hashes);
        }
        if chars[i] == '\n' {
            *line += 1;
        }
        i += 1;
    }
    (chars[start..].iter().collect(), i)
}

/// Past a character literal (`'a'`, `'\n'`, `b'{'`) or a lifetime (`'a`)
/// starting at or just before `i`.
fn quote(chars: &[char], mut i: usize) -> usize {
    while chars[i] != '\'' {
        i += 1;
    }
    i += 1;
    if chars.get(i) == Some(&'\\') {
        i += 2;
        while i < chars.len() && chars[i] != '\'' {
            i += 1;
        }
        return i + 1;
    }
    if chars.get(i + 1) == Some(&'\'') {
        return i + 2;
    }
    // A lifetime or label: its name is no path.
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    i
}
