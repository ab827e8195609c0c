import { createHash } from "node:crypto";
import { activeInYear, addDays, todayIso, yearOf } from "../../billing/dates";
import { feesFor, type FeeResult } from "../../billing/fees";
import {
  balanceOf,
  buildInvoiceDocument,
  buildInvoiceLines,
  chargeKey,
  creditLines,
  invoiceStatus,
  invoiceTotals,
  isOverdue,
  lineFor,
  withRates,
  type Charge,
  type DraftLine,
  type InvoiceStatus,
  type VatRates,
} from "../../billing/invoice";
import {
  isProjectKind,
  type AllocationAppendix,
  type BuyerDetails,
  type ChargeKind,
  type FeeBasis,
  type InvoiceDocument,
  type ReminderDocument,
} from "../../billing/invoice-document";
import { formatSek, oreToDecimalString, sumOre, type Ore } from "../../billing/money";
import {
  creditNoteDate,
  earliestIssueDate,
  earliestPaymentDate,
  resolveIssueDates,
  type IssueDates,
  type IssueDatesRequest,
  type IssueDatesResult,
} from "../../billing/issue-dates";
import { ocrFor } from "../../billing/ocr";
import { splitForVatCategories } from "../../billing/vat-split";
import { renderInvoicePdf, renderInvoicesPdf, renderReminderPdf } from "../../billing/pdf";
import { writeAudit } from "../../db/audit";
import { db, transaction, type Db } from "../../db/client";
import { listSchedules } from "../../db/fees";
import { heldProjectLines, latestInvoiceOfProjectYears } from "../../db/adjustments";
import * as invoicesDb from "../../db/invoices";
import { memberLabels } from "../../db/projects";
import {
  getMemberRow,
  listMembersWithPrivate,
  overridesByMember,
  populationsByMember,
  type MemberRow,
} from "../../db/members";
import * as settingsDb from "../../db/settings";
import { SYSTEM_SCOPE, type Scope } from "../../db/scope";
import { DomainError } from "../lib/http.server";
import type { BillingRunInput, InvoiceQuery, PaymentInput } from "../lib/billing-schemas";
import { gatherProjectCharges, type ProjectYearChange } from "./project-charges.server";
import { projectSharesForYear, type ProjectSharesOfYear } from "./projects.server";
import { EInvoiceMaker } from "./e-invoice.server";
import { exemptionTextsOf, requireSettings, sellerOf, vatRatesOf } from "./settings.server";

/*
 * Invoicing (docs/invoices.md): billing runs, issuing, drafts, payments and credit notes. Each use case is one
 * immediate transaction (the write lock is taken at BEGIN), so concurrent or repeated requests cannot number
 * twice or bill a charge twice; the partial unique index invoice_lines_charge_uq backs the latter in the database.
 * Pages, /api/v1 and scripts all call these functions.
 */

export interface Problem {
  memberId: number | null;
  /** Set for a problem of a project-year; memberId is then null when the whole project-year is left out. */
  projectId?: number;
  message: string;
}

type LineView = ReturnType<typeof invoicesDb.toDraftLine>;

export interface InvoiceView extends invoicesDb.InvoiceSummaryRow {
  memberName: string;
  lines: LineView[];
  paid: Ore;
  balance: Ore;
  status: InvoiceStatus;
  overdue: boolean;
}

// Gathering charges ----------------------------------------------------------------------------------------------

interface MemberCharges {
  member: MemberRow;
  charges: Charge[];
}

interface Gathered {
  perMember: Map<number, MemberCharges>;
  problems: Problem[];
  alreadyInvoiced: number;
  /** Project-years whose split moved since they were invoiced: old and new side by side. */
  changes: ProjectYearChange[];
}

function feeBasisOf(f: Extract<FeeResult, { ok: true }>): FeeBasis {
  return {
    bracket: f.bracket?.name ?? "override",
    population: f.basis?.population ?? null,
    populationYear: f.basis?.year ?? null,
    overrideNote: f.override?.note ?? null,
  };
}

/** The shares of every project of the year; an adapter so that the run says clearly when they cannot be had. */
function projectSharesOf(tx: Db, year: number): ProjectSharesOfYear {
  if (typeof projectSharesForYear !== "function") {
    throw new DomainError(409, "project_shares_unavailable", "project shares not available");
  }
  return projectSharesForYear(year, tx);
}

/**
 * Every charge of the chosen kinds due in `year` that no line holds yet, per member, and the members that cannot
 * be charged with the reason (docs/population-basis.md, docs/membership.md#what-is-charged-in-year-y, docs/invoices.md#billing-runs). Charges of 0 kr are not invoiced.
 */
