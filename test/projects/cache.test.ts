import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { todayIso } from "../../billing/dates";
import { transaction } from "../../db/client";
import { SYSTEM_SCOPE } from "../../db/scope";
import { createFeeSchedule } from "../../app/features/fees/commands.server";
import { bracketsOfYear } from "../../app/features/fees/queries.server";
import {
  addFeeOverride,
  deletePopulationFigure,
  removeFeeOverride,
  setPopulation,
  updateMember,
} from "../../app/features/members/commands.server";
import { directoryOf, listMemberRows } from "../../app/features/members/queries.server";
import { loadProjectAllocation, projectAllocation } from "../../app/features/projects/allocation.server";
import { allocationView } from "../../app/features/projects/allocation-view.server";
import { sortByName } from "../../app/features/projects/json.server";
import { setBudget, updateProject } from "../../app/features/projects/commands.server";
import { addParticipant, removeParticipant, updateParticipant } from "../../app/features/projects/participants.server";
import { seedSynthetic } from "../../scripts/bench-seed";
import { association, type Association } from "../support/association";

/*
 * The caches of the allocation page and the member list (docs/architecture.md#caches), in-process against a real
 * migrated SQLite file: what is served unchanged is the same object (a cache hit), and after each kind of change
 * of what it is computed from, whoever makes it (a use case, or another connection writing the file), it is what
 * a computation from scratch gives at that moment, never what was cached before.
 */

const YEAR = 2026;
let a: Association;
let file: string;
let memberIds: number[];
let projectId: number;

beforeAll(async () => {
  // An empty association; the bench's generator (scripts/bench-seed.ts) adds the members and projects.
  a = await association({ municipalities: [], users: false, prefix: "sambruk-cache-" });
  file = a.dbPath;
  const seeded = seedSynthetic({ members: 12, projects: 2, year: YEAR });
  memberIds = seeded.memberIds;
  projectId = seeded.projectIds[0];
});

afterAll(() => a?.close());

const fresh = () => transaction((tx) => loadProjectAllocation(tx, projectId, YEAR), "deferred");

/** The allocation after `change`: recomputed (a new object) and equal to a computation from scratch. */
function expectRecomputedAfter(change: () => void) {
  const before = projectAllocation(projectId, YEAR);
  const viewBefore = allocationView(projectId, YEAR);
  expect(projectAllocation(projectId, YEAR)).toBe(before); // served from the cache while nothing changes
  expect(allocationView(projectId, YEAR)).toBe(viewBefore);
  change();
  const after = projectAllocation(projectId, YEAR);
  expect(after).not.toBe(before);
  expect(after).toEqual(fresh());
  expect(projectAllocation(projectId, YEAR)).toBe(after);
  // The allocation page's view of it likewise: the shares of the fresh allocation, in name order.
  const view = allocationView(projectId, YEAR);
  expect(view).not.toBe(viewBefore);
  expect(view.budget).toBe(after.budget);
  expect(view.rows.map((r) => [r.memberId, r.memberName, r.share, r.weight])).toEqual(
    sortByName(after.rows).map((r) => [r.memberId, r.memberName, r.share, r.weight]),
  );
  return { before, after };
}

/** A write to the file through a connection of its own, as another process (the CLI, an import) would make. */
function fromAnotherConnection(sql: string, ...args: unknown[]) {
  const other = new Database(file);
  try {
    other.prepare(sql).run(...args);
  } finally {
    other.close();
  }
}

