import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParticipantPatchSchema } from "../../app/lib/project-schemas";
import { association, type Association } from "../support/association";
import { answer } from "../support/use-case";
import { setPopulation } from "../../app/features/members/commands.server";
import { projectAllocation } from "../../app/features/projects/allocation.server";
import { allocationJson } from "../../app/features/projects/json.server";
import { updateParticipant } from "../../app/features/projects/participants.server";

/*
 * The allocation use case in-process (projectAllocation and the JSON of GET /api/v1/projects/{id}/allocation),
 * with the real municipalities and their populations on 31 December 2024 (SCB). Expected shares were worked out
 * by hand with exact fractions and the largest-remainder rule of docs/allocation.md#rounding-by-the-largest-remainder.
 * The allocation page and CSV, and the route's status codes, are in test/projects/pages.test.ts.
 */
let a: Association;

beforeAll(async () => {
  a = await association({ organisation: true, prefix: "sambruk-allocation-" });
});
afterAll(() => a?.close());

/** What GET /projects/{id}/allocation?year=Y answers: 200 with the shares, or the API's error. */
const allocation = (id: number, year: number) => answer(() => allocationJson(projectAllocation(id, year)));

function sharesOf(json: { shares: Array<{ memberId: number; share: string }> }): Record<number, string> {
  return Object.fromEntries(json.shares.map((s) => [s.memberId, s.share]));
}

/** Σ shares in öre, by string arithmetic on "1234.56" (no float). */
function sumShares(json: { shares: Array<{ share: string }> }): bigint {
  return json.shares.reduce((sum, s) => sum + BigInt(s.share.replace(".", "")), 0n);
}

describe("per_capita", () => {
  it("splits 1 000 000,00 kr by the 2024 populations of Göteborg, Mölndal, Partille and Dals-Ed", async () => {
    const id = a.addProject({ code: "PC-1", allocationKey: "per_capita" });
    a.setBudget(id, 2025, "1000000.00");
    for (const code of ["1480", "1481", "1402", "1438"]) a.addParticipant(id, code);
    const res = await allocation(id, 2025);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ projectId: id, year: 2025, allocationKey: "per_capita", budget: "1000000.00" });
    expect(sharesOf(res.json)).toEqual({
      [a.member["1480"]]: "838742.07", // 608 993 / 726 079
      [a.member["1481"]]: "98363.95",
      [a.member["1402"]]: "56550.32",
      [a.member["1438"]]: "6343.66",
    });
    for (const s of res.json.shares) {
      expect(s.populationYear).toBe(2024);
      expect(s.populationFallback).toBe(false);
      expect(s.weight).toBeNull();
    }
    expect(res.json.shares.find((s: any) => s.memberId === a.member["1480"]).population).toBe(608_993);
    expect(sumShares(res.json)).toBe(100_000_000n);
  });

  it("uses the latest earlier figure when the one for Y−1 is missing, and says which year", async () => {
    const id = a.addProject({ code: "PC-2", allocationKey: "per_capita" });
    a.setBudget(id, 2026, "300000");
    for (const code of ["0127", "0182", "1480"]) a.addParticipant(id, code);
    // Nacka gets a 2025 figure; the others only have 2024's.
    setPopulation(a.scope.admin, a.member["0182"], 2025, 112_112);
    const res = await allocation(id, 2026);
    expect(res.status).toBe(200);
    const byMember = Object.fromEntries(res.json.shares.map((s: any) => [s.memberId, s]));
    expect(byMember[a.member["0182"]]).toMatchObject({ populationYear: 2025, populationFallback: false });
    expect(byMember[a.member["0127"]]).toMatchObject({
      populationYear: 2024,
      populationFallback: true,
      population: 95_905,
    });
    expect(sharesOf(res.json)).toEqual({
      [a.member["0127"]]: "35215.60",
      [a.member["0182"]]: "41166.69",
      [a.member["1480"]]: "223617.71",
    });
    expect(sumShares(res.json)).toBe(30_000_000n);
  });

  it("refuses with 422 naming the member that has no population basis, never a silent 0", async () => {
    const id = a.addProject({ code: "PC-3", allocationKey: "per_capita" });
    a.setBudget(id, 2025, "50000");
    a.addParticipant(id, "1480");
    a.addParticipant(id, "SKR");
    const res = await allocation(id, 2025);
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("allocation_failed");
    expect(res.json.error.message).toContain("Sveriges Kommuner och Regioner");
    expect(res.json.error.fields[`participants.${a.member.SKR}`]).toMatch(
      /Sveriges Kommuner och Regioner saknar invånarantal för 2024/,
    );
    expect(Object.keys(res.json.error.fields)).toEqual([`participants.${a.member.SKR}`]);
  });

  it("a figure for the billing year itself is never used", async () => {
    const id = a.addProject({ code: "PC-4", allocationKey: "per_capita" });
    a.setBudget(id, 2024, "1000");
    a.addParticipant(id, "1439", "2023-01-01");
    // Färgelanda's only figure is for 2024; the basis for 2024 is 2023 or earlier.
    const res = await allocation(id, 2024);
    expect(res.status).toBe(422);
    expect(res.json.error.message).toMatch(/Färgelanda kommun \(1439\) saknar invånarantal för 2023 eller tidigare/);
  });
});

