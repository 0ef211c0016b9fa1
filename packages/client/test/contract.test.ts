import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  AuthenticationError,
  createAnalyticsClient,
  InvalidRequestError,
  PermissionDeniedError,
  RateLimitError,
} from "../src/index.js";

// Prism answers forced errors through the Prefer header; a custom fetch adds it, which is also
// how users point the client at proxies or test doubles.
const withPrefer =
  (prefer: string): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("Prefer", prefer);
    return fetch(input, { ...init, headers });
  };
const period = { startDate: "2026-11-01", endDate: "2026-11-30T23:59:59.999Z" };

describe("against the Prism mock", () => {
  it("downloads the spec's CSV: file name, rows and saved bytes", async () => {
    const client = createAnalyticsClient({
      accessToken: "Bearer mock",
      baseUrl: inject("mockUrl"),
    });
    const download = await client.downloadAnalytics(period);
    expect(download.filename).toBe("ComponentsAnalytics_2026-11-01_2026-11-30.csv");
    expect(download.contentType).toMatch(/^text\/csv/);
    const rows = [];
    for await (const row of download.rows()) rows.push(row);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatchObject({ ComponentName: "Door, single swing", Count: "1" });
    expect(rows[4]).toMatchObject({ ComponentName: 'Bench "Park" 2m' });

    const dir = await mkdtemp(join(tmpdir(), "ca-contract-"));
    const path = await (await client.downloadAnalytics(period)).saveTo(dir);
    expect(path).toBe(join(dir, "ComponentsAnalytics_2026-11-01_2026-11-30.csv"));
    expect((await readFile(path, "utf8")).split("\n")[0]).toBe(
      "Date,UserEmail,CatalogName,ComponentName,VariationName,Action,Application,Count",
    );
  });

  it("maps the 401 to AuthenticationError with the documented code", async () => {
    // A token is required by the client, so drop the header on the way out to reach Prism's 401.
    const client = createAnalyticsClient({
      accessToken: "mock",
      baseUrl: inject("mockUrl"),
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.delete("Authorization");
        return fetch(input, { ...init, headers });
      },
    });
    await expect(client.downloadAnalytics(period)).rejects.toMatchObject({
      constructor: AuthenticationError,
      status: 401,
      code: "HeaderNotFound",
      message:
        "HTTP 401 Unauthorized: HeaderNotFound: Header Authorization was not found in the request. Access denied.",
    });
  });

  it("maps the 403 to PermissionDeniedError", async () => {
    const client = createAnalyticsClient({
      accessToken: "mock",
      baseUrl: inject("mockUrl"),
      fetch: withPrefer("code=403"),
    });
    await expect(client.downloadAnalytics(period)).rejects.toMatchObject({
      constructor: PermissionDeniedError,
      status: 403,
      code: "InsufficientPermissions",
    });
  });

  it("maps the 422 to InvalidRequestError with per-parameter details", async () => {
    const client = createAnalyticsClient({
      accessToken: "mock",
      baseUrl: inject("mockUrl"),
      fetch: withPrefer("code=422, example=invalidEndDate"),
    });
    await expect(client.downloadAnalytics(period)).rejects.toMatchObject({
      constructor: InvalidRequestError,
      status: 422,
      code: "InvalidDownloadAnalyticsRequest",
      details: [
        {
          code: "InvalidValue",
          message:
            "Parameter 'endDate' format is incorrect, valid format is yyyy-MM-dd'T'HH:mm:ss.fff'Z'.",
          target: "endDate",
        },
      ],
    });
  });

  it("maps the 429 to RateLimitError with Retry-After, after no retries when maxRetries is 0", async () => {
    const client = createAnalyticsClient({
      accessToken: "mock",
      baseUrl: inject("mockUrl"),
      fetch: withPrefer("code=429"),
      maxRetries: 0,
    });
    await expect(client.downloadAnalytics(period)).rejects.toMatchObject({
      constructor: RateLimitError,
      status: 429,
      code: "TooManyRequests",
      retryAfterMs: 10_000,
    });
  });
});
