import {
  describeChange,
  netsAfter,
  planProjectYear,
  settlementViolations,
  type HeldNet,
  type PlannedAdjustment,
  type SplitMember,
} from "../../../billing/adjustment";
import type { Charge } from "../../../billing/invoice";
import { shareBasisOf, type ChargeKind, type ShareBasis } from "../../../billing/invoice-document";
import { formatSek, type Ore } from "../../../billing/money";
import { adjustmentSequences, heldProjectLines, type HeldProjectLine } from "../../../db/adjustments";
import { type Db } from "../../../db/client";
import {
  ownFiguresOf,
  sharesOfSplit,
  type ProjectShare,
  type ProjectSplitsOfYear,
  type ProjectYearSplit,
  type ProjectYearSummary,
} from "../projects/shares.server";

/*
 * The project charges of a billing run (docs/adjustments.md): for every project-year with a budget, the first
 * shares and the adjustments that bring every participant's net invoiced amount to its share of the current
 * split, or nothing of the project-year with a problem when the chosen kinds cannot keep that true.
 */

export interface ProjectProblem {
  memberId: number | null;
  projectId: number;
  message: string;
}

/** One participant of a changed project-year, old and new side by side (the preview and the appendix). */
export interface ChangeRow {
  memberId: number;
  memberName: string;
  invoicedBefore: Ore;
  shareNow: Ore;
  /** A first project_share line the run bills (a newcomer), 0 when none. */
  newShare: Ore;
  adjustment: Ore;
}

/** A project-year whose split differs from what was invoiced, as the preview shows it. */
export interface ProjectYearChange {
  projectId: number;
  code: string;
  name: string;
  year: number;
  budget: Ore;
  invoicedBefore: Ore;
  reasons: string[];
  rows: ChangeRow[];
  /** Set when the run leaves the project-year out: the kind it would need. */
  missing: ChargeKind | null;
}

/**
 * Where the project charges of a run come from, one source per project-year billed, in the order of the
 * project-years (the order of each member's lines): the first shares of a project-year billed whole, kept as its
 * compact split and made into charges member by member (a run of 10 000 members × 100 projects never holds its
 * million charges at once), or the charges of a project-year adjusted or partly billed, per member.
 */
export type ProjectChargeSource =
  { kind: "first"; split: ProjectYearSplit } | { kind: "charges"; byMember: Map<number, Charge[]> };

export interface ProjectCharges {
  of: ProjectSplitsOfYear;
  sources: ProjectChargeSource[];
  problems: ProjectProblem[];
  changes: ProjectYearChange[];
  alreadyInvoiced: number;
}

function groupKey(projectId: number, memberId: number): string {
  return `${projectId}:${memberId}`;
}

function shareDescription(
  basis: { projectCode: string; projectName: string; populationYear: number | null },
  fallback: boolean,
  year: number,
): string {
  const older =
    fallback && basis.populationYear !== null ? ` (invånarantal ${basis.populationYear}, senast kända)` : "";
  return `Projektandel ${basis.projectCode} ${basis.projectName} ${year}${older}`;
}

/** The split a member's latest line was made from: its own figures, and whether it was in the split. */
function splitMemberOf(line: HeldProjectLine, name: string): SplitMember | null {
  const b = line.basis;
  if (!b) return null;
  if (line.chargeKind === "project_adjustment" && b.adjustment && !b.adjustment.inSplit) return null;
  return {
    memberId: line.memberId,
    name,
    population: b.population,
    populationYear: b.populationYear,
    weight: b.weight,
  };
}

/**
 * The shares and adjustments of `year` for the chosen kinds. `blocked` are members that cannot be invoiced at all
 * (no invoice address): a project-year needing a line of theirs is left out whole, since billing the others alone
 * would leave it off its budget. `nameOf` names members that are no longer in a split.
 */
