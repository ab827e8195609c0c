import { invoiceTotals, type DraftLine } from "../../../billing/invoice";
import { type ChargeKind } from "../../../billing/invoice-document";
import { sumOre, type Ore } from "../../../billing/money";
import { writeAudit } from "../../../db/audit";
import { transaction, type Db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import * as settingsDb from "../../../db/settings";
import { type Scope } from "../../../db/scope";
import type { BillingRunInput } from "../../lib/billing-schemas";
import { vatRatesOf } from "../settings/queries.server";
import { Gathered, Problem, draftsOfMember, gatherCharges } from "./gather.server";
import { ProjectYearChange } from "./project-charges.server";
import { authorize } from "../../../billing/policy";

/*
 * Billing runs (docs/invoices.md#billing-runs): the preview and the run itself, one immediate transaction, so that
 * concurrent or repeated requests cannot bill a charge twice; the partial unique index invoice_lines_charge_uq backs
 * this in the database. Pages, /api/v1 and scripts all call these functions.
 */

export interface RunPreview {
  year: number;
  charges: ChargeKind[];
  invoices: Array<{ memberId: number; memberName: string; lines: DraftLine[]; total: Ore }>;
  problems: Problem[];
  changes: ProjectYearChange[];
  alreadyInvoiced: number;
  total: Ore;
}

function previewFrom(tx: Db, year: number, kinds: ChargeKind[], g: Gathered): RunPreview {
  const rates = vatRatesOf(settingsDb.getSettings(tx));
  const invoices = [...g.perMember.values()].flatMap(({ member, charges }) =>
    draftsOfMember(charges(), rates).map((lines) => ({
      memberId: member.id,
      memberName: member.name,
      lines,
      total: invoiceTotals(lines).total,
    })),
  );
  return {
    year,
    charges: kinds,
    invoices,
    problems: g.problems,
    changes: g.changes,
    alreadyInvoiced: g.alreadyInvoiced,
    total: sumOre(invoices.map((i) => i.total)),
  };
}

/** Who would get what in a run, and who cannot be charged, without writing anything. */
export function previewBillingRun(input: BillingRunInput): RunPreview {
  return transaction(
    (tx) => previewFrom(tx, input.year, input.charges, gatherCharges(tx, input.year, input.charges)),
    "deferred",
  );
}

/**
 * A billing run (docs/invoices.md#billing-runs): one draft invoice per member with one line per new charge, in one transaction.
 * A run with nothing new makes no invoices and stores no run (`run` is null); its problems are still answered.
 */
export function createBillingRun(scope: Scope, input: BillingRunInput) {
  authorize(scope, "billing-run.create");
  return transaction((tx) => {
    const g = gatherCharges(tx, input.year, input.charges);
    if (g.perMember.size === 0) {
      return {
        run: null,
        invoiceIds: [] as number[],
        problems: g.problems,
        alreadyInvoiced: g.alreadyInvoiced,
        changes: g.changes,
      };
    }
    const rates = vatRatesOf(settingsDb.getSettings(tx));
    const run = invoicesDb.insertRun(tx, {
      year: input.year,
      chargeKinds: input.charges,
      problems: g.problems,
      createdBy: scope.userId,
    });
    // Member by member: the member's lines are built, written and dropped before the next member's, rather than
    // every line of the run (a million at 10 000 members × 100 projects) held at once as a preview first.
    const ids: number[] = [];
    const totals: Ore[] = [];
    const lineWriter = new invoicesDb.LineWriter(tx);
    for (const [memberId, { charges }] of g.perMember) {
      for (const lines of draftsOfMember(charges(), rates)) {
        const sums = invoiceTotals(lines);
        const invoiceId = invoicesDb.insertInvoiceId(tx, {
          runId: run.id,
          memberId,
          year: input.year,
          kind: "invoice",
          state: "draft",
          netOre: sums.net,
          vatOre: sums.vat,
          totalOre: sums.total,
        });
        lineWriter.insert(invoiceId, lines);
        ids.push(invoiceId);
        totals.push(sums.total);
      }
      g.perMember.delete(memberId);
    }
    const total = sumOre(totals);
    writeAudit(tx, scope, {
      action: "billing_run.create",
      entity: "billing_run",
      entityId: run.id,
      after: {
        year: input.year,
        charges: input.charges,
        invoices: ids.length,
        total,
        problems: g.problems.length,
        adjustedProjectYears: g.changes.length,
      },
    });
    return { run, invoiceIds: ids, problems: g.problems, alreadyInvoiced: g.alreadyInvoiced, changes: g.changes };
  });
}
