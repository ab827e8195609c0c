import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateShares, largestRemainder, type AllocationParticipant } from "../../billing/allocation";
import type { AllocationKey } from "../../billing/invoice-document";
import { Decimal } from "../../billing/money";

type DecimalValue = InstanceType<typeof Decimal>;

/** Decimal strings with at most two decimals, as a form would send them: "12", "0.5", "33.25". */
function decimalString(cents: number): string {
  const whole = Math.floor(cents / 100);
  const fraction = cents % 100;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(2, "0").replace(/0$/, "")}`;
}

const participantsArb = fc
  .uniqueArray(
    fc.record({
      memberId: fc.integer({ min: 1, max: 100_000 }),
      // A small pool of codes so that ties on remainder and code happen; null = not a municipality.
      municipalityCode: fc.option(fc.constantFrom("0114", "0127", "0180", "1438", "1480", "1481", "2584"), { freq: 5 }),
      population: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(0, 1, 10_000, 100_000)),
      weight: fc.integer({ min: 1, max: 100_000 }).map(decimalString), // 0.01 … 1000
    }),
    { minLength: 1, maxLength: 200, selector: (p) => p.memberId },
  )
  .filter((ps) => ps.some((p) => p.population > 0))
  .map((ps) =>
    ps.map((p): AllocationParticipant => ({
      ...p,
      memberName: `Medlem ${p.memberId}`,
      populationYear: 2024,
    })),
  );

const budgetArb = fc.oneof(
  fc.integer({ min: 0, max: 1_000 }),
  fc.integer({ min: 0, max: 1_000_000_000_000 }), // up to 10 000 000 000,00 kr
);
const basePercentArb = fc.integer({ min: 0, max: 10_000 }).map(decimalString); // 0 … 100

/** Allocation input with the same participants once more in another order. */
const caseArb = fc
  .record({ budget: budgetArb, basePercent: basePercentArb, participants: participantsArb })
  .chain((c) =>
    fc
      .shuffledSubarray(c.participants, { minLength: c.participants.length, maxLength: c.participants.length })
      .map((shuffled) => ({ ...c, shuffled })),
  );

/** Each participant's exact share, computed independently of the implementation with Decimal. */
function exactShares(
  key: AllocationKey,
  budget: number,
  basePercent: string,
  ps: AllocationParticipant[],
): DecimalValue[] {
  const b = new Decimal(budget);
  const totalPop = ps.reduce((sum, p) => sum.plus(p.population!), new Decimal(0));
  switch (key) {
    case "equal":
      return ps.map(() => b.dividedBy(ps.length));
    case "per_capita":
      return ps.map((p) => b.times(p.population!).dividedBy(totalPop));
    case "fixed": {
      const totalWeight = ps.reduce((sum, p) => sum.plus(p.weight!), new Decimal(0));
      return ps.map((p) => b.times(p.weight!).dividedBy(totalWeight));
    }
    case "base_plus_per_capita": {
      const base = b.times(basePercent).dividedBy(100);
      const rest = b.minus(base);
      return ps.map((p) => base.dividedBy(ps.length).plus(rest.times(p.population!).dividedBy(totalPop)));
    }
  }
}

const KEYS: AllocationKey[] = ["per_capita", "equal", "fixed", "base_plus_per_capita"];

describe.each(KEYS)("allocateShares properties: %s", (key) => {
  it("shares add up to the budget, are never negative, are within 1 öre of the exact share, and ignore input order", () => {
    fc.assert(
      fc.property(caseArb, ({ budget, basePercent, participants, shuffled }) => {
        const result = allocateShares({ budget, key, basePercent, participants });
        expect(result.ok).toBe(true);
        if (!result.ok) return;

        expect(result.shares.map((s) => s.memberId)).toEqual(participants.map((p) => p.memberId));
        const total = result.shares.reduce((sum, s) => sum + BigInt(s.share), 0n);
        expect(total).toBe(BigInt(budget));

        const exact = exactShares(key, budget, basePercent, participants);
        result.shares.forEach((s, i) => {
          expect(Number.isSafeInteger(s.share)).toBe(true);
          expect(s.share).toBeGreaterThanOrEqual(0);
          expect(new Decimal(s.share).minus(exact[i]).abs().lessThan(1)).toBe(true);
          // The displayed exact share is the exact share to 12 decimals.
          expect(new Decimal(s.exact).minus(exact[i]).abs().lessThanOrEqualTo("0.0000000000005")).toBe(true);
        });

        const again = allocateShares({ budget, key, basePercent, participants: shuffled });
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        const byId = (shares: typeof result.shares) =>
          Object.fromEntries(shares.map((s) => [s.memberId, [s.share, s.exact]]));
        expect(byId(again.shares)).toEqual(byId(result.shares));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with largestRemainder applied to independently computed exact shares", () => {
    fc.assert(
      fc.property(caseArb, ({ budget, basePercent, participants }) => {
        const result = allocateShares({ budget, key, basePercent, participants });
        if (!result.ok) throw new Error("allocation failed");
        const exact = exactShares(key, budget, basePercent, participants);
        const rounded = largestRemainder(
          budget,
          participants.map((p, i) => ({ memberId: p.memberId, municipalityCode: p.municipalityCode, exact: exact[i] })),
        );
        expect(rounded).toEqual(result.shares.map((s) => s.share));
      }),
      { numRuns: 200 },
    );
  });
});