export function gatherProjectCharges(
  tx: Db,
  year: number,
  kinds: readonly ChargeKind[],
  of: ProjectSplitsOfYear,
  blocked: ReadonlyMap<number, string>,
  nameOf: (memberId: number) => string,
): ProjectCharges {
  const wantShare = kinds.includes("project_share");
  const wantAdjustment = kinds.includes("project_adjustment");
  const out: ProjectCharges = { of, sources: [], problems: [], changes: [], alreadyInvoiced: 0 };
  if (!wantShare && !wantAdjustment) return out;
  for (const p of of.problems) out.problems.push({ memberId: p.memberId, projectId: p.projectId, message: p.message });

  // What is held, per project then member; in the first run of a year there is nothing and this costs nothing.
  const heldLines = heldProjectLines(tx, year);
  const held = new Map<number, Map<number, HeldNet>>();
  const latest = new Map<string, HeldProjectLine>();
  const latestOfProject = new Map<number, HeldProjectLine>();
  const withDrafts = new Set<number>();
  for (const l of heldLines) {
    if (l.invoiceState === "draft") withDrafts.add(l.projectId);
    let perMember = held.get(l.projectId);
    if (!perMember) held.set(l.projectId, (perMember = new Map()));
    const h = perMember.get(l.memberId) ?? { net: 0, hasShare: false };
    perMember.set(l.memberId, { net: h.net + l.amountOre, hasShare: h.hasShare || l.chargeKind === "project_share" });
    latest.set(groupKey(l.projectId, l.memberId), l);
    latestOfProject.set(l.projectId, l);
  }
  const sequences = heldLines.length > 0 ? adjustmentSequences(tx, year) : new Map<string, number>();

  for (const split of of.splits) {
    const summary = split.summary;
    const heldOfProject = held.get(summary.projectId);
    if (!heldOfProject) {
      // Nothing invoiced yet: the first shares, as before adjustments existed (and just as fast).
      if (!wantShare) continue;
      const blockedHere: number[] = [];
      if (blocked.size > 0) {
        split.memberIds.forEach((id, i) => {
          if (split.shares[i] !== 0 && blocked.has(id)) blockedHere.push(id);
        });
      }
      if (blockedHere.length > 0) {
        leaveOut(out, summary, blockedHere, blocked);
        continue;
      }
      out.sources.push({ kind: "first", split });
      continue;
    }
    const charges: Charge[] = [];
    billChanged(
      out,
      charges,
      summary,
      sharesOfSplit(of, split),
      heldOfProject,
      { wantShare, wantAdjustment },
      year,
      latest,
      latestOfProject,
      sequences,
      blocked,
      nameOf,
      withDrafts.has(summary.projectId),
    );
    if (charges.length === 0) continue;
    const byMember = new Map<number, Charge[]>();
    for (const c of charges) {
      let list = byMember.get(c.memberId);
      if (!list) byMember.set(c.memberId, (list = []));
      list.push(c);
    }
    out.sources.push({ kind: "charges", byMember });
  }
  return out;
}

