import { type AccessTokenSource, resolveAuthorization } from "./auth.js";
import {
  AbortError,
  AnalyticsClientError,
  ConnectionError,
  errorFromResponse,
  TimeoutError,
} from "./errors.js";
import { backoffMs, isRetryableStatus, parseRetryAfter, sleep } from "./retry.js";

/** Receives debug and warning messages; never a token. */
export interface Logger {
  /** Each request attempt (method, URL, attempt number). */
  debug?(message: string, meta?: Record<string, unknown>): void;
  /** Each retry, with the reason and the wait. */
  warn?(message: string, meta?: Record<string, unknown>): void;
}

/** Everything one download's requests need; resolved from client and call options. */
export interface TransportConfig {
  fetch: typeof globalThis.fetch;
  accessToken: AccessTokenSource;
  headers: Record<string, string>;
  maxRetries: number;
  timeoutMs: number;
  maxRetryAfterMs: number;
  /** Sends one attempt, applying the platform's redirect policy. */
  send: Send;
  signal: AbortSignal | undefined;
  logger: Logger | undefined;
  random?: () => number;
}

/** The live attempt behind a successful response: the body reader uses it for idle timeouts. */
export interface Attempt {
  /** Aborts the underlying request (and so its body) with the given reason. */
  abort(reason: AnalyticsClientError): void;
  /** Aborted, with our error as the reason, when we or the caller stopped the attempt. */
  readonly signal: AbortSignal;
  /** How many retries it took to get here. */
  readonly retries: number;
}

/** Attempts behind the responses the transport returned (openapi-fetch only passes the Response on). */
export const attempts = new WeakMap<Response, Attempt>();

/** Sends one attempt's request (following redirects as the platform allows). */
export type Send = (
  fetch: typeof globalThis.fetch,
  url: URL,
  init: RequestInit,
) => Promise<Response>;

/** Turns whatever fetch or a body read threw into our error classes. */
export function toClientError(error: unknown, signal: AbortSignal): AnalyticsClientError {
  if (error instanceof AnalyticsClientError) return error;
  if (signal.reason instanceof AnalyticsClientError) return signal.reason;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error | undefined)?.message;
  const wrapped = new ConnectionError(`The connection to the API failed: ${detail}.`);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

/**
 * A `fetch` for openapi-fetch that sends each attempt as a fresh request with a fresh token,
 * applies the per-attempt timeout, the redirect policy and the retry policy, and throws our
 * typed errors for anything but a 2xx.
 */
export function createTransport(config: TransportConfig): typeof globalThis.fetch {
  const { logger: log, signal: callerSignal, timeoutMs } = config;
  return async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    let retries = 0;
    let refreshedAfter401 = false;

    for (;;) {
      if (callerSignal?.aborted) throw new AbortError("The download was aborted.");
      const authorization = await resolveAuthorization(config.accessToken);
      const controller = new AbortController();
      const abort = (reason: AnalyticsClientError) => controller.abort(reason);
      const onCallerAbort = () => abort(new AbortError("The download was aborted."));
      callerSignal?.addEventListener("abort", onCallerAbort);
      if (callerSignal?.aborted) onCallerAbort(); // aborted while the token provider ran
      // Covers the response headers and, for an error, its (small) body.
      const timer = setTimeout(
        () =>
          abort(new TimeoutError(`No response from the API within ${timeoutMs} ms.`, timeoutMs)),
        timeoutMs,
      );
      let error: AnalyticsClientError;
      let retryable: boolean;
      let retryAfterMs: number | undefined;
      let succeeded = false;
      try {
        log?.debug?.("GET", { url: url.href, attempt: retries + 1 });
        const response = await config.send(config.fetch, url, {
          method: "GET",
          headers: { ...config.headers, Authorization: authorization },
          signal: controller.signal,
        });
        if (response.ok) {
          succeeded = true; // the caller's signal stays linked: it must still abort the body
          attempts.set(response, { abort, signal: controller.signal, retries });
          return response;
        }
        const body = await response.text().catch(() => "");
        if (controller.signal.aborted) throw controller.signal.reason;
        retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
        const overCap = retryAfterMs !== undefined && retryAfterMs > config.maxRetryAfterMs;
        error = errorFromResponse(
          response,
          body,
          retryAfterMs,
          overCap
            ? ` Retry-After ${Math.ceil((retryAfterMs as number) / 1000)} s exceeds maxRetryAfterMs (${config.maxRetryAfterMs / 1000} s).`
            : "",
        );
        if (
          response.status === 401 &&
          typeof config.accessToken === "function" &&
          !refreshedAfter401
        ) {
          refreshedAfter401 = true;
          log?.warn?.("HTTP 401: retrying once with a fresh token.");
          continue;
        }
        retryable = isRetryableStatus(response.status) && !overCap;
      } catch (thrown) {
        error = toClientError(thrown, controller.signal);
        retryable = error instanceof ConnectionError || error instanceof TimeoutError;
      } finally {
        clearTimeout(timer);
        if (!succeeded) callerSignal?.removeEventListener("abort", onCallerAbort);
      }
      if (!retryable || retries >= config.maxRetries) throw error;
      const wait = retryAfterMs ?? backoffMs(retries, config.random);
      log?.warn?.(`${error.message} Retrying in ${wait} ms.`, { retry: retries + 1 });
      await sleep(wait, callerSignal);
      retries++;
    }
  };
}
