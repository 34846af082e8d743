// Runs the orchestrator component in Node.js, transpiled by jco, and prints
// the result as JSON.
//
//   node query.mjs TRANSPILED_DIR DATA_DIR status [QUERY_JSON]
//   node query.mjs TRANSPILED_DIR DATA_DIR tasks  [QUERY_JSON]
//
// TRANSPILED_DIR is the output of
//   jco transpile orch_guest.wasm --instantiation async --name orchestrator -o TRANSPILED_DIR
// QUERY_JSON and the output are as for ../python/query.py: snake_case WIT
// field names, timestamps as {seconds, nanoseconds}, durations in
// nanoseconds, {"error": {...}} and exit code 1 on a refusal.
//
// Every WASI import is chosen here rather than taken from the shim's
// process-wide defaults, which hand the guest the host's environment and
// arguments: an isolated filesystem with one preopen, an empty environment,
// and clocks frozen at the epoch (the guest is told "now"). Only a wait is
// real: the guest pauses while a writer finishes a file it caught
// half-written.

import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { cli, clocks, filesystem, io, random } from "@bytecodealliance/preview2-shim";

const [transpiled, dataDir, command, queryJson = "{}"] = process.argv.slice(2);
if (!transpiled || !dataDir || !["status", "tasks"].includes(command)) {
  console.error("usage: node query.mjs TRANSPILED_DIR DATA_DIR status|tasks [QUERY_JSON]");
  process.exit(2);
}
const query = JSON.parse(queryJson);

// Caution: the shim has no read-only mode; the guest could write here if it tried.
const fs = filesystem.createFilesystem({ preopens: { "/data": resolve(dataDir) } });
const imports = {
  "wasi:cli/environment": { getEnvironment: () => [], getArguments: () => [], initialCwd: () => undefined },
  "wasi:cli/exit": cli.exit,
  "wasi:cli/stdin": cli.stdin,
  "wasi:cli/stdout": cli.stdout,
  "wasi:cli/stderr": cli.stderr,
  "wasi:cli/terminal-input": cli.terminalInput,
  "wasi:cli/terminal-output": cli.terminalOutput,
  "wasi:cli/terminal-stdin": cli.terminalStdin,
  "wasi:cli/terminal-stdout": cli.terminalStdout,
  "wasi:cli/terminal-stderr": cli.terminalStderr,
  "wasi:clocks/wall-clock": {
    now: () => ({ seconds: 0n, nanoseconds: 0 }),
    resolution: () => ({ seconds: 1n, nanoseconds: 0 }),
  },
  "wasi:clocks/monotonic-clock": {
    now: () => 0n,
    resolution: () => 1_000_000_000n,
    subscribeDuration: clocks.monotonicClock.subscribeDuration,
    subscribeInstant: clocks.monotonicClock.subscribeInstant,
  },
  "wasi:filesystem/preopens": fs.preopens,
  "wasi:filesystem/types": fs.types,
  "wasi:io/error": io.error,
  "wasi:io/poll": io.poll,
  "wasi:io/streams": io.streams,
  "wasi:random/insecure-seed": random.insecureSeed,
};

const { instantiate } = await import(pathToFileURL(join(resolve(transpiled), "orchestrator.js")));
const component = await instantiate(
  (name) => readFile(join(resolve(transpiled), name)).then((bytes) => WebAssembly.compile(bytes)),
  imports,
);

function datetime(text) {
  const ms = text ? Date.parse(text) : Date.now();
  if (Number.isNaN(ms)) throw new Error(`not an RFC 3339 time: ${text}`);
  return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1_000_000 };
}

const big = (n) => (n === undefined || n === null ? undefined : BigInt(n));
const scan = {
  skipInvalid: query.skip_invalid ?? false,
  maxFileSize: big(query.max_file_size ?? 16 * 1024 * 1024),
  cacheNow: undefined, // the parse cache is for long-lived hosts; this one exits
  fsEpoch: undefined,
};
const now = datetime(query.now);

// A WIT value as JSON: snake_case keys, absent options as null, bigints as numbers.
function plain(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    if ("tag" in value && "val" in value && Object.keys(value).length === 2) return { [value.tag]: plain(value.val) };
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()), plain(v)]),
    );
  }
  return value;
}

try {
  const result =
    command === "status"
      ? component.queue.status(now, scan)
      : component.queue.tasks(
          {
            statuses: query.statuses ?? [],
            minPriority: big(query.min_priority),
            maxPriority: big(query.max_priority),
            createdFrom: query.created_from ?? undefined,
            createdTo: query.created_to ?? undefined,
            workflow: query.workflow ?? undefined,
            states: query.states ?? [],
            offset: big(query.offset ?? 0),
            limit: big(query.limit),
            now,
          },
          scan,
        );
  console.log(JSON.stringify(plain(result), null, 2));
} catch (e) {
  // jco throws a `result`'s error payload wrapped in a ComponentError.
  if (e?.payload === undefined) throw e;
  console.log(JSON.stringify({ error: plain(e.payload) }, null, 2));
  process.exitCode = 1;
}
