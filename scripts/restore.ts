/*
 * `npm run restore -- FILE [--force]`: puts a backup (from `npm run backup`) back as the database at
 * DATABASE_PATH (default ./data/sambruk.db).
 *
 * STOP THE SERVER FIRST. A running server keeps the old database open and would go on writing to it (and to its
 * -wal file) underneath the restored one. This script cannot tell whether the server runs, so it asks for
 * --force before it replaces an existing database.
 *
 * FILE must be a SQLite database of this application (it has drizzle's `__drizzle_migrations` table, no more
 * migrations than this version knows) that passes `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
 * It is copied to a temporary file in the target's folder, flushed to disk and renamed over the target, so the
 * target is at every moment either the old database or the complete new one. The old database's -wal, -shm and
 * -journal files are removed first: SQLite would otherwise replay them into the restored file.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrationsFolder } from "../db/client";
import {
  DEFAULT_DATABASE_PATH,
  finishCopy,
  formatBytes,
  parseFileArgs,
  printCounts,
  removeQuietly,
} from "./sqlite-files";

const usage = `Usage:
  npm run restore -- FILE [--force]

Replaces the database at DATABASE_PATH (default ${DEFAULT_DATABASE_PATH}) with the backup FILE.
Stop the server first; start it again afterwards (it applies newer migrations on start).
  --force   replace an existing database`;

class Refusal extends Error {}

/** Why FILE cannot be restored, or null when it is a sound database of this application. */
function checkBackup(db: Database.Database): string | null {
  let hasMigrations: boolean;
  try {
    hasMigrations =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get() !==
      undefined;
  } catch (error) {
    return `it is not a SQLite database (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!hasMigrations) return "it is a SQLite database, but not one of Sambruk Admin (no __drizzle_migrations table)";
  const applied = db.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get() as number;
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  if (applied > journal.entries.length) {
    return `it comes from a newer version of the application (${applied} migrations, this version knows ${journal.entries.length})`;
  }
  let integrity: unknown;
  try {
    integrity = db.pragma("integrity_check", { simple: true });
  } catch (error) {
    return `it is damaged (${error instanceof Error ? error.message : String(error)})`;
  }
  if (integrity !== "ok") return `it fails the integrity check: ${String(integrity)}`;
  const dangling = db.pragma("foreign_key_check") as unknown[];
  if (dangling.length > 0) return `${dangling.length} rows refer to rows that do not exist (foreign_key_check)`;
  return null;
}

async function restoreDatabase(file: string, target: string): Promise<void> {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.restoring`);
  removeQuietly(temp);

  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problem = checkBackup(source);
    if (problem) throw new Refusal(`${file} cannot be restored: ${problem}.`);
    // The backup API rather than a file copy: it also takes whatever a -wal beside FILE still holds.
    await source.backup(temp, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } catch (error) {
    removeQuietly(temp);
    throw error;
  } finally {
    source.close();
  }

  finishCopy(temp, target);
}

async function main(argv: string[]): Promise<number> {
  const args = parseFileArgs(argv, usage);
  if (typeof args === "number") return args;
  const file = path.resolve(args.file);
  const target = path.resolve(process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    console.error(`There is no backup file ${file}.`);
    return 2;
  }
  if (file === target) {
    console.error("The backup is the database itself: nothing to restore.");
    return 2;
  }
  if (fs.existsSync(target) && !args.force) {
    console.error(
      `${target} exists. Stop the server, then run again with --force to replace it (make a backup of it first if you may want it back).`,
    );
    return 2;
  }

  try {
    await restoreDatabase(file, target);
  } catch (error) {
    if (error instanceof Refusal) {
      console.error(error.message);
      return 3;
    }
    throw error;
  }
  const db = new Database(target, { readonly: true, fileMustExist: true });
  try {
    console.log(
      `Restored ${file} to ${target}: ${formatBytes(fs.statSync(target).size)}, integrity ok. Start the server again.`,
    );
    printCounts(db);
  } finally {
    db.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
