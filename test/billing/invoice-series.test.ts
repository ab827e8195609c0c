import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { seriesOf, seriesOverflowWarning, seriesShortNote } from "../../billing/invoice-series";

describe("invoice number series", () => {
  test.each([
    [2026001, { year: 2026, first: 2026001, last: 2026999, remaining: 999 }],
    [2026999, { year: 2026, first: 2026001, last: 2026999, remaining: 1 }],
    [20260001, { year: 2026, first: 20260001, last: 20269999, remaining: 9999 }],
    [20265000, { year: 2026, first: 20260001, last: 20269999, remaining: 5000 }],
  ])("%i is in its year's series", (next, series) => {
    expect(seriesOf(next)).toEqual(series);
  });

  test.each([1, 1001, 999999, 1999001, 2101001, 0, -5, 1.5])("%d is a plain running number", (next) => {
    expect(seriesOf(next)).toBeNull();
  });

  test("the warning comes when the drafts do not fit, and proposes a series with room", () => {
    expect(seriesOverflowWarning(2026990, 10)).toBeNull();
    const warning = seriesOverflowWarning(2026990, 11)!;
    expect(warning).toContain("2026001–2026999 har 10 nummer kvar, men 11 fakturor");
    expect(warning).toContain("t.ex. 20260001");
    expect(seriesOverflowWarning(1000, 5000)).toBeNull();
  });

  test("the settings note comes when fewer than 100 numbers are left", () => {
    expect(seriesShortNote(2026900)).toBeNull();
    expect(seriesShortNote(2026901)).toBe(
      "Serien 2026001–2026999 har bara 99 nummer kvar. Byt till en serie med plats, t.ex. 20260001.",
    );
  });

  test("property: issuing the remaining numbers stays in the year, one more leaves it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 3, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (year, width, at) => {
          const scale = 10 ** width;
          const next = year * scale + 1 + Math.floor(at * (scale - 2));
          const series = seriesOf(next)!;
          const lastIssued = next + series.remaining - 1;
          expect(String(lastIssued).slice(0, 4)).toBe(String(year));
          expect(String(lastIssued + 1).slice(0, 4)).not.toBe(String(year));
          expect(seriesOverflowWarning(next, series.remaining)).toBeNull();
          expect(seriesOverflowWarning(next, series.remaining + 1)).not.toBeNull();
        },
      ),
    );
  });
});
