import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { association, type Association } from "../support/association";
import { SHARE_PROJECTS, shareProjectIds } from "./examples";
import { memberProjectShares } from "../../app/features/projects/allocation.server";
import { projectSharesForYear } from "../../app/features/projects/shares.server";

/*
 * What other parts of the system read, in-process: every project's shares of a year (billing runs) and a member's
 * shares per project and year (the member page). The allocation as CSV and as a chart: test/projects/pages.test.ts.
 */
let f: Association;
const ids: Record<string, number> = {};

beforeAll(async () => {
  f = await association({ organisation: true, projects: SHARE_PROJECTS, prefix: "sambruk-shares-" });
  Object.assign(ids, shareProjectIds(f));
});
afterAll(() => f?.close());

describe("projectSharesForYear", () => {
  it("allocates every project with a budget for the year and names every problem", () => {
    const { shares, projects, problems } = projectSharesForYear(2025);
    expect(projects.map((p) => p.code).sort()).toEqual(["A-PC", "B-PC", "C-EQ", "E-FX"]);

    const a = shares.filter((s) => s.projectId === ids.A);
    expect(a.map((s) => [s.memberId, s.share])).toEqual(
      [
        [f.member["1480"], 88_901_622],
        [f.member["1481"], 10_425_988],
        [f.member["1438"], 672_390],
      ].sort((x, y) => x[0] - y[0]),
    );
    expect(a.reduce((sum, s) => sum + s.share, 0)).toBe(100_000_000);
    const goteborg = a.find((s) => s.memberId === f.member["1480"])!;
    expect(goteborg.basis).toEqual({
      projectCode: "A-PC",
      projectName: "Projekt A-PC",
      year: 2025,
      allocationKey: "per_capita",
      basePercent: null,
      budget: 100_000_000,
      participantCount: 3,
      population: 608_993,
      populationYear: 2024,
      totalPopulation: 608_993 + 71_420 + 4_606,
      weight: null,
      totalWeight: null,
    });
    expect(goteborg.populationFallback).toBe(false);
    expect(goteborg.memberName).toBe("Göteborg kommun");

    const e = shares.filter((s) => s.projectId === ids.E);
    expect(Object.fromEntries(e.map((s) => [s.memberId, s.share]))).toEqual({
      [f.member["0182"]]: 6_667,
      [f.member["1438"]]: 3_333,
    });
    expect(e[0].basis.totalWeight).toBe("3");

    // B cannot be allocated: no shares at all, and the problems say who to fix.
    expect(shares.filter((s) => s.projectId === ids.B)).toEqual([]);
    const b = problems.filter((p) => p.projectId === ids.B);
    expect(b[0]).toEqual({
      projectId: ids.B,
      memberId: f.member.SKR,
      message:
        "B-PC 2025: Sveriges Kommuner och Regioner saknar invånarantal för 2024 eller tidigare (befolkningsunderlaget för fördelningen 2025)",
    });
    expect(b[1]).toMatchObject({ memberId: null, message: expect.stringContaining("2 andra deltagare väntar") });
    expect(problems.filter((p) => p.projectId === ids.C)).toEqual([
      { projectId: ids.C, memberId: null, message: "C-EQ 2025: Projektet har inga deltagare att fördela budgeten på" },
    ]);
    expect(problems.every((p) => p.projectId !== ids.A && p.projectId !== ids.E)).toBe(true);
  });

  it("reports the fallback year when Y−1 is missing", () => {
    const { shares } = projectSharesForYear(2026);
    const a = shares.filter((s) => s.projectId === ids.A);
    expect(a).toHaveLength(3);
    expect(a.every((s) => s.populationFallback && s.basis.populationYear === 2024)).toBe(true);
    expect(a.reduce((sum, s) => sum + s.share, 0)).toBe(120_000_000);
  });

  it("a year without budgets gives nothing", () => {
    expect(projectSharesForYear(2030)).toEqual({ shares: [], projects: [], problems: [] });
  });
});

