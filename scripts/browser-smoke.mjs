// Browser proof: bundles examples/browser/app.ts with the client's browser entry (esbuild, the
// "browser" export condition), serves it from one loopback origin, runs the Prism mock on
// another (so the request is cross-origin and needs CORS), loads the page in headless Chromium
// from Debian's package through playwright-core, and asserts the rendered row count.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMockServer } from "@components-analytics/mock";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  // Debian's package is the only browser this machine can get (tools that download their own fail).
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Debian's chromium for the browser proof...");
    execFileSync(
      "sh",
      [
        "-c",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
      ],
      {
        stdio: "inherit",
      },
    );
  } else {
    console.error(
      `No Chromium at ${CHROMIUM}: install Debian's "chromium" package or set CHROMIUM_PATH.`,
    );
    process.exit(1);
  }
}

const root = fileURLToPath(new URL("..", import.meta.url));
const work = await mkdtemp(join(tmpdir(), "ca-browser-"));
const result = await build({
  entryPoints: [join(root, "examples/browser/app.ts")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  outfile: join(work, "app.js"),
  metafile: true,
  logLevel: "warning",
});
const inputs = Object.keys(result.metafile.inputs);
if (
  inputs.some((i) => i.includes("rows.node") || i.startsWith("node:") || i.includes("csv-parse"))
) {
  throw new Error(`the browser bundle pulled in Node-only code: ${inputs.join(", ")}`);
}
const html = `<!doctype html><meta charset="utf-8"><title>analytics</title><p>Rows: <span id="count">loading</span></p><script type="module" src="/app.js"></script>`;
const page = createServer(async (req, res) => {
  if (req.url?.startsWith("/app.js")) {
    res.writeHead(200, { "Content-Type": "text/javascript" });
    return res.end(await readFile(join(work, "app.js")));
  }
  res.writeHead(200, { "Content-Type": "text/html" });
  res.end(html);
});
await new Promise((r) => page.listen(0, "127.0.0.1", r));
const pageUrl = `http://127.0.0.1:${page.address().port}`;
const mock = await startMockServer();
let browser;
let failed = false;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const tab = await browser.newPage();
  const errors = [];
  tab.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await tab.goto(`${pageUrl}/?api=${encodeURIComponent(mock.url)}`);
  await tab.waitForFunction(
    () => document.querySelector("#count")?.textContent !== "loading",
    null,
    {
      timeout: 20_000,
    },
  );
  const count = await tab.textContent("#count");
  const filename = await tab.getAttribute("#count", "data-filename");
  console.log(
    `page ${pageUrl} → mock ${mock.url}: rendered count "${count}", file name "${filename}"`,
  );
  if (count !== "5") {
    failed = true;
    console.error(`expected 5 rows; console errors: ${errors.join("\n")}`);
  }
  if (filename !== "ComponentsAnalytics_2026-11-01_2026-11-30.csv") {
    failed = true;
    console.error("Content-Disposition was not readable cross-origin");
  }
} finally {
  await browser?.close();
  await mock.stop();
  page.close();
  await rm(work, { recursive: true, force: true });
}
if (failed) process.exit(1);
console.log("browser proof: passed");
