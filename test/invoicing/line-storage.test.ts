import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DraftLine } from "../../billing/invoice";
import {
  projectYearBasisOf,
  sameProjectYearBasis,
  type ProjectYearBasis,
  type ShareBasis,
} from "../../billing/invoice-document";
import { openDatabase, type Connection } from "../../db/client";
import { LineWriter, linesByInvoice, linesOf } from "../../db/invoices";

/*
 * How lines are stored (docs/invoices.md#how-lines-are-stored): a project line cites its project-year's basis
 * snapshot and keeps the member's own figures, a fee line its bracket. Whatever lines are written, they read back
 * exactly (the same keys in the same order, as the frozen documents print them), and each distinct basis of a
 * project is stored once. A real migrated SQLite file, no server.
 */

let dir: string;
let conn: Connection;
const PROJECTS = [1, 2, 3];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-lines-"));
  conn = openDatabase(path.join(dir, "lines.db"));
  conn.sqlite
    .prepare(
      "INSERT INTO members (kind, name, org_number, joined_on) VALUES ('organisation', 'Förbundet', '222000-0013', '2015-01-01')",
    )
    .run();
  for (const id of PROJECTS)
    conn.sqlite.prepare("INSERT INTO projects (id, code, name) VALUES (?, ?, ?)").run(id, `P-00${id}`, `Projekt ${id}`);
});

