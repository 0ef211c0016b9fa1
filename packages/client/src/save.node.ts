import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { link, mkdir, rename, rm, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import type { BodyChunks } from "./body.js";
import type { SaveOptions } from "./download.js";
import { AnalyticsClientError, FileError } from "./errors.js";
import { toReadable } from "./readable.node.js";

const FS_MESSAGES: Record<string, string> = {
  EEXIST: "already exists (pass overwrite: true to replace it)",
  EACCES: "cannot be written: permission denied",
  EPERM: "cannot be written: operation not permitted",
  ENOSPC: "cannot be written: no space left on the device",
  EDQUOT: "cannot be written: disk quota exceeded",
  ENOENT: "cannot be written: its folder does not exist",
  ENOTDIR: "cannot be written: a part of the path is not a folder",
  EISDIR: "is a folder",
  EROFS: "cannot be written: read-only file system",
};

function fileError(error: unknown, path: string): AnalyticsClientError {
  if (error instanceof AnalyticsClientError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "EIO";
  const what = FS_MESSAGES[code] ?? `cannot be written (${code})`;
  const wrapped = new FileError(`${path} ${what}.`, code, path);
  (wrapped as { cause?: unknown }).cause = error;
  return wrapped;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Resolves where the file goes: into a folder under the sanitised name, or the exact file given. */
async function resolveTarget(target: string, filename: string): Promise<string> {
  const absolute = resolve(target);
  const intoFolder = /[/\\]$/.test(target) || (await isDirectory(absolute));
  if (!intoFolder) return absolute;
  await mkdir(absolute, { recursive: true }).catch((e: unknown) => {
    throw fileError(e, absolute);
  });
  const path = resolve(absolute, filename);
  // Belt and braces: the name is already a sanitised base name, but never leave the folder.
  const rel = relative(absolute, path);
  if (dirname(path) !== absolute || rel.startsWith("..") || rel.includes(sep) || rel === "") {
    throw new FileError(`Refusing to write outside ${absolute}: ${path}.`, "EPERM", path);
  }
  return path;
}

/**
 * A hard link fails atomically if `path` appeared meanwhile. File systems without hard links
 * (some network, FAT and FUSE mounts) get a check-then-rename instead.
 */
async function moveWithoutOverwrite(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS" && code !== "EXDEV")
      throw error;
    if (await exists(path)) throw Object.assign(new Error("exists"), { code: "EEXIST" });
    await rename(temp, path);
    return;
  }
  await unlink(temp);
}

/**
 * Streams the body into a temp file beside the target, then moves it into place. Without
 * `overwrite`, the move is a hard link, which fails atomically if the target appeared meanwhile.
 */
export async function saveTo(
  body: () => BodyChunks,
  filename: string,
  target: string,
  options: SaveOptions,
): Promise<string> {
  const path = await resolveTarget(target, filename);
  if (!options.overwrite && (await exists(path))) {
    throw new FileError(`${path} ${FS_MESSAGES.EEXIST}.`, "EEXIST", path);
  }
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.part`);
  try {
    await pipeline(toReadable(body()), createWriteStream(temp, { flags: "wx" }));
    if (options.overwrite) {
      await rename(temp, path);
    } else {
      await moveWithoutOverwrite(temp, path);
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw fileError(error, path);
  }
  return path;
}
