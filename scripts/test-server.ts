import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Answers the n-th request (0-based). */
export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A loopback test server: its URL, every request's headers in order, and a close that drops open sockets. */
export interface TestServer {
  url: string;
  requests: IncomingMessage["headers"][];
  close(): Promise<void>;
}

/**
 * The loopback node:http server of the fault and CLI tests. `handlers[n]` answers the n-th
 * request (the last one repeats), so sequences such as 429, 429, 200 are one line.
 */
export async function startServer(...handlers: Handler[]): Promise<TestServer> {
  const requests: IncomingMessage["headers"][] = [];
  const server = createServer((req, res) => {
    const n = requests.length;
    requests.push(req.headers);
    (handlers[Math.min(n, handlers.length - 1)] as Handler)(req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
