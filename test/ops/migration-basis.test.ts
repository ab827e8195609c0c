import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { FeeBasis, ShareBasis } from "../../billing/invoice-document";
import { migrationsFolder, openDatabase, type Connection } from "../../db/client";
import { basisSnapshots, linesOf, snapshotsByIds } from "../../db/invoices";
import { heldProjectLines } from "../../db/adjustments";

/*
 * Migration 0005 (docs/invoices.md#how-lines-are-stored) on a database made at migration 0004 with lines in it,
 * written as the code of that time wrote them: each project line with its whole ShareBasis as JSON, each fee line
 * with its FeeBasis. After migrating, every line reads back with exactly the basis it had, each project-year's
 * figures are one basis snapshot that its lines cite, and the appendix snapshots keep their ids and content.
 */

const YEAR = 2026;
let dir: string;
let file: string;
let conn: Connection;

const head = {
  projectCode: "P-001",
  projectName: 'E-arkiv "stora"',
  year: YEAR,
  allocationKey: "per_capita" as const,
  basePercent: null,
  budget: 10_000_037,
  participantCount: 2,
};
const shareA: ShareBasis = {
  ...head,
  population: 4606,
  populationYear: 2025,
  totalPopulation: 4606 + 71420,
  weight: null,
  totalWeight: null,
};
const shareB: ShareBasis = { ...shareA, population: 71420, populationYear: 2024 };
const fixed: ShareBasis = {
  projectCode: "P-002",
  projectName: "Fast nyckel",
  year: YEAR,
  allocationKey: "fixed",
  basePercent: null,
  budget: 500_000,
  participantCount: 2,
  population: null,
  populationYear: null,
  totalPopulation: null,
  weight: "33.5",
  totalWeight: "100",
};
const adjusted: ShareBasis = {
  ...shareA,
  budget: 12_000_000,
  adjustment: { invoicedBefore: 601_234, shareNow: 721_000, inSplit: true, reasons: ["budgeten höjd", "ny deltagare"] },
};
const fee: FeeBasis = { bracket: "small", population: 4606, populationYear: 2025, overrideNote: null };
const override: FeeBasis = {
  bracket: "override",
  population: null,
  populationYear: null,
  overrideNote: "Beslut 2026-01-10",
};
const APPENDIX = JSON.stringify({ projectCode: "P-001", rows: [{ memberName: "Dals-Ed kommun", share: 1 }] });

/** The migrations up to and including `tag`, in a folder of their own (the journal cut after it). */
function migrationsUpTo(tag: string): string {
  const source = migrationsFolder();
  const target = fs.mkdtempSync(path.join(dir, "migrations-"));
  fs.mkdirSync(path.join(target, "meta"));
  const journal = JSON.parse(fs.readFileSync(path.join(source, "meta", "_journal.json"), "utf8")) as {
    entries: Array<{ tag: string }>;
  };
  const last = journal.entries.findIndex((e) => e.tag === tag);
  expect(last).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, last + 1);
  fs.writeFileSync(path.join(target, "meta", "_journal.json"), JSON.stringify(journal));
  for (const e of journal.entries)
    fs.copyFileSync(path.join(source, `${e.tag}.sql`), path.join(target, `${e.tag}.sql`));
  return target;
}

