//! One workflow through the engine, as orch reports it: the engine's
//! diagnostics placed in the sandbox's files, and with `--strict` the
//! task-graph checks on the exported value.

use std::path::{Path, PathBuf};

use super::engine::Engine;
use super::types::{self, Options, Outcome, TraceOutput, Value, ValueKind};
use crate::model::{Diagnostic, Related, Role, Severity, Span, ValidationReport};
use crate::workflows::graph::{self, Field, Node};

/// Deeper syntax than this is refused with `N6001` before the engine sees
/// it: the engine recurses on the syntax tree, and in the component its
/// stacks (an 8 MiB linear-memory stack, wasmtime's 512 KiB for wasm frames)
/// hold a few hundred levels. Workflows nest a dozen.
pub const MAX_NESTING: usize = 256;

/// Where the files are: the package directory and the import paths, as
/// the engine reads them (in the component, the preopens' guest paths).
pub struct Roots<'a> {
    pub package: &'a str,
    pub imports: &'a [String],
}

/// Judges the workflow at `rel` (relative to the package directory) as
/// `nickel export` would, searching the import paths for imports. With
/// `strict`, task-graph findings are errors. Files are named as the
/// host's preopens are: relative to the package directory, or
/// `import-path:N/…`.
pub fn validate(engine: &mut Engine, roots: &Roots, rel: &str, strict: bool, max_file_size: u64) -> ValidationReport {
    let entry = Path::new(roots.package).join(rel);
    let mut findings = Vec::new();
    match std::fs::metadata(&entry) {
        Ok(meta) if meta.len() > max_file_size => findings.push(too_large(rel, max_file_size)),
        _ => {
            let outcome = engine.check_guarded(&entry, &options(roots));
            findings.extend(engine_findings(&outcome, rel, roots));
            if let Some(value) = &outcome.value {
                findings.extend(graph_findings(value, strict, roots));
            }
        }
    }
    report(rel, Role::Workflow, findings)
}

/// The engine's options for the sandbox's import paths.
pub(super) fn options(roots: &Roots) -> Options {
    let import_paths = roots.imports.iter().map(PathBuf::from).collect();
    Options { import_paths, trace: TraceOutput::Discard, max_nesting: Some(MAX_NESTING) }
}

/// The finding for a file too large to read.
pub(super) fn too_large(rel: &str, max_file_size: u64) -> Diagnostic {
    Diagnostic {
        span: Span::start_of(rel),
        code: "N5004".into(),
        message: format!("file is larger than the {max_file_size} byte limit"),
        hint: Some("pass a larger --max-file-size to check it".into()),
        severity: Severity::Error,
        related: Vec::new(),
    }
}

/// The findings of `rel`, errors and warnings apart.
pub(super) fn report(rel: &str, role: Role, findings: Vec<Diagnostic>) -> ValidationReport {
    let (errors, warnings) = findings.into_iter().partition(|f| f.severity == Severity::Error);
    ValidationReport::new(rel, role, errors, warnings)
}

impl Roots<'_> {
    /// `None` for what is no file of the sandbox's: the standard library,
    /// or code that evaluation generated.
    pub(super) fn name(&self, guest: &str) -> Option<String> {
        if let Some(rel) = guest.strip_prefix(self.package).and_then(|r| r.strip_prefix('/')) {
            return Some(rel.to_string());
        }
        self.imports.iter().enumerate().find_map(|(i, root)| {
            let rel = guest.strip_prefix(root.as_str())?.strip_prefix('/')?;
            Some(format!("import-path:{i}/{rel}"))
        })
    }

    /// The engine's span in the sandbox's names, with its line's text.
    fn place(&self, span: &types::Span) -> Option<Span> {
        let file = self.name(&span.file)?;
        Some(Span {
            source_line: source_line(&span.file, span.line),
            file: file.into(),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
        })
    }
}

/// A diagnostic's place is its primary label, else (an import that failed,
/// a contract of the standard library) its first label in a file of the
/// sandbox, else the entry file's start.
pub(super) fn engine_findings(outcome: &Outcome, entry: &str, roots: &Roots) -> Vec<Diagnostic> {
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let primary = d.span.as_ref().and_then(|s| roots.place(s));
            let mut related: Vec<Related> = d
                .related
                .iter()
                .filter_map(|r| Some(Related { span: roots.place(&r.span)?, message: r.message.clone() }))
                .collect();
            let span = match primary {
                Some(span) => span,
                None if !related.is_empty() => related.remove(0).span,
                None => Span::start_of(entry),
            };
            let (message, hint) = match d.code.as_str() {
                IMPORT_NOT_FOUND => import_not_found(&d.message, d.hint.as_deref()),
                _ => (d.message.clone(), d.hint.clone()),
            };
            Diagnostic { span, code: d.code.clone(), message, hint, severity: d.severity, related }
        })
        .collect()
}