describe("the allocation of a project-year", () => {
  test("a new budget", () => {
    const { after } = expectRecomputedAfter(() => setBudget(SYSTEM_SCOPE, projectId, YEAR, { amount: 7_654_321 }));
    expect(after.budget).toBe(7_654_321);
  });

  test("a participant joining, changing its dates, leaving the split and removed", () => {
    const newcomer = memberIds[0];
    removeParticipant(SYSTEM_SCOPE, projectId, newcomer); // every member takes part in the seed
    const joined = expectRecomputedAfter(() =>
      addParticipant(SYSTEM_SCOPE, projectId, { memberId: newcomer, joinedOn: `${YEAR}-03-01` }),
    );
    expect(joined.after.rows.some((r) => r.memberId === newcomer)).toBe(true);
    const left = expectRecomputedAfter(() =>
      updateParticipant(SYSTEM_SCOPE, projectId, newcomer, { joinedOn: `${YEAR + 1}-01-01` }),
    );
    expect(left.after.rows.some((r) => r.memberId === newcomer)).toBe(false);
    const removed = expectRecomputedAfter(() => removeParticipant(SYSTEM_SCOPE, projectId, memberIds[1]));
    expect(removed.after.rows.some((r) => r.memberId === memberIds[1])).toBe(false);
  });

  test("a weight under the fixed key, and the key itself", () => {
    const keyed = expectRecomputedAfter(() => updateProject(SYSTEM_SCOPE, projectId, { allocationKey: "fixed" }));
    expect(keyed.after.ok).toBe(false); // no weights yet: each participant is named
    for (const id of memberIds.slice(2)) {
      const { after } = expectRecomputedAfter(() =>
        updateParticipant(SYSTEM_SCOPE, projectId, id, { weight: String(id) }),
      );
      expect(after.rows.find((r) => r.memberId === id)?.weight).toBe(String(id));
    }
    expect(projectAllocation(projectId, YEAR).ok).toBe(true);
    const based = expectRecomputedAfter(() =>
      updateProject(SYSTEM_SCOPE, projectId, { allocationKey: "base_plus_per_capita", basePercent: "20" }),
    );
    expect(based.after.project.basePercent).toBe("20");
  });

  test("a population figure set, changed and removed", () => {
    const id = memberIds[3];
    const set = expectRecomputedAfter(() => setPopulation(SYSTEM_SCOPE, id, YEAR - 1, 123_456));
    expect(set.after.rows.find((r) => r.memberId === id)?.basis?.population).toBe(123_456);
    const older = expectRecomputedAfter(() => setPopulation(SYSTEM_SCOPE, id, YEAR - 3, 99_999));
    expect(older.after).toEqual(set.after); // an older figure changes nothing here, but it is a new computation
    const removed = expectRecomputedAfter(() => deletePopulationFigure(SYSTEM_SCOPE, id, YEAR - 1));
    expect(removed.after.rows.find((r) => r.memberId === id)?.basis).toEqual({
      year: YEAR - 3,
      population: 99_999,
      fallback: true,
    });
  });

  test("a member renamed", () => {
    const id = memberIds[4];
    const { after } = expectRecomputedAfter(() => updateMember(SYSTEM_SCOPE, id, { name: "Nyköping kommun" }));
    expect(after.rows.find((r) => r.memberId === id)?.memberName).toBe("Nyköping kommun");
  });

  test("changes written to the file by another connection", () => {
    const budget = expectRecomputedAfter(() =>
      fromAnotherConnection(
        "UPDATE project_budgets SET amount_ore = 1234567 WHERE project_id = ? AND year = ?",
        projectId,
        YEAR,
      ),
    );
    expect(budget.after.budget).toBe(1_234_567);
    const population = expectRecomputedAfter(() =>
      fromAnotherConnection("UPDATE populations SET population = population + 1 WHERE member_id = ?", memberIds[5]),
    );
    expect(population.after).not.toEqual(population.before);
    expectRecomputedAfter(() =>
      fromAnotherConnection(
        "DELETE FROM project_participants WHERE project_id = ? AND member_id = ?",
        projectId,
        memberIds[6],
      ),
    );
  });

  test("changes elsewhere leave it cached: another project, payments, settings", () => {
    const before = projectAllocation(projectId, YEAR);
    setBudget(SYSTEM_SCOPE, projectId + 1, YEAR, { amount: 1 });
    fromAnotherConnection("UPDATE settings SET footer = 'x'");
    expect(projectAllocation(projectId, YEAR)).toBe(before);
    expect(projectAllocation(projectId, YEAR - 1)).not.toBe(before); // another year is its own entry
  });
});

