import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ShareBasis } from "../../billing/invoice-document";
import { shareBasisJson } from "../../db/invoices";

/* The stored basis of a project line (invoice_lines.basis) is JSON.stringify's text, whatever path made it. */

const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const basis: fc.Arbitrary<ShareBasis> = fc.record({
  projectCode: fc.constantFrom("P-001", "P-002", 'Q"1', "Å\\x"),
  projectName: fc.constantFrom("E-tjänst 1", 'Namn med "citat"', ',"population":1', "\u2028"),
  year: fc.constantFrom(2025, 2026),
  allocationKey: fc.constantFrom("per_capita", "equal", "fixed", "base_plus_per_capita"),
  basePercent: nullable(fc.constantFrom("12.5", "20")),
  budget: fc.constantFrom(0, 50_000_037, 123_456_789),
  participantCount: fc.constantFrom(1, 3, 10_000),
  population: nullable(fc.integer({ min: 0, max: 1e7 })),
  populationYear: nullable(fc.constantFrom(2024, 2025)),
  totalPopulation: nullable(fc.integer({ min: 0, max: 1e9 })),
  weight: nullable(fc.constantFrom("1", "33.5", '"x"')),
  totalWeight: nullable(fc.constantFrom("100", "12.25")),
});

describe("shareBasisJson", () => {
  it("prints exactly what JSON.stringify prints, repeated project fields or not", () => {
    fc.assert(
      fc.property(fc.array(basis, { minLength: 1, maxLength: 20 }), (bases) => {
        for (const b of bases) expect(shareBasisJson(b)).toBe(JSON.stringify(b));
      }),
      { numRuns: 2_000 },
    );
  });

  it("falls back to JSON.stringify for another key order or extra keys", () => {
    const b: ShareBasis = {
      projectCode: "P-1",
      projectName: "X",
      year: 2026,
      allocationKey: "equal",
      basePercent: null,
      budget: 1,
      participantCount: 1,
      population: null,
      populationYear: null,
      totalPopulation: null,
      weight: null,
      totalWeight: null,
    };
    const { weight, ...rest } = b;
    const reordered = { weight, ...rest } as ShareBasis;
    const extra = { ...b, note: "n" } as ShareBasis;
    shareBasisJson(b);
    expect(shareBasisJson(reordered)).toBe(JSON.stringify(reordered));
    expect(shareBasisJson(extra)).toBe(JSON.stringify(extra));
  });
});
