import {
  type BodyChunks,
  type ChunkReader,
  chunkReader,
  type DownloadProgress,
  toStream,
} from "./body.js";
import { defaultFilename, filenameFromContentDisposition } from "./filename.js";
import type { Attempt, Send } from "./transport.js";

/** Options of {@link AnalyticsDownload.saveTo}. */
export interface SaveOptions {
  /** Replace an existing file. Default `false`: an existing file is a `FileError` (`EEXIST`) naming the path. */
  overwrite?: boolean;
}

/** What differs between the Node.js and browser builds. */
export interface Platform {
  /** Sends one attempt, with the platform's redirect policy. */
  send: Send;
  /** Extra headers that identify us (User-Agent where the runtime lets us set it). */
  identify(userAgent: string | undefined): Record<string, string>;
  rows(body: BodyChunks): AsyncIterable<Record<string, string>>;
  saveTo(
    body: () => BodyChunks,
    filename: string,
    target: string,
    options: SaveOptions,
  ): Promise<string>;
}

/**
 * A successful download whose body has not been read yet. Read it once, with one of
 * {@link stream}, {@link text}, {@link rows} or {@link saveTo}.
 */
export class AnalyticsDownload {
  /** The file name from `Content-Disposition`, sanitised; a dated default when absent or unsafe. */
  readonly filename: string;
  /** The response's media type, e.g. `text/csv`. */
  readonly contentType: string | undefined;
  /** The body size from `Content-Length`; `undefined` when unknown. */
  readonly contentLength: number | undefined;
  /** The raw response. Its body is unread until one of the readers is used. */
  readonly response: Response;
  /** The `startDate` sent, in the API's format. */
  readonly startDate: string;
  /** The `endDate` sent, in the API's format. */
  readonly endDate: string;
  /** How many retries it took to get this response. */
  readonly retries: number;

  #attempt: Attempt;
  #timeoutMs: number;
  #onProgress: ((progress: DownloadProgress) => void) | undefined;
  #platform: Platform;
  #used = false;

  /** @internal */
  constructor(init: {
    response: Response;
    attempt: Attempt;
    timeoutMs: number;
    onProgress: ((progress: DownloadProgress) => void) | undefined;
    platform: Platform;
    startDate: string;
    endDate: string;
  }) {
    this.response = init.response;
    this.startDate = init.startDate;
    this.endDate = init.endDate;
    this.retries = init.attempt.retries;
    this.#attempt = init.attempt;
    this.#timeoutMs = init.timeoutMs;
    this.#onProgress = init.onProgress;
    this.#platform = init.platform;
    const headers = init.response.headers;
    this.filename =
      filenameFromContentDisposition(headers.get("content-disposition")) ??
      defaultFilename(init.startDate, init.endDate);
    this.contentType = headers.get("content-type") ?? undefined;
    const length = headers.get("content-length");
    this.contentLength = length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
  }

  /** The body as a stream of bytes, with the idle timeout and progress applied. Once only. */
  stream(): ReadableStream<Uint8Array> {
    return toStream(this.#chunks());
  }

  /** The whole body as a string. Holds the file in memory: for small files; use {@link rows} or {@link saveTo} for large ones. */
  async text(): Promise<string> {
    // Straight off the body's reader: no intermediate stream for the common small-file case.
    const read: ChunkReader = this.#chunks().read;
    const decoder = new TextDecoder();
    let text = "";
    for (let chunk = await read(); chunk; chunk = await read()) {
      text += decoder.decode(chunk, { stream: true });
    }
    return text + decoder.decode();
  }

  #chunks(): BodyChunks {
    if (this.#used || this.response.bodyUsed) {
      throw new TypeError("The download's body was already read: use one reader, once.");
    }
    this.#used = true;
    return chunkReader(
      this.response.body,
      this.#attempt,
      this.#timeoutMs,
      this.contentLength,
      this.#onProgress,
    );
  }

  /**
   * The CSV rows as objects keyed by the header row, parsed as the bytes stream in (memory
   * stays flat). The columns are not documented by the API, so keys are whatever the header says.
   */
  rows(): AsyncIterable<Record<string, string>> {
    return this.#platform.rows(this.#chunks());
  }

  /**
   * Node.js only. Streams the body to `dirOrFile` and resolves with the absolute path written.
   * An existing directory (or a path ending in a separator, created if missing) receives the
   * file under {@link filename}; any other path is the file itself. The body goes to a temp file
   * in the same folder that is renamed into place only on success: on any failure no file and
   * no temp file remain.
   */
  saveTo(dirOrFile: string, options: SaveOptions = {}): Promise<string> {
    return this.#platform.saveTo(() => this.#chunks(), this.filename, dirOrFile, options);
  }
}