function gatherCharges(tx: Db, year: number, kinds: readonly ChargeKind[]): Gathered {
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

  for (const m of members) {
    const annual = kinds.includes("annual_fee") && activeInYear(m.joinedOn, m.resignedOn, year);
    const entry = kinds.includes("entry_fee") && yearOf(m.joinedOn) === year;
    if (!annual && !entry) continue;
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
    const basis = feeBasisOf(fees);
    const fallback = fees.basis?.fallback ? ` (invånarantal ${fees.basis.year}, senast kända)` : "";
    if (entry) {
      add({
        kind: "entry_fee",
        memberId: m.id,
        projectId: null,
        year,
        description: `Medlemsinsats (inträde ${m.joinedOn})${fallback}`,
        amount: fees.entryFee,
        feeBasis: basis,
        shareBasis: null,
      });
    }
    if (annual) {
      add({
        kind: "annual_fee",
        memberId: m.id,
        projectId: null,
        year,
        description: `Årsavgift ${year}${fallback}`,
        amount: fees.annualFee,
        feeBasis: basis,
        shareBasis: null,
      });
    }
  }

  // Project shares and adjustments (docs/adjustments.md): a project-year is billed whole or not at all.
  let changes: ProjectYearChange[] = [];
  if (kinds.includes("project_share") || kinds.includes("project_adjustment")) {
    const blocked = new Map(members.filter((m) => !m.street || !m.postalCode || !m.city).map((m) => [m.id, m.name]));
    const project = gatherProjectCharges(
      tx,
      year,
      kinds,
      projectSharesOf(tx, year),
      blocked,
      (id) => byId.get(id)?.name ?? `Medlem ${id}`,
    );
    for (const p of project.problems) problems.push(p);
    alreadyInvoiced += project.alreadyInvoiced;
    changes = project.changes;
    for (const c of project.charges) {
      if (!byId.has(c.memberId)) continue;
      let list = candidates.get(c.memberId);
      if (!list) candidates.set(c.memberId, (list = []));
      list.push(c);
    }
  }

  const perMember = new Map<number, MemberCharges>();
  for (const m of members) {
    const charges = candidates.get(m.id);
    if (!charges) continue;
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
    draftsOfMember(charges, rates).map((lines) => ({
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
    for (const [memberId, { charges }] of g.perMember) {
      for (const lines of draftsOfMember(charges, rates)) {
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
        invoicesDb.insertLines(tx, invoiceId, lines);
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

// Reading invoices -----------------------------------------------------------------------------------------------

function viewsOf(
  tx: Db,
  rows: Array<invoicesDb.InvoiceSummaryRow & { memberName?: string; paidOre?: number }>,
  today = todayIso(),
): InvoiceView[] {
  const lines = invoicesDb.linesByInvoice(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const paid = r.paidOre ?? invoicesDb.paidOf(tx, r.id);
    const state = { state: r.state, total: r.totalOre, paid, kind: r.kind, dueDate: r.dueDate };
    return {
      ...r,
      memberName: r.memberName ?? getMemberRow(tx, r.memberId)?.name ?? "",
      lines: lines.get(r.id) ?? [],
      paid,
      balance: balanceOf(state),
      status: invoiceStatus(state),
      overdue: isOverdue(state, today),
    };
  });
}

export function getInvoiceView(scope: Scope, id: number, tx: Db = db()): InvoiceView | undefined {
  const row = invoicesDb.getInvoice(tx, scope, id);
  return row ? viewsOf(tx, [row])[0] : undefined;
}

export function listInvoiceViews(scope: Scope, query: InvoiceQuery & { runId?: number } = {}): InvoiceView[] {
  const tx = db();
  const rows = invoicesDb.listInvoices(tx, scope, {
    year: query.year ?? undefined,
    memberId: query.memberId ?? undefined,
    runId: query.runId,
  });
  return viewsOf(tx, rows).filter((v) => (!query.status || v.status === query.status) && (!query.overdue || v.overdue));
}

export function invoiceJson(v: InvoiceView) {
  return {
    id: v.id,
    kind: v.kind,
    number: v.number,
    status: v.status,
    overdue: v.overdue,
    memberId: v.memberId,
    memberName: v.memberName,
    runId: v.runId,
    year: v.year,
    issueDate: v.issueDate,
    dueDate: v.dueDate,
    ocr: v.ocr,
    creditedInvoiceId: v.creditedInvoiceId,
    creditReason: v.creditReason,
    lines: v.lines.map((l) => ({
      id: l.id,
      charge: l.chargeKind,
      chargeKey: l.chargeKey,
      projectId: l.projectId,
      year: l.year,
      description: l.description,
      quantity: l.quantity,
      unitPrice: oreToDecimalString(l.unitPrice),
      vatRate: l.vatRate,
      amount: oreToDecimalString(l.amount),
      vat: oreToDecimalString(l.vat),
    })),
    net: oreToDecimalString(v.netOre),
    vat: oreToDecimalString(v.vatOre),
    total: oreToDecimalString(v.totalOre),
    paid: oreToDecimalString(v.paid),
    balance: oreToDecimalString(v.balance),
  };
}

export interface RunDetail {
  run: invoicesDb.RunRow;
  chargeKinds: ChargeKind[];
  problems: Problem[];
  invoices: InvoiceView[];
}

export function runDetail(id: number): RunDetail | undefined {
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

export function listRuns() {
  const tx = db();
  const summaries = invoicesDb.runSummaries(tx);
  return invoicesDb.listRuns(tx).map((r) => ({
    ...r,
    chargeKinds: JSON.parse(r.chargeKinds) as ChargeKind[],
    problemCount: (JSON.parse(r.problems) as Problem[]).length,
    ...(summaries.get(r.id) ?? { drafts: 0, issued: 0, total: 0 }),
  }));
}

// Issuing --------------------------------------------------------------------------------------------------------

function buyerOf(m: MemberRow): BuyerDetails {
  if (!m.street || !m.postalCode || !m.city) {
    throw new DomainError(
      409,
      "buyer_address_missing",
      `${m.name} saknar fakturaadress: fyll i den innan fakturan skickas`,
    );
  }
  return {
    memberId: m.id,
    name: m.name,
    municipalityCode: m.municipalityCode,
    orgNumber: m.orgNumber,
    address: { street: m.street, postalCode: m.postalCode, city: m.city },
    email: m.invoiceEmail,
    reference: m.reference ?? "",
    peppolId: m.peppolId,
  };
}

const collator = new Intl.Collator("sv");

/**
 * Appendices of the project-years an invoice charges: every participant's share (the association is open).
 * Each project-year is computed once per issue, however many invoices print it.
 */
class AppendixSource {
  private byYear = new Map<number, ProjectSharesOfYear>();
  private cache = new Map<string, AllocationAppendix | null>();
  private ids = new Map<string, number | null>();
  constructor(private tx: Db) {}

  /**
   * Refuses to issue a project share whose project-year has changed since it was drafted (another budget, other
   * participants or population figures): its line would disagree with the appendix printed beside it.
   */
  assertCurrent(memberName: string, lines: DraftLine[], memberId?: number): void {
    for (const l of lines) {
      if (
        l.chargeKind === "project_adjustment" &&
        l.projectId !== null &&
        l.shareBasis?.adjustment &&
        memberId !== undefined
      ) {
        // An adjustment is right only against the split it was made for: the member's share now must be its target.
        const a = this.appendix(l.projectId, l.year);
        const now = a?.rows.find((r) => r.memberId === memberId)?.share ?? 0;
        if (!a || a.budget !== l.shareBasis.budget || now !== l.shareBasis.adjustment.shareNow) {
          throw new DomainError(
            409,
            "stale_draft",
            `${l.shareBasis.projectCode} ${l.year} har ändrats igen sedan justeringen till ${memberName} gjordes. Ta bort utkasten och gör en ny körning.`,
          );
        }
        continue;
      }
      if (l.chargeKind !== "project_share" || l.projectId === null || !l.shareBasis) continue;
      const a = this.appendix(l.projectId, l.year);
      const b = l.shareBasis;
      const totalPopulation = a ? this.totalPopulation(`${l.projectId}:${l.year}`, a) : null;
      if (
        !a ||
        a.budget !== b.budget ||
        a.rows.length !== b.participantCount ||
        (b.totalPopulation !== null && totalPopulation !== b.totalPopulation)
      ) {
        throw new DomainError(
          409,
          "stale_draft",
          `${b.projectCode} ${b.projectName} ${l.year} har ändrats sedan utkastet till ${memberName} gjordes (budget, deltagare eller invånarantal). Ta bort utkasten och gör en ny körning.`,
        );
      }
    }
  }

  private totals = new Map<string, number>();
  private totalPopulation(key: string, a: AllocationAppendix): number {
    let total = this.totals.get(key);
    if (total === undefined) this.totals.set(key, (total = a.rows.reduce((n, r) => n + (r.population ?? 0), 0)));
    return total;
  }

  /**
   * The appendix of an adjustment: the current split beside what each participant had been invoiced net before
   * this issue (drafts being issued now excluded), with the reasons, so both splits are on paper.
   */
  private adjustmentAppendix(projectId: number, year: number, reasons: string[]): AllocationAppendix | null {
    const a = this.appendix(projectId, year);
    if (!a) return null;
    const before = new Map<number, number>();
    for (const l of heldProjectLines(this.tx, year, projectId)) {
      if (this.issuing.has(l.invoiceId)) continue;
      before.set(l.memberId, (before.get(l.memberId) ?? 0) + l.amountOre);
    }
    const rows: AllocationAppendix["rows"] = a.rows.map((r) => ({
      ...r,
      invoicedBefore: before.get(r.memberId!) ?? 0,
    }));
    const gone = [...before.keys()].filter((id) => !a.rows.some((r) => r.memberId === id));
    const labels =
      gone.length > 0
        ? memberLabels(this.tx, gone)
        : new Map<number, { name: string; municipalityCode: string | null }>();
    for (const [memberId, amount] of before) {
      if (rows.some((r) => r.memberId === memberId)) continue;
      const label = labels.get(memberId);
      rows.push({
        memberId,
        memberName: label?.name ?? `Medlem ${memberId}`,
        municipalityCode: label?.municipalityCode ?? null,
        population: null,
        populationYear: null,
        weight: null,
        share: 0,
        invoicedBefore: amount,
      });
    }
    return { ...a, rows, invoicedBefore: { total: sumOre(before.values()), reasons } };
  }

  /** The drafts being issued now: their lines are not "invoiced before" on an adjustment appendix. */
  issuing = new Set<number>();

  /** The ids of the frozen snapshots of the appendices an invoice with these lines prints. */
  idsFor(lines: DraftLine[]): number[] {
    const out: number[] = [];
    for (const l of lines) {
      if (l.projectId === null || !isProjectKind(l.chargeKind)) continue;
      const adjusted = l.chargeKind === "project_adjustment";
      const key = `${l.projectId}:${l.year}${adjusted ? ":adjustment" : ""}`;
      if (!this.ids.has(key)) {
        const a = adjusted
          ? this.adjustmentAppendix(l.projectId, l.year, l.shareBasis?.adjustment?.reasons ?? [])
          : this.appendix(l.projectId, l.year);
        if (a === null) this.ids.set(key, null);
        else {
          const json = JSON.stringify(a);
          const hash = createHash("sha256").update(json).digest("hex");
          this.ids.set(
            key,
            invoicesDb.snapshotId(this.tx, { projectId: l.projectId, year: l.year, hash, appendix: json }),
          );
        }
      }
      const id = this.ids.get(key);
      if (id !== null && id !== undefined) out.push(id);
    }
    return out;
  }

  /** The appendices an invoice with these lines cites, in the order of idsFor (the e-invoice embeds them). */
  appendicesFor(lines: DraftLine[]): AllocationAppendix[] {
    const out: AllocationAppendix[] = [];
    for (const l of lines) {
      if (l.chargeKind !== "project_share" || l.projectId === null) continue;
      const a = this.appendix(l.projectId, l.year);
      if (a !== null) out.push(a);
    }
    return out;
  }

  private appendix(projectId: number, year: number): AllocationAppendix | null {
    const key = `${projectId}:${year}`;
    if (this.cache.has(key)) return this.cache.get(key)!;
    let shares = this.byYear.get(year);
    if (!shares) this.byYear.set(year, (shares = projectSharesOf(this.tx, year)));
    const summary = shares.projects.find((p) => p.projectId === projectId);
    const appendix: AllocationAppendix | null = summary
      ? {
          projectCode: summary.code,
          projectName: summary.name,
          year,
          allocationKey: summary.allocationKey,
          basePercent: summary.basePercent,
          budget: summary.budget,
          rows: shares.shares
            .filter((s) => s.projectId === projectId)
            .sort((a, b) => collator.compare(a.memberName, b.memberName) || a.memberId - b.memberId)
            .map((s) => ({
              memberId: s.memberId,
              memberName: s.memberName,
              municipalityCode: s.municipalityCode,
              population: s.basis.population,
              populationYear: s.basis.populationYear,
              weight: s.basis.weight,
              share: s.share,
            })),
        }
      : null;
    this.cache.set(key, appendix);
    return appendix;
  }
}

/**
 * What is stored in invoices.document: the InvoiceDocument with its appendices replaced by the ids of their
 * frozen snapshots (allocation_snapshots), so that 290 invoices do not each carry 10 × 290 appendix rows.
 */
type StoredDocument = InvoiceDocument & { appendixIds?: number[] };

function storeDocument(document: InvoiceDocument, appendixIds: number[]): string {
  const stored: StoredDocument = { ...document, appendices: [], appendixIds };
  return JSON.stringify(stored);
}

/** The full InvoiceDocument of stored JSON, with its appendices read back from their snapshots. */
function readDocuments(tx: Db, jsons: string[]): InvoiceDocument[] {
  const stored = jsons.map((j) => JSON.parse(j) as StoredDocument);
  const ids = [...new Set(stored.flatMap((d) => d.appendixIds ?? []))];
  const snapshots = new Map<number, AllocationAppendix>();
  for (const [id, json] of invoicesDb.snapshotsByIds(tx, ids))
    snapshots.set(id, JSON.parse(json) as AllocationAppendix);
  return stored.map(({ appendixIds, ...doc }) => ({
    ...doc,
    appendices: [...doc.appendices, ...(appendixIds ?? []).map((id) => snapshots.get(id)!).filter(Boolean)],
  }));
}

/** What a credit note made of adjustments refers to: the member's latest invoice of its project-years. */
function creditReferenceOf(
  tx: Db,
  memberId: number,
  lines: DraftLine[],
): NonNullable<InvoiceDocument["creditedInvoice"]> {
  const projectYears = lines
    .filter((l) => l.projectId !== null && isProjectKind(l.chargeKind))
    .map((l) => ({ projectId: l.projectId!, year: l.year }));
  const latest = latestInvoiceOfProjectYears(tx, memberId, projectYears);
  const what = [
    ...new Set(lines.filter((l) => l.shareBasis).map((l) => `${l.shareBasis!.projectCode} ${l.year}`)),
  ].join(", ");
  if (!latest) {
    throw new DomainError(
      409,
      "no_invoice_to_credit",
      `Utkastet är negativt men medlemmen har ingen skickad faktura för ${what || "projektåret"} att kreditera mot`,
    );
  }
  return { number: String(latest.number), issueDate: latest.issueDate, reason: `Justering av projektandel ${what}` };
}

export interface IssueDatesPreview {
  /** The dates an issue with the request would get, or why not (per field). */
  result: IssueDatesResult;
  /** The dates of an issue that chooses none: today (or the latest date in the series) and the payment terms. */
  defaults: IssueDates;
  /** The earliest invoice date allowed now, and the latest invoice of the series that sets it, if any. */
  earliest: string;
  latest: { number: number; issueDate: string } | null;
  paymentTermsDays: number;
}

function issueDatesContext(tx: Db, paymentTermsDays: number) {
  return { today: todayIso(), paymentTermsDays, latest: invoicesDb.latestIssueDate(tx) };
}

/**
 * What the issue form shows before the treasurer confirms (docs/invoices.md#dates): the default dates and whether
 * the chosen ones can be used. Null without the association's settings (issuing is refused then anyway).
 */
export function issueDatesPreview(request: IssueDatesRequest = {}): IssueDatesPreview | null {
  const tx = db();
  const settings = settingsDb.getSettings(tx);
  if (!settings) return null;
  const ctx = issueDatesContext(tx, settings.paymentTermsDays);
  const defaults = resolveIssueDates({}, ctx);
  const earliest = earliestIssueDate(ctx);
  return {
    result: resolveIssueDates(request, ctx),
    defaults: defaults.ok
      ? defaults.dates
      : { issueDate: earliest, dueDate: addDays(earliest, ctx.paymentTermsDays), termsDays: ctx.paymentTermsDays },
    earliest,
    latest: ctx.latest,
    paymentTermsDays: settings.paymentTermsDays,
  };
}

/** The dates of an issue inside its transaction, or 422 with a message per field (billing/issue-dates.ts). */
function issueDatesIn(tx: Db, request: IssueDatesRequest): IssueDates {
  const settings = requireSettings(tx);
  const result = resolveIssueDates(request, issueDatesContext(tx, settings.paymentTermsDays));
  if (!result.ok) {
    throw new DomainError(
      422,
      "validation_failed",
      result.fields.issueDate ?? result.fields.dueDate ?? "Datumen går inte att använda",
      result.fields as Record<string, string>,
    );
  }
  return result.dates;
}

/** Numbers, dates and freezes drafts, in the given order, inside the caller's transaction. */
function issueDrafts(tx: Db, scope: Scope, drafts: invoicesDb.InvoiceRow[], dates: IssueDates): number[] {
  if (drafts.length === 0) return [];
  const settings = requireSettings(tx);
  const rates = vatRatesOf(settings);
  const seller = sellerOf(settings);
  const { issueDate, dueDate } = dates;
  const appendices = new AppendixSource(tx);
  const eInvoices = new EInvoiceMaker();
  let next = Math.max(settings.nextInvoiceNumber, (invoicesDb.maxInvoiceNumber(tx) ?? 0) + 1);
  const ids: number[] = [];
  const members = new Map(listMembersWithPrivate(tx, SYSTEM_SCOPE).map((m) => [m.id, m]));
  const linesOfDrafts = invoicesDb.linesByInvoice(
    tx,
    drafts.map((d) => d.id),
  );
  for (const d of drafts) appendices.issuing.add(d.id);
  for (const draft of drafts) {
    const member = members.get(draft.memberId);
    if (!member) throw new DomainError(404, "not_found", "Medlemmen finns inte");
    const stored = linesOfDrafts.get(draft.id) ?? [];
    if (stored.length === 0) throw new DomainError(409, "empty_invoice", `Fakturan till ${member.name} har inga rader`);
    // VAT at the rates in force on the day of issue.
    const lines = withRates(stored, rates);
    appendices.assertCurrent(member.name, lines, member.id);
    lines.forEach((l, i) => {
      if (l.vatRate !== stored[i].vatRate || l.vat !== stored[i].vat)
        invoicesDb.setLineVat(tx, stored[i].id, l.vatRate, l.vat);
    });
    const totals = invoiceTotals(lines);
    const number = next++;
    const ocr = ocrFor(String(number));
    // A draft that refunds more than it bills (adjustments after a budget cut or a participant taken out) is a
    // credit note: negative amounts, referring to the member's latest invoice of those project-years.
    const credit = totals.total < 0 ? creditReferenceOf(tx, draft.memberId, lines) : null;
    const document = buildInvoiceDocument({
      kind: credit ? "credit_note" : "invoice",
      number,
      ocr,
      issueDate,
      dueDate: credit ? issueDate : dueDate,
      billingYear: draft.year,
      seller,
      buyer: buyerOf(member),
      lines,
      exemptionText: settings.vatExemptionText,
      exemptionTexts: exemptionTextsOf(settings),
      creditedInvoice: credit,
      appendices: [],
    });
    const appendixIds = appendices.idsFor(lines);
    invoicesDb.updateInvoice(tx, draft.id, {
      kind: credit ? "credit_note" : "invoice",
      state: "issued",
      number,
      issueDate,
      dueDate: credit ? issueDate : dueDate,
      ocr,
      creditReason: credit?.reason,
      netOre: totals.net,
      vatOre: totals.vat,
      totalOre: totals.total,
      document: storeDocument(document, appendixIds),
      ubl: eInvoices.make(document, appendices.appendicesFor(lines), appendixIds.join(",")),
      issuedAt: new Date().toISOString(),
    });
    writeAudit(tx, scope, {
      action: "invoice.issue",
      entity: "invoice",
      entityId: draft.id,
      after: { number, ocr, issueDate, dueDate, memberId: draft.memberId, total: totals.total },
    });
    ids.push(draft.id);
  }
  settingsDb.setNextInvoiceNumber(tx, next);
  return ids;
}

/**
 * Issues every draft of a run (docs/invoices.md#issuing) in one transaction: numbers from the settings' next number without a
 * gap, by member name then id, all with the same invoice date and due date (chosen, or today and the payment
 * terms: docs/invoices.md#dates). Issuing a run again (e.g. a repeated request) issues nothing more and answers
 * with the run's invoices.
 */
export function issueRun(scope: Scope, runId: number, request: IssueDatesRequest = {}): InvoiceView[] {
  return transaction((tx) => {
    const run = invoicesDb.getRun(tx, runId);
    if (!run) throw new DomainError(404, "not_found", "Faktureringskörningen finns inte");
    const drafts = invoicesDb.draftsOfRun(tx, runId);
    if (drafts.length > 0) {
      const dates = issueDatesIn(tx, request);
      issueDrafts(tx, scope, drafts, dates);
      invoicesDb.markRunIssued(tx, runId);
      writeAudit(tx, scope, {
        action: "billing_run.issue",
        entity: "billing_run",
        entityId: runId,
        after: { invoices: drafts.length, issueDate: dates.issueDate, dueDate: dates.dueDate },
      });
    }
    return viewsOf(
      tx,
      invoicesDb.listInvoices(tx, SYSTEM_SCOPE, { runId }).filter((r) => r.state !== "draft"),
    );
  });
}

/** Issues one draft, with a chosen invoice date and due date or the defaults (docs/invoices.md#dates). */
export function issueInvoice(scope: Scope, invoiceId: number, request: IssueDatesRequest = {}): InvoiceView {
  return transaction((tx) => {
    const row = invoicesDb.getInvoiceRow(tx, invoiceId);
    if (!row) throw new DomainError(404, "not_found", "Fakturan finns inte");
    if (row.state !== "draft") throw new DomainError(409, "not_draft", "Fakturan är redan skickad");
    issueDrafts(tx, scope, [row], issueDatesIn(tx, request));
    return viewsOf(tx, [invoicesDb.getInvoiceRow(tx, invoiceId)!])[0];
  });
}

// Drafts ---------------------------------------------------------------------------------------------------------

function draftFor(tx: Db, invoiceId: number): invoicesDb.InvoiceRow {
  const row = invoicesDb.getInvoiceRow(tx, invoiceId);
  if (!row) throw new DomainError(404, "not_found", "Fakturan finns inte");
  if (row.state !== "draft")
    throw new DomainError(409, "not_draft", "Fakturan är skickad och kan inte ändras; kreditera den i stället");
  return row;
}

function refreshTotals(tx: Db, invoiceId: number): void {
  const totals = invoiceTotals(invoicesDb.linesOf(tx, invoiceId));
  invoicesDb.updateInvoice(tx, invoiceId, { netOre: totals.net, vatOre: totals.vat, totalOre: totals.total });
}

export function updateDraftLine(
  scope: Scope,
  invoiceId: number,
  lineId: number,
  input: { description: string; amount: Ore },
): void {
  transaction((tx) => {
    draftFor(tx, invoiceId);
    const before = invoicesDb.getLine(tx, lineId);
    if (!before || before.invoiceId !== invoiceId) throw new DomainError(404, "not_found", "Raden finns inte");
    const line = lineFor({ ...invoicesDb.toDraftLine(before), description: input.description, amount: input.amount });
    invoicesDb.updateLine(tx, lineId, {
      description: line.description,
      unitPriceOre: line.unitPrice,
      amountOre: line.amount,
      vatOre: line.vat,
    });
    refreshTotals(tx, invoiceId);
    writeAudit(tx, scope, {
      action: "invoice_line.update",
      entity: "invoice",
      entityId: invoiceId,
      before: { lineId, description: before.description, amount: before.amountOre },
      after: { lineId, description: line.description, amount: line.amount },
    });
  });
}

/** Deletes a draft line (its charge is freed); a draft left without lines is deleted too. */
export function deleteDraftLine(scope: Scope, invoiceId: number, lineId: number): { invoiceDeleted: boolean } {
  return transaction((tx) => {
    draftFor(tx, invoiceId);
    const before = invoicesDb.getLine(tx, lineId);
    if (!before || before.invoiceId !== invoiceId) throw new DomainError(404, "not_found", "Raden finns inte");
    invoicesDb.deleteLine(tx, lineId);
    writeAudit(tx, scope, { action: "invoice_line.delete", entity: "invoice", entityId: invoiceId, before });
    if (invoicesDb.linesOf(tx, invoiceId).length === 0) {
      invoicesDb.deleteInvoice(tx, invoiceId);
      writeAudit(tx, scope, { action: "invoice.delete", entity: "invoice", entityId: invoiceId });
      return { invoiceDeleted: true };
    }
    refreshTotals(tx, invoiceId);
    return { invoiceDeleted: false };
  });
}

export function deleteDraft(scope: Scope, invoiceId: number): { runId: number | null } {
  return transaction((tx) => {
    const row = draftFor(tx, invoiceId);
    const lines = invoicesDb.linesOf(tx, invoiceId);
    invoicesDb.deleteInvoice(tx, invoiceId);
    writeAudit(tx, scope, {
      action: "invoice.delete",
      entity: "invoice",
      entityId: invoiceId,
      before: { ...row, lines },
    });
    return { runId: row.runId };
  });
}

// Payments and credit notes ----------------------------------------------------------------------------------------

/** Registers a payment (docs/invoices.md#payments). Paying more than the balance is refused: a refund is not handled here. */
export function registerPayment(scope: Scope, invoiceId: number, input: PaymentInput): InvoiceView {
  return transaction((tx) => {
    registerPaymentIn(tx, scope, invoiceId, input);
    return viewsOf(tx, [invoicesDb.getInvoiceRow(tx, invoiceId)!])[0];
  });
}

/**
 * The rules of one payment on an invoice, inside the caller's transaction: a manual payment and a payment from a
 * bank file (app/services/payment-files.server.ts) go through the same checks and the same audit row.
 */
export function registerPaymentIn(tx: Db, scope: Scope, invoiceId: number, input: PaymentInput): invoicesDb.PaymentRow {
  {
    const row = invoicesDb.getInvoiceRow(tx, invoiceId);
    if (!row) throw new DomainError(404, "not_found", "Fakturan finns inte");
    if (row.kind === "credit_note")
      throw new DomainError(409, "credit_note", "En kreditfaktura tar inte emot betalningar");
    if (row.state === "draft") throw new DomainError(409, "not_issued", "Fakturan är inte skickad än");
    if (row.state === "credited")
      throw new DomainError(409, "credited", "Fakturan är krediterad och tar inte emot betalningar");
    const paid = invoicesDb.paidOf(tx, invoiceId);
    const balance = balanceOf({ state: row.state, total: row.totalOre, paid, kind: row.kind });
    if (balance === 0) throw new DomainError(409, "already_paid", "Fakturan är redan betald");
    if (input.amount > balance) {
      throw new DomainError(422, "validation_failed", "Beloppet är större än det som återstår att betala", {
        amount: `Beloppet är större än det som återstår att betala (${formatSek(balance)})`,
      });
    }
    if (row.issueDate) {
      // An invoice dated ahead may be paid from the day it was issued (docs/invoices.md#dates).
      const issuedOn = row.issuedAt ? todayIso(new Date(row.issuedAt)) : null;
      const earliest = earliestPaymentDate(row.issueDate, issuedOn);
      if (input.paidOn < earliest) {
        throw new DomainError(422, "validation_failed", "Betalningsdagen ligger före fakturadagen", {
          paidOn:
            earliest === row.issueDate
              ? `Betalningsdagen kan inte ligga före fakturadagen ${row.issueDate}`
              : `Betalningsdagen kan inte ligga före ${earliest}, dagen fakturan skickades`,
        });
      }
    }
    const payment = invoicesDb.insertPayment(tx, {
      invoiceId,
      amountOre: input.amount,
      paidOn: input.paidOn,
      note: input.note ?? "",
      createdBy: scope.userId,
    });
    writeAudit(tx, scope, { action: "payment.create", entity: "invoice", entityId: invoiceId, after: payment });
    return payment;
  }
}

/**
 * Cancels an issued invoice with a credit note (docs/invoices.md#credit-notes): its own number in the same series, every line
 * negated, referring to the original. The original becomes `credited` and its charges are freed to be billed again.
 */
export function creditInvoice(scope: Scope, invoiceId: number, reason: string): InvoiceView {
  return transaction((tx) => {
    const original = invoicesDb.getInvoiceRow(tx, invoiceId);
    if (!original) throw new DomainError(404, "not_found", "Fakturan finns inte");
    if (original.kind === "credit_note")
      throw new DomainError(409, "credit_note", "En kreditfaktura kan inte krediteras");
    if (original.state === "draft")
      throw new DomainError(409, "not_issued", "Ett utkast krediteras inte: ta bort det i stället");
    if (original.state === "credited") throw new DomainError(409, "already_credited", "Fakturan är redan krediterad");
    const settings = requireSettings(tx);
    const member = getMemberRow(tx, original.memberId);
    if (!member) throw new DomainError(404, "not_found", "Medlemmen finns inte");
    const lines = creditLines(invoicesDb.linesOf(tx, invoiceId));
    const totals = invoiceTotals(lines);
    // Dated today, or later if the series already holds a later date (docs/invoices.md#dates).
    const today = creditNoteDate(todayIso(), invoicesDb.latestIssueDate(tx));
    const number = Math.max(settings.nextInvoiceNumber, (invoicesDb.maxInvoiceNumber(tx) ?? 0) + 1);
    const ocr = ocrFor(String(number));
    const originalDoc = original.document ? readDocuments(tx, [original.document])[0] : null;
    const document = buildInvoiceDocument({
      kind: "credit_note",
      number,
      ocr,
      issueDate: today,
      dueDate: today,
      billingYear: original.year,
      // The credit note carries the same parties as the invoice it cancels.
      seller: originalDoc?.seller ?? sellerOf(settings),
      buyer: originalDoc?.buyer ?? buyerOf(member),
      lines,
      exemptionText: settings.vatExemptionText,
      exemptionTexts: exemptionTextsOf(settings),
      creditedInvoice: { number: String(original.number), issueDate: original.issueDate ?? today, reason },
      appendices: [],
    });
    const credit = invoicesDb.insertInvoice(tx, {
      runId: null,
      memberId: original.memberId,
      year: original.year,
      kind: "credit_note",
      state: "issued",
      number,
      issueDate: today,
      dueDate: today,
      ocr,
      creditedInvoiceId: original.id,
      creditReason: reason,
      netOre: totals.net,
      vatOre: totals.vat,
      totalOre: totals.total,
      document: JSON.stringify(document),
      ubl: new EInvoiceMaker().make(document),
      issuedAt: new Date().toISOString(),
    });
    invoicesDb.insertLines(tx, credit.id, lines, false);
    invoicesDb.releaseCharges(tx, original.id);
    invoicesDb.updateInvoice(tx, original.id, { state: "credited" });
    settingsDb.setNextInvoiceNumber(tx, number + 1);
    writeAudit(tx, scope, {
      action: "invoice.credit",
      entity: "invoice",
      entityId: original.id,
      before: { state: original.state },
      after: { state: "credited", creditNoteId: credit.id, creditNoteNumber: number, reason },
    });
    return viewsOf(tx, [credit])[0];
  });
}

// Documents --------------------------------------------------------------------------------------------------------

/** The frozen document of an issued invoice the caller may see; null for drafts. */
export function invoiceDocument(scope: Scope, id: number): InvoiceDocument | null | undefined {
  const tx = db();
  const json = invoicesDb.getDocument(tx, scope, id);
  if (json === undefined) return undefined;
  return json === null ? null : readDocuments(tx, [json])[0];
}

export function runDocuments(runId: number): InvoiceDocument[] {
  const tx = db();
  return readDocuments(tx, invoicesDb.documentsOfRun(tx, runId));
}

/** A reminder (påminnelse) of an overdue invoice: what is left to pay and a new due date two weeks ahead. */
export function reminderDocument(scope: Scope, id: number): ReminderDocument | undefined {
  const view = getInvoiceView(scope, id);
  const document = view?.overdue ? invoiceDocument(scope, id) : null;
  if (!view || !document) return undefined;
  const today = todayIso();
  return {
    invoice: document,
    reminderDate: today,
    paid: view.paid,
    balance: view.balance,
    newDueDate: addDays(today, 14),
  };
}

/** Records that a reminder was sent (audited), for the invoice's history. */
export function recordReminder(scope: Scope, id: number) {
  const doc = reminderDocument(scope, id);
  if (!doc) throw new DomainError(409, "not_overdue", "Fakturan är inte förfallen: ingen påminnelse behövs");
  return transaction((tx) => {
    const r = invoicesDb.insertReminder(tx, {
      invoiceId: id,
      sentOn: doc.reminderDate,
      newDueDate: doc.newDueDate,
      createdBy: scope.userId,
    });
    writeAudit(tx, scope, { action: "reminder.create", entity: "invoice", entityId: id, after: r });
    return r;
  });
}

export function paymentsOf(id: number) {
  return invoicesDb.paymentsOf(db(), id);
}

export function remindersOf(id: number) {
  return invoicesDb.remindersOf(db(), id);
}

export function creditNoteOf(id: number) {
  return invoicesDb.getCreditNoteOf(db(), id);
}

// PDF answers --------------------------------------------------------------------------------------------------------

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
  const doc = reminderDocument(scope, id);
  if (!doc) return null;
  const bytes = await renderReminderPdf(doc);
  return pdfResponse(bytes, `paminnelse-${doc.invoice.number}.pdf`);
}

export async function runPdfResponse(runId: number): Promise<Response | null> {
  const docs = runDocuments(runId);
  if (docs.length === 0) return null;
  // Each project-year's appendix once at the end of the file, not once per invoice (290 × 10 copies at full size).
  return pdfResponse(await renderInvoicesPdf(docs, { appendices: "shared" }), `fakturor-korning-${runId}.pdf`);
}
