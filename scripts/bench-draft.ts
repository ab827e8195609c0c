/*
 * One size of the drafting figure of scripts/bench.ts (docs/quality.md#speed), in a process of its own so that
 * its memory is its own: N members × P projects seeded (scripts/bench-seed.ts), then, on copies of that same
 * database file, in turn:
 *
 * - the product: createBillingRun, the use case the pages and the API call (annual fee + every project share),
 *   which allocates every project-year and drafts N invoices with N × (1 + P) lines;
 * - the floor: the same rows written bare, as fast as this machine writes them into these tables: one
 *   transaction, one prepared single-row INSERT per table, the values made by a plain loop (a run, N invoices,
 *   one basis snapshot per project, N × (1 + P) lines with the same columns, charge keys and texts as the
 *   product's), the same unique partial index, foreign keys and pragmas (db/client.ts). No allocation, no
 *   fee, no VAT: what is left of the product's time above it is its own work.
 *
 * The two alternate BENCH_DRAFT_ROUNDS times (default 1) on fresh copies; the parent prints the medians. The
 * product's peak memory is read before the first floor runs.
 *
 * Environment: BENCH_DRAFT_MEMBERS, BENCH_DRAFT_PROJECTS, BENCH_DRAFT_ROUNDS, BENCH_DRAFT_DIR.
 */
import fs from "node:fs";
import path from "node:path";
import { createBillingRun } from "../app/features/billing-runs/commands.server";
import { closeDatabase, connection, openDatabase } from "../db/client";
import { SYSTEM_SCOPE } from "../db/scope";
import { seedSynthetic } from "./bench-seed";

export interface DraftFigures {
  members: number;
  projects: number;
  lines: number;
  /** Wall time of each round, ms. */
  product: number[];
  productCpu: number[];
  floor: number[];
  floorCpu: number[];
  /** The floor again with 50-row INSERT statements (what the product uses). */
  floorBatched: number[];
  /** Peak resident memory of this process once the product has run (seeding included), bytes. */
  maxRss: number;
  seedMs: number;
}

const members = Number(process.env.BENCH_DRAFT_MEMBERS ?? 10_000);
const projects = Number(process.env.BENCH_DRAFT_PROJECTS ?? 100);
const rounds = Math.max(1, Number(process.env.BENCH_DRAFT_ROUNDS ?? 1));
const dir = process.env.BENCH_DRAFT_DIR ?? fs.mkdtempSync(path.join(process.cwd(), "bench-draft-"));
const YEAR = new Date().getFullYear();

function remove(file: string): void {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
}

function copyOf(seed: string, name: string): string {
  const file = path.join(dir, name);
  remove(file);
  fs.copyFileSync(seed, file);
  return file;
}

