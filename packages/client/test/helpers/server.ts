import type { Handler } from "../../../../scripts/test-server.js";

export { type Handler, startServer, type TestServer } from "../../../../scripts/test-server.js";

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
