#!/usr/bin/env python3
"""Reference verdicts from the official KCL parser (PyPI kcl-lib).

Usage: kcl_reference.py PATH... | kcl_reference.py @LISTFILE

LISTFILE holds one path per line. For each path prints one JSON line:
  {"path": ..., "ok": bool, "first_error_line": int|null, "messages": [...]}

Only syntax is judged: import-resolution findings (CannotFindModule and
its suggestions) are dropped, because a corpus file on its own has no
package around it. `first_error_line` is the smallest 1-based line of
the remaining errors.

kcl-lib keeps memory per parsed file (about 1.5 MB), so the paths are
parsed in chunks, each by a fresh worker process (this script run with
`--worker`, paths on stdin), and the memory is returned after every
chunk. Output order follows input order.
"""
import json
import subprocess
import sys

CHUNK = 300


def paths_from_argv(argv):
    for arg in argv:
        if arg.startswith("@"):
            with open(arg[1:], encoding="utf-8") as f:
                for line in f:
                    line = line.rstrip("\n")
                    if line:
                        yield line
        else:
            yield arg


def syntax_errors(api, path):
    """The parse errors of `path` as (line, column, message), in the
    parser's order (line 0 where the parser gives no position), without
    import-resolution findings."""
    from kcl_lib.api import ParseFileArgs

    parsed = api.parse_file(ParseFileArgs(path=path))
    errors = []
    for err in parsed.errors:
        if err.level != "error" or "CannotFindModule" in err.code:
            continue
        for msg in err.messages:
            errors.append((msg.pos.line, msg.pos.column, msg.msg))
    return errors


def judge(paths):
    from kcl_lib.api import API

    api = API()
    records = []
    for path in paths:
        try:
            errors = syntax_errors(api, path)
            lines = [line for line, _, _ in errors if line > 0]
            records.append({
                "path": path,
                "ok": not errors,
                "first_error_line": min(lines) if lines else None,
                "messages": ["%d:%d: %s" % e for e in errors[:8]],
            })
        except Exception as exc:  # the reference itself failed on this input
            records.append({"path": path, "ok": False, "first_error_line": None,
                            "messages": ["reference failure: %s" % exc]})
    return records


# A worker may use at most this much memory: some inputs make kcl-lib
# allocate without bound, and the worker must fail, not the machine.
WORKER_MEMORY = 4 << 30


def worker():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    paths = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for record in judge(paths):
        sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def run_worker(paths):
    """Records for `paths` from a fresh worker, or None if it died."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker"],
        input="\n".join(paths) + "\n",
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return None
    return done.stdout


def main():
    if sys.argv[1:] == ["--worker"]:
        worker()
        return
    paths = list(paths_from_argv(sys.argv[1:]))
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start:start + CHUNK]
        out = run_worker(chunk)
        if out is None:
            # Find the input that kills kcl-lib: one worker per file.
            out = ""
            for path in chunk:
                single = run_worker([path])
                if single is None:
                    record = {"path": path, "ok": False, "first_error_line": None,
                              "messages": ["reference failure: kcl-lib crashed or ran out of memory"]}
                    single = json.dumps(record) + "\n"
                out += single
        sys.stdout.write(out)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
