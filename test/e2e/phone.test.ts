import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
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
 * Every page as each role sees it on a phone (390 px wide, as an iPhone 12–15): nothing may make the page
 * scroll sideways. Wide tables scroll inside their own box, which is allowed; the page itself must not.
 */
let ctx: E2eContext;
let ids: { project: number; invoice: number; run: number };
const year = thisYear;

beforeAll(async () => {
  ctx = await startE2e(billedAssociation());
  const seeded = billedOf(ctx);
  ids = { project: seeded.project, invoice: seeded.invoice.dalsEd.id, run: seeded.run };
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

async function phonePage(email: string): Promise<Page> {
  const context = await ctx.browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: "sv-SE",
    isMobile: true,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await loginAs(page, ctx.server.url, email, PASSWORD);
  return page;
}

async function expectNoSidewaysScroll(page: Page, path: string, shot: string) {
  const res = await page.goto(ctx.url(path));
  expect(res?.status(), `${path} answers`).toBeLessThan(400);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (scrollWidth > clientWidth) await screenshot(page, `phone-overflow-${shot}`);
  expect(scrollWidth, `${path} is ${scrollWidth} px wide at ${clientWidth} px`).toBeLessThanOrEqual(clientWidth);
}

const staffPages = () => [
  "/",
  "/members",
  `/members/${ctx.members.dalsEd}`,
  "/fees",
  "/fee-schedules",
  "/projects",
  `/projects/${ids.project}`,
  `/projects/${ids.project}/allocation?year=${year}`,
  "/billing",
  `/billing/runs/${ids.run}`,
  "/invoices",
  `/invoices/${ids.invoice}`,
  `/unbilled?year=${year - 1}`,
  "/payment-files",
  "/unmatched-payments",
  "/receivables",
  "/invoices/sie",
  "/invoices?overdue=1",
  "/settings",
  "/admin/audit",
];

describe("at 390 px no page scrolls sideways", () => {
  test("the board's pages", async () => {
    const page = await phonePage("admin@test.se");
    for (const p of [
      ...staffPages(),
      "/admin/users",
      "/populations/import",
      "/members/new",
      `/members/${ctx.members.goteborg}/edit`,
      "/projects/new",
      `/projects/${ids.project}/edit`,
    ]) {
      await expectNoSidewaysScroll(page, p, `admin${p.replace(/\W+/g, "-")}`);
    }
    await screenshot(page, "phone-admin-last");
  }, 120_000);

  test("the treasurer's pages", async () => {
    const page = await phonePage("kassor@test.se");
    await expectNoSidewaysScroll(page, "/", "treasurer-home");
    await screenshot(page, "phone-treasurer-overview");
    for (const p of staffPages()) await expectNoSidewaysScroll(page, p, `treasurer${p.replace(/\W+/g, "-")}`);
  }, 120_000);

  test("the member's contact person's pages", async () => {
    const page = await phonePage("kontakt@test.se");
    for (const p of [
      `/members/${ctx.members.dalsEd}`,
      `/members/${ctx.members.dalsEd}/edit`,
      "/members",
      "/projects",
      `/projects/${ids.project}`,
      `/projects/${ids.project}/allocation?year=${year}`,
      "/invoices",
      `/invoices/${ids.invoice}`,
    ]) {
      await expectNoSidewaysScroll(page, p, `member${p.replace(/\W+/g, "-")}`);
    }
    await page.goto(ctx.url(`/members/${ctx.members.dalsEd}`));
    await screenshot(page, "phone-member-own");

    // The invoice list reads as one small card per invoice: the amount and what is left are inside the screen.
    await page.goto(ctx.url("/invoices"));
    const row = page.locator("table tbody tr").first();
    for (const label of ["Belopp", "Kvar"]) {
      const cell = row.locator(`td[data-label="${label}"]`);
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width, `${label} ends inside 390 px`).toBeLessThanOrEqual(390);
      expect(await cell.innerText()).toMatch(/^-?[\d\s]+,\d{2}\skr$/);
      // Its column's name is printed before it, from data-label.
      expect(await cell.evaluate((el) => getComputedStyle(el, "::before").content)).toBe(`"${label}"`);
    }
    await screenshot(page, "phone-member-invoices");

    // The invoice's own page: its lines as cards and its total inside the screen.
    await page.goto(ctx.url(`/invoices/${ids.invoice}`));
    const total = (await page.getByTestId("invoice-total").boundingBox())!;
    expect(total.x + total.width, "the invoice total ends inside 390 px").toBeLessThanOrEqual(390);
    const amount = page.locator('table.stack tbody td[data-label="Belopp"]').first();
    const box = (await amount.boundingBox())!;
    expect(box.x + box.width, "a line's amount ends inside 390 px").toBeLessThanOrEqual(390);
    await screenshot(page, "phone-member-invoice");
  }, 120_000);
});
