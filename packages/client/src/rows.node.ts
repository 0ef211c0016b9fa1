import { parse } from "csv-parse";
import type { BodyChunks } from "./body.js";
import { toReadable } from "./readable.node.js";

/** Streams CSV records keyed by the header row, with csv-parse (RFC 4180 quoting, BOM handling). */
export async function* rows(body: BodyChunks): AsyncGenerator<Record<string, string>> {
  const source = toReadable(body);
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
