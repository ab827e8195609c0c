import { feesFor } from "../../../billing/fees";
import { buildInvoiceLines, chargeKey, type Charge, type DraftLine, type VatRates } from "../../../billing/invoice";
import { type ChargeKind } from "../../../billing/invoice-document";
import { splitForVatCategories } from "../../../billing/vat-split";
import { type Db } from "../../../db/client";
import { listSchedules } from "../../../db/fees";
import * as invoicesDb from "../../../db/invoices";
import { listMembersWithPrivate, overridesByMember, populationsByMember, type MemberRow } from "../../../db/members";
import { SYSTEM_SCOPE } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { feesDueInYear, feeCharges } from "../../../billing/charges";
import {
  projectSharesForYear,
  projectSplitsForYear,
  type ProjectSharesOfYear,
  type ProjectSplitsOfYear,
} from "../projects/shares.server";
import {
  gatherProjectCharges,
  hasProjectCharges,
  projectChargesOf,
  type ProjectCharges,
  type ProjectYearChange,
} from "./project-charges.server";

/*
 * What a billing run charges (docs/invoices.md#billing-runs): the fees and project shares due in the year that no
 * invoice line holds yet, grouped per member, and the members that cannot be charged with the reason.
 */

export interface Problem {
  memberId: number | null;
  /** Set for a problem of a project-year; memberId is then null when the whole project-year is left out. */
  projectId?: number;
  message: string;
}

interface MemberCharges {
  member: MemberRow;
  /** The member's charges, made when asked for: a run drafts member by member and holds one member's at a time. */
  charges: () => Charge[];
}

export interface Gathered {
  perMember: Map<number, MemberCharges>;
  problems: Problem[];
  alreadyInvoiced: number;
  /** Project-years whose split moved since they were invoiced: old and new side by side. */
  changes: ProjectYearChange[];
}

/** The shares of every project of the year; an adapter so that the run says clearly when they cannot be had. */
export function projectSharesOf(tx: Db, year: number): ProjectSharesOfYear {
  if (typeof projectSharesForYear !== "function") {
    throw new DomainError("conflict", "project_shares_unavailable", "project shares not available");
  }
  return projectSharesForYear(year, tx);
}

/** Every project-year of the year allocated compactly, as the billing run uses them. */
function projectSplitsOf(tx: Db, year: number): ProjectSplitsOfYear {
  if (typeof projectSplitsForYear !== "function") {
    throw new DomainError("conflict", "project_shares_unavailable", "project shares not available");
  }
  return projectSplitsForYear(year, tx);
}

/**
 * Every charge of the chosen kinds due in `year` that no line holds yet, per member, and the members that cannot
 * be charged with the reason (docs/population-basis.md, docs/membership.md#what-is-charged-in-year-y, docs/invoices.md#billing-runs). Charges of 0 kr are not invoiced.
 */
export function gatherCharges(tx: Db, year: number, kinds: readonly ChargeKind[]): Gathered {
  const held = invoicesDb.heldChargeKeys(tx);
  const members = listMembersWithPrivate(tx, SYSTEM_SCOPE);
  const byId = new Map(members.map((m) => [m.id, m]));
  const schedules = listSchedules(tx);
  const figures = populationsByMember(tx);
  const overrides = overridesByMember(tx);
  const problems: Problem[] = [];
  const candidates = new Map<number, Charge[]>();
  let alreadyInvoiced = 0;
  // With no charge held yet (the first run of a year), no key needs to be made here: the lines make them.
  const anyHeld = held.size > 0;
  const add = (c: Charge) => {
    if (anyHeld && held.has(chargeKeyOf(c))) {
      alreadyInvoiced++;
      return;
    }
    if (c.amount === 0) return;
    let list = candidates.get(c.memberId);
    if (!list) candidates.set(c.memberId, (list = []));
    list.push(c);
  };

  // Which fees fall due in the year, and their lines, is billing/charges.ts: the fee pages count the same fees.
  for (const m of members) {
    const due = feesDueInYear(m, year);
    if (!(kinds.includes("annual_fee") && due.annualFee) && !(kinds.includes("entry_fee") && due.entryFee)) continue;
    const fees = feesFor({
      schedules,
      figures: figures.get(m.id) ?? [],
      billingYear: year,
      overrides: overrides.get(m.id) ?? [],
    });
    if (!fees.ok) {
      problems.push({ memberId: m.id, message: `${m.name}: ${fees.message}` });
      continue;
    }
    for (const c of feeCharges(m, year, kinds, fees)) add(c);
  }

  // Project shares and adjustments (docs/adjustments.md): a project-year is billed whole or not at all.
  let changes: ProjectYearChange[] = [];
  let project: ProjectCharges | null = null;
  if (kinds.includes("project_share") || kinds.includes("project_adjustment")) {
    const blocked = new Map(members.filter((m) => !m.street || !m.postalCode || !m.city).map((m) => [m.id, m.name]));
    project = gatherProjectCharges(
      tx,
      year,
      kinds,
      projectSplitsOf(tx, year),
      blocked,
      (id) => byId.get(id)?.name ?? `Medlem ${id}`,
    );
    for (const p of project.problems) problems.push(p);
    alreadyInvoiced += project.alreadyInvoiced;
    changes = project.changes;
  }

  // A member's charges: its fees, then its project charges in the order of the project-years.
  const perMember = new Map<number, MemberCharges>();
  for (const m of members) {
    const fees = candidates.get(m.id);
    if (!fees && !(project && hasProjectCharges(project, m.id))) continue;
    if (!m.street || !m.postalCode || !m.city) {
      problems.push({
        memberId: m.id,
        message: `${m.name}: fakturaadress saknas – ingen faktura skapas förrän adressen är ifylld`,
      });
      continue;
    }
    if (!m.reference) {
      problems.push({
        memberId: m.id,
        message: `${m.name}: Er referens saknas – kommuner avvisar ofta fakturor utan referens`,
      });
    }
    const charges = () => (project ? [...(fees ?? []), ...projectChargesOf(project, m.id)] : (fees ?? []));
    perMember.set(m.id, { member: m, charges });
  }
  return { perMember, problems, alreadyInvoiced, changes };
}

/**
 * A member's charges grouped into the draft invoices they make: one draft per member, or two when charges outside
 * the scope of VAT (e-invoice category O) meet taxed ones, which may not share an e-invoice (rule BR-O-11).
 */
export function draftsOfMember(charges: Charge[], rates: VatRates): DraftLine[][] {
  // BR-O-11: out-of-scope and taxed charges go on separate invoices (billing/vat-split.ts).
  return splitForVatCategories(charges, (c) => rates[c.kind]).map((group) => buildInvoiceLines(group, rates));
}

function chargeKeyOf(c: Charge): string {
  return chargeKey(c);
}
