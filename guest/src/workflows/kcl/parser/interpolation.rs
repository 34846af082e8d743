//! String literals and `${expr}` interpolation. Interpolated expressions
//! are lexed and parsed on their own (as KCL does), with positions
//! pointing into the original file.

use super::super::ast::{Expr, Span, Template};
use super::super::diagnostic as codes;
use super::super::lexer;
use super::super::token::TokenKind;
use super::Parser;

impl<'a> Parser<'a> {
    pub(super) fn parse_str_expr(&mut self) -> Expr {
        let tok = self.token;
        let (triple, raw) = match tok.kind {
            TokenKind::Str { triple, raw } => (triple, raw),
            _ => (false, false),
        };
        self.bump();
        let text = self.text(tok);
        let open = usize::from(raw) + if triple { 3 } else { 1 };
        let close = if triple { 3 } else { 1 };
        // An unterminated string has no closing quotes to strip.
        let quote = &text[open - 1..open];
        let closed = text.len() >= open + close && text[open..].ends_with(&quote.repeat(close));
        let content = if closed { &text[open..text.len() - close] } else { text.get(open..).unwrap_or("") };
        let span = Span::new(tok.start, tok.end);
        let mut parts = Vec::new();
        let mut template = None;
        if !raw && content.contains("${") {
            let content_start = tok.start as usize + open;
            let mut literals = Vec::new();
            let mut specs = Vec::new();
            let (tail, pending) =
                self.parse_interpolations(content, content_start, &mut parts, &mut literals, &mut specs);
            literals.push(pending + &lexer::decode_string(&content[tail..], false));
            template = Some(Box::new(Template { literals, specs }));
        }
        let value = lexer::decode_string(content, raw);
        Expr::Str { value, parts, template, span }
    }

    /// Returns the offset where the literal text after the last part
    /// starts, and the literal text before it not yet in `literals`.
    fn parse_interpolations(
        &mut self,
        content: &str,
        content_start: usize,
        parts: &mut Vec<Expr>,
        literals: &mut Vec<String>,
        specs: &mut Vec<Option<String>>,
    ) -> (usize, String) {
        let mut off = 0;
        let mut pending = String::new();
        while let Some(i) = content[off..].find("${") {
            let lo = off + i;
            match content[lo..].find('}') {
                Some(j) => {
                    let hi = lo + j + 1;
                    if content[off..lo].ends_with('\\') {
                        // `\${...}` is literal text, as in kcl's parser: the
                        // piece up to the `}` decoded, with `\$` made `$`
                        // (even after an escaped backslash, `\\${`).
                        pending += &lexer::decode_string(&content[off..hi], false).replace("\\$", "$");
                        off = hi;
                        continue;
                    }
                    literals.push(std::mem::take(&mut pending) + &lexer::decode_string(&content[off..lo], false));
                    let piece = &content[lo..hi];
                    specs.push(
                        piece
                            .find(": #")
                            .or_else(|| piece.find(":#"))
                            .map(|at| piece[at + 1..piece.len() - 1].trim_start().trim_start_matches('#').to_string()),
                    );
                    parts.push(self.parse_interpolated(piece, content_start + lo));
                    off = hi;
                }
                None => {
                    // KCL reports this at the token after the string.
                    let tok = self.token;
                    self.error_hint(
                        tok,
                        codes::INVALID_INTERPOLATION,
                        "unclosed string interpolation '${'",
                        "close it with '}' or write '$${' for a literal '${'",
                    );
                    break;
                }
            }
        }
        (off, pending)
    }

    /// `piece` is `${...}` starting at byte `at` of the file.
    fn parse_interpolated(&mut self, piece: &str, at: usize) -> Expr {
        let inner = &piece[2..piece.len() - 1];
        if inner.is_empty() {
            self.push_diag(super::super::diagnostic::RawDiag::new(
                at as u32,
                (at + piece.len()) as u32,
                codes::INVALID_INTERPOLATION,
                "string interpolation expression can not be empty",
            ));
        }
        let inner_at = at + 2;
        let mut diags = Vec::new();
        let toks = lexer::tokenize(inner, inner_at, &mut diags);
        let depth = self.depth;
        let (expr, trailing) = {
            let mut p = Parser::new(self.src, toks, &mut diags, depth);
            let expr = p.parse_expr();
            if p.at(TokenKind::Colon) {
                // A format spec: `${x: #>10}`.
                p.bump();
                if !p.at(TokenKind::Comment) {
                    let tok = p.token;
                    p.error_at(tok, codes::INVALID_INTERPOLATION, "invalid format spec: expected '#' after ':'");
                }
                p.bump();
            }
            p.skip_newlines();
            let trailing = p.idx + 1 < p.toks.len();
            (expr, trailing)
        };
        for d in diags {
            self.push_diag(d);
        }
        if !inner.is_empty() && trailing {
            self.push_diag(super::super::diagnostic::RawDiag::new(
                inner_at as u32,
                (inner_at + inner.len()) as u32,
                codes::INVALID_INTERPOLATION,
                format!("invalid string interpolation expression: '{}'", inner.chars().take(60).collect::<String>()),
            ));
        }
        expr
    }
}