let lineIds: Record<string, number> = {};
let invoiceIds: Record<string, number> = {};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-migration-"));
  file = path.join(dir, "old.db");
  const sqlite = new Database(file);
  sqlite.pragma("foreign_keys = ON");
  migrate(drizzle(sqlite), { migrationsFolder: migrationsUpTo("0004_bank_files_imports_deliveries") });
  const now = "2026-03-01T10:00:00.000Z";
  const run = (q: string, ...args: unknown[]) => Number(sqlite.prepare(q).run(...args).lastInsertRowid);
  const memberA = run(
    `INSERT INTO members (kind, name, municipality_code, org_number, joined_on) VALUES ('municipality', 'Dals-Ed kommun', '1438', '212000-1470', '2015-01-01')`,
  );
  const memberB = run(
    `INSERT INTO members (kind, name, municipality_code, org_number, joined_on) VALUES ('municipality', 'Mölndal kommun', '1481', '212000-1462', '2015-01-01')`,
  );
  const p1 = run(`INSERT INTO projects (code, name, allocation_key) VALUES ('P-001', 'E-arkiv', 'per_capita')`);
  const p2 = run(`INSERT INTO projects (code, name, allocation_key) VALUES ('P-002', 'Fast nyckel', 'fixed')`);
  const appendixId = run(
    `INSERT INTO allocation_snapshots (project_id, year, hash, appendix, created_at) VALUES (?, ?, 'h1', ?, ?)`,
    p1,
    YEAR,
    APPENDIX,
    now,
  );
  const invoice = (memberId: number, state: string, number: number | null, document: string | null = null) =>
    run(
      `INSERT INTO invoices (member_id, year, state, number, net_ore, vat_ore, total_ore, document, created_at) VALUES (?, ?, ?, ?, 0, 0, 0, ?, ?)`,
      memberId,
      YEAR,
      state,
      number,
      document,
      now,
    );
  invoiceIds = {
    a: invoice(memberA, "issued", 2026001, JSON.stringify({ appendixIds: [appendixId] })),
    b: invoice(memberB, "draft", null),
  };
  const line = (
    invoiceId: number,
    position: number,
    kind: string,
    key: string | null,
    projectId: number | null,
    basis: unknown,
    holds = 1,
  ) =>
    run(
      `INSERT INTO invoice_lines (invoice_id, position, charge_kind, charge_key, holds_charge, project_id, year, description, quantity, unit_price_ore, vat_rate, amount_ore, vat_ore, basis)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'Rad', 1, 100, 0, 100, 0, ?)`,
      invoiceId,
      position,
      kind,
      key,
      holds,
      projectId,
      YEAR,
      basis === null ? null : JSON.stringify(basis),
    );
  lineIds = {
    feeA: line(invoiceIds.a, 0, "annual_fee", `annual_fee:${memberA}:${YEAR}`, null, fee),
    shareA: line(invoiceIds.a, 1, "project_share", `project_share:${memberA}:${p1}:${YEAR}`, p1, shareA),
    fixedA: line(invoiceIds.a, 2, "project_share", `project_share:${memberA}:${p2}:${YEAR}`, p2, fixed),
    feeB: line(invoiceIds.b, 0, "annual_fee", `annual_fee:${memberB}:${YEAR}`, null, override),
    shareB: line(invoiceIds.b, 1, "project_share", `project_share:${memberB}:${p1}:${YEAR}`, p1, shareB),
    adjustmentB: line(
      invoiceIds.b,
      2,
      "project_adjustment",
      `project_adjustment:${memberB}:${p1}:${YEAR}:1`,
      p1,
      adjusted,
    ),
    creditedB: line(invoiceIds.b, 3, "entry_fee", null, null, null, 0),
  };
  sqlite.close();
  conn = openDatabase(file);
});

afterAll(() => {
  conn?.sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("migration 0005: the per-line basis into snapshots", () => {
  test("every line reads back with the basis it was stored with, key for key", () => {
    const a = linesOf(conn.db, invoiceIds.a);
    const b = linesOf(conn.db, invoiceIds.b);
    expect(a.map((l) => l.id)).toEqual([lineIds.feeA, lineIds.shareA, lineIds.fixedA]);
    expect(JSON.stringify(a.map((l) => [l.feeBasis, l.shareBasis]))).toBe(
      JSON.stringify([
        [fee, null],
        [null, shareA],
        [null, fixed],
      ]),
    );
    expect(JSON.stringify(b.map((l) => [l.feeBasis, l.shareBasis]))).toBe(
      JSON.stringify([
        [override, null],
        [null, shareB],
        [null, adjusted],
        [null, null],
      ]),
    );
    expect(b[3].holdsCharge).toBe(false);
  });

  test("each project-year's figures are one basis snapshot, cited by its lines", () => {
    const rows = conn.sqlite
      .prepare("SELECT id, allocation_snapshot_id AS snapshot, population, weight FROM invoice_lines ORDER BY id")
      .all() as Array<{ id: number; snapshot: number | null; population: number | null; weight: string | null }>;
    const of = (id: number) => rows.find((r) => r.id === id)!;
    // A and B share P-001's figures; the adjustment was made from another budget; P-002 has its own.
    expect(of(lineIds.shareA).snapshot).toBe(of(lineIds.shareB).snapshot);
    expect(
      new Set([of(lineIds.shareA).snapshot, of(lineIds.adjustmentB).snapshot, of(lineIds.fixedA).snapshot]).size,
    ).toBe(3);
    expect(of(lineIds.feeA).snapshot).toBeNull();
    expect(of(lineIds.shareB).population).toBe(71420);
    expect(of(lineIds.fixedA).weight).toBe("33.5");
    const bases = basisSnapshots(
      conn.db,
      rows.map((r) => r.snapshot),
    );
    expect(bases.size).toBe(3);
    expect(bases.get(of(lineIds.shareA).snapshot!)).toEqual({
      ...head,
      totalPopulation: 4606 + 71420,
      totalWeight: null,
    });
    const columns = (conn.sqlite.prepare("PRAGMA table_info(invoice_lines)").all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    expect(columns).not.toContain("basis");
  });

  test("the appendix snapshots keep their ids and content, and issued documents still find them", () => {
    const appendices = snapshotsByIds(conn.db, [1]);
    expect(appendices.get(1)).toBe(APPENDIX);
    const document = conn.sqlite.prepare("SELECT document FROM invoices WHERE id = ?").pluck().get(invoiceIds.a);
    expect(JSON.parse(document as string)).toEqual({ appendixIds: [1] });
  });

  test("what is held of a project-year is read with its basis (the adjustment's among them)", () => {
    const held = heldProjectLines(conn.db, YEAR);
    expect(held.map((h) => h.lineId)).toEqual([lineIds.shareA, lineIds.fixedA, lineIds.shareB, lineIds.adjustmentB]);
    expect(held.find((h) => h.lineId === lineIds.adjustmentB)!.basis).toEqual(adjusted);
  });
});
