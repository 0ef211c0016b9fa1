import { AbortError } from "./errors.js";

/** Statuses worth retrying for this idempotent GET: 429 and 5xx except 501/505 (which will not change). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** Exponential backoff with full jitter in [base/2, base]: 0.5 s, 1 s, 2 s, ... capped at 8 s. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(8_000, 500 * 2 ** retry);
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * Parses `Retry-After`: delay-seconds or an HTTP date. Returns milliseconds from `now`, or
 * `undefined` when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Waits `ms`, or rejects with {@link AbortError} as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError("The download was aborted."));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError("The download was aborted while waiting to retry."));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
