import { DomainError } from "./errors";

/*
 * Who may do what: the one place a permission is decided (docs/roles.md#who-may-do-what, ADR "policy"). Every use
 * case asks `authorize(actor, action, target)` first, so the page, the API and the command line cannot differ; a
 * route or a page asks `can(...)` before it parses a form (to answer 403 at once) or to hide a button the use case
 * would refuse anyway. The data access filters by the same answers (`privateMemberOf`).
 *
 * Pure: an actor and a target are plain data. The rules are a closed table, one row per action; an action that is
 * not in it does not type-check.
 */

/** The roles of docs/roles.md. `db/schema.ts` (users.role) holds the same three. */
export type Role = "admin" | "treasurer" | "member";

/**
 * Who is asking: a user (`userId`), or the system (`userId` null: the command line, the demo seed and the billing
 * run's internals), which acts with the board's and the treasurer's rights and belongs to no member.
 */
export interface Actor {
  userId: number | null;
  role: Role;
  memberId: number | null;
}

/** What the action is about, where the answer depends on it. */
export interface Target {
  /** The member whose data it is (a member's details, invoices, fees, users; a participation). */
  memberId?: number | null;
  /** The members taking part (a project-year's split). */
  participantIds?: readonly number[];
}

export type Decision = { allowed: true } | { allowed: false; kind: "forbidden" | "not_found"; message: string };

type Rule = (actor: Actor, target: Target | undefined) => Decision;

const ALLOWED: Decision = { allowed: true };
const forbidden = (message: string): Decision => ({ allowed: false, kind: "forbidden", message });
const hidden = (message: string): Decision => ({ allowed: false, kind: "not_found", message });

/** The system holds the board's and the treasurer's rights; a user holds its one role. */
function hasRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.userId === null ? roles.includes("admin") || roles.includes("treasurer") : roles.includes(actor.role);
}

const BOARD: readonly Role[] = ["admin"];
const TREASURER: readonly Role[] = ["treasurer"];
const STAFF: readonly Role[] = ["admin", "treasurer"];

/** Only the given roles. */
function only(roles: readonly Role[], message: string): Rule {
  return (actor) => (hasRole(actor, roles) ? ALLOWED : forbidden(message));
}

/**
 * Only the given roles, and to any other the thing does not exist: the payments and receivables of the
 * association are not shown to a contact person, not even as refused (docs/roles.md#visibility).
 */
function onlyElseHidden(roles: readonly Role[], message: string): Rule {
  return (actor) => (hasRole(actor, roles) ? ALLOWED : hidden(message));
}

/**
 * The given roles for every member, and a member's own contact person for its own member. Another member's is
 * `otherwise` (404 where the answer must not reveal that it exists, docs/roles.md#visibility). Without a target
 * the question is whether the actor may do it for some member: a contact person may, for its own.
 */
function rolesOrOwn(
  roles: readonly Role[],
  refusal: { role: string; otherMember: Decision },
  ownRole: Role = "member",
): Rule {
  return (actor, target) => {
    if (hasRole(actor, roles)) return ALLOWED;
    if (actor.userId === null || actor.role !== ownRole || actor.memberId === null) return forbidden(refusal.role);
    if (target?.memberId === undefined) return ALLOWED;
    return target.memberId === actor.memberId ? ALLOWED : refusal.otherMember;
  };
}

/** Only a member's contact person, for its own member (self-service). */
function ownMemberOnly(refusal: { role: string; otherMember: Decision }): Rule {
  return rolesOrOwn([], refusal);
}

const NOT_BOARD = "Bara styrelsen (admin) kan göra det här";
const NOT_TREASURER = "Bara kassören kan göra det här";
const NOT_STAFF = "Bara kassören och styrelsen kan göra det här";
const NOT_FOUND = "Finns inte";
const MEMBER_NOT_FOUND = "Medlemmen finns inte";
const PROJECTS_BOARD = "Bara styrelsen (admin) kan ändra projekt";

/**
 * The closed list of actions, derived from what the app does, with who may do each. The grid of docs/roles.md
 * ("Who may do what") is this table in words; `test/policy/` checks every row against every role, and the use
 * cases against it.
 */