describe("equal", () => {
  it("100 000,00 kr among 3: 33 333,34 to the lowest municipality code, 33 333,33 to the others", async () => {
    const id = a.addProject({ code: "EQ-1", allocationKey: "equal" });
    a.setBudget(id, 2025, "100000.00");
    // Added in an order unrelated to the codes: Mölndal, Botkyrka (0127, the lowest), Dals-Ed.
    for (const code of ["1481", "0127", "1438"]) a.addParticipant(id, code);
    const res = await allocation(id, 2025);
    expect(res.status).toBe(200);
    expect(sharesOf(res.json)).toEqual({
      [a.member["0127"]]: "33333.34",
      [a.member["1481"]]: "33333.33",
      [a.member["1438"]]: "33333.33",
    });
    expect(res.json.shares.every((s: any) => s.population === null && s.populationYear === null)).toBe(true);
  });

  it("does not need populations: the organisation without figures takes part", async () => {
    const id = a.addProject({ code: "EQ-2", allocationKey: "equal" });
    a.setBudget(id, 2025, "10.00");
    a.addParticipant(id, "SKR");
    a.addParticipant(id, "1480");
    const res = await allocation(id, 2025);
    expect(res.status).toBe(200);
    expect(sharesOf(res.json)).toEqual({ [a.member.SKR]: "5.00", [a.member["1480"]]: "5.00" });
  });
});

describe("fixed", () => {
  it("splits by the agreed weights (JSON numbers and decimal strings)", async () => {
    const id = a.addProject({ code: "FX-1", allocationKey: "fixed" });
    a.setBudget(id, 2025, "100000");
    a.addParticipant(id, "1481", "2024-01-01", 50);
    a.addParticipant(id, "0127", "2024-01-01", "33.5");
    const res = await allocation(id, 2025);
    expect(res.status).toBe(200);
    expect(res.json.totalWeight).toBe("83.5");
    expect(sharesOf(res.json)).toEqual({ [a.member["1481"]]: "59880.24", [a.member["0127"]]: "40119.76" });
    expect(res.json.shares.find((s: any) => s.memberId === a.member["0127"]).weight).toBe("33.5");

    // A third participant with weight 16.5 makes it 50 / 33.5 / 16.5 of 100.
    a.addParticipant(id, "1438", "2024-01-01", 16.5);
    const again = await allocation(id, 2025);
    expect(sharesOf(again.json)).toEqual({
      [a.member["1481"]]: "50000.00",
      [a.member["0127"]]: "33500.00",
      [a.member["1438"]]: "16500.00",
    });
  });

  it("a participant without a weight is an error naming it; setting the weight fixes it", async () => {
    const id = a.addProject({ code: "FX-2", allocationKey: "fixed" });
    a.setBudget(id, 2025, "1000");
    a.addParticipant(id, "1481", "2024-01-01", 1);
    a.addParticipant(id, "1402");
    const res = await allocation(id, 2025);
    expect(res.status).toBe(422);
    expect(res.json.error.message).toContain("Partille kommun (1402) saknar andel");
    const patched = updateParticipant(a.scope.admin, id, a.member["1402"], ParticipantPatchSchema.parse({ weight: 3 }));
    expect(patched.weight).toBe("3");
    const ok = await allocation(id, 2025);
    expect(sharesOf(ok.json)).toEqual({ [a.member["1481"]]: "250.00", [a.member["1402"]]: "750.00" });
  });
});

