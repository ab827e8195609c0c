import { writeCsv, type CsvCell, type CsvSeparator } from "../../../billing/csv";
import { db } from "../../../db/client";
import { getInvoiceRow } from "../../../db/invoices";
import { getMemberRow } from "../../../db/members";
import { invoiceStatusLabel } from "../../lib/i18n";
import { InvoiceView } from "./queries.server";

/*
 * The two CSV exports (docs/csv-exports.md): the invoice list for the books and a project-year's allocation.
 * Both are written by billing/csv.ts, so quoting, the decimal sign and formula neutralising are one rule.
 */

/** Issued invoices and credit notes: drafts are not part of the books. */
export function invoicesCsv(views: InvoiceView[], separator: CsvSeparator): string {
  const tx = db();
  const orgNumbers = new Map<number, string>();
  // The credited invoice is usually in the same list, but a filter (a year, a status) may leave it out.
  const numbers = new Map<number, number | null>(views.map((v) => [v.id, v.number]));
  const numberOf = (id: number): string => {
    if (!numbers.has(id)) numbers.set(id, getInvoiceRow(tx, id)?.number ?? null);
    const n = numbers.get(id);
    return n === null || n === undefined ? "" : String(n);
  };
  const rows: CsvCell[][] = [];
  for (const v of views) {
    if (v.state === "draft") continue;
    if (!orgNumbers.has(v.memberId)) orgNumbers.set(v.memberId, getMemberRow(tx, v.memberId)?.orgNumber ?? "");
    rows.push([
      v.number === null ? null : { integer: v.number },
      v.kind === "credit_note" ? "Kreditfaktura" : "Faktura",
      v.issueDate ?? "",
      v.dueDate ?? "",
      v.ocr ?? "",
      v.memberName,
      orgNumbers.get(v.memberId) ?? "",
      { ore: v.netOre },
      { ore: v.vatOre },
      { ore: v.totalOre },
      { ore: v.paid },
      { ore: v.balance },
      invoiceStatusLabel[v.status],
      v.creditedInvoiceId === null ? "" : numberOf(v.creditedInvoiceId),
    ]);
  }
  const header = [
    "Fakturanummer",
    "Typ",
    "Fakturadatum",
    "Förfallodatum",
    "OCR",
    "Medlem",
    "Organisationsnummer",
    "Netto",
    "Moms",
    "Totalt",
    "Betalt",
    "Kvar att betala",
    "Status",
    "Krediterar faktura",
  ];
  return writeCsv(header, rows, separator);
}
