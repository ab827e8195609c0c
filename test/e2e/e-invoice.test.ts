import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { generateOrgNumber } from "../../billing/identifiers";
import { expectText, expectUrl, hydrated, loginAs, screenshot, startE2e, stopE2e, type E2eContext } from "./browser";

/*
 * E-invoicing in the browser (docs/e-invoice.md): the board enters a municipality's Peppol id and channel (a wrong
 * check digit is refused next to the field), the treasurer sets F-skatt, and an issued invoice offers its
 * e-invoice for download.
 */
let ctx: E2eContext;
let admin: Page;
let treasurer: Page;
const year = 2026;

beforeAll(async () => {
  ctx = await startE2e();
  admin = await ctx.newPage();
  treasurer = await ctx.newPage();
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("e-invoice data and download", () => {
  test("the board enters a Peppol id and channel on the member form; a wrong check digit is refused beside the field", async () => {
    await loginAs(admin, ctx.server.url, "admin@test.se", PASSWORD);
    await admin.goto(ctx.url(`/members/${ctx.members.molndal}/edit`));
    await hydrated(admin);
    await admin.getByLabel("Peppol-id", { exact: true }).fill("0007:2120001638");
    await admin.getByLabel("Leveranssätt", { exact: true }).selectOption("peppol");
    await admin.getByRole("button", { name: "Spara ändringar" }).click();
    const field = admin.locator(".field.has-error", { has: admin.getByLabel("Peppol-id", { exact: true }) });
    await expectText(field, "Kontrollsiffran i organisationsnumret (schema 0007) stämmer inte");
    await admin.setViewportSize({ width: 390, height: 900 });
    await screenshot(admin, "e-invoice-member-form-390");
    await admin.setViewportSize({ width: 1280, height: 900 });

    await admin.getByLabel("Peppol-id", { exact: true }).fill("0088:7300010000001");
    await admin.getByRole("button", { name: "Spara ändringar" }).click();
    await expectUrl(admin, new RegExp(`^/members/${ctx.members.molndal}\\?saved=updated$`));
    await expectText(admin.locator("main"), "0088:7300010000001");
    await expectText(admin.locator("main"), "E-faktura via Peppol");
    await screenshot(admin, "e-invoice-member-page-1280");
  });

  test("the treasurer sets F-skatt in the e-invoice block of the settings", async () => {
    await loginAs(treasurer, ctx.server.url, "kassor@test.se", PASSWORD);
    await treasurer.goto(ctx.url("/settings"));
    await hydrated(treasurer);
    const label = (text: string) => treasurer.getByLabel(text, { exact: true });
    await label("Namn").fill("Intresseföreningen Sambruk (test)");
    await label("Organisationsnummer").fill(generateOrgNumber("802012345"));
    await label("Gatuadress").fill("Box 1234");
    await label("Postnummer").fill("111 22");
    await label("Ort").fill("Stockholm");
    await label("E-post").fill("kansli@sambruk.test.se");
    await label("Bankgiro").fill("5050-1055");
    await label("Nästa fakturanummer").fill(`${year}001`);
    await label("Vår referens").fill("Kim Kassör");
    await label("Godkänd för F-skatt").selectOption("true");
    await label("Momstext för projektandel").fill("Projektbidrag: utanför mervärdesskattens tillämpningsområde");
    await treasurer.getByRole("button", { name: "Spara inställningar" }).click();
    await expectUrl(treasurer, /^\/settings\?saved=1$/);
    expect(await label("Godkänd för F-skatt").inputValue()).toBe("true");
    expect(await label("Momstext för projektandel").inputValue()).toBe(
      "Projektbidrag: utanför mervärdesskattens tillämpningsområde",
    );
    await treasurer.setViewportSize({ width: 390, height: 900 });
    await screenshot(treasurer, "e-invoice-settings-390");
    await treasurer.setViewportSize({ width: 1280, height: 900 });
  });

  test("an issued invoice's page links to its e-invoice, which downloads as XML", async () => {
    const client = await import("../../db/client");
    const members = await import("../../app/features/members/commands.server");
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
    let invoiceId: number;
    try {
      members.setPopulation(SYSTEM_SCOPE, ctx.members.molndal, year - 1, 71_420);
      const run = billing.createBillingRun(SYSTEM_SCOPE, { year, charges: ["annual_fee"] });
      const issued = billing.issueRun(SYSTEM_SCOPE, run.run!.id);
      invoiceId = issued.find((v) => v.memberId === ctx.members.molndal)!.id;
    } finally {
      client.closeDatabase();
    }
    await treasurer.goto(ctx.url(`/invoices/${invoiceId}`));
    const link = treasurer.getByRole("link", { name: "E-faktura (XML)" });
    expect(await link.getAttribute("href")).toBe(`/invoices/${invoiceId}/ubl`);
    const [download] = await Promise.all([treasurer.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^faktura-\d+\.xml$/);
    const res = await treasurer.request.get(ctx.url(`/invoices/${invoiceId}/ubl`));
    expect(res.headers()["content-type"]).toContain("application/xml");
    const xml = await res.text();
    expect(xml).toContain('<cbc:EndpointID schemeID="0088">7300010000001</cbc:EndpointID>');
    expect(xml).toContain("Godkänd för F-skatt");
    await screenshot(treasurer, "e-invoice-invoice-page-1280");
  });
});
