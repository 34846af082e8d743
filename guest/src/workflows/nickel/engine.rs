//! The check pipeline: the same steps, in the same order, as `nickel export` (Nickel 1.18):
//!
//! 1. register the main file (`ProgramBuilder::build`: read it, pick its format by extension);
//! 2. `VmContext::prepare_eval`: stdlib, parse, typecheck (walk mode), program transformations,
//!    import resolution;
//! 3. `VirtualMachine::extract_field_value_closure` with an empty field path (what
//!    `Program::prepare_eval` does when `--field` isn't given): evaluate to weak head normal form;
//! 4. `VirtualMachine::eval_full_for_export_closure`: deep evaluation, forcing every field and
//!    applying every pending contract, skipping `not_exported` fields;
//! 5. `serialize::validate` then `serialize::to_writer` for JSON (into a sink), which reject what
//!    JSON can't represent (functions, enum variants with arguments, huge numbers, ...).
//!
//! We drive `VmContext`/`VirtualMachine` ourselves instead of going through `Program`, because
//! `Program` always builds a fresh `CacheHub` and so re-prepares the standard library on every
//! check; see [`Engine`] for how the prepared stdlib is reused.

use std::{cell::RefCell, collections::HashSet, io, path::Path, rc::Rc};

use nickel_lang_core::{
    cache::{CacheHub, ImportData, InputFormat, SourceCache, TermCache, WildcardsCache},
    error::{Error, PointedExportErrorData, Reporter, Warning},
    eval::{VirtualMachine, VmContext, cache::CacheImpl, value::NickelValue},
    files::{FileId, Files},
    identifier::Ident,
    position::PosTable,
    program::{BuilderError, FieldPath},
    serialize::{self, ExportFormat},
    typecheck::TypecheckMode,
};

use super::{
    codes,
    memo::Memo,
    nesting, report,
    span::span_of,
    types::{Diagnostic, Options, Outcome, TraceOutput},
    value::to_value,
};

/// How many warnings the CLI prints before "(suppressed N additional warnings)".
const WARNING_LIMIT: usize = 10;

/// ASTs of checked files stay in nickel's AST arena (it can't free single entries); once the
/// arena has grown this much beyond the stdlib's own ASTs, the warm cache is rebuilt from
/// scratch (about one cold check's worth of time).
const ARENA_GROWTH_LIMIT: usize = 64 << 20;

/// A `CacheHub` with the standard library fully prepared — parsed to ASTs, compiled to runtime
/// terms, transformed, and the typechecker's initial environment built — plus a snapshot of the
/// parts of it that a check changes, so that every check can start from the same state.
struct Warm {
    cache: CacheHub,
    baseline: Baseline,
}

/// The cheaply clonable parts of a prepared `CacheHub` (persistent vectors, `Rc`'d terms and
/// small maps: cloning all of it costs microseconds).
struct Baseline {
    sources: SourceCache,
    terms: TermCache,
    wildcards: WildcardsCache,
    import_data: ImportData,
    /// The stdlib's runtime terms refer to positions in this table.
    pos_table: PosTable,
    arena_bytes: usize,
}

impl Warm {
    fn new() -> Result<Warm, Error> {
        let mut cache = CacheHub::new();
        let mut pos_table = PosTable::new();
        cache.prepare_stdlib(&mut pos_table)?;
        // Builds the typechecker's initial context from the stdlib ASTs now rather than during
        // the first check (there is no other public entry point for it).
        cache.add_dyn_type_bindings(std::iter::empty::<Ident>());
        let baseline = Baseline {
            sources: cache.sources.clone(),
            terms: cache.terms.clone(),
            wildcards: cache.wildcards.clone(),
            import_data: cache.import_data.clone(),
            pos_table,
            arena_bytes: cache.asts.get_alloc().allocated_bytes(),
        };
        Ok(Warm { cache, baseline })
    }

    fn worn_out(&self) -> bool {
        let grown = self.cache.asts.get_alloc().allocated_bytes().saturating_sub(self.baseline.arena_bytes);
        grown > ARENA_GROWTH_LIMIT
    }

