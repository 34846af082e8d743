//! Marks which external tools this build of the tests can use, so that a
//! test whose tool is missing is reported as ignored, never as passed. The
//! test command (`scripts/test.sh`) sets `ORCH_REQUIRE_TOOLS`: there a
//! missing tool fails the build instead.

use std::path::Path;

/// Each tool's variable (set by `scripts/install-tools.sh`) and its cfg.
const TOOLS: [(&str, &str); 6] = [
    ("ORCH_NU", "has_nu"),
    ("ORCH_PYTHON", "has_python"),
    ("ORCH_NODE_TOOLS", "has_node_tools"),
    ("ORCH_ZSH", "has_zsh"),
    ("ORCH_FISH", "has_fish"),
    ("ORCH_GROFF", "has_groff"),
];

fn main() {
    println!("cargo::rerun-if-env-changed=ORCH_REQUIRE_TOOLS");
    let required = std::env::var_os("ORCH_REQUIRE_TOOLS").is_some();
    let mut missing = Vec::new();
    for (var, cfg) in TOOLS {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={var}");
        match std::env::var_os(var) {
            Some(path) if Path::new(&path).exists() => println!("cargo::rustc-cfg={cfg}"),
            _ => missing.push(var),
        }
    }
    if required && !missing.is_empty() {
        panic!(
            "ORCH_REQUIRE_TOOLS is set, but {} name no installed tool: run the tests through scripts/test.sh",
            missing.join(", ")
        );
    }
}
