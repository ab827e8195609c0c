import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { preparedOnce } from "./prepared";
import { auditLog } from "./schema";
import { actorLabel, type Scope } from "./scope";

export interface AuditEntry {
  action: string; // e.g. "member.create", "population.set", "user.update"
  entity: string; // e.g. "member", "population", "user"
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

const AUDIT_COLUMNS = [
  "at",
  "actorUserId",
  "actor",
  "action",
  "entity",
  "entityId",
  "before",
  "after",
] as const satisfies ReadonlyArray<keyof typeof auditLog.$inferInsert>;

/** Writes one audit row inside the caller's transaction, so a change and its record stand or fall together. */
export function writeAudit(tx: Db, scope: Scope, entry: AuditEntry): void {
  // Prepared once per connection: issuing a run writes one row per invoice (db/prepared.ts).
  const insert = preparedOnce(tx, "writeAudit", () =>
    tx
      .insert(auditLog)
      .values(
        Object.fromEntries(
          AUDIT_COLUMNS.map((k) => [k, sql.placeholder(k)]),
        ) as unknown as typeof auditLog.$inferInsert,
      )
      .prepare(),
  );
  const row: Record<(typeof AUDIT_COLUMNS)[number], string | number | null> = {
    at: new Date().toISOString(),
    actorUserId: scope.userId,
    actor: actorLabel(scope),
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === null ? null : String(entry.entityId),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  };
  insert.run(row);
}

export function listAudit(
  tx: Db,
  filter: { entity?: string; entityId?: string; q?: string; actions?: string[]; limit?: number; offset?: number },
) {
  const conditions = [];
  if (filter.entity) conditions.push(eq(auditLog.entity, filter.entity));
  if (filter.entityId) conditions.push(eq(auditLog.entityId, filter.entityId));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        sql`${auditLog.actor} LIKE ${pattern} ESCAPE '\\'`,
        sql`${auditLog.action} LIKE ${pattern} ESCAPE '\\'`,
        sql`${auditLog.before} LIKE ${pattern} ESCAPE '\\'`,
        sql`${auditLog.after} LIKE ${pattern} ESCAPE '\\'`,
        // Action codes whose Swedish words match the search (the caller translates).
        ...(filter.actions?.length ? [inArray(auditLog.action, filter.actions)] : []),
      ),
    );
  }
  return tx
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .all();
}