const RULES = {
  // Members (docs/membership.md)
  /** See a member's private part: invoice address, e-mail, reference, contact, invoices, payments. */
  "member.read.private": rolesOrOwn(STAFF, { role: NOT_STAFF, otherMember: hidden(MEMBER_NOT_FOUND) }),
  "member.create": only(BOARD, NOT_BOARD),
  /** Any field of a member, including its resignation. */
  "member.update": only(BOARD, NOT_BOARD),
  /** The contact and invoice details (MEMBER_CONTACT_FIELDS): the board, and a member's own contact person. */
  "member.update.contact": rolesOrOwn(BOARD, {
    role: "Bara styrelsen och medlemmens kontaktperson kan ändra uppgifterna",
    otherMember: hidden(MEMBER_NOT_FOUND),
  }),
  "population.record": only(BOARD, NOT_BOARD),
  "population.import": only(BOARD, NOT_BOARD),
  "fee-override.manage": only(BOARD, NOT_BOARD),

  // Fees (docs/fees.md)
  "fee-schedule.create": only(BOARD, NOT_BOARD),
  "fee-schedule.update": only(BOARD, NOT_BOARD),
  "fee-schedule.delete": only(BOARD, NOT_BOARD),
  /** Every member's fees of a year (the fee page). */
  "fees.read.all": only(STAFF, NOT_STAFF),
  /** One member's fees: staff any, a contact person its own. */
  "fees.read": rolesOrOwn(STAFF, { role: NOT_STAFF, otherMember: hidden(NOT_FOUND) }),

  // Projects (docs/allocation.md)
  "project.create": only(BOARD, PROJECTS_BOARD),
  "project.update": only(BOARD, PROJECTS_BOARD),
  "project.budget.set": only(BOARD, PROJECTS_BOARD),
  "project.outcome.record": only(BOARD, "Bara styrelsen (admin) kan registrera utfall"),
  /** Any member, any date, with a weight. */
  "project.participant.add": only(BOARD, PROJECTS_BOARD),
  /** Dates and weight of any participation. */
  "project.participant.update": only(BOARD, PROJECTS_BOARD),
  "project.participant.remove": only(BOARD, PROJECTS_BOARD),
  /** Self-service: a contact person joins its own member to an open project, from today. */
  "project.join": ownMemberOnly({
    role: "Bara en medlems kontaktperson kan anmäla sin organisation här",
    otherMember: forbidden("Ni kan bara anmäla er egen organisation"),
  }),
  /** Self-service: a contact person ends its own member's participation. */
  "project.leave": ownMemberOnly({
    role: "Bara en medlems kontaktperson kan avsluta sitt deltagande här",
    otherMember: forbidden("Ni kan bara ändra er egen organisations deltagande"),
  }),
  /** Budgets, outcomes and invoiced amounts per project-year (the board's and the treasurer's overview). */
  "project.money.read": only(STAFF, NOT_STAFF),
  /** A project-year's split as a file (docs/csv-exports.md): staff, and the members taking part that year. */
  "allocation.file.read": (actor, target) =>
    hasRole(actor, STAFF) ||
    (actor.userId !== null && actor.memberId !== null && (target?.participantIds ?? []).includes(actor.memberId))
      ? ALLOWED
      : forbidden("Fördelningen som fil kan bara hämtas av projektets deltagare, kassören och styrelsen."),

  // Billing runs and invoices (docs/invoices.md)
  "overview.read": only(STAFF, NOT_STAFF),
  "billing-run.read": only(STAFF, NOT_STAFF),
  "billing-run.create": only(TREASURER, NOT_TREASURER),
  "billing-run.issue": only(TREASURER, NOT_TREASURER),
  "billing-run.send": only(TREASURER, NOT_TREASURER),
  /** An invoice of a member: staff any (drafts too), a contact person its own member's issued ones. */
  "invoice.read": rolesOrOwn(STAFF, { role: NOT_STAFF, otherMember: hidden("Fakturan finns inte") }),
  /** Drafts, and an invoice's reminders and delivery log. */
  "invoice.read.internal": only(STAFF, NOT_STAFF),
  "invoice.edit-draft": only(TREASURER, NOT_TREASURER),
  "invoice.issue": only(TREASURER, NOT_TREASURER),
  "invoice.send": only(TREASURER, NOT_TREASURER),
  "invoice.credit": only(TREASURER, NOT_TREASURER),
  "invoice.remind": only(TREASURER, NOT_TREASURER),
  /** The invoice list as CSV and the SIE file for the bookkeeping. */
  "invoice.export": only(STAFF, NOT_STAFF),

  // Payments (docs/bgmax.md, docs/receivables.md)
  "payment.register": only(TREASURER, NOT_TREASURER),
  /** Bank payment files, unmatched payments. */
  "payment.read": onlyElseHidden(STAFF, NOT_FOUND),
  "payment-file.upload": onlyElseHidden(STAFF, NOT_FOUND),
  "payment-file.apply": onlyElseHidden(STAFF, NOT_FOUND),
  "unmatched-payment.assign": onlyElseHidden(STAFF, NOT_FOUND),
  "unmatched-payment.refund": onlyElseHidden(STAFF, NOT_FOUND),
  "receivables.read": onlyElseHidden(STAFF, NOT_FOUND),

  // Settings, users, audit
  "settings.read": only(STAFF, NOT_STAFF),
  "settings.update": only(STAFF, NOT_STAFF),
  /** Every user account; create, change, deactivate, set passwords. */
  "user.manage": only(BOARD, NOT_BOARD),
  /** The user accounts of one member: the board, and that member's own contact person. */
  "user.read": rolesOrOwn(BOARD, { role: NOT_BOARD, otherMember: hidden(NOT_FOUND) }),
  "audit.read": only(STAFF, NOT_STAFF),
} satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;
export const ACTIONS = Object.keys(RULES) as Action[];

