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
      `must be an ISO 8601 date or date-time such as 2026-11-01 or 2026-11-01T00:00:00Z, got "${value}".`,
    );
  }
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  if (h !== undefined && offset === undefined) {
    fail(
      target,
      `"${value}" has a time but no offset: add "Z" for UTC or an offset such as +02:00.`,
    );
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    fail(target, `is not a real calendar date and time: "${value}".`);
  }
  let offsetMinutes = 0;
  if (offset && offset.toUpperCase() !== "Z") {
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
    const oh = Number(om?.[2]);
    const omin = Number(om?.[3] ?? 0);
    if (!om || oh > 23 || omin > 59) fail(target, `has an invalid UTC offset "${offset}".`);
    offsetMinutes = (om[1] === "-" ? -1 : 1) * (oh * 60 + omin);
  }
  return date.getTime() - offsetMinutes * 60_000;
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
    if (!Number.isFinite(value))
      fail(target, `must be a finite number of epoch milliseconds, got ${value}.`);
    ms = Math.trunc(value);
  } else if (typeof value === "string") {
    ms = parseIsoString(value, target);
  } else {
    fail(target, "must be a Date, an ISO 8601 string or epoch milliseconds.");
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
    throw InvalidArgumentError.of("period", "The first argument must be { startDate, endDate }.");
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
