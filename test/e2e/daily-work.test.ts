import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { formatSek } from "../../billing/money";
import {
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  screenshot,
  billedAssociation,
  billedOf,
  startE2e,
  stopE2e,
  textOf,
  type E2eContext,
} from "./browser";

/*
 * The treasurer's and the board's daily work: the overview and its links, what is not yet billed, finding a
 * municipality however its name is typed, a payment form that cannot pay twice, and irreversible actions that ask
 * first. The association has this year billed and issued, last year not billed at all.
 */
let ctx: E2eContext;
let seeded: ReturnType<typeof billedOf>;
let treasurer: Page;
let admin: Page;

beforeAll(async () => {
  ctx = await startE2e(billedAssociation());
  seeded = billedOf(ctx);
  treasurer = await ctx.newPage();
  admin = await ctx.newPage();
  await loginAs(treasurer, ctx.server.url, "kassor@test.se", PASSWORD);
  await loginAs(admin, ctx.server.url, "admin@test.se", PASSWORD);
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("the overview", () => {
  test("the treasurer lands on this year's figures; each is a link to the list behind it", async () => {
    await expectUrl(treasurer, /^\/$/);
    const { year, invoice } = seeded;
    await expectText(treasurer.getByRole("heading", { level: 1 }), `Översikt ${year}`);
    const total = invoice.dalsEd.totalOre + invoice.goteborg.totalOre + invoice.molndal.totalOre;
    const invoiced = treasurer.locator(".stat", { hasText: "Fakturerat (netto efter kredit)" });
    await expectText(invoiced, formatSek(total));
    await expectText(invoiced, "3 fakturor");
    // Last year's annual fees (8 000 + 32 000 + 16 000) and project shares (500 000) were never billed.
    const before = treasurer.locator(".stat", { hasText: `Ofakturerat ${year - 1}` });
    await expectText(before, `6 st · ${formatSek(56_000_00 + 500_000_00)}`);
    await screenshot(treasurer, "overview-treasurer");

    await invoiced.getByRole("link").click();
    await expectUrl(treasurer, new RegExp(`^/invoices\\?year=${year}$`));
    await expectText(treasurer.locator(".lead"), "3 fakturor");
  });

  test("the unbilled view lists last year's charges per kind and leads to the billing preview", async () => {
    await treasurer.goto(ctx.url("/"));
    await treasurer
      .locator(".stat", { hasText: `Ofakturerat ${seeded.year - 1}` })
      .getByRole("link")
      .click();
    await expectUrl(treasurer, new RegExp(`^/unbilled\\?year=${seeded.year - 1}$`));
    await expectText(treasurer.getByRole("heading", { name: /^Årsavgift \(3\)$/ }), "Årsavgift (3)");
    const shares = treasurer.getByRole("region", { name: /^Projektandel/ });
    await expectText(shares.locator("tfoot"), "Summa 500 000,00 kr");
    await treasurer.getByRole("link", { name: "Förhandsgranska faktureringen" }).click();
    await expectUrl(treasurer, new RegExp(`^/billing\\?year=${seeded.year - 1}&preview=1`));
    await expectText(
      treasurer.getByRole("heading", { name: /^Förhandsgranskning/ }),
      `Förhandsgranskning ${seeded.year - 1}: 3 fakturor`,
    );
  });

  test("a member's contact person goes to its own organisation instead", async () => {
    const member = await ctx.newPage();
    await loginAs(member, ctx.server.url, "kontakt@test.se", PASSWORD);
    await expectUrl(member, new RegExp(`^/members/${ctx.members.dalsEd}$`));
  });
});

describe("finding a municipality however its name is typed", () => {
  test.each(["dals ed", "DALS-ED", "dalsed"])("%j finds Dals-Ed", async (q) => {
    await admin.goto(ctx.url(`/members?q=${encodeURIComponent(q)}`));
    const rows = admin.locator("table tbody tr");
    await expect.poll(() => rows.count()).toBe(1);
    await expectText(rows.first(), "Dals-Ed");
  });
});

describe("a payment cannot be registered twice by one more click", () => {
  test("the amount starts at the open balance, and after saving the form is empty of it", async () => {
    const inv = seeded.invoice.goteborg;
    await treasurer.goto(ctx.url(`/invoices/${inv.id}`));
    await hydrated(treasurer);
    const amount = treasurer.getByLabel("Belopp, kr");
    expect(await amount.inputValue()).toBe((inv.totalOre / 100).toFixed(2));
    await amount.fill("1000");
    await treasurer.getByLabel("Anteckning (valfri)").fill("Första delbetalningen");
    await treasurer.getByRole("button", { name: "Registrera betalning" }).click();
    await expectText(treasurer.getByRole("status"), "Betalningen är registrerad.");
    // A new form: the note is gone and the amount is the new balance, not the 1 000 just paid.
    await expect.poll(() => treasurer.getByLabel("Anteckning (valfri)").inputValue()).toBe("");
    await expect
      .poll(() => treasurer.getByLabel("Belopp, kr").inputValue())
      .toBe(((inv.totalOre - 100_000) / 100).toFixed(2));
    await expectText(
      treasurer.locator("#pay-h + ul, section[aria-labelledby=pay-h] ul").first(),
      "1 000,00 kr – Första delbetalningen",
    );
  });
});

describe("irreversible actions ask first", () => {
  test("deleting a population figure needs a second click, and then says it was deleted", async () => {
    await admin.goto(ctx.url(`/members/${ctx.members.molndal}`));
    const region = admin.getByRole("region", { name: "Invånarantal" });
    const row = region.getByRole("row", { name: new RegExp(`${seeded.year - 2}`) });
    await row.locator("summary", { hasText: "Ta bort" }).click();
    const confirm = row.getByRole("button", { name: `Ja, ta bort siffran för ${seeded.year - 2}` });
    await expectText(row, "Avgifter som redan är fakturerade ändras inte.");
    await confirm.click();
    await expectText(admin.getByRole("status"), "Invånarantalet är borttaget.");
    await expect.poll(() => region.getByRole("row", { name: new RegExp(`^${seeded.year - 2}`) }).count()).toBe(0);
  });

  test("a draft line set to a negative amount is marked at its own field", async () => {
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
    const run = billing.createBillingRun(SYSTEM_SCOPE, { year: seeded.year - 1, charges: ["annual_fee"] });
    await treasurer.goto(ctx.url(`/billing/runs/${run.run!.id}`));
    const card = treasurer.getByRole("region", { name: "Utkast till Dals-Ed kommun" });
    const amount = card.getByLabel("Belopp i kronor");
    await amount.fill("-5");
    await card.getByRole("button", { name: "Spara" }).click();
    await expectText(treasurer.getByRole("alert").first(), "Rätta fältet som är markerat nedan.");
    await expect.poll(() => card.getByLabel("Belopp i kronor").getAttribute("aria-invalid")).toBe("true");
    expect(await textOf(card.locator("p.error"))).toMatch(/negativ/);

    // Deleting the draft asks first; the first click deletes nothing.
    await card.locator("summary", { hasText: "Ta bort utkastet" }).click();
    await expectText(card, "Avgifterna kan faktureras i en senare körning.");
    expect(await treasurer.getByRole("region", { name: "Utkast till Dals-Ed kommun" }).count()).toBe(1);
    await card.getByRole("button", { name: "Ja, ta bort utkastet" }).click();
    await expectText(treasurer.getByRole("status"), "Borttaget");
    await expect.poll(() => treasurer.getByRole("region", { name: "Utkast till Dals-Ed kommun" }).count()).toBe(0);
  });
});
