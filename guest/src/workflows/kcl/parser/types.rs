//! Type annotations: `int`, `str | None`, `"a" | "b"`, `[T]`, `{K:V}`,
//! `pkg.Schema`, `(A, B) -> C`.

use super::super::ast::{BasicType, Expr, LiteralType, Type};
use super::super::lexer::{self, NumberLiteral};
use super::super::token::{Delim, TokenKind};
use super::Parser;

impl<'a> Parser<'a> {
    pub(super) fn parse_type_annotation(&mut self) -> Type {
        if !self.enter() {
            return Type::Missing;
        }
        let mut elements = vec![self.parse_type_element()];
        while self.at(TokenKind::Pipe) {
            self.bump();
            elements.push(self.parse_type_element());
        }
        self.leave();
        if elements.len() == 1 { elements.pop().unwrap() } else { Type::Union(elements) }
    }

    fn parse_type_element(&mut self) -> Type {
        match self.token.kind {
            TokenKind::Ident => match self.text(self.token) {
                "any" => {
                    self.bump();
                    Type::Any
                }
                "True" | "False" => {
                    let value = self.text(self.token) == "True";
                    self.bump();
                    Type::Literal(LiteralType::Bool(value))
                }
                word @ ("bool" | "int" | "float" | "str") => {
                    self.bump();
                    Type::Basic(match word {
                        "bool" => BasicType::Bool,
                        "int" => BasicType::Int,
                        "float" => BasicType::Float,
                        _ => BasicType::Str,
                    })
                }
                _ => Type::Named(self.parse_identifier()),
            },
            TokenKind::Int | TokenKind::Float => {
                let literal = match lexer::number_literal(self.text(self.token)) {
                    Some(NumberLiteral::Float(f)) => LiteralType::Float(f),
                    Some(NumberLiteral::Int(i) | NumberLiteral::Unit(i, _)) => LiteralType::Int(i),
                    None => LiteralType::Int(0),
                };
                self.bump();
                Type::Literal(literal)
            }
            TokenKind::Str { .. } => match self.parse_str_expr() {
                Expr::Str { value, .. } => Type::Literal(LiteralType::Str(value)),
                _ => Type::Missing,
            },
            TokenKind::Open(Delim::Bracket) => {
                self.bump();
                if self.at(TokenKind::Close(Delim::Bracket)) {
                    self.bump();
                    return Type::List(None);
                }
                let inner = self.parse_type_annotation();
                self.bump_token(TokenKind::Close(Delim::Bracket));
                Type::List(Some(Box::new(inner)))
            }
            TokenKind::Open(Delim::Brace) => {
                self.bump();
                let key = if self.at(TokenKind::Colon) { None } else { Some(Box::new(self.parse_type_annotation())) };
                self.bump_token(TokenKind::Colon);
                let value = if self.at(TokenKind::Close(Delim::Brace)) {
                    None
                } else {
                    Some(Box::new(self.parse_type_annotation()))
                };
                self.bump_token(TokenKind::Close(Delim::Brace));
                Type::Dict(key, value)
            }
            TokenKind::Open(Delim::Paren) => {
                // Function type: `(A, B) -> C`.
                self.bump();
                let mut params = Vec::new();
                while !self.at(TokenKind::Close(Delim::Paren)) && !self.at_eof() {
                    let marker = self.mark();
                    params.push(self.parse_type_annotation());
                    // Parameter types may be separated by commas or spaces.
                    self.eat(TokenKind::Comma);
                    if marker == self.mark() || self.at(TokenKind::Newline) {
                        break;
                    }
                }
                self.bump_token(TokenKind::Close(Delim::Paren));
                let ret = if self.at(TokenKind::Arrow) {
                    self.bump();
                    Some(Box::new(self.parse_type_annotation()))
                } else {
                    None
                };
                Type::Function(params, ret)
            }
            _ => {
                self.expected(&[
                    "any",
                    "bool",
                    "int",
                    "float",
                    "str",
                    "True",
                    "False",
                    "identifier",
                    "literal",
                    "[",
                    "{",
                    "(",
                ]);
                Type::Missing
            }
        }
    }
}