describe("base_plus_per_capita", () => {
  it("20 % of 500 000 kr equally, the rest by population", async () => {
    const id = a.addProject({ code: "BP-1", allocationKey: "base_plus_per_capita", basePercent: "20" });
    a.setBudget(id, 2025, "500000");
    for (const code of ["1480", "1438", "0127"]) a.addParticipant(id, code);
    const res = await allocation(id, 2025);
    expect(res.status).toBe(200);
    expect(res.json.basePercent).toBe("20");
    expect(sharesOf(res.json)).toEqual({
      [a.member["1480"]]: "376667.83",
      [a.member["1438"]]: "35930.08",
      [a.member["0127"]]: "87402.09",
    });
    expect(sumShares(res.json)).toBe(50_000_000n);
  });
});

describe("participants of the year", () => {
  it("a participant that left 2025-06-30 pays for 2025 and not for 2026; one that joins in 2026 only for 2026", async () => {
    const id = a.addProject({ code: "YR-1", allocationKey: "equal" });
    a.setBudget(id, 2025, "900");
    a.setBudget(id, 2026, "900");
    a.addParticipant(id, "0125", "2024-03-01");
    a.addParticipant(id, "0162", "2024-03-01");
    a.addParticipant(id, "1444", "2026-12-31");
    const left = updateParticipant(
      a.scope.admin,
      id,
      a.member["0162"],
      ParticipantPatchSchema.parse({ leftOn: "2025-06-30" }),
    );
    expect(left.leftOn).toBe("2025-06-30");

    const y2025 = await allocation(id, 2025);
    expect(y2025.json.shares.map((s: any) => s.memberId).sort()).toEqual([a.member["0125"], a.member["0162"]].sort());
    expect(sharesOf(y2025.json)).toEqual({ [a.member["0125"]]: "450.00", [a.member["0162"]]: "450.00" });

    const y2026 = await allocation(id, 2026);
    expect(y2026.json.shares.map((s: any) => s.memberId).sort()).toEqual([a.member["0125"], a.member["1444"]].sort());

    const y2027 = await allocation(id, 2027);
    expect(y2027.status).toBe(404);
    expect(y2027.json.error.code).toBe("no_budget");
  });

  it("a budget of 0 gives all zeros; a budget with nobody to share it is an error", async () => {
    const id = a.addProject({ code: "YR-2", allocationKey: "per_capita" });
    a.setBudget(id, 2025, "0");
    const empty = await allocation(id, 2025);
    expect(empty.status).toBe(200);
    expect(empty.json.shares).toEqual([]);
    a.setBudget(id, 2025, "10");
    const none = await allocation(id, 2025);
    expect(none.status).toBe(422);
    expect(none.json.error.message).toContain("inga deltagare");
  });
});

describe("shares always add up to the budget", () => {
  it("for awkward budgets under every key", async () => {
    const budgets = ["0.01", "0.02", "1.00", "99999.99", "1234567.89", "7.77"];
    const codes = ["0127", "0162", "0125", "0136", "0126", "0123", "0186"];
    const keys: Array<[string, string | undefined]> = [
      ["per_capita", undefined],
      ["equal", undefined],
      ["fixed", undefined],
      ["base_plus_per_capita", "33.3333"],
    ];
    let n = 0;
    for (const [key, basePercent] of keys) {
      const id = a.addProject({
        code: `SUM-${n++}`,
        allocationKey: key,
        ...(basePercent ? { basePercent } : {}),
      });
      for (const [i, code] of codes.entries())
        a.addParticipant(id, code, "2024-01-01", key === "fixed" ? `${i + 1}.5` : undefined);
      for (const amount of budgets) {
        a.setBudget(id, 2025, amount);
        const res = await allocation(id, 2025);
        expect(res.status).toBe(200);
        expect(sumShares(res.json)).toBe(BigInt(amount.replace(".", "")));
        expect(res.json.shares).toHaveLength(codes.length);
      }
    }
  });
});
