import { TimeoutError } from "./errors.js";
import { type Attempt, toClientError } from "./transport.js";

/** What `onProgress` receives as chunks arrive. */
export interface DownloadProgress {
  /** Bytes received so far. */
  receivedBytes: number;
  /** The total size from `Content-Length`, when the server sent one. */
  totalBytes?: number | undefined;
  /** The bytes that just arrived (read-only; empty for an empty body), e.g. to count or hash as they stream. */
  chunk: Uint8Array;
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
  // One lazily re-armed timer instead of one per chunk: it fires at most once per timeoutMs and
  // only acts when a read has been pending that long. unref: it never holds a process open.
  let pendingSince: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(check, ms);
    (timer as { unref?: () => void }).unref?.();
  };
  const check = () => {
    timer = undefined;
    if (pendingSince === undefined) return; // no read waiting: the next read re-arms
    const idle = Date.now() - pendingSince;
    if (idle < timeoutMs) return arm(timeoutMs - idle);
    attempt.abort(
      new TimeoutError(`The download stalled: no data for ${timeoutMs} ms.`, timeoutMs),
    );
  };
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return {
    async read() {
      if (!reader) {
        if (!reported) onProgress?.({ receivedBytes: 0, totalBytes, chunk: new Uint8Array(0) });
        reported = true;
        return undefined;
      }
      pendingSince = Date.now();
      if (!timer) arm(timeoutMs);
      try {
        const { done, value } = await reader.read();
        if (done) {
          stop();
          return undefined;
        }
        receivedBytes += value.byteLength;
        onProgress?.({ receivedBytes, totalBytes, chunk: value });
        return value;
      } catch (error) {
        stop();
        throw toClientError(error, attempt.signal);
      } finally {
        pendingSince = undefined;
      }
    },
    cancel: async (reason) => {
      stop();
      await reader?.cancel(reason);
    },
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
