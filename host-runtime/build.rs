//! Builds the guest component with a nested cargo, as wasmtime's
//! test-programs artifacts crate does, and embeds it. The nested build has
//! its own target directory (so it never waits on the outer build's lock)
//! and none of the outer build's compiler flags (they are for the host).

use std::env;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A component built and embedded: the constant prefix in `components.rs`,
/// the world it exports, the guest's extra cargo arguments (features),
/// and whether the hosts ship it (listed in `COMPONENTS`, offered by
/// `orch component wasm`) or only tests use it.
struct Variant {
    name: &'static str,
    world: &'static str,
    args: &'static [&'static str],
    shipped: bool,
}

const fn shipped(name: &'static str, world: &'static str, args: &'static [&'static str]) -> Variant {
    Variant { name, world, args, shipped: true }
}

const fn test_only(name: &'static str, world: &'static str, args: &'static [&'static str]) -> Variant {
    Variant { name, world, args, shipped: false }
}

/// One line per component. The test-only ones are built only with this
/// crate's `probe` feature. One crate, one component per world: the Nickel
/// engine is a feature of the guest, so the queue's component never
/// carries it.
const VARIANTS: &[Variant] = &[
    shipped("ORCHESTRATOR", "orchestrator", &[]),
    shipped("NICKEL", "nickel-validator", &["--features", "nickel"]),
    test_only("PROBE", "orchestrator-probe", &["--features", "probe"]),
];

/// Files in `wit/` that only tests use: not part of the package the shipped
/// components implement, so not embedded as its text.
const TEST_ONLY_WIT: &[&str] = &["probe.wit"];

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let workspace = manifest_dir.parent().unwrap();
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={}", workspace.join("guest").display());
    println!("cargo:rerun-if-changed={}", workspace.join("model").display());
    println!("cargo:rerun-if-changed={}", workspace.join("wit").display());
    println!("cargo:rerun-if-env-changed=ORCH_GUEST_PROFILE");

    let target_dir = guest_target_dir(&out_dir);

    ensure_wasm_target(workspace);
    let probe = env::var_os("CARGO_FEATURE_PROBE").is_some();
    let mut generated = String::new();
    let mut table = String::new();
    for variant in VARIANTS.iter().filter(|v| v.shipped || probe) {
        let Variant { name, world, args, shipped: in_table } = variant;
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
        if *in_table {
            table.push_str(&format!("    Embedded {{ world: {world:?}, wasm: {name}_WASM, hash: {name}_HASH }},\n"));
        }
    }
    generated.push_str(&format!(
        "\n/// Every component the hosts ship, by world.\npub const COMPONENTS: &[Embedded] = &[\n{table}];\n"
    ));
    generated.push_str(&wit_package(&workspace.join("wit")));
    std::fs::write(out_dir.join("components.rs"), generated).unwrap();
}

/// Where the nested cargo builds the guest: `guest/` in the outer build's
/// target directory, so that every build of this crate (each feature set,
/// each profile) shares one guest build. The target directory is
/// `$CARGO_TARGET_DIR` when set, else found from `OUT_DIR`
/// (`<target>/[<triple>/]<profile>/build/<crate>-<hash>/out`), the one
/// holding cargo's `CACHEDIR.TAG`; it is never assumed to be the
/// workspace's `target/`, which `cargo install` does not use. In a layout
/// not recognised, the guest builds under `OUT_DIR` itself.
fn guest_target_dir(out_dir: &Path) -> PathBuf {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("guest");
    }
    out_dir
        .ancestors()
        .skip(4)
        .take(2)
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map_or_else(|| out_dir.join("guest-target"), |dir| dir.join("guest"))
}

/// The WIT package the shipped components implement: its name and version
/// from the `package` line, and the text of each file, embedded so that
/// `orch component wit` prints exactly what the components were built from.
fn wit_package(wit_dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(wit_dir)
        .expect("read wit/")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "wit"))
        .filter(|path| !TEST_ONLY_WIT.iter().any(|name| path.file_name().unwrap() == *name))
        .collect();
    files.sort();
    let mut package: Option<String> = None;
    let mut entries = String::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read a WIT file");
        let declared = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("package ")?.strip_suffix(';').map(|p| p.trim().to_string()))
            .unwrap_or_else(|| panic!("{} has no `package` line", path.display()));
        match &package {
            Some(p) => assert_eq!(p, &declared, "{} declares another package", path.display()),
            None => package = Some(declared),
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        entries.push_str(&format!("    WitFile {{ name: {name:?}, text: include_str!({path:?}) }},\n"));
    }
    let package = package.expect("wit/ holds the package's files");
    let (_, version) = package.split_once('@').unwrap_or_else(|| panic!("the package {package} has no version"));
    format!(
        "\n/// The WIT package the shipped components implement, `namespace:name@version`.\n\
         pub const WIT_PACKAGE: &str = {package:?};\n\
         /// Its version.\npub const WIT_VERSION: &str = {version:?};\n\
         /// Its files in `wit/`, by name, sorted (test-only worlds left out).\n\
         pub const WIT_FILES: &[WitFile] = &[\n{entries}];\n"
    )
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
        .args([
            "build",
            "--locked",
            "--package",
            "orch-guest",
            "--target",
            "wasm32-wasip2",
            "--release",
            "--target-dir",
        ])
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
