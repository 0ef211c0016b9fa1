// `pnpm bench` (full) and `pnpm bench:smoke` (tiny sizes, one round, correctness checks).
// Every contender runs in its own child process; contenders are interleaved (A B C A B C ...,
// in a new seeded-random order each round) so that machine noise falls on all of them alike; results are
// medians with min-max. Benchmarks never fail on a timing: only on a wrong result.
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, freemem, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { alignedSize, expectedCsv, startBenchServer } from "./server.mjs";

const smoke = process.argv.includes("--smoke");
// `--only download|rows|requests|startup|retry` runs one scenario and writes no BENCHMARKS.md.
const only = process.argv.includes("--only")
  ? process.argv[process.argv.indexOf("--only") + 1]
  : undefined;
const want = (scenario) => !only || only === scenario;
const MiB = 1024 * 1024;
const child = fileURLToPath(new URL("./child.mjs", import.meta.url));
const cliBin = fileURLToPath(new URL("../../apps/cli/dist/bin.js", import.meta.url));
const config = smoke
  ? {
      sizes: [1 * MiB],
      rounds: 1,
      rowsSize: alignedSize(2 * MiB),
      requests: 100,
      startups: 3,
      retryRounds: 1,
    }
  : {
      sizes: [64 * MiB, 512 * MiB, 1024 * MiB],
      rounds: 7,
      rowsSize: alignedSize(256 * MiB),
      requests: 5000,
      startups: 20,
      retryRounds: 5,
    };

const server = await startBenchServer();
const work = await mkdtemp(join(tmpdir(), "ca-bench-"));
const problems = [];
const log = (line) => process.stderr.write(`${line}\n`);

function runChild(job) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, JSON.stringify(job)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (c) => {
      out += c;
    });
    p.on("error", reject);
    p.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${job.scenario}/${job.contender} exited ${code}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)));
    });
  });
}

// A seeded shuffle: each round gets a new order, so no contender always runs right after the
// same one (a plain rotation keeps predecessors fixed, and a big write before you costs you
// its page-cache writeback). Seeded, so reruns compare like with like.
let seed = 20261204;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
function shuffled(items) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs every contender `rounds` times, interleaved: every round runs each once, in a new order. */
async function interleaved(contenders, rounds, makeJob) {
  const results = Object.fromEntries(contenders.map((c) => [c, []]));
  for (let r = 0; r < rounds; r++) {
    const order = shuffled(contenders);
    for (const contender of order) results[contender].push(await runChild(makeJob(contender)));
  }
  return results;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits = 0) => x.toFixed(digits);
const range = (xs, digits = 0) => `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}`;
const sizeName = (bytes) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes} B`);
const sections = [];

// 1. Download to file.
const downloadContenders = ["ours", "fetch", "openapi-fetch", "node:http", "axios"];
const headline = {};
if (want("download")) {
  const rows = [];
  for (const size of config.sizes) {
    log(`download ${sizeName(size)} ...`);
    const expected = expectedCsv(size);
    const res = await interleaved(downloadContenders, config.rounds, (contender) => ({
      scenario: "download",
      contender,
      base: `${server.url}/size/${size}`,
      file: join(work, `${contender.replace(/\W/g, "_")}.csv`),
      verify: smoke,
    }));
    const fetchMs = median(res.fetch.map((x) => x.wallMs));
    const fetchRss = median(res.fetch.map((x) => x.maxRssMiB));
    for (const c of downloadContenders) {
      const walls = res[c].map((x) => x.wallMs);
      const rss = res[c].map((x) => x.maxRssMiB);
      for (const x of res[c]) {
        if (x.bytes !== size) problems.push(`download ${c} ${sizeName(size)}: ${x.bytes} bytes`);
        if (smoke && x.sha256 !== expected.sha256) problems.push(`download ${c}: wrong SHA-256`);
      }
      const throughput = size / MiB / (median(walls) / 1000);
      rows.push(
        `| ${sizeName(size)} | ${c} | ${fmt(median(walls))} (${range(walls)}) | ${fmt(throughput)} | ${fmt(fetchMs / median(walls), 2)}x | ${fmt(median(rss))} (${range(rss)}) | ${median(rss) - fetchRss >= 0 ? "+" : ""}${fmt(median(rss) - fetchRss)} |`,
      );
      if (c === "ours") {
        headline[size] = {
          ratio: fetchMs / median(walls),
          rss: median(rss),
          rssDelta: median(rss) - fetchRss,
        };
      }
    }
  }
  sections.push(`## 1. Download to file

