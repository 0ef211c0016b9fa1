import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getFreePort, MockServerError, startMockServer } from "../src/index.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("startMockServer", () => {
  it("serves on loopback and stop() leaves nothing listening", async () => {
    const server = await startMockServer();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const response = await fetch(
      `${server.url}/components/analytics/download?startDate=2026-11-01T00:00:00.000Z&endDate=2026-11-02T00:00:00.000Z`,
      { headers: { Accept: "text/csv, application/json", Authorization: "Bearer t" } },
    );
    expect(response.status).toBe(200);
    await response.text();
    await server.stop();
    await expect(fetch(server.url)).rejects.toThrow();
    await server.stop(); // idempotent
  });

  it("rejects with Prism's output when the spec cannot be loaded", async () => {
    const bad = join(tmpdir(), `bad-spec-${process.pid}.yaml`);
    await writeFile(bad, "openapi: 3.0.3\ninfo: [this is not an info object\n");
    const error = await startMockServer({ specPath: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockServerError);
    expect((error as MockServerError).message).toMatch(/Prism exited before it was listening/);
    expect((error as MockServerError).output.length).toBeGreaterThan(0);
  });

  it("rejects when the requested port is taken", async () => {
    const first = await startMockServer();
    try {
      await expect(startMockServer({ port: first.port })).rejects.toBeInstanceOf(MockServerError);
    } finally {
      await first.stop();
    }
  });

  it("stop() leaves no Prism process behind, even with a 1 ms grace period", async () => {
    const server = await startMockServer({ stopGraceMs: 1 });
    const pids: number[] = [];
    // Find Prism's pid through the port it owns: the child is the only listener.
    const { execSync } = await import("node:child_process");
    for (const line of execSync("ps -eo pid,args").toString().split("\n")) {
      if (line.includes("prism-cli") && line.includes(`-p ${server.port}`)) {
        pids.push(Number(line.trim().split(/\s+/)[0]));
      }
    }
    expect(pids).toHaveLength(1);
    await server.stop();
    expect(alive(pids[0] as number)).toBe(false);
  });

  it("getFreePort returns a bindable port", async () => {
    const port = await getFreePort();
    expect(port).toBeGreaterThan(0);
  });
});
