import { can } from "../billing/policy";
import type { Role } from "./schema";

/**
 * Who is asking. Every data-access function that can return private data (invoices, payments, users, a
 * member's invoice details) takes the caller's scope and filters by it, so a member user can never read
 * another member's private data even if a route forgets to check.
 */
export interface Scope {
  userId: number | null; // null for the command line and the demo seed
  email: string;
  role: Role;
  memberId: number | null;
}

export const SYSTEM_SCOPE: Scope = { userId: null, email: "system", role: "admin", memberId: null };

/** `member.read.private` of the policy (billing/policy.ts): staff every member's, a contact person its own. */
export function canSeeMemberPrivate(scope: Scope, memberId: number): boolean {
  return can(scope, "member.read.private", { memberId });
}

export function actorLabel(scope: Scope): string {
  return scope.userId === null ? scope.email : `${scope.email} (${scope.role})`;
}
