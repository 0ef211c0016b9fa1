import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { API_DATE_PATTERN, toApiDateTime, toApiPeriod } from "../src/dates.js";
import { InvalidArgumentError } from "../src/errors.js";

const MIN = new Date(0).setUTCFullYear(0, 0, 1);
const MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe("toApiDateTime", () => {
  it.each([
    ["2026-11-01", "2026-11-01T00:00:00.000Z"],
    ["2026-11-01T10:20:30Z", "2026-11-01T10:20:30.000Z"],
    ["2026-11-01T10:20:30.5Z", "2026-11-01T10:20:30.500Z"],
    ["2026-11-01T10:20:30.123456Z", "2026-11-01T10:20:30.123Z"],
    ["2026-11-01T10:20+02:00", "2026-11-01T08:20:00.000Z"],
    ["2026-11-01T00:00:00.000-05:30", "2026-11-01T05:30:00.000Z"],
    ["2026-11-01T00:00:00+0100", "2026-10-31T23:00:00.000Z"],
    ["2026-11-01 10:00:00Z", "2026-11-01T10:00:00.000Z"],
    ["0000-01-01", "0000-01-01T00:00:00.000Z"],
    ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
  ])("%s → %s", (input, expected) => {
    expect(toApiDateTime(input, "startDate")).toBe(expected);
  });

  it("accepts Date and epoch milliseconds", () => {
    expect(toApiDateTime(new Date(Date.UTC(2026, 10, 1)), "startDate")).toBe(
      "2026-11-01T00:00:00.000Z",
    );
    expect(toApiDateTime(Date.UTC(2026, 10, 1, 1, 2, 3, 4), "endDate")).toBe(
      "2026-11-01T01:02:03.004Z",
    );
  });

  it.each([
    ["not a date", /ISO 8601/],
    ["2026-02-30", /real calendar date/],
    ["2026-13-01", /real calendar date/],
    ["2026-11-01T25:00:00Z", /real calendar date/],
    ["2026-11-01T10:00:00", /needs "Z" or an offset/],
    ["2026-11-01T10:00:00+24:00", /offset/],
    ["12026-01-01", /ISO 8601/],
    ["March 7, 2026", /ISO 8601/],
  ])("rejects %s naming the parameter", (input, message) => {
    let caught: unknown;
    try {
      toApiDateTime(input, "endDate");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const error = caught as InvalidArgumentError;
    expect(error.message).toMatch(message);
    expect(error.target).toBe("endDate");
    expect(error.details).toEqual([
      { code: "InvalidValue", message: error.message, target: "endDate" },
    ]);
  });

  it.each([
    [new Date(Number.NaN), /invalid Date/],
    [Number.NaN, /finite/],
    [Number.POSITIVE_INFINITY, /finite/],
    [MAX + 1, /0000 and 9999/],
    [MIN - 1, /0000 and 9999/],
    [new Date("+010000-01-01T00:00:00Z"), /0000 and 9999/],
  ])("rejects %s", (input, message) => {
    expect(() => toApiDateTime(input, "startDate")).toThrow(message);
  });

  it("property: any instant in years 0000-9999 converts to the API pattern and round-trips", () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN, max: MAX }), (ms) => {
        for (const input of [ms, new Date(ms), new Date(ms).toISOString()]) {
          const out = toApiDateTime(input, "startDate");
          expect(out).toMatch(API_DATE_PATTERN);
          expect(new Date(out).getTime()).toBe(ms);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("property: an ISO string with any offset maps to the same instant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9000, 0, 1) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offsetMinutes) => {
          const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? "-" : "+";
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
          const out = toApiDateTime(`${local}${offset}`, "endDate");
          expect(out).toMatch(API_DATE_PATTERN);
          expect(new Date(out).getTime()).toBe(ms);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("property: a date-only string is UTC midnight of that day", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(MIN), max: new Date(MAX), noInvalidDate: true }), (d) => {
        const day = d.toISOString().slice(0, 10);
        expect(toApiDateTime(day, "startDate")).toBe(`${day}T00:00:00.000Z`);
      }),
    );
  });
});

describe("toApiPeriod", () => {
  it("converts both dates", () => {
    expect(toApiPeriod({ startDate: "2026-11-01", endDate: "2026-11-30" })).toEqual({
      startDate: "2026-11-01T00:00:00.000Z",
      endDate: "2026-11-30T00:00:00.000Z",
    });
  });

  it("allows equal dates and refuses startDate after endDate", () => {
    expect(() => toApiPeriod({ startDate: "2026-11-01", endDate: "2026-11-01" })).not.toThrow();
    expect(() => toApiPeriod({ startDate: "2026-11-02", endDate: "2026-11-01" })).toThrow(
      expect.objectContaining({ name: "InvalidArgumentError", target: "startDate" }),
    );
  });

  it("reports every missing or invalid parameter in one error, like the server's 422", () => {
    try {
      toApiPeriod({ startDate: undefined as unknown as string, endDate: "nope" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).details).toEqual([
        {
          code: "MissingRequiredParameter",
          message: "startDate is required.",
          target: "startDate",
        },
        {
          code: "InvalidValue",
          message: expect.stringMatching(/^endDate must be/),
          target: "endDate",
        },
      ]);
    }
  });
});
