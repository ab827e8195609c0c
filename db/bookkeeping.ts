import type { InvoiceKind } from "../billing/enums";
import { sql } from "drizzle-orm";
import type { SieInvoice, SiePayment } from "../billing/sie";
import type { Db } from "./client";

/*
 * What the books need of a period (docs/sie.md): the issued invoices and credit notes by issue date, with their
 * lines, and the payments by payment date. Staff only: the caller has checked the role. Three statements whatever
 * the number of invoices; call it in one transaction so the three see the same state.
 */

type InvoiceRaw = {
  id: number;
  number: number;
  kind: InvoiceKind;
  issue_date: string;
  member_name: string;
  credited_number: number | null;
  total_ore: number;
};
type LineRaw = { invoice_id: number; charge_kind: string; amount_ore: number; vat_ore: number; vat_rate: number };

export function bookkeepingOfPeriod(
  tx: Db,
  from: string,
  to: string,
): { invoices: SieInvoice[]; payments: SiePayment[] } {
  const invoiceRows = tx.all<InvoiceRaw>(
    sql`SELECT i.id, i.number, i.kind, i.issue_date, m.name AS member_name, c.number AS credited_number, i.total_ore
          FROM invoices i
          JOIN members m ON m.id = i.member_id
          LEFT JOIN invoices c ON c.id = i.credited_invoice_id
         WHERE i.state <> 'draft' AND i.issue_date BETWEEN ${from} AND ${to}
         ORDER BY i.issue_date, i.number`,
  );
  const lineRows = tx.all<LineRaw>(
    sql`SELECT l.invoice_id, l.charge_kind, l.amount_ore, l.vat_ore, l.vat_rate
          FROM invoice_lines l
          JOIN invoices i ON i.id = l.invoice_id
         WHERE i.state <> 'draft' AND i.issue_date BETWEEN ${from} AND ${to}
         ORDER BY l.invoice_id, l.position, l.id`,
  );
  const payments = tx.all<SiePayment>(
    sql`SELECT i.number AS invoiceNumber, m.name AS memberName, p.paid_on AS paidOn, p.amount_ore AS amount
          FROM payments p
          JOIN invoices i ON i.id = p.invoice_id
          JOIN members m ON m.id = i.member_id
         WHERE p.paid_on BETWEEN ${from} AND ${to}
         ORDER BY p.paid_on, p.id`,
  );
  const lines = new Map<number, SieInvoice["lines"]>(invoiceRows.map((r) => [r.id, []]));
  for (const l of lineRows)
    lines
      .get(l.invoice_id)
      ?.push({ chargeKind: l.charge_kind, amount: l.amount_ore, vat: l.vat_ore, vatRate: l.vat_rate });
  return {
    invoices: invoiceRows.map((r) => ({
      number: r.number,
      kind: r.kind,
      issueDate: r.issue_date,
      memberName: r.member_name,
      creditedNumber: r.credited_number,
      total: r.total_ore,
      lines: lines.get(r.id)!,
    })),
    payments,
  };
}
