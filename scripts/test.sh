#!/usr/bin/env bash
# Runs every test: unit tests of the guest logic (natively), the runtime's
# sandbox tests, the CLI end to end, the plugin in-process and in a real nu,
# the KCL differential test against kcl-lib, and the other WASI runtimes.
# Installs what they need first (scripts/install-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# Assigned first: a failed install must stop the script, and `eval "$(...)"` would hide it.
tool_env="$(scripts/install-tools.sh)"
eval "$tool_env"
# Tests that need an external tool fail without it rather than skip.
export ORCH_REQUIRE_TOOLS=1

# The end-to-end tests run the built binaries; build them first.
cargo build --workspace --bins
cargo test --workspace --no-fail-fast "$@"
