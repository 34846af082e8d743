//! Import resolution: which files a workflow pulls in, read through
//! [`Sources`], each parsed into a [`ParsedFile`].
//!
//! `import a.b` resolves against the package root: the file `a/b.k`, or
//! the directory `a/b/` (all its `.k` files). `import .x` is relative to
//! the importing file's directory, each extra dot one level up. Standard
//! library modules are builtins, and packages declared under
//! `[dependencies]` in `kcl.mod` are external: neither is read.

use super::ast::{Import, Module, Stmt};
use super::diagnostic::RawDiag;
use super::parser::parse_text;
use crate::error::{FileError, FileErrorKind};
use std::collections::HashMap;

/// Where `validate` reads files from: paths are relative to the package
/// root (the directory holding `kcl.mod`, or the workflow's directory).
pub trait Sources {
    /// Reads a file relative to the package root ("a/b.k"); Err on
    /// missing, denied or too large.
    fn read(&self, path: &str) -> Result<String, FileError>;
    /// Lists the `.k` files directly inside a directory relative to the
    /// root (for package imports); Ok(empty) if it isn't a directory.
    fn list_k_files(&self, dir: &str) -> Result<Vec<String>, FileError>;
}

/// The parsed form of one file, with its syntax findings.
pub(crate) struct ParsedFile {
    pub path: String,
    pub text: String,
    pub module: Module,
    pub syntax: Vec<RawDiag>,
}

/// KCL's standard-library modules.
pub const STDLIB_MODULES: &[&str] = &[
    "base64",
    "collection",
    "crypto",
    "datetime",
    "file",
    "json",
    "manifests",
    "math",
    "net",
    "regex",
    "runtime",
    "template",
    "units",
    "yaml",
    "toml",
    "os",
    "http",
    "uuid",
];

/// A workflow never pulls in more files than this (a guard against
/// pathological import graphs).
const MAX_FILES: usize = 512;

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Builtin,
    /// A package from `kcl.mod` `[dependencies]`; not checked.
    External,
    /// Indices into `Workflow::files`.
    Files(Vec<usize>),
    /// Why it failed.
    Unresolved(String),
}

#[derive(Debug, Clone)]
pub struct ResolvedImport {
    pub import: Import,
    pub target: Target,
}

pub struct Workflow {
    pub files: Vec<ParsedFile>,
    /// Per file (same index as `files`), its imports.
    pub imports: Vec<Vec<ResolvedImport>>,
}

/// Parses the entry and, transitively, everything it imports.
pub fn load_workflow(sources: &dyn Sources, entry: &str, text: String) -> Workflow {
    let dependencies = declared_dependencies(sources);
    let mut wf = Workflow { files: Vec::new(), imports: Vec::new() };
    let mut index: HashMap<String, usize> = HashMap::new();
    add_file(&mut wf, &mut index, entry.to_string(), text);
    let mut next = 0;
    while next < wf.files.len() {
        let imports: Vec<Import> = wf.files[next]
            .module
            .body
            .iter()
            .filter_map(|s| match s {
                Stmt::Import(i) => Some(i.clone()),
                _ => None,
            })
            .collect();
        let from = wf.files[next].path.clone();
        let mut resolved = Vec::new();
        for import in imports {
            let target = resolve(sources, &mut wf, &mut index, &dependencies, &from, &import.path);
            resolved.push(ResolvedImport { import, target });
        }
        wf.imports[next] = resolved;
        next += 1;
    }
    wf
}

fn add_file(wf: &mut Workflow, index: &mut HashMap<String, usize>, path: String, text: String) -> usize {
    let (module, syntax) = parse_text(&text);
    let i = wf.files.len();
    index.insert(path.clone(), i);
    wf.files.push(ParsedFile { path, text, module, syntax });
    wf.imports.push(Vec::new());
    i
}

/// Reads and parses `path` unless already loaded. Err carries why not.
fn load(
    sources: &dyn Sources,
    wf: &mut Workflow,
    index: &mut HashMap<String, usize>,
    path: &str,
) -> Result<Option<usize>, String> {
    if let Some(&i) = index.get(path) {
        return Ok(Some(i));
    }
    match sources.read(path) {
        Ok(text) => {
            if wf.files.len() >= MAX_FILES {
                return Err(format!("too many imported files (more than {MAX_FILES})"));
            }
            Ok(Some(add_file(wf, index, path.to_string(), text)))
        }
        Err(e) if e.kind == FileErrorKind::NotFound || e.kind == FileErrorKind::NotAFile => Ok(None),
        Err(e) => Err(format!("{path}: {}", e.message)),
    }
}

