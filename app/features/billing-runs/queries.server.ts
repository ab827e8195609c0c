import { type ChargeKind, type InvoiceDocument } from "../../../billing/invoice-document";
import { db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import { SYSTEM_SCOPE, type Scope } from "../../../db/scope";
import { readDocuments } from "../invoices/documents.server";
import { InvoiceView, listInvoiceViews } from "../invoices/queries.server";
import { Problem } from "./gather.server";
import { authorize } from "../../../billing/policy";

export interface RunDetail {
  run: invoicesDb.RunRow;
  chargeKinds: ChargeKind[];
  problems: Problem[];
  invoices: InvoiceView[];
}

export function runDetail(scope: Scope, id: number): RunDetail | undefined {
  authorize(scope, "billing-run.read");
  const tx = db();
  const run = invoicesDb.getRun(tx, id);
  if (!run) return undefined;
  return {
    run,
    chargeKinds: JSON.parse(run.chargeKinds) as ChargeKind[],
    problems: JSON.parse(run.problems) as Problem[],
    invoices: listInvoiceViews(SYSTEM_SCOPE, { runId: id }),
  };
}

export function listRuns(scope: Scope) {
  authorize(scope, "billing-run.read");
  const tx = db();
  const summaries = invoicesDb.runSummaries(tx);
  return invoicesDb.listRuns(tx).map((r) => ({
    ...r,
    chargeKinds: JSON.parse(r.chargeKinds) as ChargeKind[],
    problemCount: (JSON.parse(r.problems) as Problem[]).length,
    ...(summaries.get(r.id) ?? { drafts: 0, issued: 0, total: 0 }),
  }));
}

export function runDocuments(runId: number): InvoiceDocument[] {
  const tx = db();
  return readDocuments(tx, invoicesDb.documentsOfRun(tx, runId));
}
