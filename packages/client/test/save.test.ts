import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BodyChunks } from "../src/body.js";
import { ConnectionError, FileError } from "../src/errors.js";
import { saveTo } from "../src/save.node.js";

// Hard links can be switched off, as on file systems that have none (FAT, some FUSE/SMB mounts).
const fsState = vi.hoisted(() => ({ linkError: undefined as string | undefined }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    link: (from: string, to: string) =>
      fsState.linkError
        ? Promise.reject(Object.assign(new Error(fsState.linkError), { code: fsState.linkError }))
        : actual.link(from, to),
  };
});

function body(parts: Array<string | Error>): () => BodyChunks {
  return () => {
    const queue = [...parts];
    return {
      read: async () => {
        const next = queue.shift();
        if (next instanceof Error) throw next;
        return next === undefined ? undefined : new TextEncoder().encode(next);
      },
      cancel: async () => {},
    };
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ca-save-"));
  fsState.linkError = undefined;
});

describe("saveTo", () => {
  it("writes the chunks and returns the absolute path", async () => {
    const path = await saveTo(body(["a,b\n", "1,2\n"]), "r.csv", dir, {});
    expect(path).toBe(join(dir, "r.csv"));
    expect(await readFile(path, "utf8")).toBe("a,b\n1,2\n");
    expect(await readdir(dir)).toEqual(["r.csv"]);
  });

  it("removes the temp file when the body fails midway", async () => {
    const error = await saveTo(
      body(["a,b\n", new ConnectionError("reset")]),
      "r.csv",
      dir,
      {},
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each(["EPERM", "ENOTSUP"])("falls back to rename when link fails with %s", async (code) => {
    fsState.linkError = code;
    const path = await saveTo(body(["x\n"]), "r.csv", dir, {});
    expect(await readFile(path, "utf8")).toBe("x\n");
    expect(await readdir(dir)).toEqual(["r.csv"]);
  });

  it.each([
    ["hard link", undefined],
    ["rename fallback", "EPERM"],
  ])("never overwrites a file that appears during the download (%s)", async (_how, linkError) => {
    fsState.linkError = linkError;
    const target = join(dir, "r.csv");
    // The file appears while the body is being written.
    const error = await saveTo(
      () => {
        const chunks = body(["new\n"])();
        return {
          ...chunks,
          read: async () => {
            await writeFile(target, "old\n").catch(() => {});
            return chunks.read();
          },
        };
      },
      "r.csv",
      dir,
      {},
    ).catch((e) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).code).toBe("EEXIST");
    expect(await readFile(target, "utf8")).toBe("old\n");
    expect(await readdir(dir)).toEqual(["r.csv"]);
  });

  it("reports other link failures as FileError and leaves nothing", async () => {
    fsState.linkError = "EIO";
    const error = await saveTo(body(["x\n"]), "r.csv", dir, {}).catch((e) => e);
    expect(error).toMatchObject({ name: "FileError", code: "EIO" });
    expect(await readdir(dir)).toEqual([]);
  });
});
