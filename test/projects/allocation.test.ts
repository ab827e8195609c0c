import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addParticipant,
  createProject,
  setBudget,
  setupAssociation,
  sharesOf,
  sumShares,
  type Fixture,
} from "./fixture";

/*
 * The allocation use case through GET /api/v1/projects/{id}/allocation, with the real municipalities and
 * their populations on 31 December 2024 (SCB). Expected shares were worked out by hand with exact fractions
 * and the largest-remainder rule of docs/allocation.md#rounding-by-the-largest-remainder.
 */
let f: Fixture;

beforeAll(async () => {
  f = await setupAssociation();
});
afterAll(async () => {
  await f?.server.stop();
});

describe("per_capita", () => {
  it("splits 1 000 000,00 kr by the 2024 populations of Göteborg, Mölndal, Partille and Dals-Ed", async () => {
    const id = await createProject(f, { code: "PC-1", allocationKey: "per_capita" });
    await setBudget(f, id, 2025, "1000000.00");
    for (const code of ["1480", "1481", "1402", "1438"]) await addParticipant(f, id, f.member[code]);
    const res = await f.api.member.get(`/projects/${id}/allocation?year=2025`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ projectId: id, year: 2025, allocationKey: "per_capita", budget: "1000000.00" });
    expect(sharesOf(res.json)).toEqual({
      [f.member["1480"]]: "838742.07", // 608 993 / 726 079
      [f.member["1481"]]: "98363.95",
      [f.member["1402"]]: "56550.32",
      [f.member["1438"]]: "6343.66",
    });
    for (const s of res.json.shares) {
      expect(s.populationYear).toBe(2024);
      expect(s.populationFallback).toBe(false);
      expect(s.weight).toBeNull();
    }
    expect(res.json.shares.find((s: any) => s.memberId === f.member["1480"]).population).toBe(608_993);
    expect(sumShares(res.json)).toBe(100_000_000n);
  });

  it("uses the latest earlier figure when the one for Y−1 is missing, and says which year", async () => {
    const id = await createProject(f, { code: "PC-2", allocationKey: "per_capita" });
    await setBudget(f, id, 2026, "300000");
    for (const code of ["0127", "0182", "1480"]) await addParticipant(f, id, f.member[code]);
    // Nacka gets a 2025 figure; the others only have 2024's.
    const put = await f.api.admin.put(`/members/${f.member["0182"]}/populations/2025`, { population: 112_112 });
    expect(put.status).toBe(200);
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2026`);
    expect(res.status).toBe(200);
    const byMember = Object.fromEntries(res.json.shares.map((s: any) => [s.memberId, s]));
    expect(byMember[f.member["0182"]]).toMatchObject({ populationYear: 2025, populationFallback: false });
    expect(byMember[f.member["0127"]]).toMatchObject({
      populationYear: 2024,
      populationFallback: true,
      population: 95_905,
    });
    expect(sharesOf(res.json)).toEqual({
      [f.member["0127"]]: "35215.60",
      [f.member["0182"]]: "41166.69",
      [f.member["1480"]]: "223617.71",
    });
    expect(sumShares(res.json)).toBe(30_000_000n);

    const page = await f.page.admin.get(`/projects/${id}/allocation?year=2026`);
    const html = await page.text();
    expect(html).toContain("äldre uppgift");
    expect(html).toContain("95 905 (2024)");
  });

  it("refuses with 422 naming the member that has no population basis, never a silent 0", async () => {
    const id = await createProject(f, { code: "PC-3", allocationKey: "per_capita" });
    await setBudget(f, id, 2025, "50000");
    await addParticipant(f, id, f.member["1480"]);
    await addParticipant(f, id, f.member.SKR);
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("allocation_failed");
    expect(res.json.error.message).toContain("Sveriges Kommuner och Regioner");
    expect(res.json.error.fields[`participants.${f.member.SKR}`]).toMatch(
      /Sveriges Kommuner och Regioner saknar invånarantal för 2024/,
    );
    expect(Object.keys(res.json.error.fields)).toEqual([`participants.${f.member.SKR}`]);

    const page = await f.page.member.get(`/projects/${id}/allocation?year=2025`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("kan inte beräknas");
    expect(html).toContain("Sveriges Kommuner och Regioner saknar invånarantal");

    const csv = await f.page.admin.get(`/projects/${id}/allocation.csv?year=2025`);
    expect(csv.status).toBe(422);
    expect(await csv.text()).toContain("Sveriges Kommuner och Regioner");
  });

  it("a figure for the billing year itself is never used", async () => {
    const id = await createProject(f, { code: "PC-4", allocationKey: "per_capita" });
    await setBudget(f, id, 2024, "1000");
    await addParticipant(f, id, f.member["1439"], "2023-01-01");
    // Färgelanda's only figure is for 2024; the basis for 2024 is 2023 or earlier.
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2024`);
    expect(res.status).toBe(422);
    expect(res.json.error.message).toMatch(/Färgelanda kommun \(1439\) saknar invånarantal för 2023 eller tidigare/);
  });
});

