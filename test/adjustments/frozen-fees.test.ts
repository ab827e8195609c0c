import { beforeAll, describe, expect, test } from "vitest";
import { statusOf } from "../../app/http/errors";
import { DomainError } from "../../billing/errors";
import { openAssociation, type Association } from "./fixture";

/* Fee schedules are frozen once used (docs/adjustments.md), through the real use cases on a fresh SQLite file. */
let a: Association;
let fees: typeof import("../../app/features/fees/commands.server") &
  typeof import("../../app/features/fees/queries.server");
let schedules: typeof import("../../app/features/fees/commands.server");

const brackets = (annual: number) => [
  { name: "small", minPopulation: 0, entryFee: 500_000, annualFee: annual },
  { name: "medium", minPopulation: 10_000, entryFee: 1_000_000, annualFee: 2 * annual },
  { name: "large", minPopulation: 100_001, entryFee: 2_000_000, annualFee: 4 * annual },
];

function expectRefused(fn: () => unknown, status: number, year: number) {
  try {
    fn();
  } catch (error) {
    // The status the pages and the API answer with: the one mapping of the error's kind (app/http/errors.ts).
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(statusOf(e)).toBe(status);
    expect(e.message).toContain(`Avgifterna för ${year} är redan fakturerade`);
    expect(e.message).toContain("Kreditera");
    return;
  }
  throw new Error("not refused");
}

beforeAll(async () => {
  a = await openAssociation();
  fees = {
    ...(await import("../../app/features/fees/commands.server")),
    ...(await import("../../app/features/fees/queries.server")),
  };
  schedules = await import("../../app/features/fees/commands.server");
  const run = a.billing.createBillingRun(a.scope, { year: 2026, charges: ["annual_fee"] });
  a.billing.issueRun(a.scope, run.run!.id);
});

describe("frozen fees", () => {
  test("a schedule may not take effect in a year whose fees are issued: 409 naming the year", () => {
    expectRefused(
      () => fees.createFeeSchedule(a.scope, { validFrom: 2026, brackets: brackets(900_000) } as never),
      409,
      2026,
    );
  });

  test("a schedule no issued invoice depends on can be edited and deleted", () => {
    const created = fees.createFeeSchedule(a.scope, { validFrom: 2027, brackets: brackets(900_000) } as never);
    const edited = schedules.updateFeeSchedule(a.scope, created.id, {
      validFrom: 2027,
      brackets: brackets(950_000),
    } as never);
    expect(fees.listFeeSchedules().find((s) => s.id === edited.id)?.brackets[0].annualFee).toBe(950_000);
    schedules.deleteFeeSchedule(a.scope, edited.id);
    expect(fees.listFeeSchedules().map((s) => s.validFrom)).toEqual([2005]);
  });

  test("once its fees are issued, the schedule can be neither edited nor deleted", () => {
    const created = fees.createFeeSchedule(a.scope, { validFrom: 2027, brackets: brackets(900_000) } as never);
    const run = a.billing.createBillingRun(a.scope, { year: 2027, charges: ["annual_fee"] });
    a.billing.issueRun(a.scope, run.run!.id);
    expectRefused(() => schedules.deleteFeeSchedule(a.scope, created.id), 409, 2027);
    expectRefused(
      () => schedules.updateFeeSchedule(a.scope, created.id, { validFrom: 2027, brackets: brackets(1) } as never),
      409,
      2027,
    );
  });

  test("a board decision that would alter an issued fee is refused; one for a later year is not", () => {
    const member = a.member["1438"];
    expectRefused(
      () =>
        a.members.addFeeOverride(a.scope, member, { validFrom: 2026, validTo: 2026, annualFee: 0, note: "Befriad" }),
      409,
      2026,
    );
    const later = a.members.addFeeOverride(a.scope, member, {
      validFrom: 2030,
      validTo: null,
      annualFee: 0,
      note: "Befriad",
    });
    expect(later.validFrom).toBe(2030);
  });

  test("after a credit note the year's fee is no longer frozen for that member", () => {
    const member = a.member["1439"];
    const inv = a.billing
      .listInvoiceViews(a.scope, { memberId: member, year: 2026 })
      .find((v) => v.kind === "invoice")!;
    a.billing.creditInvoice(a.scope, inv.id, "Fel avgift");
    const row = a.members.addFeeOverride(a.scope, member, {
      validFrom: 2026,
      validTo: 2026,
      annualFee: 100_000,
      note: "Styrelsebeslut",
    });
    expect(row.annualFeeOre).toBe(100_000);
  });
});
