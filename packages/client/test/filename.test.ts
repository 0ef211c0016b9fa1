import { describe, expect, it } from "vitest";
import {
  defaultFilename,
  filenameFromContentDisposition,
  sanitizeFilename,
} from "../src/filename.js";

describe("sanitizeFilename", () => {
  it.each([
    ["report.csv", "report.csv"],
    ["../../x.csv", "x.csv"],
    ["..\\..\\x.csv", "x.csv"],
    ["C:\\x.csv", "x.csv"],
    ["C:x.csv", "Cx.csv"],
    ["/etc/passwd", "passwd"],
    ["a\u0000b.csv", "ab.csv"],
    ["tab\there.csv", "tabhere.csv"],
    [".bashrc", "bashrc"],
    ["..hidden.csv", "hidden.csv"],
    ["trailing.csv. . ", "trailing.csv"],
    ['a<b>c:"d"|e?f*.csv', "abcdef.csv"],
    ["€ rates.csv", "€ rates.csv"],
    ["..%2F..%2Fevil.csv", "%2F..%2Fevil.csv"],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it.each([
    ["."],
    [".."],
    [""],
    ["   "],
    ["/"],
    ["a/.."],
    ["CON"],
    ["con.csv"],
    ["LPT1.txt"],
    ["nul"],
  ])("rejects %j", (input) => {
    expect(sanitizeFilename(input)).toBeUndefined();
  });

  it("caps a 10 000-character name at 200 UTF-8 bytes and keeps the extension", () => {
    const out = sanitizeFilename(`${"a".repeat(10_000)}.csv`) as string;
    expect(new TextEncoder().encode(out).length).toBeLessThanOrEqual(200);
    expect(out.endsWith(".csv")).toBe(true);
    const wide = sanitizeFilename(`${"€".repeat(5000)}.csv`) as string;
    expect(new TextEncoder().encode(wide).length).toBeLessThanOrEqual(200);
    expect(wide).toMatch(/^€+\.csv$/);
  });
});

describe("filenameFromContentDisposition", () => {
  it("reads filename, prefers filename*, and sanitises", () => {
    expect(filenameFromContentDisposition('attachment; filename="a.csv"')).toBe("a.csv");
    expect(
      filenameFromContentDisposition(
        `attachment; filename*=UTF-8''%E2%82%AC%20rates.csv; filename="x.csv"`,
      ),
    ).toBe("€ rates.csv");
    expect(filenameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe(
      "passwd",
    );
  });

  it("returns undefined when absent, malformed or unsafe", () => {
    expect(filenameFromContentDisposition(null)).toBeUndefined();
    expect(filenameFromContentDisposition("attachment")).toBeUndefined();
    expect(filenameFromContentDisposition(";;;===")).toBeUndefined();
    expect(filenameFromContentDisposition('attachment; filename=".."')).toBeUndefined();
  });
});

describe("defaultFilename", () => {
  it("is dated by the period", () => {
    expect(defaultFilename("2026-11-01T00:00:00.000Z", "2026-11-30T23:59:59.999Z")).toBe(
      "components-analytics_2026-11-01_2026-11-30.csv",
    );
  });
});
