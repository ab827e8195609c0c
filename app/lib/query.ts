/** The billing year a page shows by default: the current calendar year. */
export function currentYear(): number {
  return new Date().getFullYear();
}

/** A year from the query string, or the fallback when absent or out of range. */
export function yearFromQuery(value: string | null, fallback = currentYear()): number {
  if (value && /^\d{4}$/.test(value)) {
    const y = Number(value);
    if (y >= 2000 && y <= 2100) return y;
  }
  return fallback;
}
