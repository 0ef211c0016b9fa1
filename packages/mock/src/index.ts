import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** Port to listen on. Default: a free port chosen on `host`. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** Path of the OpenAPI file to serve. Default: the spec bundled with `@components-analytics/api-types`. */
  specPath?: string;
  /** Run Prism with `--errors`, which answers 500 when a spec example does not match its schema. Default `true`. */
  errors?: boolean;
  /** Rejects when Prism is not listening within this many milliseconds. Default `30_000`. */
  startTimeoutMs?: number;
  /** Grace period between SIGTERM and SIGKILL in {@link MockServer.stop}. Default `3_000`. */
  stopGraceMs?: number;
  /** Receives every line Prism prints (for debugging). */
  onOutput?: (line: string) => void;
}

/** A running Prism mock of the Download analytics API. */
export interface MockServer {
  /** The API root, usable directly as the client's `baseUrl`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The port Prism listens on. */
  readonly port: number;
  /** The host Prism listens on. */
  readonly host: string;
  /** Stops Prism: SIGTERM, then SIGKILL after the grace period. Resolves once the process has exited. */
  stop(): Promise<void>;
}

/** The error {@link startMockServer} rejects with; `output` holds what Prism printed. */
export class MockServerError extends Error {
  override readonly name = "MockServerError";
  /** Everything Prism printed before it failed. */
  readonly output: string;
  constructor(message: string, output: string) {
    super(output ? `${message}\n${output}` : message);
    this.output = output;
  }
}

/** Absolute path of the OpenAPI spec bundled with `@components-analytics/api-types`. */
export function bundledSpecPath(): string {
  return require.resolve("@components-analytics/api-types/spec/library-analytics.openapi.yaml");
}

function prismBinPath(): string {
  const pkgJson = require.resolve("@stoplight/prism-cli/package.json");
  const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as { bin: { prism: string } };
  return join(dirname(pkgJson), pkg.bin.prism);
}

/** Asks the OS for a port that is free on `host` right now. */
export function getFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// Prism children still alive; killed synchronously if this process exits first, so that a
// crashed test run never leaves a Prism process behind.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
}

const urlHost = (host: string) => (host.includes(":") ? `[${host}]` : host);

/**
 * Starts Prism serving the Download analytics spec on a free loopback port.
 * Resolves when Prism is listening; rejects with {@link MockServerError} (carrying Prism's
 * output) when it exits or does not start in time.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? "127.0.0.1";
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = options.port ?? (await getFreePort(host));
    try {
      return await startOnce(host, port, options);
    } catch (error) {
      lastError = error;
      // Another process may have taken the free port between our probe and Prism's bind.
      if (!(error instanceof MockServerError && /EADDRINUSE/.test(error.output))) throw error;
    }
  }
  throw lastError;
}

function startOnce(host: string, port: number, options: MockServerOptions): Promise<MockServer> {
  const args = [prismBinPath(), "mock", "-h", host, "-p", String(port)];
  if (options.errors ?? true) args.push("--errors");
  args.push(options.specPath ?? bundledSpecPath());

  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  track(child);

  let output = "";
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const grace = options.stopGraceMs ?? 3_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, grace);
      }),
    ]);
    clearTimeout(timer);
    await exited;
  };

  return new Promise<MockServer>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new MockServerError(message, output.trim())));
    };
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (!settled) output += text; // kept for start-up errors only: a long-lived mock logs every request
      if (options.onOutput) for (const line of text.split("\n")) if (line) options.onOutput(line);
      if (!settled && /Prism is listening/.test(output)) {
        settled = true;
        clearTimeout(timer);
        resolve({ url: `http://${urlHost(host)}:${port}`, port, host, stop });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => fail(`Prism could not be started: ${error.message}`));
    child.once("exit", (code, signal) =>
      fail(`Prism exited before it was listening (code ${code}, signal ${signal})`),
    );
    const timer = setTimeout(
      () => fail(`Prism was not listening within ${options.startTimeoutMs ?? 30_000} ms`),
      options.startTimeoutMs ?? 30_000,
    );
  });
}
