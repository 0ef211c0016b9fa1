import { TimeoutError } from "./errors.js";
import { type Attempt, toClientError } from "./transport.js";

/** What `onProgress` receives as chunks arrive. */
export interface DownloadProgress {
  /** Bytes received so far. */
  receivedBytes: number;
  /** The total size from `Content-Length`, when the server sent one. */
  totalBytes?: number | undefined;
}

/**
 * Wraps a response body so that: a read that waits longer than `timeoutMs` for the next chunk
 * fails with {@link TimeoutError} (time spent by a slow consumer does not count); progress is
 * reported per chunk; and failures surface as our typed errors. Pull-based, so backpressure
 * from the consumer reaches the socket and memory stays flat.
 */
export function trackBody(
  body: ReadableStream<Uint8Array> | null,
  attempt: Attempt,
  timeoutMs: number,
  totalBytes: number | undefined,
  onProgress: ((progress: DownloadProgress) => void) | undefined,
): ReadableStream<Uint8Array> {
  if (!body) {
    return new ReadableStream({
      start(controller) {
        onProgress?.({ receivedBytes: 0, totalBytes });
        controller.close();
      },
    });
  }
  const reader = body.getReader();
  let receivedBytes = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const timer = setTimeout(
          () =>
            attempt.abort(
              new TimeoutError(`The download stalled: no data for ${timeoutMs} ms.`, timeoutMs),
            ),
          timeoutMs,
        );
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          receivedBytes += value.byteLength;
          onProgress?.({ receivedBytes, totalBytes });
          controller.enqueue(value);
        } catch (error) {
          controller.error(toClientError(error, attempt.signal));
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
