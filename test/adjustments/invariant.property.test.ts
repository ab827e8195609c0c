import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import { association, type Association } from "../support/association";
import { currentSplit, netHeld } from "./ledger";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { creditInvoice } from "../../app/features/invoices/credit.server";
import { deleteDraft } from "../../app/features/invoices/drafts.server";
import { issueInvoice, issueRun } from "../../app/features/invoices/issue.server";
import { setPopulation } from "../../app/features/members/commands.server";
import { projectAllocation } from "../../app/features/projects/allocation.server";
import { createProject, setBudget } from "../../app/features/projects/commands.server";
import { addParticipant, removeParticipant, updateParticipant } from "../../app/features/projects/participants.server";
import { getParticipation } from "../../app/features/projects/queries.server";

/*
 * The invariant of docs/adjustments.md over random histories, against the real use cases on a SQLite file:
 * joins, leaves, removals, budget, weight and population changes, billing runs with and without adjustments,
 * issuing and credit notes. After every run that billed the project-year, every participant nets exactly its
 * current share and the nets add up to the budget; a run that leaves it out bills none of it.
 */
let a: Association;
const Y = 2026;
const CODES = ["1480", "1481", "1402", "1438", "1439", "1444", "1447", "0127", "0162"];

beforeAll(async () => {
  a = await association({ users: false, settings: true, prefix: "sambruk-adjust-" });
});

const step = fc.oneof(
  fc.record({
    op: fc.constant("join" as const),
    who: fc.nat(CODES.length - 1),
    weight: fc.integer({ min: 1, max: 90 }),
  }),
  fc.record({ op: fc.constant("leave" as const), who: fc.nat(CODES.length - 1) }),
  fc.record({ op: fc.constant("remove" as const), who: fc.nat(CODES.length - 1) }),
  fc.record({
    op: fc.constant("budget" as const),
    amount: fc.oneof(fc.integer({ min: 0, max: 200_000_000 }), fc.constantFrom(0, 1, 7)),
  }),
  fc.record({
    op: fc.constant("weight" as const),
    who: fc.nat(CODES.length - 1),
    weight: fc.integer({ min: 1, max: 90 }),
  }),
  fc.record({
    op: fc.constant("population" as const),
    who: fc.nat(CODES.length - 1),
    population: fc.integer({ min: 1, max: 700_000 }),
  }),
  fc.record({ op: fc.constant("run" as const), adjustment: fc.boolean(), issue: fc.boolean() }),
  fc.record({ op: fc.constant("credit" as const), pick: fc.nat(20) }),
);

let seq = 0;

function settled(projectId: number): { ok: boolean; detail: string } {
  const split = currentSplit(a, projectId, Y);
  const net = netHeld(a, projectId, Y);
  const sum = [...net.values()].reduce((s, v) => s + v, 0);
  const budget = projectAllocation(projectId, Y).budget ?? 0;
  const same = split.size === net.size && [...split].every(([id, s]) => net.get(id) === s);
  return { ok: same && sum === budget, detail: JSON.stringify({ split: [...split], net: [...net], budget, sum }) };
}

function projectIssuedInvoices(projectId: number): number[] {
  return (
    a
      .sqlite()
      .prepare(
        `SELECT DISTINCT i.id AS id FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
         WHERE l.project_id = ? AND i.kind = 'invoice' AND i.state = 'issued' ORDER BY i.id`,
      )
      .all(projectId) as Array<{ id: number }>
  ).map((r) => r.id);
}

function projectDrafts(projectId: number): number[] {
  return (
    a
      .sqlite()
      .prepare(
        `SELECT DISTINCT i.id AS id FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id WHERE l.project_id = ? AND i.state = 'draft' ORDER BY i.id`,
      )
      .all(projectId) as Array<{ id: number }>
  ).map((r) => r.id);
}

test("after every run, every billed project-year nets each participant's current share and the budget", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("per_capita", "equal", "fixed" as const),
      fc.array(step, { minLength: 3, maxLength: 14 }),
      (key, steps) => {
        const p = createProject(a.scope.system, {
          code: `Q-${++seq}`,
          name: `Egenskap ${seq}`,
          allocationKey: key,
          status: "open",
        } as never);
        setBudget(a.scope.system, p.id, Y, { amount: 10_000_000 });
        addParticipant(a.scope.system, p.id, {
          memberId: a.member["1480"],
          joinedOn: "2026-01-01",
          weight: key === "fixed" ? "50" : null,
        });
        for (const s of steps) {
          const memberId = "who" in s ? a.member[CODES[s.who]] : 0;
          const part = memberId ? getParticipation(p.id, memberId) : undefined;
          switch (s.op) {
            case "join":
              if (!part)
                addParticipant(a.scope.system, p.id, {
                  memberId,
                  joinedOn: "2026-03-01",
                  weight: key === "fixed" ? String(s.weight) : null,
                });
              break;
            case "leave":
              // Leaving within the year: it still takes part in the year, so nothing moves.
              if (part && part.leftOn === null)
                updateParticipant(a.scope.system, p.id, memberId, { leftOn: "2026-09-30" });
              break;
            case "remove":
              if (part && currentSplit(a, p.id, Y).size > 1) removeParticipant(a.scope.system, p.id, memberId);
              break;
            case "budget":
              setBudget(a.scope.system, p.id, Y, { amount: s.amount });
              break;
            case "weight":
              if (part && key === "fixed")
                updateParticipant(a.scope.system, p.id, memberId, { weight: String(s.weight) });
              break;
            case "population":
              setPopulation(a.scope.system, memberId, 2025, s.population);
              break;
            case "credit": {
              const ids = projectIssuedInvoices(p.id);
              if (ids.length > 0) creditInvoice(a.scope.system, ids[s.pick % ids.length], "Egenskapstest");
              break;
            }
            case "run": {
              const before = netHeld(a, p.id, Y);
              const kinds: Array<"project_share" | "project_adjustment"> = s.adjustment
                ? ["project_share", "project_adjustment"]
                : ["project_share"];
              const r = createBillingRun(a.scope.system, { year: Y, charges: kinds });
              const leftOut = r.problems.some((x) => x.projectId === p.id && x.memberId === null);
              if (leftOut) {
                // Left out whole: not one line of it billed.
                expect(Object.fromEntries(netHeld(a, p.id, Y))).toEqual(Object.fromEntries(before));
              } else {
                const check = settled(p.id);
                expect(check.ok, check.detail).toBe(true);
              }
              // With adjustments chosen, only drafts of an older split (to be issued or deleted first) keep it out.
              if (s.adjustment && leftOut)
                expect(r.problems.find((x) => x.projectId === p.id)?.message).toMatch(
                  /har utkast som gjordes före ändringen/,
                );
              if (s.issue && r.run) {
                issueRun(a.scope.system, r.run.id);
                const check = settled(p.id);
                if (!leftOut) expect(check.ok, check.detail).toBe(true);
              }
              break;
            }
          }
        }
        // The treasurer's way out of stale drafts: issue what still matches, delete the rest.
        for (const id of projectDrafts(p.id)) {
          try {
            issueInvoice(a.scope.system, id);
          } catch {
            deleteDraft(a.scope.system, id);
          }
        }
        // Whatever happened, one more run with adjustments settles the project-year, and then issuing keeps it so.
        const last = createBillingRun(a.scope.system, {
          year: Y,
          charges: ["project_share", "project_adjustment"],
        });
        if (last.run) issueRun(a.scope.system, last.run.id);
        const check = settled(p.id);
        expect(check.ok, check.detail).toBe(true);
      },
    ),
    { numRuns: 25 },
  );
}, 120_000);
