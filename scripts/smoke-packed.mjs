// Installs the packed packages the way a user meets them: `pnpm pack` each publishable package,
// `npm install` the tarballs (engine-strict) into a fresh project outside the workspace, then
// use them: the mock starts and answers, the client is imported (ESM) and required (CJS) and
// downloads from the packed mock, a consumer .ts file type-checks under node16 and bundler
// resolution, and the packed CLI prints --help and downloads one file.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const packages = {
  "@components-analytics/api-types": "packages/api-types",
  "@components-analytics/client": "packages/client",
  "@components-analytics/mock": "packages/mock",
  "@components-analytics/cli": "apps/cli",
};
const typescript = JSON.parse(
  await readFile(join(root, "node_modules/typescript/package.json"), "utf8"),
).version;

const work = await mkdtemp(join(tmpdir(), "ca-packed-"));
const step = (message) => console.log(`\n▶ ${message}`);
const run = (cmd, args, options = {}) => {
  const result = spawnSync(cmd, args, { cwd: work, encoding: "utf8", ...options });
  if (result.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
};

try {
  step("pnpm pack");
  const tarballs = {};
  for (const dir of Object.values(packages)) {
    execFileSync("pnpm", ["pack", "--pack-destination", work], {
      cwd: join(root, dir),
      stdio: "ignore",
    });
  }
  for (const file of await readdir(work)) {
    const name = Object.keys(packages).find((n) =>
      file.startsWith(`${n.slice(1).replace("/", "-")}-`),
    );
    if (name) tarballs[name] = `file:./${file}`;
  }
  console.log(Object.values(tarballs).join("\n"));

  step(`npm install --engine-strict (outside the workspace: ${work})`);
  await writeFile(
    join(work, "package.json"),
    JSON.stringify(
      {
        name: "packed-smoke",
        private: true,
        type: "module",
        dependencies: { ...tarballs, typescript, "@types/node": "20.19.43" },
        // The packed packages depend on each other at their unpublished version: use the tarballs.
        overrides: tarballs,
      },
      null,
      2,
    ),
  );
  run("npm", ["install", "--engine-strict", "--no-audit", "--no-fund", "--loglevel=error"]);

  step("mock: start, request, stop");
  await writeFile(
    join(work, "mock.mjs"),
    `import { startMockServer } from "@components-analytics/mock";
const mock = await startMockServer();
const r = await fetch(mock.url + "/components/analytics/download?startDate=2026-11-01T00:00:00.000Z&endDate=2026-11-30T00:00:00.000Z", { headers: { Authorization: "Bearer x", Accept: "text/csv, application/json" } });
const text = await r.text();
await mock.stop();
if (r.status !== 200 || !text.startsWith("Date,")) throw new Error("mock answered " + r.status);
console.log("mock ok:", r.status, r.headers.get("content-disposition"));
`,
  );
  console.log(run("node", ["mock.mjs"]).trim());

  step("client: import (ESM) and require (CJS), download from the packed mock");
  const use = (style) => `
const mock = await startMockServer();
try {
  const client = createAnalyticsClient({ accessToken: "Bearer x", baseUrl: mock.url });
  const download = await client.downloadAnalytics({ startDate: "2026-11-01", endDate: "2026-11-30" });
  let rows = 0;
  for await (const _ of download.rows()) rows++;
  if (rows !== 5) throw new Error("expected 5 rows, got " + rows);
  console.log("${style} ok:", download.filename, rows, "rows");
} finally { await mock.stop(); }`;
  await writeFile(
    join(work, "client.mjs"),
    `import { createAnalyticsClient } from "@components-analytics/client";
import { startMockServer } from "@components-analytics/mock";
${use("import")}`,
  );
  await writeFile(
    join(work, "client.cjs"),
    `const { createAnalyticsClient, InvalidArgumentError } = require("@components-analytics/client");
if (typeof InvalidArgumentError !== "function") throw new Error("no CJS export");
(async () => { const { startMockServer } = await import("@components-analytics/mock");
${use("require")}
})().catch((e) => { console.error(e); process.exit(1); });`,
  );
  console.log(run("node", ["client.mjs"]).trim());
  console.log(run("node", ["client.cjs"]).trim());

  step("types: a consumer file type-checks under node16 and bundler resolution");
  await writeFile(
    join(work, "consumer.ts"),
    `import type { ErrorResponse, DownloadAnalyticsQuery } from "@components-analytics/api-types";
import { createAnalyticsClient, RateLimitError, type AnalyticsDownload } from "@components-analytics/client";
import { startMockServer, type MockServer } from "@components-analytics/mock";

export async function job(): Promise<string> {
  const mock: MockServer = await startMockServer();
  const client = createAnalyticsClient({ accessToken: async () => "Bearer x", baseUrl: mock.url, maxRetries: 1 });
  const query: DownloadAnalyticsQuery = { startDate: "2026-11-01T00:00:00.000Z", endDate: "2026-11-30T00:00:00.000Z" };
  try {
    const download: AnalyticsDownload = await client.downloadAnalytics(query, { onProgress: (p) => p.receivedBytes });
    return await download.saveTo("./out/", { overwrite: true });
  } catch (error) {
    if (error instanceof RateLimitError) return String(error.retryAfterMs);
    throw error;
  } finally {
    await mock.stop();
  }
}
export const sample: ErrorResponse = { error: { code: "X", message: "m", details: [{ code: "A", message: "b", target: null }] } };
`,
  );
  for (const [module, resolution] of [
    ["node16", "node16"],
    ["esnext", "bundler"],
  ]) {
    run("npx", [
      "tsc",
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      "false",
      "--types",
      "node",
      "--module",
      module,
      "--moduleResolution",
      resolution,
      "--target",
      "es2022",
      "consumer.ts",
    ]);
    console.log(`tsc ok: module ${module}, moduleResolution ${resolution}`);
  }

  step("CLI: --help and one download against the packed mock");
  const help = run("npx", ["components-analytics", "--help"]);
  if (!help.includes("Exit codes:")) throw new Error("--help lacks exit codes");
  console.log("--help ok");
  await writeFile(
    join(work, "cli.mjs"),
    `import { spawnSync } from "node:child_process";
import { startMockServer } from "@components-analytics/mock";
const mock = await startMockServer();
try {
  const r = spawnSync("npx", ["components-analytics", "download", "--last", "30d", "--out", "downloads", "--json", "--quiet"], {
    encoding: "utf8", env: { ...process.env, ITWIN_ACCESS_TOKEN: "x", ITWIN_API_BASE_URL: mock.url } });
  if (r.status !== 0) throw new Error("cli exit " + r.status + ": " + r.stderr);
  const result = JSON.parse(r.stdout);
  if (result.rows !== 5) throw new Error("unexpected " + r.stdout);
  console.log("cli download ok:", result.path);
} finally { await mock.stop(); }`,
  );
  console.log(run("node", ["cli.mjs"]).trim());
  console.log("\npacked smoke: all passed");
} finally {
  await rm(work, { recursive: true, force: true });
}
