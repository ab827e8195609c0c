import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { allocateShares, type AllocationParticipant } from "../../billing/allocation";
import { basePart, splitBasePlusPerCapita } from "../../billing/allocation-parts";
import { Decimal } from "../../billing/money";

const participant = (memberId: number, population: number): AllocationParticipant => ({
  memberId,
  memberName: `M${memberId}`,
  municipalityCode: String(1000 + memberId),
  population,
  populationYear: 2025,
  weight: null,
});

describe("base part of base_plus_per_capita", () => {
  test.each([
    // budget öre, percent, participants, base part
    [100_000_00, "20", 4, 5_000_00], // 20 000 kr equally among 4
    [100_000_00, "0", 3, 0],
    [100_000_00, "100", 3, 33_333_33], // 1/3 öre rounded down; the rounding öre go to the rest
    [1, "50", 2, 0],
    [123_456_78, "12.5", 7, 220_458], // 12 345 678 öre × 0,125 / 7 = 220 458,54 öre, rounded down
  ])("%i öre, %s %%, %i participants → %i öre each", (budget, percent, n, expected) => {
    expect(basePart(budget, percent, n)).toBe(expected);
  });

  test("refuses what the project form never stores", () => {
    expect(() => basePart(100, "101", 2)).toThrow(RangeError);
    expect(() => basePart(100, "abc", 2)).toThrow(RangeError);
    expect(() => basePart(100, "10", 0)).toThrow(RangeError);
  });

  test("a worked example: parts add up to each share", () => {
    const ps = [participant(1, 1000), participant(2, 2000), participant(3, 7001)];
    const result = allocateShares({
      key: "base_plus_per_capita",
      budget: 100_000_00,
      basePercent: "30",
      participants: ps,
    });
    if (!result.ok) throw new Error("allocation failed");
    const parts = splitBasePlusPerCapita(100_000_00, "30", result.shares);
    expect(parts.map((p) => p.base)).toEqual([1_000_000, 1_000_000, 1_000_000]);
    parts.forEach((p, i) => expect(p.base + p.perCapita).toBe(result.shares[i].share));
  });

  test("property: parts add up to the share, are never negative, and per-capita is within 2 öre of exact", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_00 }),
        fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 99 })),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        (budget, [whole, cents], pops) => {
          const percent = whole === 100 ? "100" : `${whole}.${String(cents).padStart(2, "0")}`;
          const ps = pops.map((p, i) => participant(i + 1, p));
          const result = allocateShares({
            key: "base_plus_per_capita",
            budget,
            basePercent: percent,
            participants: ps,
          });
          if (!result.ok) return; // all populations 0 with a per-capita part: the page shows the error instead
          const parts = splitBasePlusPerCapita(budget, percent, result.shares);
          const total = pops.reduce((a, b) => a + b, 0);
          const rest = new Decimal(budget).times(new Decimal(100).minus(percent)).dividedBy(100);
          parts.forEach((p, i) => {
            expect(p.base + p.perCapita).toBe(result.shares[i].share);
            expect(p.perCapita).toBeGreaterThanOrEqual(0);
            const exact = total === 0 ? new Decimal(0) : rest.times(pops[i]).dividedBy(total);
            expect(exact.minus(p.perCapita).abs().lt(2)).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
