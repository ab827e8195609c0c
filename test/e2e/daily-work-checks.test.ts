import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { formatSek } from "../../billing/money";
import { PASSWORD } from "../support/association";
import {
  billedAssociation,
  billedOf,
  expectText,
  expectUrl,
  hydrated,
  loginAs,
  screenshot,
  startE2e,
  stopE2e,
  thisYear,
  type E2eContext,
} from "./browser";

/*
 * The rest of issue 14's list, walked in Chromium: a population typed as the app writes it ("72 136"), the
 * irreversible actions that ask first (credit an invoice, deactivate a user, delete a draft line) and the split of
 * a base-plus-per-capita share into its base and per-capita parts on the allocation page.
 */
let ctx: E2eContext;
let seeded: ReturnType<typeof billedOf>;
let treasurer: Page;
let admin: Page;

beforeAll(async () => {
  ctx = await startE2e(billedAssociation());
  seeded = billedOf(ctx);
  (await import("../../db/client")).closeDatabase();
  treasurer = await ctx.newPage();
  admin = await ctx.newPage();
  await loginAs(treasurer, ctx.server.url, "kassor@test.se", PASSWORD);
  await loginAs(admin, ctx.server.url, "admin@test.se", PASSWORD);
}, 120_000);
afterAll(async () => {
  await stopE2e(ctx);
});

describe("numbers as the app writes them", () => {
  test('a population typed "72 136" is stored as 72 136 and shown so', async () => {
    await admin.goto(ctx.url(`/members/${ctx.members.molndal}`));
    const region = admin.getByRole("region", { name: "Invånarantal" });
    await region.getByLabel("År").fill(String(thisYear));
    await region.getByLabel("Invånare").fill("72 136");
    await region.getByRole("button", { name: "Spara invånarantal" }).click();
    await expectText(admin.getByRole("status").first(), "Invånarantalet är sparat.");
    await expectText(region.getByRole("row", { name: new RegExp(`^${thisYear}`) }), "72 136");
  });
});

describe("irreversible actions ask first", () => {
  test("crediting an invoice: the first click asks, with the number and the amount; then the credit note", async () => {
    const inv = seeded.invoice.dalsEd;
    await treasurer.goto(ctx.url(`/invoices/${inv.id}`));
    await hydrated(treasurer);
    const section = treasurer.getByRole("region", { name: "Kreditera" });
    expect(await section.getByRole("button", { name: "Ja, kreditera fakturan" }).isVisible()).toBe(false);
    await section.locator("summary", { hasText: "Kreditera fakturan…" }).click();
    await expectText(
      section,
      `Kreditera faktura ${inv.number} på ${formatSek(inv.totalOre)}? En kreditfaktura med eget nummer ställs ut och kan inte tas tillbaka.`,
    );
    // Without a reason the question stays open with the message at the field.
    await section.getByRole("button", { name: "Ja, kreditera fakturan" }).click();
    await expect.poll(() => section.getByLabel("Skäl").getAttribute("aria-invalid")).toBe("true");
    expect(await section.getByRole("button", { name: "Ja, kreditera fakturan" }).isVisible()).toBe(true);
    await section.getByLabel("Skäl").fill("Fel avgiftsklass");
    await section.getByRole("button", { name: "Ja, kreditera fakturan" }).click();
    await expectText(
      treasurer.getByRole("status").first(),
      "Kreditfakturan är utfärdad och ursprungsfakturan krediterad.",
    );
    await expectText(treasurer.getByRole("heading", { level: 1 }), "Kreditfaktura");
    await screenshot(treasurer, "daily-checks-credited");
  });

  test("deactivating a user asks first and says that its sessions end", async () => {
    await admin.goto(ctx.url("/admin/users"));
    const row = admin.getByRole("row", { name: /kassor@test\.se/ });
    await row.locator("summary", { hasText: "Inaktivera" }).click();
    await expectText(row, "Alla inloggningar och API-nycklar avslutas direkt.");
    expect(await row.getByRole("button", { name: "Ja, inaktivera" }).isVisible()).toBe(true);
    // Not confirmed: the treasurer is still active and still logged in.
    await admin.goto(ctx.url("/admin/users"));
    await treasurer.goto(ctx.url("/invoices"));
    await expectUrl(treasurer, /^\/invoices$/);
  });

  test("deleting a draft line asks first and names the line", async () => {
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    const { createBillingRun } = await import("../../app/features/billing-runs/commands.server");
    const run = createBillingRun(SYSTEM_SCOPE, { year: thisYear - 1, charges: ["annual_fee", "project_share"] });
    (await import("../../db/client")).closeDatabase();
    await treasurer.goto(ctx.url(`/billing/runs/${run.run!.id}`));
    const card = treasurer.getByRole("region", { name: "Utkast till Göteborg kommun" });
    const line = card.getByRole("row", { name: /Årsavgift/ });
    await line.locator("summary", { hasText: "Ta bort" }).click();
    await expectText(line, `Ta bort raden "Årsavgift ${thisYear - 1}`);
    await line.getByRole("button", { name: "Ja, ta bort raden" }).click();
    await expectText(treasurer.getByRole("status").first(), "Borttaget");
    await expect
      .poll(() =>
        treasurer
          .getByRole("region", { name: "Utkast till Göteborg kommun" })
          .getByRole("row", { name: /Årsavgift/ })
          .count(),
      )
      .toBe(0);
  });
});

describe("the allocation page shows the parts of a base-plus-per-capita share", () => {
  test("each row's base part and per-capita part add up to its share", async () => {
    await admin.goto(ctx.url(`/projects/${seeded.project}/allocation?year=${thisYear}`));
    const table = admin.getByRole("table", { name: new RegExp(`Andelar ${thisYear}`) });
    await expect.poll(() => table.getByRole("columnheader", { name: "Grunddel" }).count()).toBe(1);
    const rows = table.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    const headers = (await table.locator("thead th").allInnerTexts()).map((t) => t.trim());
    const col = (name: string) => headers.indexOf(name);
    const ore = (text: string) => Number(text.replace(/[^\d-]/g, ""));
    for (const cells of await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("th, td")).map((c) => (c as HTMLElement).innerText)),
    )) {
      expect(ore(cells[col("Grunddel")]) + ore(cells[col("Per invånare")])).toBe(ore(cells[col("Andel")]));
    }
    await screenshot(admin, "daily-checks-allocation-parts");
  });
});
