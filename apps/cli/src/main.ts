import { stat } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import {
  type AnalyticsDownload,
  VERSION as CLIENT_VERSION,
  createAnalyticsClient,
} from "@components-analytics/client";
import {
  Command,
  InvalidArgumentError as CommanderArgumentError,
  CommanderError,
  Option,
} from "commander";
import { createRowCounter } from "./count-rows.js";
import { EXIT, exitCodeFor, formatError, UsageError } from "./exit-codes.js";
import { createProgressBar, formatBytes, type Progress } from "./progress.js";

declare const __CLI_VERSION__: string | undefined;
const VERSION = typeof __CLI_VERSION__ === "string" ? __CLI_VERSION__ : "0.0.0-dev";

const EXIT_HELP = `
Exit codes:
  0    success
  2    usage or invalid arguments (also the API's HTTP 422, with its details)
  3    authentication or permission (HTTP 401/403)
  4    rate limited after retries (HTTP 429)
  5    other API or server error
  6    network error or timeout
  7    local file error (exists without --overwrite, no permission, disk full)
  130  interrupted (Ctrl-C); no partial file is left

Environment:
  ITWIN_ACCESS_TOKEN   access token (scope itwin-platform), with or without "Bearer "
  ITWIN_API_BASE_URL   API root, when --base-url is not given
  IMJS_URL_PREFIX      environment prefix of the default host, e.g. "qa-"
  DEBUG                print stack traces for errors`;

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Aborts the running command (Ctrl-C). */
  signal: AbortSignal;
}

interface DownloadFlags {
  start?: string;
  end?: string;
  last?: number;
  out?: string;
  output?: string;
  overwrite?: boolean;
  baseUrl?: string;
  retries?: number;
  timeout?: number;
  token?: string;
  quiet?: boolean;
  json?: boolean;
}

function wholeNumber(flag: string, min: number) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new CommanderArgumentError(`${flag} takes a whole number ≥ ${min}, got "${value}".`);
    }
    return Number(value);
  };
}

function parseLast(value: string): number {
  const m = /^(\d+)d$/.exec(value);
  if (!m || Number(m[1]) < 1) {
    throw new CommanderArgumentError(`--last takes a number of days such as 30d, got "${value}".`);
  }
  return Number(m[1]);
}

function period(flags: DownloadFlags): { startDate: string | number; endDate: string | number } {
  if (flags.last !== undefined) {
    if (flags.start !== undefined || flags.end !== undefined) {
      throw new UsageError("--last cannot be combined with --start/--end.");
    }
    const end = Date.now();
    return { startDate: end - flags.last * 86_400_000, endDate: end };
  }
  if (flags.start === undefined || flags.end === undefined) {
    throw new UsageError(
      "give the period with --start <date> and --end <date> (e.g. 2026-11-01, 2026-11-01T00:00:00Z, 2026-11-01T00:00:00+02:00), or --last <N>d.",
    );
  }
  return { startDate: flags.start, endDate: flags.end };
}

function token(flags: DownloadFlags, env: NodeJS.ProcessEnv): string {
  const value = flags.token ?? env.ITWIN_ACCESS_TOKEN;
  if (!value?.trim()) {
    throw new UsageError(
      "no access token: set ITWIN_ACCESS_TOKEN (recommended) or pass --token (visible to other local users). It needs the itwin-platform scope.",
    );
  }
  return value;
}

async function download(flags: DownloadFlags, io: Io): Promise<void> {
  if (flags.out !== undefined && flags.output !== undefined) {
    throw new UsageError(
      "--out and --output cannot be combined: --out is a folder, --output a file (or - for stdout).",
    );
  }
  const toStdout = flags.output === "-";
  if (toStdout && flags.json) {
    throw new UsageError("--json cannot be combined with --output -: stdout carries the CSV then.");
  }
  const human = !flags.quiet;
  const client = createAnalyticsClient({
    accessToken: token(flags, io.env),
    baseUrl: flags.baseUrl ?? (io.env.ITWIN_API_BASE_URL || undefined),
    maxRetries: flags.retries,
    timeoutMs: flags.timeout === undefined ? undefined : flags.timeout * 1000,
    userAgent: `components-analytics-cli/${VERSION}`,
    logger: human ? { warn: (message) => io.stderr.write(`warning: ${message}\n`) } : undefined,
  });

  const started = Date.now();
  const progress: Progress | undefined =
    human && io.stderr.isTTY ? createProgressBar(io.stderr) : undefined;
  let result: AnalyticsDownload;
  let bytes = 0;
  const counter = createRowCounter();
  try {
    result = await client.downloadAnalytics(period(flags), {
      signal: io.signal,
      onProgress: ({ receivedBytes, totalBytes, chunk }) => {
        bytes = receivedBytes;
        counter.push(chunk);
        progress?.update(receivedBytes, totalBytes);
      },
    });

    if (toStdout) {
      await pipeline(
        Readable.fromWeb(result.stream() as NodeReadableStream<Uint8Array>),
        io.stdout,
        {
          end: false,
        },
      );
      progress?.stop();
      if (human)
        io.stderr.write(
          `Wrote ${formatBytes(bytes)} (${result.filename}) to stdout in ${elapsed(started)}.\n`,
        );
      return;
    }

    let target: string;
    if (flags.output !== undefined) {
      target = resolve(flags.output);
    } else {
      // --out is always a folder: a trailing separator makes saveTo create it when missing.
      target = `${resolve(flags.out ?? ".")}${sep}`;
      const existing = await stat(target).catch(() => undefined);
      if (existing && !existing.isDirectory()) {
        throw new UsageError(`--out must be a folder, but ${resolve(flags.out ?? ".")} is a file.`);
      }
    }
    const path = await result.saveTo(target, { overwrite: flags.overwrite ?? false });
    progress?.stop();
    const rows = counter.rows();
    if (flags.json) {
      io.stdout.write(
        `${JSON.stringify({
          path,
          filename: result.filename,
          bytes,
          rows,
          startDate: result.startDate,
          endDate: result.endDate,
          durationMs: Date.now() - started,
          retries: result.retries,
        })}\n`,
      );
    } else {
      io.stdout.write(`${path}\n`);
    }
    if (human) {
      io.stderr.write(
        `Saved ${formatBytes(bytes)}, ${rows} rows, ${result.startDate} to ${result.endDate}, in ${elapsed(started)}.\n`,
      );
    }
  } finally {
    progress?.stop();
  }
}

