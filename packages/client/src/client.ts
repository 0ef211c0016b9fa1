import type { paths } from "@components-analytics/api-types";
import openapiFetch from "openapi-fetch";
import { type AccessTokenSource, toAuthorizationHeader } from "./auth.js";
import type { DownloadProgress } from "./body.js";
import { type DateInput, toApiPeriod } from "./dates.js";
import { AnalyticsDownload, type Platform } from "./download.js";
import { InvalidArgumentError } from "./errors.js";
import { attempts, createTransport, type Logger } from "./transport.js";

/** Options of {@link createAnalyticsClient}. */
export interface AnalyticsClientOptions {
  /**
   * The access token (scope `itwin-platform`): an iTwin.js `AccessToken` (`"Bearer ey..."`), a
   * bare token, or a function returning one, called once per attempt (e.g.
   * `() => authClient.getAccessToken()`). With a function, a 401 gets one retry with a fresh token.
   */
  accessToken: AccessTokenSource;
  /**
   * The API root. Default `https://api.bentley.com/library`, with `IMJS_URL_PREFIX` (e.g. `qa-`)
   * applied to the host. Plain `http:` is refused unless the host is loopback.
   */
  baseUrl?: string;
  /** Retries after the first attempt, on 429, 5xx (not 501/505), connection errors and timeouts. Default 2; 0 disables. */
  maxRetries?: number;
  /** Per attempt: the time allowed for the response headers, and the longest wait between two body chunks. Default 60 000 ms. */
  timeoutMs?: number;
  /** The longest `Retry-After` this client waits; a longer one fails at once with `RateLimitError`. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** A custom fetch (tests, proxies, an undici dispatcher). Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Appended to our own User-Agent where the runtime allows setting it (not in browsers). */
  userAgent?: string;
  /** Receives debug and warning messages (requests, retries); never a token. */
  logger?: Logger;
}

/** The download period. */
export interface DownloadPeriod {
  /** Start of the period: `Date`, ISO 8601 string (any offset; date-only is UTC midnight) or epoch ms. */
  startDate: DateInput;
  /** End of the period, same forms; not before `startDate`. */
  endDate: DateInput;
}

/** Per-call options of {@link AnalyticsClient.downloadAnalytics}. */
export interface DownloadOptions {
  /** Aborts the request, the body, and any retry wait; the promise or read rejects with `AbortError`. */
  signal?: AbortSignal;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Called as body chunks arrive. */
  onProgress?: (progress: DownloadProgress) => void;
}

/** A client of the Download analytics operation. */
export interface AnalyticsClient {
  /**
   * Requests the analytics CSV for a period and resolves once the response headers arrived;
   * the body is read through the returned {@link AnalyticsDownload}. Arguments are validated
   * before any request is sent ({@link InvalidArgumentError}).
   */
  downloadAnalytics(period: DownloadPeriod, options?: DownloadOptions): Promise<AnalyticsDownload>;
}

// openapi-fetch's CJS build has only `exports.default`; in our CJS build, Node-style interop
// hands us that module object instead of the function, so unwrap it once.
const createClient = (
  typeof openapiFetch === "function"
    ? openapiFetch
    : (openapiFetch as unknown as { default: typeof openapiFetch }).default
) as typeof openapiFetch;

const DEFAULT_HOST = "api.bentley.com";
/** Sends the vendor type (API version) and the two concrete types the response can have. */
export const ACCEPT = "application/vnd.bentley.itwin-platform.v1+json, text/csv, application/json";

function envUrlPrefix(): string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.IMJS_URL_PREFIX ?? "";
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Validates `baseUrl`, or derives the default from `IMJS_URL_PREFIX`. */
export function resolveBaseUrl(baseUrl: string | undefined): string {
  if (baseUrl === undefined) return `https://${envUrlPrefix()}${DEFAULT_HOST}/library`;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw InvalidArgumentError.of("baseUrl", `baseUrl must be an absolute URL, got "${baseUrl}".`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw InvalidArgumentError.of(
      "baseUrl",
      `baseUrl must use https (plain http only for loopback hosts), got "${url.origin}".`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw InvalidArgumentError.of(
      "baseUrl",
      "baseUrl must not carry a query, fragment or credentials.",
    );
  }
  return url.href.replace(/\/+$/, "");
}

function checkCount(target: string, value: unknown, min: number): void {
  if (
    value !== undefined &&
    !(typeof value === "number" && Number.isInteger(value) && value >= min)
  ) {
    throw InvalidArgumentError.of(
      target,
      `${target} must be a whole number ≥ ${min}, got ${String(value)}.`,
    );
  }
}

/** @internal Builds a client for a platform (Node.js or browser). */
export function createAnalyticsClientFor(
  platform: Platform,
  options: AnalyticsClientOptions,
): AnalyticsClient {
  if (typeof options !== "object" || options === null) {
    throw InvalidArgumentError.of(
      "options",
      "createAnalyticsClient needs an options object with accessToken.",
    );
  }
  const { accessToken } = options;
  if (typeof accessToken !== "function") toAuthorizationHeader(accessToken);
  const baseUrl = resolveBaseUrl(options.baseUrl);
  checkCount("maxRetries", options.maxRetries, 0);
  checkCount("timeoutMs", options.timeoutMs, 1);
  checkCount("maxRetryAfterMs", options.maxRetryAfterMs, 0);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw InvalidArgumentError.of("fetch", "No fetch implementation: pass options.fetch.");
  }
  const headers = { Accept: ACCEPT, ...platform.identify(options.userAgent) };
  const api = createClient<paths>({ baseUrl });

  return {
    async downloadAnalytics(period, callOptions = {}) {
      const query = toApiPeriod(period);
      checkCount("maxRetries", callOptions.maxRetries, 0);
      checkCount("timeoutMs", callOptions.timeoutMs, 1);
      const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs ?? 60_000;
      const transport = createTransport({
        fetch: fetchImpl,
        accessToken,
        headers,
        maxRetries: callOptions.maxRetries ?? options.maxRetries ?? 2,
        timeoutMs,
        maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
        send: platform.send,
        signal: callOptions.signal,
        logger: options.logger,
      });
      // openapi-fetch builds the typed URL; our transport sends, retries and maps errors.
      const { response } = await api.GET("/components/analytics/download", {
        params: { query },
        parseAs: "stream",
        fetch: transport,
      });
      const attempt = attempts.get(response);
      if (!attempt) throw new Error("Internal error: response without an attempt.");
      return new AnalyticsDownload({
        response,
        attempt,
        timeoutMs,
        onProgress: callOptions.onProgress,
        platform,
        startDate: query.startDate,
        endDate: query.endDate,
      });
    },
  };
}
