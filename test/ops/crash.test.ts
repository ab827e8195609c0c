import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ocrFor } from "../../billing/ocr";
import { apiClient, apiToken, startServer, tempDbPath, type TestServer } from "../support/server";

/*
 * docs/quality.md#integrity and issue 5: a crash mid-run leaves no half-made run. The real server, on an association
 * large enough that a billing run and its issuing take a good while (1 500 municipalities × 20 projects: 31 500
 * lines), is killed with SIGKILL while the use case's transaction is open (a second connection sees the write
 * lock held), before it has answered. Restarted on the same file, the database holds the run whole or not at all,
 * and doing it again completes it: every charge once, the numbers one gapless series from the configured start.
 */
const YEAR = new Date().getFullYear();
const MEMBERS = 1_500;
const PROJECTS = 20;
const FIRST_NUMBER = YEAR * 10_000 + 1;
/** How long after the server has taken the write lock it is killed: well inside a run that takes seconds. */
const KILL_AFTER_MS = 50;

let dir: string;
let dbPath: string;
let server: TestServer | null = null;
let probe: Database.Database;
let password: string;
let treasurerEmail: string;

beforeAll(async () => {
  ({ dir, dbPath } = tempDbPath("sambruk-crash-"));
  process.env.DATABASE_PATH = dbPath;
  const seed = await import("../../scripts/bench-seed");
  const client = await import("../../db/client");
  seed.seedSynthetic({ members: MEMBERS, projects: PROJECTS, year: YEAR, firstInvoiceNumber: FIRST_NUMBER });
  await seed.seedBenchUsers();
  client.closeDatabase();
  password = seed.BENCH_PASSWORD;
  treasurerEmail = seed.BENCH_USERS.treasurer;
  server = await startServer({ dbPath });
  // A connection of its own that never waits for a lock: it tells whether a writer holds one.
  probe = new Database(dbPath, { timeout: 0 });
});

