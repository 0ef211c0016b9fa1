/** One entry of an error's `details`: the same `{ code, message, target }` shape as the API's 422. */
export interface ErrorDetail {
  /** A machine-readable code, such as `MissingRequiredParameter` or `InvalidValue`. */
  code: string;
  /** A human-readable description. */
  message: string;
  /** What the detail is about, usually a parameter name such as `startDate`. */
  target?: string | null;
}

// Response headers that may carry secrets are never kept on an error.
const SENSITIVE_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);
const REQUEST_ID_HEADERS = ["x-correlation-id", "x-request-id", "request-id", "x-ms-request-id"];

/** The base class of every error this package throws. */
export class AnalyticsClientError extends Error {
  /** Always `"AnalyticsClientError"`. */
  override name = "AnalyticsClientError";

  /** A plain-object view for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    const { stack: _stack, cause: _cause, ...own } = this as unknown as Record<string, unknown>;
    return { ...own, name: this.name, message: this.message };
  }
}

/**
 * Thrown before any request is sent when an argument is invalid. `details` has the same shape
 * as an {@link InvalidRequestError}'s, so callers can handle both one way.
 */
export class InvalidArgumentError extends AnalyticsClientError {
  /** Always `"InvalidArgumentError"`. */
  override name = "InvalidArgumentError";
  /** Always `InvalidArgument`. */
  readonly code = "InvalidArgument";
  /** One entry per invalid argument, `target` naming it. */
  readonly details: ErrorDetail[];
  /** The first invalid argument's name. */
  readonly target: string | undefined;

  constructor(details: ErrorDetail[]) {
    super(details.map((d) => d.message).join(" "));
    this.details = details;
    this.target = details[0]?.target ?? undefined;
  }

  /** A single invalid argument. */
  static of(target: string, message: string, code = "InvalidValue"): InvalidArgumentError {
    return new InvalidArgumentError([{ code, message, target }]);
  }
}

/** Options of an {@link AnalyticsApiError}. */
export interface ApiErrorInit {
  /** The HTTP status code. */
  status: number;
  /** The error code. */
  code: string;
  /** The full message. */
  message: string;
  /** Per-parameter details. */
  details?: ErrorDetail[];
  /** What the error is about. */
  target?: string | null;
  /** The response headers (credentials are dropped). */
  headers?: Headers;
}

/** An HTTP error answered by the API (or a gateway in front of it). */
export class AnalyticsApiError extends AnalyticsClientError {
  /** Always `"AnalyticsApiError"`. */
  override name = "AnalyticsApiError";
  /** The HTTP status code. */
  readonly status: number;
  /** The server's error code (`error.code`), or a code we chose when the body was not the documented JSON. */
  readonly code: string;
  /** The server's `error.details`; empty when there were none. */
  readonly details: ErrorDetail[];
  /** The server's `error.target`, when it sent one. */
  readonly target: string | undefined;
  /** The request id the server sent (`X-Correlation-Id`, `X-Request-Id`, ...), for support requests. */
  readonly requestId: string | undefined;
  /** The response headers, lower-cased, without cookies or credentials. */
  readonly headers: Record<string, string>;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.target = init.target ?? undefined;
    this.headers = {};
    for (const [name, value] of init.headers ?? []) {
      if (!SENSITIVE_HEADERS.has(name)) this.headers[name] = value;
    }
    this.requestId = REQUEST_ID_HEADERS.map((h) => this.headers[h]).find(Boolean);
  }
}

/** 401: the token is missing, expired, from the wrong issuer, or lacks the `itwin-platform` scope. */
export class AuthenticationError extends AnalyticsApiError {
  /** Always `"AuthenticationError"`. */
  override name = "AuthenticationError";
}

/** 403: the user is not an Organization Administrator and lacks the "View Analytics" permission. */
export class PermissionDeniedError extends AnalyticsApiError {
  /** Always `"PermissionDeniedError"`. */
  override name = "PermissionDeniedError";
}

