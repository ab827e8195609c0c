import { activeInYear, yearOf } from "./dates";
import { OVERRIDE_BRACKET, type FeeResult } from "./fees";
import type { Charge } from "./invoice";
import type { ChargeKind, FeeBasis } from "./invoice-document";

/*
 * What a member is charged in year Y (docs/membership.md#what-is-charged-in-year-y): the annual fee when it is a
 * member on some day of the year, the entry fee in the year it joined. The billing run builds its fee lines with
 * feeCharges, and the fee pages count the same fees with feesDueInYear, so the two cannot disagree.
 */

export interface MembershipDates {
  joinedOn: string;
  resignedOn: string | null;
}

export interface FeesDue {
  annualFee: boolean;
  entryFee: boolean;
}

/** The year a member's entry fee is charged: the year it joined. */
export function entryFeeYear(member: Pick<MembershipDates, "joinedOn">): number {
  return yearOf(member.joinedOn);
}

/** Which of the fees fall due in `year` for a member with these dates. */
export function feesDueInYear(member: MembershipDates, year: number): FeesDue {
  return {
    annualFee: activeInYear(member.joinedOn, member.resignedOn, year),
    entryFee: entryFeeYear(member) === year,
  };
}

/**
 * What the invoice line prints under a fee: the bracket (or "override") and the population it was chosen by. A
 * draft line keeps the bracket's name only, as it is stored; issuing records the bracket's range in the schedule of
 * the billing year in the frozen document (withBracketRanges, docs/fees.md#bracket-texts).
 */
export function feeBasisOf(f: Extract<FeeResult, { ok: true }>): FeeBasis {
  return {
    bracket: f.bracket?.name ?? OVERRIDE_BRACKET,
    population: f.basis?.population ?? null,
    populationYear: f.basis?.year ?? null,
    overrideNote: f.override?.note ?? null,
  };
}

/**
 * The fee charges of the chosen kinds due in `year` for one member whose fees for the year are `fees`: the entry
 * fee first, then the annual fee. A fee of 0 kr is still returned (the caller decides not to invoice it).
 */
export function feeCharges(
  member: MembershipDates & { id: number },
  year: number,
  kinds: readonly ChargeKind[],
  fees: Extract<FeeResult, { ok: true }>,
): Charge[] {
  const due = feesDueInYear(member, year);
  const basis = feeBasisOf(fees);
  const fallback = fees.basis?.fallback ? ` (invånarantal ${fees.basis.year}, senast kända)` : "";
  const charges: Charge[] = [];
  if (kinds.includes("entry_fee") && due.entryFee) {
    charges.push({
      kind: "entry_fee",
      memberId: member.id,
      projectId: null,
      year,
      description: `Medlemsinsats (inträde ${member.joinedOn})${fallback}`,
      amount: fees.entryFee,
      feeBasis: basis,
      shareBasis: null,
    });
  }
  if (kinds.includes("annual_fee") && due.annualFee) {
    charges.push({
      kind: "annual_fee",
      memberId: member.id,
      projectId: null,
      year,
      description: `Årsavgift ${year}${fallback}`,
      amount: fees.annualFee,
      feeBasis: basis,
      shareBasis: null,
    });
  }
  return charges;
}
