import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { todayIso } from "../../billing/dates";
import { association, type Association } from "../support/association";
import { readSie } from "../billing/sie-reader";

/*
 * The SIE export use case on a real database (in-process, no server): a year of 290 municipalities billed the
 * annual fee and ten per-capita projects (25 % VAT on the project shares), some payments and two credit notes,
 * exported and read back by the tests' own SIE reader. Also the figure for the report: the export's time.
 */
const YEAR = Number(todayIso().slice(0, 4));
// The app's own "today" (Swedish time): after 23:00 UTC it is already tomorrow in Stockholm.
const today = todayIso();
let sie: typeof import("../../app/features/interchange/sie.server");
let billing: typeof import("../../app/features/billing-runs/commands.server") &
  typeof import("../../app/features/invoices/credit.server") &
  typeof import("../../app/features/invoices/documents.server") &
  typeof import("../../app/features/invoices/drafts.server") &
  typeof import("../../app/features/invoices/issue.server") &
  typeof import("../../app/features/invoices/queries.server") &
  typeof import("../../app/features/invoices/reminders.server") &
  typeof import("../../app/features/payments/commands.server");
let settings: typeof import("../../app/features/settings/commands.server") &
  typeof import("../../app/features/settings/queries.server");
let scope: typeof import("../../db/scope");
let issued: Array<{ id: number; number: number | null; totalOre: number; memberName: string }>;

let a: Association;

beforeAll(async () => {
  // An empty association; the bench's generator (scripts/bench-seed.ts) adds the 290 members and the projects.
  a = await association({ municipalities: [], users: false, prefix: "sambruk-sie-" });
  const { seedSynthetic } = await import("../../scripts/bench-seed");
  sie = await import("../../app/features/interchange/sie.server");
  billing = {
    ...(await import("../../app/features/billing-runs/commands.server")),
    ...(await import("../../app/features/invoices/credit.server")),
    ...(await import("../../app/features/invoices/documents.server")),
    ...(await import("../../app/features/invoices/drafts.server")),
    ...(await import("../../app/features/invoices/issue.server")),
    ...(await import("../../app/features/invoices/queries.server")),
    ...(await import("../../app/features/invoices/reminders.server")),
    ...(await import("../../app/features/payments/commands.server")),
  };
  settings = {
    ...(await import("../../app/features/settings/commands.server")),
    ...(await import("../../app/features/settings/queries.server")),
  };
  scope = await import("../../db/scope");
  seedSynthetic({ members: 290, projects: 10, year: YEAR });
  const s = settings.getSettings()!;
  settings.saveSettings(scope.SYSTEM_SCOPE, {
    ...s,
    vatExemptionTexts: JSON.parse(s.vatExemptionTexts),
    // A VAT rate needs the association's VAT number: SE, the organisation number and 01.
    vatNumber: `SE${s.orgNumber.replace("-", "")}01`,
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 25,
    // Chosen accounts for two uses; the rest stay the BAS defaults.
    accounts: { annual_fee: "3890", bank: "1940" },
  });
  const run = billing.createBillingRun(scope.SYSTEM_SCOPE, { year: YEAR, charges: ["annual_fee", "project_share"] });
  issued = billing.issueRun(scope.SYSTEM_SCOPE, run.run!.id);
  for (const inv of issued.slice(0, 40))
    billing.registerPayment(scope.SYSTEM_SCOPE, inv.id, { amount: inv.totalOre, paidOn: today });
  for (const inv of issued.slice(40, 42)) billing.creditInvoice(scope.SYSTEM_SCOPE, inv.id, "Fel avgiftsklass");
}, 120_000);

afterAll(() => a?.close());

describe("a year's SIE file", () => {
  test("reads back with one balanced voucher per invoice, credit note and payment, a #KONTO for every account", () => {
    const period = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` };
    const e = sie.sieExport(scope.SYSTEM_SCOPE, period);
    // Two invoices per member: the annual fee is outside the scope of VAT and the project shares are taxed at 25 %,
    // which may not share an e-invoice (BR-O-11, docs/e-invoice.md).
    expect(e).toMatchObject({ invoices: 580, creditNotes: 2, payments: 40, vouchers: 622 });
    const file = readSie(e.bytes);
    expect(file.errors).toEqual([]);
    expect(file.fnamn).toBe("Intresseföreningen för Sambruk");
    expect(file.vouchers).toHaveLength(622);
    for (const v of file.vouchers) expect(v.transactions.reduce((sum, t) => sum + t.amountOre, 0n)).toBe(0n);
    const used = new Set(file.vouchers.flatMap((v) => v.transactions.map((t) => t.account)));
    expect([...used].sort()).toEqual(["1510", "1940", "2611", "3020", "3890"]);
    expect([...file.accounts.keys()]).toEqual([...used].sort());

    // Receivables: invoiced − credited − paid, to the öre, equals what the invoices still have open.
    const receivables = file.vouchers
      .flatMap((v) => v.transactions)
      .filter((t) => t.account === "1510")
      .reduce((s, t) => s + t.amountOre, 0n);
    const open = billing
      .listInvoiceViews(scope.SYSTEM_SCOPE, { year: YEAR })
      .filter((v) => v.kind === "invoice")
      .reduce((s, v) => s + BigInt(v.balance), 0n);
    expect(receivables).toBe(open);

    const first = issued[0];
    const voucher = file.vouchers.find((v) => v.text === `Faktura ${first.number}, ${first.memberName}`)!;
    expect(voucher.transactions[0]).toMatchObject({ account: "1510", amountOre: BigInt(first.totalOre) });
    expect(
      file.vouchers.find((v) => v.text === `Betalning faktura ${first.number}, ${first.memberName}`),
    ).toBeDefined();
    const credited = issued[40];
    expect(file.vouchers.some((v) => v.text.includes(`(krediterar ${credited.number}), ${credited.memberName}`))).toBe(
      true,
    );
  });

  test("a period without anything gives a file with no vouchers that still reads", () => {
    const e = sie.sieExport(scope.SYSTEM_SCOPE, { from: "2001-01-01", to: "2001-12-31" });
    expect(e.vouchers).toBe(0);
    expect(readSie(e.bytes).errors).toEqual([]);
  });

  test("the export of the year takes well under a second (290 members, 10 projects)", () => {
    const period = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` };
    sie.sieExport(scope.SYSTEM_SCOPE, period); // warm
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      sie.sieExport(scope.SYSTEM_SCOPE, period);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `SIE export, ${YEAR}, 290 members × (annual fee + 10 projects), 622 vouchers: median ${times[2].toFixed(1)} ms of 5`,
    );
    expect(times[2]).toBeLessThan(1000);
  });
});
