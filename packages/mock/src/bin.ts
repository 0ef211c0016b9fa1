#!/usr/bin/env node
// Two flags only: node's built-in parseArgs is enough and keeps the mock dependency-light.
import { parseArgs } from "node:util";
import { startMockServer } from "./index.js";

const usage = `Usage: components-analytics-mock [--port <n>] [--host <h>]

Serves the Download analytics OpenAPI spec with Prism until Ctrl-C.
  --port <n>   port to listen on (default: a free port)
  --host <h>   interface to listen on (default: 127.0.0.1)
  --help       show this help`;

let values: { port?: string; host?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { port: { type: "string" }, host: { type: "string" }, help: { type: "boolean" } },
    strict: true,
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
  console.error(`--port must be a whole number from 0 to 65535, got "${values.port}"\n\n${usage}`);
  process.exit(2);
}

try {
  const server = await startMockServer({ port, host: values.host });
  console.log(`Mock Download analytics API listening on ${server.url}`);
  console.log(
    `Try: curl -H "Authorization: Bearer x" -H "Accept: text/csv, application/json" "${server.url}/components/analytics/download?startDate=2026-11-01T00:00:00.000Z&endDate=2026-11-30T23:59:59.999Z"`,
  );
  const shutdown = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