/** 422: the server rejected the parameters; `details` has one entry per parameter. */
export class InvalidRequestError extends AnalyticsApiError {
  /** Always `"InvalidRequestError"`. */
  override name = "InvalidRequestError";
}

/** 429: rate limited, after any retries. `retryAfterMs` says when the server allows the next request. */
export class RateLimitError extends AnalyticsApiError {
  /** Always `"RateLimitError"`. */
  override name = "RateLimitError";
  /** How long the server asked us to wait (from `Retry-After`), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(init: ApiErrorInit & { retryAfterMs?: number | undefined }) {
    super(init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx: the server or a gateway failed, after any retries. */
export class ServerError extends AnalyticsApiError {
  /** Always `"ServerError"`. */
  override name = "ServerError";
}

/** The connection failed: DNS, refused, reset (also mid-body), TLS. */
export class ConnectionError extends AnalyticsClientError {
  /** Always `"ConnectionError"`. */
  override name = "ConnectionError";
}

/** No response headers within `timeoutMs`, or the body stalled for longer than `timeoutMs`. */
export class TimeoutError extends AnalyticsClientError {
  /** Always `"TimeoutError"`. */
  override name = "TimeoutError";
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` aborted the download (during a request, a body read, or a retry wait). */
export class AbortError extends AnalyticsClientError {
  /** Always `"AbortError"`. */
  override name = "AbortError";
}

/** A local file operation of `saveTo` failed: the file exists, no permission, disk full, ... */
export class FileError extends AnalyticsClientError {
  /** Always `"FileError"`. */
  override name = "FileError";
  /** The Node.js error code, such as `EEXIST`, `EACCES` or `ENOSPC`. */
  readonly code: string;
  /** The path the operation was about. */
  readonly path: string;
  constructor(message: string, code: string, path: string) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((d) => ({
    code: typeof d.code === "string" ? d.code : "Unknown",
    message: typeof d.message === "string" ? d.message : "",
    target: typeof d.target === "string" ? d.target : null,
  }));
}

/**
 * Builds the error for a non-2xx response from its body text. The documented body is
 * `{"error": {code, message, target?, details?}}`, but the docs warn that it may be absent
 * (gateways answer HTML, empty bodies, ...), so anything else still yields the right class.
 */
export function errorFromResponse(
  response: Response,
  bodyText: string,
  retryAfterMs?: number,
  note = "",
): AnalyticsApiError {
  const status = response.status;
  // The server's reason phrase (HTTP/1.1); HTTP/2 has none.
  const statusLine = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : undefined;

  let init: ApiErrorInit;
  if (error && typeof error.code === "string") {
    const details = toDetails(error.details);
    const serverMessage = typeof error.message === "string" ? error.message : "";
    const detailText = details.length
      ? ` (${details.map((d) => (d.target ? `${d.target}: ${d.message}` : d.message)).join("; ")})`
      : "";
    init = {
      status,
      code: error.code,
      message: `${statusLine}: ${error.code}: ${serverMessage}${detailText}${note}`,
      details,
      target: typeof error.target === "string" ? error.target : null,
      headers: response.headers,
    };
  } else {
    const type = response.headers.get("content-type")?.split(";")[0] || "no content type";
    const what = bodyText.trim()
      ? `a ${type} body instead of the documented JSON error`
      : "an empty body";
    init = {
      status,
      code: `Http${status}`,
      message: `${statusLine}: the server answered with ${what}.${note}`,
      headers: response.headers,
    };
  }

  if (status === 401) return new AuthenticationError(init);
  if (status === 403) return new PermissionDeniedError(init);
  if (status === 422) return new InvalidRequestError(init);
  if (status === 429) return new RateLimitError({ ...init, retryAfterMs });
  if (status >= 500) return new ServerError(init);
  return new AnalyticsApiError(init);
}
