import { describe, expect, it } from "vitest";
import {
  DEFAULT_FEE_SCHEDULE,
  bracketFor,
  bracketRangeOf,
  bracketRangeText,
  bracketsWithRanges,
  defaultBracketLabel,
  feesFor,
  overrideFor,
  populationBasis,
  scheduleForYear,
  validateBrackets,
  type FeeOverride,
  type FeeSchedule,
} from "../../billing/fees";
import { withBracketRanges } from "../../billing/invoice-document";
import { feeBasisText } from "../../billing/pdf-text";
import { sampleInvoiceDocument } from "../fixtures/invoice-document";

describe("DEFAULT_FEE_SCHEDULE", () => {
  it("is the 2005 schedule of docs/fees.md and passes its own validation", () => {
    expect(DEFAULT_FEE_SCHEDULE.validFrom).toBe(2005);
    expect(DEFAULT_FEE_SCHEDULE.brackets.map((b) => [b.name, b.minPopulation, b.entryFee, b.annualFee])).toEqual([
      ["small", 0, 500_000, 800_000],
      ["medium", 10_000, 1_000_000, 1_600_000],
      ["large", 100_001, 2_000_000, 3_200_000],
    ]);
    expect(validateBrackets(DEFAULT_FEE_SCHEDULE.brackets)).toEqual([]);
  });

  it("cannot be changed by accident", () => {
    expect(Object.isFrozen(DEFAULT_FEE_SCHEDULE)).toBe(true);
    expect(Object.isFrozen(DEFAULT_FEE_SCHEDULE.brackets)).toBe(true);
    expect(Object.isFrozen(DEFAULT_FEE_SCHEDULE.brackets[0])).toBe(true);
  });
});

describe("bracketFor (docs/fees.md#brackets-and-their-boundaries)", () => {
  it.each([
    [0, "small", 800_000],
    [4_606, "small", 800_000], // Dals-Ed
    [9_999, "small", 800_000],
    [10_000, "medium", 1_600_000],
    [71_420, "medium", 1_600_000], // Mölndal
    [100_000, "medium", 1_600_000],
    [100_001, "large", 3_200_000],
    [100_895, "large", 3_200_000], // Haninge
    [608_993, "large", 3_200_000], // Göteborg
  ])("%i invånare → %s, annual fee %i öre", (population, name, annualFee) => {
    const bracket = bracketFor(DEFAULT_FEE_SCHEDULE, population);
    expect(bracket.name).toBe(name);
    expect(bracket.annualFee).toBe(annualFee);
  });

  it("does not depend on the order brackets are listed in", () => {
    const reversed: FeeSchedule = { validFrom: 2005, brackets: [...DEFAULT_FEE_SCHEDULE.brackets].reverse() };
    expect(bracketFor(reversed, 10_000).name).toBe("medium");
    expect(bracketFor(reversed, 9_999).name).toBe("small");
  });

  it("rejects a negative or fractional population", () => {
    expect(() => bracketFor(DEFAULT_FEE_SCHEDULE, -1)).toThrow(RangeError);
    expect(() => bracketFor(DEFAULT_FEE_SCHEDULE, 10.5)).toThrow(RangeError);
  });
});

const SCHEDULE_2027: FeeSchedule = {
  validFrom: 2027,
  brackets: [
    { name: "small", label: "Mindre än 10 000 invånare", minPopulation: 0, entryFee: 600_000, annualFee: 900_000 },
    {
      name: "large",
      label: "10 000 invånare eller fler",
      minPopulation: 10_000,
      entryFee: 1_200_000,
      annualFee: 2_000_000,
    },
  ],
};
const SCHEDULE_2030: FeeSchedule = {
  validFrom: 2030,
  brackets: [{ name: "all", label: "Alla medlemmar", minPopulation: 0, entryFee: 0, annualFee: 1_000_000 }],
};

describe("scheduleForYear", () => {
  const schedules = [SCHEDULE_2030, DEFAULT_FEE_SCHEDULE, SCHEDULE_2027];
  it.each([
    [2004, null],
    [2005, 2005],
    [2026, 2005],
    [2027, 2027],
    [2029, 2027],
    [2030, 2030],
    [2040, 2030],
  ])("in %i the schedule from %s applies", (year, validFrom) => {
    expect(scheduleForYear(schedules, year)?.validFrom ?? null).toBe(validFrom);
  });
  it("is null without schedules", () => {
    expect(scheduleForYear([], 2026)).toBeNull();
  });
});