afterAll(async () => {
  probe?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Whether another connection holds the write lock (is inside a write transaction) right now. */
function writeLocked(): boolean {
  try {
    probe.exec("BEGIN IMMEDIATE");
    probe.exec("ROLLBACK");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  }
}

const count = (sql: string, ...args: unknown[]): number => (probe.prepare(sql).get(...args) as { n: number }).n;

interface Crash {
  /** How the request ended for the client: no answer at all (the connection died) is what a crash looks like. */
  answer: { status: number } | { error: string };
  /** The server was still inside its transaction a moment before the kill. */
  lockedAtKill: boolean;
  lockedForMs: number;
}

/**
 * Sends the request, waits until the server holds the write lock (its use case's transaction is open), lets it
 * work KILL_AFTER_MS more, checks the lock is still held, and kills the server with SIGKILL.
 */
async function crashDuring(request: () => Promise<Response>): Promise<Crash> {
  const victim = server!;
  let answered = false;
  const answer = request().then(
    async (res) => {
      answered = true;
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    },
    (error: unknown) => ({ error: String(error) }),
  );
  const deadline = Date.now() + 20_000;
  while (!writeLocked()) {
    if (answered) throw new Error("the server answered before it was seen holding the write lock");
    if (Date.now() > deadline) throw new Error("the server never took the write lock");
    await sleep(1);
  }
  const lockedAt = performance.now();
  await sleep(KILL_AFTER_MS);
  const lockedAtKill = writeLocked();
  const exited = new Promise((resolve) => victim.process.once("exit", resolve));
  victim.process.kill("SIGKILL");
  await exited;
  server = null;
  return { answer: await answer, lockedAtKill, lockedForMs: performance.now() - lockedAt };
}

async function restart(): Promise<ReturnType<typeof apiClient>> {
  server = await startServer({ dbPath });
  return apiClient(server.url, await apiToken(server.url, treasurerEmail, password));
}

function integrity(): string {
  return probe.pragma("integrity_check", { simple: true }) as string;
}

describe("a server killed in the middle of a billing run", () => {
  let runId: number;

  test("leaves no run, no invoice and no line; after a restart the run is made again, whole", async () => {
    const token = await apiToken(server!.url, treasurerEmail, password);
    const url = server!.url;
    const crash = await crashDuring(() =>
      fetch(`${url}/api/v1/billing-runs`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ year: YEAR, charges: ["annual_fee", "project_share"] }),
      }),
    );
    expect(crash.lockedAtKill, "killed while the run's transaction was open").toBe(true);
    expect(crash.answer, "killed before the server answered").toHaveProperty("error");

    const after = await restart();
    expect(integrity()).toBe("ok");
    expect(count("SELECT count(*) AS n FROM billing_runs")).toBe(0);
    expect(count("SELECT count(*) AS n FROM invoices")).toBe(0);
    expect(count("SELECT count(*) AS n FROM invoice_lines")).toBe(0);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'billing_run.create'")).toBe(0);

    const res = await after.post("/billing-runs", { year: YEAR, charges: ["annual_fee", "project_share"] });
    expect(res.status).toBe(201);
    expect(res.json.invoices).toHaveLength(MEMBERS);
    runId = res.json.id;
    expect(count("SELECT count(*) AS n FROM billing_runs")).toBe(1);
    expect(count("SELECT count(*) AS n FROM invoices WHERE run_id = ? AND state = 'draft'", runId)).toBe(MEMBERS);
    expect(count("SELECT count(*) AS n FROM invoice_lines")).toBe(MEMBERS * (1 + PROJECTS));
    expect(count("SELECT count(DISTINCT charge_key) AS n FROM invoice_lines")).toBe(MEMBERS * (1 + PROJECTS));
    // No draft without lines, no line of an invoice that does not exist.
    expect(
      count(
        "SELECT count(*) AS n FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id)",
      ),
    ).toBe(0);
    expect(
      count(
        "SELECT count(*) AS n FROM invoice_lines l WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = l.invoice_id)",
      ),
    ).toBe(0);
  }, 60_000);

  test("issuing killed mid-way numbers all of the run or none; issuing again gives one gapless series", async () => {
    expect(runId).toBeGreaterThan(0);
    const token = await apiToken(server!.url, treasurerEmail, password);
    const url = server!.url;
    const crash = await crashDuring(() =>
      fetch(`${url}/api/v1/billing-runs/${runId}/issue`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
      }),
    );
    expect(crash.lockedAtKill, "killed while the issuing transaction was open").toBe(true);
    expect(crash.answer, "killed before the server answered").toHaveProperty("error");

    const after = await restart();
    expect(integrity()).toBe("ok");
    const numbered = count("SELECT count(*) AS n FROM invoices WHERE run_id = ? AND number IS NOT NULL", runId);
    expect([0, MEMBERS]).toContain(numbered);
    // Killed inside the transaction: nothing of it was committed.
    expect(numbered).toBe(0);
    expect(
      count("SELECT count(*) AS n FROM invoices WHERE state <> 'draft' OR document IS NOT NULL OR ocr IS NOT NULL"),
    ).toBe(0);
    expect(count("SELECT next_invoice_number AS n FROM settings")).toBe(FIRST_NUMBER);

    const res = await after.post(`/billing-runs/${runId}/issue`);
    expect(res.status).toBe(200);
    expect(res.json.invoices).toHaveLength(MEMBERS);
    const rows = probe
      .prepare("SELECT number, ocr FROM invoices WHERE run_id = ? ORDER BY number")
      .all(runId) as Array<{ number: number | null; ocr: string | null }>;
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: MEMBERS }, (_, i) => FIRST_NUMBER + i));
    for (const r of rows) expect(r.ocr).toBe(ocrFor(String(r.number)));
    expect(count("SELECT count(DISTINCT number) AS n FROM invoices")).toBe(MEMBERS);
    expect(count("SELECT next_invoice_number AS n FROM settings")).toBe(FIRST_NUMBER + MEMBERS);
    expect(count("SELECT count(*) AS n FROM invoices WHERE document IS NULL")).toBe(0);

    // Issuing again (a repeated request) numbers nothing more.
    const again = await after.post(`/billing-runs/${runId}/issue`);
    expect(again.status).toBe(200);
    expect(count("SELECT max(number) AS n FROM invoices")).toBe(FIRST_NUMBER + MEMBERS - 1);
  }, 60_000);
});
