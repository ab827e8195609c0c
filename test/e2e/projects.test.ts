import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Locator, Page } from "playwright-core";
import { todayIso } from "../../billing/dates";
import {
  expectStylesheetApplied,
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  normalise,
  screenshot,
  startE2e,
  stopE2e,
  textOf,
  type E2eContext,
} from "./browser";

/*
 * Flow 5: the board creates a project shared per capita, gives it a budget for this year and two participants,
 * and sees the split. Then a member's contact person (Dals-Ed, not yet a participant) finds the project, sees
 * what its share would be, joins, and the allocation shows three participants with that share and the same sum.
 */
let ctx: E2eContext;
let admin: Page;
let member: Page;

/** The year as the server counts it (Stockholm time), from the clock of this run. */
const year = Number(todayIso(new Date()).slice(0, 4));
const BUDGET = "300 000,00 kr";
const BUDGET_ORE = 300_000_00;
/** Population figures of 31 December of the year before, which per-capita shares of `year` are based on. */
const populations = { dalsEd: 4_606, goteborg: 608_993, molndal: 71_420 };

beforeAll(async () => {
  ctx = await startE2e();
  // startE2e gives Göteborg a figure for 2024 only and the others one for 2025; give all three one for the year
  // before this year, so no share falls back to an older figure whatever year the test runs in.
  await setPopulations(year - 1, [
    [ctx.members.dalsEd, populations.dalsEd],
    [ctx.members.goteborg, populations.goteborg],
    [ctx.members.molndal, populations.molndal],
  ]);
  admin = await ctx.newPage();
  member = await ctx.newPage();
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("the board creates a project with a budget, a member user joins it, and the allocation page shows the new split", () => {
  let projectPath = "";
  let wouldBe = "";

  test("the board creates P-100 E-arkiv test, open, per capita, through the new-project form", async () => {
    await loginAs(admin, ctx.server.url, "admin@test.se", PASSWORD);
    await admin
      .getByRole("navigation", { name: "Huvudmeny" })
      .getByRole("link", { name: "Projekt", exact: true })
      .click();
    await expectUrl(admin, /^\/projects$/);
    await expectText(admin.getByRole("heading", { level: 1 }), "Projekt");
    await expectText(admin.locator("main"), "Det finns inga projekt ännu.");
    await admin.getByRole("link", { name: "Nytt projekt" }).click();
    await expectUrl(admin, /^\/projects\/new$/);
    await expectText(admin.getByRole("heading", { level: 1 }), "Nytt projekt");
    await hydrated(admin);

    await admin.locator("#f-code").fill("P-100");
    await admin.locator("#f-name").fill("E-arkiv test");
    await admin.locator("#f-status").selectOption({ label: "Öppet" });
    await admin.locator("#f-allocationKey").selectOption({ label: "Per invånare" });
    await admin.getByRole("button", { name: "Skapa projektet" }).click();

    await expectUrl(admin, /^\/projects\/\d+\?notice=created$/);
    projectPath = new URL(admin.url()).pathname;
    await expectText(admin.getByRole("heading", { level: 1 }), "P-100 E-arkiv test");
    await expectText(admin.getByRole("status"), "Projektet är skapat. Lägg till budget och deltagare nedan.");
    await expectText(admin.locator(".lead"), "Öppet · Per invånare");
    await expectText(admin.locator("main"), "Ingen budget är satt ännu.");
    await expectText(admin.locator("main"), "Inga medlemmar deltar ännu.");
    await expectStylesheetApplied(admin);
  });

  test(`adds a budget of ${BUDGET} for ${year} and two participants through the page's forms`, async () => {
    await hydrated(admin);
    await admin.locator("#f-year").fill(String(year));
    await admin.locator("#f-amount").fill("300000");
    await admin.locator("#f-note").fill("Beslut styrelsemöte");
    await admin.getByRole("button", { name: "Spara budget" }).click();
    await expectUrl(admin, new RegExp(`^${projectPath}\\?notice=budget$`));
    await expectText(admin.getByRole("status"), "Budgeten är sparad.");
    const budgetRow = admin.getByRole("row", { name: new RegExp(`^${year}\\b`) });
    // The row also shows the outcome (none yet), what is invoiced and what is open of the year (docs/adjustments.md).
    await expectText(budgetRow, new RegExp(`^${year} ${BUDGET} .*Beslut styrelsemöte`));

    for (const [label, name] of [
      ["Göteborg kommun (1480)", "Göteborg kommun"],
      ["Mölndal kommun (1481)", "Mölndal kommun"],
    ]) {
      await hydrated(admin);
      await admin.locator("#f-memberId").selectOption({ label });
      expect(await admin.locator("#f-joinedOn").inputValue()).toBe(`${year}-01-01`);
      await admin.getByRole("button", { name: "Lägg till", exact: true }).click();
      await expectUrl(admin, new RegExp(`^${projectPath}\\?notice=participant$`));
      await expectText(admin.getByRole("status"), "Deltagaren är tillagd.");
      await expectText(
        admin.getByRole("row", { name: new RegExp(name) }),
        `${name} ${label.slice(-5, -1)} ${year}-01-01 tills vidare Deltar`,
      );
    }
    // Dals-Ed is still to be added (it will join by itself); the others are no longer offered.
    const options = normaliseAll(await admin.locator("#f-memberId option").allInnerTexts());
    expect(options).toEqual(["Välj medlem…", "Dals-Ed kommun (1438)"]);
    await expectText(budgetRow, new RegExp(`^${year} ${BUDGET} .*\\b2\\b`));
  });

  test("opens the allocation page and sees two rows whose shares sum to the budget, and the chart", async () => {
    await admin.getByRole("link", { name: `Fördelning ${year}`, exact: true }).click();
    await expectUrl(admin, new RegExp(`^${projectPath}/allocation\\?year=${year}$`));
    await expectText(admin.getByRole("heading", { level: 1 }), `Fördelning ${year}: P-100 E-arkiv test`);

    const table = allocationTable(admin);
    const rows = table.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const split = await sharesByName(rows);
    expect(Object.keys(split)).toEqual(["Göteborg kommun", "Mölndal kommun"]);
    // Per capita, rounded to whole öre by largest remainder: an independent check of the arithmetic.
    const expected = largestRemainder(BUDGET_ORE, [populations.goteborg, populations.molndal]);
    expect(split["Göteborg kommun"].ore).toBe(expected[0]);
    expect(split["Mölndal kommun"].ore).toBe(expected[1]);
    expect(split["Göteborg kommun"].ore + split["Mölndal kommun"].ore).toBe(BUDGET_ORE);
    // Each row names the population figure of the year before: no "äldre uppgift".
    await expectText(rows.filter({ hasText: "Göteborg kommun" }), `608 993 (${year - 1})`);
    expect(await table.getByText("äldre uppgift").count()).toBe(0);

    const sum = table.locator("tfoot tr");
    await expectText(sum, /^Summa/);
    await expectText(sum, `${BUDGET} 100,00 %`);
    await expectText(admin.locator(".stats"), `Deltagare ${year} 2`);

    const chart = admin.getByRole("img", { name: new RegExp(`Fördelning av P-100 E-arkiv test ${year}`) });
    await chart.waitFor();
    expect(await chart.evaluate((el) => el.tagName.toLowerCase())).toBe("svg");
    expect(await chart.locator("rect").count()).toBe(2);
    await screenshot(admin, "5-projects-allocation-two");
  });

  test("the member user finds the project among the projects, with a link to see its share", async () => {
    await loginAs(member, ctx.server.url, "kontakt@test.se", PASSWORD);
    await expectUrl(member, new RegExp(`^/members/${ctx.members.dalsEd}$`));
    await member
      .getByRole("navigation", { name: "Huvudmeny" })
      .getByRole("link", { name: "Projekt", exact: true })
      .click();
    await expectUrl(member, /^\/projects$/);
    expect(await member.getByRole("link", { name: "Nytt projekt" }).count()).toBe(0);
    const row = member.getByRole("row", { name: /P-100/ });
    await expectText(row, `P-100 E-arkiv test Öppet Per invånare 2 ${BUDGET}`);
    await expectText(row.getByRole("link", { name: "Gå med i P-100 E-arkiv test" }), "Se er andel och gå med");

    await row.getByRole("link", { name: "E-arkiv test", exact: true }).click();
    await expectUrl(member, new RegExp(`^${projectPath}$`));
    await expectText(member.getByRole("heading", { level: 1 }), "P-100 E-arkiv test");
  });

  test("sees on the project page what its share would be, and the same on the join page", async () => {
    const own = member.getByRole("region", { name: "Er organisation" });
    await expectText(own, `Om ni går med i dag blir er andel ${year}`);
    await expectText(own, `av budgeten ${BUDGET}, delad mellan 3 deltagare med er)`);
    wouldBe = await textOf(own.locator("strong"));
    expect(wouldBe).toMatch(/^\d{1,3}( \d{3})*,\d{2} kr$/);
    // Dals-Ed's part of the three populations, by the same rounding.
    const expected = largestRemainder(BUDGET_ORE, [populations.dalsEd, populations.goteborg, populations.molndal]);
    expect(toOre(wouldBe)).toBe(expected[0]);
    // The member sees the participants but none of the board's forms.
    expect(await member.getByRole("button", { name: "Spara budget" }).count()).toBe(0);
    expect(await member.getByRole("button", { name: "Lägg till", exact: true }).count()).toBe(0);

    await own.getByRole("link", { name: "Gå med i projektet…" }).click();
    await expectUrl(member, new RegExp(`^${projectPath}/join$`));
    await expectText(member.getByRole("heading", { level: 1 }), "Gå med i P-100 E-arkiv test");
    const share = member.getByRole("region", { name: `Er andel ${year} om ni går med` });
    await expectText(share.locator("p").first(), `${wouldBe} – `);
    await expectText(share, `av budgeten ${BUDGET}, delad mellan 3 deltagare.`);
    await expectText(share, `Underlag: 4 606 invånare 31 december ${year - 1}.`);
    await screenshot(member, "5-projects-join-confirm");
  });

  test("clicks Gå med and confirms: it is a participant and its share is what it was told", async () => {
    await hydrated(member);
    await member.getByRole("button", { name: "Gå med", exact: true }).click();
    await expectUrl(member, new RegExp(`^${projectPath}\\?notice=joined$`));
    await expectText(member.getByRole("status"), "Er organisation deltar nu i projektet.");
    const own = member.getByRole("region", { name: "Er organisation" });
    await expectText(own, `Ni deltar sedan ${todayIso(new Date())}.`);
    await expectText(own, `Er andel ${year}: ${wouldBe}`);
    await expectText(
      member.getByRole("row", { name: /Dals-Ed kommun/ }),
      `Dals-Ed kommun 1438 ${todayIso(new Date())} tills vidare Deltar`,
    );
    expect(await own.getByRole("link", { name: "Gå med i projektet…" }).count()).toBe(0);
    await expectText(own.getByRole("link", { name: "Lämna projektet…" }), "Lämna projektet…");
  });

  test("the allocation page now shows three participants, its own row marked, and the sum still the budget", async () => {
    await member.getByRole("link", { name: `Fördelning ${year}`, exact: true }).click();
    await expectUrl(member, new RegExp(`^${projectPath}/allocation\\?year=${year}$`));
    const table = allocationTable(member);
    const rows = table.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    const split = await sharesByName(rows);
    expect(Object.keys(split)).toEqual(["Dals-Ed kommun (ni)", "Göteborg kommun", "Mölndal kommun"]);
    expect(split["Dals-Ed kommun (ni)"].text).toBe(wouldBe);
    expect(Object.values(split).reduce((s, r) => s + r.ore, 0)).toBe(BUDGET_ORE);
    await expectText(
      rows.filter({ hasText: "Dals-Ed kommun" }),
      `Dals-Ed kommun (ni) 1438 4 606 (${year - 1}) ${wouldBe}`,
    );
    await expectText(
      table.locator("tfoot tr"),
      `Summa ${formatInt(populations.dalsEd + populations.goteborg + populations.molndal)} ${BUDGET} 100,00 %`,
    );
    await expectText(member.locator(".stats"), `Deltagare ${year} 3`);

    const chart = member.getByRole("img", { name: new RegExp(`Fördelning av P-100 E-arkiv test ${year}`) });
    await chart.waitFor();
    expect(await chart.evaluate((el) => el.tagName.toLowerCase())).toBe("svg");
    expect(await chart.locator("rect").count()).toBe(3);
    expect(normalise((await chart.locator("text").allTextContents()).join(" "))).toContain(`${wouldBe} (`);
    await screenshot(member, "5-projects-allocation-three");
  });

  test("the board, reloading its allocation page, sees the same three rows and the same sum", async () => {
    await admin.reload();
    const table = allocationTable(admin);
    const rows = table.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    const split = await sharesByName(rows);
    expect(split["Dals-Ed kommun"].text).toBe(wouldBe);
    await expectText(table.locator("tfoot tr"), `${BUDGET} 100,00 %`);
  });
});

function allocationTable(page: Page): Locator {
  return page.getByRole("table", {
    name: new RegExp(`Andelar ${year} per deltagare, budget ${BUDGET.replace(/ /g, "\\s")}`),
  });
}

/** Each row's member name (first cell) and its share (the one amount in kronor on the row). */
async function sharesByName(rows: Locator): Promise<Record<string, { text: string; ore: number }>> {
  const out: Record<string, { text: string; ore: number }> = {};
  for (const row of await rows.all()) {
    const name = normalise(await row.locator("th").innerText());
    const amounts: string[] = normalise(await row.innerText()).match(/\d{1,3}(?: \d{3})*,\d{2} kr/g) ?? [];
    expect(amounts, `one amount on the row of ${name}`).toHaveLength(1);
    out[name] = { text: amounts[0], ore: toOre(amounts[0]) };
  }
  return out;
}

/** "1 234,56 kr" → 123456 */
function toOre(text: string): number {
  const m = /^(-?[\d ]+),(\d{2}) kr$/.exec(normalise(text));
  if (!m) throw new Error(`not an amount in kronor: ${text}`);
  return Number(m[1].replace(/ /g, "")) * 100 + Number(m[2]);
}

function formatInt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/** Shares proportional to the weights, floored to whole öre, the left-over öre to the largest remainders. */
function largestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => BigInt(total) * BigInt(w));
  const floors = exact.map((e) => Number(e / BigInt(sum)));
  const rems = exact.map((e, i) => ({ i, rem: Number(e % BigInt(sum)) }));
  let left = total - floors.reduce((a, b) => a + b, 0);
  for (const { i } of rems.sort((a, b) => b.rem - a.rem || a.i - b.i)) {
    if (left-- <= 0) break;
    floors[i] += 1;
  }
  return floors;
}

function normaliseAll(list: string[]) {
  return list.map(normalise);
}

/** Figures for `populationYear` written through the use case, on the server's database file (WAL). */
async function setPopulations(populationYear: number, figures: Array<[number, number]>) {
  const client = await import("../../db/client");
  const { setPopulation } = await import("../../app/features/members/commands.server");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  try {
    for (const [memberId, population] of figures) setPopulation(SYSTEM_SCOPE, memberId, populationYear, population);
  } finally {
    client.closeDatabase();
  }
}
