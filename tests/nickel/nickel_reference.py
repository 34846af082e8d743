#!/usr/bin/env python3
"""Reference verdicts from the official Nickel implementation (PyPI py-nickel).

Usage:
  nickel_reference.py [--import-path DIR]... [--timeout SECS] [--value] PATH...
  nickel_reference.py [--import-path DIR]... [--timeout SECS] [--value] < PATHS

With no PATH arguments, paths are read from standard input, one per line
(an argument `@LISTFILE` reads them from LISTFILE instead). For each path one
JSON line is printed, in input order:

  {"path": ..., "ok": bool,
   "first_error_file": str|null, "first_error_line": int|null,
   "first_error_column": int|null, "message": str|null, "report": str|null,
   "labels": [...]}

`ok` is the verdict of `nickel export PATH` (Nickel 1.18: parse, typecheck,
full evaluation, serialization to JSON). For a rejected file, `message` is
the headline of the first error (`error: X` gives `X`), `report` is the whole
report (ANSI colours removed, file names as described below), and
`first_error_*` is the location (1-based line and column) of the first
error's primary label (the `^^^` one), see README.md, section "Oracle".
With `--value`, an accepted file's record also has "value": the exported
JSON value. `labels` lists every `┌─` location of the first error as
`{"file", "line", "column", "primary": bool}` in report order.

Imports resolve exactly as with `nickel export PATH`: relative to the
directory of the importing file first, then in the directories given with
`--import-path DIR` (or `-I DIR`), then in the colon-separated directories
of the environment variable NICKEL_IMPORT_PATH.

How: py-nickel only evaluates a source string (named `python` in reports),
so each file is evaluated as the one-line program `import "/abs/path"`.
The file is then a real file to Nickel: its own imports resolve relative to
its directory, its name appears in the reports, and its format follows its
extension as with the CLI. The wrapper's only trace in a report (an
`imported here` label on `python:1:1` under parse errors) is removed.
Absolute file names in reports are rewritten: the checked file becomes PATH
as given, other files under the current directory become relative to it.

Each evaluation runs in a worker process (this script with `--worker`)
capped at 4 GiB of address space and --timeout seconds (default 10); a file
that takes longer gives {"ok": false, "message": "timeout"}, one that kills
the worker gives {"ok": false, "message": "crash: ..."}; the worker is then
replaced and the remaining files go on.
"""
import json
import os
import re
import selectors
import subprocess
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HEADLINE = re.compile(r"^(error|warning|note|help|bug)(\[[^\]]*\])?: ?(.*)$")
HEADER = re.compile(r"^\s*┌─ (.*):(\d+):(\d+)\s*$")
# A label line: gutter without a line number, then the label markers.
LABEL_LINE = re.compile(r"^\s*│(.*)$")
MARKERS = set(" │─╭╰╯╮^-'·")
WRAPPER = "python"
MEMORY_LIMIT = 4 << 30


# ---------------------------------------------------------------- worker ---

