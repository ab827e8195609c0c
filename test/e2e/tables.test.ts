import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD, type MunicipalitySpec } from "../support/association";
import type { Page } from "playwright-core";
import { addDays, todayIso } from "../../billing/dates";
import {
  billedAssociation,
  billedOf,
  loginAs,
  screenshot,
  startE2e,
  stopE2e,
  thisYear,
  type E2eContext,
} from "./browser";

/*
 * The treasurer's tables in Chromium: sort the member list by population by clicking its header, page the
 * invoice list, open the overdue list and read days overdue and the reminder date, read an audit entry in words.
 */
let ctx: E2eContext;
let overdueNumber: string;

beforeAll(async () => {
  const billed = billedAssociation();
  // 55 more municipalities of every size, so that the year's invoices fill more than one page of 50.
  const more = Array.from({ length: 55 }, (_, i) => ({
    code: String(2701 + i),
    name: `Provort ${i + 1}`,
    county: "Test",
    population: 2_000 + i * 4_567,
    populationYear: thisYear - 1,
  }));
  ctx = await startE2e({ ...billed, municipalities: [...(billed.municipalities as MunicipalitySpec[]), ...more] });
  const seeded = billedOf(ctx);
  const { connection } = await import("../../db/client");
  const billing = {
    ...(await import("../../app/features/billing-runs/commands.server")),
    ...(await import("../../app/features/invoices/credit.server")),
    ...(await import("../../app/features/invoices/documents.server")),
    ...(await import("../../app/features/invoices/drafts.server")),
    ...(await import("../../app/features/invoices/issue.server")),
    ...(await import("../../app/features/invoices/queries.server")),
    ...(await import("../../app/features/invoices/reminders.server")),
    ...(await import("../../app/features/payments/commands.server")),
  };
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  connection()
    .sqlite.prepare("UPDATE invoices SET due_date = ? WHERE id = ?")
    .run(addDays(todayIso(), -12), seeded.invoice.molndal.id);
  billing.recordReminder(SYSTEM_SCOPE, seeded.invoice.molndal.id);
  overdueNumber = String(seeded.invoice.molndal.number);
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

async function treasurer(width: number): Promise<Page> {
  const context = await ctx.browser.newContext({ viewport: { width, height: 900 }, locale: "sv-SE" });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await loginAs(page, ctx.server.url, "kassor@test.se", PASSWORD);
  return page;
}

async function populations(page: Page): Promise<number[]> {
  const cells = await page.locator("table tbody tr td:nth-child(4)").allInnerTexts();
  return cells.map((t) => Number(t.replace(/\D/g, "")));
}

describe("tables", () => {
  test("sorts the member list by population by clicking the header, largest first, then smallest", async () => {
    const page = await treasurer(1280);
    await page.goto(ctx.url(`/members?year=${thisYear}`));
    const header = page.getByRole("columnheader", { name: /Invånare/ });
    await header.getByRole("link").click();
    await page.waitForURL(/sort=population&dir=desc/);
    await expect
      .poll(() => page.getByRole("columnheader", { name: /Invånare/ }).getAttribute("aria-sort"))
      .toBe("descending");
    const desc = await populations(page);
    expect(desc[0]).toBe(608_993); // Göteborg
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page
      .getByRole("columnheader", { name: /Invånare/ })
      .getByRole("link")
      .click();
    await page.waitForURL(/dir=asc/);
    const asc = await populations(page);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await screenshot(page, "tables-members-1280");
  });

  test("pages the invoice list, the total covering every page", async () => {
    const page = await treasurer(1280);
    await page.goto(ctx.url(`/invoices?year=${thisYear}`));
    await expect.poll(() => page.locator("table tbody tr").count()).toBe(50);
    const lead = await page.locator(".lead").innerText();
    expect(lead).toMatch(/58 fakturor/);
    await expect.poll(() => page.getByText("Visar 1–50 av 58").count()).toBe(1);
    await page.getByRole("link", { name: "Nästa →" }).click();
    await page.waitForURL(/page=2/);
    await expect.poll(() => page.locator("table tbody tr").count()).toBe(8);
    expect(await page.locator("tfoot").innerText()).toMatch(/Summa, 58 fakturor \(alla sidor\)/);
    await screenshot(page, "tables-invoices-page2-1280");
  });

  test("the overdue list shows days overdue and the reminder date", async () => {
    for (const width of [1280, 390]) {
      const page = await treasurer(width);
      await page.goto(ctx.url(`/invoices?overdue=1`));
      const row = page.locator("table tbody tr", { hasText: overdueNumber });
      await expect.poll(() => row.count()).toBe(1);
      const cells = await row.locator("td").allInnerTexts();
      expect(cells).toContain("12");
      expect(cells).toContain(todayIso());
      expect(await page.getByRole("columnheader", { name: /Dagar förfallen/ }).getAttribute("aria-sort")).toBe(
        "descending",
      );
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      await screenshot(page, `tables-overdue-${width}`);
    }
  });

  test("reads an audit entry in words", async () => {
    for (const width of [1280, 390]) {
      const page = await treasurer(width);
      await page.goto(ctx.url(`/admin/audit?entity=invoice`));
      const row = page.locator("table tbody tr", { hasText: "Skickade påminnelse" });
      await expect.poll(() => row.count()).toBe(1);
      const text = await row.innerText();
      expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(text).toContain("Ny förfallodag");
      expect(text).not.toMatch(/[{}"]/);
      await screenshot(page, `tables-audit-${width}`);
    }
  });
});
