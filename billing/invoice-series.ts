/*
 * Invoice number series (docs/security.md "Invoice number series"). A number made of a year and a running number,
 * 2026001 or 20260001, belongs to that year's series; the series ends where the running number runs out of digits
 * (2026999, 20269999). Numbers are handed out one after the other, so the 1000th invoice of 2026001's series would
 * be 2027000, which reads as next year's. The treasurer picks a series with room; these rules say how much is left.
 */

export interface InvoiceSeries {
  year: number;
  first: number;
  last: number;
  /** Numbers left from `next` to the end of the series, `next` included. */
  remaining: number;
}

/** The year series `next` belongs to, or null for a plain running number (no year in front). */
export function seriesOf(next: number): InvoiceSeries | null {
  if (!Number.isSafeInteger(next) || next < 1) return null;
  const digits = String(next);
  if (digits.length < 7) return null;
  const year = Number(digits.slice(0, 4));
  if (year < 2000 || year > 2100) return null;
  const width = digits.length - 4;
  const scale = 10 ** width;
  const first = year * scale + 1;
  const last = year * scale + scale - 1;
  return { year, first, last, remaining: last - next + 1 };
}

/**
 * A warning when issuing `toIssue` invoices from `next` would leave the year's series, in Swedish; null when
 * they fit (or the numbers are not a year series).
 */
export function seriesOverflowWarning(next: number, toIssue: number): string | null {
  const series = seriesOf(next);
  if (!series || toIssue <= series.remaining) return null;
  const wider = series.year * 10 ** (String(series.last).length - 3) + 1;
  return (
    `Fakturaserien ${series.first}–${series.last} har ${series.remaining} nummer kvar, men ${toIssue} fakturor ska få nummer: ` +
    `de sista skulle få nummer som ser ut att höra till ${series.year + 1}. Välj en serie med plats under Inställningar, t.ex. ${wider}.`
  );
}

/** A note for the settings page when the series is running short (fewer than `margin` numbers left). */
export function seriesShortNote(next: number, margin = 100): string | null {
  const series = seriesOf(next);
  if (!series || series.remaining >= margin) return null;
  const wider = series.year * 10 ** (String(series.last).length - 3) + 1;
  return `Serien ${series.first}–${series.last} har bara ${series.remaining} nummer kvar. Byt till en serie med plats, t.ex. ${wider}.`;
}