describe("populationBasis (docs/population-basis.md)", () => {
  const figures = [
    { year: 2022, population: 4_700 },
    { year: 2023, population: 4_650 },
    { year: 2024, population: 4_606 },
    { year: 2026, population: 4_500 },
  ];
  it("uses the figure for the year before the billing year", () => {
    expect(populationBasis(figures, 2025)).toEqual({ year: 2024, population: 4_606, fallback: false });
  });
  it("never uses the figure for the billing year itself", () => {
    expect(populationBasis(figures, 2026)).toEqual({ year: 2024, population: 4_606, fallback: true });
  });
  it("falls back to the latest earlier figure and says so", () => {
    expect(populationBasis([figures[0], figures[1]], 2026)).toEqual({ year: 2023, population: 4_650, fallback: true });
  });
  it("uses the figure for Y−1 when it is there, even with later ones", () => {
    expect(populationBasis(figures, 2027)).toEqual({ year: 2026, population: 4_500, fallback: false });
  });
  it("is null when there are only later figures", () => {
    expect(populationBasis([{ year: 2025, population: 100 }], 2025)).toBeNull();
    expect(populationBasis([{ year: 2026, population: 100 }], 2025)).toBeNull();
    expect(populationBasis([], 2025)).toBeNull();
  });
  it("does not depend on the order of the figures", () => {
    expect(populationBasis([...figures].reverse(), 2026)).toEqual({ year: 2024, population: 4_606, fallback: true });
  });
});

describe("overrideFor", () => {
  const waived: FeeOverride = {
    validFrom: 2020,
    validTo: 2025,
    entryFee: 0,
    annualFee: null,
    note: "Styrelsebeslut 2020-03-12",
  };
  const fixed: FeeOverride = { validFrom: 2024, validTo: null, entryFee: 0, annualFee: 1_000_000, note: "SKR" };
  it.each([
    [2019, null],
    [2020, "Styrelsebeslut 2020-03-12"],
    [2023, "Styrelsebeslut 2020-03-12"],
    [2024, "SKR"], // both apply: the later decision wins
    [2025, "SKR"],
    [2040, "SKR"],
  ])("in %i: %s", (year, note) => {
    expect(overrideFor([waived, fixed], year)?.note ?? null).toBe(note);
    expect(overrideFor([fixed, waived], year)?.note ?? null).toBe(note);
  });
  it("includes the last year of validTo and nothing after", () => {
    expect(overrideFor([waived], 2025)).toBe(waived);
    expect(overrideFor([waived], 2026)).toBeNull();
  });
});

describe("feesFor", () => {
  const schedules = [DEFAULT_FEE_SCHEDULE, SCHEDULE_2027];

  it("charges by the bracket of the Y−1 population", () => {
    const result = feesFor({ schedules, figures: [{ year: 2025, population: 10_000 }], billingYear: 2026 });
    expect(result).toMatchObject({
      ok: true,
      billingYear: 2026,
      scheduleValidFrom: 2005,
      entryFee: 1_000_000,
      annualFee: 1_600_000,
      basis: { year: 2025, population: 10_000, fallback: false },
      override: null,
    });
    if (result.ok) expect(result.bracket?.name).toBe("medium");
  });

  it("uses the new schedule from its first year", () => {
    const result = feesFor({ schedules, figures: [{ year: 2026, population: 10_000 }], billingYear: 2027 });
    expect(result).toMatchObject({ ok: true, scheduleValidFrom: 2027, entryFee: 1_200_000, annualFee: 2_000_000 });
  });

  it("falls back to an older figure and reports it", () => {
    const result = feesFor({ schedules, figures: [{ year: 2023, population: 100_001 }], billingYear: 2026 });
    expect(result).toMatchObject({ ok: true, annualFee: 3_200_000, basis: { year: 2023, fallback: true } });
  });

  it("cannot charge without a population figure at or before Y−1", () => {
    const result = feesFor({ schedules, figures: [{ year: 2026, population: 5_000 }], billingYear: 2026 });
    expect(result).toMatchObject({ ok: false, billingYear: 2026, reason: "no_population" });
    if (!result.ok) expect(result.message).toContain("Invånarantal saknas för 2025 eller tidigare");
  });

  it("cannot charge before the first schedule", () => {
    const result = feesFor({ schedules, figures: [{ year: 2003, population: 5_000 }], billingYear: 2004 });
    expect(result).toMatchObject({ ok: false, reason: "no_schedule" });
    if (!result.ok) expect(result.message).toContain("2004");
  });

  it("charges a full override without a population figure", () => {
    const override: FeeOverride = {
      validFrom: 2024,
      validTo: null,
      entryFee: 0,
      annualFee: 1_000_000,
      note: "SKR, fast avgift",
    };
    const result = feesFor({ schedules, figures: [], billingYear: 2026, overrides: [override] });
    expect(result).toEqual({
      ok: true,
      billingYear: 2026,
      scheduleValidFrom: 2005,
      bracket: null,
      range: null,
      basis: null,
      entryFee: 0,
      annualFee: 1_000_000,
      override,
    });
  });

  it("a full override still reports the population when there is one", () => {
    const override: FeeOverride = {
      validFrom: 2024,
      validTo: null,
      entryFee: 0,
      annualFee: 1_000_000,
      note: "Fast avgift",
    };
    const result = feesFor({
      schedules,
      figures: [{ year: 2025, population: 608_993 }],
      billingYear: 2026,
      overrides: [override],
    });
    expect(result).toMatchObject({ ok: true, entryFee: 0, annualFee: 1_000_000, basis: { population: 608_993 } });
    if (result.ok) expect(result.bracket?.name).toBe("large");
  });

  it("a partial override takes the other fee from the bracket", () => {
    const override: FeeOverride = {
      validFrom: 2026,
      validTo: 2026,
      entryFee: 0,
      annualFee: null,
      note: "Insatsen efterskänkt",
    };
    const result = feesFor({
      schedules,
      figures: [{ year: 2025, population: 4_606 }],
      billingYear: 2026,
      overrides: [override],
    });
    expect(result).toMatchObject({
      ok: true,
      entryFee: 0,
      annualFee: 800_000,
      override: { note: "Insatsen efterskänkt" },
    });
  });

  it("a partial override still needs the population", () => {
    const override: FeeOverride = {
      validFrom: 2026,
      validTo: 2026,
      entryFee: 0,
      annualFee: null,
      note: "Insatsen efterskänkt",
    };
    const result = feesFor({ schedules, figures: [], billingYear: 2026, overrides: [override] });
    expect(result).toMatchObject({ ok: false, reason: "no_population" });
  });

  it("an override outside its years does not apply", () => {
    const override: FeeOverride = { validFrom: 2020, validTo: 2025, entryFee: 0, annualFee: 0, note: "Gammalt beslut" };
    const result = feesFor({
      schedules,
      figures: [{ year: 2025, population: 4_606 }],
      billingYear: 2026,
      overrides: [override],
    });
    expect(result).toMatchObject({ ok: true, entryFee: 500_000, annualFee: 800_000, override: null });
  });
});

