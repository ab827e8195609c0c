import { renderInvoicePdf, renderInvoicesPdf, renderReminderPdf } from "../../../billing/pdf";
import { type Scope } from "../../../db/scope";
import { runDocuments } from "../billing-runs/queries.server";
import { invoiceDocument } from "./documents.server";
import { reminderDocument } from "./reminders.server";
import { authorize } from "../../../billing/policy";

function pdfResponse(bytes: Buffer, filename: string): Response {
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Content-Length": String(bytes.length),
      "Cache-Control": "private, no-store",
    },
  });
}

export type PdfResult = { kind: "ok"; response: Response } | { kind: "not_found" } | { kind: "draft" };

/** The invoice or credit note as PDF, rendered from the document frozen at issue. */
export async function invoicePdfResponse(scope: Scope, id: number): Promise<PdfResult> {
  const doc = invoiceDocument(scope, id);
  if (doc === undefined) return { kind: "not_found" };
  if (doc === null) return { kind: "draft" };
  const bytes = await renderInvoicePdf(doc);
  const word = doc.kind === "credit_note" ? "kreditfaktura" : "faktura";
  return { kind: "ok", response: pdfResponse(bytes, `${word}-${doc.number}.pdf`) };
}

export async function reminderPdfResponse(scope: Scope, id: number): Promise<Response | null> {
  authorize(scope, "invoice.read.internal");
  const doc = reminderDocument(scope, id);
  if (!doc) return null;
  const bytes = await renderReminderPdf(doc);
  return pdfResponse(bytes, `paminnelse-${doc.invoice.number}.pdf`);
}

export async function runPdfResponse(scope: Scope, runId: number): Promise<Response | null> {
  authorize(scope, "billing-run.read");
  const docs = runDocuments(runId);
  if (docs.length === 0) return null;
  // Each project-year's appendix once at the end of the file, not once per invoice (290 × 10 copies at full size).
  return pdfResponse(await renderInvoicesPdf(docs, { appendices: "shared" }), `fakturor-korning-${runId}.pdf`);
}
