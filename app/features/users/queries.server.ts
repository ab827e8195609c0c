import { db } from "../../../db/client";
import type { Scope } from "../../../db/scope";
import * as usersDb from "../../../db/users";
import { authorize, can } from "../../../billing/policy";

/** Every user account for the board; a member's contact person the accounts of its own member (`user.read`). */
export function listUsers(scope: Scope) {
  if (can(scope, "user.manage")) return usersDb.listUsers(db(), {});
  authorize(scope, "user.read");
  return usersDb.listUsers(db(), { memberId: scope.memberId! });
}

/** One user account (without its password hash), or undefined. */
export function getUserAccount(scope: Scope, id: number): usersDb.PublicUser | undefined {
  authorize(scope, "user.manage");
  return usersDb.getUser(db(), id);
}