const IMPORT_NOT_FOUND: &str = "N5001";

/// Nickel lists where it looked by the sandbox's own paths, which mean
/// nothing to the user; what helps is what the sandbox can see.
fn import_not_found(message: &str, hint: Option<&str>) -> (String, Option<String>) {
    let message = match message.find(" (looked in [") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    };
    let sandbox = "the validator sees only the workflow's package directory and its import paths \
                   (--import-path, $NICKEL_IMPORT_PATH): import a file there by a relative path";
    let hint = match hint {
        Some(h) => format!("{h}\n{sandbox}"),
        None => sandbox.to_string(),
    };
    (message, Some(hint))
}

/// The graph checks on the exported value; each finding (and each of its
/// related places: a cycle's dependency entries, a duplicate's first id)
/// points at the source of the value, wherever the evaluation brought it
/// from. Places outside the sandbox's files (generated by evaluation) drop.
fn graph_findings(value: &Value, strict: bool, roots: &Roots) -> Vec<Diagnostic> {
    let severity = if strict { Severity::Error } else { Severity::Warning };
    let mut spans: Vec<Option<types::Span>> = Vec::new();
    let tree = neutral(value, &mut spans);
    graph::check(&tree)
        .into_iter()
        .filter_map(|f| {
            let place_of = |at: usize| spans[at].as_ref().and_then(|s| roots.place(s));
            let span = place_of(f.span)?;
            let related = f
                .related
                .into_iter()
                .filter_map(|(at, message)| Some(Related { span: place_of(at)?, message }))
                .collect();
            Some(Diagnostic { span, code: f.code.into(), message: f.message, hint: f.hint, severity, related })
        })
        .collect()
}

/// The value as the graph checks read it; spans go to a table, so that the
/// tree carries a plain index. Iterative: a value nests as deep as Nickel let it.
fn neutral(root: &Value, spans: &mut Vec<Option<types::Span>>) -> graph::Value<usize> {
    enum Work<'a> {
        Visit(&'a Value, Option<String>),
        Build { span: usize, key: Option<String>, len: usize, record: bool },
    }
    let mut work = vec![Work::Visit(root, None)];
    let mut done: Vec<(Option<String>, graph::Value<usize>)> = Vec::new();
    while let Some(item) = work.pop() {
        match item {
            Work::Visit(value, key) => {
                spans.push(value.span.clone());
                let span = spans.len() - 1;
                let leaf = |node| graph::Value::new(node, span);
                match &value.kind {
                    ValueKind::Null => done.push((key, leaf(Node::Null))),
                    ValueKind::Bool(b) => done.push((key, leaf(Node::Bool(*b)))),
                    ValueKind::Number(n) => done.push((key, leaf(Node::Number(*n)))),
                    ValueKind::String(s) => done.push((key, leaf(Node::Str(s.clone())))),
                    ValueKind::List(items) => {
                        work.push(Work::Build { span, key, len: items.len(), record: false });
                        work.extend(items.iter().rev().map(|v| Work::Visit(v, None)));
                    }
                    ValueKind::Record(fields) => {
                        work.push(Work::Build { span, key, len: fields.len(), record: true });
                        work.extend(fields.iter().rev().map(|(k, v, _)| Work::Visit(v, Some(k.clone()))));
                    }
                }
            }
            Work::Build { span, key, len, record } => {
                let mut children = done.split_off(done.len() - len);
                let node = if record {
                    // Nickel exports fields in alphabetical order; the checks
                    // read them in source order (`steps` before `cleanup`:
                    // which duplicate is the first, which step a cycle is
                    // named from). Fields without a place keep their order, first.
                    children.sort_by_cached_key(|(_, v)| {
                        spans[v.span].as_ref().map(|s| (s.file.clone(), s.line, s.column))
                    });
                    Node::Record(
                        children.into_iter().map(|(k, value)| Field { key: k.unwrap_or_default(), value }).collect(),
                    )
                } else {
                    Node::List(children.into_iter().map(|(_, v)| v).collect())
                };
                done.push((key, graph::Value::new(node, span)));
            }
        }
    }
    done.pop().map_or_else(|| graph::Value::new(Node::Null, 0), |(_, v)| v)
}

/// The text of line `line` of a file in the sandbox, for renderers.
fn source_line(guest: &str, line: u32) -> String {
    std::fs::read_to_string(guest)
        .ok()
        .and_then(|text| text.lines().nth(line.saturating_sub(1) as usize).map(|l| l.chars().take(512).collect()))
        .unwrap_or_default()
}
