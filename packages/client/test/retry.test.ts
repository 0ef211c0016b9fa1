import { describe, expect, it, vi } from "vitest";
import { AbortError } from "../src/errors.js";
import { backoffMs, isRetryableStatus, parseRetryAfter, sleep } from "../src/retry.js";

describe("isRetryableStatus", () => {
  it.each([429, 500, 502, 503, 504, 599])("retries %i", (s) =>
    expect(isRetryableStatus(s)).toBe(true),
  );
  it.each([200, 400, 401, 403, 404, 422, 501, 505])("does not retry %i", (s) =>
    expect(isRetryableStatus(s)).toBe(false),
  );
});

describe("backoffMs", () => {
  it("grows exponentially, with jitter between half and the whole step, capped at 8 s", () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(10, () => 1)).toBe(8000);
    expect(backoffMs(10, () => 0)).toBe(4000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-12-04T12:00:00Z");
  it.each([
    ["1", 1000],
    [" 30 ", 30_000],
    ["0", 0],
    ["Fri, 04 Dec 2026 12:00:05 GMT", 5000],
    ["Fri, 04 Dec 2026 11:00:00 GMT", 0],
  ])("%j → %i ms", (value, ms) => expect(parseRetryAfter(value, now)).toBe(ms));
  it.each([[null], [""], ["-1"], ["1.5"], ["soon"]])("%j → undefined", (value) =>
    expect(parseRetryAfter(value, now)).toBeUndefined(),
  );
});

describe("sleep", () => {
  it("waits", async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const p = sleep(1000).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects with AbortError when the signal aborts, before or during the wait", async () => {
    await expect(sleep(10, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
    const controller = new AbortController();
    const p = sleep(60_000, controller.signal);
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
  });
});
