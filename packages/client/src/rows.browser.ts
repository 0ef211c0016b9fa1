import type { BodyChunks } from "./body.js";

/**
 * A streaming RFC 4180 CSV reader for browsers. Hand-written because the maintained parsers
 * either need Node's Buffer and streams (csv-parse) or cannot be fed chunk by chunk
 * (papaparse); the Node build uses csv-parse, and tests check both give the same records.
 */
export async function* rows(body: BodyChunks): AsyncGenerator<Record<string, string>> {
  const decoder = new TextDecoder();
  let header: string[] | undefined;
  let field = "";
  let record: string[] = [];
  let quoted = false; // inside a quoted field
  let afterQuote = false; // just saw a closing quote (or the first of an escaped pair)
  let first = true;

  const toObject = (values: string[]) => {
    const row: Record<string, string> = {};
    (header as string[]).forEach((key, i) => {
      row[key] = values[i] ?? "";
    });
    return row;
  };
  let done = false;
  try {
    while (!done) {
      const chunk = await body.read();
      done = chunk === undefined;
      let text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      if (first && text) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (done) text += "\n"; // flushes a last record without a line break
      const out: Record<string, string>[] = [];
      for (let i = 0; i < text.length; i++) {
        const c = text[i] as string;
        if (quoted) {
          if (c === '"') {
            quoted = false;
            afterQuote = true;
          } else field += c;
          continue;
        }
        if (c === '"') {
          if (afterQuote) field += '"'; // "" inside a quoted field
          quoted = true;
          afterQuote = false;
          continue;
        }
        afterQuote = false;
        if (c === ",") {
          record.push(field);
          field = "";
        } else if (c === "\n" || c === "\r") {
          if (c === "\r" && text[i + 1] === "\n") i++;
          record.push(field);
          field = "";
          const empty = record.length === 1 && record[0] === "";
          if (!empty) {
            if (header) out.push(toObject(record));
            else header = record;
          }
          record = [];
        } else field += c;
      }
      if (done && quoted) throw new Error("CSV ends inside a quoted field.");
      yield* out;
    }
  } finally {
    if (!done) await body.cancel().catch(() => {});
  }
}
