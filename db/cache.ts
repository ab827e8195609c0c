import type Database from "better-sqlite3";
import { sqliteOf, type Db } from "./client";

/*
 * Results computed from the database and kept in this process, keyed by the change counters of the tables they
 * are computed from (db/schema.ts changeCounters, docs/architecture.md#caches). The counters are bumped by
 * triggers in the same transaction as every change of those tables, whoever makes it, and they are read in the
 * same read transaction as the result is computed from: a cached result is served only while every counter it
 * was computed at is still current, so it can never be stale. Each connection (database file) has its own
 * entries; a cache holds at most `size` results and drops the oldest first.
 */

const COUNTERS_SQL = `SELECT topic, counter FROM change_counters WHERE topic IN (SELECT value FROM json_each(?))`;
const statements = new WeakMap<Database.Database, Database.Statement>();

/** The counters of these topics now, as one key ("3.0.12"; a topic never changed counts 0). */
export function countersOf(tx: Db, topics: readonly string[]): string {
  const client = sqliteOf(tx);
  let select = statements.get(client);
  if (!select) statements.set(client, (select = client.prepare(COUNTERS_SQL)));
  const rows = select.all(JSON.stringify(topics)) as Array<{ topic: string; counter: number }>;
  const byTopic = new Map(rows.map((r) => [r.topic, r.counter]));
  return topics.map((t) => byTopic.get(t) ?? 0).join(".");
}

export class CountedCache<V> {
  private readonly entries = new WeakMap<Database.Database, Map<string, { counters: string; value: V }>>();
  constructor(private readonly size = 64) {}

  /**
   * The result for `key`, computed by `compute` unless it was computed at the current counters of `topics`. Call
   * it inside one read transaction with `compute`'s reads (db/client.ts transaction(…, "deferred")). The value is
   * shared by every caller that gets it from the cache: treat it as read-only.
   */
  get(tx: Db, key: string, topics: readonly string[], compute: () => V): V {
    const client = sqliteOf(tx);
    let entries = this.entries.get(client);
    if (!entries) this.entries.set(client, (entries = new Map()));
    const counters = countersOf(tx, topics);
    const hit = entries.get(key);
    if (hit && hit.counters === counters) {
      // Most recently used last, so that the oldest entry is the first one dropped.
      entries.delete(key);
      entries.set(key, hit);
      return hit.value;
    }
    const value = compute();
    entries.delete(key);
    entries.set(key, { counters, value });
    if (entries.size > this.size) entries.delete(entries.keys().next().value!);
    return value;
  }
}
