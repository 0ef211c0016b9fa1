import { Readable } from "node:stream";
import type { BodyChunks } from "./body.js";

/**
 * A Node.js Readable straight over the body's chunk reader: one adapter instead of a web
 * stream plus `Readable.fromWeb`, with backpressure (a chunk is read only when asked for).
 */
export function toReadable(body: BodyChunks): Readable {
  return new Readable({
    read() {
      body.read().then(
        (chunk) => this.push(chunk ?? null),
        (error: Error) => this.destroy(error),
      );
    },
    destroy(error, callback) {
      body.cancel(error ?? undefined).then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
}
