import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { parse } from "csv-parse";

/** Streams CSV records keyed by the header row, with csv-parse (RFC 4180 quoting, BOM handling). */
export async function* rows(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Record<string, string>> {
  const source = Readable.fromWeb(stream as NodeReadableStream<Uint8Array>);
  const parser = parse({ columns: true, bom: true, skip_empty_lines: true });
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const record of parser) yield record as Record<string, string>;
  } finally {
    // Stops the download when the consumer breaks out early.
    source.destroy();
  }
}
