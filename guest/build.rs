//! The Nickel engine recurses on the syntax tree: its component gets an
//! 8 MiB linear-memory stack instead of wasm-ld's 1 MiB (see
//! `src/workflows/nickel/check.rs`, `MAX_NESTING`). Only the final link
//! changes, so no dependency is rebuilt for it.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_NICKEL").is_some() {
        println!("cargo:rustc-link-arg=-zstack-size=8388608");
    }
}
