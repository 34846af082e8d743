#!/usr/bin/env python3
"""Reference verdicts from the official KCL evaluator (PyPI kcl-lib).

Usage: kcl_exec_reference.py PATH... | kcl_exec_reference.py @LISTFILE

LISTFILE holds one path per line. For each path prints one JSON line:
  {"path": ..., "ok": bool, "first_error_line": int|null, "message": str,
   "kind": str, "error_lines": [int, ...]}

Each file is judged alone: first parsed (ParseFile), and only if it has no
syntax errors run (ExecProgram with just that file). A file with syntax
errors gets `ok: false`, the smallest syntax error line and its message
(kind "SyntaxError"), so syntax-invalid inputs agree with
kcl_reference.py. Import-resolution findings of the parser
(CannotFindModule) are ignored there, as in kcl_reference.py; ExecProgram
then reports them if the import really cannot be resolved.

For a run that fails, `first_error_line` is the line of the first
` --> file:LINE:COL` of ExecProgram's `err_message` (ANSI colours
stripped), `message` the text of that first error's marker line (after
the `^`; empty for a failed `assert` without a message), `kind` the
error's class from the report's first line ("EvaluationError",
"TypeError", "CompileError", "ImmutableError", ...), and `error_lines` the
primary line of every error reported, in kcl-lib's order. Errors found
before evaluation (the resolver's) pre-empt evaluation, and kcl-lib lists
them by phase, not by position: immutability errors come before type
errors, so the first ` --> ` is not always the smallest line.

kcl-lib keeps memory per judged file, and some inputs make it allocate
without bound or never finish, so files are judged by fresh worker
processes (this script run with `--worker`, paths on stdin), at most CHUNK
per worker, each capped at WORKER_MEMORY of address space. A worker prints
one record per file as soon as it is judged; when it dies, or prints
nothing for FILE_TIMEOUT seconds, the file it was judging is retried alone
in a fresh worker, and if that fails too it is reported as `ok: false`
with message "reference timeout" or "reference failure: ...". The
remaining files go to a new worker. Output order follows input order.
"""
import json
import os
import re
import select
import subprocess
import sys
import time

# The syntax reference's argument reader (paths, or @LISTFILE) and its
# syntax errors, so both references judge syntax alike; this
# script's directory is on sys.path when it runs.
from kcl_reference import paths_from_argv, syntax_errors

CHUNK = 300
# Seconds a worker may spend on one file (the first also pays start-up).
FILE_TIMEOUT = 20.0
STARTUP_ALLOWANCE = 30.0
# A worker may use at most this much memory.
WORKER_MEMORY = 4 << 30

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
ARROW = re.compile(r"^\s*--> (.+):(\d+):(\d+)\s*$|^\s*--> (.+):(\d+)\s*$")
# A gutter line of a codespan report: "  |", "12 |", "  = note".
GUTTER = re.compile(r"^\s*(\d+\s*)?\|")


def first_error(report):
    """(line, message, kind) of the first error in a codespan-style report."""
    lines = ANSI.sub("", report).splitlines()
    kind = next((l.strip() for l in lines if l.strip()), "")
    kind = re.sub(r"^error(\[\w+\])?:\s*", "", kind)
    for i, l in enumerate(lines):
        m = ARROW.match(l)
        if not m:
            continue
        # The snippet: "  |", "N | code", then the marker line
        # "  |     ^ message" (or "  |  message" without a caret).
        message = ""
        seen_source = False
        for follow in lines[i + 1:]:
            if ARROW.match(follow) or not GUTTER.match(follow):
                break
            head, _, body = follow.partition("|")
            body = body.strip()
            if head.strip():
                seen_source = True
            elif seen_source and body:
                message = body.lstrip("^").strip()
                break
        if not message:
            # No marker line: the report's own text before the arrow.
            message = " ".join(t.strip() for t in lines[1:i] if t.strip())
        return int(m.group(2) or m.group(5)), message, kind
    # No position at all: the whole text.
    body = [t.strip() for t in lines if t.strip()]
    return None, " ".join(body[1:] or body), kind