describe("equal", () => {
  it("100 000,00 kr among 3: 33 333,34 to the lowest municipality code, 33 333,33 to the others", async () => {
    const id = await createProject(f, { code: "EQ-1", allocationKey: "equal" });
    await setBudget(f, id, 2025, "100000.00");
    // Added in an order unrelated to the codes: Mölndal, Botkyrka (0127, the lowest), Dals-Ed.
    for (const code of ["1481", "0127", "1438"]) await addParticipant(f, id, f.member[code]);
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(res.status).toBe(200);
    expect(sharesOf(res.json)).toEqual({
      [f.member["0127"]]: "33333.34",
      [f.member["1481"]]: "33333.33",
      [f.member["1438"]]: "33333.33",
    });
    expect(res.json.shares.every((s: any) => s.population === null && s.populationYear === null)).toBe(true);

    const page = await f.page.admin.get(`/projects/${id}/allocation?year=2025`);
    const html = await page.text();
    expect(html).toContain("33 333,34 kr");
    expect(html).toContain("33,33 %");
    expect(html).toContain("100 000,00 kr");
  });

  it("does not need populations: the organisation without figures takes part", async () => {
    const id = await createProject(f, { code: "EQ-2", allocationKey: "equal" });
    await setBudget(f, id, 2025, "10.00");
    await addParticipant(f, id, f.member.SKR);
    await addParticipant(f, id, f.member["1480"]);
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(res.status).toBe(200);
    expect(sharesOf(res.json)).toEqual({ [f.member.SKR]: "5.00", [f.member["1480"]]: "5.00" });
  });
});

describe("fixed", () => {
  it("splits by the agreed weights (JSON numbers and decimal strings)", async () => {
    const id = await createProject(f, { code: "FX-1", allocationKey: "fixed" });
    await setBudget(f, id, 2025, "100000");
    await addParticipant(f, id, f.member["1481"], "2024-01-01", 50);
    await addParticipant(f, id, f.member["0127"], "2024-01-01", "33.5");
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(res.status).toBe(200);
    expect(res.json.totalWeight).toBe("83.5");
    expect(sharesOf(res.json)).toEqual({ [f.member["1481"]]: "59880.24", [f.member["0127"]]: "40119.76" });
    expect(res.json.shares.find((s: any) => s.memberId === f.member["0127"]).weight).toBe("33.5");

    // A third participant with weight 16.5 makes it 50 / 33.5 / 16.5 of 100.
    await addParticipant(f, id, f.member["1438"], "2024-01-01", 16.5);
    const again = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(sharesOf(again.json)).toEqual({
      [f.member["1481"]]: "50000.00",
      [f.member["0127"]]: "33500.00",
      [f.member["1438"]]: "16500.00",
    });
  });

  it("a participant without a weight is an error naming it; setting the weight fixes it", async () => {
    const id = await createProject(f, { code: "FX-2", allocationKey: "fixed" });
    await setBudget(f, id, 2025, "1000");
    await addParticipant(f, id, f.member["1481"], "2024-01-01", 1);
    await addParticipant(f, id, f.member["1402"]);
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(res.status).toBe(422);
    expect(res.json.error.message).toContain("Partille kommun (1402) saknar andel");
    const patch = await f.api.admin.patch(`/projects/${id}/participants/${f.member["1402"]}`, { weight: 3 });
    expect(patch.status).toBe(200);
    expect(patch.json.weight).toBe("3");
    const ok = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(sharesOf(ok.json)).toEqual({ [f.member["1481"]]: "250.00", [f.member["1402"]]: "750.00" });
  });
});

