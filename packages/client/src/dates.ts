import { InvalidArgumentError } from "./errors.js";

/** A point in time: a `Date`, an ISO 8601 string (date-only means UTC midnight), or epoch milliseconds. */
export type DateInput = Date | string | number;

/** The only format the API accepts: `yyyy-MM-dd'T'HH:mm:ss.fff'Z'`. */
export const API_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// ISO 8601 extended format: a date, optionally a time with seconds and fraction, and an offset
// whenever a time is given (a time without an offset is ambiguous for a scheduled job).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
// Date.UTC maps years 0-99 to 1900-1999, so year 0 is set explicitly.
const MIN_MS = new Date(0).setUTCFullYear(0, 0, 1);

function fail(target: string, message: string): never {
  throw InvalidArgumentError.of(target, `${target} ${message}`);
}

function parseIsoString(value: string, target: string): number {
  const m = ISO.exec(value.trim());
  if (!m) {
    fail(
      target,
      `must be an ISO 8601 date such as 2026-11-01 or 2026-11-01T00:00:00Z, got "${value}".`,
    );
  }
  const [, y, mo, d, h, mi, s, frac = "0", offset = ""] = m;
  if (h !== undefined && !offset) {
    fail(target, `"${value}" needs "Z" or an offset such as +02:00 after the time.`);
  }
  // Set the fields, then read them back: a rolled-over field (Feb 30, 25:00) is not a real date.
  const fields = [y, mo, d, h, mi, s].map((f) => Number(f ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  fields[1] -= 1;
  const date = new Date(0);
  date.setUTCFullYear(fields[0], fields[1], fields[2]);
  date.setUTCHours(fields[3], fields[4], fields[5], Math.floor(Number(`0.${frac}`) * 1000));
  const back = [
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ];
  if (back.some((v, i) => v !== fields[i])) {
    fail(target, `is not a real calendar date and time: "${value}".`);
  }
  const om = /^([+-])(\d\d):?(\d\d)?$/.exec(offset);
  const minutes = om ? Number(om[2]) * 60 + Number(om[3] ?? 0) : 0;
  if (om && (Number(om[2]) > 23 || Number(om[3] ?? 0) > 59)) {
    fail(target, `has an invalid UTC offset "${offset}".`);
  }
  return date.getTime() - (om?.[1] === "-" ? -minutes : minutes) * 60_000;
}

/**
 * Converts a date input to exactly `yyyy-MM-dd'T'HH:mm:ss.fff'Z'` (UTC), the only form the API
 * accepts. Throws {@link InvalidArgumentError} naming `target` for anything else.
 */
export function toApiDateTime(value: DateInput, target: string): string {
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
    if (Number.isNaN(ms)) fail(target, "is an invalid Date.");
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(target, `must be finite epoch milliseconds, got ${value}.`);
    ms = Math.trunc(value);
  } else if (typeof value === "string") {
    ms = parseIsoString(value, target);
  } else {
    fail(target, "must be a Date, an ISO 8601 string or epoch ms.");
  }
  if (ms < MIN_MS || ms > MAX_MS) {
    fail(target, "must be between the years 0000 and 9999 (UTC).");
  }
  // toISOString gives exactly the API's form for years 0000-9999.
  return new Date(ms).toISOString();
}

/** Validates and converts a download period; `startDate` may not be after `endDate`. */
export function toApiPeriod(period: { startDate: DateInput; endDate: DateInput }): {
  startDate: string;
  endDate: string;
} {
  if (typeof period !== "object" || period === null) {
    throw InvalidArgumentError.of("period", "Pass { startDate, endDate }.");
  }
  const errors: InvalidArgumentError[] = [];
  const convert = (target: "startDate" | "endDate") => {
    const value = period[target];
    if (value === undefined || value === null || value === "") {
      errors.push(
        InvalidArgumentError.of(target, `${target} is required.`, "MissingRequiredParameter"),
      );
      return undefined;
    }
    try {
      return toApiDateTime(value, target);
    } catch (error) {
      if (error instanceof InvalidArgumentError) errors.push(error);
      else throw error;
      return undefined;
    }
  };
  const startDate = convert("startDate");
  const endDate = convert("endDate");
  if (errors.length) throw new InvalidArgumentError(errors.flatMap((e) => e.details));
  if ((startDate as string) > (endDate as string)) {
    throw InvalidArgumentError.of(
      "startDate",
      `startDate (${startDate}) must not be after endDate (${endDate}).`,
    );
  }
  return { startDate: startDate as string, endDate: endDate as string };
}
