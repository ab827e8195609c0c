import { describe, expect, it } from "vitest";
import { allocateShares, largestRemainder, NO_MEMBER, type AllocationParticipant } from "../../billing/allocation";
import { Decimal, sumOre } from "../../billing/money";

/** Real populations on 31 December 2024 (SCB), from /work/shared/data/municipalities-2024.csv. */
const DALS_ED = participant(1, "Dals-Ed", "1438", 4_606);
const GOTEBORG = participant(2, "Göteborg", "1480", 608_993);
const MOLNDAL = participant(3, "Mölndal", "1481", 71_420);
const BOTKYRKA = participant(4, "Botkyrka", "0127", 95_905);

function participant(
  memberId: number,
  memberName: string,
  municipalityCode: string | null,
  population: number | null,
  weight: string | null = null,
): AllocationParticipant {
  return { memberId, memberName, municipalityCode, population, populationYear: 2024, weight };
}

function sharesById(result: ReturnType<typeof allocateShares>): Record<number, number> {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return Object.fromEntries(result.shares.map((s) => [s.memberId, s.share]));
}

describe("allocateShares: equal", () => {
  it("100 000,00 kr by 3: the extra öre goes to the lowest municipality code, whatever the input order", () => {
    const budget = 10_000_000; // 100 000,00 kr; 10 000 000 / 3 = 3 333 333 rest 1
    const a = participant(10, "Mölndal", "1481", null);
    const b = participant(11, "Botkyrka", "0127", null);
    const c = participant(12, "Dals-Ed", "1438", null);
    for (const order of [
      [a, b, c],
      [c, a, b],
      [b, c, a],
      [c, b, a],
    ]) {
      const result = allocateShares({ budget, key: "equal", participants: order });
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.shares.map((s) => s.memberId)).toEqual(order.map((p) => p.memberId)); // input order kept
      expect(sharesById(result)).toEqual({ 10: 3_333_333, 11: 3_333_334, 12: 3_333_333 });
      expect(result.shares.find((s) => s.memberId === 11)?.exact).toBe("3333333.333333333333");
      expect(result.totalPopulation).toBeNull();
      expect(result.totalWeight).toBeNull();
    }
  });

  it("ties without codes go to the lower member id, after every member with a code", () => {
    const budget = 5; // 5 / 4 = 1 rest 1
    const participants = [
      participant(7, "SKR", null, null),
      participant(3, "Myndigheten", null, null),
      participant(9, "Partille", "1402", null),
      participant(8, "Nacka", "0182", null),
    ];
    expect(sharesById(allocateShares({ budget, key: "equal", participants }))).toEqual({ 7: 1, 3: 1, 9: 1, 8: 2 });
    const six = allocateShares({ budget: 7, key: "equal", participants }); // 7 / 4 = 1 rest 3
    expect(sharesById(six)).toEqual({ 7: 1, 3: 2, 9: 2, 8: 2 });
  });

  it("equal ignores missing populations", () => {
    const result = allocateShares({ budget: 100, key: "equal", participants: [participant(1, "SKR", null, null)] });
    expect(sharesById(result)).toEqual({ 1: 100 });
  });
});

