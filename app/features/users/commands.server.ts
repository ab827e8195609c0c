import { transaction } from "../../../db/client";
import { writeAudit } from "../../../db/audit";
import * as membersDb from "../../../db/members";
import type { Role } from "../../../db/schema";
import type { Scope } from "../../../db/scope";
import * as usersDb from "../../../db/users";
import { DomainError } from "../../../billing/errors";
import { hashPassword } from "../../lib/password.server";
import type { UserCreateInput } from "../../lib/schemas";
import { authorize } from "../../../billing/policy";

/** The use cases that change user accounts (docs/roles.md, docs/security.md): one transaction each, each audited. */

export async function createUser(scope: Scope, input: UserCreateInput): Promise<usersDb.PublicUser> {
  authorize(scope, "user.manage");
  const passwordHash = await hashPassword(input.password);
  return transaction((tx) => {
    let memberId: number | null = null;
    if (input.role === "member") {
      if (input.memberId !== undefined) {
        if (!membersDb.getMemberRow(tx, input.memberId)) {
          throw new DomainError("validation", "validation_failed", "Medlemmen finns inte", {
            memberId: "Medlemmen finns inte",
          });
        }
        memberId = input.memberId;
      } else {
        const member = membersDb.findMemberByCode(tx, input.memberCode!);
        if (!member) {
          throw new DomainError("validation", "validation_failed", "Ingen medlem har den kommunkoden", {
            memberCode: `Ingen medlem har kommunkoden ${input.memberCode}`,
          });
        }
        memberId = member.id;
      }
    }
    if (usersDb.findUserByEmail(tx, input.email)) {
      throw new DomainError("conflict", "duplicate", "E-postadressen används redan", {
        email: "E-postadressen används redan",
      });
    }
    const user = usersDb.insertUser(tx, {
      email: input.email,
      name: input.name,
      passwordHash,
      role: input.role,
      memberId,
    });
    writeAudit(tx, scope, { action: "user.create", entity: "user", entityId: user.id, after: user });
    return user;
  });
}

/**
 * Changes role, member or active flag. Deactivating ends the user's sessions and revokes its API tokens in
 * the same transaction, so the lock-out is immediate. The last active admin cannot be demoted or deactivated.
 */
export function updateUser(
  scope: Scope,
  id: number,
  patch: { role?: Role; memberId?: number | null; active?: boolean; name?: string },
): usersDb.PublicUser {
  authorize(scope, "user.manage");
  return transaction((tx) => {
    const before = usersDb.getUser(tx, id);
    if (!before) throw new DomainError("not_found", "not_found", "Användaren finns inte");
    const role = patch.role ?? before.role;
    const memberId = role === "member" ? (patch.memberId ?? before.memberId) : null;
    const active = patch.active ?? before.active;
    if (role === "member" && memberId === null) {
      throw new DomainError("validation", "validation_failed", "En medlemsanvändare måste höra till en medlem", {
        memberId: "Välj vilken medlem användaren hör till",
      });
    }
    if (memberId !== null && !membersDb.getMemberRow(tx, memberId)) {
      throw new DomainError("validation", "validation_failed", "Medlemmen finns inte", {
        memberId: "Medlemmen finns inte",
      });
    }
    if (
      before.role === "admin" &&
      before.active &&
      (role !== "admin" || !active) &&
      usersDb.countActiveAdmins(tx) <= 1
    ) {
      throw new DomainError("conflict", "last_admin", "Föreningen måste ha minst en aktiv administratör", {
        role: "Den sista aktiva administratören kan inte tas bort",
      });
    }
    const after = usersDb.updateUser(tx, id, { role, memberId, active, ...(patch.name ? { name: patch.name } : {}) })!;
    if (!active || role !== before.role || memberId !== before.memberId) {
      // Authority changed: end the sessions and tokens that were granted under the old one.
      usersDb.deleteSessionsOfUser(tx, id);
      usersDb.revokeTokensOfUser(tx, id);
    }
    writeAudit(tx, scope, { action: "user.update", entity: "user", entityId: id, before, after });
    return after;
  });
}

export async function setPassword(scope: Scope, id: number, password: string) {
  authorize(scope, "user.manage");
  const passwordHash = await hashPassword(password);
  transaction((tx) => {
    if (!usersDb.getUser(tx, id)) throw new DomainError("not_found", "not_found", "Användaren finns inte");
    usersDb.updateUser(tx, id, { passwordHash });
    usersDb.deleteSessionsOfUser(tx, id);
    usersDb.revokeTokensOfUser(tx, id);
    writeAudit(tx, scope, { action: "user.password", entity: "user", entityId: id });
  });
}
