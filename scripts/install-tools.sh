#!/usr/bin/env bash
# Installs the external tools the tests use, pinned by this repository's own
# files, into places the repository ignores:
#   - the Rust toolchain and its wasm32-wasip2 target: rust-toolchain.toml (rustup reads it)
#   - nu 0.115.1 and jco: tools/package.json + tools/package-lock.json -> tools/node_modules
#   - kcl-lib and wasmtime-py: tools/requirements.txt -> .tools/venv
#   - zsh, fish (they load `orch completions`) and groff (it renders `orch man`):
#     the system's packages, with apt-get when run as root, else named for you to install
# Prints the environment the tests read, as `export` lines, on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

log() { echo "install-tools: $*" >&2; }

# rustup installs the pinned toolchain and target on first use.
rustup show active-toolchain >&2 || rustup toolchain install >&2
rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2 >&2

nu="$root/tools/node_modules/@nushell/linux-x64/bin/nu"
if ! "$nu" --version 2>/dev/null | grep -qx 0.115.1 || [ ! -x tools/node_modules/.bin/jco ]; then
    log "npm install (nushell, jco), versions from tools/package-lock.json"
    # Not `npm ci`: npm records only this platform's optional packages (nu's
    # binaries) in the lock, and `npm ci` then calls the lock out of sync.
    (cd tools && npm install --no-save --no-audit --no-fund --loglevel=error) >&2
fi

venv="$root/.tools/venv"
stamp="$venv/.requirements"
if ! cmp -s tools/requirements.txt "$stamp" 2>/dev/null; then
    log "python venv (kcl-lib, wasmtime)"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/requirements.txt >&2
    cp tools/requirements.txt "$stamp"
fi

missing=()
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
command -v groff >/dev/null || missing+=(groff-base)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "apt-get install ${missing[*]}"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >&2
    else
        log "NOT INSTALLED: ${missing[*]} (not root, or no apt-get). Install them, e.g. \`sudo apt-get install ${missing[*]}\`:"
        log "  the completion and man page tests fail without them under scripts/test.sh."
    fi
fi

echo "export ORCH_NU='$nu'"
echo "export ORCH_KCL_PYTHON='$venv/bin/python'"
echo "export ORCH_PYTHON='$venv/bin/python'"
echo "export ORCH_NODE_TOOLS='$root/tools/node_modules'"
for tool in zsh fish groff; do
    if path="$(command -v "$tool")"; then
        echo "export ORCH_${tool^^}='$path'"
    fi
done