describe("allocateShares: per_capita", () => {
  it("1 000 000,00 kr among Dals-Ed, Göteborg and Mölndal (exact arithmetic by hand)", () => {
    const budget = 100_000_000;
    // Σpop = 4 606 + 608 993 + 71 420 = 685 019
    // Dals-Ed:  100 000 000 × 4 606 / 685 019   =    672 390 rest  74 590 (…,109)
    // Göteborg: 100 000 000 × 608 993 / 685 019 = 88 901 621 rest 484 201 (…,707)
    // Mölndal:  100 000 000 × 71 420 / 685 019  = 10 425 988 rest 126 228 (…,184)
    // floors add up to 99 999 999; the one öre left goes to the largest remainder, Göteborg.
    const B = BigInt(budget);
    const S = 685_019n;
    expect(S).toBe(BigInt(DALS_ED.population! + GOTEBORG.population! + MOLNDAL.population!));
    expect([4_606n, 608_993n, 71_420n].map((p) => [(B * p) / S, (B * p) % S])).toEqual([
      [672_390n, 74_590n],
      [88_901_621n, 484_201n],
      [10_425_988n, 126_228n],
    ]);

    const result = allocateShares({ budget, key: "per_capita", participants: [MOLNDAL, DALS_ED, GOTEBORG] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The exact share is shown rounded to 12 decimals: 126 228 / 685 019 = 0.184269341434…,
    // 74 590 / 685 019 = 0.108887490712…, 484 201 / 685 019 = 0.706843167854…
    expect(result.shares).toEqual([
      { memberId: 3, share: 10_425_988, exact: "10425988.184269341434" },
      { memberId: 1, share: 672_390, exact: "672390.108887490712" },
      { memberId: 2, share: 88_901_622, exact: "88901621.706843167854" },
    ]);
    expect(sumOre(result.shares.map((s) => s.share))).toBe(budget);
    expect(result.totalPopulation).toBe(685_019);
  });

  it("a member with a population of 0 pays nothing", () => {
    const result = allocateShares({
      budget: 1_000,
      key: "per_capita",
      participants: [participant(1, "SKR", null, 0), participant(2, "Dals-Ed", "1438", 4_606)],
    });
    expect(sharesById(result)).toEqual({ 1: 0, 2: 1_000 });
  });

  it("a missing population is an error naming the member, never a silent 0", () => {
    const result = allocateShares({
      budget: 1_000_000,
      key: "per_capita",
      participants: [DALS_ED, participant(2, "Göteborg", "1480", null), participant(5, "SKR", null, null)],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { memberId: 2, message: "Göteborg (1480) saknar invånarantal för befolkningsunderlaget" },
        { memberId: 5, message: "SKR saknar invånarantal för befolkningsunderlaget" },
      ],
    });
  });

  it("a missing population is an error even when the budget is 0", () => {
    const result = allocateShares({
      budget: 0,
      key: "per_capita",
      participants: [participant(2, "Göteborg", "1480", null)],
    });
    expect(result.ok).toBe(false);
  });

  it("all populations 0 cannot be split, unless there is nothing to split", () => {
    const participants = [participant(1, "A", "0101", 0), participant(2, "B", "0102", 0)];
    const result = allocateShares({ budget: 100, key: "per_capita", participants });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.memberId)).toEqual([1, 2]);
      expect(result.errors[0].message).toContain("invånarantal 0");
    }
    expect(sharesById(allocateShares({ budget: 0, key: "per_capita", participants }))).toEqual({ 1: 0, 2: 0 });
  });
});

describe("allocateShares: fixed", () => {
  const participants = [
    participant(1, "Dals-Ed", "1438", null, "50"),
    participant(2, "Göteborg", "1480", null, "33.5"),
    participant(3, "Mölndal", "1481", null, "16.5"),
  ];

  it("splits by the agreed weights", () => {
    const result = allocateShares({ budget: 10_000_000, key: "fixed", participants });
    expect(sharesById(result)).toEqual({ 1: 5_000_000, 2: 3_350_000, 3: 1_650_000 });
    if (result.ok) {
      expect(result.totalWeight).toBe("100");
      expect(result.totalPopulation).toBeNull();
      expect(result.shares.map((s) => s.exact)).toEqual(["5000000", "3350000", "1650000"]);
    }
  });

  it("rounds by the largest remainder", () => {
    // 100 001 öre: 50 000,5 / 33 500,335 / 16 500,165 → floors 100 000, the öre left goes to the 0,5.
    expect(sharesById(allocateShares({ budget: 100_001, key: "fixed", participants }))).toEqual({
      1: 50_001,
      2: 33_500,
      3: 16_500,
    });
  });

  it("weights need not add up to 100", () => {
    const two = [participant(1, "A", "0101", null, "1"), participant(2, "B", "0102", null, "2.25")];
    const result = allocateShares({ budget: 1_300, key: "fixed", participants: two });
    expect(sharesById(result)).toEqual({ 1: 400, 2: 900 });
    if (result.ok) expect(result.totalWeight).toBe("3.25");
  });

  it.each([
    [null, "Göteborg (1480) saknar andel (vikt) för den fasta fördelningen"],
    ["0", "Göteborg (1480) har en ogiltig andel (vikt) ”0”; den ska vara ett tal större än 0"],
    ["-3", "Göteborg (1480) har en ogiltig andel (vikt) ”-3”; den ska vara ett tal större än 0"],
    ["33,5", "Göteborg (1480) har en ogiltig andel (vikt) ”33,5”; den ska vara ett tal större än 0"],
  ])("weight %j is an error naming the member", (weight, message) => {
    const bad = participants.map((p) => (p.memberId === 2 ? { ...p, weight } : p));
    expect(allocateShares({ budget: 1_000, key: "fixed", participants: bad })).toEqual({
      ok: false,
      errors: [{ memberId: 2, message }],
    });
  });
});

