import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { expectText, expectUrl, loginAs, screenshot, startE2e, stopE2e, type E2eContext } from "./browser";

/*
 * Flow 4: logging out ends the session; a protected page then sends the visitor to the login page, and
 * logging in there brings them back to the page they asked for.
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

describe("logout", () => {
  test("a visitor who is not logged in is sent to the login page", async () => {
    await page.goto(ctx.url("/members"));
    await expectUrl(page, /^\/login\?redirectTo=\/members$/);
    await expectText(page.getByRole("heading", { level: 1 }), "Logga in");
  });

  test("a wrong password is refused with a message", async () => {
    await page.getByLabel("E-postadress").fill("admin@test.se");
    await page.getByLabel("Lösenord").fill("fel lösenord");
    await page.getByRole("button", { name: "Logga in" }).click();
    await expectText(page.getByRole("alert").first(), "Fel e-postadress eller lösenord.");
    await expectUrl(page, /^\/login/);
  });

  test("logs out with the Logga ut button and is then redirected to /login from a protected page", async () => {
    await loginAs(page, ctx.server.url, "admin@test.se", PASSWORD);
    await expectUrl(page, /^\/$/);
    await expectText(page.locator(".whoami"), "Ada Admin");

    await page.getByRole("button", { name: "Logga ut" }).click();
    await expectUrl(page, /^\/login$/);
    await expectText(page.getByRole("heading", { level: 1 }), "Logga in");
    expect(await page.getByRole("button", { name: "Logga ut" }).count()).toBe(0);
    expect(await page.getByRole("navigation", { name: "Huvudmeny" }).count()).toBe(0);

    await page.goto(ctx.url(`/members/${ctx.members.goteborg}`));
    await expectUrl(page, new RegExp(`^/login\\?redirectTo=/members/${ctx.members.goteborg}$`));
    await expectText(page.getByRole("heading", { level: 1 }), "Logga in");
    await screenshot(page, "4-after-logout");

    // Logging in again from there returns to the page that was asked for.
    await page.getByLabel("E-postadress").fill("admin@test.se");
    await page.getByLabel("Lösenord").fill(PASSWORD);
    await page.getByRole("button", { name: "Logga in" }).click();
    await expectUrl(page, new RegExp(`^/members/${ctx.members.goteborg}$`));
    await expectText(page.getByRole("heading", { level: 1 }), "Göteborg kommun");
  });

  test("the old session cookie no longer works after logout", async () => {
    const cookies = await page.context().cookies();
    await page.getByRole("button", { name: "Logga ut" }).click();
    await expectUrl(page, /^\/login$/);
    // Put the pre-logout cookie back, as someone who copied it would: the server has ended that session.
    await page.context().addCookies(cookies);
    await page.goto(ctx.url("/members"));
    await expectUrl(page, /^\/login\?redirectTo=\/members$/);
  });
});