afterAll(() => {
  conn.sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const text = fc.constantFrom("E-tjänst 1", 'Namn med "citat"', ',"population":1', "Å\\x", "\u2028");
const shareBasis: fc.Arbitrary<ShareBasis> = fc
  .record({
    projectCode: fc.constantFrom("P-001", 'Q"1'),
    projectName: text,
    year: fc.constantFrom(2025, 2026),
    allocationKey: fc.constantFrom("per_capita", "equal", "fixed", "base_plus_per_capita"),
    basePercent: nullable(fc.constantFrom("12.5", "20")),
    budget: fc.constantFrom(0, 50_000_037, 123_456_789),
    participantCount: fc.constantFrom(1, 3, 10_000),
    population: nullable(fc.integer({ min: 0, max: 1e7 })),
    populationYear: nullable(fc.constantFrom(2023, 2024, 2025)),
    totalPopulation: nullable(fc.integer({ min: 0, max: 1e9 })),
    weight: nullable(fc.constantFrom("1", "33.5")),
    totalWeight: nullable(fc.constantFrom("100", "12.25")),
    adjustment: fc.option(
      fc.record({
        invoicedBefore: fc.integer({ min: -1e9, max: 1e9 }),
        shareNow: fc.integer({ min: 0, max: 1e9 }),
        inSplit: fc.boolean(),
        reasons: fc.array(text, { maxLength: 3 }),
      }),
      { nil: undefined },
    ),
  })
  .map(({ adjustment, ...b }) => (adjustment ? { ...b, adjustment } : b));

const line: fc.Arbitrary<DraftLine> = fc
  .oneof(
    fc.record({
      chargeKind: fc.constantFrom("entry_fee" as const, "annual_fee" as const),
      feeBasis: nullable(
        fc.record({
          bracket: fc.constantFrom("small", "large", "override"),
          population: nullable(fc.integer({ min: 0, max: 1e7 })),
          populationYear: nullable(fc.constantFrom(2024, 2025)),
          overrideNote: nullable(text),
        }),
      ),
      shareBasis: fc.constant(null),
      projectId: fc.constant(null),
    }),
    fc.record({
      chargeKind: fc.constantFrom("project_share" as const, "project_adjustment" as const),
      feeBasis: fc.constant(null),
      shareBasis: nullable(shareBasis),
      projectId: fc.constantFrom(...PROJECTS),
    }),
  )
  .chain((l) =>
    fc.record({
      chargeKind: fc.constant(l.chargeKind),
      chargeKey: fc.constant(null),
      projectId: fc.constant(l.projectId),
      year: fc.constantFrom(2025, 2026),
      description: text,
      amount: fc.integer({ min: -1e9, max: 1e9 }),
      vatRate: fc.constantFrom(0, 25),
      feeBasis: fc.constant(l.feeBasis),
      shareBasis: fc.constant(l.shareBasis),
      quantity: fc.constant(1),
      unitPrice: fc.integer({ min: -1e9, max: 1e9 }),
      vat: fc.integer({ min: -1e9, max: 1e9 }),
    }),
  );

/** A line as it reads back: the DraftLine's keys in the order the reader gives them (billing/invoice-document.ts). */
function expected(l: DraftLine, holdsCharge: boolean) {
  return {
    holdsCharge,
    chargeKind: l.chargeKind,
    chargeKey: l.chargeKey,
    projectId: l.projectId,
    year: l.year,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    vatRate: l.vatRate,
    amount: l.amount,
    vat: l.vat,
    feeBasis: l.feeBasis,
    shareBasis: l.shareBasis,
  };
}

function newInvoice(): number {
  return Number(
    conn.sqlite
      .prepare(
        "INSERT INTO invoices (member_id, year, net_ore, vat_ore, total_ore, created_at) VALUES (1, 2026, 0, 0, 0, 'x')",
      )
      .run().lastInsertRowid,
  );
}

describe("invoice lines stored with their basis", () => {
  it("read back exactly as written, by linesOf and linesByInvoice", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(line, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (invoices, holds) => {
          const writer = new LineWriter(conn.db);
          const ids = invoices.map((lines) => {
            const id = newInvoice();
            writer.insert(id, lines, holds);
            return id;
          });
          const byInvoice = linesByInvoice(conn.db, ids);
          invoices.forEach((lines, i) => {
            const want = JSON.stringify(lines.map((l) => expected(l, false)));
            // chargeKey is null here, so no line holds its charge whatever `holds` says.
            expect(JSON.stringify(linesOf(conn.db, ids[i]).map(({ id: _id, ...rest }) => rest))).toBe(want);
            expect(JSON.stringify(byInvoice.get(ids[i])!.map(({ id: _id, ...rest }) => rest))).toBe(want);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("stores each distinct basis of a project once, however many lines cite it", () => {
    const rows = conn.sqlite
      .prepare("SELECT project_id AS projectId, basis FROM allocation_snapshots WHERE basis IS NOT NULL")
      .all() as Array<{ projectId: number; basis: string }>;
    const distinct = new Set(rows.map((r) => `${r.projectId}:${r.basis}`));
    expect(distinct.size).toBe(rows.length);
    const cited = conn.sqlite
      .prepare(
        "SELECT count(DISTINCT allocation_snapshot_id) AS n FROM invoice_lines WHERE allocation_snapshot_id IS NOT NULL",
      )
      .pluck()
      .get();
    expect(cited).toBe(rows.length);
  });

  it("a line holds its charge only when it has a key and the invoice is not a credit note", () => {
    const id = newInvoice();
    const base = {
      chargeKind: "annual_fee" as const,
      projectId: null,
      year: 2026,
      description: "Årsavgift",
      quantity: 1,
      unitPrice: 100,
      vatRate: 0,
      amount: 100,
      vat: 0,
      feeBasis: null,
      shareBasis: null,
    };
    new LineWriter(conn.db).insert(id, [{ ...base, chargeKey: "annual_fee:1:2026" }], true);
    const credit = newInvoice();
    new LineWriter(conn.db).insert(credit, [{ ...base, chargeKey: null }], false);
    expect(linesOf(conn.db, id)[0].holdsCharge).toBe(true);
    expect(linesOf(conn.db, credit)[0].holdsCharge).toBe(false);
  });
});

describe("sameProjectYearBasis", () => {
  it("tells apart two bases that differ in any one of the project-year's figures", () => {
    const a: ProjectYearBasis = projectYearBasisOf({
      projectCode: "P-001",
      projectName: "X",
      year: 2026,
      allocationKey: "fixed",
      basePercent: null,
      budget: 1,
      participantCount: 2,
      population: 5,
      populationYear: 2025,
      totalPopulation: null,
      weight: "1",
      totalWeight: "2",
    });
    // Every key of ProjectYearBasis, so that a figure added to it and forgotten in the comparison fails here.
    const changed: { [K in keyof ProjectYearBasis]: ProjectYearBasis[K] } = {
      projectCode: "P-002",
      projectName: "Y",
      year: 2027,
      allocationKey: "equal",
      basePercent: "20",
      budget: 2,
      participantCount: 3,
      totalPopulation: 7,
      totalWeight: "3",
    };
    expect(Object.keys(changed).sort()).toEqual(Object.keys(a).sort());
    expect(sameProjectYearBasis(a, { ...a })).toBe(true);
    for (const key of Object.keys(changed) as Array<keyof ProjectYearBasis>) {
      expect(sameProjectYearBasis(a, { ...a, [key]: changed[key] })).toBe(false);
    }
  });
});
