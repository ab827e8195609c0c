import { and, asc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { preparedOnce } from "./prepared";
import { apiTokens, loginFailures, members, sessions, users, type Role } from "./schema";

export type UserRow = typeof users.$inferSelect;

const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  memberId: users.memberId,
  active: users.active,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};
export type PublicUser = Omit<UserRow, "passwordHash">;

export function findUserByEmail(tx: Db, email: string): UserRow | undefined {
  return tx.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
}

export function getUser(tx: Db, id: number): PublicUser | undefined {
  return tx.select(publicUserColumns).from(users).where(eq(users.id, id)).get();
}

/** Users, optionally only those of one member (what a member user may see of accounts). */
export function listUsers(tx: Db, filter: { memberId?: number } = {}) {
  return tx
    .select({ ...publicUserColumns, memberName: members.name })
    .from(users)
    .leftJoin(members, eq(users.memberId, members.id))
    .where(filter.memberId === undefined ? undefined : eq(users.memberId, filter.memberId))
    .orderBy(asc(users.email))
    .all();
}

export function insertUser(
  tx: Db,
  values: { email: string; name: string; passwordHash: string; role: Role; memberId: number | null },
): PublicUser {
  return tx
    .insert(users)
    .values({ ...values, email: values.email.trim().toLowerCase() })
    .returning(publicUserColumns)
    .get();
}

export function updateUser(
  tx: Db,
  id: number,
  patch: Partial<{ name: string; role: Role; memberId: number | null; active: boolean; passwordHash: string }>,
): PublicUser | undefined {
  return tx
    .update(users)
    .set({ ...patch, updatedAt: new Date().toISOString() })
    .where(eq(users.id, id))
    .returning(publicUserColumns)
    .get();
}

export function countActiveAdmins(tx: Db): number {
  return tx
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.active, true)))
    .get()!.n;
}

// Sessions -----------------------------------------------------------------------------------------------

export function insertSession(tx: Db, values: { idHash: string; userId: number; expiresAt: string }): void {
  tx.insert(sessions)
    .values({ ...values, createdAt: new Date().toISOString() })
    .run();
}

/** The active user behind a session id hash, or undefined when the session is unknown, expired or the user deactivated. */
/**
 * The user of a live session. Every page request asks, so the query is prepared once per connection
 * (db/prepared.ts): built anew, drizzle spent twenty times SQLite's time on it, some 0,8 ms of every page.
 */
export function userForSession(tx: Db, idHash: string, now: string): PublicUser | undefined {
  const query = preparedOnce(tx, "userForSession", () =>
    tx
      .select(publicUserColumns)
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .where(
        and(
          eq(sessions.idHash, sql.placeholder("idHash")),
          gt(sessions.expiresAt, sql.placeholder("now")),
          eq(users.active, true),
        ),
      )
      .prepare(),
  );
  return query.get({ idHash, now });
}

export function deleteSession(tx: Db, idHash: string): void {
  tx.delete(sessions).where(eq(sessions.idHash, idHash)).run();
}

export function deleteSessionsOfUser(tx: Db, userId: number): void {
  tx.delete(sessions).where(eq(sessions.userId, userId)).run();
}

export function pruneExpiredSessions(tx: Db, now: string): void {
  tx.delete(sessions).where(lt(sessions.expiresAt, now)).run();
}

// API tokens ---------------------------------------------------------------------------------------------

export function insertApiToken(tx: Db, values: { userId: number; tokenHash: string; expiresAt: string }) {
  return tx
    .insert(apiTokens)
    .values({ ...values, createdAt: new Date().toISOString() })
    .returning({ id: apiTokens.id })
    .get();
}

/** The user of a live API token; prepared once per connection, as userForSession (every API request asks). */
export function userForToken(tx: Db, tokenHash: string, now: string): PublicUser | undefined {
  const query = preparedOnce(tx, "userForToken", () =>
    tx
      .select(publicUserColumns)
      .from(apiTokens)
      .innerJoin(users, eq(apiTokens.userId, users.id))
      .where(
        and(
          eq(apiTokens.tokenHash, sql.placeholder("tokenHash")),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, sql.placeholder("now")),
          eq(users.active, true),
        ),
      )
      .prepare(),
  );
  return query.get({ tokenHash, now });
}

export function revokeTokensOfUser(tx: Db, userId: number): void {
  tx.update(apiTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .run();
}

export function revokeToken(tx: Db, tokenHash: string): void {
  tx.update(apiTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .run();
}

// Login failures (rate limiting) ----------------------------------------------------------------------------

/** Written before the password is checked: a running attempt counts as a failure until it succeeds. */
export function recordLoginFailure(tx: Db, email: string, client: string, at: string): number {
  return tx.insert(loginFailures).values({ email, client, at }).returning({ id: loginFailures.id }).get().id;
}

/** A failure is dated when its check ended, so that the delay after it does not run out while scrypt works. */
export function dateLoginFailure(tx: Db, id: number, at: string): void {
  tx.update(loginFailures).set({ at }).where(eq(loginFailures.id, id)).run();
}

/** The attempts of the window by account, by address and by the pair: how many, and when the latest was. */
export function loginAttemptStats(tx: Db, email: string, client: string, since: string) {
  const stats = (condition: ReturnType<typeof eq>) => {
    const row = tx
      .select({ n: sql<number>`count(*)`, last: sql<string | null>`max(${loginFailures.at})` })
      .from(loginFailures)
      .where(and(condition, gt(loginFailures.at, since)))
      .get()!;
    return { count: row.n, lastAt: row.last === null ? null : Date.parse(row.last) };
  };
  return {
    pair: stats(and(eq(loginFailures.email, email), eq(loginFailures.client, client))!),
    account: stats(eq(loginFailures.email, email)),
    client: stats(eq(loginFailures.client, client)),
  };
}

/** A successful login forgets the failures of the same account from the same address. */
export function clearLoginFailuresOf(tx: Db, email: string, client: string): void {
  tx.delete(loginFailures)
    .where(and(eq(loginFailures.email, email), eq(loginFailures.client, client)))
    .run();
}

export function pruneLoginFailures(tx: Db, before: string): void {
  tx.delete(loginFailures).where(lt(loginFailures.at, before)).run();
}
