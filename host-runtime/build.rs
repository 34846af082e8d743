//! Builds the guest component with a nested cargo, as wasmtime's
//! test-programs artifacts crate does, and embeds it. The nested build has
//! its own target directory (so it never waits on the outer build's lock)
//! and none of the outer build's compiler flags (they are for the host).

use std::env;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap();
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={}", workspace.join("guest").display());
    println!("cargo:rerun-if-changed={}", workspace.join("model").display());
    println!("cargo:rerun-if-changed={}", workspace.join("wit").display());
    println!("cargo:rerun-if-env-changed=ORCH_GUEST_PROFILE");

    let target_dir =
        env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace.join("target")).join("guest");

    ensure_wasm_target(workspace);
    let mut generated = String::new();
    // One crate, one component per world: the Nickel engine is a feature of
    // the guest, so the queue's component never carries it.
    let variants: &[(&str, &[&str])] = if env::var_os("CARGO_FEATURE_PROBE").is_some() {
        &[("ORCHESTRATOR", &[]), ("NICKEL", &["--features", "nickel"]), ("PROBE", &["--features", "probe"])]
    } else {
        &[("ORCHESTRATOR", &[]), ("NICKEL", &["--features", "nickel"])]
    };
    for (name, args) in variants {
        let wasm = build_guest(workspace, &target_dir, args);
        let dest = out_dir.join(format!("{}.wasm", name.to_lowercase()));
        std::fs::copy(&wasm, &dest).expect("copy the guest component");
        let bytes = std::fs::read(&dest).unwrap();
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        generated.push_str(&format!(
            "pub const {name}_WASM: &[u8] = include_bytes!({dest:?});\npub const {name}_HASH: &str = \"{:016x}\";\n",
            hasher.finish()
        ));
    }
    std::fs::write(out_dir.join("components.rs"), generated).unwrap();
}

/// rust-toolchain.toml names the wasm32-wasip2 target, but rustup adds a
/// toolchain file's targets only when it installs the toolchain itself: on a
/// machine that already had Rust 1.95, `cargo build` would stop with "can't
/// find crate for `std`". Adding it here keeps `cargo run` the one command
/// a new user needs.
fn ensure_wasm_target(workspace: &Path) {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(rustc).args(["--print", "sysroot"]).output().expect("run rustc --print sysroot");
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if sysroot.join("lib/rustlib/wasm32-wasip2/lib").is_dir() {
        return;
    }
    println!("cargo:warning=adding the wasm32-wasip2 target (named in rust-toolchain.toml) with rustup");
    let added = Command::new("rustup").current_dir(workspace).args(["target", "add", "wasm32-wasip2"]).status();
    match added {
        Ok(status) if status.success() => {}
        Ok(status) => {
            panic!("`rustup target add wasm32-wasip2` failed ({status}); the guest component needs that target")
        }
        Err(e) => panic!(
            "the guest component needs the wasm32-wasip2 target, which is not installed, and rustup could not be run ({e}); \
             install the target for {}",
            sysroot.display()
        ),
    }
}

fn build_guest(workspace: &Path, target_dir: &Path, extra: &[&str]) -> PathBuf {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace)
        .args(["build", "--package", "orch-guest", "--target", "wasm32-wasip2", "--release", "--target-dir"])
        .arg(target_dir)
        .args(extra);
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_MAKEFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PROFILE_RELEASE_DEBUG",
        "CARGO_LLVM_COV",
    ] {
        cmd.env_remove(var);
    }
    let status = cmd.status().expect("run cargo for the guest component");
    assert!(status.success(), "building the guest component failed: {status}");
    target_dir.join("wasm32-wasip2/release/orch_guest.wasm")
}
