import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addDays, todayIso } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import { association, referenceMunicipalities, type Association } from "../support/association";
import { sessionCookie } from "../support/use-case";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { listInvoiceViews } from "../../app/features/invoices/queries.server";
import { recordReminder } from "../../app/features/invoices/reminders.server";

/*
 * The list pages' loaders in-process against a fresh migrated SQLite file, with a real session cookie: sorting
 * order from the URL, paging with totals of the whole filtered set, the overdue columns, the audit log in words.
 */
const YEAR = 2026;
const COUNT = 60;
let cookie: string;
let invoicesRoute: typeof import("../../app/routes/invoices._index");
let membersRoute: typeof import("../../app/routes/members._index");
let auditRoute: typeof import("../../app/routes/admin.audit");
let overdueIds: number[];

async function load<T>(route: { loader: (args: any) => Promise<T> }, url: string) {
  const request = new Request(`http://localhost${url}`, { headers: { Cookie: cookie } });
  const response = (await route.loader({ request, params: {}, context: {} })) as unknown as Response;
  return response.json();
}

let a: Association;

beforeAll(async () => {
  invoicesRoute = await import("../../app/routes/invoices._index");
  membersRoute = await import("../../app/routes/members._index");
  auditRoute = await import("../../app/routes/admin.audit");

  // The 15 reference municipalities and 45 made-up ones of every size, for more than one page of invoices.
  const reference = referenceMunicipalities();
  const madeUp = Array.from({ length: COUNT - reference.length }, (_, i) => ({
    code: String(2701 + i),
    name: `Provort ${i + 1}`,
    county: "Test",
    population: 2_000 + i * 4_567,
  }));
  a = await association({
    municipalities: [...reference.map((m) => m.code), ...madeUp],
    populationYear: YEAR - 1,
    memberUserOf: reference[0].code,
    prefix: "sambruk-lists-",
    settings: {
      name: "Testföreningen",
      orgNumber: generateOrgNumber("802400123"),
      postalCode: "111 22",
      email: "kansli@test.se",
      ourReference: "Kassören",
    },
  });
  const system = a.scope.system;
  const run = createBillingRun(system, { year: YEAR, charges: ["annual_fee"] });
  issueRun(system, run.run!.id);
  // Two invoices fell due in the past (10 and 40 days ago); the second got a reminder.
  const issued = listInvoiceViews(system, { year: YEAR });
  overdueIds = [issued[0].id, issued[1].id];
  const sqlite = a.sqlite();
  sqlite.prepare("UPDATE invoices SET due_date = ? WHERE id = ?").run(addDays(todayIso(), -10), overdueIds[0]);
  sqlite.prepare("UPDATE invoices SET due_date = ? WHERE id = ?").run(addDays(todayIso(), -40), overdueIds[1]);
  recordReminder(system, overdueIds[1]);
  cookie = await sessionCookie(a.users.treasurer.id);
});

afterAll(() => a?.close());

