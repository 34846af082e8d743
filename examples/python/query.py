"""Runs the orchestrator component under wasmtime-py and prints the result as JSON.

    python query.py ORCH_GUEST_WASM DATA_DIR status [QUERY_JSON]
    python query.py ORCH_GUEST_WASM DATA_DIR tasks  [QUERY_JSON]

QUERY_JSON holds optional keys: now (RFC 3339; default: the current time),
statuses, min_priority, max_priority, created_from, created_to, workflow,
states, offset, limit, skip_invalid, max_file_size. The output uses the WIT field
names in snake_case, timestamps as {"seconds", "nanoseconds"} and durations
in nanoseconds; a refusal prints {"error": {...}} and exits 1.
"""

import json
import sys
import threading
from datetime import datetime, timezone

from wasmtime import Config, Engine, Store, WasiConfig
from wasmtime.component import Component, Linker, Record, Variant

MEMORY_LIMIT = 256 * 1024 * 1024
DEADLINE_SECONDS = 10


def record(**fields):
    """A WIT record: wasmtime-py reads fields by their WIT (kebab-case) names."""
    r = Record()
    for name, value in fields.items():
        setattr(r, name.replace("_", "-"), value)
    return r


def datetime_record(text):
    when = datetime.fromisoformat(text) if text else datetime.now(timezone.utc)
    micros = round(when.timestamp() * 1_000_000)
    return record(seconds=micros // 1_000_000, nanoseconds=(micros % 1_000_000) * 1000)


def plain(value):
    """A WIT value as JSON: records become objects with snake_case keys."""
    if isinstance(value, Record):
        return {k.replace("-", "_"): plain(v) for k, v in vars(value).items()}
    if isinstance(value, Variant):
        return {value.tag: plain(value.payload)}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main(wasm, data_dir, command, query_json="{}"):
    query = json.loads(query_json)
    config = Config()
    # Epoch interruption bounds a call's wall time, as the Rust host does.
    config.epoch_interruption = True
    engine = Engine(config)
    component = Component.from_file(engine, wasm)

    linker = Linker(engine)
    linker.add_wasip2()
    wasi = WasiConfig()  # no env, no args, no stdio inherited unless asked for
    wasi.preopen_dir(data_dir, "/data", fs_mutable=False)
    store = Store(engine)
    store.set_wasi(wasi)
    store.set_limits(memory_size=MEMORY_LIMIT)
    store.set_epoch_deadline(1)
    timer = threading.Timer(DEADLINE_SECONDS, engine.increment_epoch)
    timer.daemon = True
    timer.start()

    instance = linker.instantiate(store, component)
    queue = instance.get_export_index(store, "provisioning:orchestrator/queue@0.6.0")
    scan = record(
        skip_invalid=query.get("skip_invalid", False),
        max_file_size=query.get("max_file_size", 16 * 1024 * 1024),
        cache_now=None,  # the parse cache is for long-lived hosts; this one exits
        fs_epoch=None,
    )
    now = datetime_record(query.get("now"))
    if command == "status":
        result = instance.get_func(store, instance.get_export_index(store, "status", queue))(store, now, scan)
    elif command == "tasks":
        task_query = record(
            statuses=query.get("statuses", []),
            min_priority=query.get("min_priority"),
            max_priority=query.get("max_priority"),
            created_from=query.get("created_from"),
            created_to=query.get("created_to"),
            workflow=query.get("workflow"),
            states=query.get("states", []),
            offset=query.get("offset", 0),
            limit=query.get("limit"),
            now=now,
        )
        result = instance.get_func(store, instance.get_export_index(store, "tasks", queue))(store, task_query, scan)
    else:
        sys.exit(f"unknown command {command!r}: use status or tasks")
    timer.cancel()

    # `result<T, error>` comes back as T, or as the error's Variant.
    if isinstance(result, Variant):
        print(json.dumps({"error": plain(result)}, indent=2))
        return 1
    print(json.dumps(plain(result), indent=2))
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
