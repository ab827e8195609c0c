/*
 * What `npm run backup` and `npm run restore` share: row counts for the summary they print, and making a
 * finished file durable (fsync of the file and of its folder, so that a rename survives a power cut), and
 * their command line.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import path from "node:path";
import Database from "better-sqlite3";

export const DEFAULT_DATABASE_PATH = "./data/sambruk.db";

/** Row counts of every table of the database (SQLite's own tables left out), by name. */
export function tableCounts(db: Database.Database): Array<{ table: string; rows: number }> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return tables.map((table) => ({
    table,
    rows: db
      .prepare(`SELECT count(*) FROM "${table.replace(/"/g, '""')}"`)
      .pluck()
      .get() as number,
  }));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function printCounts(db: Database.Database): void {
  const counts = tableCounts(db);
  const width = Math.max(...counts.map((c) => c.table.length), 5);
  for (const { table, rows } of counts) console.log(`  ${table.padEnd(width)} ${String(rows).padStart(8)}`);
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or unlink in `dir` durable. Some platforms cannot open a folder for fsync: best effort there. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    /* not supported here (e.g. Windows) */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The files SQLite keeps next to a database: a stale one left beside a replaced database would corrupt it. */
export function sidecarFiles(dbFile: string): string[] {
  return [`${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`];
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

/** `FILE [--force]` for the backup and restore commands: the parsed arguments, or the exit code to stop with. */
export function parseFileArgs(argv: string[], usage: string): { file: string; force: boolean } | number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { force: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error(usage);
    return 2;
  }
  if (args.values.help) {
    console.log(usage);
    return 0;
  }
  if (args.positionals.length !== 1) {
    console.error(usage);
    return 2;
  }
  return { file: args.positionals[0], force: args.values.force ?? false };
}

/**
 * Puts a fresh copy (made with the backup API at `temp`) in place as `target`: one file to keep (out of WAL mode;
 * the server switches back when it opens it), checked with PRAGMA integrity_check, flushed to disk, the target's
 * stale -wal/-shm removed, renamed into place and the folder flushed, so that the rename survives a power cut.
 */
export function finishCopy(temp: string, target: string): void {
  const copy = new Database(temp, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`the copy failed its integrity check: ${String(check)}`);
  } catch (error) {
    copy.close();
    removeQuietly(temp);
    throw error;
  }
  copy.close();
  fsyncFile(temp);
  sidecarFiles(target).forEach(removeQuietly);
  fs.renameSync(temp, target);
  fsyncDir(path.dirname(target));
}