describe("allocateShares: base_plus_per_capita", () => {
  it("20 % equally, 80 % per capita (exact arithmetic by hand)", () => {
    const budget = 100_000_000;
    // Base part 20 000 000 / 3 each; per-capita part 80 000 000 × pop / 685 019.
    // In öre with denominator 3 × 685 019 = 2 055 057:
    //   Dals-Ed:  (20 000 000 × 685 019 + 80 000 000 × 3 × 4 606) / 2 055 057 = 7 204 578 + 1 549 054/2 055 057
    //   Göteborg: (… + 80 000 000 × 3 × 608 993) / 2 055 057            = 77 787 964 +    66 052/2 055 057
    //   Mölndal:  (… + 80 000 000 × 3 × 71 420) / 2 055 057             = 15 007 457 +   439 951/2 055 057
    // floors add up to 99 999 999; the last öre goes to Dals-Ed (largest remainder).
    const D = 2_055_057n;
    const base = 20_000_000n * 685_019n;
    expect(
      [4_606n, 608_993n, 71_420n].map((p) => [(base + 240_000_000n * p) / D, (base + 240_000_000n * p) % D]),
    ).toEqual([
      [7_204_578n, 1_549_054n],
      [77_787_964n, 66_052n],
      [15_007_457n, 439_951n],
    ]);
    const result = allocateShares({
      budget,
      key: "base_plus_per_capita",
      basePercent: "20",
      participants: [GOTEBORG, DALS_ED, MOLNDAL],
    });
    expect(sharesById(result)).toEqual({ 1: 7_204_579, 2: 77_787_964, 3: 15_007_457 });
    if (result.ok) {
      expect(sumOre(result.shares.map((s) => s.share))).toBe(budget);
      expect(result.totalPopulation).toBe(685_019);
    }
  });

  it("0 % is per capita and 100 % is equal", () => {
    const participants = [GOTEBORG, DALS_ED, MOLNDAL, BOTKYRKA];
    const budget = 123_456_789;
    expect(allocateShares({ budget, key: "base_plus_per_capita", basePercent: "0", participants })).toEqual(
      allocateShares({ budget, key: "per_capita", participants }),
    );
    const allBase = allocateShares({ budget, key: "base_plus_per_capita", basePercent: "100", participants });
    const equal = allocateShares({ budget, key: "equal", participants });
    expect(sharesById(allBase)).toEqual(sharesById(equal));
  });

  it("100 % works even when all populations are 0", () => {
    const participants = [participant(1, "A", "0101", 0), participant(2, "B", "0102", 0)];
    expect(
      sharesById(allocateShares({ budget: 3, key: "base_plus_per_capita", basePercent: "100", participants })),
    ).toEqual({
      1: 2,
      2: 1,
    });
    expect(allocateShares({ budget: 3, key: "base_plus_per_capita", basePercent: "50", participants }).ok).toBe(false);
  });

  it("a decimal percentage", () => {
    // 12.5 % of 800 = 100 split by 2 = 50 each; 700 per capita 1:3 = 175 / 525.
    const participants = [participant(1, "A", "0101", 1_000), participant(2, "B", "0102", 3_000)];
    expect(
      sharesById(allocateShares({ budget: 800, key: "base_plus_per_capita", basePercent: "12.5", participants })),
    ).toEqual({
      1: 225,
      2: 575,
    });
  });

  it("needs a population for every participant", () => {
    const result = allocateShares({
      budget: 1_000,
      key: "base_plus_per_capita",
      basePercent: "20",
      participants: [DALS_ED, participant(2, "Göteborg", "1480", null)],
    });
    expect(result).toEqual({
      ok: false,
      errors: [{ memberId: 2, message: "Göteborg (1480) saknar invånarantal för befolkningsunderlaget" }],
    });
  });

  it.each([null, undefined, "", "101", "-1", "20%", "20,5"])("throws for basePercent %j", (basePercent) => {
    expect(() =>
      allocateShares({ budget: 1_000, key: "base_plus_per_capita", basePercent, participants: [DALS_ED] }),
    ).toThrow(RangeError);
  });
});

