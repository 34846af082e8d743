#!/usr/bin/env bash
# Proves the README's Install section from a clean clone: clones the
# repository (its committed HEAD; default: this clone) into a scratch
# directory, runs both `cargo install --locked --path ...` there into a
# scratch --root, as a user would (no CARGO_TARGET_DIR), then runs the
# installed `orch` and registers the installed plugin in nu with a private
# plugin registry (your own is never touched). Two release builds: about
# half an hour on two shared cores.
#
#   scripts/check-install.sh [--temp-target] [REPO]
#
# `cargo install --path` builds in the clone's own target/. With
# --temp-target it builds in a scratch target directory instead
# (`--target-dir`), as `cargo install --git` does: nothing lands in the
# clone, and the runtime's nested guest build finds its directory from
# OUT_DIR alone.
#
# nu is $ORCH_NU (scripts/install-tools.sh prints it), else `nu` on PATH.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log() { echo "check-install: $*" >&2; }

target_args=()
if [ "${1:-}" = --temp-target ]; then
    shift
    target_args=(--target-dir "$tmp/target")
fi
repo="${1:-$root}"

log "git clone $repo"
git clone -q "$repo" "$tmp/src"
cd "$tmp/src"
log "clean clone at $(git rev-parse --short HEAD)"

for pkg in host-cli host-plugin; do
    log "cargo install --locked --path $pkg --root <scratch>/root ${target_args[*]/#$tmp/<scratch>}"
    start=$SECONDS
    env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR \
        cargo install --locked --path "$pkg" --root "$tmp/root" "${target_args[@]}" 2>"$tmp/install-$pkg.log" || {
        tail -40 "$tmp/install-$pkg.log" >&2
        log "FAILED: cargo install --locked --path $pkg"
        exit 1
    }
    log "$pkg installed in $((SECONDS - start)) s"
done
bin="$tmp/root/bin"
ls "$bin" >&2
if [ ${#target_args[@]} -gt 0 ]; then
    if [ -e target ]; then
        log "FAILED: the build wrote target/ into the clone despite --target-dir"
        exit 1
    fi
    guest=("$tmp"/target/guest/wasm32-wasip2/release/orch_guest.wasm)
    [ -f "${guest[0]}" ] && log "the guest was built in <scratch>/target/guest, found from OUT_DIR" \
        || log "the guest was built under OUT_DIR (no CACHEDIR.TAG found above it)"
fi

log "orch --version"
"$bin/orch" --version
log "orch tasks --data-dir examples/data --limit 3"
"$bin/orch" tasks --data-dir examples/data --limit 3
log "orch component wasm -o <scratch>/orch_guest.wasm; its hash against --version"
"$bin/orch" component wasm -o "$tmp/orch_guest.wasm"
hash="$(sha256sum "$tmp/orch_guest.wasm" | cut -c1-12)"
"$bin/orch" --version | grep -q "component orchestrator sha256:$hash" || {
    log "FAILED: the written component's sha256 ($hash) is not the one --version names"
    exit 1
}

nu="${ORCH_NU:-$(command -v nu || true)}"
if [ -z "$nu" ]; then
    log "FAILED: no nu (set ORCH_NU, e.g. eval \"\$(scripts/install-tools.sh)\")"
    exit 1
fi
log "$("$nu" --version | sed 's/^/nu /'): plugin add, then plugin use (registry: <scratch>/plugins.msgpackz)"
registry="$tmp/plugins.msgpackz"
"$nu" -n -c "plugin add --plugin-config '$registry' '$bin/nu_plugin_orchestrator'"
"$nu" -n -c "plugin use --plugin-config '$registry' orchestrator; orch status --data-dir examples/data | select running tasks_pending source | to nuon"
log "OK: orch and nu_plugin_orchestrator install from a clean clone and run"