def error_lines(report):
    """The primary line of every error in a report, in report order."""
    lines = ANSI.sub("", report).splitlines()
    out = []
    expect = True  # the next arrow is an error's primary position
    for l in lines:
        if re.match(r"^error(\[\w+\])?:", l.strip()):
            expect = True
            continue
        m = ARROW.match(l)
        if m and expect:
            out.append(int(m.group(2) or m.group(5)))
            expect = False
    return out


def judge_one(api, path):
    from kcl_lib.api import ExecProgramArgs

    syntax = syntax_errors(api, path)
    if syntax:
        positioned = [e for e in syntax if e[0] > 0]
        if positioned:
            line, _, message = min(positioned, key=lambda e: (e[0], e[1]))
        else:
            line, message = None, syntax[0][2]
        return {"path": path, "ok": False, "first_error_line": line, "message": message, "kind": "SyntaxError",
                "error_lines": [e[0] for e in positioned]}
    try:
        result = api.exec_program(ExecProgramArgs(k_filename_list=[path]))
        report = result.err_message
    except Exception as exc:
        # Errors found before evaluation (the resolver's: undefined names,
        # type errors, immutability) come as an exception holding the
        # same kind of report.
        report = str(exc)
        if "-->" not in ANSI.sub("", report):
            raise
    if not report:
        return {"path": path, "ok": True, "first_error_line": None, "message": "", "kind": "", "error_lines": []}
    line, message, kind = first_error(report)
    return {"path": path, "ok": False, "first_error_line": line, "message": message, "kind": kind,
            "error_lines": error_lines(report)}


def worker():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    # All of stdin first, so the parent's write never waits on us.
    paths = [line for line in sys.stdin.read().splitlines() if line.strip()]
    from kcl_lib.api import API

    api = API()
    for path in paths:
        try:
            record = judge_one(api, path)
        except Exception as exc:  # the reference itself failed on this input
            record = failure(path, "reference failure: %s" % exc)
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()


def failure(path, message):
    return {"path": path, "ok": False, "first_error_line": None, "message": message, "kind": "", "error_lines": []}


def run_worker(paths):
    """Records for a prefix of `paths` from one fresh worker, and the
    reason it stopped early ("timeout", "crash") or None."""
    proc = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    proc.stdin.write("\n".join(paths) + "\n")
    proc.stdin.close()
    records = []
    buf = ""
    deadline = time.monotonic() + FILE_TIMEOUT + STARTUP_ALLOWANCE
    reason = None
    fd = proc.stdout.fileno()
    while len(records) < len(paths):
        left = deadline - time.monotonic()
        if left <= 0:
            reason = "timeout"
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            reason = "crash"
            break
        buf += chunk.decode("utf-8", errors="replace")
        while "\n" in buf:
            line, buf = buf.split("\n", 1)
            if line.strip():
                records.append(json.loads(line))
                deadline = time.monotonic() + FILE_TIMEOUT
    if reason is not None:
        proc.kill()
    proc.wait()
    return records, reason


def judge_all(paths):
    out = []
    pending = list(paths)
    while pending:
        chunk = pending[:CHUNK]
        records, reason = run_worker(chunk)
        out.extend(records)
        pending = pending[len(records):]
        if reason is None:
            continue
        # The worker stopped on pending[0]: judge it alone to be sure.
        culprit = pending.pop(0)
        single, single_reason = run_worker([culprit])
        if single:
            out.extend(single)
        elif single_reason == "timeout":
            out.append(failure(culprit, "reference timeout"))
        else:
            out.append(failure(culprit, "reference failure: kcl-lib crashed or ran out of memory"))
    return out


def main():
    if sys.argv[1:] == ["--worker"]:
        worker()
        return
    try:
        import kcl_lib.api  # noqa: F401  (fail here, not as one "failure" per file)
    except ImportError as exc:
        sys.exit("kcl_exec_reference.py: kcl-lib is not installed in %s: %s" % (sys.executable, exc))
    paths = list(paths_from_argv(sys.argv[1:]))
    for record in judge_all(paths):
        sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
