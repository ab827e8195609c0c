import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/*
 * In-process use-case tests of adjustments (docs/adjustments.md): a fresh migrated SQLite file per test file,
 * the real use cases called with a scope, no server. Import this before anything that opens the database.
 */
export async function openAssociation() {
  const dir = mkdtempSync(path.join(tmpdir(), "sambruk-adjust-"));
  process.env.DATABASE_PATH = path.join(dir, "test.db");
  const seed = await import("../helpers/seed");
  const settings = {
    ...(await import("../../app/features/settings/commands.server")),
    ...(await import("../../app/features/settings/queries.server")),
  };
  const projects = {
    ...(await import("../../app/features/projects/allocation.server")),
    ...(await import("../../app/features/projects/commands.server")),
    ...(await import("../../app/features/projects/participants.server")),
    ...(await import("../../app/features/projects/queries.server")),
    ...(await import("../../app/features/projects/shares.server")),
  };
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
  const members = await import("../../app/features/members/commands.server");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const { connection } = await import("../../db/client");
  settings.saveSettings(SYSTEM_SCOPE, {
    name: "Intresseföreningen för Sambruk",
    orgNumber: "802412-3344",
    vatNumber: null,
    street: "Box 1",
    postalCode: "111 11",
    city: "Stockholm",
    email: "kansli@sambruk.example.se",
    phone: null,
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: 2026001,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
    footer: "",
  } as Parameters<typeof settings.saveSettings>[1]);
  const member: Record<string, number> = {};
  for (const m of seed.referenceMunicipalities()) member[m.code] = seed.seedMunicipality(m).id;
  const sqlite = () => connection().sqlite;
  return { member, projects, billing, members, scope: SYSTEM_SCOPE, sqlite };
}

export type Association = Awaited<ReturnType<typeof openAssociation>>;

/** Net held (öre) per member for a project-year, read straight from the lines (the invariant's left side). */
export function netHeld(a: Association, projectId: number, year: number): Map<number, number> {
  const rows = a
    .sqlite()
    .prepare(
      `SELECT i.member_id AS memberId, sum(l.amount_ore) AS net FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
       WHERE l.holds_charge = 1 AND l.project_id = ? AND l.year = ? AND l.charge_kind IN ('project_share','project_adjustment')
       GROUP BY i.member_id`,
    )
    .all(projectId, year) as Array<{ memberId: number; net: number }>;
  return new Map(rows.filter((r) => r.net !== 0).map((r) => [r.memberId, r.net]));
}

/** The current split (öre) per member, from the same function the allocation page uses. */
export function currentSplit(a: Association, projectId: number, year: number): Map<number, number> {
  const alloc = a.projects.projectAllocation(projectId, year);
  if (!alloc.ok) throw new Error(`not allocatable: ${JSON.stringify(alloc)}`);
  return new Map(alloc.rows.filter((r) => r.share !== 0 && r.share !== null).map((r) => [r.memberId, r.share!]));
}
