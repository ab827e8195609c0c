import { writeCsv, type CsvCell, type CsvSeparator } from "../../billing/csv";
import { sumOre } from "../../billing/money";
import { db } from "../../db/client";
import { getInvoiceRow } from "../../db/invoices";
import { getMemberRow } from "../../db/members";
import type { Scope } from "../../db/scope";
import { invoiceKindLabel, invoiceStatusLabel } from "../lib/i18n";
import type { InvoiceView } from "./billing.server";
import { percentOf, sortByName, type ProjectYearAllocation } from "./projects.server";

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
      invoiceKindLabel[v.kind],
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

/**
 * Who may download a project-year's split (docs/csv-exports.md): the treasurer and the board always; a member
 * user only for a year its member takes part in, where the split is the basis of its own invoice. The project
 * list stays open to everyone; the file of every member's share is not handed to every member.
 */
export function maySeeAllocationCsv(scope: Scope, allocation: ProjectYearAllocation): boolean {
  if (scope.role !== "member") return true;
  return allocation.rows.some((r) => r.memberId === scope.memberId && !r.hypothetical);
}

export function allocationCsv(a: ProjectYearAllocation, separator: CsvSeparator): string {
  if (a.budget === null || !a.ok) throw new Error("allocationCsv needs a successful allocation");
  const budget = a.budget;
  const percent = (share: number): CsvCell => {
    const p = percentOf(share, budget);
    return p === null ? null : { decimal: p };
  };
  const rows: CsvCell[][] = sortByName(a.rows).map((r) => [
    a.project.code,
    { integer: a.year },
    r.memberName,
    r.municipalityCode ?? "",
    r.basis ? { integer: r.basis.population } : null,
    r.basis ? { integer: r.basis.year } : null,
    r.basis ? (r.basis.fallback ? "ja" : "nej") : "",
    r.weight === null ? null : { decimal: r.weight },
    { ore: r.share! },
    percent(r.share!),
  ]);
  const total = sumOre(a.rows.map((r) => r.share!));
  rows.push([
    a.project.code,
    { integer: a.year },
    "Summa",
    "",
    a.totalPopulation === null ? null : { integer: a.totalPopulation },
    null,
    "",
    a.totalWeight === null ? null : { decimal: a.totalWeight },
    { ore: total },
    budget === 0 ? null : { decimal: "100.00" },
  ]);
  const header = [
    "Projekt",
    "År",
    "Medlem",
    "Kommunkod",
    "Invånarantal",
    "Invånarår",
    "Äldre invånaruppgift",
    "Vikt",
    "Andel (kr)",
    "Andel (%)",
  ];
  return writeCsv(header, rows, separator);
}