Each contender streams the CSV from a loopback server to a file on disk (saveTo for ours;
\`Readable.fromWeb\` + \`pipeline\` for fetch and openapi-fetch \`parseAs: "stream"\`; \`pipe\` for
node:http and axios \`responseType: "stream"\`). Throughput and "vs fetch" use the medians
(higher is faster); RSS is the child's peak (\`process.resourceUsage().maxRSS\`), which
includes the ~40-60 MiB of a bare Node process.

| size | contender | wall ms, median (min–max) | MiB/s | throughput vs fetch | peak RSS MiB, median (min–max) | RSS vs fetch MiB |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`);
}

// 2. Row streaming.
if (want("rows")) {
  log(`rows ${fmt(config.rowsSize / MiB, 1)} MiB ...`);
  const contenders = ["ours", "csv-parse", "text()+split"];
  const expected = expectedCsv(config.rowsSize);
  const res = await interleaved(contenders, config.rounds, (contender) => ({
    scenario: "rows",
    contender,
    base: `${server.url}/size/${config.rowsSize}`,
  }));
  const libRate = expected.rows / (median(res["csv-parse"].map((x) => x.wallMs)) / 1000);
  const rows = contenders.map((c) => {
    const walls = res[c].map((x) => x.wallMs);
    const rss = res[c].map((x) => x.maxRssMiB);
    for (const x of res[c])
      if (x.rows !== expected.rows) problems.push(`rows ${c}: ${x.rows} ≠ ${expected.rows}`);
    const rate = expected.rows / (median(walls) / 1000);
    if (c === "ours") headline.rows = rate / libRate;
    return `| ${c} | ${fmt(median(walls))} (${range(walls)}) | ${fmt(rate / 1000)}k | ${fmt(rate / libRate, 2)}x | ${fmt(median(rss))} (${range(rss)}) |`;
  });
  sections.push(`## 2. Row streaming (${fmt(config.rowsSize / MiB, 1)} MiB, ${expected.rows.toLocaleString("en")} rows)

Ours is \`download.rows()\` (csv-parse under a web stream); "csv-parse" is the library used
directly on \`Readable.fromWeb(response.body)\`; the naive one is \`text()\` then \`split\`.

| contender | wall ms, median (min–max) | rows/s | vs csv-parse | peak RSS MiB, median (min–max) |
| --- | --- | --- | --- | --- |
${rows.join("\n")}
`);
}

// 3. Per-request overhead.
if (want("requests")) {
  const contenders = ["ours", "openapi-fetch", "fetch"];
  const lines = [];
  for (const stub of [false, true]) {
    log(`requests (${stub ? "stub fetch" : "loopback keep-alive"}) ...`);
    const res = await interleaved(contenders, config.rounds, (contender) => ({
      scenario: "requests",
      contender,
      base: `${server.url}/size/8`,
      requests: config.requests,
      stub,
    }));
    const base = median(res["openapi-fetch"].map((x) => x.perRequestUs));
    for (const c of contenders) {
      const us = res[c].map((x) => x.perRequestUs);
      if (c === "ours") headline[stub ? "stub" : "network"] = median(us) / base;
      lines.push(
        `| ${stub ? "stub fetch (no network)" : "loopback, keep-alive"} | ${c} | ${fmt(median(us), 1)} (${range(us, 1)}) | ${fmt(median(us) / base, 2)}x |`,
      );
    }
  }
  sections.push(`## 3. Per-request overhead (${config.requests.toLocaleString("en")} sequential requests of a tiny CSV)

Ours is \`downloadAnalytics()\` + \`text()\` (validation, token, headers, retry and timeout
machinery, body wrapper); openapi-fetch is \`GET\` with \`parseAs: "text"\`; fetch is
\`fetch()\` + \`text()\`. The stub rows replace the network with a canned \`Response\`, so they
show our code's own cost.

| transport | contender | µs per request, median (min–max) | vs openapi-fetch |
| --- | --- | --- | --- |
${lines.join("\n")}
`);
}

// 4. CLI start-up.
if (want("startup")) {
  log("CLI start-up ...");
  const time = (args) => {
    const t0 = performance.now();
    execFileSync(process.execPath, args, { stdio: "ignore" });
    return performance.now() - t0;
  };
  const bare = [];
  const cli = [];
  time([cliBin, "--help"]); // warm the file cache
  for (let i = 0; i < config.startups; i++) {
    bare.push(time(["-e", "0"]));
    cli.push(time([cliBin, "--help"]));
  }
  headline.startup = median(cli) / median(bare);
  sections.push(`## 4. CLI start-up (${config.startups} runs each, interleaved)

| command | ms, median (min–max) | vs bare Node |
| --- | --- | --- |
| \`node -e 0\` | ${fmt(median(bare), 1)} (${range(bare, 1)}) | 1.00x |
| \`components-analytics --help\` | ${fmt(median(cli), 1)} (${range(cli, 1)}) | ${fmt(headline.startup, 2)}x |
`);
}

