import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { preferProxy, runCli, startServer, TOKEN } from "./helpers.js";

const PERIOD = ["--start", "2026-11-01", "--end", "2026-11-30T23:59:59.999Z"];
let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ca-cli-"));
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

function expectNoToken(result: { stdout: string; stderr: string }) {
  expect(result.stdout).not.toContain(TOKEN);
  expect(result.stderr).not.toContain(TOKEN);
}

/** `components-analytics download` for PERIOD into `dir` from `base`, plus any extra flags. */
function downloadTo(base: string, ...extra: Array<string | Parameters<typeof runCli>[1]>) {
  const flags = extra.filter((e): e is string => typeof e === "string");
  const options = extra.find((e) => typeof e === "object");
  return runCli(["download", ...PERIOD, "--out", dir, "--base-url", base, ...flags], options);
}

async function server(handler: Parameters<typeof startServer>[0]) {
  const s = await startServer(handler);
  cleanups.push(s.close);
  return s;
}

async function proxy(prefer: string) {
  const p = await preferProxy(inject("mockUrl"), prefer);
  cleanups.push(p.close);
  return p.url;
}

describe("--help and --version", () => {
  it("documents commands, exit codes and environment", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/download \[options\]/);
    expect(result.stdout).toMatch(/130\s+interrupted/);
    expect(result.stdout).toMatch(/ITWIN_ACCESS_TOKEN/);
    const download = await runCli(["download", "--help"]);
    expect(download.stdout).toMatch(/--last <N>d/);
    const version = await runCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+.* \(client \d+\.\d+\.\d+/);
  });
});