/** The answer with its reason: what `authorize` throws, and what a page may show. */
export function decide(actor: Actor, action: Action, target?: Target): Decision {
  return RULES[action](actor, target);
}

/** Whether the actor may do the action (on the target, or, without one, on some target). */
export function can(actor: Actor, action: Action, target?: Target): boolean {
  return decide(actor, action, target).allowed;
}

/** The first thing a use case does: throws `DomainError` `forbidden` (or `not_found` for another member's private thing). */
export function authorize(actor: Actor, action: Action, target?: Target): void {
  const decision = decide(actor, action, target);
  if (!decision.allowed) throw new DomainError(decision.kind, decision.kind, decision.message);
}

/**
 * Whose private data the actor's reads return (the data access filters by it, docs/roles.md#visibility):
 * `"all"` for staff and the system, else the contact person's own member (null: none at all).
 */
export function privateMemberOf(actor: Actor): "all" | number | null {
  if (hasRole(actor, STAFF)) return "all";
  return actor.role === "member" ? actor.memberId : null;
}

/** Drafts are the treasurer's work in progress: a contact person sees only issued invoices. */
export function seesDrafts(actor: Actor): boolean {
  return can(actor, "invoice.read.internal");
}

/**
 * The fields of a member that its own contact person may change (`member.update.contact`); every other field
 * needs `member.update` (the board). The zod schema of the self-service form is derived from this list.
 */
export const MEMBER_CONTACT_FIELDS = [
  "invoiceAddress",
  "invoiceEmail",
  "reference",
  "contactName",
  "contactEmail",
  "contactPhone",
] as const;
export type MemberContactField = (typeof MEMBER_CONTACT_FIELDS)[number];

/**
 * Of the member fields a change names, those the actor may not change: none for the board, every field outside
 * MEMBER_CONTACT_FIELDS for a contact person.
 */
export function refusedMemberFields(actor: Actor, fields: readonly string[]): string[] {
  if (can(actor, "member.update")) return [];
  return fields.filter((f) => !(MEMBER_CONTACT_FIELDS as readonly string[]).includes(f));
}

/** The message next to each refused field. */
export const BOARD_ONLY_FIELD = "Bara styrelsen kan ändra det här fältet";