describe("allocateShares: budgets and participant sets at the edges", () => {
  it.each(["per_capita", "equal", "fixed", "base_plus_per_capita"] as const)("budget 0 gives all zeros (%s)", (key) => {
    const participants = [DALS_ED, GOTEBORG, MOLNDAL].map((p) => ({ ...p, weight: "1" }));
    const result = allocateShares({ budget: 0, key, basePercent: "20", participants });
    expect(sharesById(result)).toEqual({ 1: 0, 2: 0, 3: 0 });
  });

  it("no participants: nothing to do for budget 0, an error otherwise", () => {
    expect(allocateShares({ budget: 0, key: "per_capita", participants: [] })).toMatchObject({ ok: true, shares: [] });
    expect(allocateShares({ budget: 100, key: "per_capita", participants: [] })).toEqual({
      ok: false,
      errors: [{ memberId: NO_MEMBER, message: "Projektet har inga deltagare att fördela budgeten på" }],
    });
  });

  it("a single participant pays it all", () => {
    expect(sharesById(allocateShares({ budget: 999_999_999, key: "per_capita", participants: [DALS_ED] }))).toEqual({
      1: 999_999_999,
    });
  });

  it("a member listed twice is an error", () => {
    const result = allocateShares({ budget: 100, key: "equal", participants: [DALS_ED, GOTEBORG, DALS_ED] });
    expect(result).toEqual({
      ok: false,
      errors: [{ memberId: 1, message: "Dals-Ed (1438) finns med två gånger bland deltagarna" }],
    });
  });

  it("throws for a negative or fractional budget", () => {
    expect(() => allocateShares({ budget: -1, key: "equal", participants: [DALS_ED] })).toThrow(RangeError);
    expect(() => allocateShares({ budget: 10.5, key: "equal", participants: [DALS_ED] })).toThrow(RangeError);
  });

  it("handles the largest safe budget exactly", () => {
    const budget = Number.MAX_SAFE_INTEGER;
    const result = allocateShares({ budget, key: "per_capita", participants: [DALS_ED, GOTEBORG, MOLNDAL] });
    expect(result.ok).toBe(true);
    if (result.ok) expect(sumOre(result.shares.map((s) => s.share))).toBe(budget);
  });
});