    /// Takes the cache back to its just-prepared state, dropping what the last check added (its
    /// sources and terms; the AST arena only grows, see [`ARENA_GROWTH_LIMIT`]). Everything a
    /// check adds is keyed by file id, and file ids are allocated sequentially, so restoring the
    /// source database makes the next check reuse the previous check's ids: their ASTs must go,
    /// or they would be taken for the new files'. Every file a check adds is registered in
    /// `sources.file_paths`.
    fn reset(&mut self) {
        let stale: Vec<FileId> = self
            .cache
            .sources
            .file_paths
            .keys()
            .filter(|id| !self.baseline.sources.file_paths.contains_key(id))
            .copied()
            .collect();
        // The AST cache also keeps each file's inferred wildcard types, with no way to remove
        // them. That is harmless: typechecking a new file overwrites its id's entry, and the only
        // other files compiled (data imports) contain no wildcards to look up.
        for id in stale {
            self.cache.asts.remove(id);
        }
        self.cache.sources = self.baseline.sources.clone();
        self.cache.terms = self.baseline.terms.clone();
        self.cache.wildcards = self.baseline.wildcards.clone();
        self.cache.import_data = self.baseline.import_data.clone();
    }
}

/// A reusable checker. Creating one prepares the standard library (most of a cold check's cost,
/// see the crate docs); each [`Engine::check`] then starts from that prepared state, reset in
/// between, so checks are independent of each other and of the order they run in. A check of
/// the same file with the same options as the last one, when nothing that check read has
/// changed, hands back its outcome without evaluating (see `memo`).
pub struct Engine {
    /// `None` while a check runs (so a caught panic leaves no half-used cache behind: the next
    /// check rebuilds it) or after preparing the stdlib failed.
    warm: Option<Warm>,
    /// The last check, to hand back while nothing it read has changed.
    last: Option<Memo>,
    replays: u64,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine { warm: Warm::new().ok(), last: None, replays: 0 }
    }

    /// How many checks handed back the previous outcome (see `memo`).
    pub fn replays(&self) -> u64 {
        self.replays
    }

    /// Checks `path` like `nickel export --format json <path>`.
    pub fn check(&mut self, path: &Path, opts: &Options) -> Outcome {
        if let Some(outcome) = self.last.as_ref().and_then(|memo| memo.replay(path, opts)) {
            self.replays += 1;
            return outcome.clone();
        }
        self.last = None;
        let mut remembered = None;
        let outcome = self.on_warm(path, opts, Mode::Export, |warm, outcome| {
            remembered = Memo::record(&warm.cache, &warm.baseline.sources, path, opts, outcome);
        });
        self.last = remembered;
        outcome
    }

    /// Checks `path` like `nickel typecheck <path>`: parsed and typechecked (walk mode) with
    /// its imports, never evaluated. The outcome has no value, whatever the verdict: only its
    /// errors tell. Neither replays nor replaces the memo of the last [`Engine::check`].
    pub fn typecheck(&mut self, path: &Path, opts: &Options) -> Outcome {
        self.on_warm(path, opts, Mode::Typecheck, |_, _| {})
    }

    /// One run on the prepared cache; `seen` looks at the cache before it is reset.
    fn on_warm(&mut self, path: &Path, opts: &Options, mode: Mode, seen: impl FnOnce(&Warm, &Outcome)) -> Outcome {
        let warm = match self.warm.take() {
            Some(warm) if !warm.worn_out() => warm,
            _ => match Warm::new() {
                Ok(warm) => warm,
                // Nickel's own stdlib failing to load: report it rather than panic.
                Err(error) => {
                    return Outcome { diagnostics: report::error_diagnostics(error, &mut Files::empty()), value: None };
                }
            },
        };
        let pos_table = warm.baseline.pos_table.clone();
        let (outcome, cache) = run(warm.cache, pos_table, path, opts, mode);
        let mut warm = Warm { cache, baseline: warm.baseline };
        seen(&warm, &outcome);
        // Right away rather than before the next check: frees the checked files' sources and
        // terms (a 10 MB file's are hundreds of MB) while the engine sits idle.
        warm.reset();
        self.warm = Some(warm);
        outcome
    }
}

/// What a run does after registering the main file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `nickel export`: steps 2-5 of the module docs.
    Export,
    /// `nickel typecheck`: parse and typecheck only.
    Typecheck,
}

/// Warnings as the VM reports them, shared with the reporter the VM owns.
type WarningLog = Rc<RefCell<Vec<(Warning, Files)>>>;

struct CollectWarnings(WarningLog);

impl Reporter<(Warning, Files)> for CollectWarnings {
    fn report(&mut self, w: (Warning, Files)) {
        self.0.borrow_mut().push(w);
    }
}

fn trace_writer(trace: TraceOutput) -> Box<dyn io::Write> {
    match trace {
        TraceOutput::Discard => Box::new(io::sink()),
        TraceOutput::Stderr => Box::new(io::stderr()),
    }
}

