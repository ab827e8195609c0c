import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { generateOrgNumber } from "../../billing/identifiers";
import {
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  screenshot,
  startE2e,
  stopE2e,
  expectStylesheetApplied,
  textOf,
  type E2eContext,
} from "./browser";

/*
 * Flow 1: the board registers a new municipality through the form (one bad field first), records its
 * population and sees the fee card, then finds it in the directory by typing part of its name.
 */
let ctx: E2eContext;
let page: Page;
const kungalvOrg = generateOrgNumber("212000148"); // Luhn-valid, municipal (2120…), unused by the seed

beforeAll(async () => {
  ctx = await startE2e();
  page = await ctx.newPage();
});
afterAll(async () => {
  await stopE2e(ctx);
});

describe("the board registers a new member", () => {
  let memberPath = "";

  test("logs in through the form and lands on the overview, styled", async () => {
    await loginAs(page, ctx.server.url, "admin@test.se", PASSWORD);
    await expectUrl(page, /^\/$/);
    await expectText(page.getByRole("heading", { level: 1 }), "Översikt");
    const nav = page.getByRole("navigation", { name: "Huvudmeny" });
    await expectText(nav, "Användare");
    await expectText(nav, "Importera invånare");
    await expectText(page.locator(".whoami"), "Ada Admin");
    await expectStylesheetApplied(page);
  });

  test("fills in the new-member form; a bad postal code is shown next to its field", async () => {
    await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Medlemmar" }).click();
    await expectUrl(page, /^\/members$/);
    await page.getByRole("link", { name: "Ny medlem" }).click();
    await expectUrl(page, /^\/members\/new$/);
    await expectText(page.getByRole("heading", { level: 1 }), "Ny medlem");
    await hydrated(page);

    await page.getByLabel("Typ").selectOption("municipality");
    await page.locator("#f-name").fill("Kungälvs kommun");
    await page.getByLabel("Kommunkod").fill("1482");
    await page.getByLabel("Organisationsnummer").fill(kungalvOrg);
    await page.getByLabel("Inträdesdatum").fill("2026-01-15");
    await page.getByLabel("Gatuadress / box").fill("Stadshuset");
    await page.getByLabel("Postnummer").fill("4428"); // four digits: wrong
    await page.getByLabel("Ort").fill("Kungälv");
    await page.getByLabel("Er referens (på fakturan)").fill("KS 2026/42");
    await page.getByLabel("E-post för fakturor").fill("faktura@kungalv.se");
    await page.getByRole("button", { name: "Spara medlem" }).click();

    const postal = page.getByLabel("Postnummer");
    await expect.poll(() => postal.getAttribute("aria-invalid")).toBe("true");
    await expectUrl(page, /^\/members\/new$/); // still on the form, nothing saved
    await expectText(page.getByRole("alert").first(), "Rätta fältet som är markerat nedan.");
    // The message is in the element the input points at with aria-describedby, so a screen reader reads it.
    const describedBy = (await postal.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    const described = await Promise.all(describedBy.split(/\s+/).map((id) => textOf(page.locator(`[id="${id}"]`))));
    expect(described.join(" ")).toContain("Postnumret ska vara fem siffror, NNN NN");
    // What was typed is still there, and the other fields are not marked.
    expect(await page.locator("#f-name").inputValue()).toBe("Kungälvs kommun");
    expect(await page.getByLabel("Ort").getAttribute("aria-invalid")).toBeNull();
    await screenshot(page, "1-new-member-field-error");
  });

  test("fixes the postal code, saves, and lands on the new member's page", async () => {
    await page.getByLabel("Postnummer").fill("442 81");
    await page.getByRole("button", { name: "Spara medlem" }).click();
    await expectUrl(page, /^\/members\/\d+\?created=1$/);
    memberPath = new URL(page.url()).pathname;
    await expectText(page.getByRole("heading", { level: 1 }), "Kungälvs kommun");
    await expectText(page.getByRole("status"), "Medlemmen är registrerad.");
    await expectText(page.locator(".lead"), `kommunkod 1482 · org.nr ${kungalvOrg} · medlem sedan 2026-01-15`);
    const invoice = page.getByRole("region", { name: "Faktura- och kontaktuppgifter" });
    await expectText(invoice, "Stadshuset, 442 81 Kungälv");
    await expectText(invoice, "KS 2026/42");
    // No population yet: the fee card says why it cannot compute the fee instead of showing 0.
    await expectText(page.getByRole("region", { name: "Invånarantal" }), "Inga siffror registrerade.");
    await expectText(page.getByTestId("fee-problem"), "Invånarantal saknas för");
  });

  test("records the 2025 population and sees the fee card: Mellan, 16 000,00 kr a year, 10 000,00 kr to enter", async () => {
    const populations = page.getByRole("region", { name: "Invånarantal" });
    await populations.getByLabel("År").fill("2025");
    await populations.getByLabel("Invånare").fill("46000");
    await populations.getByRole("button", { name: "Spara invånarantal" }).click();
    await expectUrl(page, new RegExp(`^${memberPath}\\?saved=population$`));
    await expectText(page.getByRole("status"), "Invånarantalet är sparat.");
    await expectText(populations.getByRole("row", { name: /2025/ }), "2025 46 000");

    // Fees for 2026 use the figure of 31 December 2025. Choose the year explicitly so the test does not depend on the clock.
    await page.locator("#fee-year").fill("2026");
    await page.getByRole("button", { name: "Visa" }).click();
    await expectUrl(page, new RegExp(`^${memberPath}\\?year=2026$`));
    const fees = page.getByRole("region", { name: "Avgifter 2026" });
    await expectText(fees.getByTestId("bracket"), /^Mellan/);
    await expectText(fees.getByTestId("population-basis"), "46 000 invånare 31 dec 2025");
    expect(await textOf(fees.getByTestId("population-basis"))).not.toContain("saknas");
    await expectText(fees.getByTestId("annual-fee"), "16 000,00 kr");
    await expectText(fees.getByTestId("entry-fee"), "10 000,00 kr");
    await expectText(fees.getByTestId("entry-fee"), "inträdesåret 2026");
    await screenshot(page, "1-member-page-fees");
  });

  test("opens Redigera from the member page and changes the contact person", async () => {
    await page.getByRole("link", { name: "Redigera" }).click();
    await expectUrl(page, new RegExp(`^${memberPath}/edit$`));
    await expectText(page.getByRole("heading", { level: 1 }), "Redigera Kungälvs kommun");
    expect(await page.getByLabel("Kommunkod").inputValue()).toBe("1482");
    expect(await page.getByLabel("Postnummer").inputValue()).toBe("442 81");
    await page.locator("#f-contactName").fill("Alva Andersson");
    await page.getByRole("button", { name: "Spara ändringar" }).click();
    await expectUrl(page, new RegExp(`^${memberPath}\\?saved=updated$`));
    await expectText(page.getByRole("status"), "Uppgifterna är sparade.");
    await expectText(page.getByRole("region", { name: "Faktura- och kontaktuppgifter" }), "Alva Andersson");
  });

  test("finds the new member in the directory by typing part of its name in lower case", async () => {
    await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Medlemmar" }).click();
    await expectUrl(page, /^\/members$/);
    await hydrated(page);
    const rows = page.locator("table tbody tr");
    await expect.poll(() => rows.count()).toBe(4); // three seeded + Kungälv
    await page
      .getByRole("searchbox", { name: "Sök namn, kommunkod eller org.nr" })
      .pressSequentially("kungä", { delay: 30 });
    await expectUrl(page, /[?&]q=kungä(&|$)/);
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    await expectText(row, "Kungälvs kommun");
    await expectText(row, "1482");
    await expectText(row, "Mellan");
    await screenshot(page, "1-directory-search");
    await row.getByRole("link", { name: "Kungälvs kommun" }).click();
    await expectUrl(page, new RegExp(`^${memberPath}\\?year=\\d{4}$`));
    await expectText(page.getByRole("heading", { level: 1 }), "Kungälvs kommun");
  });
});
