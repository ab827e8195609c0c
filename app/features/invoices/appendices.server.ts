import { createHash } from "node:crypto";
import { type DraftLine } from "../../../billing/invoice";
import { isProjectKind, type AllocationAppendix } from "../../../billing/invoice-document";
import { sumOre } from "../../../billing/money";
import { type Db } from "../../../db/client";
import { heldProjectLines } from "../../../db/adjustments";
import * as invoicesDb from "../../../db/invoices";
import { memberLabels } from "../../../db/projects";
import { DomainError } from "../../../billing/errors";
import { ProjectSharesOfYear } from "../projects/shares.server";
import { projectSharesOf } from "../billing-runs/gather.server";

const collator = new Intl.Collator("sv");

/**
 * Appendices of the project-years an invoice charges: every participant's share (the association is open).
 * Each project-year is computed once per issue, however many invoices print it.
 */
export class AppendixSource {
  private byYear = new Map<number, ProjectSharesOfYear>();
  private cache = new Map<string, AllocationAppendix | null>();
  private cited = new Map<string, { id: number; appendix: AllocationAppendix } | null>();
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
            "conflict",
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
          "conflict",
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
    return this.citedBy(lines).map((c) => c.id);
  }

  /** The appendices an invoice with these lines cites, in the order of idsFor (the e-invoice embeds them). */
  appendicesFor(lines: DraftLine[]): AllocationAppendix[] {
    return this.citedBy(lines).map((c) => c.appendix);
  }

  /**
   * The appendices lines cite, each stored once as a snapshot: a project share cites its project-year's split, an
   * adjustment the split beside what was invoiced before. The stored document and the e-invoice both come from here,
   * so the e-invoice has a place for every appendix the document cites.
   */
  private citedBy(lines: DraftLine[]): Array<{ id: number; appendix: AllocationAppendix }> {
    const out: Array<{ id: number; appendix: AllocationAppendix }> = [];
    for (const l of lines) {
      if (l.projectId === null || !isProjectKind(l.chargeKind)) continue;
      const adjusted = l.chargeKind === "project_adjustment";
      const key = `${l.projectId}:${l.year}${adjusted ? ":adjustment" : ""}`;
      if (!this.cited.has(key)) {
        const a = adjusted
          ? this.adjustmentAppendix(l.projectId, l.year, l.shareBasis?.adjustment?.reasons ?? [])
          : this.appendix(l.projectId, l.year);
        if (a === null) this.cited.set(key, null);
        else {
          const json = JSON.stringify(a);
          const hash = createHash("sha256").update(json).digest("hex");
          const id = invoicesDb.snapshotId(this.tx, { projectId: l.projectId, year: l.year, hash, appendix: json });
          this.cited.set(key, { id, appendix: a });
        }
      }
      const cited = this.cited.get(key);
      if (cited) out.push(cited);
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
