//! `orch component` and `orch --version`: the WIT printed is the package
//! in `wit/`, the bytes written are the ones embedded, and the version
//! names both.

use std::path::Path;
use std::process::Command;

use orch_runtime::component::COMPONENTS;
use orch_tests::{built_binary, orch, workspace};
use sha2::{Digest, Sha256};

/// The package's files in `wit/`, read now, as `orch component wit`
/// prints them: sorted, the first whole, the others without their
/// `package` line. `probe.wit` is a test-only world, not part of it.
fn wit_dir_text() -> String {
    let mut files: Vec<_> = std::fs::read_dir(workspace().join("wit"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "wit") && !path.ends_with("probe.wit"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut text = String::new();
    for (i, path) in files.iter().enumerate() {
        let file = std::fs::read_to_string(path).unwrap();
        if i == 0 {
            text.push_str(&file);
        } else {
            text.push('\n');
            text.extend(file.split_inclusive('\n').filter(|line| !line.trim_start().starts_with("package ")));
        }
    }
    text
}

/// The `package provisioning:orchestrator@X.Y.Z;` of `wit/orchestrator.wit`.
fn wit_package() -> String {
    let text = std::fs::read_to_string(workspace().join("wit/orchestrator.wit")).unwrap();
    let line = text.lines().find(|l| l.starts_with("package ")).unwrap();
    line.trim_start_matches("package ").trim_end_matches(';').to_string()
}

fn sha256_prefix(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(6).map(|b| format!("{b:02x}")).collect()
}

#[test]
fn wit_prints_the_package_in_the_wit_directory() {
    let output = orch().args(["component", "wit"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(printed, wit_dir_text(), "orch component wit differs from wit/");
    assert!(printed.contains("world orchestrator {"), "{printed}");
    assert!(!printed.contains("orchestrator-probe") && !printed.contains("interface probe"));
}

#[test]
fn wasm_writes_the_embedded_bytes() {
    assert_eq!(
        COMPONENTS.iter().map(|c| c.world).collect::<Vec<_>>(),
        ["orchestrator", "nickel-validator"],
        "the probe is not shipped"
    );
    let scratch = tempfile::tempdir().unwrap();
    for component in COMPONENTS {
        let file = scratch.path().join(format!("{}.wasm", component.world));
        let output = orch().args(["component", "wasm", "--world", component.world, "-o"]).arg(&file).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(output.stdout.is_empty());
        let written = std::fs::read(&file).unwrap();
        assert!(written == component.wasm, "-o {} differs from the embedded {}", file.display(), component.world);
        assert!(written.starts_with(b"\0asm"));
    }

    // Without -o, to a pipe; the default world is orchestrator.
    let output = orch().args(["component", "wasm"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout == orch_runtime::component::ORCHESTRATOR_WASM, "stdout differs from the embedded bytes");
}

#[test]
fn wasm_refuses_a_terminal() {
    // `script` gives the command a pseudo-terminal for stdout.
    let command = format!("{} component wasm", built_binary("orch").display());
    let output = Command::new("script").args(["-qefc", &command, "/dev/null"]).output().expect("run script(1)");
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stdout));
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(shown.contains("refusing to write WebAssembly to a terminal"), "{shown}");
    assert!(shown.contains("pass -o FILE"), "{shown}");
    assert!(!shown.contains("asm"), "{shown}");
}

#[test]
fn world_takes_only_the_embedded_worlds() {
    for world in ["orchestrator-probe", "nickel"] {
        let output = orch().args(["component", "wasm", "--world", world, "-o", "/dev/null"]).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("[possible values: orchestrator, nickel-validator]"), "{stderr}");
    }
}

#[test]
fn write_errors_name_the_file() {
    let missing = Path::new("/nonexistent/dir/orch_guest.wasm");
    let output = orch().args(["component", "wasm", "-o"]).arg(missing).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error: cannot write /nonexistent/dir/orch_guest.wasm: "), "{stderr}");
}

#[test]
fn version_names_the_wit_package_and_each_component() {
    let mut want = format!("orch {}\nwit {}\n", env!("CARGO_PKG_VERSION"), wit_package());
    for component in COMPONENTS {
        want.push_str(&format!("component {} sha256:{}\n", component.world, sha256_prefix(component.wasm)));
    }
    for flag in ["--version", "-V"] {
        let output = orch().arg(flag).output().unwrap();
        assert!(output.status.success());
        assert_eq!(String::from_utf8(output.stdout).unwrap(), want, "orch {flag}");
    }
    // The hash is the one a user computes from what `orch component wasm` writes.
    let written = orch().args(["component", "wasm"]).output().unwrap().stdout;
    assert!(want.contains(&sha256_prefix(&written)));
}
