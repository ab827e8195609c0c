import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import { todayIso } from "../../billing/dates";
import {
  RESULTS_DIR,
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  normalise,
  screenshot,
  startE2e,
  stopE2e,
  type E2eContext,
} from "./browser";

/*
 * A late join after a project-year was invoiced (docs/adjustments.md): the treasurer previews a run with
 * adjustments (old and new split side by side), makes and issues it, and opens the newcomer's invoice PDF and a
 * refunded participant's credit-note PDF, whose appendix shows both splits.
 */
let ctx: E2eContext;
let treasurer: Page;
const year = Number(todayIso(new Date()).slice(0, 4));

beforeAll(async () => {
  ctx = await startE2e();
  const client = await import("../../db/client");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const { saveSettings } = await import("../../app/features/settings/commands.server");
  const projects = {
    ...(await import("../../app/features/projects/allocation.server")),
    ...(await import("../../app/features/projects/commands.server")),
    ...(await import("../../app/features/projects/participants.server")),
    ...(await import("../../app/features/projects/queries.server")),
    ...(await import("../../app/features/projects/shares.server")),
  };
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
  try {
    saveSettings(SYSTEM_SCOPE, {
      name: "Intresseföreningen för Sambruk",
      orgNumber: "802412-3344",
      vatNumber: null,
      street: "Box 1",
      postalCode: "111 11",
      city: "Stockholm",
      email: "kansli@sambruk.example.se",
      phone: null,
      bankgiro: "5050-1055",
      paymentTermsDays: 30,
      nextInvoiceNumber: year * 1000 + 1,
      ourReference: "Kim Kassör",
      vatRateEntryFee: 0,
      vatRateAnnualFee: 0,
      vatRateProjectShare: 0,
      vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
      footer: "",
    } as never);
    const p = projects.createProject(SYSTEM_SCOPE, {
      code: "P-003",
      name: "E-arkiv",
      allocationKey: "equal",
      status: "open",
    } as never);
    projects.setBudget(SYSTEM_SCOPE, p.id, year, { amount: 80_000_000 });
    for (const id of [ctx.members.dalsEd, ctx.members.goteborg])
      projects.addParticipant(SYSTEM_SCOPE, p.id, { memberId: id, joinedOn: `${year}-01-01` });
    const first = billing.createBillingRun(SYSTEM_SCOPE, { year, charges: ["project_share"] });
    billing.issueRun(SYSTEM_SCOPE, first.run!.id);
    // Mölndal joins late, after the shares were issued.
    projects.addParticipant(SYSTEM_SCOPE, p.id, { memberId: ctx.members.molndal, joinedOn: `${year}-12-01` });
  } finally {
    client.closeDatabase();
  }
  treasurer = await ctx.newPage();
}, 120_000);

afterAll(async () => {
  await stopE2e(ctx);
});

function pdfText(pdf: Buffer, name: string): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `e2e-${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return normalise(execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", timeout: 30_000 }));
}

describe("a late joiner is billed as an adjustment, the others are refunded by credit notes", () => {
  test("the preview shows the old and new split side by side before anything is made", async () => {
    await loginAs(treasurer, ctx.server.url, "kassor@test.se", PASSWORD);
    await treasurer.goto(ctx.url(`/billing?preview=1&year=${year}&charges=project_share&charges=project_adjustment`));
    const change = treasurer.getByTestId("adjustment-preview");
    await expectText(change.getByRole("heading"), `Justering P-003 E-arkiv ${year}`);
    await expectText(
      change.locator("p.small"),
      /Fakturerat hittills 800 000,00 kr, budget nu 800 000,00 kr\. Ändrat: ny deltagare: Mölndal kommun\./,
    );
    const rows = await change.locator("tbody tr").allInnerTexts();
    expect(rows.map(normalise)).toEqual([
      "Dals-Ed kommun 400 000,00 kr 266 666,67 kr -133 333,33 kr",
      "Göteborg kommun 400 000,00 kr 266 666,67 kr -133 333,33 kr",
      "Mölndal kommun 0,00 kr 266 666,66 kr 266 666,66 kr (andel)",
    ]);
    await screenshot(treasurer, "adjustments-preview-1280");
    await treasurer.setViewportSize({ width: 390, height: 844 });
    await screenshot(treasurer, "adjustments-preview-390");
    const overflow = await treasurer.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await treasurer.setViewportSize({ width: 1280, height: 900 });
  });

  test("makes and issues the run; the newcomer's invoice and a credit note as PDFs with both splits", async () => {
    await hydrated(treasurer);
    await treasurer.getByRole("button", { name: "Skapa 3 fakturautkast" }).click();
    await expectUrl(treasurer, /^\/billing\/runs\/\d+\?created=3$/);
    const runPath = new URL(treasurer.url()).pathname;
    await treasurer.getByRole("link", { name: "Utfärda 3 fakturor" }).click();
    await hydrated(treasurer);
    await treasurer.getByTestId("confirm-issue").getByRole("button", { name: "Ja, utfärda 3 fakturor" }).click();
    await expectUrl(treasurer, new RegExp(`^${runPath}\\?issued=3$`));
    // The run's invoices (the page also has a table of the delivery by channel).
    const rows = treasurer.locator("table tbody tr", { has: treasurer.locator('a[href^="/invoices/"]') });
    await expect.poll(() => rows.count()).toBe(3);
    const linkOf = async (name: string) =>
      (await rows.filter({ hasText: name }).getByRole("link").first().getAttribute("href"))!;

    const invoice = await treasurer.request.get(ctx.url(`${await linkOf("Mölndal kommun")}/pdf`));
    expect(invoice.headers()["content-type"]).toBe("application/pdf");
    const invoiceText = pdfText(await invoice.body(), "adjustments-invoice");
    expect(invoiceText).toContain("Projektandel P-003 E-arkiv");
    expect(invoiceText).toContain("266 666,66 kr");

    const credit = await treasurer.request.get(ctx.url(`${await linkOf("Göteborg kommun")}/pdf`));
    const creditText = pdfText(await credit.body(), "adjustments-credit-note");
    expect(creditText).toContain("KREDITFAKTURA");
    expect(creditText).toMatch(
      /Justering P-003 E-arkiv \d{4}: andel fakturerad .*400 000,00 kr, andel nu 266 666,67 kr/,
    );
    expect(creditText).toContain("-133 333,33 kr");
    expect(creditText).toContain("Krediterar faktura");
    // The appendix: both splits, invoiced before and share now, and the reason.
    expect(creditText).toMatch(/Fakturerat\s+Andel nu/);
    expect(creditText).toContain("ny deltagare: Mölndal kommun");
    expect(creditText).toMatch(/Summa\s+800 000,00 kr\s+800 000,00 kr/);
  });
});
