import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateShares, largestRemainder, type AllocationParticipant } from "../../billing/allocation";
import type { AllocationKey } from "../../billing/invoice-document";
import { buildInvoiceLines, lineFor, vatOf, VAT_RATES, type Charge, type VatRates } from "../../billing/invoice";
import { Decimal, oreToDecimalString } from "../../billing/money";

/*
 * The integer and lean paths that billing runs take at scale give exactly what the general ones give.
 */

const decimalVat = (amount: number, rate: number) =>
  new Decimal(amount).times(rate).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();

describe("vatOf's integer path", () => {
  it("equals amount × rate / 100 rounded half up (away from zero) by Decimal, negatives included", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(...VAT_RATES), (amount, rate) => {
        // Decimal keeps a negative zero (−1 öre at 25 % is −0.25 → −0); the fast path answers 0.
        expect(vatOf(amount, rate)).toBe(decimalVat(amount, rate) + 0);
      }),
      { numRuns: 5_000 },
    );
  });

  it.each([
    [-50, 25, -13], // −12.5 → −13
    [-2, 25, -1], // −0.5 → −1
    [-25, 6, -2], // −1.5 → −2
    [-8, 6, 0], // −0.48 → 0
    [-1, 25, 0], // −0.25 → 0, not −0
    [Number.MAX_SAFE_INTEGER, 25, decimalVat(Number.MAX_SAFE_INTEGER, 25)], // beyond the integer path
  ])("%i öre at %i %% → %i öre", (amount, rate, vat) => {
    expect(vatOf(amount, rate)).toBe(vat);
  });
});

describe("oreToDecimalString's integer path", () => {
  it("equals Decimal's öre / 100 to two places over every safe integer", () => {
    const decimal = (ore: number) => new Decimal(ore).dividedBy(100).toFixed(2);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.maxSafeInteger(), fc.maxSafeNat()), (ore) => {
        expect(oreToDecimalString(ore)).toBe(decimal(ore));
      }),
      { numRuns: 5_000 },
    );
    for (const ore of [0, -0, 1, -1, 9, -9, 10, 99, -99, 100, -100, 1_600_000, -1_234_567]) {
      expect(oreToDecimalString(ore)).toBe(decimal(ore));
    }
    expect(oreToDecimalString(Number.MAX_SAFE_INTEGER)).toBe("90071992547409.91");
    expect(oreToDecimalString(Number.MIN_SAFE_INTEGER)).toBe("-90071992547409.91");
    expect(() => oreToDecimalString(1.5)).toThrow(RangeError);
  });
});

describe("buildInvoiceLines", () => {
  it("gives what lineFor gives, keys in the same order", () => {
    const rates: VatRates = { entry_fee: 0, annual_fee: 25, project_share: 6, project_adjustment: 6 };
    const charges: Charge[] = [
      {
        kind: "annual_fee",
        memberId: 3,
        projectId: null,
        year: 2026,
        description: "Årsavgift",
        amount: 1_234_567,
        feeBasis: { bracket: "A", population: 1, populationYear: 2025, overrideNote: null },
        shareBasis: null,
      },
      {
        kind: "project_share",
        memberId: 3,
        projectId: 7,
        year: 2026,
        description: "Projektandel",
        amount: 25,
        feeBasis: null,
        shareBasis: null,
      },
    ];
    const lines = buildInvoiceLines(charges, rates);
    const expected = charges.map((c) =>
      lineFor({
        chargeKind: c.kind,
        chargeKey: c.kind === "annual_fee" ? "annual_fee:3:2026" : "project_share:3:7:2026",
        projectId: c.projectId,
        year: c.year,
        description: c.description,
        amount: c.amount,
        vatRate: rates[c.kind],
        feeBasis: c.feeBasis,
        shareBasis: c.shareBasis,
      }),
    );
    expect(JSON.stringify(lines)).toBe(JSON.stringify(expected));
  });
});

describe("allocateShares without exact strings", () => {
  it("gives the same shares, with exact left empty", () => {
    const keys: AllocationKey[] = ["per_capita", "equal", "fixed", "base_plus_per_capita"];
    const participants: AllocationParticipant[] = Array.from({ length: 37 }, (_, i) => ({
      memberId: i + 1,
      memberName: `M${i}`,
      municipalityCode: i % 3 === 0 ? null : String(1000 + i),
      population: 100 + ((i * 7919) % 5000),
      populationYear: 2025,
      weight: `${1 + (i % 4)}.5`,
    }));
    for (const key of keys) {
      const input = { budget: 123_456_789, key, basePercent: "12.5", participants };
      const full = allocateShares(input);
      const lean = allocateShares({ ...input, exactStrings: false });
      if (!full.ok || !lean.ok) throw new Error("allocation failed");
      expect(lean.shares.map((s) => s.share)).toEqual(full.shares.map((s) => s.share));
      expect(lean.shares.every((s) => s.exact === "")).toBe(true);
      expect(full.shares.every((s) => s.exact !== "")).toBe(true);
      expect({ ...lean, shares: [] }).toEqual({ ...full, shares: [] });
    }
  });
});

describe("allocateShares in doubles and in BigInt", () => {
  // The shares are computed in doubles while budget × the largest numerator is a safe integer, else in BigInt
  // (billing/allocation.ts roundShares): on either side of that boundary they are the largest-remainder rounding
  // of the exact shares, computed here with Decimal.
  it("rounds the exact shares by the largest remainder on either side of 2^53", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -3, max: 3 }),
        (populations, offset) => {
          const max = Math.max(...populations);
          const budget = Math.max(0, Math.floor(Number.MAX_SAFE_INTEGER / max) + offset);
          const participants: AllocationParticipant[] = populations.map((population, i) => ({
            memberId: i + 1,
            memberName: `M${i}`,
            municipalityCode: i % 4 === 0 ? null : String(1000 + (i % 7)),
            population,
            populationYear: 2025,
            weight: null,
          }));
          const result = allocateShares({ budget, key: "per_capita", participants });
          if (!result.ok) throw new Error("allocation failed");
          const total = populations.reduce((a, b) => a + b, 0);
          const rounded = largestRemainder(
            budget,
            participants.map((p) => ({
              memberId: p.memberId,
              municipalityCode: p.municipalityCode,
              exact: new Decimal(budget).times(p.population!).dividedBy(total),
            })),
          );
          expect(result.shares.map((s) => s.share)).toEqual(rounded);
          expect(result.shares.reduce((n, s) => n + s.share, 0)).toBe(budget);
        },
      ),
      { numRuns: 500 },
    );
  });
});
