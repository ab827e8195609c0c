import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateOrgNumber } from "../../billing/identifiers";
import { FOUR_MUNICIPALITIES, PASSWORD } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";
import { apiToken, apiClient, startServer } from "../support/server";

/*
 * `npm run backup` and `npm run restore` against the real server: a backup taken while the API writes is one
 * consistent moment of the database (every change and its audit row together), restores into a database the
 * server serves, and a backup taken at rest equals the live database row by row. Both scripts refuse what could
 * lose data: overwriting without --force, restoring something that is not a sound database of this application.
 */
const ROOT = path.resolve(__dirname, "../..");
let ctx: Served;
let dir: string;

beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
  dir = fs.mkdtempSync(path.join(ctx.server.dir, "backups-"));
});
afterAll(async () => {
  await stopServed(ctx);
});

interface Run {
  code: number | null;
  output: string;
  startedAt: number;
  endedAt: number;
}

/**
 * Runs a script as `npm run backup|restore` does (`npx tsx`), or, where only its answer matters, straight under
 * node with tsx's loader, which starts faster.
 */
function runScript(
  script: "backup" | "restore",
  args: string[],
  databasePath: string,
  via: "npx" | "node" = "node",
): Promise<Run> {
  const startedAt = Date.now();
  const [command, prefix] = via === "npx" ? ["npx", ["tsx"]] : [process.execPath, ["--import", "tsx"]];
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, [...(prefix as string[]), `scripts/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output, startedAt, endedAt: Date.now() }));
  });
}

/** Every table with its rows in a stable order, read from one read transaction. */
function dump(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .pluck()
        .all() as string[];
      return Object.fromEntries(
        tables.map((t) => [
          t,
          (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort(),
        ]),
      );
    })();
  } finally {
    db.close();
  }
}

const counts = (d: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(d).map(([t, rows]) => [t, rows.length]));

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma("integrity_check", { simple: true }));
  } finally {
    db.close();
  }
}

/** Writes through the API from four clients until stop() is called: population figures and new members. */
function writeLoad() {
  let stopped = false;
  let next = 0;
  const done: number[] = [];
  const failures: string[] = [];
  const memberIds = Object.values(ctx.members);
  const worker = async () => {
    while (!stopped) {
      const n = next++;
      const res =
        n % 2 === 0
          ? await ctx.api.admin.put(`/members/${memberIds[n % memberIds.length]}/populations/${2000 + (n % 100)}`, {
              population: 1000 + n,
            })
          : await ctx.api.admin.post("/members", {
              kind: "organisation",
              name: `Lastförening ${n}`,
              orgNumber: generateOrgNumber(`55${String(n).padStart(7, "0")}`),
              joinedOn: "2024-01-01",
            });
      if (res.status === 200 || res.status === 201) done.push(Date.now());
      else failures.push(`${res.status} ${res.text.slice(0, 200)}`);
    }
  };
  const workers = Promise.all([worker(), worker(), worker(), worker()]);
  return {
    done,
    failures,
    stop: async () => {
      stopped = true;
      await workers;
    },
  };
}

describe("a backup taken while the server writes", () => {
  let b1: string;
  let live: Record<string, string[]>;
  let run: Run;
  let load: ReturnType<typeof writeLoad>;

  beforeAll(async () => {
    b1 = path.join(dir, "under-load.db");
    load = writeLoad();
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 400));
    run = await runScript("backup", [b1], ctx.server.dbPath, "npx");
    // Keep writing for a while after the backup, and at least ~3 s in all.
    await new Promise((r) => setTimeout(r, Math.max(1000, 3000 - (Date.now() - started))));
    await load.stop();
    live = dump(ctx.server.dbPath);
  }, 60_000);

  test("succeeds, prints the size and the row counts, and the writes went on around it", () => {
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/Backed up .* \d+(\.\d)? (B|KiB|MiB), integrity ok/);
    expect(run.output).toMatch(/^\s+members\s+\d+$/m);
    expect(run.output).toMatch(/^\s+audit_log\s+\d+$/m);
    expect(load.failures).toEqual([]);
    expect(load.done.filter((t) => t < run.startedAt).length).toBeGreaterThan(0);
    expect(load.done.filter((t) => t > run.endedAt).length).toBeGreaterThan(0);
    // One self-contained file: no -wal or half-written temporary file left beside it.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("under-load") || f.startsWith(".under-load"))).toEqual([
      "under-load.db",
    ]);
  });

  test("is one moment of the database: sound, and every change is there with its audit row or not at all", () => {
    expect(integrity(b1)).toBe("ok");
    const db = new Database(b1, { readonly: true });
    try {
      expect(db.pragma("foreign_key_check")).toEqual([]);
      const memberIds = db.prepare("SELECT id FROM members ORDER BY id").pluck().all() as number[];
      const created = db
        .prepare("SELECT CAST(entity_id AS INTEGER) FROM audit_log WHERE action = 'member.create' ORDER BY 1")
        .pluck()
        .all() as number[];
      expect(created).toEqual(memberIds);
      // The newest audit row of every population figure holds the figure that is stored.
      const rows = db.prepare("SELECT member_id AS m, year AS y, population AS p FROM populations").all() as Array<{
        m: number;
        y: number;
        p: number;
      }>;
      const latest = db
        .prepare("SELECT after FROM audit_log WHERE entity = 'population' AND entity_id = ? ORDER BY id DESC LIMIT 1")
        .pluck();
      for (const { m, y, p } of rows) {
        const after = JSON.parse(latest.get(`${m}:${y}`) as string) as { population: number };
        expect(after.population, `population ${m}:${y}`).toBe(p);
      }
    } finally {
      db.close();
    }
  });

  test("holds less than the live database now does, but not nothing", () => {
    const backup = counts(dump(b1));
    const now = counts(live);
    expect(Object.keys(backup)).toEqual(Object.keys(now));
    for (const table of Object.keys(now)) expect(backup[table], table).toBeLessThanOrEqual(now[table]);
    for (const table of ["members", "populations", "users", "audit_log", "fee_schedules"])
      expect(backup[table], table).toBeGreaterThan(0);
    // The load went on after the backup, and every write is audited.
    expect(backup.audit_log).toBeLessThan(now.audit_log);
  });

  test("restores to a new path as an identical copy, row by row", async () => {
    const restored = path.join(dir, "restored", "sambruk.db");
    const res = await runScript("restore", [b1], restored, "npx");
    expect(res.code, res.output).toBe(0);
    expect(res.output).toMatch(/Restored .* integrity ok/);
    expect(integrity(restored)).toBe("ok");
    expect(dump(restored)).toEqual(dump(b1));
  }, 30_000);
});

describe("a backup at rest", () => {
  test("equals the live database in every table, row by row", async () => {
    const b2 = path.join(dir, "at-rest.db");
    const run = await runScript("backup", [b2], ctx.server.dbPath);
    expect(run.code, run.output).toBe(0);
    expect(dump(b2)).toEqual(dump(ctx.server.dbPath));
  }, 30_000);

  test("restored, it is a database the server serves: the same members, the same logins", async () => {
    const b3 = path.join(dir, "to-serve.db");
    expect((await runScript("backup", [b3], ctx.server.dbPath)).code).toBe(0);
    const target = path.join(dir, "served", "sambruk.db");
    const res = await runScript("restore", [b3], target);
    expect(res.code, res.output).toBe(0);
    const expected = (await ctx.api.admin.get("/members")).json.members.map((m: { id: number; name: string }) => [
      m.id,
      m.name,
    ]);
    const server = await startServer({ dbPath: target });
    try {
      const api = apiClient(server.url, await apiToken(server.url, "admin@test.se", PASSWORD));
      const members = (await api.get("/members")).json.members.map((m: { id: number; name: string }) => [m.id, m.name]);
      expect(members).toEqual(expected);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

describe("what the scripts refuse", () => {
  const contents = (file: string) => fs.readFileSync(file).toString("base64");

  test("a backup does not overwrite an existing file unless --force", async () => {
    const file = path.join(dir, "exists.db");
    fs.writeFileSync(file, "keep me");
    const refused = await runScript("backup", [file], ctx.server.dbPath);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain("already exists");
    expect(fs.readFileSync(file, "utf8")).toBe("keep me");
    const forced = await runScript("backup", [file, "--force"], ctx.server.dbPath);
    expect(forced.code, forced.output).toBe(0);
    expect(integrity(file)).toBe("ok");
  }, 30_000);

  test("a backup of a database that does not exist, or without a file name, fails with a message", async () => {
    const missing = await runScript("backup", [path.join(dir, "x.db")], path.join(dir, "nothing-here.db"));
    expect(missing.code).toBe(2);
    expect(missing.output).toContain("There is no database");
    expect(fs.existsSync(path.join(dir, "nothing-here.db"))).toBe(false);
    const usage = await runScript("backup", [], ctx.server.dbPath);
    expect(usage.code).toBe(2);
    expect(usage.output).toContain("Usage");
  }, 30_000);

  test("a restore does not replace an existing database unless --force, and then removes its stale -wal and -shm", async () => {
    const backup = path.join(dir, "for-replace.db");
    expect((await runScript("backup", [backup], ctx.server.dbPath)).code).toBe(0);
    const target = path.join(dir, "replace", "sambruk.db");
    fs.mkdirSync(path.dirname(target));
    fs.writeFileSync(target, "the old database");
    fs.writeFileSync(`${target}-wal`, "a stale write-ahead log");
    fs.writeFileSync(`${target}-shm`, "stale shared memory");
    const refused = await runScript("restore", [backup], target);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain("Stop the server");
    expect(fs.readFileSync(target, "utf8")).toBe("the old database");
    const forced = await runScript("restore", [backup, "--force"], target);
    expect(forced.code, forced.output).toBe(0);
    expect(fs.readdirSync(path.dirname(target))).toEqual(["sambruk.db"]);
    expect(dump(target)).toEqual(dump(backup));
  }, 30_000);

  test("a restore refuses a file that is not a sound database of this application, and leaves the target alone", async () => {
    const good = path.join(dir, "good.db");
    expect((await runScript("backup", [good], ctx.server.dbPath)).code).toBe(0);
    const target = path.join(dir, "guarded", "sambruk.db");
    fs.mkdirSync(path.dirname(target));
    fs.copyFileSync(good, target);
    const before = contents(target);

    const text = path.join(dir, "notes.txt");
    fs.writeFileSync(text, "not a database at all\n".repeat(100));
    const foreign = path.join(dir, "foreign.db");
    const other = new Database(foreign);
    other.exec("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO things (name) VALUES ('x');");
    other.close();
    // A copy of a good backup with the start of every page after the first overwritten.
    const damaged = path.join(dir, "damaged.db");
    const bytes = fs.readFileSync(good);
    const pageSize = bytes.readUInt16BE(16);
    for (let offset = pageSize; offset < bytes.length; offset += pageSize) bytes.fill(0xa5, offset, offset + 64);
    fs.writeFileSync(damaged, bytes);

    for (const [file, reason] of [
      [text, "not a SQLite database"],
      [foreign, "no __drizzle_migrations table"],
      [damaged, "cannot be restored"],
    ] as const) {
      const res = await runScript("restore", [file, "--force"], target);
      expect(res.code, `${file}: ${res.output}`).toBe(3);
      expect(res.output).toContain(reason);
      expect(contents(target), file).toBe(before);
      expect(fs.readdirSync(path.dirname(target))).toEqual(["sambruk.db"]);
    }
  }, 60_000);
});
