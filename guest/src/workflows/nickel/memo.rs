//! Reusing the last verdict: a check of the same file with the same
//! options whose inputs have not changed gives the same outcome, so a warm
//! engine (the plugin's) can hand it back without evaluating again.
//!
//! A check's inputs are every file it read (compared by content, not by
//! timestamp, so a same-size rewrite within one second still counts) and
//! how each of their imports resolved: an import resolves to the first of
//! its candidates (the importing file's directory, then each import path)
//! that is a file, so a file that appears earlier in that order changes
//! the verdict even though no file read has changed. When either cannot
//! be recorded exactly (an import string that is not a plain literal, a
//! resolution the check did not read), there is no memo and the next
//! check evaluates afresh.

use std::path::{Path, PathBuf};

use nickel_lang_core::cache::{CacheHub, InputFormat, SourceCache, SourcePath, normalize_path};
use nickel_lang_core::parser::lexer::{Lexer, NormalToken, StringToken, Token};

use super::types::{Options, Outcome, TraceOutput};

/// Memos hold the text of every file read; past this, keeping it costs
/// more memory than re-checking costs time.
const MAX_REMEMBERED_BYTES: usize = 4 << 20;

/// The last check, and what it depended on.
pub(super) struct Memo {
    path: PathBuf,
    options: Options,
    inputs: Inputs,
    outcome: Outcome,
}

struct Inputs {
    /// Each file read, normalized as nickel names it, with its text.
    files: Vec<(PathBuf, String)>,
    /// Each import: its candidates in search order, and the one that was
    /// a file.
    imports: Vec<(Vec<PathBuf>, Option<PathBuf>)>,
}

impl Memo {
    /// What `cache` (right after the check, before it is reset) shows the
    /// check read; `None` when that cannot be told exactly, or when the
    /// check's output went somewhere a replay would not repeat.
    pub(super) fn record(
        cache: &CacheHub,
        baseline: &SourceCache,
        path: &Path,
        options: &Options,
        outcome: &Outcome,
    ) -> Option<Memo> {
        if options.trace != TraceOutput::Discard {
            return None;
        }
        let mut files = Vec::new();
        let mut nickel_files = Vec::new();
        let mut bytes = 0;
        for (id, source) in &cache.sources.file_paths {
            if baseline.file_paths.contains_key(id) {
                continue;
            }
            let SourcePath::Path(file, format) = source else { continue };
            let text = cache.sources.source(*id);
            bytes += text.len();
            if bytes > MAX_REMEMBERED_BYTES {
                return None;
            }
            if *format == InputFormat::Nickel {
                nickel_files.push(files.len());
            }
            files.push((file.clone(), text.to_owned()));
        }
        // A check that could not read the main file is not worth replaying.
        let main = normalize_path(path).ok()?;
        if !files.iter().any(|(f, _)| *f == main) {
            return None;
        }
        let mut imports = Vec::new();
        for &i in &nickel_files {
            let (file, text) = &files[i];
            for import in import_strings(text)? {
                let candidates = candidates(file, &import, &options.import_paths)?;
                let found = first_file(&candidates);
                // Resolved to a file the check never read: the disk changed
                // under the check, or the check stopped first. Either way the
                // outcome cannot be vouched for.
                if let Some(found) = &found
                    && !files.iter().any(|(f, _)| f == found)
                {
                    return None;
                }
                imports.push((candidates, found));
            }
        }
        Some(Memo {
            path: path.to_path_buf(),
            options: options.clone(),
            inputs: Inputs { files, imports },
            outcome: outcome.clone(),
        })
    }

    /// The remembered outcome, if a check of `path` with `options` would
    /// give it again now.
    pub(super) fn replay(&self, path: &Path, options: &Options) -> Option<&Outcome> {
        let same = self.path == path && self.options == *options && self.inputs.unchanged();
        same.then_some(&self.outcome)
    }
}

impl Inputs {
    fn unchanged(&self) -> bool {
        self.files.iter().all(|(file, text)| std::fs::read_to_string(file).is_ok_and(|now| now == *text))
            && self.imports.iter().all(|(candidates, found)| first_file(candidates) == *found)
    }
}

/// Where nickel looks for `import`ed from `file`, in order, normalized as
/// it normalizes them.
pub(super) fn candidates(file: &Path, import: &str, import_paths: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let dir = file.parent()?.to_path_buf();
    std::iter::once(dir)
        .chain(import_paths.iter().cloned())
        .map(|base| normalize_path(base.join(import)).ok())
        .collect()
}

pub(super) fn first_file(candidates: &[PathBuf]) -> Option<PathBuf> {
    candidates.iter().find(|c| std::fs::metadata(c).is_ok_and(|m| m.is_file())).cloned()
}

