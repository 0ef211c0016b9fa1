import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AbortError,
  AnalyticsApiError,
  AuthenticationError,
  ConnectionError,
  createAnalyticsClient,
  type DownloadProgress,
  FileError,
  InvalidArgumentError,
  InvalidRequestError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from "../src/index.js";
import { CSV, csv, json, period, startServer, type TestServer } from "./helpers/server.js";

const TOKEN = "s3cr3t-t0ken-value";
let servers: TestServer[] = [];
let dir: string;

async function server(...handlers: Parameters<typeof startServer>) {
  const s = await startServer(...handlers);
  servers.push(s);
  return s;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ca-fault-"));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function expectNoToken(error: unknown) {
  const text = [
    String(error),
    (error as Error).stack,
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
  ].join("\n");
  expect(text).not.toContain(TOKEN);
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("requests", () => {
  it("sends the production Accept, a Bearer token and our User-Agent", async () => {
    const s = await server(csv());
    const client = createAnalyticsClient({
      accessToken: TOKEN,
      baseUrl: s.url,
      userAgent: "my-job/1.0",
    });
    const download = await client.downloadAnalytics(period);
    expect(await download.text()).toBe(CSV);
    const headers = s.requests[0];
    expect(headers?.accept).toBe(
      "application/vnd.bentley.itwin-platform.v1+json, text/csv, application/json",
    );
    expect(headers?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers?.["user-agent"]).toMatch(
      /^components-analytics-client\/\S+ node\/\S+ my-job\/1\.0$/,
    );
  });

  it("sends startDate and endDate in the API's exact format", async () => {
    const urls: string[] = [];
    const s = await server((req, res, n) => {
      urls.push(req.url ?? "");
      csv()(req, res, n);
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: `${s.url}/library/` });
    await (
      await client.downloadAnalytics({
        startDate: "2026-11-01T02:00:00+02:00",
        endDate: Date.UTC(2026, 10, 30),
      })
    ).text();
    expect(urls[0]).toBe(
      "/library/components/analytics/download?startDate=2026-11-01T00%3A00%3A00.000Z&endDate=2026-11-30T00%3A00%3A00.000Z",
    );
  });

  it("applies IMJS_URL_PREFIX to the default host", async () => {
    vi.stubEnv("IMJS_URL_PREFIX", "qa-");
    try {
      const seen: string[] = [];
      const client = createAnalyticsClient({
        accessToken: TOKEN,
        fetch: async (input) => {
          seen.push(String(input));
          return new Response(CSV, { status: 200, headers: { "content-type": "text/csv" } });
        },
      });
      await (await client.downloadAnalytics(period)).text();
      expect(seen[0]).toMatch(
        /^https:\/\/qa-api\.bentley\.com\/library\/components\/analytics\/download\?/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("refuses bad arguments before any request is sent", async () => {
    const fetch = vi.fn();
    const make = (o: object) => createAnalyticsClient({ accessToken: TOKEN, fetch, ...o });
    expect(() => make({ baseUrl: "http://example.com" })).toThrow(InvalidArgumentError);
    expect(() => make({ baseUrl: "not a url" })).toThrow(/absolute URL/);
    expect(() => make({ accessToken: "" })).toThrow(/accessToken is missing/);
    expect(() => make({ maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => make({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    const client = make({ baseUrl: "http://127.0.0.1:9" });
    await expect(
      client.downloadAnalytics({ startDate: "2026-12-01", endDate: "2026-11-01" }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      client.downloadAnalytics({ startDate: "yesterday", endDate: "2026-11-01" }),
    ).rejects.toMatchObject({
      details: [{ code: "InvalidValue", target: "startDate" }],
    });
    const provider = createAnalyticsClient({
      accessToken: async () => "",
      fetch,
      baseUrl: "http://127.0.0.1:9",
    });
    await expect(provider.downloadAnalytics(period)).rejects.toThrow(InvalidArgumentError);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("retries", () => {
  it("429 ×2 with Retry-After: 1, then 200: waits the server's time and succeeds", async () => {
    const limited = json(
      429,
      { error: { code: "TooManyRequests", message: "Slow down." } },
      { "Retry-After": "1" },
    );
    const s = await server(limited, limited, csv());
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const started = Date.now();
    const download = await client.downloadAnalytics(period);
    const elapsed = Date.now() - started;
    expect(await download.text()).toBe(CSV);
    expect(s.requests).toHaveLength(3);
    expect(download.retries).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const s = await server(
      (req, res, n) =>
        json(
          429,
          { error: { code: "TooManyRequests", message: "x" } },
          {
            "Retry-After": new Date(Date.now() + 2000).toUTCString(),
          },
        )(req, res, n),
      csv(),
    );
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const started = Date.now();
    await (await client.downloadAnalytics(period)).text();
    expect(s.requests).toHaveLength(2);
    // The date has whole-second precision: the wait is between 1 and 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("fails at once with RateLimitError when Retry-After exceeds the cap", async () => {
    const s = await server(
      json(
        429,
        { error: { code: "TooManyRequests", message: "Later." } },
        { "Retry-After": "3600" },
      ),
    );
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const started = Date.now();
    const error = await caught(client.downloadAnalytics(period));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect((error as RateLimitError).code).toBe("TooManyRequests");
    expect(error.message).toMatch(/3600 s/);
    expect(s.requests).toHaveLength(1);
  });

  it("gives up with RateLimitError after maxRetries", async () => {
    const s = await server(
      json(429, { error: { code: "TooManyRequests", message: "x" } }, { "Retry-After": "0" }),
    );
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url, maxRetries: 1 });
    const error = await caught(client.downloadAnalytics(period));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(0);
    expect(s.requests).toHaveLength(2);
  });

  it("503 ×2 then 200: retries with backoff", async () => {
    const unavailable = json(503, { error: { code: "ServiceUnavailable", message: "busy" } });
    const s = await server(unavailable, unavailable, csv());
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const started = Date.now();
    expect(await (await client.downloadAnalytics(period)).text()).toBe(CSV);
    expect(s.requests).toHaveLength(3);
    // Backoff: 250-500 ms, then 500-1000 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });

  it("does not retry 501, nor anything when maxRetries is 0", async () => {
    const s = await server(json(501, { error: { code: "NotImplemented", message: "no" } }));
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    await expect(client.downloadAnalytics(period)).rejects.toBeInstanceOf(ServerError);
    expect(s.requests).toHaveLength(1);
    const s2 = await server(json(503, { error: { code: "Busy", message: "no" } }));
    const client2 = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s2.url, maxRetries: 0 });
    await expect(client2.downloadAnalytics(period)).rejects.toBeInstanceOf(ServerError);
    expect(s2.requests).toHaveLength(1);
  });

  it("retries a refused connection, then fails with ConnectionError", async () => {
    const s = await server(csv());
    const url = s.url;
    await s.close();
    servers = [];
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: url, maxRetries: 1 });
    const error = await caught(client.downloadAnalytics(period));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expectNoToken(error);
  });

  it("aborts when the caller's signal fires while the token provider runs", async () => {
    const s = await server(csv());
    const controller = new AbortController();
    const client = createAnalyticsClient({
      baseUrl: s.url,
      accessToken: async () => {
        controller.abort();
        return TOKEN;
      },
    });
    const error = await caught(client.downloadAnalytics(period, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(s.requests).toHaveLength(0);
  });

  it("aborts a retry wait when the caller's signal fires", async () => {
    const s = await server(
      json(429, { error: { code: "TooManyRequests", message: "x" } }, { "Retry-After": "30" }),
    );
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await caught(client.downloadAnalytics(period, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(s.requests).toHaveLength(1);
  });
});

describe("error bodies", () => {
  it("maps an HTML 502 from a gateway to ServerError with a useful message", async () => {
    const s = await server((_req, res) => {
      res.writeHead(502, { "Content-Type": "text/html" });
      res.end("<html><body>Bad gateway</body></html>");
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url, maxRetries: 0 });
    const error = await caught(client.downloadAnalytics(period));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 502, code: "Http502", details: [] });
    expect(error.message).toBe(
      "HTTP 502 Bad Gateway: the server answered with a text/html body instead of the documented JSON error.",
    );
  });

  it("maps a malformed JSON 422 to InvalidRequestError", async () => {
    const s = await server(json(422, '{"error": {"code": "Invalid'));
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const error = await caught(client.downloadAnalytics(period));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 422, code: "Http422", details: [] });
  });

  it("maps an empty 403 body", async () => {
    const s = await server((_req, res) => {
      res.writeHead(403);
      res.end();
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const error = await caught(client.downloadAnalytics(period));
    expect(error.name).toBe("PermissionDeniedError");
    expect(error.message).toMatch(/empty body/);
  });

  it("keeps the documented 422 details and the request id, without credentials in headers", async () => {
    const s = await server(
      json(
        422,
        {
          error: {
            code: "InvalidDownloadAnalyticsRequest",
            message: "Cannot perform operation.",
            details: [{ code: "InvalidValue", message: "Bad.", target: "endDate" }],
          },
        },
        { "X-Correlation-Id": "abc-123", "Set-Cookie": "session=secret" },
      ),
    );
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const error = (await caught(client.downloadAnalytics(period))) as InvalidRequestError;
    expect(error.details).toEqual([{ code: "InvalidValue", message: "Bad.", target: "endDate" }]);
    expect(error.requestId).toBe("abc-123");
    expect(error.headers["set-cookie"]).toBeUndefined();
    expect(error.message).toBe(
      "HTTP 422 Unprocessable Entity: InvalidDownloadAnalyticsRequest: Cannot perform operation. (endDate: Bad.)",
    );
    expect(error.toJSON()).toMatchObject({
      name: "InvalidRequestError",
      status: 422,
      requestId: "abc-123",
    });
  });
});

describe("auth", () => {
  it("rotates the token on a 401 when a provider was given, once", async () => {
    const s = await server((req, res, n) => {
      if (req.headers.authorization === "Bearer fresh") return csv()(req, res, n);
      json(401, { error: { code: "InvalidToken", message: "expired" } })(req, res, n);
    });
    const tokens = ["stale", "fresh"];
    const provider = vi.fn(async () => `Bearer ${tokens.shift() ?? "never"}`);
    const client = createAnalyticsClient({ accessToken: provider, baseUrl: s.url });
    expect(await (await client.downloadAnalytics(period)).text()).toBe(CSV);
    expect(s.requests.map((h) => h.authorization)).toEqual(["Bearer stale", "Bearer fresh"]);
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it("fails with AuthenticationError after the one refresh, and with a static token at once", async () => {
    const s = await server(json(401, { error: { code: "HeaderNotFound", message: "no" } }));
    const rotating = createAnalyticsClient({ accessToken: async () => TOKEN, baseUrl: s.url });
    const error = await caught(rotating.downloadAnalytics(period));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(s.requests).toHaveLength(2);
    expectNoToken(error);
    const fixed = createAnalyticsClient({ accessToken: `Bearer ${TOKEN}`, baseUrl: s.url });
    await expect(fixed.downloadAnalytics(period)).rejects.toBeInstanceOf(AuthenticationError);
    expect(s.requests).toHaveLength(3);
  });
});

describe("redirects", () => {
  it("follows a same-origin redirect with the token", async () => {
    const s = await server((req, res, n) => {
      if (req.url?.startsWith("/moved")) return csv()(req, res, n);
      res.writeHead(302, { Location: "/moved/file.csv" });
      res.end();
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    expect(await (await client.downloadAnalytics(period)).text()).toBe(CSV);
    expect(s.requests.map((h) => h.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it("refuses a cross-origin redirect: the other server never sees the token", async () => {
    const other = await server(csv());
    const s = await server((_req, res) => {
      res.writeHead(307, { Location: `${other.url}/steal` });
      res.end();
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const error = await caught(client.downloadAnalytics(period));
    expect(error).toBeInstanceOf(AnalyticsApiError);
    expect(error).toMatchObject({ status: 307, code: "RedirectNotAllowed" });
    expect(other.requests).toHaveLength(0);
    expectNoToken(error);
  });
});

describe("timeouts", () => {
  it("fails with TimeoutError when headers never come", async () => {
    const s = await server(() => {
      /* never answers */
    });
    const client = createAnalyticsClient({
      accessToken: TOKEN,
      baseUrl: s.url,
      timeoutMs: 300,
      maxRetries: 0,
    });
    const started = Date.now();
    const error = await caught(client.downloadAnalytics(period));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(300);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("retries a timed-out attempt", async () => {
    const s = await server(() => {}, csv());
    const client = createAnalyticsClient({
      accessToken: TOKEN,
      baseUrl: s.url,
      timeoutMs: 300,
      maxRetries: 1,
    });
    expect(await (await client.downloadAnalytics(period)).text()).toBe(CSV);
    expect(s.requests).toHaveLength(2);
  });

  it("fails with TimeoutError when the body stalls, leaving no file", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": "1000" });
      res.write("a,b\n1,2\n");
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url, timeoutMs: 300 });
    const download = await client.downloadAnalytics(period);
    const error = await caught(download.saveTo(dir));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/stalled/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("does not count a slow consumer against the idle timeout", async () => {
    const s = await server(csv());
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url, timeoutMs: 200 });
    const download = await client.downloadAnalytics(period);
    await new Promise((r) => setTimeout(r, 500));
    expect(await download.text()).toBe(CSV);
  });
});

describe("body failures", () => {
  it("maps a connection reset mid-body to ConnectionError and leaves no file", async () => {
    const s = await server((req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": "100000" });
      res.write("a,b\n".repeat(1000), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const download = await client.downloadAnalytics(period);
    const error = await caught(download.saveTo(dir));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(await readdir(dir)).toEqual([]);
    expectNoToken(error);
  });

  it("aborts mid-body with AbortError and leaves no file", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv" });
      res.write("a,b\n");
    });
    const controller = new AbortController();
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const download = await client.downloadAnalytics(period, { signal: controller.signal });
    const saving = download.saveTo(dir);
    setTimeout(() => controller.abort(), 100);
    expect(await caught(saving)).toBeInstanceOf(AbortError);
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports progress with the known total and the chunks as they arrive", async () => {
    const s = await server(csv());
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const progress: DownloadProgress[] = [];
    const download = await client.downloadAnalytics(period, {
      onProgress: (p) => progress.push(p),
    });
    expect(download.contentLength).toBe(CSV.length);
    await download.text();
    expect(progress.at(-1)).toMatchObject({ receivedBytes: CSV.length, totalBytes: CSV.length });
    expect(Buffer.concat(progress.map((p) => p.chunk)).toString()).toBe(CSV);
  });

  it("reads the body once", async () => {
    const s = await server(csv());
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const download = await client.downloadAnalytics(period);
    await download.text();
    expect(() => download.stream()).toThrow(/already read/);
  });
});

describe("saveTo", () => {
  const hostile = [
    "../../x.csv",
    "..\\..\\x.csv",
    "C:\\x.csv",
    "/etc/passwd",
    ".",
    "..",
    "a\u0000b.csv",
    `${"n".repeat(10_000)}.csv`,
    "CON",
    "..%2F..%2Fevil.csv",
  ];
  it.each(hostile)(
    "saves a hostile server name %j inside the folder under a safe name",
    async (name) => {
      const s = await server((_req, res) => {
        res.writeHead(200, {
          "Content-Type": "text/csv",
          // Header values cannot hold NUL: send it percent-encoded in filename*.
          "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        });
        res.end(CSV);
      });
      const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
      const download = await client.downloadAnalytics(period);
      const path = await download.saveTo(dir);
      expect(path.startsWith(`${dir}/`)).toBe(true);
      const entries = await readdir(dir);
      expect(entries).toHaveLength(1);
      expect(join(dir, entries[0] as string)).toBe(path);
      expect(entries[0]).not.toMatch(/[/\\:]|^\.|^con$/i);
      expect(entries[0]).not.toContain(String.fromCharCode(0));
      expect(Buffer.byteLength(entries[0] as string)).toBeLessThanOrEqual(200);
      expect(await readFile(path, "utf8")).toBe(CSV);
    },
  );

  it("uses the dated default name when the server sends none", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv" });
      res.end(CSV);
    });
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const path = await (await client.downloadAnalytics(period)).saveTo(dir);
    expect(path).toBe(join(dir, "components-analytics_2026-11-01_2026-11-30.csv"));
  });

  it("never overwrites unless asked, and names the path", async () => {
    const s = await server(csv("new\n"));
    await writeFile(join(dir, "report.csv"), "old\n");
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const error = await caught((await client.downloadAnalytics(period)).saveTo(dir));
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: "EEXIST", path: join(dir, "report.csv") });
    expect(error.message).toContain(join(dir, "report.csv"));
    expect(await readFile(join(dir, "report.csv"), "utf8")).toBe("old\n");
    const path = await (await client.downloadAnalytics(period)).saveTo(dir, { overwrite: true });
    expect(await readFile(path, "utf8")).toBe("new\n");
    expect(await readdir(dir)).toEqual(["report.csv"]);
  });

  it("saves to an explicit file path, and creates a folder given with a trailing slash", async () => {
    const s = await server(csv());
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const file = join(dir, "mine.csv");
    expect(await (await client.downloadAnalytics(period)).saveTo(file)).toBe(file);
    const nested = join(dir, "a", "b");
    expect(await (await client.downloadAnalytics(period)).saveTo(`${nested}/`)).toBe(
      join(nested, "report.csv"),
    );
  });

  it("maps a missing parent folder to FileError ENOENT and leaves nothing behind", async () => {
    const s = await server(csv());
    const client = createAnalyticsClient({ accessToken: TOKEN, baseUrl: s.url });
    const error = await caught(
      (await client.downloadAnalytics(period)).saveTo(join(dir, "missing", "x.csv")),
    );
    expect(error).toMatchObject({ name: "FileError", code: "ENOENT" });
    expect(await readdir(dir)).toEqual([]);
  });
});
