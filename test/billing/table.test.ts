import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { pageHref, pageOf, parseTableQuery, sortHref, sortRows, type TableSpec } from "../../app/lib/table";
import { daysOverdue } from "../../billing/overdue";

const SPEC: TableSpec<"name" | "population"> = {
  columns: ["name", "population"],
  defaultSort: "name",
  defaultDir: "asc",
  pageSize: 50,
};
const q = (s: string) => parseTableQuery(new URLSearchParams(s), SPEC);

describe("parseTableQuery", () => {
  test.each([
    ["", { sort: "name", dir: "asc", page: 1 }],
    ["sort=population&dir=desc&page=3", { sort: "population", dir: "desc", page: 3 }],
    ["sort=passwordHash", { sort: "name", dir: "asc", page: 1 }], // not a column: the default
    ["dir=up", { sort: "name", dir: "asc", page: 1 }],
    ["page=0", { sort: "name", dir: "asc", page: 1 }],
    ["page=-2", { sort: "name", dir: "asc", page: 1 }],
    ["page=2.5", { sort: "name", dir: "asc", page: 1 }],
    ["page=99999999", { sort: "name", dir: "asc", page: 1 }],
    ["page=abc", { sort: "name", dir: "asc", page: 1 }],
  ])("%j", (search, expected) => {
    expect(q(search)).toEqual(expected);
  });
});

describe("sortRows", () => {
  const rows = [
    { n: "Örebro", p: 10 },
    { n: "Ale", p: null },
    { n: "Åre", p: 3 },
    { n: "Borås", p: 10 },
    { n: "Ängelholm", p: 1 },
  ];
  test("strings in Swedish order (å, ä, ö after z)", () => {
    expect(sortRows(rows, (r) => r.n, "asc").map((r) => r.n)).toEqual(["Ale", "Borås", "Åre", "Ängelholm", "Örebro"]);
  });
  test("nulls last in both directions, ties keep the given order", () => {
    expect(sortRows(rows, (r) => r.p, "asc").map((r) => r.n)).toEqual(["Ängelholm", "Åre", "Örebro", "Borås", "Ale"]);
    expect(sortRows(rows, (r) => r.p, "desc").map((r) => r.n)).toEqual(["Örebro", "Borås", "Åre", "Ängelholm", "Ale"]);
  });
  test("property: a permutation, ordered, nulls at the end", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: null })),
        fc.boolean(),
        (values, asc) => {
          const sorted = sortRows(values, (v) => v, asc ? "asc" : "desc");
          expect([...sorted].sort()).toEqual([...values].sort());
          const firstNull = sorted.indexOf(null);
          if (firstNull >= 0) expect(sorted.slice(firstNull).every((v) => v === null)).toBe(true);
          const nums = sorted.filter((v): v is number => v !== null);
          for (let i = 1; i < nums.length; i++)
            expect(asc ? nums[i - 1] <= nums[i] : nums[i - 1] >= nums[i]).toBe(true);
        },
      ),
    );
  });
});

describe("pageOf", () => {
  test("pages, the last page short, a page past the end shows the last", () => {
    const rows = Array.from({ length: 120 }, (_, i) => i);
    expect(pageOf(rows, 1, 50)).toMatchObject({ page: 1, pages: 3, total: 120, from: 1, to: 50 });
    expect(pageOf(rows, 3, 50)).toMatchObject({ page: 3, from: 101, to: 120 });
    expect(pageOf(rows, 9, 50).page).toBe(3);
    expect(pageOf([], 1, 50)).toMatchObject({ page: 1, pages: 1, total: 0, from: 0, to: 0, rows: [] });
    expect(pageOf(rows, 2, null).rows).toHaveLength(120);
  });
  test("property: the pages together are the rows, in order, each at most the page size", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 300 }), fc.integer({ min: 1, max: 60 }), (rows, size) => {
        const first = pageOf(rows, 1, size);
        const all: number[] = [];
        for (let p = 1; p <= first.pages; p++) {
          const page = pageOf(rows, p, size);
          expect(page.rows.length).toBeLessThanOrEqual(size);
          all.push(...page.rows);
        }
        expect(all).toEqual(rows);
      }),
    );
  });
});

describe("links", () => {
  test("a header link keeps the filters, toggles the direction and goes back to page 1", () => {
    expect(sortHref("?year=2026&page=3", "population", { sort: "name", dir: "asc" })).toBe(
      "?year=2026&sort=population&dir=asc",
    );
    expect(sortHref("?sort=population&dir=asc", "population", { sort: "population", dir: "asc" })).toBe(
      "?sort=population&dir=desc",
    );
    expect(sortHref("", "fee", { sort: null, dir: "asc" }, "desc")).toBe("?sort=fee&dir=desc");
  });
  test("a page link keeps sort and filters", () => {
    expect(pageHref("?year=2026&sort=total&dir=desc", 2)).toBe("?year=2026&sort=total&dir=desc&page=2");
    expect(pageHref("?year=2026&page=2", 1)).toBe("?year=2026");
  });
});

describe("daysOverdue", () => {
  test.each([
    ["2026-12-01", "2026-12-01", 0],
    ["2026-11-30", "2026-12-01", 1],
    ["2026-12-05", "2026-12-01", 0], // not yet due
    ["2026-02-28", "2026-03-01", 1],
    ["2024-02-28", "2024-03-01", 2], // leap year
    ["2026-03-28", "2026-03-30", 2], // across the change to summer time
    ["2025-12-31", "2026-12-31", 365],
  ])("due %s, today %s → %i days", (due, today, days) => {
    expect(daysOverdue(due, today)).toBe(days);
  });
});