/// The path of every `import` in a Nickel source, as nickel's own lexer
/// reads it; `None` if one is not a plain string literal or the source does
/// not lex (then no memo: better a re-check than a wrong guess).
fn import_strings(source: &str) -> Option<Vec<String>> {
    let mut tokens = Lexer::new(source).map(|t| t.ok().map(|(_, token, _)| token));
    let mut found = Vec::new();
    while let Some(token) = tokens.next() {
        if token? != Token::Normal(NormalToken::Import) {
            continue;
        }
        if tokens.next()?? != Token::Normal(NormalToken::DoubleQuote) {
            return None;
        }
        let mut path = String::new();
        loop {
            match tokens.next()?? {
                Token::Str(StringToken::Literal(text)) => path.push_str(&text),
                Token::Str(StringToken::EscapedChar(c)) => path.push(match c {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                }),
                Token::Normal(NormalToken::DoubleQuote) => break,
                _ => return None,
            }
        }
        found.push(path);
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::import_strings;
    use crate::workflows::nickel::Engine;
    use crate::workflows::nickel::types::Options;
    use std::fs::write;

    fn verdict(engine: &mut Engine, path: &std::path::Path, options: &Options) -> (bool, u64) {
        let outcome = engine.check(path, options);
        (outcome.is_ok(), engine.replays())
    }

    #[test]
    fn a_repeat_replays_until_a_file_it_read_changes() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.ncl");
        write(&main, "let c = import \"lib.ncl\" in { port | c.Port = 80 }").unwrap();
        write(dir.path().join("lib.ncl"), "{ Port = std.contract.from_predicate (fun p => p > 0) }").unwrap();
        let options = Options::default();
        let mut engine = Engine::new();
        assert_eq!(verdict(&mut engine, &main, &options), (true, 0));
        assert_eq!(verdict(&mut engine, &main, &options), (true, 1));
        // The same size, at once: timestamps could not tell, contents do.
        write(dir.path().join("lib.ncl"), "{ Port = std.contract.from_predicate (fun p => p > 99) }").unwrap();
        assert_eq!(verdict(&mut engine, &main, &options), (false, 1));
        assert_eq!(verdict(&mut engine, &main, &options), (false, 2));
        let strict = Options { max_nesting: Some(10), ..Options::default() };
        assert_eq!(verdict(&mut engine, &main, &strict), (false, 2), "other options are another check");
    }

    #[test]
    fn a_file_that_shadows_an_import_ends_the_replay() {
        let dir = tempfile::tempdir().unwrap();
        let (first, second) = (dir.path().join("first"), dir.path().join("second"));
        std::fs::create_dir_all(&first).unwrap();
        std::fs::create_dir_all(&second).unwrap();
        let main = dir.path().join("main.ncl");
        write(&main, "(import \"limits.ncl\").parallel | Number").unwrap();
        write(second.join("limits.ncl"), "{ parallel = 4 }").unwrap();
        let options = Options { import_paths: vec![first.clone(), second], ..Options::default() };
        let mut engine = Engine::new();
        assert_eq!(verdict(&mut engine, &main, &options), (true, 0));
        assert_eq!(verdict(&mut engine, &main, &options), (true, 1));
        // Found first now, though no file the last check read has changed.
        write(first.join("limits.ncl"), "{ parallel = \"4\" }").unwrap();
        assert_eq!(verdict(&mut engine, &main, &options), (false, 1));
        // And a missing import that appears.
        write(&main, "import \"later.ncl\"").unwrap();
        assert_eq!(verdict(&mut engine, &main, &options), (false, 1));
        assert_eq!(verdict(&mut engine, &main, &options), (false, 2));
        write(dir.path().join("later.ncl"), "1").unwrap();
        assert_eq!(verdict(&mut engine, &main, &options), (true, 2));
    }

    #[test]
    fn import_strings_are_read_as_nickel_lexes_them() {
        let source = "# import \"not/this.ncl\"\nlet c = import \"lib/contracts.ncl\" in\nlet d = import \"data\\\".json\" as 'Json in\n{ note = \"import \\\"x\\\"\", c = c, d = d }\n";
        assert_eq!(import_strings(source), Some(vec!["lib/contracts.ncl".to_owned(), "data\".json".to_owned()]));
    }

    #[test]
    fn an_import_that_is_not_a_plain_literal_gives_up() {
        assert_eq!(import_strings("import \"a%{x}b.ncl\""), None);
        assert_eq!(import_strings("import m%\"a.ncl\"%"), None);
        assert_eq!(import_strings("import foo"), None);
    }
}
