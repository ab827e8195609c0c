import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { DEFAULT_FEE_SCHEDULE } from "../billing/fees";
import { insertSchedule, listSchedules } from "./fees";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;
export interface Connection {
  path: string;
  sqlite: Database.Database;
  db: Db;
}

/**
 * The committed migrations live in db/migrations. The server bundle (build/index.js) and the sources
 * (db/client.ts under vitest or tsx) sit at different depths, so look upwards for the folder.
 */
export function migrationsFolder(): string {
  if (process.env.MIGRATIONS_DIR) return process.env.MIGRATIONS_DIR;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [path.join(dir, "migrations"), path.join(dir, "db", "migrations")]) {
      if (fs.existsSync(path.join(candidate, "meta", "_journal.json"))) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error("db/migrations not found: set MIGRATIONS_DIR");
}

/** Opens (creating if needed) the SQLite file, sets the pragmas the app relies on, and applies migrations. */
export function openDatabase(file: string): Connection {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: migrationsFolder() });
  db.transaction((tx) => ensureBaseData(tx as unknown as Db), { behavior: "immediate" });
  return { path: file, sqlite, db };
}

/** What every association starts with: the default fee schedule of docs/fees.md#fee-schedules. Idempotent. */
function ensureBaseData(tx: Db): void {
  if (listSchedules(tx).length === 0) {
    insertSchedule(tx, {
      ...DEFAULT_FEE_SCHEDULE,
      brackets: [...DEFAULT_FEE_SCHEDULE.brackets],
      note: "Standardmodellen",
    });
  }
}

let current: Connection | null = null;

/** The one connection of this process, opened on first use at DATABASE_PATH. */
export function connection(): Connection {
  if (!current) {
    current = openDatabase(process.env.DATABASE_PATH ?? "./data/sambruk.db");
  }
  return current;
}

export function db(): Db {
  return connection().db;
}

/** The better-sqlite3 connection under a drizzle database or transaction (drizzle keeps it as session.client). */
export function sqliteOf(tx: Db): Database.Database {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (!(client instanceof Database)) throw new Error("db: not a better-sqlite3 drizzle database");
  return client;
}

export function closeDatabase(): void {
  current?.sqlite.close();
  current = null;
}

/**
 * Runs fn in one SQLite transaction. `immediate` takes the write lock at BEGIN, which is what every
 * read-then-write use case (numbering, billing runs) needs so that two processes cannot interleave.
 */
export function transaction<T>(fn: (tx: Db) => T, behavior: "deferred" | "immediate" = "immediate"): T {
  return db().transaction((tx) => fn(tx as unknown as Db), { behavior });
}
