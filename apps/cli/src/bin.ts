#!/usr/bin/env node
import { main } from "./main.js";

const controller = new AbortController();
let interrupted = false;
const onSignal = () => {
  // First Ctrl-C: stop cleanly (the partial file is removed). Second: leave at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on("SIGINT", onSignal);
// A reader that closed the pipe (| head) is not an error worth a crash.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  controller.abort();
});
process.on("SIGTERM", onSignal);

const code = await main(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// Keep-alive sockets or a closed stdout pipe must not keep a cron job waiting.
setTimeout(() => process.exit(code), 1000).unref();
