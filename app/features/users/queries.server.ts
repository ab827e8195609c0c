import { db } from "../../../db/client";
import type { Scope } from "../../../db/scope";
import * as usersDb from "../../../db/users";

export function listUsers(scope: Scope) {
  return usersDb.listUsers(db(), scope.role === "member" ? { memberId: scope.memberId! } : {});
}

/** One user account (without its password hash), or undefined. */
export function getUserAccount(id: number): usersDb.PublicUser | undefined {
  return usersDb.getUser(db(), id);
}
