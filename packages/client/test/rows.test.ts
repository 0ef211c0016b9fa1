import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BodyChunks } from "../src/body.js";
import { rows as browserRows } from "../src/rows.browser.js";
import { rows as nodeRows } from "../src/rows.node.js";

function streamOf(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

// The body reader the client hands the parsers, over a test stream.
function chunksOf(stream: ReadableStream<Uint8Array>): BodyChunks {
  const reader = stream.getReader();
  return {
    read: async () => {
      const r = await reader.read();
      return r.done ? undefined : r.value;
    },
    cancel: (reason) => reader.cancel(reason),
  };
}

async function collect(iterable: AsyncIterable<Record<string, string>>) {
  const out = [];
  for await (const row of iterable) out.push(row);
  return out;
}

const samples = [
  "a,b\n1,2\n3,4\n",
  "a,b\r\n1,2\r\n3,4",
  "\ufeffa,b\n1,2\n",
  'name,note\n"Door, single","He said ""hi"""\n"multi\nline",x\n',
  "a,b\n\n1,2\n\n",
  "a,b\n",
  "",
  "col\n€uro\n日本\n",
];

describe("rows()", () => {
  it.each(samples)("Node (csv-parse) and browser parsers agree on %j", async (text) => {
    for (const chunk of [1, 3, 1024]) {
      const expected = await collect(nodeRows(chunksOf(streamOf(text, chunk))));
      expect(await collect(browserRows(chunksOf(streamOf(text, chunk))))).toEqual(expected);
    }
  });

  it("parses the documented shape: header row to keys", async () => {
    expect(await collect(nodeRows(chunksOf(streamOf('a,b\n1,"x,y"\n', 2))))).toEqual([
      { a: "1", b: "x,y" },
    ]);
  });

  it("property: any table of strings written as RFC 4180 CSV parses back identically in both", async () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "b", ",", '"', "\n", " ", "é", "1"),
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((cols) =>
          fc.tuple(
            fc.uniqueArray(fc.stringMatching(/^[a-z]{1,4}$/), {
              minLength: cols,
              maxLength: cols,
            }),
            fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { maxLength: 5 }),
            fc.integer({ min: 1, max: 7 }),
          ),
        ),
        async ([header, body, chunk]) => {
          // Rows whose every cell is empty are blank lines, which both parsers skip.
          const data = body.filter((r) => r.some((c) => c !== ""));
          const quote = (c: string) =>
            /[",\n ]/.test(c) || c === "" ? `"${c.replace(/"/g, '""')}"` : c;
          const text = [header, ...data].map((r) => r.map(quote).join(",")).join("\n");
          const expected = data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
          expect(await collect(nodeRows(chunksOf(streamOf(text, chunk))))).toEqual(expected);
          expect(await collect(browserRows(chunksOf(streamOf(text, chunk))))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("browser parser rejects a CSV that ends inside quotes", async () => {
    await expect(collect(browserRows(chunksOf(streamOf('a\n"open', 2))))).rejects.toThrow(
      /quoted field/,
    );
  });
});