describe("against the Prism mock", () => {
  it("saves the CSV and prints only its absolute path on stdout", async () => {
    const result = await downloadTo(inject("mockUrl"));
    expect(result.code).toBe(0);
    const path = join(dir, "ComponentsAnalytics_2026-11-01_2026-11-30.csv");
    expect(result.stdout).toBe(`${path}\n`);
    expect((await readFile(path, "utf8")).startsWith("Date,UserEmail,")).toBe(true);
    expect(result.stderr).toMatch(/Saved 634 B, 5 rows/);
  });

  it("prints one JSON object with --json", async () => {
    const result = await runCli(["download", "--last", "30d", "--out", dir, "--json", "--quiet"], {
      env: { ITWIN_API_BASE_URL: inject("mockUrl") },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const json = JSON.parse(result.stdout);
    expect(json).toEqual({
      path: join(dir, "ComponentsAnalytics_2026-11-01_2026-11-30.csv"),
      filename: "ComponentsAnalytics_2026-11-01_2026-11-30.csv",
      bytes: 634,
      rows: 5,
      startDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      endDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      durationMs: expect.any(Number),
      retries: 0,
    });
    expect(Date.parse(json.endDate) - Date.parse(json.startDate)).toBe(30 * 86_400_000);
  });

  it.each([
    ["code=401", 3, /HTTP 401 Unauthorized: HeaderNotFound/, /itwin-platform scope/],
    ["code=403", 3, /InsufficientPermissions/, /View Analytics/],
    ["code=429", 4, /TooManyRequests/, /retry after 10 s/],
  ])("maps %s to exit %i", async (prefer, code, message, hint) => {
    const result = await downloadTo(await proxy(prefer), "--retries", "0");
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(hint);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expectNoToken(result);
    expect(await readdir(dir)).toEqual([]);
  });

  it("prints the 422's code and per-parameter details, exit 2", async () => {
    const result = await downloadTo(await proxy("code=422"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: HTTP 422 InvalidDownloadAnalyticsRequest");
    expect(result.stderr).toContain(
      "  - startDate: Required parameter is missing. (MissingRequiredParameter)",
    );
    expect(result.stderr).toContain(
      "  - endDate: Parameter 'endDate' format is incorrect, valid format is yyyy-MM-dd'T'HH:mm:ss.fff'Z'. (InvalidValue)",
    );
    expectNoToken(result);
  });
});

describe("the mock command", () => {
  it("serves the bundled mock until SIGINT, then exits 0 and leaves no Prism behind", async () => {
    let url = "";
    let status = 0;
    const result = await runCli(["mock"], {
      onSpawn: (child) => {
        child.stdout?.on("data", async (chunk: Buffer) => {
          if (url) return;
          url = chunk.toString().trim();
          const response = await fetch(
            `${url}/components/analytics/download?startDate=2026-11-01T00:00:00.000Z&endDate=2026-11-02T00:00:00.000Z`,
            { headers: { Authorization: "Bearer x", Accept: "text/csv, application/json" } },
          );
          status = response.status;
          await response.text();
          child.kill("SIGINT");
        });
      },
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(status).toBe(200);
    expect(result.code).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});

describe("usage errors (exit 2, before any request)", () => {
  it.each([
    [["download", "--start", "2026-11-01"], /--start <date> and --end <date>/],
    [
      ["download", "--start", "tomorrow", "--end", "2026-11-01"],
      /--start must be an ISO 8601 date/,
    ],
    [["download", "--start", "2026-12-01", "--end", "2026-11-01"], /must not be after endDate/],
    [["download", "--last", "30"], /--last takes a number of days such as 30d/],
    [["download", "--last", "7d", "--start", "2026-11-01"], /cannot be combined/],
    [["download", "--last", "7d", "--retries", "-1"], /--retries/],
    [
      ["download", "--last", "7d", "--out", "a", "--output", "b"],
      /--out and --output cannot be combined/,
    ],
    [["download", "--last", "7d", "--base-url", "http://example.com"], /--base-url must use https/],
    [["download", "--bogus"], /unknown option '--bogus'/],
    [["nope"], /unknown command 'nope'/],
  ])("%j", async (args, message) => {
    const s = await server((_req, res) => res.end());
    const result = await runCli(args, { env: { ITWIN_API_BASE_URL: s.url } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(s.requests).toHaveLength(0);
  });

  it("says how to provide a token when there is none", async () => {
    const result = await runCli(["download", "--last", "1d"], { env: { ITWIN_ACCESS_TOKEN: "" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set ITWIN_ACCESS_TOKEN .* or pass --token/);
  });
});

describe("against a fault server", () => {
  const CSV = 'a,b\n1,2\n"x\ny",3\n';
  const csvHandler =
    (name = "report.csv", body = CSV) =>
    (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(200, {
        "Content-Type": "text/csv",
        "Content-Length": Buffer.byteLength(body),
        "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      });
      res.end(body);
    };

  it("connection reset mid-body: exit 6 and no file", async () => {
    const s = await server((req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": "1000000" });
      res.write("a,b\n".repeat(1000), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const result = await downloadTo(s.url);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^error: The connection to the API failed/m);
    expect(await readdir(dir)).toEqual([]);
    expectNoToken(result);
  });

  it("network refused: exit 6 after retries", async () => {
    const s = await server(csvHandler());
    const url = s.url;
    await s.close();
    const result = await downloadTo(url, "--retries", "1");
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
    expectNoToken(result);
  });

  it("existing file without --overwrite: exit 7 and the old file untouched", async () => {
    const s = await server(csvHandler());
    await writeFile(join(dir, "report.csv"), "old");
    const result = await downloadTo(s.url);
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/report\.csv already exists \(use --overwrite/);
    expect(await readFile(join(dir, "report.csv"), "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["report.csv"]);
    const again = await downloadTo(s.url, "--overwrite");
    expect(again.code).toBe(0);
    expect(await readFile(join(dir, "report.csv"), "utf8")).toBe(CSV);
  });

  it.each(["../../evil.csv", "/etc/passwd", "..\\..\\x.csv", "CON", ".."])(
    "hostile server file name %j is saved safely inside --out",
    async (name) => {
      const s = await server(csvHandler(name));
      const out = join(dir, "out");
      const result = await runCli(["download", ...PERIOD, "--out", out, "--base-url", s.url]);
      expect(result.code).toBe(0);
      const path = result.stdout.trim();
      expect(path.startsWith(`${out}/`)).toBe(true);
      expect(await readdir(dir)).toEqual(["out"]);
      expect(await readdir(out)).toHaveLength(1);
      expect(await readFile(path, "utf8")).toBe(CSV);
    },
  );

  it("--output - streams byte-identical CSV and nothing else to stdout", async () => {
    const body = Buffer.from(
      Array.from({ length: 20_000 }, (_, i) => `${i},"q""${i}",€\n`).join(""),
    );
    const s = await server(csvHandler("big.csv", body.toString()));
    const result = await runCli(["download", ...PERIOD, "--output", "-", "--base-url", s.url]);
    expect(result.code).toBe(0);
    expect(createHash("sha256").update(result.stdoutBytes).digest("hex")).toBe(
      createHash("sha256").update(body).digest("hex"),
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("--output <file> saves under that name and counts quoted multi-line rows right", async () => {
    const s = await server(csvHandler());
    const file = join(dir, "mine.csv");
    const result = await runCli([
      "download",
      ...PERIOD,
      "--output",
      file,
      "--json",
      "--base-url",
      s.url,
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      path: file,
      filename: "report.csv",
      rows: 2,
      bytes: CSV.length,
    });
  });

  it("SIGINT mid-download: exit 130 and no partial file", async () => {
    let started: () => void = () => {};
    const bodyStarted = new Promise<void>((r) => {
      started = r;
    });
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": "100000000" });
      res.write("a,b\n".repeat(10_000), () => started());
    });
    const result = await downloadTo(s.url, {
      onSpawn: (child) => {
        void bodyStarted.then(() => setTimeout(() => child.kill("SIGINT"), 200));
      },
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/Interrupted/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("HTML 502 from a gateway: exit 5 with a useful line", async () => {
    const s = await server((_req, res) => {
      res.writeHead(502, { "Content-Type": "text/html" });
      res.end("<html>bad gateway</html>");
    });
    const result = await downloadTo(s.url, "--retries", "0");
    expect(result.code).toBe(5);
    expect(result.stderr).toBe(
      "error: HTTP 502 Bad Gateway: the server answered with a text/html body instead of the documented JSON error.\n",
    );
  });

  it("prints a stack trace only with DEBUG, still without the token", async () => {
    const s = await server((_req, res) => {
      res.writeHead(401, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "InvalidToken", message: "Expired." } }));
    });
    const result = await runCli(
      ["download", ...PERIOD, "--out", dir, "--base-url", s.url, "--token", TOKEN],
      {
        env: { DEBUG: "1", ITWIN_ACCESS_TOKEN: "" },
      },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/\n\s+at /);
    expectNoToken(result);
  });

  it("a slow server shows retries on stderr and succeeds", async () => {
    let n = 0;
    const s = await server((req, res) => {
      if (n++ === 0) {
        res.writeHead(503, { "Content-Type": "application/json", "Retry-After": "0" });
        return res.end(JSON.stringify({ error: { code: "Busy", message: "Try again." } }));
      }
      csvHandler()(req, res);
    });
    const result = await downloadTo(s.url, "--json");
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: HTTP 503 .* Retrying in 0 ms/);
    expect(JSON.parse(result.stdout).retries).toBe(1);
  });
});
