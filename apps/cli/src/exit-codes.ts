import {
  AbortError,
  AnalyticsApiError,
  AuthenticationError,
  ConnectionError,
  FileError,
  InvalidArgumentError,
  InvalidRequestError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
} from "@components-analytics/client";

/** The CLI's exit codes; documented in --help and the README. */
export const EXIT = {
  ok: 0,
  usage: 2,
  auth: 3,
  rateLimited: 4,
  api: 5,
  network: 6,
  file: 7,
  interrupted: 130,
} as const;

/** A usage error found by the CLI itself (flags), exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const FLAG_FOR: Record<string, string> = {
  startDate: "--start",
  endDate: "--end",
  accessToken: "ITWIN_ACCESS_TOKEN / --token",
  baseUrl: "--base-url",
  maxRetries: "--retries",
  timeoutMs: "--timeout",
};

export function exitCodeFor(error: unknown): number {
  // The API's 422 is about the arguments too: fixing the command line is what helps.
  if (
    error instanceof UsageError ||
    error instanceof InvalidArgumentError ||
    error instanceof InvalidRequestError
  ) {
    return EXIT.usage;
  }
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError)
    return EXIT.auth;
  if (error instanceof RateLimitError) return EXIT.rateLimited;
  if (error instanceof AnalyticsApiError) return EXIT.api;
  if (error instanceof ConnectionError || error instanceof TimeoutError) return EXIT.network;
  if (error instanceof FileError) return EXIT.file;
  if (error instanceof AbortError) return EXIT.interrupted;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EPIPE" || code === "ENOSPC" || code === "EACCES") return EXIT.file;
  return 1;
}

function clock(ms: number): string {
  return new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** One clear line (plus details for a 422 and a hint where one helps); never a token. */
export function formatError(error: unknown): string {
  const lines: string[] = [];
  if (error instanceof InvalidArgumentError) {
    for (const d of error.details) {
      const flag = d.target ? FLAG_FOR[d.target] : undefined;
      // "startDate must be ..." reads better as "--start must be ..." on a command line.
      const message =
        flag && d.target && d.message.startsWith(d.target)
          ? `${flag}${d.message.slice(d.target.length)}`
          : `${flag ? `${flag}: ` : ""}${d.message}`;
      lines.push(`error: ${message}`);
    }
    return lines.join("\n");
  }
  if (error instanceof FileError && error.code === "EEXIST") {
    return `error: ${error.path} already exists (use --overwrite to replace it, or choose another --out/--output).`;
  }
  lines.push(`error: ${(error as Error)?.message ?? String(error)}`);
  if (error instanceof AnalyticsApiError) {
    if (error.details.length && !(error instanceof InvalidArgumentError)) {
      lines[0] = `error: HTTP ${error.status} ${error.code}`;
      for (const d of error.details) {
        lines.push(`  - ${d.target ?? "request"}: ${d.message} (${d.code})`);
      }
    }
    if (error.requestId) lines.push(`  request id: ${error.requestId}`);
  }
  if (error instanceof AuthenticationError) {
    lines.push(
      "hint: the token must be a valid iTwin Platform access token with the itwin-platform scope; get a fresh one.",
    );
  } else if (error instanceof PermissionDeniedError) {
    lines.push(
      'hint: you must be an Organization Administrator or have the "View Analytics" permission at organization level.',
    );
  } else if (error instanceof RateLimitError && error.retryAfterMs !== undefined) {
    lines.push(
      `hint: rate limited; retry after ${Math.ceil(error.retryAfterMs / 1000)} s (${clock(error.retryAfterMs)}).`,
    );
  } else if (error instanceof RateLimitError) {
    lines.push("hint: rate limited; retry in a minute.");
  }
  return lines.join("\n");
}
