import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import {
  expectText,
  expectUrl,
  loginAs,
  screenshot,
  startE2e,
  stopE2e,
  expectStylesheetApplied,
  textOf,
  type E2eContext,
} from "./browser";

/*
 * Flow 2: a member's contact person (Dals-Ed) logs in, lands on its own municipality, sees its fees, edits its
 * own contact and invoice reference, and is kept out of other members' private pages and the board's pages.
 */
let ctx: E2eContext;
let page: Page;

beforeAll(async () => {
  ctx = await startE2e();
  page = await ctx.newPage();
});
afterAll(async () => {
  await stopE2e(ctx);
});

describe("a member's contact person", () => {
  test("logs in and lands on its own municipality's page with its fees", async () => {
    await loginAs(page, ctx.server.url, "kontakt@test.se", PASSWORD);
    await expectUrl(page, new RegExp(`^/members/${ctx.members.dalsEd}$`));
    await expectText(page.getByRole("heading", { level: 1 }), "Dals-Ed kommun");
    await expectStylesheetApplied(page);

    // Dals-Ed has 4 606 inhabitants on 31 Dec 2025: the small bracket in 2026.
    await page.locator("#fee-year").fill("2026");
    await page.getByRole("button", { name: "Visa" }).click();
    await expectUrl(page, new RegExp(`^/members/${ctx.members.dalsEd}\\?year=2026$`));
    const fees = page.getByRole("region", { name: "Avgifter 2026" });
    await expectText(fees.getByTestId("bracket"), /^Liten/);
    await expectText(fees.getByTestId("population-basis"), "4 606 invånare 31 dec 2025");
    await expectText(fees.getByTestId("annual-fee"), "8 000,00 kr");
    // Its own invoice details are visible to it.
    await expectText(page.getByRole("region", { name: "Faktura- och kontaktuppgifter" }), "Ref 1438");
  });

  test("sees only the navigation of a member: no Användare, no Importera invånare", async () => {
    const nav = page.getByRole("navigation", { name: "Huvudmeny" });
    await expectText(nav, "Min organisation");
    await expectText(nav, "Medlemmar");
    const links = normaliseAll(await nav.getByRole("link").allInnerTexts());
    expect(links).not.toContain("Användare");
    expect(links).not.toContain("Importera invånare");
    expect(links).not.toContain("Avgiftsmodeller");
    expect(await page.getByRole("link", { name: "Användare" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Importera invånare" }).count()).toBe(0);
    // The board's tools on the member page are not there either.
    expect(await page.getByRole("button", { name: "Spara invånarantal" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Registrera utträde" }).count()).toBe(0);
  });

  test("edits its own contact and invoice reference and sees them saved", async () => {
    await page.getByRole("link", { name: "Ändra kontakt- och fakturauppgifter" }).click();
    await expectUrl(page, new RegExp(`^/members/${ctx.members.dalsEd}/edit$`));
    await expectText(page.getByRole("heading", { level: 1 }), "Kontakt- och fakturauppgifter");
    // Only contact and invoice fields: no name, code or org number for a member to change.
    expect(await page.locator("#f-name").count()).toBe(0);
    expect(await page.locator("#f-orgNumber").count()).toBe(0);
    expect(await page.getByLabel("Er referens (på fakturan)").inputValue()).toBe("Ref 1438");

    await page.getByLabel("Er referens (på fakturan)").fill("Kommunstyrelsen, Kst 4711");
    await page.locator("#f-contactName").fill("Kim Karlsson");
    await page.locator("#f-contactEmail").fill("kim.karlsson@dalsed.example.se");
    await page.locator("#f-contactPhone").fill("0534-190 00");
    await page.getByRole("button", { name: "Spara ändringar" }).click();

    await expectUrl(page, new RegExp(`^/members/${ctx.members.dalsEd}\\?saved=updated$`));
    await expectText(page.getByRole("status"), "Uppgifterna är sparade.");
    const details = page.getByRole("region", { name: "Faktura- och kontaktuppgifter" });
    await expectText(details, "Kommunstyrelsen, Kst 4711");
    await expectText(details, "Kim Karlsson · kim.karlsson@dalsed.example.se · 0534-190 00");
    // The invoice address it did not touch is unchanged.
    await expectText(details, "Stadshuset, 111 11 Dals-Ed");

    // Reloading shows the stored values, not just what the browser remembered.
    await page.goto(ctx.url(`/members/${ctx.members.dalsEd}/edit`));
    expect(await page.getByLabel("Er referens (på fakturan)").inputValue()).toBe("Kommunstyrelsen, Kst 4711");
    expect(await page.locator("#f-contactName").inputValue()).toBe("Kim Karlsson");
    await page.goto(ctx.url(`/members/${ctx.members.dalsEd}`));
    await screenshot(page, "2-member-own-page");
  });

  test("sees another member's public page without its private details", async () => {
    await page.goto(ctx.url(`/members/${ctx.members.goteborg}`));
    await expectText(page.getByRole("heading", { level: 1 }), "Göteborg kommun");
    expect(await page.getByRole("region", { name: "Faktura- och kontaktuppgifter" }).count()).toBe(0);
    expect(await page.getByText("Ref 1480").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Ändra kontakt- och fakturauppgifter" }).count()).toBe(0);
  });

  test("another member's edit page is the 404 page", async () => {
    const res = await page.goto(ctx.url(`/members/${ctx.members.goteborg}/edit`));
    expect(res?.status()).toBe(404);
    await expectText(page.getByRole("heading", { level: 1 }), "Sidan finns inte");
    expect(await page.locator("form input#f-reference").count()).toBe(0);
    expect(normalise(await page.locator("main").innerText())).not.toContain("Ref 1480");
    await screenshot(page, "2-member-404");
  });

  test("the board's user administration is the 403 page", async () => {
    const res = await page.goto(ctx.url("/admin/users"));
    expect(res?.status()).toBe(403);
    await expectText(page.getByRole("heading", { level: 1 }), "Du saknar behörighet");
    expect(await textOf(page.locator("main"))).not.toContain("admin@test.se");
    await screenshot(page, "2-member-403");
  });
});

function normalise(s: string) {
  return s.replace(/[\s\u00a0]+/g, " ").trim();
}

function normaliseAll(list: string[]) {
  return list.map(normalise);
}