describe("base_plus_per_capita", () => {
  it("20 % of 500 000 kr equally, the rest by population", async () => {
    const id = await createProject(f, { code: "BP-1", allocationKey: "base_plus_per_capita", basePercent: "20" });
    await setBudget(f, id, 2025, "500000");
    for (const code of ["1480", "1438", "0127"]) await addParticipant(f, id, f.member[code]);
    const res = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(res.status).toBe(200);
    expect(res.json.basePercent).toBe("20");
    expect(sharesOf(res.json)).toEqual({
      [f.member["1480"]]: "376667.83",
      [f.member["1438"]]: "35930.08",
      [f.member["0127"]]: "87402.09",
    });
    expect(sumShares(res.json)).toBe(50_000_000n);
  });
});

describe("participants of the year", () => {
  it("a participant that left 2025-06-30 pays for 2025 and not for 2026; one that joins in 2026 only for 2026", async () => {
    const id = await createProject(f, { code: "YR-1", allocationKey: "equal" });
    await setBudget(f, id, 2025, "900");
    await setBudget(f, id, 2026, "900");
    await addParticipant(f, id, f.member["0125"], "2024-03-01");
    await addParticipant(f, id, f.member["0162"], "2024-03-01");
    await addParticipant(f, id, f.member["1444"], "2026-12-31");
    const left = await f.api.admin.patch(`/projects/${id}/participants/${f.member["0162"]}`, { leftOn: "2025-06-30" });
    expect(left.status).toBe(200);
    expect(left.json.leftOn).toBe("2025-06-30");

    const y2025 = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(y2025.json.shares.map((s: any) => s.memberId).sort()).toEqual([f.member["0125"], f.member["0162"]].sort());
    expect(sharesOf(y2025.json)).toEqual({ [f.member["0125"]]: "450.00", [f.member["0162"]]: "450.00" });

    const y2026 = await f.api.admin.get(`/projects/${id}/allocation?year=2026`);
    expect(y2026.json.shares.map((s: any) => s.memberId).sort()).toEqual([f.member["0125"], f.member["1444"]].sort());

    const y2027 = await f.api.admin.get(`/projects/${id}/allocation?year=2027`);
    expect(y2027.status).toBe(404);
    expect(y2027.json.error.code).toBe("no_budget");
  });

  it("a budget of 0 gives all zeros; a budget with nobody to share it is an error", async () => {
    const id = await createProject(f, { code: "YR-2", allocationKey: "per_capita" });
    await setBudget(f, id, 2025, "0");
    const empty = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
    expect(empty.status).toBe(200);
    expect(empty.json.shares).toEqual([]);
    await setBudget(f, id, 2025, "10");
    const none = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
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
      const id = await createProject(f, {
        code: `SUM-${n++}`,
        allocationKey: key,
        ...(basePercent ? { basePercent } : {}),
      });
      for (const [i, code] of codes.entries())
        await addParticipant(f, id, f.member[code], "2024-01-01", key === "fixed" ? `${i + 1}.5` : undefined);
      for (const amount of budgets) {
        await setBudget(f, id, 2025, amount);
        const res = await f.api.admin.get(`/projects/${id}/allocation?year=2025`);
        expect(res.status).toBe(200);
        expect(sumShares(res.json)).toBe(BigInt(amount.replace(".", "")));
        expect(res.json.shares).toHaveLength(codes.length);
      }
    }
  });
});
