import { type AccessTokenSource, resolveAuthorization } from "./auth.js";
import {
  AbortError,
  AnalyticsApiError,
  AnalyticsClientError,
  ConnectionError,
  errorFromResponse,
  RateLimitError,
  TimeoutError,
} from "./errors.js";
import { backoffMs, isRetryableStatus, parseRetryAfter, sleep } from "./retry.js";

/** Receives debug and warning messages; never a token. */
export interface Logger {
  debug?(message: string, meta?: Record<string, unknown>): void;
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
  /** `"manual"` to apply our redirect policy (Node); `"follow"` where the runtime protects Authorization (browsers). */
  redirect: "manual" | "follow";
  signal: AbortSignal | undefined;
  logger: Logger | undefined;
  random?: () => number;
}

/** The live attempt behind a successful response: the body reader uses it for idle timeouts. */
export interface Attempt {
  /** Aborts the underlying request (and so its body) with the given reason. */
  abort(reason: AnalyticsClientError): void;
  /** The error that aborted the attempt, if we aborted it. */
  readonly reason: AnalyticsClientError | undefined;
  /** How many retries it took to get here. */
  readonly retries: number;
}

/** Attempts behind the responses the transport returned (openapi-fetch only passes the Response on). */
export const attempts = new WeakMap<Response, Attempt>();

const MAX_REDIRECTS = 5;
const BENTLEY_API_HOST = /^(?:[a-z0-9-]+-)?api\.bentley\.com$/i;

/** Same origin as the request, or an https iTwin Platform API host (`api.bentley.com`, `qa-api.bentley.com`, ...). */
export function isRedirectAllowed(from: URL, to: URL): boolean {
  if (to.origin === from.origin) return true;
  return to.protocol === "https:" && BENTLEY_API_HOST.test(to.hostname);
}

function linkSignal(controller: AbortController, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => {};
  const onAbort = () => controller.abort(new AbortError("The download was aborted."));
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

/** Turns whatever fetch or a body read threw into our error classes. */
export function toClientError(
  error: unknown,
  attempt: { reason?: AnalyticsClientError | undefined },
): AnalyticsClientError {
  if (error instanceof AnalyticsClientError) return error;
  if (attempt.reason) return attempt.reason;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail =
    cause?.code ?? cause?.message ?? (error as Error | undefined)?.message ?? String(error);
  const wrapped = new ConnectionError(`The connection to the API failed: ${detail}.`);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

async function readErrorBody(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch {
    return "";
  }
}

/**
 * A `fetch` for openapi-fetch that sends each attempt as a fresh request with a fresh token,
 * applies the per-attempt timeout, the redirect policy and the retry policy, and throws our
 * typed errors for anything but a 2xx.
 */
export function createTransport(config: TransportConfig): typeof globalThis.fetch {
  const log = config.logger;
  return async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    let retries = 0;
    let refreshedAfter401 = false;

    for (;;) {
      if (config.signal?.aborted) throw new AbortError("The download was aborted.");
      const authorization = await resolveAuthorization(config.accessToken);
      const controller = new AbortController();
      const attempt: { reason?: AnalyticsClientError } = {};
      const abort = (reason: AnalyticsClientError) => {
        attempt.reason ??= reason;
        controller.abort(reason);
      };
      const unlink = linkSignal(controller, config.signal);
      controller.signal.addEventListener(
        "abort",
        () => {
          if (!attempt.reason) attempt.reason = controller.signal.reason as AnalyticsClientError;
        },
        { once: true },
      );
      const headerTimer = setTimeout(
        () =>
          abort(
            new TimeoutError(
              `No response from the API within ${config.timeoutMs} ms.`,
              config.timeoutMs,
            ),
          ),
        config.timeoutMs,
      );

      let response: Response;
      let target = url;
      try {
        for (let hop = 0; ; hop++) {
          log?.debug?.("GET", { url: target.href, attempt: retries + 1 });
          response = await config.fetch(target, {
            method: "GET",
            headers: { ...config.headers, Authorization: authorization },
            redirect: config.redirect,
            signal: controller.signal,
          });
          if (config.redirect === "follow" || response.status < 300 || response.status > 399) break;
          const location = response.headers.get("location");
          if (!location) break;
          await response.body?.cancel();
          const next = new URL(location, target);
          if (hop >= MAX_REDIRECTS || !isRedirectAllowed(url, next)) {
            throw new AnalyticsApiError({
              status: response.status,
              code: hop >= MAX_REDIRECTS ? "TooManyRedirects" : "RedirectNotAllowed",
              message:
                hop >= MAX_REDIRECTS
                  ? `Stopped after ${MAX_REDIRECTS} redirects.`
                  : `Refused to follow a redirect to ${next.origin}: only the same origin or https iTwin Platform API hosts are followed, so the access token never reaches another server.`,
              headers: response.headers,
            });
          }
          target = next;
        }
      } catch (error) {
        clearTimeout(headerTimer);
        unlink();
        const mapped = toClientError(error, attempt);
        const retryable = mapped instanceof ConnectionError || mapped instanceof TimeoutError;
        if (retryable && retries < config.maxRetries) {
          const wait = backoffMs(retries, config.random);
          log?.warn?.(`${mapped.message} Retrying in ${wait} ms.`, { retry: retries + 1 });
          await sleep(wait, config.signal);
          retries++;
          continue;
        }
        throw mapped;
      }
      clearTimeout(headerTimer);

      if (response.ok) {
        attempts.set(response, {
          abort,
          get reason() {
            return attempt.reason;
          },
          retries,
        });
        // The caller's signal stays linked: it must still abort the body.
        return response;
      }

      // An error response: read its (small) body under the same timeout, then decide.
      const bodyTimer = setTimeout(
        () =>
          abort(
            new TimeoutError(
              `The API's error body stalled for ${config.timeoutMs} ms.`,
              config.timeoutMs,
            ),
          ),
        config.timeoutMs,
      );
      const body = await readErrorBody(response);
      clearTimeout(bodyTimer);
      unlink();
      if (config.signal?.aborted) throw new AbortError("The download was aborted.");
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      const error = errorFromResponse(response, body, retryAfterMs);

      if (
        response.status === 401 &&
        typeof config.accessToken === "function" &&
        !refreshedAfter401
      ) {
        refreshedAfter401 = true;
        log?.warn?.("HTTP 401: asking the token provider for a fresh token and retrying once.");
        continue;
      }
      if (!isRetryableStatus(response.status) || retries >= config.maxRetries) throw error;
      if (retryAfterMs !== undefined && retryAfterMs > config.maxRetryAfterMs) {
        if (error instanceof RateLimitError) {
          throw new RateLimitError({
            status: error.status,
            code: error.code,
            message: `${error.message} The server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the ${Math.round(config.maxRetryAfterMs / 1000)} s this client waits (maxRetryAfterMs).`,
            details: error.details,
            target: error.target,
            headers: response.headers,
            retryAfterMs,
          });
        }
        throw error;
      }
      const wait = retryAfterMs ?? backoffMs(retries, config.random);
      log?.warn?.(`${error.message} Retrying in ${wait} ms.`, {
        retry: retries + 1,
        status: response.status,
      });
      await sleep(wait, config.signal);
      retries++;
    }
  };
}
