#!/usr/bin/env bash
# The benchmark (not part of the test run): builds the release binaries,
# generates data, times `orch` against the native floor, jq, a Nushell
# pipeline and the warm plugin, and writes BENCHMARKS.md.
# Usage: scripts/bench.sh [--runs N] [--sizes 10,1000,10000,100000]
set -euo pipefail
cd "$(dirname "$0")/.."

# Assigned first: a failed install must stop the script, and `eval "$(...)"` would hide it.
tool_env="$(scripts/install-tools.sh)"
eval "$tool_env"
command -v jq >/dev/null || { echo "bench: jq is required (apt-get install jq)" >&2; exit 1; }
# The official Nickel CLI, for the Nickel row's native `nickel export` (a
# few minutes' build, once).
nickel_root=".tools/nickel"
if ! "$nickel_root/bin/nickel" --version 2>/dev/null | grep -q '1\.18\.0'; then
    cargo install --locked --quiet nickel-lang-cli@1.18.0 --root "$nickel_root" >&2
fi
export ORCH_NICKEL="$PWD/$nickel_root/bin/nickel"
cargo build --release -p orch-cli -p orch-bench -p nu_plugin_orchestrator
exec target/release/orch-bench "$@"
