import { currentYear } from "../../billing/dates";

/** A year from the query string, or the fallback (the current year in Stockholm) when absent or out of range. */
export function yearFromQuery(value: string | null, fallback = currentYear()): number {
  if (value && /^\d{4}$/.test(value)) {
    const y = Number(value);
    if (y >= 2000 && y <= 2100) return y;
  }
  return fallback;
}
