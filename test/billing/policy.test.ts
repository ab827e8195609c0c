import { describe, expect, test } from "vitest";
import { DomainError } from "../../billing/errors";
import {
  ACTIONS,
  authorize,
  can,
  decide,
  MEMBER_CONTACT_FIELDS,
  privateMemberOf,
  refusedMemberFields,
  seesDrafts,
  type Action,
  type Actor,
} from "../../billing/policy";

/*
 * The policy as docs/roles.md ("Who may do what") writes it: every action against every kind of actor. The grid
 * is written out here by hand, not derived from billing/policy.ts, so a change of a rule must change both.
 */
const OWN = 7;
const OTHER = 8;
const admin: Actor = { userId: 1, role: "admin", memberId: null };
const treasurer: Actor = { userId: 2, role: "treasurer", memberId: null };
const member: Actor = { userId: 3, role: "member", memberId: OWN };
const system: Actor = { userId: null, role: "admin", memberId: null };

type Answer = "allow" | "forbidden" | "not_found";
/** admin, treasurer, member for its own member, member for another member, the system (CLI, demo seed). */
type Row = [admin: Answer, treasurer: Answer, ownMember: Answer, otherMember: Answer, system: Answer];

const A = "allow";
const F = "forbidden";
const N = "not_found";
const board: Row = [A, F, F, F, A];
const treasurerOnly: Row = [F, A, F, F, A];
const staff: Row = [A, A, F, F, A];
const staffElseHidden: Row = [A, A, N, N, A];

const GRID: Record<Action, Row> = {
  "member.read.private": [A, A, A, N, A],
  "member.create": board,
  "member.update": board,
  "member.update.contact": [A, F, A, N, A],
  "population.record": board,
  "population.import": board,
  "fee-override.manage": board,
  "fee-schedule.create": board,
  "fee-schedule.update": board,
  "fee-schedule.delete": board,
  "fees.read.all": staff,
  "fees.read": [A, A, A, N, A],
  "project.create": board,
  "project.update": board,
  "project.budget.set": board,
  "project.outcome.record": board,
  "project.participant.add": board,
  "project.participant.update": board,
  "project.participant.remove": board,
  // Self-service: only a contact person, for its own member; another member's is refused, not hidden.
  "project.join": [F, F, A, F, F],
  "project.leave": [F, F, A, F, F],
  "project.money.read": staff,
  "allocation.file.read": [A, A, A, F, A],
  "overview.read": staff,
  "billing-run.read": staff,
  "billing-run.create": treasurerOnly,
  "billing-run.issue": treasurerOnly,
  "billing-run.send": treasurerOnly,
  "invoice.read": [A, A, A, N, A],
  "invoice.read.internal": staff,
  "invoice.edit-draft": treasurerOnly,
  "invoice.issue": treasurerOnly,
  "invoice.send": treasurerOnly,
  "invoice.credit": treasurerOnly,
  "invoice.remind": treasurerOnly,
  "invoice.export": staff,
  "payment.register": treasurerOnly,
  "payment.read": staffElseHidden,
  "payment-file.upload": staffElseHidden,
  "payment-file.apply": staffElseHidden,
  "unmatched-payment.assign": staffElseHidden,
  "unmatched-payment.refund": staffElseHidden,
  "receivables.read": staffElseHidden,
  "settings.read": staff,
  "settings.update": staff,
  "user.manage": board,
  "user.read": [A, F, A, N, A],
  "audit.read": staff,
};

/** The target of an action about a member: its member id, or the participants of a project-year. */
const targetOf = (action: Action, memberId: number) =>
  action === "allocation.file.read" ? { participantIds: [memberId, 99] } : { memberId };

const answer = (actor: Actor, action: Action, memberId: number): Answer => {
  const d = decide(actor, action, targetOf(action, memberId));
  return d.allowed ? "allow" : d.kind;
};

describe("the grid of docs/roles.md", () => {
  test("has a row for every action of the policy, and the policy an action for every row", () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(GRID).sort());
  });

  test.each(ACTIONS.map((a) => [a, GRID[a]] as const))("%s", (action, [a, t, own, other, sys]) => {
    expect({
      admin: answer(admin, action, OWN),
      treasurer: answer(treasurer, action, OWN),
      ownMember: answer(member, action, OWN),
      otherMember: answer(member, action, OTHER),
      system: answer(system, action, OWN),
    }).toEqual({ admin: a, treasurer: t, ownMember: own, otherMember: other, system: sys });
  });

  test("without a target a role is asked whether it may do the action for some member: a contact person may, for its own", () => {
    for (const action of ACTIONS) {
      const [a, t, own] = GRID[action];
      expect(can(admin, action), action).toBe(a === "allow");
      expect(can(treasurer, action), action).toBe(t === "allow");
      // A project-year's file names its participants: without them there is nobody a contact person could be.
      expect(can(member, action), action).toBe(own === "allow" && action !== "allocation.file.read");
    }
  });

  test("a contact person without a member may do nothing for a member", () => {
    const orphan: Actor = { userId: 4, role: "member", memberId: null };
    for (const action of ACTIONS) expect(can(orphan, action, { memberId: OWN }), action).toBe(false);
  });
});

describe("authorize", () => {
  test("throws the decision as a DomainError of its kind, with the policy's message", () => {
    expect(() => authorize(admin, "member.create")).not.toThrow();
    const refused = (() => {
      try {
        authorize(treasurer, "project.create");
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      kind: "forbidden",
      code: "forbidden",
      message: "Bara styrelsen (admin) kan ändra projekt",
    });
    expect(() => authorize(member, "invoice.read", { memberId: OTHER })).toThrow(
      expect.objectContaining({ kind: "not_found", code: "not_found", message: "Fakturan finns inte" }),
    );
    expect(() => authorize(member, "project.join", { memberId: OTHER })).toThrow(
      expect.objectContaining({ kind: "forbidden", message: "Ni kan bara anmäla er egen organisation" }),
    );
  });
});

describe("what the data access filters by", () => {
  test("staff and the system read every member's private data and the drafts; a contact person its own member's issued invoices", () => {
    expect([admin, treasurer, system].map(privateMemberOf)).toEqual(["all", "all", "all"]);
    expect(privateMemberOf(member)).toBe(OWN);
    expect(privateMemberOf({ userId: 4, role: "member", memberId: null })).toBeNull();
    expect([admin, treasurer, member, system].map(seesDrafts)).toEqual([true, true, false, true]);
  });
});

describe("the member fields a contact person may change", () => {
  test("the board any field; a contact person only the contact and invoice details", () => {
    expect(MEMBER_CONTACT_FIELDS).toEqual([
      "invoiceAddress",
      "invoiceEmail",
      "reference",
      "contactName",
      "contactEmail",
      "contactPhone",
    ]);
    const patch = ["name", "reference", "resignedOn", "contactEmail", "populations"];
    expect(refusedMemberFields(admin, patch)).toEqual([]);
    expect(refusedMemberFields(system, patch)).toEqual([]);
    expect(refusedMemberFields(member, patch)).toEqual(["name", "resignedOn", "populations"]);
    expect(refusedMemberFields(member, ["invoiceAddress", "invoiceEmail"])).toEqual([]);
  });
});
