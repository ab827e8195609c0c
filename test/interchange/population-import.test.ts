import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as client from "../../db/client";
import { association, type Association } from "../support/association";
import { pxwebCsv, scbTableXlsx } from "../billing/scb-files";
import {
  applyPopulationImport,
  getPopulationImport,
  previewPopulationImport,
} from "../../app/features/interchange/population-import.server";

/*
 * The population import use cases on a real database (in-process): the preview is stored, applying stores
 * exactly it in one transaction or nothing, with every change in the audit log.
 */
let members: typeof import("../../db/members");
let SYSTEM_SCOPE: import("../../db/scope").Scope;
const ids: Record<string, number> = {};

let a: Association;

beforeAll(async () => {
  // Members: Upplands Väsby (no 2024 figure yet), Dals-Ed (same figure as the file), Göteborg (another figure).
  a = await association({
    municipalities: [
      { code: "0114", name: "Upplands Väsby", county: "Stockholms län", population: 48_000, populationYear: 2023 },
      "1438",
      { code: "1480", population: 600_000 },
    ],
    users: false,
    prefix: "sambruk-scb-",
  });
  members = await import("../../db/members");
  SYSTEM_SCOPE = a.scope.system;
  ids.vasby = a.member["0114"];
  ids.dalsEd = a.member["1438"];
  ids.goteborg = a.member["1480"];
});
afterAll(() => a?.close());

const count = (table: string) =>
  (client.connection().sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("SCB's XLSX table, previewed and applied", () => {
  let id: number;
  test("the preview: old → new per member, non-members and regions skipped and counted; nothing stored yet", async () => {
    const audit = count("audit_log");
    const p = await previewPopulationImport(SYSTEM_SCOPE, await scbTableXlsx(2024), 2024);
    id = p.id;
    expect(p).toMatchObject({
      year: 2024,
      layout: "scb_table",
      encoding: "xlsx",
      status: "preview",
      toApply: 2,
      errors: 0,
      notMembers: 2,
      regionsSkipped: 4,
    });
    const byCode = Object.fromEntries(p.rows.map((r) => [r.code, [r.status, r.current, r.population, r.memberName]]));
    expect(byCode).toEqual({
      "0114": ["update", null, 48_611, "Upplands Väsby kommun"],
      "0127": ["not_member", null, 95_905, null],
      "1438": ["unchanged", 4_606, 4_606, "Dals-Ed kommun"],
      "1480": ["update", 600_000, 608_993, "Göteborg kommun"],
      "2584": ["not_member", null, 22_243, null],
    });
    expect(members.getPopulation(client.db(), ids.goteborg, 2024)).toBe(600_000);
    expect(count("audit_log")).toBe(audit);
    // The stored preview is what the page shows later.
    expect(getPopulationImport(id)).toEqual(p);
  });

  test("applying stores exactly the preview, audited, once", () => {
    expect(applyPopulationImport(SYSTEM_SCOPE, id)).toEqual({ applied: 2 });
    expect(members.getPopulation(client.db(), ids.vasby, 2024)).toBe(48_611);
    expect(members.getPopulation(client.db(), ids.goteborg, 2024)).toBe(608_993);
    const audit = client
      .connection()
      .sqlite.prepare(
        "SELECT action, entity_id FROM audit_log WHERE action LIKE 'population%' ORDER BY id DESC LIMIT 3",
      )
      .all();
    expect(audit).toEqual([
      { action: "population_import.apply", entity_id: String(id) },
      { action: "population.correct", entity_id: `${ids.goteborg}:2024` },
      { action: "population.set", entity_id: `${ids.vasby}:2024` },
    ]);
    expect(() => applyPopulationImport(SYSTEM_SCOPE, id)).toThrow(
      expect.objectContaining({ kind: "conflict", code: "already_applied" }),
    );
  });
});

describe("all or nothing", () => {
  test("a file with a bad row is stored as a preview with the row's line, and cannot be applied", async () => {
    const file = Buffer.from(
      pxwebCsv(["2025"]).toString("utf8").replace('"1438 Dals-Ed",4606', '"1438 Dals-Ed",fyratusen'),
    );
    const p = await previewPopulationImport(SYSTEM_SCOPE, file, 2025);
    expect(p.errors).toBe(1);
    expect(p.rows.find((r) => r.status === "error")).toMatchObject({
      line: 5,
      code: "1438",
      message: "Invånarantalet ”fyratusen” är inte ett heltal",
    });
    expect(() => applyPopulationImport(SYSTEM_SCOPE, p.id)).toThrow(
      expect.objectContaining({ kind: "conflict", code: "rows_in_error" }),
    );
    expect(members.getPopulation(client.db(), ids.goteborg, 2025)).toBeUndefined();
  });

  test("a figure typed in after the preview makes applying refuse the whole file", async () => {
    const p = await previewPopulationImport(SYSTEM_SCOPE, pxwebCsv(["2025"]), 2025);
    expect(p.toApply).toBe(3);
    members.upsertPopulation(client.db(), ids.dalsEd, 2025, 4_700);
    expect(() => applyPopulationImport(SYSTEM_SCOPE, p.id)).toThrow(
      /Dals-Ed kommun har ändrats sedan förhandsgranskningen/,
    );
    expect(members.getPopulation(client.db(), ids.goteborg, 2025)).toBeUndefined();
    expect(getPopulationImport(p.id)!.status).toBe("preview");
  });

  test("a file that does not read is refused with a message and stores no preview", async () => {
    const before = count("population_imports");
    await expect(
      previewPopulationImport(SYSTEM_SCOPE, Buffer.from("kommun;invånare\nAle;31000\n"), 2025),
    ).rejects.toMatchObject({
      kind: "validation",
      fields: { file: expect.stringMatching(/Känner inte igen filen/) },
    });
    expect(count("population_imports")).toBe(before);
  });

  test("an import that does not exist is 404", () => {
    expect(() => applyPopulationImport(SYSTEM_SCOPE, 999_999)).toThrow(expect.objectContaining({ kind: "not_found" }));
  });
});
