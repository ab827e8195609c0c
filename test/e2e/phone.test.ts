import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { todayIso } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import { loginAs, screenshot, startE2e, stopE2e, type E2eContext } from "./browser";

/*
 * Every page as each role sees it on a phone (390 px wide, as an iPhone 12–15): nothing may make the page
 * scroll sideways. Wide tables scroll inside their own box, which is allowed; the page itself must not.
 */
let ctx: E2eContext;
let ids: { project: number; invoice: number; run: number };
const year = Number(todayIso().slice(0, 4));

beforeAll(async () => {
  ctx = await startE2e();
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const members = await import("../../app/services/members.server");
  const projects = await import("../../app/services/projects.server");
  const billing = await import("../../app/services/billing.server");
  const { saveSettings, DEFAULT_EXEMPTION_TEXT } = await import("../../app/services/settings.server");
  for (const [id, population] of [
    [ctx.members.dalsEd, 4_606],
    [ctx.members.goteborg, 608_993],
    [ctx.members.molndal, 71_420],
  ]) {
    members.setPopulation(SYSTEM_SCOPE, id, year - 1, population);
  }
  saveSettings(SYSTEM_SCOPE, {
    name: "Intresseföreningen för Sambruk",
    orgNumber: generateOrgNumber("802012345"),
    vatNumber: null,
    street: "Box 1234",
    postalCode: "111 22",
    city: "Stockholm",
    email: "kansli@sambruk.test",
    phone: null,
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: year * 1000 + 1,
    ourReference: "Kassören",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: DEFAULT_EXEMPTION_TEXT,
    footer: "",
  });
  const p = projects.createProject(SYSTEM_SCOPE, {
    code: "P-010",
    name: "Gemensam e-arkivlösning med ett långt projektnamn",
    status: "open",
    allocationKey: "base_plus_per_capita",
    basePercent: "20",
  });
  for (const id of Object.values(ctx.members)) projects.addParticipant(SYSTEM_SCOPE, p.id, { memberId: id, joinedOn: `${year}-01-01` });
  projects.setBudget(SYSTEM_SCOPE, p.id, year, { amount: 123_456_789 });
  const run = billing.createBillingRun(SYSTEM_SCOPE, { year, charges: ["annual_fee", "project_share"] });
  billing.issueRun(SYSTEM_SCOPE, run.run.id);
  const own = billing.listInvoiceViews(SYSTEM_SCOPE, { year }).find((v) => v.memberId === ctx.members.dalsEd)!;
  ids = { project: p.id, invoice: own.id, run: run.run.id };
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

async function phonePage(email: string): Promise<Page> {
  const context = await ctx.browser.newContext({ viewport: { width: 390, height: 844 }, locale: "sv-SE", isMobile: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await loginAs(page, ctx.server.url, email, ctx.seed.PASSWORD);
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
  "/settings",
  "/admin/audit",
];

describe("at 390 px no page scrolls sideways", () => {
  test("the board's pages", async () => {
    const page = await phonePage("admin@test.se");
    for (const p of [...staffPages(), "/admin/users", "/populations/import", "/members/new", `/members/${ctx.members.goteborg}/edit`, "/projects/new", `/projects/${ids.project}/edit`]) {
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
  }, 120_000);
});
