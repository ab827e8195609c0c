import { todayIso } from "../../../billing/dates";
import { sumOre, type Ore } from "../../../billing/money";
import { daysOverdue } from "../../../billing/overdue";
import { db } from "../../../db/client";
import { reminderDatesByInvoice } from "../../../db/reminder-dates";
import type { Scope } from "../../../db/scope";
import type { InvoiceQuery } from "~/lib/billing-schemas";
import { sortAndPage, type Page, type SortValue, type TableQuery, type TableSpec } from "~/lib/table";
import type { DeliveryState } from "../../../billing/delivery";
import { deliveryStates } from "../delivery/log.server";
import { InvoiceView, listInvoiceViews } from "./queries.server";

/**
 * The invoice list page: the filtered invoices sorted and paged, with the totals of the whole filtered set
 * (not of the page), and for overdue work the days overdue and the dates reminders were sent.
 */

export type InvoiceColumn =
  "number" | "member" | "year" | "issueDate" | "dueDate" | "status" | "total" | "balance" | "daysOverdue";

export const INVOICE_TABLE: TableSpec<InvoiceColumn> = {
  columns: ["number", "member", "year", "issueDate", "dueDate", "status", "total", "balance", "daysOverdue"],
  defaultSort: null,
  defaultDir: "asc",
  pageSize: 50,
};

/** The overdue list reads oldest debt first unless the user sorts otherwise. */
export const OVERDUE_DEFAULT = { sort: "daysOverdue", dir: "desc" } as const;

export interface InvoiceListRow extends InvoiceView {
  /** Days past the due date today (Swedish time); null when the invoice is not overdue. */
  daysOverdue: number | null;
  reminderDates: string[];
  /** Whether an issued invoice has gone out (docs/delivery.md); null for drafts and where not shown. */
  delivery: DeliveryState | null;
}

const STATUS_ORDER: Record<string, number> = { draft: 0, issued: 1, partially_paid: 2, paid: 3, credited: 4 };

const SORT_VALUES: Record<InvoiceColumn, (r: InvoiceListRow) => SortValue> = {
  // Invoice numbers are digits (2026001); drafts have none and sort last.
  number: (r) => r.number,
  member: (r) => r.memberName,
  year: (r) => r.year,
  issueDate: (r) => r.issueDate,
  dueDate: (r) => r.dueDate,
  status: (r) => STATUS_ORDER[r.status] ?? 9,
  total: (r) => r.totalOre,
  balance: (r) => r.balance,
  daysOverdue: (r) => r.daysOverdue,
};

export interface InvoiceListPage extends Page<InvoiceListRow> {
  totalOre: Ore;
  balanceOre: Ore;
}

export function listInvoicePage(
  scope: Scope,
  query: InvoiceQuery,
  table: TableQuery<InvoiceColumn>,
  options: { delivery?: boolean; unsent?: boolean } = {},
  today = todayIso(),
): InvoiceListPage {
  const all = listInvoiceViews(scope, query);
  // Delivery (staff only): each issued invoice's state, and "only the unsent" before paging so the pages and totals agree.
  const delivery = options.delivery
    ? deliveryStates(all.filter((v) => v.state !== "draft").map((v) => v.id))
    : new Map<number, DeliveryState>();
  const views = options.unsent ? all.filter((v) => v.state === "issued" && delivery.get(v.id) !== "sent") : all;
  const overdue = views.filter((v) => v.overdue);
  const reminded = reminderDatesByInvoice(
    db(),
    overdue.map((v) => v.id),
  );
  const rows: InvoiceListRow[] = views.map((v) => ({
    ...v,
    daysOverdue: v.overdue && v.dueDate ? daysOverdue(v.dueDate, today) : null,
    reminderDates: reminded.get(v.id) ?? [],
    delivery: v.state === "draft" ? null : (delivery.get(v.id) ?? null),
  }));
  const page = sortAndPage(rows, table, INVOICE_TABLE, SORT_VALUES);
  return { ...page, totalOre: sumOre(rows.map((r) => r.totalOre)), balanceOre: sumOre(rows.map((r) => r.balance)) };
}