// 5. Retry cost.
if (want("retry")) {
  log("retry cost ...");
  const size = MiB;
  const clean = [];
  const retried = [];
  for (let r = 0; r < config.retryRounds; r++) {
    clean.push(
      await runChild({ scenario: "retry", contender: "ours", base: `${server.url}/size/${size}` }),
    );
    retried.push(
      await runChild({
        scenario: "retry",
        contender: "ours",
        base: `${server.url}/limited/r${process.pid}x${r}/size/${size}`,
      }),
    );
  }
  for (const x of retried) {
    if (x.retries !== 2 || x.bytes !== size)
      problems.push(`retry: ${x.retries} retries, ${x.bytes} bytes`);
  }
  const minimum = 2000 + median(clean.map((x) => x.wallMs));
  const walls = retried.map((x) => x.wallMs);
  headline.retry = median(walls) / minimum;
  sections.push(`## 5. Retry cost (429 ×2 with \`Retry-After: 1\`, then a ${sizeName(size)} download)

| measure | ms, median (min–max) |
| --- | --- |
| clean download | ${fmt(median(clean.map((x) => x.wallMs)))} (${range(clean.map((x) => x.wallMs))}) |
| theoretical minimum (2 000 ms + clean) | ${fmt(minimum)} |
| with two 429s | ${fmt(median(walls))} (${range(walls)}) |
| ratio to the minimum | ${fmt(headline.retry, 3)}x |
`);
}

await server.close();
await rm(work, { recursive: true, force: true });

const cpu = cpus()[0]?.model ?? "unknown CPU";
const largest = config.sizes.at(-1);
const smallest = config.sizes[0];
const report = only
  ? ""
  : `# Benchmarks

Produced by \`pnpm bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpu},
${fmt(totalmem() / 1024 ** 3)} GiB RAM (${fmt(freemem() / 1024 ** 3)} GiB free), Linux ${release()}. A shared machine: read the
ratios, not the absolute numbers. Reproduce with \`pnpm bench\` (\`pnpm bench:smoke\` checks that every
contender still produces the right bytes and rows, and runs in CI).

## Headline

| target | measured | met? |
| --- | --- | --- |
| saveTo throughput ≥ 0.9x raw fetch | ${config.sizes.map((s) => `${fmt(headline[s].ratio, 2)}x at ${sizeName(s)}`).join(", ")} | ${config.sizes.every((s) => headline[s].ratio >= 0.9) ? "yes" : "no"} |
| saveTo peak RSS ≤ raw fetch's + 32 MiB | ${config.sizes.map((s) => `${headline[s].rssDelta >= 0 ? "+" : ""}${fmt(headline[s].rssDelta)} MiB at ${sizeName(s)}`).join(", ")} | ${config.sizes.every((s) => headline[s].rssDelta <= 32) ? "yes" : "no"} |
| saveTo memory flat from ${sizeName(smallest)} to ${sizeName(largest)} | ${fmt(headline[smallest].rss)} → ${fmt(headline[largest].rss)} MiB peak RSS | ${headline[largest].rss - headline[smallest].rss <= 32 ? "yes" : "no"} |
| rows() ≥ 0.9x csv-parse's rows/s | ${fmt(headline.rows, 2)}x | ${headline.rows >= 0.9 ? "yes" : "no"} |
| per request ≤ 1.25x openapi-fetch | ${fmt(headline.network, 2)}x on loopback, ${fmt(headline.stub, 2)}x with a stub fetch | ${headline.network <= 1.25 ? "yes" : "no"} (loopback), ${headline.stub <= 1.25 ? "yes" : "no"} (stub) |
| CLI start-up ≤ 3x bare Node | ${fmt(headline.startup, 2)}x | ${headline.startup <= 3 ? "yes" : "no"} |
| retry cost ≤ 1.1x the minimum | ${fmt(headline.retry, 3)}x | ${headline.retry <= 1.1 ? "yes" : "no"} |

${sections.join("\n")}`;

process.stdout.write(only ? sections.join("\n") : report);
if (!smoke && !only)
  await writeFile(fileURLToPath(new URL("../../BENCHMARKS.md", import.meta.url)), report);
if (problems.length) {
  log(`\nWRONG RESULTS:\n${problems.join("\n")}`);
  process.exit(1);
}
log(
  smoke
    ? "\nbench smoke: every contender produced the right bytes and rows"
    : "\nwrote BENCHMARKS.md",
);
