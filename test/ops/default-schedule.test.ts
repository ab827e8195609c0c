import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, it } from "vitest";
import { DEFAULT_FEE_SCHEDULE } from "../../billing/fees";
import { migrationsFolder, openDatabase } from "../../db/client";
import { listSchedules } from "../../db/fees";

/*
 * The default fee schedule of 2005 is data of a migration (0007_default_fee_schedule.sql), not code that db/client.ts
 * runs at every start-up (docs/architecture.md#the-dependency-rule). A fresh database gets it once; a database
 * seeded by the old start-up code keeps its schedule as it is.
 */
/** A fresh folder and a database file in it that does not exist yet. */
function tempDbPath(): { dir: string; dbPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-default-schedule-"));
  return { dir, dbPath: path.join(dir, "test.db") };
}

const schedulesOf = (file: string) => {
  const c = openDatabase(file);
  try {
    return listSchedules(c.db).map(({ id: _id, createdAt: _at, ...s }) => s);
  } finally {
    c.sqlite.close();
  }
};

describe("the default fee schedule", () => {
  it("a freshly migrated database holds exactly DEFAULT_FEE_SCHEDULE, once, however often it is opened", () => {
    const { dbPath } = tempDbPath();
    const expected = [
      { ...DEFAULT_FEE_SCHEDULE, brackets: [...DEFAULT_FEE_SCHEDULE.brackets], note: "Standardmodellen" },
    ];
    expect(schedulesOf(dbPath)).toEqual(expected);
    expect(schedulesOf(dbPath)).toEqual(expected);
  });

  it("a database that has a schedule from before the migration keeps it and gets no second one", () => {
    const { dir, dbPath } = tempDbPath();
    // The migrations up to 0004 in a folder of their own: the database as it was before this change.
    const before = path.join(dir, "migrations");
    fs.mkdirSync(path.join(before, "meta"), { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8"));
    journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < "0005");
    fs.writeFileSync(path.join(before, "meta", "_journal.json"), JSON.stringify(journal));
    for (const e of journal.entries as Array<{ tag: string }>) {
      fs.copyFileSync(path.join(migrationsFolder(), `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));
    }
    const sqlite = new Database(dbPath);
    migrate(drizzle(sqlite), { migrationsFolder: before });
    expect(sqlite.prepare("SELECT count(*) AS n FROM fee_schedules").get()).toEqual({ n: 0 });
    // What the old start-up seeding wrote, with a label the board changed since.
    sqlite.prepare("INSERT INTO fee_schedules (valid_from, note) VALUES (2005, 'Standardmodellen')").run();
    sqlite
      .prepare(
        "INSERT INTO fee_brackets (schedule_id, position, name, label, min_population, entry_fee_ore, annual_fee_ore) " +
          "VALUES (1, 0, 'small', 'Små kommuner', 0, 500000, 800000), (1, 1, 'large', 'Stora', 50000, 900000, 900000)",
      )
      .run();
    sqlite.close();

    const after = schedulesOf(dbPath);
    expect(after).toHaveLength(1);
    expect(after[0].brackets.map((b) => [b.name, b.label, b.minPopulation])).toEqual([
      ["small", "Små kommuner", 0],
      ["large", "Stora", 50_000],
    ]);
  });
});
