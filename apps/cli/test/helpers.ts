import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startServer } from "../../../scripts/test-server.js";

export const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
export const TOKEN = "e2e-s3cr3t-t0ken";

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Runs the built bin as a child process, as a user or cron would. */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    onSpawn?: (child: ChildProcess) => void;
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({
      ...process.env,
      ITWIN_ACCESS_TOKEN: TOKEN,
      ...options.env,
    })) {
      if (v !== undefined && k !== "DEBUG" && k !== "IMJS_URL_PREFIX" && k !== "ITWIN_API_BASE_URL")
        env[k] = v;
    }
    for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({
        code,
        signal,
        stdout: stdoutBytes.toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        stdoutBytes,
      });
    });
    options.onSpawn?.(child);
  });
}

export { startServer } from "../../../scripts/test-server.js";

/** Forwards to the Prism mock, adding `Prefer` so Prism answers a chosen documented response. */
export function preferProxy(mockUrl: string, prefer: string) {
  return startServer(async (req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === "string" && k !== "host") headers.set(k, v);
    headers.set("Prefer", prefer);
    const upstream = await fetch(`${mockUrl}${req.url}`, { headers });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (
        k !== "content-length" &&
        k !== "transfer-encoding" &&
        k !== "connection" &&
        k !== "keep-alive"
      )
        out[k] = v;
    });
    res.writeHead(upstream.status, out);
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
}