describe("largestRemainder", () => {
  const third = new Decimal(10_000_000).dividedBy(3); // 3333333.333… to 60 digits, a sliver short of the true third

  it("hands out the leftover öre to the lowest code on a tie", () => {
    const shares = largestRemainder(10_000_000, [
      { memberId: 1, municipalityCode: "1481", exact: third },
      { memberId: 2, municipalityCode: null, exact: third },
      { memberId: 3, municipalityCode: "0127", exact: third },
    ]);
    expect(shares).toEqual([3_333_333, 3_333_333, 3_333_334]);
  });

  it("prefers the larger remainder over the lower code", () => {
    const shares = largestRemainder(10, [
      { memberId: 1, municipalityCode: "0101", exact: new Decimal("3.3") },
      { memberId: 2, municipalityCode: "2501", exact: new Decimal("6.7") },
    ]);
    expect(shares).toEqual([3, 7]);
  });

  it("then the lower member id", () => {
    const shares = largestRemainder(2, [
      { memberId: 9, municipalityCode: null, exact: new Decimal("0.5") },
      { memberId: 4, municipalityCode: null, exact: new Decimal("0.5") },
      { memberId: 8, municipalityCode: "0101", exact: new Decimal("1") },
    ]);
    expect(shares).toEqual([0, 1, 1]);
  });

  it("rejects shares that do not add up or are negative", () => {
    expect(() =>
      largestRemainder(4, [
        { memberId: 1, municipalityCode: null, exact: new Decimal("1.5") },
        { memberId: 2, municipalityCode: null, exact: new Decimal("1.5") },
      ]),
    ).toThrow(RangeError);
    expect(() =>
      largestRemainder(1, [
        { memberId: 1, municipalityCode: null, exact: new Decimal("2") },
        { memberId: 2, municipalityCode: null, exact: new Decimal("-1") },
      ]),
    ).toThrow(RangeError);
    expect(() => largestRemainder(-1, [])).toThrow(RangeError);
  });
});

describe("allocateShares: speed", () => {
  it("allocates 10 000 participants in well under a second, for every key", () => {
    const participants: AllocationParticipant[] = Array.from({ length: 10_000 }, (_, i) => ({
      memberId: i + 1,
      memberName: `Kommun ${i + 1}`,
      municipalityCode: String(100 + (i % 2400)).padStart(4, "0"),
      population: 1_000 + ((i * 7_919) % 900_000),
      populationYear: 2024,
      weight: `${1 + (i % 997)}.${i % 100}`,
    }));
    for (const key of ["per_capita", "equal", "fixed", "base_plus_per_capita"] as const) {
      // The best of five runs: the bound is there to catch a slow algorithm, not a busy machine.
      const times: number[] = [];
      for (let run = 0; run < 5; run++) {
        const budget = 987_654_321_01 + run;
        const start = performance.now();
        const result = allocateShares({ budget, key, basePercent: "20", participants });
        times.push(performance.now() - start);
        expect(result.ok).toBe(true);
        if (result.ok) expect(sumOre(result.shares.map((s) => s.share))).toBe(budget);
      }
      const best = Math.min(...times);
      console.log(
        `allocateShares ${key}, 10 000 participants: best ${best.toFixed(1)} ms of ${times.map((t) => t.toFixed(1)).join(", ")}`,
      );
      expect(best).toBeLessThan(500);
    }
  });
});

describe("largestRemainder with Decimal quotients of different sizes", () => {
  it("sees equal remainders as equal although the larger share has fewer decimals", () => {
    // 10 000 000/3, 1/3 and 4/3 add up to 10 000 005/3 = 3 333 335 and all leave a third of an öre. At 60
    // significant digits the first has 53 decimals, the second 60 and the third 59. The one öre left over
    // must go to the lowest municipality code (0114), not to the share that happens to carry more 3s.
    const big = new Decimal(10_000_000).dividedBy(3); // 3 333 333.333…
    const small = new Decimal(1).dividedBy(3); // 0.333…
    const middle = new Decimal(4).dividedBy(3); // 1.333…
    expect(big.decimalPlaces()).toBeLessThan(small.decimalPlaces());
    const exactShares = [
      { memberId: 1, municipalityCode: "2584", exact: small },
      { memberId: 2, municipalityCode: "0114", exact: big },
      { memberId: 3, municipalityCode: "1480", exact: middle },
    ];
    // floors 0 + 3 333 333 + 1 = 3 333 334; one öre left; all remainders are 1/3.
    expect(largestRemainder(3_333_335, exactShares)).toEqual([0, 3_333_334, 1]);
    expect(largestRemainder(3_333_335, [...exactShares].reverse())).toEqual([1, 3_333_334, 0]);
  });
});
