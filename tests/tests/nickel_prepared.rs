//! The Nickel component pre-initialised: with a cache directory the runtime
//! runs a snapshot of the component taken after its standard library was
//! prepared (host-runtime/src/prepared.rs), cached beside the precompiled
//! components. Without one it runs the embedded component as it is, which
//! prepares the library in each instance. Both must judge every workflow
//! alike, byte for byte.

use std::path::{Path, PathBuf};

use orch_runtime::model::ValidationReport;
use orch_runtime::validate::ValidateOptions;
use orch_runtime::{Error, Limits, Runtime, RuntimeOptions, TrapKind};
use orch_tests::{cache_dir, workspace};

/// Every case of the corpus, and the benchmark's workflow.
fn corpus() -> Vec<PathBuf> {
    let root = workspace().join("tests/nickel");
    let mut files: Vec<PathBuf> = ["valid", "strict", "syntax", "eval", "bench"]
        .iter()
        .flat_map(|sub| std::fs::read_dir(root.join(sub)).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ncl"))
        .collect();
    files.sort();
    files
}

fn reports(rt: &Runtime, files: &[PathBuf]) -> Vec<(ValidationReport, ValidationReport)> {
    let judge = |file: &Path, strict| rt.validate(file, &ValidateOptions { strict, import_paths: Vec::new() }).unwrap();
    files.iter().map(|f| (judge(f, false), judge(f, true))).collect()
}

#[test]
fn the_prepared_component_judges_as_the_embedded_one() {
    let files = corpus();
    assert!(files.len() > 100, "the corpus is there: {} files", files.len());
    let prepared = Runtime::new(RuntimeOptions { cache_dir: Some(cache_dir()), ..RuntimeOptions::default() }).unwrap();
    let prepared = reports(&prepared, &files);
    let artifacts: Vec<String> = std::fs::read_dir(cache_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        artifacts.iter().any(|name| name.contains("-prepared-")),
        "no prepared artifact in the cache: {artifacts:?}"
    );
    let embedded = Runtime::new(RuntimeOptions { cache_dir: None, ..RuntimeOptions::default() }).unwrap();
    let embedded = reports(&embedded, &files);
    for (file, (a, b)) in files.iter().zip(prepared.iter().zip(&embedded)) {
        assert_eq!(a, b, "{}", file.display());
    }
}

/// `prepare` has bounds of its own: a memory cap too small for Nickel's
/// library still gets the snapshot made (so later processes do not try
/// again), and the cap then refuses its instances, as it refused the
/// library before.
#[test]
fn a_tight_memory_cap_refuses_the_instance_not_the_snapshot() {
    let cache = tempfile::tempdir().unwrap();
    let limits = Limits { memory_bytes: 16 << 20, ..Limits::default() };
    let rt = Runtime::new(RuntimeOptions { limits, cache_dir: Some(cache.path().to_path_buf()) }).unwrap();
    let file = workspace().join("tests/nickel/bench/bench_workflow.ncl");
    let refused = rt.validate(&file, &ValidateOptions::default());
    assert!(
        matches!(refused, Err(Error::Trap { kind: TrapKind::Memory(_), .. })),
        "not refused by the memory cap: {refused:?}"
    );
    let artifacts: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(artifacts.iter().any(|name| name.contains("-prepared-")), "no prepared artifact: {artifacts:?}");
}