describe("memberProjectShares", () => {
  it("lists Dals-Ed's share per project and year, newest first, with the reason where there is none", () => {
    const rows = memberProjectShares(f.member["1438"]);
    expect(rows.map((r) => [r.code, r.year, r.share, r.error ?? null])).toEqual([
      ["A-PC", 2026, 806_868, null],
      ["A-PC", 2025, 672_390, null],
      ["B-PC", 2025, null, expect.stringContaining("Sveriges Kommuner och Regioner saknar invånarantal")],
      ["E-FX", 2025, 3_333, null],
      ["D-EQ", 2024, 30_000, null],
    ]);
    const a2026 = rows[0];
    expect(a2026).toMatchObject({
      key: "per_capita",
      budget: 120_000_000,
      population: 4_606,
      populationYear: 2024,
      populationFallback: true,
    });
    expect(rows.find((r) => r.code === "E-FX")).toMatchObject({ key: "fixed", weight: "1" });
  });

  it("is empty for a member in no project", () => {
    expect(memberProjectShares(f.member["1444"])).toEqual([]);
  });
});

describe("projectSharesForYear at scale", () => {
  it("allocates 2 000 members × 25 projects in one pass, every project adding up to its budget", () => {
    const sqlite = f.sqlite();
    const M = 2_000;
    const P = 25;
    const keys = ["per_capita", "equal", "fixed", "base_plus_per_capita"];
    const budgets = new Map<number, number>();
    sqlite.transaction(() => {
      const member = sqlite.prepare(
        "INSERT INTO members (kind, name, org_number, joined_on) VALUES ('organisation', ?, ?, '2030-01-01')",
      );
      const population = sqlite.prepare("INSERT INTO populations (member_id, year, population) VALUES (?, 2039, ?)");
      const ids: number[] = [];
      for (let i = 0; i < M; i++) {
        const id = Number(member.run(`Skalmedlem ${i}`, `SCALE-${i}`).lastInsertRowid);
        ids.push(id);
        population.run(id, 500 + ((i * 7919) % 300_000));
      }
      const project = sqlite.prepare(
        "INSERT INTO projects (code, name, allocation_key, base_percent) VALUES (?, ?, ?, ?)",
      );
      const budget = sqlite.prepare("INSERT INTO project_budgets (project_id, year, amount_ore) VALUES (?, 2040, ?)");
      const participant = sqlite.prepare(
        "INSERT INTO project_participants (project_id, member_id, joined_on, weight) VALUES (?, ?, '2039-06-01', ?)",
      );
      for (let p = 0; p < P; p++) {
        const key = keys[p % keys.length];
        const id = Number(
          project.run(`S-${p}`, `Skalprojekt ${p}`, key, key === "base_plus_per_capita" ? "12.5" : null)
            .lastInsertRowid,
        );
        const amount = 100_000_000 + p * 9_973;
        budget.run(id, amount);
        budgets.set(id, amount);
        // Descending ids, so nothing relies on the order rows were written in.
        for (const memberId of [...ids].reverse())
          participant.run(id, memberId, key === "fixed" ? `${1 + (memberId % 9)}.25` : null);
      }
    })();

    const started = performance.now();
    const { shares, problems, projects } = projectSharesForYear(2040);
    const elapsed = performance.now() - started;
    expect(problems).toEqual([]);
    expect(projects).toHaveLength(P);
    expect(shares).toHaveLength(M * P);
    const sums = new Map<number, number>();
    for (const s of shares) sums.set(s.projectId, (sums.get(s.projectId) ?? 0) + s.share);
    expect(sums).toEqual(budgets);
    // Members come in id order within each project, and the fixed key got each member's own weight.
    const fixed = shares.filter((s) => s.basis.allocationKey === "fixed");
    expect(
      fixed.every((s, i) => i === 0 || fixed[i - 1].projectId !== s.projectId || fixed[i - 1].memberId < s.memberId),
    ).toBe(true);
    expect(fixed.every((s) => s.basis.weight === `${1 + (s.memberId % 9)}.25`)).toBe(true);
    expect(elapsed).toBeLessThan(3_000);
  });
});
