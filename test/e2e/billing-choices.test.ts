import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { addDays, todayIso } from "../../billing/dates";
import { formatSek } from "../../billing/money";
import { PASSWORD } from "../support/association";
import {
  billedAssociation,
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  screenshot,
  startE2e,
  stopE2e,
  textOf,
  thisYear,
  type E2eContext,
} from "./browser";

/*
 * The billing choices a treasurer and a board expect (issue 14), walked in Chromium on desktop and at 390 px:
 * next year's annual fees issued with an invoice date ahead and their due date after it, a member joining a
 * project from 1 January next year after seeing what that costs, and the board adding several members at once.
 */
let ctx: E2eContext;
let treasurer: Page;
let admin: Page;
let member: Page;
let runId: number;
let joinable: number;
let empty: number;
const nextYear = thisYear + 1;
const today = todayIso();
/** 15 January next year, as for the 2027 annual fees; a date 44 days ahead early in January (at most a year ahead). */
const issueDate = `${nextYear}-01-15` <= addDays(today, 365) ? `${nextYear}-01-15` : addDays(today, 44);

async function phone(email: string): Promise<Page> {
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

async function noSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${page.url()} is ${scrollWidth} px wide at ${clientWidth} px`).toBeLessThanOrEqual(clientWidth);
}

beforeAll(async () => {
  ctx = await startE2e(billedAssociation());
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const billing = {
    ...(await import("../../app/features/billing-runs/commands.server")),
    ...(await import("../../app/features/invoices/credit.server")),
    ...(await import("../../app/features/invoices/documents.server")),
    ...(await import("../../app/features/invoices/issue.server")),
    ...(await import("../../app/features/invoices/queries.server")),
    ...(await import("../../app/features/payments/commands.server")),
  };
  const projects = {
    ...(await import("../../app/features/projects/allocation.server")),
    ...(await import("../../app/features/projects/commands.server")),
    ...(await import("../../app/features/projects/participants.server")),
    ...(await import("../../billing/membership")),
  };
  runId = billing.createBillingRun(SYSTEM_SCOPE, { year: nextYear, charges: ["annual_fee"] }).run!.id;
  const p = projects.createProject(SYSTEM_SCOPE, {
    code: "P-020",
    name: "Digital brevlåda",
    status: "open",
    allocationKey: "equal",
  });
  projects.setBudget(SYSTEM_SCOPE, p.id, thisYear, { amount: 6_000_000 });
  projects.setBudget(SYSTEM_SCOPE, p.id, nextYear, { amount: 9_000_000 });
  for (const id of [ctx.members.goteborg, ctx.members.molndal])
    projects.addParticipant(SYSTEM_SCOPE, p.id, { memberId: id, joinedOn: `${thisYear}-01-01` });
  joinable = p.id;
  empty = projects.createProject(SYSTEM_SCOPE, {
    code: "P-030",
    name: "Gemensam upphandling",
    status: "open",
    allocationKey: "equal",
  }).id;
  (await import("../../db/client")).closeDatabase();
  treasurer = await ctx.newPage();
  admin = await ctx.newPage();
  member = await ctx.newPage();
  await loginAs(treasurer, ctx.server.url, "kassor@test.se", PASSWORD);
  await loginAs(admin, ctx.server.url, "admin@test.se", PASSWORD);
  await loginAs(member, ctx.server.url, "kontakt@test.se", PASSWORD);
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("next year's annual fees with an invoice date ahead", () => {
  test("the confirmation names the invoices, the total and the dates; the treasurer moves the invoice date", async () => {
    await treasurer.goto(ctx.url(`/billing/runs/${runId}`));
    const draftTotal = await textOf(treasurer.getByRole("heading", { name: /^Utkast \(3,/ }));
    await treasurer.getByRole("link", { name: "Utfärda 3 fakturor" }).click();
    const confirm = treasurer.getByTestId("confirm-issue");
    await expectText(confirm.getByRole("heading", { name: "Utfärda 3 fakturor?" }), "Utfärda 3 fakturor?");
    await expectText(confirm, `3 fakturor på sammanlagt ${draftTotal.replace(/^Utkast \(3, (.*)\)$/, "$1")}`);
    const dates = confirm.getByTestId("issue-dates");
    await expectText(dates, `Fakturadatum ${today} (i dag)`);
    await expectText(dates, `Förfallodatum ${addDays(today, 30)} (30 dagar efter fakturadatum)`);

    await confirm.getByLabel("Fakturadatum").fill(issueDate);
    await confirm.getByRole("button", { name: "Visa med dessa datum" }).click();
    await expectUrl(treasurer, new RegExp(`confirm=1&issueDate=${issueDate}&dueDate=$`));
    await expectText(dates, `Fakturadatum ${issueDate}`);
    await expectText(dates, `Förfallodatum ${addDays(issueDate, 30)} (30 dagar efter fakturadatum)`);
    await screenshot(treasurer, "billing-choices-issue-dates");
  });

  test("a due date before the invoice date is marked at its field, and there is nothing to confirm", async () => {
    const confirm = treasurer.getByTestId("confirm-issue");
    await confirm.getByLabel("Förfallodatum").fill(addDays(issueDate, -1));
    await confirm.getByRole("button", { name: "Visa med dessa datum" }).click();
    await expectText(confirm, `Förfallodatumet kan inte ligga före fakturadatumet (${issueDate})`);
    await expect.poll(() => confirm.getByLabel("Förfallodatum").getAttribute("aria-invalid")).toBe("true");
    expect(await confirm.getByRole("button", { name: "Ja, utfärda 3 fakturor" }).count()).toBe(0);
  });

  test("with a due date the treasurer picks, confirming issues all three with those dates", async () => {
    const due = addDays(issueDate, 16);
    const confirm = treasurer.getByTestId("confirm-issue");
    await confirm.getByLabel("Förfallodatum").fill(due);
    await confirm.getByRole("button", { name: "Visa med dessa datum" }).click();
    await expectText(confirm.getByTestId("issue-dates"), `Förfallodatum ${due} (16 dagar efter fakturadatum)`);
    await hydrated(treasurer);
    await confirm.getByRole("button", { name: "Ja, utfärda 3 fakturor" }).click();
    await expectText(treasurer.getByRole("status").first(), "3 fakturor är utfärdade och numrerade.");
    const rows = treasurer.getByRole("table").last().locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    for (const text of await rows.allInnerTexts()) expect(text).toContain(due);
    await rows.first().getByRole("link").click();
    await expectText(treasurer.locator("dl.facts"), `Fakturadatum ${issueDate}`);
    await expectText(treasurer.locator("dl.facts"), `Förfallodatum ${due}`);
  });

  test("at 390 px the confirmation with its date form fits the screen", async () => {
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    const billing = {
      ...(await import("../../app/features/billing-runs/commands.server")),
      ...(await import("../../app/features/invoices/credit.server")),
      ...(await import("../../app/features/invoices/documents.server")),
      ...(await import("../../app/features/invoices/issue.server")),
      ...(await import("../../app/features/invoices/queries.server")),
      ...(await import("../../app/features/payments/commands.server")),
    };
    const credited = billing.listInvoiceViews(SYSTEM_SCOPE, { year: nextYear })[0];
    billing.creditInvoice(SYSTEM_SCOPE, credited.id, "Fel avgift");
    const again = billing.createBillingRun(SYSTEM_SCOPE, { year: nextYear, charges: ["annual_fee"] }).run!.id;
    (await import("../../db/client")).closeDatabase();
    const page = await phone("kassor@test.se");
    await page.goto(ctx.url(`/billing/runs/${again}?confirm=1`));
    // The series is dated ahead now: the earliest date is the latest invoice date, and it is the default.
    await expectText(page.getByTestId("issue-dates"), `Fakturadatum ${issueDate}`);
    await expectText(page.getByTestId("confirm-issue"), `Tidigast ${issueDate}: faktura`);
    await noSidewaysScroll(page);
    await screenshot(page, "billing-choices-issue-dates-phone");
  });
});

describe("a member joins from 1 January next year", () => {
  test("the join page puts today beside 1 January next year with what each costs", async () => {
    await member.goto(ctx.url(`/projects/${joinable}`));
    await member.getByRole("link", { name: "Gå med i projektet…" }).click();
    await expectUrl(member, new RegExp(`^/projects/${joinable}/join$`));
    const start = member.getByTestId("join-start");
    await expectText(start, `Från i dag, ${today}: er andel ${thisYear} blir ${formatSek(2_000_000)}`);
    await expectText(start, `Från 1 januari ${nextYear}: er andel ${nextYear} blir ${formatSek(3_000_000)}`);
    await expectText(member.getByTestId("join-from"), `från och med i dag (${today})`);
    await screenshot(member, "billing-choices-join");
  });

  test("choosing 1 January shows next year's share; Gå med joins from that day", async () => {
    await member.getByRole("link", { name: `Från 1 januari ${nextYear}` }).click();
    await expectUrl(member, new RegExp(`joinedOn=${nextYear}-01-01$`));
    const share = member.getByRole("region", { name: `Er andel ${nextYear} om ni går med` });
    await expectText(share, `${formatSek(3_000_000)} – 33,33 % av budgeten ${formatSek(9_000_000)}`);
    await expectText(member.getByTestId("join-from"), `från och med ${nextYear}-01-01.`);
    await hydrated(member);
    await member.getByRole("button", { name: "Gå med", exact: true }).click();
    await expectUrl(member, new RegExp(`^/projects/${joinable}\\?notice=joined-later$`));
    await expectText(member.getByRole("status").first(), "Deltagandet börjar på startdatumet nedan.");
    await expectText(
      member.getByRole("region", { name: "Er organisation" }),
      `Ni deltar från och med ${nextYear}-01-01.`,
    );
    await expectText(member.getByRole("row", { name: /Dals-Ed kommun/ }), `${nextYear}-01-01 tills vidare Börjar`);
  });

  test("a start date in the past is marked at the date field; at 390 px the page fits", async () => {
    const page = await phone("kontakt@test.se");
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    const projects = {
      ...(await import("../../app/features/projects/allocation.server")),
      ...(await import("../../app/features/projects/commands.server")),
      ...(await import("../../app/features/projects/participants.server")),
      ...(await import("../../billing/membership")),
    };
    const other = projects.createProject(SYSTEM_SCOPE, {
      code: "P-040",
      name: "Öppna data",
      status: "open",
      allocationKey: "per_capita",
    });
    projects.setBudget(SYSTEM_SCOPE, other.id, thisYear, { amount: 1_000_000 });
    (await import("../../db/client")).closeDatabase();
    await page.goto(ctx.url(`/projects/${other.id}/join`));
    await page.getByLabel("Annat startdatum").fill(addDays(today, -3));
    await page.getByRole("button", { name: "Visa andelen" }).click();
    await expectText(page.getByTestId("join-start"), `Startdatumet kan inte ligga före i dag (${today})`);
    await expect.poll(() => page.getByLabel("Annat startdatum").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("button", { name: "Gå med", exact: true }).count()).toBe(0);
    await noSidewaysScroll(page);
    await page.goto(ctx.url(`/projects/${other.id}/join`));
    await noSidewaysScroll(page);
    await screenshot(page, "billing-choices-join-phone");
  });
});

describe("the board adds several members at once", () => {
  test("one that cannot start on the date: nothing added, the reason under that member, the ticks kept", async () => {
    await admin.goto(ctx.url(`/projects/${empty}`));
    await admin.locator("summary", { hasText: "Lägg till flera deltagare på en gång" }).click();
    const form = admin.getByRole("form", { name: "Lägg till flera deltagare" });
    await form.getByLabel("Göteborg kommun (1480)").check();
    await form.getByLabel("Mölndal kommun (1481)").check();
    await form.getByLabel("Från och med").fill("2019-06-01");
    await form.getByRole("button", { name: "Lägg till de valda" }).click();
    const again = admin.getByRole("form", { name: "Lägg till flera deltagare" });
    await expectText(admin.getByRole("alert").first(), "2 av medlemmarna kan inte läggas till, så ingen är tillagd");
    await expectText(again, "Göteborg kommun blev medlem först 2020-01-01; startdatumet kan inte ligga före det");
    expect(await again.getByLabel("Göteborg kommun (1480)").isChecked()).toBe(true);
    expect(await again.getByLabel("Dals-Ed kommun (1438)").isChecked()).toBe(false);
    await expectText(admin.locator("main"), "Inga medlemmar deltar ännu.");
    await screenshot(admin, "billing-choices-bulk-refused");
  });

  test("with a date they can all start on, each is added from it in one go", async () => {
    const form = admin.getByRole("form", { name: "Lägg till flera deltagare" });
    await form.getByLabel("Dals-Ed kommun (1438)").check();
    await form.getByLabel("Från och med").fill(`${thisYear}-03-01`);
    await form.getByRole("button", { name: "Lägg till de valda" }).click();
    await expectText(admin.getByRole("status").first(), "Deltagarna är tillagda.");
    await expect.poll(() => admin.locator("table tbody tr", { hasText: `${thisYear}-03-01` }).count()).toBe(3);
    await expectText(admin.getByRole("region", { name: "Lägg till deltagare" }), "Alla medlemmar deltar redan.");
    await screenshot(admin, "billing-choices-bulk-added");
  });

  test("at 390 px the list of members fits the screen", async () => {
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    const projects = {
      ...(await import("../../app/features/projects/allocation.server")),
      ...(await import("../../app/features/projects/commands.server")),
      ...(await import("../../app/features/projects/participants.server")),
      ...(await import("../../billing/membership")),
    };
    const fresh = projects.createProject(SYSTEM_SCOPE, {
      code: "P-050",
      name: "Samordnad drift",
      status: "open",
      allocationKey: "fixed",
    });
    (await import("../../db/client")).closeDatabase();
    const page = await phone("admin@test.se");
    await page.goto(ctx.url(`/projects/${fresh.id}`));
    await page.locator("summary", { hasText: "Lägg till flera deltagare på en gång" }).click();
    await expectText(page.getByRole("form", { name: "Lägg till flera deltagare" }), "Andel (vikt)");
    await noSidewaysScroll(page);
    await screenshot(page, "billing-choices-bulk-phone");
  });
});
