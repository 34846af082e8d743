//! An optional pre-check of how deeply a source nests, run before nickel sees it.
//!
//! Nickel has no recursion or stack limit of its own: its parser output, program
//! transformations, typechecker and deep evaluation all recurse on the syntax tree, using a few
//! KiB of stack per level. Past the stack's capacity the process aborts natively (nickel 1.18
//! itself segfaults on a 3,000-deep list with an 8 MiB stack) and the instance traps on wasm.
//! Rejecting a too-deep file up front turns that into an ordinary diagnostic.
//!
//! The depth is estimated from nickel's own lexer, without parsing: each bracket (`{ [ ( [| %{`)
//! opens a level, and inside a level each token that makes the rest of the expression a child of
//! what precedes it (`in`, `=>`, `then`, `else`, infix operators, contract pipes, field access,
//! function application by juxtaposition) adds one, until the next `,` ends the item. This
//! over-approximates the tree depth (it doesn't know precedence), so the limit should be set with
//! margin above any realistic file — hundreds of levels, not tens.

use nickel_lang_core::parser::lexer::{Lexer, MultiStringToken, NormalToken, StringToken, Token};

/// One bracketed level: how many chain tokens it has seen since its last `,`.
struct Level {
    chain: usize,
}

/// The result of a scan.
#[derive(Debug, PartialEq, Eq)]
pub struct Scan {
    /// Upper estimate of the depth reached (up to where the scan stopped).
    pub depth: usize,
    /// Byte offset of the token that took the estimate past the limit, if it did.
    pub exceeded_at: Option<usize>,
}

/// Upper estimate of the syntax tree depth of `source` (0 for an empty file). Stops early, once
/// the estimate exceeds `limit`, so a huge hostile file costs no more than needed. Lexing errors
/// end the scan: nickel's parser will report them.
pub fn estimate_depth(source: &str, limit: usize) -> Scan {
    let mut levels = vec![Level { chain: 0 }];
    // Depth of the current position: bracket levels plus the chain counts of all open levels.
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut prev_ends_operand = false;

    for token in Lexer::new(source) {
        let Ok((start, token, _)) = token else { break };
        let kind = classify(&token);
        let chain_step = match kind {
            Kind::Open => {
                // `f [x]`, `f {..}`, `f (..)`: an application before the bracket.
                let app = usize::from(prev_ends_operand);
                if let Some(level) = levels.last_mut() {
                    level.chain += app;
                }
                depth += app + 1;
                levels.push(Level { chain: 0 });
                0
            }
            Kind::Close => {
                if levels.len() > 1
                    && let Some(level) = levels.pop()
                {
                    depth = depth.saturating_sub(level.chain + 1);
                }
                0
            }
            Kind::Separator => {
                if let Some(level) = levels.last_mut() {
                    depth = depth.saturating_sub(level.chain);
                    level.chain = 0;
                }
                0
            }
            Kind::Chain => 1,
            Kind::Operand => usize::from(prev_ends_operand),
            Kind::Other => 0,
        };
        if chain_step > 0 {
            if let Some(level) = levels.last_mut() {
                level.chain += chain_step;
            }
            depth += chain_step;
        }
        max = max.max(depth);
        if max > limit {
            return Scan { depth: max, exceeded_at: Some(start) };
        }
        prev_ends_operand = matches!(kind, Kind::Operand | Kind::Close);
    }
    Scan { depth: max, exceeded_at: None }
}

#[derive(Clone, Copy)]
enum Kind {
    Open,
    Close,
    Separator,
    /// Makes what follows a child of what precedes.
    Chain,
    /// Starts and ends an operand: two in a row are a function application.
    Operand,
    Other,
}

fn classify(token: &Token<'_>) -> Kind {
    use NormalToken as N;
    match token {
        Token::Normal(t) => match t {
            N::LBrace | N::LBracket | N::LParen | N::EnumOpen => Kind::Open,
            N::RBrace | N::RBracket | N::RParen | N::EnumClose => Kind::Close,
            N::Comma => Kind::Separator,
            N::In
            | N::DoubleArrow
            | N::Then
            | N::Else
            | N::Plus
            | N::Minus
            | N::Times
            | N::Div
            | N::Percent
            | N::DoublePlus
            | N::At
            | N::Ampersand
            | N::DoubleEq
            | N::NotEquals
            | N::LAngleBracket
            | N::RAngleBracket
            | N::LessOrEq
            | N::GreaterOrEq
            | N::DoubleAnd
            | N::DoublePipe
            | N::Pipe
            | N::RightPipe
            | N::Dot
            | N::SimpleArrow
            | N::Colon
            | N::Equals => Kind::Chain,
            N::Identifier(_)
            | N::DecNumLiteral(_)
            | N::HexNumLiteral(_)
            | N::OctNumLiteral(_)
            | N::BinNumLiteral(_)
            | N::RawEnumTag(_)
            | N::Null
            | N::True
            | N::False => Kind::Operand,
            _ => Kind::Other,
        },
        // `%{` opens an interpolated expression, closed by a normal `}`.
        Token::Str(StringToken::Interpolation) | Token::MultiStr(MultiStringToken::Interpolation) => Kind::Open,
        Token::Str(_) | Token::MultiStr(_) => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::{Scan, estimate_depth};

    fn depth(s: &str) -> usize {
        estimate_depth(s, usize::MAX).depth
    }

    #[test]
    fn flat_data_is_shallow_however_long() {
        let items: Vec<String> = (0..10_000).map(|i| format!("{{ id = \"op{i}\", n = {i} }}")).collect();
        assert!(depth(&format!("[{}]", items.join(", "))) <= 4);
    }

    #[test]
    fn nesting_shapes_are_counted() {
        for n in [10usize, 1000] {
            let list = format!("{}{}", "[".repeat(n), "]".repeat(n));
            let record = format!("{}1{}", "{a=".repeat(n), "}".repeat(n));
            let plus = vec!["1"; n].join("+");
            let lets: String = (0..n).map(|i| format!("let x{i} = 1 in ")).collect::<String>() + "1";
            let string = format!("{}1{}", "\"%{".repeat(n), "}\"".repeat(n));
            for src in [list, record, plus, lets, string] {
                let d = depth(&src);
                assert!(d >= n - 1 && d <= 3 * n + 2, "{n}: {d} for {}", &src[..20.min(src.len())]);
            }
        }
    }

    #[test]
    fn stops_early() {
        let list = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(estimate_depth(&list, 50), Scan { depth: 51, exceeded_at: Some(50) });
    }
}