/** The position of a member in a split's ascending member ids, or −1. */
function positionIn(memberIds: readonly number[], memberId: number): number {
  let lo = 0;
  let hi = memberIds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const id = memberIds[mid];
    if (id === memberId) return mid;
    if (id < memberId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Whether a source bills the member anything (a share of 0 kr is not billed). */
function billsMember(source: ProjectChargeSource, memberId: number): boolean {
  if (source.kind === "charges") return source.byMember.has(memberId);
  const i = positionIn(source.split.memberIds, memberId);
  return i >= 0 && source.split.shares[i] !== 0;
}

/** Whether the run bills the member any project charge. */
export function hasProjectCharges(charges: ProjectCharges, memberId: number): boolean {
  return charges.sources.some((source) => billsMember(source, memberId));
}

/** The member's project charges of the run, in the order of the project-years. */
export function projectChargesOf(charges: ProjectCharges, memberId: number): Charge[] {
  const out: Charge[] = [];
  for (const source of charges.sources) {
    if (source.kind === "charges") {
      const list = source.byMember.get(memberId);
      if (list) out.push(...list);
      continue;
    }
    const i = positionIn(source.split.memberIds, memberId);
    if (i >= 0 && source.split.shares[i] !== 0) out.push(firstShareCharge(charges.of, source.split, i));
  }
  return out;
}

/** The first share of a split's i-th participant: what shareCharge makes of its ProjectShare, without the object. */
function firstShareCharge(of: ProjectSplitsOfYear, split: ProjectYearSplit, i: number): Charge {
  const own = ownFiguresOf(of, split, i);
  const fallback = own.population !== null && (of.basisOf(split.memberIds[i])?.fallback ?? false);
  return {
    kind: "project_share",
    memberId: split.memberIds[i],
    projectId: split.summary.projectId,
    year: of.year,
    description: descriptionOf(split, own.populationYear, fallback, of.year),
    amount: split.shares[i],
    feeBasis: null,
    shareBasis: shareBasisOf(split.basis, own),
  };
}

/** The texts of a split's share lines: one per population year (an older figure is named), made once. */
const descriptions = new WeakMap<ProjectYearSplit, Map<string, string>>();

function descriptionOf(split: ProjectYearSplit, populationYear: number | null, fallback: boolean, year: number) {
  let texts = descriptions.get(split);
  if (!texts) descriptions.set(split, (texts = new Map()));
  const key = fallback ? String(populationYear) : "";
  let text = texts.get(key);
  if (text === undefined) {
    text = shareDescription({ ...split.basis, populationYear }, fallback, year);
    texts.set(key, text);
  }
  return text;
}

function shareCharge(s: ProjectShare, year: number): Charge {
  return {
    kind: "project_share",
    memberId: s.memberId,
    projectId: s.projectId,
    year,
    description: shareDescription(s.basis, s.populationFallback, year),
    amount: s.share,
    feeBasis: null,
    shareBasis: s.basis,
  };
}

function leaveOut(
  out: ProjectCharges,
  summary: ProjectYearSummary,
  memberIds: number[],
  blocked: ReadonlyMap<number, string>,
): void {
  const names = memberIds.map((id) => blocked.get(id)).join(", ");
  out.problems.push({
    memberId: null,
    projectId: summary.projectId,
    message: `${summary.code} ${summary.year}: faktureras inte alls förrän ${names} har fakturaadress – annars stämmer inte fördelningen mot budgeten`,
  });
}

function billChanged(
  out: ProjectCharges,
  charges: Charge[],
  summary: ProjectYearSummary,
  current: ProjectShare[],
  heldOfProject: Map<number, HeldNet>,
  kinds: { wantShare: boolean; wantAdjustment: boolean },
  year: number,
  latest: Map<string, HeldProjectLine>,
  latestOfProject: Map<number, HeldProjectLine>,
  sequences: Map<string, number>,
  blocked: ReadonlyMap<number, string>,
  nameOf: (memberId: number) => string,
  hasDrafts: boolean,
): void {
  const currentMap = new Map(current.map((s) => [s.memberId, s.share]));
  for (const [memberId, h] of heldOfProject) out.alreadyInvoiced += h.hasShare && currentMap.has(memberId) ? 1 : 0;
  const plan = planProjectYear({
    budget: summary.budget,
    current: currentMap,
    held: heldOfProject,
    kinds: { share: kinds.wantShare, adjustment: kinds.wantAdjustment },
  });
  if (plan.kind === "nothing") return;

  const byMember = new Map(current.map((s) => [s.memberId, s]));
  const before = {
    budget: latestOfProject.get(summary.projectId)?.basis?.budget ?? summary.budget,
    members: [...heldOfProject.keys()]
      .map((id) => splitMemberOf(latest.get(groupKey(summary.projectId, id))!, nameOf(id)))
      .filter((m): m is SplitMember => m !== null),
  };
  const now = {
    budget: summary.budget,
    members: current.map((s) => ({
      memberId: s.memberId,
      name: s.memberName,
      population: s.basis.population,
      populationYear: s.basis.populationYear,
      weight: s.basis.weight,
    })),
  };
  const reasons = describeChange(before, now);
  const newShares = new Map(plan.shares.map((s) => [s.memberId, s.amount]));
  const adjustments = new Map(plan.adjustments.map((a) => [a.memberId, a]));
  const rowIds = new Set([...currentMap.keys(), ...heldOfProject.keys()]);
  const change: ProjectYearChange = {
    projectId: summary.projectId,
    code: summary.code,
    name: summary.name,
    year,
    budget: summary.budget,
    invoicedBefore: [...heldOfProject.values()].reduce((n, h) => n + h.net, 0),
    reasons,
    rows: [...rowIds]
      .map((id) => ({
        memberId: id,
        memberName: byMember.get(id)?.memberName ?? nameOf(id),
        invoicedBefore: heldOfProject.get(id)?.net ?? 0,
        shareNow: currentMap.get(id) ?? 0,
        newShare: newShares.get(id) ?? 0,
        adjustment: adjustments.get(id)?.amount ?? 0,
      }))
      .sort((a, b) => a.memberName.localeCompare(b.memberName, "sv") || a.memberId - b.memberId),
    missing: plan.kind === "refused" ? plan.missing : null,
  };
  // A project-year whose only new lines are first shares of a split that did not otherwise move is no "change".
  if (plan.adjustments.length > 0 || plan.kind === "refused") out.changes.push(change);

  if (plan.kind === "refused") {
    const what =
      plan.missing === "project_adjustment"
        ? `är redan fakturerat och fördelningen har ändrats (${reasons.join("; ") || "andelarna"}): välj även Justering av projektandel, annars betalar deltagarna inte sina aktuella andelar`
        : `har nya deltagare som ännu inte fakturerats: välj även Projektandel`;
    out.problems.push({
      memberId: null,
      projectId: summary.projectId,
      message: `${summary.code} ${year} ${what}. Projektåret faktureras inte i denna körning.`,
    });
    return;
  }
  if (hasDrafts && plan.adjustments.length > 0) {
    // Adjusting on top of drafts made from another split would leave those drafts unissuable (their appendix no
    // longer matches) and a credit note with nothing issued to refer to: the drafts go first.
    out.problems.push({
      memberId: null,
      projectId: summary.projectId,
      message: `${summary.code} ${year} har utkast som gjordes före ändringen (${reasons.join("; ") || "andelarna"}): utfärda eller ta bort dem först. Projektåret faktureras inte i denna körning.`,
    });
    change.missing = null;
    return;
  }
  const blockedHere = [...plan.shares.map((s) => s.memberId), ...plan.adjustments.map((a) => a.memberId)].filter((id) =>
    blocked.has(id),
  );
  if (blockedHere.length > 0) {
    leaveOut(out, summary, [...new Set(blockedHere)], blocked);
    return;
  }

  // The invariant, where the charges are gathered: with these lines every participant nets its current share.
  const violations = settlementViolations(summary.budget, currentMap, netsAfter(heldOfProject, plan));
  if (violations.length > 0) {
    throw new Error(
      `${summary.code} ${year}: justeringen går inte jämnt ut (${violations.map((v) => v.message).join("; ")})`,
    );
  }

  for (const s of plan.shares) charges.push(shareCharge(byMember.get(s.memberId)!, year));
  for (const a of plan.adjustments) {
    const key = `${a.memberId}:${summary.projectId}`;
    const sequence = (sequences.get(key) ?? 0) + 1;
    sequences.set(key, sequence);
    charges.push(adjustmentCharge(summary, a, byMember.get(a.memberId) ?? null, reasons, sequence, year));
  }
}

function adjustmentCharge(
  summary: ProjectYearSummary,
  a: PlannedAdjustment,
  share: ProjectShare | null,
  reasons: string[],
  sequence: number,
  year: number,
): Charge {
  const basis: ShareBasis = {
    projectCode: summary.code,
    projectName: summary.name,
    year,
    allocationKey: summary.allocationKey,
    basePercent: summary.basePercent,
    budget: summary.budget,
    participantCount: summary.participantCount,
    population: share?.basis.population ?? null,
    populationYear: share?.basis.populationYear ?? null,
    totalPopulation: summary.totalPopulation,
    weight: share?.basis.weight ?? null,
    totalWeight: summary.totalWeight,
    adjustment: { invoicedBefore: a.invoicedBefore, shareNow: a.shareNow, inSplit: share !== null, reasons },
  };
  const why = reasons.length > 0 ? ` (${reasons.join("; ")})` : "";
  const text = `Justering ${summary.code} ${summary.name} ${year}: andel fakturerad ${formatSek(a.invoicedBefore)}, andel nu ${formatSek(a.shareNow)}${why}`;
  return {
    kind: "project_adjustment",
    memberId: a.memberId,
    projectId: summary.projectId,
    year,
    description: text.length > 300 ? `${text.slice(0, 297)}…` : text,
    amount: a.amount,
    feeBasis: null,
    shareBasis: basis,
    sequence,
  };
}