describe("invoice list", () => {
  test("pages by 50 and shows the totals of the whole filtered set", async () => {
    const first = await load(invoicesRoute, `/invoices?year=${YEAR}`);
    expect(first.invoices).toHaveLength(50);
    expect(first.page).toMatchObject({ page: 1, pages: 2, total: COUNT, from: 1, to: 50 });
    const second = await load(invoicesRoute, `/invoices?year=${YEAR}&page=2`);
    expect(second.invoices).toHaveLength(COUNT - 50);
    expect(second.page).toMatchObject({ page: 2, from: 51, to: COUNT });
    // The totals are of all 60, on both pages, and equal the sum of the rows of both pages.
    const all = [...first.invoices, ...second.invoices];
    expect(new Set(all.map((i: { id: number }) => i.id)).size).toBe(COUNT);
    const sum = all.reduce((s: number, i: { total: number }) => s + i.total, 0);
    expect(first.totalOre).toBe(sum);
    expect(second.totalOre).toBe(sum);
  });

  test("sorts by amount descending from the URL, across pages", async () => {
    const p1 = await load(invoicesRoute, `/invoices?year=${YEAR}&sort=total&dir=desc`);
    const p2 = await load(invoicesRoute, `/invoices?year=${YEAR}&sort=total&dir=desc&page=2`);
    const totals = [...p1.invoices, ...p2.invoices].map((i: { total: number }) => i.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(totals[0]).toBeGreaterThan(totals[totals.length - 1]);
    expect(p1.sort).toEqual({ sort: "total", dir: "desc" });
  });

  test("an unknown sort column falls back to the default order instead of failing", async () => {
    const data = await load(invoicesRoute, `/invoices?year=${YEAR}&sort=drop_table&dir=sideways&page=abc`);
    expect(data.sort).toEqual({ sort: null, dir: "asc" });
    expect(data.page.page).toBe(1);
  });

  test("the overdue list shows days overdue and reminder dates, oldest debt first", async () => {
    const data = await load(invoicesRoute, `/invoices?overdue=1`);
    expect(data.overdueView).toBe(true);
    expect(data.invoices.map((i: { id: number }) => i.id)).toEqual([overdueIds[1], overdueIds[0]]);
    expect(data.invoices.map((i: { daysOverdue: number }) => i.daysOverdue)).toEqual([40, 10]);
    expect(data.invoices[0].reminderDates).toEqual([todayIso()]);
    expect(data.invoices[1].reminderDates).toEqual([]);
    const asc = await load(invoicesRoute, `/invoices?overdue=1&sort=daysOverdue&dir=asc`);
    expect(asc.invoices.map((i: { daysOverdue: number }) => i.daysOverdue)).toEqual([10, 40]);
  });
});

describe("member directory", () => {
  test("sorts by population both ways, and by name in Swedish order by default", async () => {
    const desc = await load(membersRoute, `/members?year=${YEAR}&sort=population&dir=desc`);
    const pops = desc.rows.map((r: { population: { population: number } | null }) => r.population!.population);
    expect(pops).toHaveLength(COUNT);
    expect(pops).toEqual([...pops].sort((a, b) => b - a));
    const asc = await load(membersRoute, `/members?year=${YEAR}&sort=population&dir=asc`);
    expect(asc.rows.map((r: { id: number }) => r.id)).toEqual(
      [...desc.rows.map((r: { id: number }) => r.id)].reverse(),
    );
    const byName = await load(membersRoute, `/members?year=${YEAR}`);
    const names = byName.rows.map((r: { name: string }) => r.name);
    // Swedish order with numbers read as numbers: "Provort 2" before "Provort 10".
    expect(names).toEqual([...names].sort(new Intl.Collator("sv-SE", { numeric: true }).compare));
    expect(names.indexOf("Provort 2 kommun")).toBeGreaterThan(-1);
    expect(names.indexOf("Provort 2 kommun")).toBeLessThan(names.indexOf("Provort 10 kommun"));
  });
});

describe("audit log", () => {
  test("reads in Swedish words and Swedish time, with amounts in kronor and no JSON", async () => {
    const data = await load(auditRoute, `/admin/audit`);
    const reminder = data.rows.find((r: { code: string }) => r.code === "reminder.create");
    expect(reminder.action).toBe("Skickade påminnelse");
    expect(reminder.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(reminder.changes).toContainEqual({ field: "Skickad", before: null, after: todayIso() });
    const members = await load(auditRoute, `/admin/audit?entity=member`);
    const created = members.rows.find((r: { code: string }) => r.code === "member.create");
    expect(created.action).toBe("Lade till medlem");
    expect(created.entity).toBe("Medlem");
    expect(created.changes.map((c: { field: string }) => c.field)).toContain("Kommunkod");
    // Paging: 60 members and their populations make more than one page of member entries.
    expect(members.hasMore).toBe(true);
    expect(JSON.stringify(data.rows)).not.toMatch(/"before":"\{|passwordHash/);
    // A search by the Swedish words finds the action.
    const found = await load(auditRoute, `/admin/audit?q=${encodeURIComponent("skickade påminnelse")}`);
    expect(found.rows.map((r: { code: string }) => r.code)).toEqual(["reminder.create"]);
  });
});