fn resolve(
    sources: &dyn Sources,
    wf: &mut Workflow,
    index: &mut HashMap<String, usize>,
    dependencies: &[String],
    from: &str,
    import_path: &str,
) -> Target {
    let dots = import_path.chars().take_while(|&c| c == '.').count();
    let rest = &import_path[dots..];
    let segments: Vec<&str> = rest.split('.').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Target::Unresolved("empty import path".into());
    }
    let dir = if dots == 0 {
        if STDLIB_MODULES.contains(&segments[0]) && segments.len() == 1 {
            return Target::Builtin;
        }
        if dependencies.iter().any(|d| d == segments[0]) {
            return Target::External;
        }
        Vec::new()
    } else {
        let mut dir: Vec<&str> = from.split('/').collect();
        dir.pop();
        for _ in 1..dots {
            if dir.pop().is_none() {
                return Target::Unresolved("the relative import goes above the package root".into());
            }
        }
        dir
    };
    let mut parts: Vec<&str> = dir;
    parts.extend(segments.iter().copied());
    let rel = parts.join("/");
    let file = format!("{rel}.k");
    match load(sources, wf, index, &file) {
        Ok(Some(i)) => return Target::Files(vec![i]),
        Ok(None) => {}
        Err(why) => return Target::Unresolved(why),
    }
    let listed = match sources.list_k_files(&rel) {
        Ok(list) => list,
        Err(e) => return Target::Unresolved(format!("{rel}: {}", e.message)),
    };
    let mut found = Vec::new();
    for path in listed {
        match load(sources, wf, index, &path) {
            Ok(Some(i)) => found.push(i),
            Ok(None) => {}
            Err(why) => return Target::Unresolved(why),
        }
    }
    if found.is_empty() {
        Target::Unresolved(format!("no file {file} and no .k files in directory {rel}/"))
    } else {
        Target::Files(found)
    }
}

/// Package names under `[dependencies]` in the root `kcl.mod`.
fn declared_dependencies(sources: &dyn Sources) -> Vec<String> {
    let Ok(text) = sources.read("kcl.mod") else {
        return Vec::new();
    };
    let mut deps = Vec::new();
    let mut in_deps = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if let (true, Some((name, _))) = (in_deps, line.split_once('=')) {
            let name = name.trim().trim_matches('"');
            if !name.is_empty() && !name.starts_with('#') {
                deps.push(name.to_string());
            }
        }
    }
    deps
}

/// The diagnostic for an import that resolves to nothing.
pub fn unresolved_diag(import: &Import, why: &str) -> RawDiag {
    RawDiag::new(
        import.span.start,
        import.span.end,
        super::diagnostic::UNRESOLVED_IMPORT,
        format!("cannot resolve import '{}': {why}", import.path),
    )
    .with_hint("imports resolve against the package root (the directory with kcl.mod): `import a.b` is a/b.k or the directory a/b/")
}

/// The warning for an import of a `kcl.mod` dependency: its files live
/// outside the package root, so the sandbox cannot read them, and every
/// name taken from it is treated as `any`.
pub fn external_diag(import: &Import) -> RawDiag {
    let package = import.path.split('.').next().unwrap_or(&import.path);
    RawDiag::new(
        import.span.start,
        import.span.end,
        super::diagnostic::EXTERNAL_PACKAGE,
        format!("package '{package}' (from kcl.mod [dependencies]) cannot be read in the sandbox; names from it are treated as any"),
    )
    .with_hint("orch checks only files under the package root; `kcl run` checks this import against the package itself")
}

/// Per file (index into `Workflow::files`), the warnings for its imports of
/// external packages.
pub fn external_imports(wf: &Workflow) -> Vec<(usize, RawDiag)> {
    wf.imports
        .iter()
        .enumerate()
        .flat_map(|(i, imports)| {
            imports.iter().filter(|r| r.target == Target::External).map(move |r| (i, external_diag(&r.import)))
        })
        .collect()
}