def worker_main():
    """Evaluate one absolute path per request line; answer one JSON line."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except Exception:
        pass
    import nickel

    for line in sys.stdin:
        req = json.loads(line)
        path = req["abs"]
        lit = path.replace("\\", "\\\\").replace('"', '\\"').replace("%", "\\%")
        try:
            out = nickel.run('import "%s"' % lit, req["import_paths"] or None)
            resp = {"ok": True, "report": None, "value": out if req.get("value") else None}
        except Exception as exc:  # nickel.NickelException: a codespan report
            resp = {"ok": False, "report": str(exc)}
        sys.stdout.write(json.dumps(resp) + "\n")
        sys.stdout.flush()


class Worker:
    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", bufsize=1)
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)

    def ask(self, req, timeout):
        """The worker's answer, or a string saying why there is none."""
        try:
            self.proc.stdin.write(json.dumps(req) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return "crash: worker gone"
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            if self.sel.select(left):
                line = self.proc.stdout.readline()
                if not line:
                    rc = self.proc.wait()
                    return "crash: worker exited with %s" % (
                        "signal %d" % -rc if rc < 0 else "status %d" % rc)
                return json.loads(line)

    def kill(self):
        try:
            self.proc.kill()
        except OSError:
            pass
        self.proc.wait()
        self.sel.close()

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()


# ---------------------------------------------------------- report parse ---

def split_diagnostics(lines):
    """[(severity, headline, [body lines])] in report order."""
    diags = []
    for line in lines:
        m = HEADLINE.match(line)
        if m and not line.startswith(" "):
            diags.append((m.group(1), m.group(3), []))
        elif diags:
            diags[-1][2].append(line)
    return diags


def label_groups(body):
    """Every `┌─ file:line:col` of one diagnostic, with whether its group
    (the lines up to the next `┌─`) holds a primary (`^`) label."""
    groups = []
    for line in body:
        m = HEADER.match(line)
        if m:
            groups.append({"file": m.group(1), "line": int(m.group(2)),
                           "column": int(m.group(3)), "primary": False})
            continue
        if not groups:
            continue
        lm = LABEL_LINE.match(line)
        if lm:
            prefix = []
            for ch in lm.group(1):
                if ch not in MARKERS:
                    break
                prefix.append(ch)
            if "^" in prefix:
                groups[-1]["primary"] = True
    return groups


def pseudo(name):
    return name.startswith("<")


def drop_wrapper_groups(lines):
    """Remove the `┌─ python:1:1 ... imported here` group of parse errors."""
    out = []
    i = 0
    while i < len(lines):
        m = HEADER.match(lines[i])
        if m and m.group(1) == WRAPPER:
            j = i + 1
            while j < len(lines) and not HEADER.match(lines[j]) \
                    and not HEADLINE.match(lines[j]) and lines[j].strip() != "" \
                    and not lines[j].lstrip().startswith("= "):
                j += 1
            # The gutter line before the group stays only if notes follow.
            notes_follow = j < len(lines) and lines[j].lstrip().startswith("= ")
            if out and out[-1].strip() == "│" and not notes_follow:
                out.pop()
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def display_name(name, abs_path, given):
    if name == abs_path:
        return given
    if os.path.isabs(name):
        cwd = os.getcwd()
        rel = os.path.relpath(name, cwd)
        if not rel.startswith(".."):
            return rel
    return name


def rename(text, abs_path, given):
    def fix(m):
        return "┌─ %s:%s:%s" % (display_name(m.group(1), abs_path, given), m.group(2), m.group(3))
    text = re.sub(r"┌─ (.*?):(\d+):(\d+)", fix, text)
    return text.replace("when parsing %s" % abs_path, "when parsing %s" % given)


def record_for(path, abs_path, answer):
    rec = {"path": path, "ok": False, "first_error_file": None, "first_error_line": None,
           "first_error_column": None, "message": None, "report": None, "labels": []}
    if isinstance(answer, str):
        rec["message"] = answer
        return rec
    if answer["ok"]:
        rec["ok"] = True
        if answer.get("value") is not None:
            rec["value"] = json.loads(answer["value"])
        return rec
    raw = ANSI.sub("", answer["report"])
    lines = drop_wrapper_groups(raw.split("\n"))
    text = rename("\n".join(lines).rstrip("\n") + "\n", abs_path, path)
    rec["report"] = text
    diags = split_diagnostics(text.split("\n"))
    first = next((d for d in diags if d[0] == "error"), diags[0] if diags else None)
    if first is None:
        rec["message"] = text.strip().split("\n")[0] if text.strip() else "error"
        return rec
    rec["message"] = first[1]
    groups = label_groups(first[2])
    rec["labels"] = groups
    chosen = next((g for g in groups if g["primary"]), None) \
        or next((g for g in groups if not pseudo(g["file"])), None) \
        or (groups[0] if groups else None)
    if chosen:
        rec["first_error_file"] = chosen["file"]
        rec["first_error_line"] = chosen["line"]
        rec["first_error_column"] = chosen["column"]
    return rec


# ------------------------------------------------------------------ main ---

def parse_args(argv):
    import_paths, paths, timeout, value = [], [], 10.0, False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--import-path", "-I"):
            i += 1
            import_paths.append(argv[i])
        elif a.startswith("--import-path="):
            import_paths.append(a.split("=", 1)[1])
        elif a == "--timeout":
            i += 1
            timeout = float(argv[i])
        elif a.startswith("--timeout="):
            timeout = float(a.split("=", 1)[1])
        elif a == "--value":
            value = True
        elif a == "--":
            paths.extend(argv[i + 1:])
            break
        elif a.startswith("@"):
            with open(a[1:], encoding="utf-8") as f:
                paths.extend(l.rstrip("\n") for l in f if l.strip())
        else:
            paths.append(a)
        i += 1
    return import_paths, paths, timeout, value


def main(argv):
    if argv[:1] == ["--worker"]:
        worker_main()
        return 0
    import_paths, paths, timeout, value = parse_args(argv)
    if not paths:
        paths = [l.rstrip("\n") for l in sys.stdin if l.strip()]
    env = os.environ.get("NICKEL_IMPORT_PATH")
    if env:
        import_paths.extend(p for p in env.split(":") if p)
    import_paths = [os.path.abspath(p) for p in import_paths]

    worker = None
    for path in paths:
        abs_path = os.path.abspath(path)
        if not os.path.isfile(abs_path):
            rec = record_for(path, abs_path, {"ok": False, "report": "error: no such file: %s\n" % path})
        else:
            if worker is None:
                worker = Worker()
            answer = worker.ask({"abs": abs_path, "import_paths": import_paths, "value": value},
                                timeout)
            if isinstance(answer, str):
                worker.kill()
                worker = None
            rec = record_for(path, abs_path, answer)
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if worker is not None:
        worker.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
