#!/usr/bin/env bash
# The benchmark (not part of the test run): builds the release binaries,
# generates data, times `orch` against the native floor, jq, a Nushell
# pipeline and the warm plugin, and writes BENCHMARKS.md.
# Usage: scripts/bench.sh [--runs N] [--sizes 10,1000,10000,100000] [--before REV]
# --before REV also builds `orch` at REV (in target/bench-before, a target
# directory of its own) and runs it in turns with this build on the queue rows.
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
before_rev=""
while [ $# -gt 0 ]; do
    case "$1" in
        --before) before_rev="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done

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
if [ -n "$before_rev" ]; then
    commit="$(git rev-parse --short "$before_rev")"
    tree="target/bench-before/src-$commit"
    [ -d "$tree" ] || git worktree add --detach "$tree" "$commit" >&2
    CARGO_TARGET_DIR="$PWD/target/bench-before/target" cargo build --release --manifest-path "$tree/Cargo.toml" -p orch-cli >&2
    args+=(--before "$PWD/target/bench-before/target/release/orch")
    export ORCH_BENCH_BEFORE="commit $commit"
fi
exec target/release/orch-bench "${args[@]}"
