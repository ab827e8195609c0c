/**
 * Calendar dates as ISO strings ("YYYY-MM-DD"). Dates in this system are days, not instants, so the
 * arithmetic is done in UTC where there are no daylight-saving jumps; only "today" needs a time zone.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Strict "YYYY-MM-DD" that names a real day of the Gregorian calendar (2024-02-29 yes, 2025-02-29 no). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12) return false;
  return day >= 1 && day <= daysInMonth(year, month);
}

function assertIsoDate(date: string): void {
  if (!isIsoDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

export function yearOf(date: string): number {
  assertIsoDate(date);
  return Number(date.slice(0, 4));
}

/** The date `days` days after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  assertIsoDate(date);
  if (!Number.isSafeInteger(days)) throw new RangeError(`not a whole number of days: ${days}`);
  const [y, m, d] = date.split("-").map(Number);
  const utc = new Date(0);
  utc.setUTCFullYear(y, m - 1, d); // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999
  const result = new Date(utc.getTime() + days * MS_PER_DAY);
  const year = result.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`date out of range: ${date} + ${days} days`);
  return `${String(year).padStart(4, "0")}-${String(result.getUTCMonth() + 1).padStart(2, "0")}-${String(
    result.getUTCDate(),
  ).padStart(2, "0")}`;
}

const STOCKHOLM = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** Today's date in Sweden: an invoice issued at 00:30 Swedish time on 1 January is dated 1 January. */
export function todayIso(now: Date = new Date()): string {
  const parts = STOCKHOLM.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

/**
 * The current year in Sweden. Around New Year the server's local time and Stockholm's disagree (31 December
 * 23:30 UTC is already 1 January in Stockholm); the year that pages and runs default to is Stockholm's.
 */
export function currentYear(now: Date = new Date()): number {
  return yearOf(todayIso(now));
}

/** The last day of `year`: where a participation that is ended "at the end of the year" stops. */
export function endOfYear(year: number): string {
  return `${String(year).padStart(4, "0")}-12-31`;
}

/**
 * Whether the interval [from, to] (both days included, `to` null = still ongoing) has at least one day in
 * `year`: a member or participant active on any day of the year pays for the whole year (docs/membership.md#active-in-year-y, docs/allocation.md#participants-of-a-year).
 */
export function activeInYear(from: string, to: string | null, year: number): boolean {
  assertIsoDate(from);
  if (to !== null) assertIsoDate(to);
  if (!Number.isSafeInteger(year)) throw new RangeError(`not a year: ${year}`);
  if (to !== null && to < from) return false; // an empty interval is active in no year
  // ISO dates with four-digit years compare correctly as strings.
  const first = `${String(year).padStart(4, "0")}-01-01`;
  const last = `${String(year).padStart(4, "0")}-12-31`;
  return from <= last && (to === null || to >= first);
}