function elapsed(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

async function mock(flags: { port?: number; host?: string }, io: Io): Promise<void> {
  const { startMockServer } = await import("@components-analytics/mock");
  const server = await startMockServer({ port: flags.port, host: flags.host });
  io.stdout.write(`${server.url}\n`);
  io.stderr.write(
    `Mock Download analytics API on ${server.url} (Ctrl-C to stop). Try:\n  ITWIN_ACCESS_TOKEN=x components-analytics download --last 30d --base-url ${server.url}\n`,
  );
  await new Promise<void>((resolveWait) =>
    io.signal.addEventListener("abort", () => resolveWait(), { once: true }),
  );
  await server.stop();
}

function buildProgram(io: Io, run: (action: Promise<void>) => void): Command {
  const program = new Command("components-analytics")
    .description("Download iTwin Platform component-usage analytics (Library API) as CSV.")
    .version(`${VERSION} (client ${CLIENT_VERSION})`, "-v, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText("after", EXIT_HELP);

  program
    .command("download")
    .description("Download the analytics CSV for a period and save it (or stream it to stdout).")
    .option(
      "--start <date>",
      "start of the period: 2026-11-01, 2026-11-01T00:00:00Z, or with an offset",
    )
    .option("--end <date>", "end of the period, same forms")
    .addOption(
      new Option("--last <N>d", "the N days up to now (instead of --start/--end)").argParser(
        parseLast,
      ),
    )
    .option(
      "--out <dir>",
      "folder to save into under the server's file name (default: current folder)",
    )
    .option("--output <file>", "file to save to, or - to write the CSV to stdout")
    .option("--overwrite", "replace an existing file")
    .option(
      "--base-url <url>",
      "API root (default: ITWIN_API_BASE_URL, else https://api.bentley.com/library)",
    )
    .addOption(
      new Option("--retries <n>", "retries on 429, 5xx, network errors (default 2)").argParser(
        wholeNumber("--retries", 0),
      ),
    )
    .addOption(
      new Option(
        "--timeout <seconds>",
        "per attempt, and the longest stall of the body (default 60)",
      ).argParser(wholeNumber("--timeout", 1)),
    )
    .option(
      "--token <token>",
      "access token (prefer ITWIN_ACCESS_TOKEN: a flag is visible to other local users)",
    )
    .option("-q, --quiet", "no progress or summary on stderr")
    .option("--json", "print one JSON object with the result instead of the path")
    .addHelpText(
      "after",
      `
Examples:
  ITWIN_ACCESS_TOKEN=... components-analytics download --start 2026-11-01 --end 2026-12-01 --out ./reports
  components-analytics download --last 7d --output - > week.csv
  components-analytics download --last 30d --json
${EXIT_HELP}`,
    )
    .action((flags: DownloadFlags) => run(download(flags, io)));

  program
    .command("mock")
    .description("Serve the bundled mock of the API (Prism) until Ctrl-C.")
    .addOption(
      new Option("--port <n>", "port (default: a free one)").argParser(wholeNumber("--port", 0)),
    )
    .option("--host <h>", "interface (default 127.0.0.1)")
    .action((flags: { port?: number; host?: string }) => run(mock(flags, io)));

  return program;
}

/** Runs the CLI and resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let action: Promise<void> | undefined;
  const program = buildProgram(io, (a) => {
    action = a;
  });
  try {
    await program.parseAsync(argv);
    if (action) await action;
    else if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version")
        return EXIT.ok;
      if (error.code === "commander.help") return EXIT.ok;
      return EXIT.usage; // commander already printed the message
    }
    const code = exitCodeFor(error);
    if (code === EXIT.interrupted) {
      io.stderr.write("\nInterrupted: stopped the download; no partial file was left.\n");
    } else {
      io.stderr.write(`${formatError(error)}\n`);
    }
    if (io.env.DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return code;
  }
}
