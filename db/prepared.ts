import type Database from "better-sqlite3";
import { sqliteOf, type Db } from "./client";

/*
 * Queries prepared once per connection, for the paths that run thousands of times in one use case (a billing run:
 * up to 10 000 invoices and a million lines; an issue: an audit row and an update per invoice). drizzle builds the
 * SQL of a query anew at every call and better-sqlite3 then compiles it: for one row nothing, for a run most of its
 * time. The queries are drizzle queries with placeholders (drizzle still maps every value by the schema's columns)
 * or, for the hottest insert, a better-sqlite3 statement.
 */

const prepared = new WeakMap<Database.Database, Map<string, unknown>>();

/** The query made by `prepare` the first time `key` is asked for on this connection. */
export function preparedOnce<T>(tx: Db, key: string, prepare: () => T): T {
  const client = sqliteOf(tx);
  let cache = prepared.get(client);
  if (!cache) prepared.set(client, (cache = new Map()));
  let query = cache.get(key) as T | undefined;
  if (query === undefined) cache.set(key, (query = prepare()));
  return query;
}