/** The product: the billing run as the pages and the API make it. */
function product(file: string): { wall: number; cpu: number } {
  closeDatabase();
  process.env.DATABASE_PATH = file;
  connection();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const run = createBillingRun(SYSTEM_SCOPE, { year: YEAR, charges: ["annual_fee", "project_share"] });
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const lines = connection().sqlite.prepare("SELECT count(*) FROM invoice_lines").pluck().get() as number;
  if (run.invoiceIds.length !== members || lines !== members * (1 + projects) || run.problems.length > 0) {
    throw new Error(`bench-draft: the run drafted ${run.invoiceIds.length} invoices and ${lines} lines`);
  }
  closeDatabase();
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const LINE_COLUMNS =
  "invoice_id, position, charge_kind, charge_key, holds_charge, project_id, year, description, quantity, unit_price_ore, vat_rate, amount_ore, vat_ore, allocation_snapshot_id, population, population_year, weight, fee_bracket, fee_override_note, adjustment";

/** The floor: the same rows, bare. `perStatement` lines per INSERT (1: one prepared single-row INSERT). */
function floor(file: string, perStatement: number): { wall: number; cpu: number } {
  const { sqlite } = openDatabase(file);
  try {
    const memberRows = sqlite.prepare("SELECT id FROM members ORDER BY name, id").pluck().all() as number[];
    const projectRows = sqlite.prepare("SELECT id, code, name FROM projects ORDER BY id").all() as Array<{
      id: number;
      code: string;
      name: string;
    }>;
    const row = `(${LINE_COLUMNS.split(",").map(() => "?")})`;
    const insertLines = sqlite.prepare(
      `INSERT INTO invoice_lines (${LINE_COLUMNS}) VALUES ${Array(perStatement).fill(row).join(", ")}`,
    );
    const insertLine = sqlite.prepare(`INSERT INTO invoice_lines (${LINE_COLUMNS}) VALUES ${row}`);
    const cpu = process.cpuUsage();
    const started = performance.now();
    sqlite
      .transaction(() => {
        const now = new Date().toISOString();
        const runId = Number(
          sqlite
            .prepare("INSERT INTO billing_runs (year, charge_kinds, problems, created_at) VALUES (?, ?, '[]', ?)")
            .run(YEAR, '["annual_fee","project_share"]', now).lastInsertRowid,
        );
        const insertSnapshot = sqlite.prepare(
          "INSERT INTO allocation_snapshots (project_id, year, basis, created_at) VALUES (?, ?, ?, ?)",
        );
        const snapshot = projectRows.map((p) =>
          Number(insertSnapshot.run(p.id, YEAR, `{"projectCode":"${p.code}","year":${YEAR}}`, now).lastInsertRowid),
        );
        const descriptions = projectRows.map((p) => `Projektandel ${p.code} ${p.name} ${YEAR}`);
        const insertInvoice = sqlite.prepare(
          "INSERT INTO invoices (run_id, member_id, year, kind, state, net_ore, vat_ore, total_ore, created_at) VALUES (?, ?, ?, 'invoice', 'draft', ?, ?, ?, ?)",
        );
        const values: unknown[] = [];
        let pending = 0;
        const added = () => {
          if (++pending < perStatement) return;
          if (perStatement === 1) insertLine.run(values);
          else insertLines.run(values);
          values.length = 0;
          pending = 0;
        };
        for (let m = 0; m < memberRows.length; m++) {
          const memberId = memberRows[m];
          const invoiceId = Number(insertInvoice.run(runId, memberId, YEAR, 1, 0, 1, now).lastInsertRowid);
          const population = 2_000 + m;
          values.push(invoiceId, 0, "annual_fee", `annual_fee:${memberId}:${YEAR}`, 1, null, YEAR);
          values.push(`Årsavgift ${YEAR}`, 1, 1_600_000, 0, 1_600_000, 0, null, population, YEAR - 1, null);
          values.push("small", null, null);
          added();
          for (let p = 0; p < projectRows.length; p++) {
            const amount = 100_000 + m + p;
            values.push(invoiceId, p + 1, "project_share", `project_share:${memberId}:${projectRows[p].id}:${YEAR}`);
            values.push(1, projectRows[p].id, YEAR, descriptions[p], 1, amount, 0, amount, 0, snapshot[p]);
            values.push(population, YEAR - 1, null, null, null, null);
            added();
          }
        }
        // The lines left over go one by one (a batched floor's last statement is short).
        const rest = values.splice(0);
        for (let i = 0; i < rest.length; i += 20) insertLine.run(rest.slice(i, i + 20));
      })
      .immediate();
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const lines = sqlite.prepare("SELECT count(*) FROM invoice_lines").pluck().get() as number;
    if (lines !== memberRows.length * (1 + projectRows.length)) throw new Error(`bench-draft: floor wrote ${lines}`);
    return { wall, cpu: (used.user + used.system) / 1000 };
  } finally {
    sqlite.close();
  }
}

function main(): DraftFigures {
  fs.mkdirSync(dir, { recursive: true });
  const seed = path.join(dir, `seed-${members}.db`);
  remove(seed);
  process.env.DATABASE_PATH = seed;
  const seedStarted = performance.now();
  seedSynthetic({ members, projects, year: YEAR });
  connection().sqlite.pragma("wal_checkpoint(TRUNCATE)");
  closeDatabase();
  const seedMs = performance.now() - seedStarted;
  const figures: DraftFigures = {
    members,
    projects,
    lines: members * (1 + projects),
    product: [],
    productCpu: [],
    floor: [],
    floorCpu: [],
    floorBatched: [],
    maxRss: 0,
    seedMs,
  };
  for (let r = 0; r < rounds; r++) {
    const file = copyOf(seed, "product.db");
    const p = product(file);
    figures.product.push(p.wall);
    figures.productCpu.push(p.cpu);
    if (r === 0) figures.maxRss = process.resourceUsage().maxRSS * 1024;
    remove(file);
    const f = copyOf(seed, "floor.db");
    const single = floor(f, 1);
    figures.floor.push(single.wall);
    figures.floorCpu.push(single.cpu);
    remove(f);
    const b = copyOf(seed, "floor.db");
    figures.floorBatched.push(floor(b, 50).wall);
    remove(b);
  }
  remove(seed);
  return figures;
}

const figures = main();
if (process.send) process.send(figures);
else console.log(JSON.stringify(figures));
