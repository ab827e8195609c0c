import { describe, expect, it } from "vitest";
import type { PopulationFigure } from "../../billing/fees";
import { allocateProjectYear, percentOf, type MemberName, type ParticipantLike } from "../../billing/project-year";

const project = (allocationKey: "per_capita" | "equal" | "fixed" | "base_plus_per_capita", basePercent = null) => ({
  id: 1,
  code: "P-001",
  allocationKey,
  basePercent,
});

const names = new Map<number, MemberName>([
  [1, { name: "Ale kommun", municipalityCode: "1440" }],
  [2, { name: "Borås stad", municipalityCode: "1490" }],
  [3, { name: "Sambruk service", municipalityCode: null }],
]);

function participant(memberId: number, joinedOn: string, leftOn: string | null = null, weight: string | null = null) {
  return { memberId, joinedOn, leftOn, weight } satisfies ParticipantLike;
}

describe("allocateProjectYear (docs/allocation.md)", () => {
  it("shares the budget among exactly the participants of the year, ordered by member id", () => {
    const a = allocateProjectYear({
      project: project("equal"),
      year: 2026,
      budget: 100_000,
      participants: [
        participant(2, "2026-12-31"), // joins on the last day: takes part in the year
        participant(1, "2020-01-01", "2026-01-01"), // leaves on the first day: takes part too
        participant(3, "2020-01-01", "2025-12-31"), // left before the year
      ],
      names,
      figures: new Map(),
    });
    expect(a.ok).toBe(true);
    expect(a.rows.map((r) => [r.memberId, r.share])).toEqual([
      [1, 50_000],
      [2, 50_000],
    ]);
    expect(a.project.code).toBe("P-001");
  });

  it("uses the population basis of the year before under a population key", () => {
    const figures = new Map<number, PopulationFigure[]>([
      [1, [{ year: 2025, population: 30_000 }]],
      [2, [{ year: 2023, population: 10_000 }]], // older figure: used, and said so
    ]);
    const a = allocateProjectYear({
      project: project("per_capita"),
      year: 2026,
      budget: 400_000,
      participants: [participant(1, "2020-01-01"), participant(2, "2020-01-01")],
      names,
      figures,
    });
    expect(a.ok).toBe(true);
    expect(a.totalPopulation).toBe(40_000);
    expect(a.rows.map((r) => [r.share, r.basis?.year, r.basis?.fallback])).toEqual([
      [300_000, 2025, false],
      [100_000, 2023, true],
    ]);
  });

  it("names the member whose population is missing and the years looked for", () => {
    const a = allocateProjectYear({
      project: project("per_capita"),
      year: 2026,
      budget: 400_000,
      participants: [participant(1, "2020-01-01"), participant(2, "2020-01-01")],
      names,
      figures: new Map([[1, [{ year: 2025, population: 30_000 }]]]),
    });
    expect(a.ok).toBe(false);
    expect(a.errors).toEqual([
      {
        memberId: 2,
        message:
          "Borås stad (1490) saknar invånarantal för 2025 eller tidigare (befolkningsunderlaget för fördelningen 2026)",
      },
    ]);
    expect(a.rows.every((r) => r.share === null)).toBe(true);
  });

  it("answers a project-year without a budget as an error of the project as a whole", () => {
    const a = allocateProjectYear({
      project: project("equal"),
      year: 2026,
      budget: null,
      participants: [participant(1, "2020-01-01")],
      names,
      figures: new Map(),
    });
    expect(a).toMatchObject({ ok: false, errors: [{ memberId: null, message: "P-001 har ingen budget för 2026" }] });
    expect(a.rows).toHaveLength(1);
  });

  it("marks the would-be member and names an unknown member by its id", () => {
    const a = allocateProjectYear({
      project: project("fixed"),
      year: 2026,
      budget: 90_000,
      participants: [participant(1, "2020-01-01", null, "2"), participant(9, "2026-05-01", null, "1")],
      names,
      figures: new Map(),
      hypotheticalMemberId: 9,
    });
    expect(a.ok).toBe(true);
    expect(a.rows.map((r) => [r.memberName, r.weight, r.share, r.hypothetical])).toEqual([
      ["Ale kommun", "2", 60_000, false],
      ["Medlem 9", "1", 30_000, true],
    ]);
  });
});

describe("percentOf", () => {
  it.each([
    [33_333, 100_000, "33.33"],
    [1, 3, "33.33"],
    [2, 3, "66.67"],
    [100_000, 100_000, "100.00"],
    [0, 100_000, "0.00"],
    [5, 0, null],
  ])("%i of %i → %s", (share, budget, expected) => {
    expect(percentOf(share, budget)).toBe(expected);
  });
});