describe("the member list", () => {
  const fresh = () => transaction((tx) => directoryOf(tx, YEAR, todayIso()), "deferred");

  function expectRecomputedAfter(change: () => void) {
    const before = listMemberRows({ year: YEAR });
    expect(listMemberRows({ year: YEAR })[0]).toBe(before[0]);
    change();
    const after = listMemberRows({ year: YEAR });
    expect(after[0]).not.toBe(before[0]);
    expect(after).toEqual(fresh());
    return after;
  }

  test("a member changed, a population, a fee schedule, a board decision, another connection", () => {
    const id = memberIds[7];
    const renamed = expectRecomputedAfter(() => updateMember(SYSTEM_SCOPE, id, { name: "Åby kommun" }));
    expect(renamed.find((r) => r.member.id === id)?.member.name).toBe("Åby kommun");
    const grown = expectRecomputedAfter(() => setPopulation(SYSTEM_SCOPE, id, YEAR - 1, 900_000));
    expect(grown.find((r) => r.member.id === id)?.latestPopulation).toEqual({ year: YEAR - 1, population: 900_000 });
    const scheduled = expectRecomputedAfter(() =>
      createFeeSchedule(SYSTEM_SCOPE, {
        validFrom: YEAR,
        brackets: [{ name: "all", minPopulation: 0, entryFee: 100, annualFee: 200 }],
      }),
    );
    expect(scheduled.every((r) => r.fees.ok && r.fees.annualFee === 200)).toBe(true);
    let overrideId = 0;
    const decided = expectRecomputedAfter(() => {
      overrideId = addFeeOverride(SYSTEM_SCOPE, id, { validFrom: YEAR, annualFee: 5, note: "Beslut" }).id;
    });
    expect(decided.find((r) => r.member.id === id)?.fees).toMatchObject({ ok: true, annualFee: 5 });
    expectRecomputedAfter(() => removeFeeOverride(SYSTEM_SCOPE, id, overrideId));
    const other = expectRecomputedAfter(() =>
      fromAnotherConnection("UPDATE members SET resigned_on = '2020-12-31' WHERE id = ?", memberIds[8]),
    );
    expect(other.find((r) => r.member.id === memberIds[8])?.status).toBe("resigned");
  });

  test("the brackets of the year's schedule follow a new schedule, from a use case or another connection", () => {
    const names = (year: number) => bracketsOfYear(year).map((b) => [b.name, b.range.min, b.range.max]);
    const before = names(YEAR + 1);
    createFeeSchedule(SYSTEM_SCOPE, {
      validFrom: YEAR + 1,
      brackets: [
        { name: "small", minPopulation: 0, entryFee: 100, annualFee: 200 },
        { name: "large", minPopulation: 50_000, entryFee: 100, annualFee: 400 },
      ],
    });
    expect(names(YEAR + 1)).not.toEqual(before);
    expect(names(YEAR + 1)).toEqual([
      ["small", 0, 49_999],
      ["large", 50_000, null],
    ]);
    fromAnotherConnection(
      "UPDATE fee_brackets SET min_population = 60000 WHERE name = 'large' AND min_population = 50000",
    );
    expect(names(YEAR + 1)).toEqual([
      ["small", 0, 59_999],
      ["large", 60_000, null],
    ]);
  });

  test("the filters are applied to the cached rows", () => {
    const all = listMemberRows({ year: YEAR });
    const resigned = listMemberRows({ year: YEAR, status: "resigned" });
    expect(resigned.map((r) => r.member.id)).toEqual(
      all.filter((r) => r.status === "resigned").map((r) => r.member.id),
    );
    expect(resigned[0]).toBe(all.find((r) => r.status === "resigned"));
  });
});
