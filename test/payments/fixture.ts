import { tempDbPath } from "../support/server";

/*
 * In-process: a fresh migrated SQLite file, the association's settings (bankgiro 991-2346, the recipient of
 * Bankgirot's example file), municipalities with issued annual-fee invoices for 2026, and one scope per role.
 * No server: the use cases are called as the pages and the API call them.
 */
export async function setupLedger(opts: { municipalities?: number } = {}) {
  const { dbPath } = tempDbPath("sambruk-payments-");
  process.env.DATABASE_PATH = dbPath;
  const seed = await import("../helpers/seed");
  const { saveSettings } = await import("../../app/services/settings.server");
  const billing = await import("../../app/services/billing.server");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const { connection } = await import("../../db/client");

  const municipalities = seed.referenceMunicipalities().slice(0, opts.municipalities ?? 4);
  const memberIds = municipalities.map((m) => seed.seedMunicipality(m).id);
  const users = await seed.seedUsers({ own: memberIds[0] });
  saveSettings(SYSTEM_SCOPE, {
    name: "Intresseföreningen för Sambruk",
    orgNumber: "802412-3344",
    vatNumber: null,
    street: "Box 1",
    postalCode: "111 11",
    city: "Stockholm",
    email: "kansli@sambruk.example.se",
    phone: null,
    bankgiro: "991-2346",
    paymentTermsDays: 30,
    nextInvoiceNumber: 2026001,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
    footer: "",
  });
  const treasurer = { userId: users.treasurer.id, email: "kassor@test.se", role: "treasurer" as const, memberId: null };
  const admin = { userId: users.admin.id, email: "admin@test.se", role: "admin" as const, memberId: null };
  const member = { userId: users.member.id, email: "kontakt@test.se", role: "member" as const, memberId: memberIds[0] };
  const run = billing.createBillingRun(treasurer, { year: 2026, charges: ["annual_fee"] });
  const invoices = billing.issueRun(treasurer, run.run!.id);
  const sqlite = () => connection().sqlite;
  const count = (table: string, where = "1 = 1", ...args: unknown[]) =>
    (
      sqlite()
        .prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
        .get(...args) as { n: number }
    ).n;
  return { memberIds, users, scopes: { treasurer, admin, member }, invoices, sqlite, count, billing };
}
