import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Role } from "../../db/schema";
import { feeRowJson, scheduleJson } from "../../app/lib/api-json.server";
import { FeeScheduleSchema, PopulationSchema } from "../../app/lib/schemas";
import { createFeeSchedule } from "../../app/features/fees/commands.server";
import { feeRowsFor, listFeeSchedules } from "../../app/features/fees/queries.server";
import { addFeeOverride, setPopulation } from "../../app/features/members/commands.server";
import { association, type Association } from "../support/association";
import { answer } from "../support/use-case";

/*
 * Fees in-process (docs/fees.md, docs/population-basis.md, docs/membership.md): the bracket from the population of
 * Y−1, the fallback to an older figure said out loud, amounts as two-decimal strings, and a new schedule that
 * changes only the years from its start. Each call below is the use case and the serialiser the API route calls
 * (app/routes/api.v1.fees.ts, api.v1.fee-schedules.ts, api.v1.members.$id.populations.$year.ts); the routes' status
 * codes and roles are tested over HTTP in test/api/permissions.test.ts, validation.test.ts and members.test.ts.
 * Dals-Ed and Mölndal have a 2025 figure; Göteborg and Botkyrka only 2024.
 */
let a: Association;
beforeAll(async () => {
  a = await association({
    municipalities: [{ code: "1438", populationYear: 2025 }, "1480", { code: "1481", populationYear: 2025 }, "0127"],
    prefix: "sambruk-fees-",
  });
});
afterAll(() => a?.close());

/** GET /fees?year=Y as `role`. */
const fees = (role: Role, year: number) =>
  answer(() => ({ year, members: feeRowsFor(a.scope[role], year).map(feeRowJson) }));
/** GET /fee-schedules. */
const schedules = () => answer(() => ({ schedules: listFeeSchedules().map(scheduleJson) }));
/** PUT /members/{id}/populations/{year} as the board. */
const putPopulation = (memberId: number, year: number, body: unknown) =>
  answer(() => setPopulation(a.scope.admin, memberId, year, PopulationSchema.parse(body).population));
/** POST /fee-schedules as the board: 201 with the stored schedule. */
const postSchedule = (body: unknown) =>
  answer(() => {
    const { id } = createFeeSchedule(a.scope.admin, FeeScheduleSchema.parse(body));
    return scheduleJson(listFeeSchedules().find((s) => s.id === id)!);
  }, 201);

const future = Math.max(2027, new Date().getFullYear());

function row(res: { json: { members: Array<{ memberId: number }> } }, memberId: number) {
  const found = res.json.members.find((m) => m.memberId === memberId);
  if (!found) throw new Error(`member ${memberId} missing from ${JSON.stringify(res.json)}`);
  return found;
}

describe("GET /fee-schedules", () => {
  test("the default schedule of docs/fees.md, amounts as strings", async () => {
    const res = await schedules();
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      schedules: [
        {
          id: expect.any(Number),
          validFrom: 2005,
          note: "Standardmodellen",
          brackets: [
            {
              name: "small",
              label: "Mindre än 10 000 invånare",
              minPopulation: 0,
              entryFee: "5000.00",
              annualFee: "8000.00",
            },
            {
              name: "medium",
              label: "10 000–100 000 invånare",
              minPopulation: 10000,
              entryFee: "10000.00",
              annualFee: "16000.00",
            },
            {
              name: "large",
              label: "Fler än 100 000 invånare",
              minPopulation: 100001,
              entryFee: "20000.00",
              annualFee: "32000.00",
            },
          ],
        },
      ],
    });
  });
});

