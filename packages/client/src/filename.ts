import { parse } from "content-disposition";

// Windows reserved device names, with or without an extension.
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const MAX_BYTES = 200;
const encoder = new TextEncoder();

/** `components-analytics_<start day>_<end day>.csv`, the name used when the server gives none. */
export function defaultFilename(startDate: string, endDate: string): string {
  return `components-analytics_${startDate.slice(0, 10)}_${endDate.slice(0, 10)}.csv`;
}

/**
 * Reduces a server-supplied file name to a safe base name, or returns `undefined` when nothing
 * safe is left: last path segment only (both separators), no `:`, NUL, control or
 * Windows-illegal characters, no leading dots (hidden files) or trailing dots/spaces, not a
 * reserved device name, at most 200 UTF-8 bytes (the extension kept).
 */
export function sanitizeFilename(name: string): string | undefined {
  let base = name.split(/[/\\]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  base = base.replace(/[\u0000-\u001f\u007f-\u009f:<>"|?*]/g, "");
  base = base
    .trim()
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  if (!base || RESERVED.test(base)) return undefined;
  // A UTF-16 code unit is at most 3 UTF-8 bytes: only long names need encoding.
  if (base.length * 3 > MAX_BYTES && encoder.encode(base).length > MAX_BYTES) {
    const dot = base.lastIndexOf(".");
    const ext = dot > 0 && base.length - dot <= 16 ? base.slice(dot) : "";
    let stem = base.slice(0, base.length - ext.length);
    const budget = MAX_BYTES - encoder.encode(ext).length;
    // Trim by code points so that no character is cut in half.
    const points = Array.from(stem).slice(0, budget); // a code point is at least one byte
    while (points.length && encoder.encode(points.join("")).length > budget) points.pop();
    stem = points.join("").replace(/[.\s]+$/, "");
    base = stem + ext;
    if (!stem) return undefined;
  }
  return base;
}

/** The file name from a `Content-Disposition` header (RFC 6266, `filename*` preferred), sanitised. */
export function filenameFromContentDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  let raw: string | undefined;
  try {
    raw = parse(header).parameters.filename;
  } catch {
    // A malformed header names no usable file; the caller falls back to the dated default.
    return undefined;
  }
  return raw === undefined ? undefined : sanitizeFilename(raw);
}
