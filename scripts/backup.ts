/*
 * `npm run backup -- FILE [--force]`: a consistent copy of the database at DATABASE_PATH (default
 * ./data/sambruk.db), taken with SQLite's online backup API while the server keeps running and writing. The
 * copy is one self-contained file (rollback-journal mode, no -wal beside it) that `npm run restore` puts back.
 *
 * The copy is written to a temporary file in FILE's folder and renamed into place only when it is complete and
 * passes `PRAGMA integrity_check`, so FILE is never a half-written backup. An existing FILE is kept unless
 * --force is given.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import {
  DEFAULT_DATABASE_PATH,
  finishCopy,
  formatBytes,
  parseFileArgs,
  printCounts,
  removeQuietly,
  sidecarFiles,
} from "./sqlite-files";

const usage = `Usage:
  npm run backup -- FILE [--force]

Copies the database at DATABASE_PATH (default ${DEFAULT_DATABASE_PATH}) to FILE while the server runs.
  --force   overwrite FILE if it exists`;

async function backupDatabase(source: string, target: string): Promise<void> {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.partial`);
  removeQuietly(temp);
  const db = new Database(source, { fileMustExist: true });
  try {
    // The server may hold the write lock for a moment; wait rather than fail.
    db.pragma("busy_timeout = 10000");
    // SQLite restarts a backup from the beginning whenever another connection writes between two steps. Copying
    // every page in one step (one read transaction, which in WAL mode does not block the server's writers)
    // makes the copy a snapshot of one moment and lets it finish under any write load.
    await db.backup(temp, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } catch (error) {
    removeQuietly(temp);
    sidecarFiles(temp).forEach(removeQuietly);
    throw error;
  } finally {
    db.close();
  }

  finishCopy(temp, target);
}

async function main(argv: string[]): Promise<number> {
  const args = parseFileArgs(argv, usage);
  if (typeof args === "number") return args;
  const source = path.resolve(process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH);
  const target = path.resolve(args.file);
  if (!fs.existsSync(source)) {
    console.error(`There is no database at ${source} (set DATABASE_PATH).`);
    return 2;
  }
  if (target === source || sidecarFiles(source).includes(target)) {
    console.error("The backup must go to another file than the database itself.");
    return 2;
  }
  if (fs.existsSync(target) && !args.force) {
    console.error(`${target} already exists: choose another name, or pass --force to overwrite it.`);
    return 2;
  }

  const started = Date.now();
  await backupDatabase(source, target);
  const db = new Database(target, { readonly: true, fileMustExist: true });
  try {
    console.log(
      `Backed up ${source} to ${target} in ${Date.now() - started} ms: ${formatBytes(fs.statSync(target).size)}, integrity ok.`,
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
    console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
