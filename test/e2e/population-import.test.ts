import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD } from "../support/association";
import type { Page } from "playwright-core";
import { expectText, expectUrl, loginAs, screenshot, startE2e, stopE2e, textOf, type E2eContext } from "./browser";

/*
 * Flow 3: the board imports the year's population figures from a CSV file in SCB's layout. A file with a bad
 * row is previewed with the error and cannot be applied; a good file is previewed, applied, and the member page
 * shows the new figure.
 */
let ctx: E2eContext;
let page: Page;
let badCsv: string;
let goodCsv: string;

beforeAll(async () => {
  ctx = await startE2e();
  page = await ctx.newPage();
  badCsv = path.join(ctx.server.dir, "befolkning-2025-fel.csv");
  goodCsv = path.join(ctx.server.dir, "befolkning-2025.csv");
  fs.writeFileSync(
    badCsv,
    [
      "code,name,county,population",
      "1438,Dals-Ed,Västra Götalands län,4700",
      "1480,Göteborg,Västra Götalands län,sexhundratusen",
      "0180,Stockholm,Stockholms län,988943",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(
    goodCsv,
    [
      "code,name,county,population",
      "1438,Dals-Ed,Västra Götalands län,4700", // has 4 606 for 2025: changed
      "1480,Göteborg,Västra Götalands län,611 432", // has only 2024: new for 2025 (thousands separated by a space)
      "1481,Mölndal,Västra Götalands län,71420", // same as stored: unchanged
      "0180,Stockholm,Stockholms län,988943", // not a member: skipped
      "",
    ].join("\n"),
  );
});
afterAll(async () => {
  await stopE2e(ctx);
});

describe("population import", () => {
  test("a file with a bad row: the preview shows the error and offers no way to save", async () => {
    await loginAs(page, ctx.server.url, "admin@test.se", PASSWORD);
    await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Importera invånare" }).click();
    await expectUrl(page, /^\/populations\/import$/);
    await expectText(page.getByRole("heading", { level: 1 }), "Importera invånarantal");

    await page.getByLabel("Folkmängd 31 december år").fill("2025");
    await page.getByLabel("Fil från SCB (XLSX eller CSV)").setInputFiles(badCsv);
    await page.getByRole("button", { name: "Förhandsgranska" }).click();

    const preview = page.getByRole("region", { name: /Förhandsgranskning/ });
    await expectText(preview.getByRole("heading"), "Förhandsgranskning för 2025: 1 att spara, 1 fel");
    const badRow = preview.getByRole("row").filter({ hasText: "Göteborg" });
    await expectText(badRow, "Fel");
    await expectText(badRow, "Invånarantalet ”sexhundratusen” är inte ett heltal");
    await expectText(preview.getByRole("row").filter({ hasText: "Stockholm" }), "Inte medlem");
    await expectText(preview, "Rätta de felaktiga raderna i filen och förhandsgranska igen. Inget har sparats.");
    expect(await page.getByRole("button", { name: /^Spara/ }).count()).toBe(0);
    await screenshot(page, "3-import-bad-file");

    // Nothing was stored: Dals-Ed still has its old 2025 figure.
    const check = await ctx.newPage();
    await loginAs(check, ctx.server.url, "admin@test.se", PASSWORD);
    await check.goto(ctx.url(`/members/${ctx.members.dalsEd}`));
    await expectText(
      check.getByRole("region", { name: "Invånarantal" }).getByRole("row", { name: /2025/ }),
      "2025 4 606",
    );
    await check.context().close();
  });

  test("a good file: preview, save, and the member pages show the new figures", async () => {
    await page.getByLabel("Folkmängd 31 december år").fill("2025");
    await page.getByLabel("Fil från SCB (XLSX eller CSV)").setInputFiles(goodCsv);
    await page.getByRole("button", { name: "Förhandsgranska" }).click();

    const preview = page.getByRole("region", { name: /Förhandsgranskning/ });
    await expectText(preview.getByRole("heading"), "Förhandsgranskning för 2025: 2 att spara, 0 fel");
    await expectText(preview.getByRole("row").filter({ hasText: "Dals-Ed" }), "4 606 4 700 Ändras");
    await expectText(preview.getByRole("row").filter({ hasText: "Göteborg" }), "– 611 432 Ny");
    await expectText(preview.getByRole("row").filter({ hasText: "Mölndal" }), "Oförändrad");
    await expectText(preview.getByRole("row").filter({ hasText: "Stockholm" }), "Inte medlem");
    expect(await preview.getByText("Rätta de felaktiga raderna").count()).toBe(0);
    await screenshot(page, "3-import-preview");

    await page.getByRole("button", { name: "Spara 2 invånarantal för 2025" }).click();
    await expectText(page.getByRole("status"), "2 invånarantal för 2025 är sparade.");
    expect(await page.getByRole("button", { name: /^Spara/ }).count()).toBe(0);

    await page.goto(ctx.url(`/members/${ctx.members.goteborg}?year=2026`));
    await expectText(page.getByRole("heading", { level: 1 }), "Göteborg kommun");
    await expectText(
      page.getByRole("region", { name: "Invånarantal" }).getByRole("row", { name: /2025/ }),
      "2025 611 432",
    );
    const fees = page.getByRole("region", { name: "Avgifter 2026" });
    await expectText(fees.getByTestId("population-basis"), "611 432 invånare 31 dec 2025");
    expect(await textOf(fees.getByTestId("population-basis"))).not.toContain("saknas");
    await expectText(fees.getByTestId("annual-fee"), "32 000,00 kr");

    await page.goto(ctx.url(`/members/${ctx.members.dalsEd}?year=2026`));
    await expectText(
      page.getByRole("region", { name: "Invånarantal" }).getByRole("row", { name: /2025/ }),
      "2025 4 700",
    );
    await screenshot(page, "3-import-member-page");
  });
});