describe("GET /fees", () => {
  test("2026: Dals-Ed small, Mölndal medium, Göteborg large, on the 2025 figure or the 2024 fallback", async () => {
    const res = await fees("treasurer", 2026);
    expect(res.status).toBe(200);
    expect(res.json.year).toBe(2026);
    expect(res.json.members).toHaveLength(4);
    expect(row(res, a.members.dalsEd)).toEqual({
      memberId: a.members.dalsEd,
      name: "Dals-Ed kommun",
      populationYear: 2025,
      population: 4606,
      populationFallback: false,
      bracket: "small",
      entryFee: "5000.00",
      annualFee: "8000.00",
      override: null,
      error: null,
    });
    expect(row(res, a.members.molndal)).toEqual({
      memberId: a.members.molndal,
      name: "Mölndal kommun",
      populationYear: 2025,
      population: 71420,
      populationFallback: false,
      bracket: "medium",
      entryFee: "10000.00",
      annualFee: "16000.00",
      override: null,
      error: null,
    });
    expect(row(res, a.members.goteborg)).toEqual({
      memberId: a.members.goteborg,
      name: "Göteborg kommun",
      populationYear: 2024,
      population: 608993,
      populationFallback: true,
      bracket: "large",
      entryFee: "20000.00",
      annualFee: "32000.00",
      override: null,
      error: null,
    });
  });

  test("the figure of the billing year itself is never used: 2025 fees need a figure for 2024 or earlier", async () => {
    // Dals-Ed has only its 2025 figure so far.
    const without = await fees("admin", 2025);
    expect(row(without, a.members.dalsEd)).toMatchObject({
      populationYear: null,
      bracket: null,
      annualFee: null,
      error: "Invånarantal saknas för 2024 eller tidigare (underlag för avgifterna 2025)",
    });
    expect((await putPopulation(a.members.dalsEd, 2024, { population: 4_650 })).status).toBe(200);
    const withFigure = await fees("admin", 2025);
    expect(row(withFigure, a.members.dalsEd)).toMatchObject({
      populationYear: 2024,
      population: 4650,
      populationFallback: false,
      bracket: "small",
      annualFee: "8000.00",
      error: null,
    });
  });

  test("a member with no figure at or before Y−1 is reported with an error, never as 0", async () => {
    const res = await fees("admin", 2024);
    expect(row(res, a.members.goteborg)).toEqual({
      memberId: a.members.goteborg,
      name: "Göteborg kommun",
      populationYear: null,
      population: null,
      populationFallback: false,
      bracket: null,
      entryFee: null,
      annualFee: null,
      override: null,
      error: "Invånarantal saknas för 2023 eller tidigare (underlag för avgifterna 2024)",
    });
  });

  test("the bracket boundaries hold over the API: 10 000 and 100 000 are medium, 100 001 is large", async () => {
    for (const [population, bracket, annualFee] of [
      [9_999, "small", "8000.00"],
      [10_000, "medium", "16000.00"],
      [100_000, "medium", "16000.00"],
      [100_001, "large", "32000.00"],
    ] as const) {
      expect((await putPopulation(a.members.botkyrka, 2025, { population })).status).toBe(200);
      const res = await fees("admin", 2026);
      expect(row(res, a.members.botkyrka), String(population)).toMatchObject({
        population,
        bracket,
        annualFee,
        populationYear: 2025,
      });
    }
  });

  test("members not active in the year are left out", async () => {
    const before = await fees("admin", 2019);
    expect(before.json).toEqual({ year: 2019, members: [] });
  });

  test(`a ${future} schedule added over the API changes ${future} fees, not 2026`, async () => {
    const created = await postSchedule({
      validFrom: future,
      note: "Stämmobeslut 2026",
      brackets: [
        { name: "small", minPopulation: 0, entryFee: "6000", annualFee: "9000.50" },
        { name: "medium", minPopulation: 20_000, entryFee: "12000", annualFee: "18000" },
        { name: "large", label: "Storstäder", minPopulation: 200_000, entryFee: "24000.00", annualFee: "36000.00" },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(Number),
      validFrom: future,
      note: "Stämmobeslut 2026",
      brackets: [
        // A bracket without a label is labelled with its own boundaries, not with those of 2005 (docs/fees.md#bracket-texts).
        {
          name: "small",
          label: "0–19 999 invånare",
          minPopulation: 0,
          entryFee: "6000.00",
          annualFee: "9000.50",
        },
        {
          name: "medium",
          label: "20 000–199 999 invånare",
          minPopulation: 20000,
          entryFee: "12000.00",
          annualFee: "18000.00",
        },
        { name: "large", label: "Storstäder", minPopulation: 200000, entryFee: "24000.00", annualFee: "36000.00" },
      ],
    });
    const list = await schedules();
    expect(list.json.schedules.map((s: { validFrom: number }) => s.validFrom)).toEqual([2005, future]);

    const later = await fees("admin", future);
    expect(row(later, a.members.dalsEd)).toMatchObject({
      bracket: "small",
      annualFee: "9000.50",
      entryFee: "6000.00",
    });
    expect(row(later, a.members.molndal)).toMatchObject({ bracket: "medium", annualFee: "18000.00" });
    expect(row(later, a.members.goteborg)).toMatchObject({
      bracket: "large",
      annualFee: "36000.00",
      populationYear: 2024,
      populationFallback: true,
    });
    if (future === 2027) {
      // 2027 stands on the 2026 figure; Dals-Ed has only 2025 and 2024, so the fallback is reported.
      expect(row(later, a.members.dalsEd)).toMatchObject({ populationYear: 2025, populationFallback: true });
    }

    const now = await fees("admin", 2026);
    expect(row(now, a.members.dalsEd)).toMatchObject({ bracket: "small", annualFee: "8000.00", entryFee: "5000.00" });
    expect(row(now, a.members.molndal)).toMatchObject({ bracket: "medium", annualFee: "16000.00" });
    expect(row(now, a.members.goteborg)).toMatchObject({ bracket: "large", annualFee: "32000.00" });

    const audit = a
      .sqlite()
      .prepare("SELECT actor_user_id AS actor, after FROM audit_log WHERE action = 'fee_schedule.create'")
      .all() as Array<{ actor: number; after: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe(a.users.admin.id);
    expect(JSON.parse(audit[0].after)).toMatchObject({
      validFrom: future,
      brackets: [{ name: "small", annualFee: 900050 }, {}, {}],
    });
  });

  test("a board decision (override) is shown with the fee", async () => {
    addFeeOverride({ userId: null, email: "system", role: "admin", memberId: null }, a.members.dalsEd, {
      validFrom: 2026,
      validTo: 2026,
      annualFee: 0,
      note: "Styrelsebeslut 2026-01-15 §4: befriad 2026",
    });
    const res = await fees("member", 2026);
    expect(res.json.members).toEqual([
      expect.objectContaining({
        memberId: a.members.dalsEd,
        bracket: "small",
        entryFee: "5000.00",
        annualFee: "0.00",
        override: { note: "Styrelsebeslut 2026-01-15 §4: befriad 2026" },
      }),
    ]);
    const next = await fees("admin", future);
    expect(row(next, a.members.dalsEd)).toMatchObject({ override: null, annualFee: "9000.50" });
  });
});
