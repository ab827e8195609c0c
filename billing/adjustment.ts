import { formatInteger, formatSek, sumOre, type Ore } from "./money";

/*
 * Changes after invoicing (docs/adjustments.md). A project-year's split may change after its shares were
 * invoiced; the association must still collect exactly the budget, and every participant exactly its share of
 * the current split. This module decides, for one project-year, what a billing run bills: the first shares, the
 * adjustments (current share − net invoiced), or nothing because the chosen kinds cannot keep the books true.
 * Pure: the current split and what each participant holds in invoice lines come in, lines come out.
 */

/** What a participant holds for a project-year in lines not cancelled by a credit note (drafts included). */
export interface HeldNet {
  /** Σ of its project_share and project_adjustment lines, in öre. */
  net: Ore;
  /** Whether one of them is its project_share line (the charge "project_share:M:P:Y" is taken). */
  hasShare: boolean;
}

export interface ProjectYearPlanInput {
  budget: Ore;
  /** The current split: every participant of the year and its share (the shares add up to the budget). */
  current: ReadonlyMap<number, Ore>;
  /** What each member holds for the project-year; members absent hold nothing. */
  held: ReadonlyMap<number, HeldNet>;
  /** Which kinds the run may bill. */
  kinds: { share: boolean; adjustment: boolean };
}

export interface PlannedShare {
  memberId: number;
  amount: Ore;
}

export interface PlannedAdjustment {
  memberId: number;
  /** Net invoiced before this line, including a share line the same run bills. */
  invoicedBefore: Ore;
  /** The member's share of the current split; 0 when it is no longer in the split. */
  shareNow: Ore;
  /** shareNow − invoicedBefore: positive is billed, negative refunded. */
  amount: Ore;
}

export type ProjectYearPlan =
  | { kind: "nothing" }
  | { kind: "bill"; shares: PlannedShare[]; adjustments: PlannedAdjustment[] }
  /** The project-year is left out whole: billing part of it would break the invariant. */
  | {
      kind: "refused";
      missing: "project_adjustment" | "project_share";
      shares: PlannedShare[];
      adjustments: PlannedAdjustment[];
    };

/**
 * What a run bills for one project-year. A member in the split without its share line gets one (the first
 * share); then every member whose net (with that line) differs from its current share gets an adjustment of the
 * difference, including a member taken out of the split (its whole net back). A project-year nobody holds
 * anything of needs only shares. When the lines needed are of a kind the run was not asked for, nothing of the
 * project-year is billed: a newcomer's share without the others' adjustments is exactly the defect this prevents.
 */
export function planProjectYear(input: ProjectYearPlanInput): ProjectYearPlan {
  const shares: PlannedShare[] = [];
  const adjustments: PlannedAdjustment[] = [];
  const memberIds = new Set<number>([...input.current.keys(), ...input.held.keys()]);
  for (const memberId of [...memberIds].sort((a, b) => a - b)) {
    const shareNow = input.current.get(memberId) ?? 0;
    const held = input.held.get(memberId) ?? { net: 0, hasShare: false };
    let invoicedBefore = held.net;
    if (input.current.has(memberId) && !held.hasShare && shareNow > 0) {
      shares.push({ memberId, amount: shareNow });
      invoicedBefore = sumOre([invoicedBefore, shareNow]);
    }
    const amount = shareNow - invoicedBefore;
    if (amount !== 0) adjustments.push({ memberId, invoicedBefore, shareNow, amount });
  }
  if (shares.length === 0 && adjustments.length === 0) return { kind: "nothing" };
  if (!input.kinds.share && !input.kinds.adjustment) return { kind: "nothing" };
  if (adjustments.length > 0 && !input.kinds.adjustment)
    return { kind: "refused", missing: "project_adjustment", shares, adjustments };
  if (shares.length > 0 && !input.kinds.share)
    return { kind: "refused", missing: "project_share", shares, adjustments };
  return { kind: "bill", shares, adjustments };
}

export interface Violation {
  memberId: number | null;
  message: string;
}

