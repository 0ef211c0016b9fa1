// One measurement in a fresh process: `node child.mjs '<json>'` runs one contender once and
// prints one JSON line { wallMs, maxRssMiB, bytes?, rows?, sha256?, perRequestUs? }.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { get } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createAnalyticsClient } from "@components-analytics/client";
import axios from "axios";
import { parse } from "csv-parse";
import createClient from "openapi-fetch";

const job = JSON.parse(process.argv[2]);
const period = { startDate: "2026-11-01", endDate: "2026-11-30" };
const query = { startDate: "2026-11-01T00:00:00.000Z", endDate: "2026-11-30T00:00:00.000Z" };
const apiPath = "/components/analytics/download";
const apiUrl = (base) =>
  `${base}${apiPath}?startDate=${encodeURIComponent(query.startDate)}&endDate=${encodeURIComponent(query.endDate)}`;
const headers = { Authorization: "Bearer bench", Accept: "text/csv, application/json" };

async function fileResult(path) {
  const bytes = (await stat(path)).size;
  let sha256;
  if (job.verify) {
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(path)) hash.update(chunk);
    sha256 = hash.digest("hex");
  }
  await rm(path, { force: true });
  return { bytes, sha256 };
}

const downloads = {
  async ours({ base, file }) {
    const client = createAnalyticsClient({ accessToken: "bench", baseUrl: base });
    const download = await client.downloadAnalytics(period);
    return download.saveTo(file, { overwrite: true });
  },
  async fetch({ base, file }) {
    const response = await fetch(apiUrl(base), { headers });
    await pipeline(Readable.fromWeb(response.body), createWriteStream(file));
    return file;
  },
  async "openapi-fetch"({ base, file }) {
    const api = createClient({ baseUrl: base, headers });
    const { data } = await api.GET(apiPath, { params: { query }, parseAs: "stream" });
    await pipeline(Readable.fromWeb(data), createWriteStream(file));
    return file;
  },
  async "node:http"({ base, file }) {
    const response = await new Promise((resolve, reject) =>
      get(apiUrl(base), { headers }, resolve).on("error", reject),
    );
    await pipeline(response, createWriteStream(file));
    return file;
  },
  async axios({ base, file }) {
    const response = await axios.get(apiUrl(base), { headers, responseType: "stream" });
    await pipeline(response.data, createWriteStream(file));
    return file;
  },
};

const rowReaders = {
  async ours({ base }) {
    const client = createAnalyticsClient({ accessToken: "bench", baseUrl: base });
    let rows = 0;
    for await (const _ of (await client.downloadAnalytics(period)).rows()) rows++;
    return rows;
  },
  async "csv-parse"({ base }) {
    const response = await fetch(apiUrl(base), { headers });
    let rows = 0;
    const parser = Readable.fromWeb(response.body).pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true }),
    );
    for await (const _ of parser) rows++;
    return rows;
  },
  async "text()+split"({ base }) {
    const response = await fetch(apiUrl(base), { headers });
    const lines = (await response.text()).split("\n");
    const keys = lines[0].split(",");
    let rows = 0;
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i]) continue;
      const values = lines[i].split(",");
      const row = {};
      for (let k = 0; k < keys.length; k++) row[keys[k]] = values[k];
      rows++;
    }
    return rows;
  },
};

// A canned response per call: measures our code's cost with the network taken out.
const stubFetch = async () =>
  new Response("a,b\n1,2\n", {
    status: 200,
    headers: { "content-type": "text/csv", "content-disposition": 'attachment; filename="t.csv"' },
  });

const requestLoops = {
  ours: (base, fetchImpl) => {
    const client = createAnalyticsClient({ accessToken: "bench", baseUrl: base, fetch: fetchImpl });
    return async () => (await client.downloadAnalytics(period)).text();
  },
  "openapi-fetch": (base, fetchImpl) => {
    const api = createClient({ baseUrl: base, headers, fetch: fetchImpl });
    return async () => (await api.GET(apiPath, { params: { query }, parseAs: "text" })).data;
  },
  fetch: (base, fetchImpl) => async () =>
    (await (fetchImpl ?? fetch)(apiUrl(base), { headers })).text(),
};

const started = performance.now();
const out = {};
if (job.scenario === "download") {
  const path = await downloads[job.contender](job);
  Object.assign(out, await fileResult(path));
} else if (job.scenario === "rows") {
  out.rows = await rowReaders[job.contender](job);
} else if (job.scenario === "requests") {
  const once = requestLoops[job.contender](job.base, job.stub ? stubFetch : undefined);
  for (let i = 0; i < 50; i++) await once(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < job.requests; i++) await once();
  out.perRequestUs = ((performance.now() - t0) * 1000) / job.requests;
} else if (job.scenario === "retry") {
  const client = createAnalyticsClient({ accessToken: "bench", baseUrl: job.base });
  const download = await client.downloadAnalytics(period);
  out.bytes = (await download.text()).length;
  out.retries = download.retries;
}
out.wallMs = performance.now() - started;
out.maxRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(out));
