import { strToU8, zipSync, type Zippable } from "fflate";
import { renderInvoicesPdf } from "../../../billing/pdf";
import { ublFilename } from "../../../billing/ubl";
import { db } from "../../../db/client";
import { getUbl, ublsOfRun } from "../../../db/e-invoices";
import { SYSTEM_SCOPE, type Scope } from "../../../db/scope";
import { runDocuments } from "../billing-runs/queries.server";
import { invoiceDocument } from "../invoices/documents.server";
import { completeUbl } from "./ubl.server";
import { authorize } from "../../../billing/policy";

/**
 * The e-invoice of an issued invoice as it is sent and downloaded: the document stored at issue, with the PDFs of
 * its frozen document put in (docs/e-invoice.md). Null when the invoice has no stored e-invoice. The caller has
 * checked that the invoice may be seen.
 */
export function sendableUbl(invoiceId: number, stored: string | null): string | null {
  if (stored === null) return null;
  const document = invoiceDocument(SYSTEM_SCOPE, invoiceId);
  if (!document) return null;
  return completeUbl(stored, document);
}

/* Downloads of the e-invoices stored at issue (docs/e-invoice.md): one invoice's UBL, and a run's documents as a ZIP. */

// Downloads --------------------------------------------------------------------------------------------------------

export type UblResult =
  { kind: "ok"; response: Response } | { kind: "not_found" } | { kind: "draft" } | { kind: "missing" };

/** The stored e-invoice of one invoice the caller may see, as application/xml. */
export function invoiceUblResponse(scope: Scope, id: number): UblResult {
  const row = getUbl(db(), scope, id);
  if (!row) return { kind: "not_found" };
  if (row.state === "draft" || row.number === null) return { kind: "draft" };
  // Invoices issued before e-invoicing existed have no stored document; none is made afterwards (it would not be
  // the document of the day of issue).
  if (row.ubl === null) return { kind: "missing" };
  const bytes = Buffer.from(sendableUbl(row.id, row.ubl) ?? "", "utf8");
  return {
    kind: "ok",
    response: new Response(new Uint8Array(bytes), {
      status: 200,
      headers: {
        "Content-Type": "application/xml; charset=utf-8",
        "Content-Disposition": `attachment; filename="${ublFilename({ kind: row.kind, number: String(row.number) })}"`,
        "Content-Length": String(bytes.length),
        "Cache-Control": "private, no-store",
      },
    }),
  };
}

/**
 * A run's documents in one ZIP: each invoice's e-invoice (which holds its PDF and appendices) and the run's
 * print file (every invoice, the appendices once). The XML is stored compressed (it is mostly base64 of PDFs
 * that are already deflated, so little is gained by compressing again); the PDF likewise.
 */
export async function runZipResponse(scope: Scope, runId: number): Promise<Response | null> {
  authorize(scope, "billing-run.read");
  const rows = ublsOfRun(db(), runId).filter((r) => r.ubl !== null);
  if (rows.length === 0) return null;
  const files: Zippable = {};
  for (const r of rows)
    files[ublFilename({ kind: r.kind, number: String(r.number) })] = [
      strToU8(sendableUbl(r.id, r.ubl) ?? ""),
      { level: 1 },
    ];
  const pdf = await renderInvoicesPdf(runDocuments(runId), { appendices: "shared" });
  files[`fakturor-korning-${runId}.pdf`] = [new Uint8Array(pdf), { level: 0 }];
  const zipped = zipSync(files);
  return new Response(zipped, {
    status: 200,
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="korning-${runId}.zip"`,
      "Content-Length": String(zipped.length),
      "Cache-Control": "private, no-store",
    },
  });
}