describe("validateBrackets", () => {
  const valid = DEFAULT_FEE_SCHEDULE.brackets.map(({ name, minPopulation, entryFee, annualFee }) => ({
    name,
    minPopulation,
    entryFee,
    annualFee,
  }));
  const withChange = (index: number, change: Partial<(typeof valid)[number]>) =>
    valid.map((b, i) => (i === index ? { ...b, ...change } : b));

  it("accepts the default and a single bracket", () => {
    expect(validateBrackets(valid)).toEqual([]);
    expect(validateBrackets([{ name: "alla", minPopulation: 0, entryFee: 0, annualFee: 0 }])).toEqual([]);
  });

  it("requires at least one bracket", () => {
    expect(validateBrackets([])).toEqual([
      { index: -1, field: "brackets", message: "Avgiftsmodellen måste ha minst ett intervall" },
    ]);
  });

  it.each([
    [
      "the first not starting at 0",
      withChange(0, { minPopulation: 1 }),
      0,
      "minPopulation",
      "Det första intervallet ska börja på 0 invånare",
    ],
    [
      "equal lower bounds (overlap)",
      withChange(2, { minPopulation: 10_000 }),
      2,
      "minPopulation",
      "Lägsta invånarantal ska vara större än föregående intervalls (10000)",
    ],
    [
      "decreasing lower bounds",
      withChange(1, { minPopulation: 200_000 }),
      2,
      "minPopulation",
      "Lägsta invånarantal ska vara större än föregående intervalls (200000)",
    ],
    [
      "a negative population",
      withChange(1, { minPopulation: -5 }),
      1,
      "minPopulation",
      "Lägsta invånarantal ska vara ett heltal, 0 eller större",
    ],
    [
      "a fractional population",
      withChange(1, { minPopulation: 10_000.5 }),
      1,
      "minPopulation",
      "Lägsta invånarantal ska vara ett heltal, 0 eller större",
    ],
    [
      "a negative entry fee",
      withChange(0, { entryFee: -1 }),
      0,
      "entryFee",
      "Medlemsinsatsen ska vara ett belopp i hela ören, 0 eller större",
    ],
    [
      "a fractional annual fee",
      withChange(2, { annualFee: 3_200_000.5 }),
      2,
      "annualFee",
      "Årsavgiften ska vara ett belopp i hela ören, 0 eller större",
    ],
    ["an empty name", withChange(1, { name: "  " }), 1, "name", "Intervallet måste ha ett namn"],
    [
      "a repeated name",
      withChange(2, { name: "small" }),
      2,
      "name",
      "Namnet ”small” används redan för ett annat intervall",
    ],
  ] as const)("rejects %s", (_what, brackets, index, field, message) => {
    expect(validateBrackets(brackets)).toContainEqual({ index, field, message });
  });

  it("lists every error at once", () => {
    const errors = validateBrackets([
      { name: "", minPopulation: 5, entryFee: -1, annualFee: 0 },
      { name: "b", minPopulation: 3, entryFee: 0, annualFee: NaN },
    ]);
    expect(errors.map((e) => `${e.index}.${e.field}`)).toEqual([
      "0.name",
      "0.minPopulation",
      "0.entryFee",
      "1.minPopulation",
      "1.annualFee",
    ]);
  });
});

