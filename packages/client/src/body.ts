import { TimeoutError } from "./errors.js";
import { type Attempt, toClientError } from "./transport.js";

/** What `onProgress` receives as chunks arrive. */
export interface DownloadProgress {
  /** Bytes received so far. */
  receivedBytes: number;
  /** The total size from `Content-Length`, when the server sent one. */
  totalBytes?: number | undefined;
}

/** Reads a body chunk by chunk; `undefined` at the end. */
export type ChunkReader = () => Promise<Uint8Array | undefined>;

/** A body being read: the reader, and how to stop it early. */
export interface BodyChunks {
  read: ChunkReader;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Reads a response body so that: a read that waits longer than `timeoutMs` for the next chunk
 * fails with {@link TimeoutError} (time spent by a slow consumer does not count, as no read is
 * pending then); progress is reported per chunk; and failures surface as our typed errors.
 */
export function chunkReader(
  body: ReadableStream<Uint8Array> | null,
  attempt: Attempt,
  timeoutMs: number,
  totalBytes: number | undefined,
  onProgress: ((progress: DownloadProgress) => void) | undefined,
): BodyChunks {
  const reader = body?.getReader();
  let receivedBytes = 0;
  let reported = false;
  return {
    async read() {
      if (!reader) {
        if (!reported) onProgress?.({ receivedBytes: 0, totalBytes });
        reported = true;
        return undefined;
      }
      const timer = setTimeout(
        () =>
          attempt.abort(
            new TimeoutError(`The download stalled: no data for ${timeoutMs} ms.`, timeoutMs),
          ),
        timeoutMs,
      );
      try {
        const { done, value } = await reader.read();
        if (done) return undefined;
        receivedBytes += value.byteLength;
        onProgress?.({ receivedBytes, totalBytes });
        return value;
      } catch (error) {
        throw toClientError(error, attempt.signal);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: async (reason) => reader?.cancel(reason),
  };
}

/**
 * The body as a pull-based stream over {@link chunkReader}, so backpressure from the consumer
 * reaches the socket and memory stays flat.
 */
export function toStream(chunks: BodyChunks): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await chunks.read();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: (reason) => chunks.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
