import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { createAnalyticsClient } from "../src/index.js";
import { startServer } from "./helpers/server.js";

const SIZE = 256 * 1024 * 1024;
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

// Deterministic CSV rows, generated and hashed as they are sent: the server never holds the file.
function* csvChunks(size: number): Generator<Buffer> {
  let sent = 0;
  let i = 0;
  yield Buffer.from("Date,UserEmail,ComponentName,Count\n");
  sent += 35;
  while (sent < size) {
    const lines: string[] = [];
    for (let k = 0; k < 1000; k++, i++) {
      lines.push(
        `2026-11-${String((i % 28) + 1).padStart(2, "0")}T00:00:00.000Z,user${i % 97}@example.com,Component ${i},${i % 13}`,
      );
    }
    let chunk = Buffer.from(`${lines.join("\n")}\n`);
    if (sent + chunk.length > size) chunk = chunk.subarray(0, size - sent);
    sent += chunk.length;
    yield chunk;
  }
}

it("streams a 256 MiB CSV to disk through saveTo with the right size and hash", async () => {
  const expected = createHash("sha256");
  const server = await startServer((_req, res) => {
    res.writeHead(200, {
      "Content-Type": "text/csv",
      "Content-Length": SIZE,
      "Content-Disposition": 'attachment; filename="big.csv"',
    });
    const chunks = csvChunks(SIZE);
    const pump = () => {
      for (let r = chunks.next(); !r.done; r = chunks.next()) {
        expected.update(r.value);
        if (!res.write(r.value)) return res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
  try {
    const dir = await mkdtemp(join(tmpdir(), "ca-large-"));
    dirs.push(dir);
    const client = createAnalyticsClient({ accessToken: "t", baseUrl: server.url });
    const download = await client.downloadAnalytics({
      startDate: "2026-11-01",
      endDate: "2026-11-30",
    });
    expect(download.contentLength).toBe(SIZE);
    const path = await download.saveTo(dir);
    expect((await stat(path)).size).toBe(SIZE);
    const actual = createHash("sha256");
    for await (const chunk of createReadStream(path)) actual.update(chunk as Buffer);
    expect(actual.digest("hex")).toBe(expected.digest("hex"));
  } finally {
    await server.close();
  }
}, 120_000);
