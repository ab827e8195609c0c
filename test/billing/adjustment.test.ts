import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adjustmentKey,
  adjustmentSequence,
  describeChange,
  netsAfter,
  planProjectYear,
  settlementViolations,
  type HeldNet,
} from "../../billing/adjustment";
import { largestRemainder } from "../../billing/allocation";
import { Decimal } from "../../billing/money";

const both = { share: true, adjustment: true };
const m = <V>(entries: Array<[number, V]>) => new Map(entries);

describe("planProjectYear", () => {
  it.each([
    {
      name: "nothing invoiced: first shares only",
      current: m([
        [1, 500],
        [2, 500],
      ]),
      held: m<HeldNet>([]),
      kinds: both,
      want: {
        kind: "bill",
        shares: [
          { memberId: 1, amount: 500 },
          { memberId: 2, amount: 500 },
        ],
        adjustments: [],
      },
    },
    {
      name: "a late joiner: its share, the others' refunds",
      current: m([
        [1, 334],
        [2, 333],
        [3, 333],
      ]),
      held: m<HeldNet>([
        [1, { net: 500, hasShare: true }],
        [2, { net: 500, hasShare: true }],
      ]),
      kinds: both,
      want: {
        kind: "bill",
        shares: [{ memberId: 3, amount: 333 }],
        adjustments: [
          { memberId: 1, invoicedBefore: 500, shareNow: 334, amount: -166 },
          { memberId: 2, invoicedBefore: 500, shareNow: 333, amount: -167 },
        ],
      },
    },
    {
      name: "a member taken out gets its whole net back",
      current: m([[1, 1000]]),
      held: m<HeldNet>([
        [1, { net: 500, hasShare: true }],
        [2, { net: 500, hasShare: true }],
      ]),
      kinds: both,
      want: {
        kind: "bill",
        shares: [],
        adjustments: [
          { memberId: 1, invoicedBefore: 500, shareNow: 1000, amount: 500 },
          { memberId: 2, invoicedBefore: 500, shareNow: 0, amount: -500 },
        ],
      },
    },
    {
      name: "unchanged: nothing",
      current: m([
        [1, 500],
        [2, 500],
      ]),
      held: m<HeldNet>([
        [1, { net: 500, hasShare: true }],
        [2, { net: 500, hasShare: true }],
      ]),
      kinds: both,
      want: { kind: "nothing" },
    },
    {
      name: "a credited share is billed again as a share, no adjustment",
      current: m([
        [1, 500],
        [2, 500],
      ]),
      held: m<HeldNet>([[1, { net: 500, hasShare: true }]]),
      kinds: { share: true, adjustment: false },
      want: { kind: "bill", shares: [{ memberId: 2, amount: 500 }], adjustments: [] },
    },
  ])("$name", ({ current, held, kinds, want }) => {
    expect(planProjectYear({ budget: 1000, current, held, kinds })).toEqual(want);
  });

  it("refuses a newcomer's share without the others' adjustments, naming the kind missing", () => {
    const plan = planProjectYear({
      budget: 1000,
      current: m([
        [1, 500],
        [2, 500],
      ]),
      held: m<HeldNet>([[1, { net: 1000, hasShare: true }]]),
      kinds: { share: true, adjustment: false },
    });
    expect(plan.kind).toBe("refused");
    expect(plan.kind === "refused" && plan.missing).toBe("project_adjustment");
  });

  it("settles any history: whatever was held, the plan's lines bring every member to its current share and the budget", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 12 }),
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.boolean()),
          { maxLength: 15 },
        ),
        (budget, ids, heldList) => {
          const weights = ids.map((id) => 1 + (id % 7));
          const totalWeight = weights.reduce((s, w) => s + w, 0);
          const shares = largestRemainder(
            budget,
            ids.map((id, i) => ({
              memberId: id,
              municipalityCode: null,
              exact: new Decimal(budget).times(weights[i]).dividedBy(totalWeight),
            })),
          );
          const current = new Map(ids.map((id, i) => [id, shares[i]]));
          const held = new Map<number, HeldNet>();
          for (const [id, net, hasShare] of heldList) held.set(id, { net, hasShare });
          const plan = planProjectYear({ budget, current, held, kinds: both });
          if (plan.kind === "refused") return false;
          const after =
            plan.kind === "nothing" ? netsAfter(held, { shares: [], adjustments: [] }) : netsAfter(held, plan);
          // A member with share 0 and nothing held is no violation; held zero-nets are fine too.
          return (
            settlementViolations(
              budget,
              new Map([...current].filter(([, v]) => v !== 0)),
              new Map([...after].filter(([, v]) => v !== 0)),
            ).length === 0
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("settlementViolations", () => {
  it("names the member off its share and a sum off the budget", () => {
    expect(
      settlementViolations(
        1000,
        m([
          [1, 600],
          [2, 400],
        ]),
        m([
          [1, 600],
          [2, 399],
        ]),
      ),
    ).toEqual([
      { memberId: 2, message: "netto 399 öre, andel 400 öre" },
      { memberId: null, message: "summa 999 öre, budget 1000 öre" },
    ]);
    expect(
      settlementViolations(
        1000,
        m([
          [1, 600],
          [2, 400],
        ]),
        m([
          [1, 600],
          [2, 400],
        ]),
      ),
    ).toEqual([]);
  });
});

describe("adjustment keys", () => {
  it("count the adjustments of a member's project-year and read back", () => {
    expect(adjustmentKey(7, 3, 2026, 2)).toBe("project_adjustment:7:3:2026:2");
    expect(adjustmentSequence("project_adjustment:7:3:2026:2")).toBe(2);
    expect(adjustmentSequence("project_share:7:3:2026")).toBeNull();
    expect(() => adjustmentKey(7, 3, 2026, 0)).toThrow(RangeError);
  });
});

describe("describeChange", () => {
  it("says who joined and left, the budget, weights and population figures", () => {
    const member = (memberId: number, name: string, population: number | null, weight: string | null = null) => ({
      memberId,
      name,
      population,
      populationYear: population === null ? null : 2024,
      weight,
    });
    expect(
      describeChange(
        { budget: 80_000_000, members: [member(1, "Göteborgs stad", 608993, "60"), member(2, "Mölndals stad", 71420)] },
        {
          budget: 90_000_000,
          members: [member(1, "Göteborgs stad", 610000, "50"), member(3, "Grästorp kommun", 5555)],
        },
      ),
    ).toEqual([
      "budget 800 000,00 kr → 900 000,00 kr",
      "ny deltagare: Grästorp kommun",
      "inte längre med: Mölndals stad",
      "vikt Göteborgs stad 60 → 50",
      "invånarantal Göteborgs stad 608 993 (2024) → 610 000 (2024)",
    ]);
  });
});
