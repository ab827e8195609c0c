import { describe, expect, it } from "vitest";
import { entryFeeYear, feeBasisOf, feeCharges, feesDueInYear } from "../../billing/charges";
import { DEFAULT_FEE_SCHEDULE, feesFor, type FeeResult } from "../../billing/fees";
import { CHARGE_KINDS } from "../../billing/invoice-document";

type OkFees = Extract<FeeResult, { ok: true }>;

function feesOf(population: number, populationYear: number, billingYear: number): OkFees {
  const fees = feesFor({
    schedules: [DEFAULT_FEE_SCHEDULE],
    figures: [{ year: populationYear, population }],
    billingYear,
  });
  if (!fees.ok) throw new Error(fees.message);
  return fees;
}

describe("feesDueInYear (docs/membership.md#what-is-charged-in-year-y)", () => {
  it.each([
    // joinedOn, resignedOn, year, annual, entry
    ["2026-03-01", null, 2026, true, true], // joins in the year: both fees
    ["2026-12-31", null, 2026, true, true], // the last day of the year is still a day of the year
    ["2025-03-01", null, 2026, true, false],
    ["2027-01-01", null, 2026, false, false], // not yet a member
    ["2020-01-01", "2026-01-01", 2026, true, false], // one day in the year pays the whole year
    ["2020-01-01", "2025-12-31", 2026, false, false], // resigned before the year
  ] as const)("joined %s, resigned %s, year %i → annual %s, entry %s", (joinedOn, resignedOn, year, annual, entry) => {
    expect(feesDueInYear({ joinedOn, resignedOn }, year)).toEqual({ annualFee: annual, entryFee: entry });
  });

  it("the entry fee falls in the year of joining", () => {
    expect(entryFeeYear({ joinedOn: "2019-11-30" })).toBe(2019);
  });
});

describe("feeCharges", () => {
  const member = { id: 7, joinedOn: "2026-03-01", resignedOn: null };

  it("charges the entry fee, then the annual fee, of a member joining in the year", () => {
    const fees = feesOf(50_000, 2025, 2026);
    const charges = feeCharges(member, 2026, CHARGE_KINDS, fees);
    expect(charges.map((c) => [c.kind, c.amount, c.description])).toEqual([
      ["entry_fee", 1_000_000, "Medlemsinsats (inträde 2026-03-01)"],
      ["annual_fee", 1_600_000, "Årsavgift 2026"],
    ]);
    for (const c of charges) {
      expect(c).toMatchObject({ memberId: 7, projectId: null, year: 2026, shareBasis: null });
      // A charge (and the draft line holding it) names its bracket; issuing records the bracket's range in the
      // frozen document (test/invoicing/bracket-texts.test.ts), so the draft equals what the database stores.
      expect(c.feeBasis).toEqual({
        bracket: "medium",
        population: 50_000,
        populationYear: 2025,
        overrideNote: null,
      });
    }
  });

  it("charges only the kinds asked for", () => {
    const fees = feesOf(50_000, 2025, 2026);
    expect(feeCharges(member, 2026, ["annual_fee"], fees).map((c) => c.kind)).toEqual(["annual_fee"]);
    expect(feeCharges(member, 2026, ["entry_fee"], fees).map((c) => c.kind)).toEqual(["entry_fee"]);
    expect(feeCharges(member, 2026, ["project_share", "project_adjustment"], fees)).toEqual([]);
  });

  it("charges no entry fee after the joining year, and nothing to a member who had left", () => {
    const fees = feesOf(5_000, 2026, 2027);
    expect(feeCharges(member, 2027, CHARGE_KINDS, fees).map((c) => c.kind)).toEqual(["annual_fee"]);
    const left = { id: 8, joinedOn: "2020-01-01", resignedOn: "2026-06-30" };
    expect(feeCharges(left, 2027, CHARGE_KINDS, fees)).toEqual([]);
  });

  it("says so when the population figure is older than the year before (docs/population-basis.md)", () => {
    const fees = feesOf(5_000, 2022, 2026);
    expect(fees.basis?.fallback).toBe(true);
    const [annual] = feeCharges({ ...member, joinedOn: "2020-01-01" }, 2026, ["annual_fee"], fees);
    expect(annual.description).toBe("Årsavgift 2026 (invånarantal 2022, senast kända)");
    expect(annual.amount).toBe(800_000);
  });

  it("names an override as the basis when the board's decision replaces the fees", () => {
    const fees = feesFor({
      schedules: [DEFAULT_FEE_SCHEDULE],
      figures: [],
      billingYear: 2026,
      overrides: [{ validFrom: 2026, validTo: null, entryFee: 0, annualFee: 100_000, note: "Styrelsebeslut 12/2025" }],
    });
    if (!fees.ok) throw new Error(fees.message);
    expect(feeBasisOf(fees)).toMatchObject({ bracket: "override", overrideNote: "Styrelsebeslut 12/2025" });
  });
});
