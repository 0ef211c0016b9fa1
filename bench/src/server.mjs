// The loopback server every contender downloads from: a generated CSV of the requested size,
// with Content-Length and Content-Disposition, streamed with backpressure from one repeated block
// (so generating it costs nothing next to the download).
import { createHash } from "node:crypto";
import { createServer } from "node:http";

const HEADER = "Date,UserEmail,CatalogName,ComponentName,VariationName,Action,Application,Count\n";
const BLOCK = (() => {
  const lines = [];
  for (let i = 0; i < 12_000; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    const name = i % 7 === 0 ? `"Door, single ""${i}"""` : `Component ${i}`;
    lines.push(
      `2026-11-${day}T08:14:03.120Z,user${i % 97}@example.com,Catalog ${i % 13},${name},V${i % 5},Download,MicroStation,${i % 17}`,
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`);
})();

/** The exact bytes served for `size`, as chunks (header, then the block repeated, truncated). */
export function* csvChunks(size) {
  let left = size;
  const head = Buffer.from(HEADER).subarray(0, left);
  left -= head.length;
  yield head;
  while (left > 0) {
    const chunk = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
    left -= chunk.length;
    yield chunk;
  }
}

/** The largest size ≤ `size` whose CSV ends with a whole line (for parsers that need whole records). */
export function alignedSize(size) {
  const body = size - HEADER.length;
  const whole = Math.floor(body / BLOCK.length) * BLOCK.length;
  const lastNewline = BLOCK.subarray(0, body - whole).lastIndexOf(0x0a);
  return HEADER.length + whole + lastNewline + 1;
}

/** Expected SHA-256 and data-row count of the CSV of `size` bytes. */
export function expectedCsv(size) {
  const hash = createHash("sha256");
  let newlines = 0;
  let last = 0x0a;
  for (const chunk of csvChunks(size)) {
    hash.update(chunk);
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) newlines++;
    if (chunk.length) last = chunk[chunk.length - 1];
  }
  // The block has no quoted line breaks: records = lines (a last partial line counts) - header.
  return { sha256: hash.digest("hex"), rows: newlines + (last === 0x0a ? 0 : 1) - 1 };
}

/**
 * Starts the server. The path carries the parameters, so that the API's own path and query can
 * follow (a client's baseUrl is `${url}/size/N`): `/size/N` serves the CSV of N bytes;
 * `/limited/KEY` answers 429 with Retry-After: 1 to the first two requests of KEY, then the CSV.
 */
export async function startBenchServer() {
  const limited = new Map();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const size = Number(/\/size\/(\d+)/.exec(path)?.[1] ?? 1024);
    const key = /\/limited\/(\w+)/.exec(path)?.[1];
    if (key) {
      const n = limited.get(key) ?? 0;
      limited.set(key, n + 1);
      if (n < 2) {
        res.writeHead(429, { "Content-Type": "application/json", "Retry-After": "1" });
        return res.end(
          JSON.stringify({ error: { code: "TooManyRequests", message: "Slow down." } }),
        );
      }
    }
    res.writeHead(200, {
      "Content-Type": "text/csv",
      "Content-Length": size,
      "Content-Disposition": 'attachment; filename="bench.csv"',
    });
    const chunks = csvChunks(size);
    const pump = () => {
      for (let r = chunks.next(); !r.done; r = chunks.next()) {
        if (!res.write(r.value)) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
