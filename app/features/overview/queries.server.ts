import { yearOf, todayIso } from "../../../billing/dates";
import { CHARGE_KINDS } from "../../../billing/invoice";
import type { ChargeKind } from "../../../billing/invoice-document";
import { sumOre, type Ore } from "../../../billing/money";
import { db } from "../../../db/client";
import { bookedByYearAndKind, budgetsByYear } from "../../../db/overview";
import type { Scope } from "../../../db/scope";
import { InvoiceView, listInvoiceViews } from "../invoices/queries.server";
import { previewBillingRun } from "../billing-runs/commands.server";
import { authorize } from "../../../billing/policy";

/*
 * The start page of the board and the treasurer: a few figures, each computed from the same data as the list
 * it links to (the invoice list, the overdue list, the unbilled view), so that a figure and its list never
 * disagree. "This year" is the Swedish calendar year (todayIso is Stockholm time).
 */

export interface YearFigures {
  year: number;
  invoiced: Ore;
  paid: Ore;
  open: Ore;
  invoiceCount: number;
}

export interface OverdueFigures {
  count: number;
  amount: Ore;
  oldestDueDate: string | null;
}

export interface BookedYear {
  year: number;
  fees: Ore;
  projects: Ore;
  budgets: Ore;
}

export interface Unbilled {
  year: number;
  byKind: Array<{ kind: ChargeKind; count: number; amount: Ore }>;
  count: number;
  amount: Ore;
  problems: Array<{ memberId: number | null; message: string }>;
}

export interface Overview {
  today: string;
  year: number;
  figures: YearFigures;
  overdue: OverdueFigures;
  drafts: number;
  unbilled: Unbilled;
  /** The year before: last year's fees and shares are easily forgotten once the new year has begun. */
  unbilledBefore: Unbilled;
  booked: BookedYear[];
}

function figuresOf(year: number, views: InvoiceView[]): YearFigures {
  const issued = views.filter((v) => v.state !== "draft");
  return {
    year,
    invoiced: sumOre(issued.map((v) => v.totalOre)),
    paid: sumOre(issued.map((v) => v.paid)),
    open: sumOre(issued.map((v) => v.balance)),
    invoiceCount: issued.filter((v) => v.kind === "invoice").length,
  };
}

export function overdueOf(views: InvoiceView[]): OverdueFigures {
  const overdue = views.filter((v) => v.overdue);
  const dues = overdue
    .map((v) => v.dueDate)
    .filter((d): d is string => d !== null)
    .sort();
  return { count: overdue.length, amount: sumOre(overdue.map((v) => v.balance)), oldestDueDate: dues[0] ?? null };
}

/** What a billing run of `year` with every charge kind would bill now: by definition, what is not yet billed. */
export function unbilledOf(year: number): Unbilled {
  const preview = previewBillingRun({ year, charges: [...CHARGE_KINDS] });
  const byKind = CHARGE_KINDS.map((kind) => {
    const lines = preview.invoices.flatMap((i) => i.lines.filter((l) => l.chargeKind === kind));
    return { kind, count: lines.length, amount: sumOre(lines.map((l) => l.amount)) };
  });
  return {
    year,
    byKind,
    count: sumOre(byKind.map((k) => k.count)),
    amount: sumOre(byKind.map((k) => k.amount)),
    problems: preview.problems,
  };
}

/** Fees and project costs invoiced per billing year (net of credit notes), beside the project budgets. */
export function bookedPerYear(): BookedYear[] {
  const tx = db();
  const years = new Map<number, BookedYear>();
  const at = (year: number) => {
    let y = years.get(year);
    if (!y) years.set(year, (y = { year, fees: 0, projects: 0, budgets: 0 }));
    return y;
  };
  for (const row of bookedByYearAndKind(tx)) {
    const y = at(row.year);
    if (row.chargeKind === "entry_fee" || row.chargeKind === "annual_fee") y.fees += row.amountOre;
    else y.projects += row.amountOre;
  }
  for (const row of budgetsByYear(tx)) at(row.year).budgets += row.amountOre;
  return [...years.values()].sort((a, b) => a.year - b.year);
}

export function overview(scope: Scope, year: number, today = todayIso()): Overview {
  authorize(scope, "overview.read");
  const all = listInvoiceViews(scope);
  const ofYear = all.filter((v) => v.year === year);
  return {
    today,
    year,
    figures: figuresOf(year, ofYear),
    overdue: overdueOf(all),
    drafts: all.filter((v) => v.state === "draft").length,
    unbilled: unbilledOf(year),
    unbilledBefore: unbilledOf(year - 1),
    booked: bookedPerYear(),
  };
}

export function currentBillingYear(today = todayIso()): number {
  return yearOf(today);
}
