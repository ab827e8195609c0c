import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { readSie } from "../billing/sie-reader";
import { expectText, expectUrl, loginAs, screenshot, startE2e, stopE2e, type E2eContext } from "./browser";

/*
 * The treasurer chooses the bookkeeping accounts (an account outside its BAS class is refused next to its field),
 * then exports a period's SIE file from the invoices page and downloads it. Both pages fit a phone.
 */
let ctx: E2eContext;
let page: Page;
const YEAR = new Date().getFullYear();

beforeAll(async () => {
  ctx = await startE2e();
  page = await ctx.newPage();
});
afterAll(async () => {
  await stopE2e(ctx);
});

async function fitsPhone(name: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(overflow, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(390);
}

describe("SIE export", () => {
  test("the settings' Bokföring part: a wrong account is refused next to its field, a right one saved", async () => {
    await loginAs(page, ctx.server.url, "kassor@test.se", PASSWORD);
    await page.goto(ctx.url("/settings"));
    await page.getByLabel("Namn", { exact: true }).fill("Intresseföreningen för Sambruk");
    await page.getByLabel("Organisationsnummer").fill("802412-3344");
    await page.getByLabel("Gatuadress").fill("Box 1");
    await page.getByLabel("Postnummer").fill("111 11");
    await page.getByLabel("Ort").fill("Stockholm");
    await page.getByLabel("E-post").fill("kansli@sambruk.example.se");
    await page.getByLabel("Bankgiro").fill("5050-1055");
    await page.getByLabel("Vår referens").fill("Kim Kassör");
    const bokforing = page.getByRole("region", { name: "Bokföring" });
    await expectText(bokforing.getByText("BAS: 1510"), "BAS: 1510");
    await bokforing.getByLabel("Kundfordringar").fill("2510");
    await bokforing.getByLabel("Intäkt årsavgift").fill("3890");
    await page.getByRole("button", { name: "Spara inställningar" }).click();
    await expectText(bokforing.getByRole("alert"), "Kundfordringar ska vara ett tillgångskonto (1xxx)");
    await expect(bokforing.getByLabel("Kundfordringar").getAttribute("aria-invalid")).resolves.toBe("true");
    await screenshot(page, "sie-settings-error");
    await bokforing.getByLabel("Kundfordringar").fill("1511");
    await page.getByRole("button", { name: "Spara inställningar" }).click();
    await expectUrl(page, /^\/settings\?saved=1$/);
    await expect(
      page.getByRole("region", { name: "Bokföring" }).getByLabel("Kundfordringar").inputValue(),
    ).resolves.toBe("1511");
    await expect(
      page.getByRole("region", { name: "Bokföring" }).getByLabel("Intäkt årsavgift").inputValue(),
    ).resolves.toBe("3890");
    await fitsPhone("sie-settings");
  });

  test("from the invoices page: choose the period, see what it holds, download a file that reads", async () => {
    await page.goto(ctx.url("/invoices"));
    await page.getByRole("link", { name: "Bokföring (SIE)" }).click();
    await expectUrl(page, /^\/invoices\/sie$/);
    await page.getByLabel("Från och med").fill(`${YEAR}-12-31`);
    await page.getByLabel("Till och med").fill(`${YEAR}-01-01`);
    await page.getByRole("button", { name: "Visa period" }).click();
    await expectText(page.locator("#f-to-error"), "Till och med får inte ligga före från och med");
    await page.getByLabel("Från och med").fill(`${YEAR}-01-01`);
    await page.getByLabel("Till och med").fill(`${YEAR}-12-31`);
    await page.getByRole("button", { name: "Visa period" }).click();
    const summary = page.getByRole("region", { name: `${YEAR}-01-01 – ${YEAR}-12-31` });
    await expectText(summary, /Verifikationer i filen ?0/);
    const link = summary.getByRole("link", { name: /Hämta SIE-filen/ });
    const href = (await link.getAttribute("href"))!;
    expect(href).toBe(`/invoices/sie.si?from=${YEAR}-01-01&to=${YEAR}-12-31`);
    const res = await page.context().request.get(ctx.url(href));
    expect(res.status()).toBe(200);
    const sie = readSie(Buffer.from(await res.body()));
    expect(sie.errors).toEqual([]);
    expect(sie.fnamn).toBe("Intresseföreningen för Sambruk");
    await screenshot(page, "sie-export");
    await fitsPhone("sie-export");
  });
});