describe("bracket texts come from the schedule in force (docs/fees.md#bracket-texts)", () => {
  // The board moves the boundaries in 2027: small up to 19 999, medium 20 000–199 999, large from 200 000.
  const moved: FeeSchedule = {
    validFrom: 2027,
    brackets: [
      { name: "small", label: "Små", minPopulation: 0, entryFee: 600_000, annualFee: 900_000 },
      { name: "medium", label: "Mellan", minPopulation: 20_000, entryFee: 1_200_000, annualFee: 1_800_000 },
      { name: "large", label: "Stora", minPopulation: 200_000, entryFee: 2_400_000, annualFee: 3_600_000 },
    ],
  };

  it("the 2005 brackets print 0–9 999, 10 000–100 000 and more than 100 000", () => {
    expect(bracketsWithRanges(DEFAULT_FEE_SCHEDULE).map((b) => [b.name, b.range, bracketRangeText(b.range)])).toEqual([
      ["small", { min: 0, max: 9_999 }, "0–9 999 invånare"],
      ["medium", { min: 10_000, max: 100_000 }, "10 000–100 000 invånare"],
      ["large", { min: 100_001, max: null }, "fler än 100 000 invånare"],
    ]);
  });

  it("a schedule with moved boundaries prints its own, in any listed order", () => {
    const reversed = { ...moved, brackets: [...moved.brackets].reverse() };
    expect(["small", "medium", "large"].map((n) => bracketRangeText(bracketRangeOf(reversed, n)!))).toEqual([
      "0–19 999 invånare",
      "20 000–199 999 invånare",
      "200 000 invånare eller fler",
    ]);
    expect(bracketRangeOf(moved, "huge")).toBeNull();
  });

  it("words a one-bracket schedule and a one-population bracket", () => {
    expect(bracketRangeText({ min: 0, max: null })).toBe("alla invånarantal");
    expect(bracketRangeText({ min: 5_000, max: 5_000 })).toBe("5 000 invånare");
    expect(defaultBracketLabel({ min: 200_000, max: null })).toBe("200 000 invånare eller fler");
    expect(defaultBracketLabel({ min: 100_001, max: null })).toBe("Fler än 100 000 invånare");
    expect(defaultBracketLabel({ min: 0, max: 19_999 })).toBe("0–19 999 invånare");
  });

  it("feesFor gives the range of the bracket in the schedule of the billing year", () => {
    const schedules = [DEFAULT_FEE_SCHEDULE, moved];
    const figures = [{ year: 2025, population: 15_000 }];
    const before = feesFor({ schedules, figures, billingYear: 2026 });
    const after = feesFor({ schedules, figures: [...figures, { year: 2026, population: 15_000 }], billingYear: 2027 });
    expect(before).toMatchObject({ ok: true, bracket: { name: "medium" }, range: { min: 10_000, max: 100_000 } });
    expect(after).toMatchObject({ ok: true, bracket: { name: "small" }, range: { min: 0, max: 19_999 } });
  });

  it("a document frozen without ranges gets those of its billing year's schedule; the invoice prints them", () => {
    const doc = sampleInvoiceDocument({ appendices: [] });
    const legacy = {
      ...doc,
      billingYear: 2027,
      lines: doc.lines.map((l) => (l.feeBasis ? { ...l, feeBasis: { ...l.feeBasis, range: undefined } } : l)),
    };
    const filled = withBracketRanges(legacy, [DEFAULT_FEE_SCHEDULE, moved]);
    expect(filled.lines[0].feeBasis?.range).toEqual({ min: 20_000, max: 199_999 });
    expect(feeBasisText(filled.lines[0].feeBasis!, 2027)).toMatch(/^Avgiftsklass: 20 000–199 999 invånare, /);
    const old = withBracketRanges({ ...legacy, billingYear: 2026 }, [DEFAULT_FEE_SCHEDULE, moved]);
    expect(feeBasisText(old.lines[0].feeBasis!, 2026)).toMatch(/^Avgiftsklass: 10 000–100 000 invånare, /);
    // A document with its ranges is left as it is (the same object).
    expect(withBracketRanges(doc, [DEFAULT_FEE_SCHEDULE, moved])).toBe(doc);
  });
});
