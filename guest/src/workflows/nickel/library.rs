//! What a host needs to check a directory of Nickel files: which files a
//! file imports (so that a file others import is checked as a library, not
//! exported alone), and `nickel typecheck` for those libraries and for the
//! package manifest.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use nickel_lang_core::cache::{InputFormat, normalize_path};
use nickel_lang_core::parser::lexer::{Lexer, NormalToken, StringToken, Token};

use super::check::{Roots, engine_findings, options, report, too_large};
use super::engine::Engine;
use super::memo::{candidates, first_file};
use crate::model::{Role, ValidationReport};

/// A file never leads to more imported files than this.
const MAX_FILES: usize = 512;

/// Judges the file at `rel` as `nickel typecheck` would: parsed and
/// typechecked with its imports, not evaluated. The host decides whether
/// that was a library's check or the manifest's.
pub fn typecheck(engine: &mut Engine, roots: &Roots, rel: &str, max_file_size: u64) -> ValidationReport {
    let entry = Path::new(roots.package).join(rel);
    let findings = match std::fs::metadata(&entry) {
        Ok(meta) if meta.len() > max_file_size => vec![too_large(rel, max_file_size)],
        _ => engine_findings(&engine.typecheck_guarded(&entry, &options(roots)), rel, roots),
    };
    report(rel, Role::Library, findings)
}

/// The Nickel files `rel` imports, directly or through others, named as
/// findings name files, in the order first reached; `rel` left out.
pub fn imports(roots: &Roots, rel: &str, max_file_size: u64) -> Vec<String> {
    let import_paths: Vec<PathBuf> = roots.imports.iter().map(PathBuf::from).collect();
    let Ok(entry) = normalize_path(Path::new(roots.package).join(rel)) else { return Vec::new() };
    let mut seen: HashSet<PathBuf> = HashSet::from([entry.clone()]);
    let mut queue = vec![entry];
    let mut named = Vec::new();
    let mut next = 0;
    while next < queue.len() && queue.len() <= MAX_FILES {
        let file = queue[next].clone();
        next += 1;
        let readable = std::fs::metadata(&file).is_ok_and(|m| m.is_file() && m.len() <= max_file_size);
        let Some(text) = readable.then(|| std::fs::read_to_string(&file).ok()).flatten() else { continue };
        for import in import_literals(&text) {
            let Some(found) = candidates(&file, &import, &import_paths).and_then(|c| first_file(&c)) else {
                continue;
            };
            if InputFormat::from_path(&found) != Some(InputFormat::Nickel) || !seen.insert(found.clone()) {
                continue;
            }
            if let Some(name) = found.to_str().and_then(|f| roots.name(f)) {
                named.push(name);
            }
            queue.push(found);
        }
    }
    named
}

/// Every `import "…"` whose path is a plain string literal, as Nickel's
/// own lexer reads the source; others (package imports, interpolated
/// strings) are skipped, and lexing stops at the first token it rejects.
fn import_literals(source: &str) -> Vec<String> {
    let mut tokens = Lexer::new(source).map(|t| t.ok().map(|(_, token, _)| token));
    let mut found = Vec::new();
    'tokens: while let Some(Some(token)) = tokens.next() {
        if token != Token::Normal(NormalToken::Import) {
            continue;
        }
        if tokens.next() != Some(Some(Token::Normal(NormalToken::DoubleQuote))) {
            continue;
        }
        let mut path = String::new();
        loop {
            match tokens.next() {
                Some(Some(Token::Str(StringToken::Literal(text)))) => path.push_str(&text),
                Some(Some(Token::Str(StringToken::EscapedChar(c)))) => path.push(match c {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                }),
                Some(Some(Token::Normal(NormalToken::DoubleQuote))) => break,
                Some(Some(_)) => continue 'tokens,
                _ => break 'tokens,
            }
        }
        found.push(path);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package directory holding `files` (path, text), with no import
    /// roots. The directory lives as long as the value.
    struct Package {
        _dir: tempfile::TempDir,
        path: String,
        imports: Vec<String>,
    }

    impl Package {
        fn new(files: &[(&str, &str)]) -> Self {
            let dir = tempfile::tempdir().unwrap();
            for (path, text) in files {
                let path = dir.path().join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            let path = dir.path().to_str().unwrap().to_owned();
            Package { _dir: dir, path, imports: Vec::new() }
        }

        fn roots(&self) -> Roots<'_> {
            Roots { package: &self.path, imports: &self.imports }
        }
    }

    #[test]
    fn import_literals_skip_what_is_not_a_plain_path() {
        let source = "let a = import \"a.ncl\" in\nlet p = import pkg in\nlet b = import \"b%{x}.ncl\" in\nlet c = import \"sub/c.ncl\" in\n# import \"no.ncl\"\n{}";
        assert_eq!(import_literals(source), ["a.ncl", "sub/c.ncl"]);
    }

    #[test]
    fn imports_are_followed_through_files() {
        let package = Package::new(&[
            ("main.ncl", "let c = import \"schemas/c.ncl\" in let d = import \"data.json\" in c"),
            ("schemas/c.ncl", "let d = import \"d.ncl\" in let m = import \"../missing.ncl\" in d"),
            ("schemas/d.ncl", "{ x = import \"c.ncl\" }"),
            ("data.json", "{}"),
        ]);
        let roots = package.roots();
        assert_eq!(super::imports(&roots, "main.ncl", 1 << 20), ["schemas/c.ncl", "schemas/d.ncl"]);
        assert!(super::imports(&roots, "nope.ncl", 1 << 20).is_empty());
        assert!(super::imports(&roots, "main.ncl", 4).is_empty(), "an oversized file imports nothing");
    }

    #[test]
    fn typecheck_finds_type_errors_but_does_not_evaluate() {
        let package = Package::new(&[
            // A contract library: exported alone it fails (a field without a value), typechecked it passes.
            ("lib.ncl", "{ Port = std.contract.from_predicate (fun p => p > 0), port | Port }"),
            ("typed.ncl", "{ add : Number -> Number = fun x => x ++ \"1\" }"),
            ("syntax.ncl", "{ a = "),
        ]);
        let roots = package.roots();
        let mut engine = Engine::new();
        assert!(typecheck(&mut engine, &roots, "lib.ncl", 1 << 20).valid);
        let typed = typecheck(&mut engine, &roots, "typed.ncl", 1 << 20);
        assert!(!typed.valid);
        assert!(typed.errors[0].code.starts_with("N2"), "{typed:?}");
        assert_eq!(typed.errors[0].span.file, Path::new("typed.ncl"));
        let syntax = typecheck(&mut engine, &roots, "syntax.ncl", 1 << 20);
        assert!(syntax.errors[0].code.starts_with("N1"), "{syntax:?}");
        // The export of the same library still fails: the two do not share a verdict.
        let export = super::super::validate(&mut engine, &roots, "lib.ncl", false, 1 << 20);
        assert!(!export.valid);
        assert!(typecheck(&mut engine, &roots, "lib.ncl", 1 << 20).valid);
    }
}