/// One check on a prepared cache; hands the cache back for reuse.
fn run(mut cache: CacheHub, pos_table: PosTable, path: &Path, opts: &Options, mode: Mode) -> (Outcome, CacheHub) {
    cache.sources.add_import_paths(opts.import_paths.iter().cloned());

    let format = InputFormat::from_path(path).unwrap_or_default();
    let main_id = match cache.sources.add_file(path, format) {
        Ok(id) => id,
        Err(error) => {
            // Same message as the CLI's (`source <path>: <io error>`), rendered without sources.
            let error = Error::from(BuilderError::Io { path: Some(path.to_path_buf()), error });
            let outcome = Outcome { diagnostics: report::error_diagnostics(error, &mut Files::empty()), value: None };
            return (outcome, cache);
        }
    };

    if let Some(diagnostic) = opts
        .max_nesting
        .filter(|_| format == InputFormat::Nickel)
        .and_then(|limit| nesting_violation(cache.sources.files(), main_id, limit))
    {
        let outcome = Outcome { diagnostics: vec![diagnostic], value: None };
        return (outcome, cache);
    }

    let warnings: WarningLog = Rc::default();
    let mut ctxt: VmContext<CacheHub, CacheImpl> =
        VmContext::new_with_pos_table(cache, pos_table, trace_writer(opts.trace), CollectWarnings(warnings.clone()));

    let result = match mode {
        Mode::Export => export(&mut ctxt, main_id).map(Some),
        Mode::Typecheck => typecheck(&mut ctxt.import_resolver, main_id).map(|()| None),
    };

    // The CLI prints (deduplicated, at most WARNING_LIMIT) warnings first, then the error.
    let mut diagnostics = warning_diagnostics(&warnings);
    let outcome = match result {
        Ok(None) => Outcome { diagnostics, value: None },
        Ok(Some(rt)) => {
            let files = ctxt.import_resolver.sources.files();
            let value = to_value(&rt, files, &ctxt.pos_table);
            Outcome { diagnostics, value: Some(value) }
        }
        Err(error) => {
            let mut files = ctxt.import_resolver.sources.files().clone();
            diagnostics.extend(report::error_diagnostics(error, &mut files));
            Outcome { diagnostics, value: None }
        }
    };
    (outcome, ctxt.import_resolver)
}

/// Steps 2–5 of the module docs.
fn export(ctxt: &mut VmContext<CacheHub, CacheImpl>, main_id: FileId) -> Result<NickelValue, Error> {
    let prepared = ctxt.prepare_eval(main_id)?;
    let whnf = VirtualMachine::new(ctxt).extract_field_value_closure(prepared.into(), &FieldPath::new())?;
    let rt = VirtualMachine::new(ctxt).eval_full_for_export_closure(whnf)?;

    let export_error = |e: PointedExportErrorData| -> Error { e.with_pos_table(ctxt.pos_table.clone()).into() };
    serialize::validate(ExportFormat::Json, &rt).map_err(export_error)?;
    serialize::to_writer(io::sink(), ExportFormat::Json, &rt).map_err(export_error)?;
    Ok(rt)
}

/// What `Program::typecheck(TypecheckMode::Walk)` does, on the prepared cache (whose stdlib is
/// already loaded and whose typing environment is built).
fn typecheck(cache: &mut CacheHub, main_id: FileId) -> Result<(), Error> {
    cache.parse_to_ast(main_id)?;
    cache
        .typecheck(main_id, TypecheckMode::Walk)
        .map_err(|e| e.unwrap_error("engine::typecheck(): the main file was just parsed"))?;
    Ok(())
}

fn nesting_violation(files: &Files, main_id: FileId, limit: usize) -> Option<Diagnostic> {
    let scan = nesting::estimate_depth(files.source(main_id), limit);
    let at = scan.exceeded_at?;
    let mut diagnostic = report::plain(
        codes::NESTING_LIMIT,
        format!("expression nested too deeply (the limit is {limit} levels)"),
        Some(
            "Nickel recurses on the syntax tree and would run out of stack. \
             The depth is estimated from the tokens, counting brackets, `let ... in`, \
             functions, operators and applications."
                .to_owned(),
        ),
    );
    diagnostic.span = span_of(files, main_id, at..at + 1);
    diagnostic.label = Some("this is too deep".to_owned());
    Some(diagnostic)
}

fn warning_diagnostics(log: &WarningLog) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (warning, files) in log.borrow_mut().drain(..) {
        if seen.len() == WARNING_LIMIT {
            break;
        }
        if seen.insert(warning.clone()) {
            let mut files = files;
            out.extend(report::warning_diagnostics(warning, &mut files));
        }
    }
    out
}
