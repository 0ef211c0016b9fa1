import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export interface TestServer {
  url: string;
  /** Every request's headers, in order. */
  requests: IncomingMessage["headers"][];
  close(): Promise<void>;
}

/**
 * A loopback node:http server for fault tests. `handlers[n]` answers the n-th request (the last
 * one repeats), so sequences such as 429, 429, 200 are one line.
 */
export async function startServer(...handlers: Handler[]): Promise<TestServer> {
  const requests: IncomingMessage["headers"][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const n = requests.length;
    requests.push(req.headers);
    const handler = handlers[Math.min(n, handlers.length - 1)] as Handler;
    handler(req, res, n);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export const CSV = "a,b\n1,2\n3,4\n";

export const csv =
  (body = CSV, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, {
      "Content-Type": "text/csv",
      "Content-Disposition": 'attachment; filename="report.csv"',
      "Content-Length": Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(text);
  };

export const period = { startDate: "2026-11-01", endDate: "2026-11-30" };