/**
 * The invariant after a run: every member's net equals its current share (0 outside the split), to the öre,
 * and the nets add up to the budget. Returns what breaks it; an empty list means the project-year is settled.
 */
export function settlementViolations(
  budget: Ore,
  current: ReadonlyMap<number, Ore>,
  net: ReadonlyMap<number, Ore>,
): Violation[] {
  const out: Violation[] = [];
  const memberIds = new Set<number>([...current.keys(), ...net.keys()]);
  for (const memberId of memberIds) {
    const want = current.get(memberId) ?? 0;
    const have = net.get(memberId) ?? 0;
    if (want !== have) out.push({ memberId, message: `netto ${have} öre, andel ${want} öre` });
  }
  const total = sumOre(net.values());
  if (total !== budget) out.push({ memberId: null, message: `summa ${total} öre, budget ${budget} öre` });
  return out;
}

/** The nets after a plan is billed: what was held plus the plan's lines. */
export function netsAfter(
  held: ReadonlyMap<number, HeldNet>,
  plan: { shares: PlannedShare[]; adjustments: PlannedAdjustment[] },
): Map<number, Ore> {
  const out = new Map<number, Ore>();
  for (const [id, h] of held) out.set(id, h.net);
  for (const l of [...plan.shares, ...plan.adjustments])
    out.set(l.memberId, sumOre([out.get(l.memberId) ?? 0, l.amount]));
  return out;
}

/**
 * The key that holds an adjustment line: "project_adjustment:M:P:Y:N", N counting the adjustments of that
 * member's project-year from 1 (docs/decisions/007-adjustment-charge-key.md). The run computes N as one more than
 * the highest ever made, so a repeated or concurrent run that would bill the same adjustment again collides with
 * the unique index instead.
 */
export function adjustmentKey(memberId: number, projectId: number, year: number, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`not an adjustment sequence: ${sequence}`);
  return `project_adjustment:${memberId}:${projectId}:${year}:${sequence}`;
}

/** The sequence number of an adjustment key, or null for any other key. */
export function adjustmentSequence(key: string): number | null {
  const m = /^project_adjustment:\d+:\d+:\d+:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

/** A participant as a split saw it: enough to say what changed. */
export interface SplitMember {
  memberId: number;
  name: string;
  population: number | null;
  populationYear: number | null;
  weight: string | null;
}

export interface SplitView {
  budget: Ore;
  members: SplitMember[];
}

/**
 * Why a project-year's split changed, in Swedish, from the split its earlier lines were made from to the
 * current one: the budget, who joined or left, weights and population figures.
 */
export function describeChange(before: SplitView, now: SplitView): string[] {
  const out: string[] = [];
  if (before.budget !== now.budget) out.push(`budget ${formatSek(before.budget)} → ${formatSek(now.budget)}`);
  const was = new Map(before.members.map((m) => [m.memberId, m]));
  const is = new Map(now.members.map((m) => [m.memberId, m]));
  const joined = now.members.filter((m) => !was.has(m.memberId)).map((m) => m.name);
  const left = before.members.filter((m) => !is.has(m.memberId)).map((m) => m.name);
  if (joined.length) out.push(`ny deltagare: ${joined.join(", ")}`);
  if (left.length) out.push(`inte längre med: ${left.join(", ")}`);
  for (const m of now.members) {
    const b = was.get(m.memberId);
    if (!b) continue;
    if (b.weight !== m.weight && (b.weight !== null || m.weight !== null))
      out.push(`vikt ${m.name} ${b.weight ?? "–"} → ${m.weight ?? "–"}`);
    if (b.population !== m.population || b.populationYear !== m.populationYear) {
      const fig = (p: number | null, y: number | null) =>
        p === null ? "–" : `${formatInteger(p)}${y === null ? "" : ` (${y})`}`;
      out.push(
        `invånarantal ${m.name} ${fig(b.population, b.populationYear)} → ${fig(m.population, m.populationYear)}`,
      );
    }
  }
  return out;
}
