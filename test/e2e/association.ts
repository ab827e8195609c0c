import { todayIso } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import type { E2eContext } from "./browser";

/*
 * The association of the daily-work browser tests, on top of startE2e's three members: this year's populations,
 * settings, one base-plus-per-capita project and this year's annual fees and shares, billed and issued through the
 * real use cases in-process (the server shares the SQLite file). Last year is left unbilled on purpose.
 */
export const thisYear = Number(todayIso().slice(0, 4));

export async function seedBilledAssociation(ctx: E2eContext) {
  const year = thisYear;
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const members = await import("../../app/features/members/commands.server");
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
  const { saveSettings, DEFAULT_EXEMPTION_TEXT } = {
    ...(await import("../../app/features/settings/commands.server")),
    ...(await import("../../app/features/settings/queries.server")),
  };
  for (const [id, population] of [
    [ctx.members.dalsEd, 4_606],
    [ctx.members.goteborg, 608_993],
    [ctx.members.molndal, 71_420],
  ]) {
    members.setPopulation(SYSTEM_SCOPE, id, year - 1, population);
    members.setPopulation(SYSTEM_SCOPE, id, year - 2, population);
  }
  saveSettings(SYSTEM_SCOPE, {
    name: "Intresseföreningen för Sambruk",
    orgNumber: generateOrgNumber("802012345"),
    vatNumber: null,
    street: "Box 1234",
    postalCode: "111 22",
    city: "Stockholm",
    email: "kansli@sambruk.test",
    phone: null,
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: year * 1000 + 1,
    ourReference: "Kassören",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: DEFAULT_EXEMPTION_TEXT,
    footer: "",
  });
  const p = projects.createProject(SYSTEM_SCOPE, {
    code: "P-010",
    name: "Gemensam e-arkivlösning med ett långt projektnamn",
    status: "open",
    allocationKey: "base_plus_per_capita",
    basePercent: "20",
  });
  for (const id of Object.values(ctx.members))
    projects.addParticipant(SYSTEM_SCOPE, p.id, { memberId: id, joinedOn: `${year - 1}-01-01` });
  projects.setBudget(SYSTEM_SCOPE, p.id, year - 1, { amount: 50_000_000 });
  projects.setBudget(SYSTEM_SCOPE, p.id, year, { amount: 123_456_789 });
  const run = billing.createBillingRun(SYSTEM_SCOPE, { year, charges: ["annual_fee", "project_share"] });
  billing.issueRun(SYSTEM_SCOPE, run.run!.id);
  const invoices = billing.listInvoiceViews(SYSTEM_SCOPE, { year });
  const of = (memberId: number) => invoices.find((v) => v.memberId === memberId)!;
  return {
    year,
    project: p.id,
    run: run.run!.id,
    invoice: { dalsEd: of(ctx.members.dalsEd), goteborg: of(ctx.members.goteborg), molndal: of(ctx.members.molndal) },
  };
}
