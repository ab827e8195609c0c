import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { todayIso } from "../../billing/dates";
import { DomainError } from "../../billing/errors";
import { generateOrgNumber } from "../../billing/identifiers";
import { ACTIONS, type Action } from "../../billing/policy";
import type { Scope } from "../../db/scope";
import { simpleCsv } from "../billing/scb-files";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import type { InvoiceView } from "../../app/features/invoices/queries.server";
import { association, referenceMunicipalities, type Association } from "../support/association";
import { bgmaxFile } from "../support/bgmax-writer";

/*
 * Every action of the policy (billing/policy.ts) at the level of the use cases: each use case is called in-process,
 * on a fresh migrated SQLite file, with the scope of each role and of the system (the command line), and either
 * goes through or is refused with the policy's kind (403 forbidden, or 404 for what the caller may not know of)
 * before it changes anything. The page, the API and the CLI call these same functions, so they cannot differ.
 */
type Who = "admin" | "treasurer" | "member" | "system";
type Answer = "allow" | "forbidden" | "not_found";
const WHO: Who[] = ["admin", "treasurer", "member", "system"];
const today = todayIso();

/** The ledger: eight municipalities with issued annual-fee invoices for 2026, bankgiro 991-2346. */
let f: Association & { memberIds: number[]; invoices: InvoiceView[] };
let scopes: Record<Who, Scope>;
let svc: {
  members: typeof import("../../app/features/members/commands.server") &
    typeof import("../../app/features/members/json.server");
  fees: typeof import("../../app/features/fees/commands.server") &
    typeof import("../../app/features/fees/queries.server");
  schedules: typeof import("../../app/features/fees/commands.server");
  imports: typeof import("../../app/features/interchange/population-import.server");
  projects: typeof import("../../app/features/projects/commands.server") &
    typeof import("../../app/features/projects/participants.server") &
    typeof import("../../app/features/projects/allocation.server");
  outcomes: typeof import("../../app/features/projects/outcomes.server");
  csv: typeof import("../../app/features/projects/csv.server");
  overview: typeof import("../../app/features/overview/queries.server");
  billing: typeof import("../../app/features/billing-runs/commands.server") &
    typeof import("../../app/features/billing-runs/queries.server") &
    typeof import("../../app/features/invoices/drafts.server") &
    typeof import("../../app/features/invoices/issue.server") &
    typeof import("../../app/features/invoices/reminders.server") &
    typeof import("../../app/features/invoices/pdf.server") &
    typeof import("../../app/features/invoices/credit.server") &
    typeof import("../../app/features/invoices/queries.server") &
    typeof import("../../app/features/payments/commands.server");
  delivery: typeof import("../../app/features/delivery/runs.server") &
    typeof import("../../app/features/delivery/send.server") &
    typeof import("../../app/features/delivery/reminders.server");
  downloads: typeof import("../../app/features/e-invoice/downloads.server");
  sie: typeof import("../../app/features/interchange/sie.server");
  files: typeof import("../../app/features/payments/bank-files.server") &
    typeof import("../../app/features/payments/bank-file-apply.server") &
    typeof import("../../app/features/payments/unmatched.server");
  receivables: typeof import("../../app/features/receivables/queries.server");
  settings: typeof import("../../app/features/settings/commands.server") &
    typeof import("../../app/features/settings/queries.server");
  users: typeof import("../../app/features/users/commands.server") &
    typeof import("../../app/features/users/queries.server");
  audit: typeof import("../../app/features/audit/queries.server");
};
const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-policy-outbox-"));
const config = { smtpUrl: null, smtpFrom: null, peppolOutbox: outbox, emailOutbox: outbox };

/** What the rows act on, made as the system before the rows run; per caller where a call uses its target up. */
let ids: {
  own: number;
  other: number;
  members: number[];
  issued: Array<{ id: number; number: number | null }>;
  run2026: number;
  run2027: number;
  drafts: Array<{ id: number; lineId: number; amount: number }>;
  project: number;
  openProject: number;
  ownProject: number;
  removableProject: number;
  removable: Partial<Record<Who, number>>;
  populationYear: Partial<Record<Who, number>>;
  imports: Partial<Record<Who, number>>;
  overrides: Partial<Record<Who, number>>;
  paymentFiles: Partial<Record<Who, number>>;
  unmatched: { assign: Partial<Record<Who, number>>; refund: Partial<Record<Who, number>> };
  reminder: number;
};

const SETTINGS = {
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
  ourReference: "Kim Kassör",
  vatRateEntryFee: 0,
  vatRateAnnualFee: 0,
  vatRateProjectShare: 0,
  vatExemptionText: "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde",
  footer: "",
} as const;

const brackets = [
  { name: "small", minPopulation: 0, entryFee: 500_000, annualFee: 800_000 },
  { name: "large", minPopulation: 50_000, entryFee: 2_000_000, annualFee: 3_200_000 },
];
/** The caller's own prepared target; a caller the policy refuses tries the first one (it must stay untouched). */
const per = <T>(values: Partial<Record<Who, T>>, who: Who): T => {
  const value = values[who] ?? Object.values(values)[0];
  if (value === undefined) throw new Error(`no prepared target for ${who}`);
  return value as T;
};

beforeAll(async () => {
  const codes = referenceMunicipalities()
    .slice(0, 8)
    .map((m) => m.code);
  const a = await association({
    municipalities: codes,
    memberUserOf: codes[0],
    settings: { bankgiro: "991-2346" },
    prefix: "sambruk-policy-",
  });
  const run = createBillingRun(a.scope.treasurer, { year: 2026, charges: ["annual_fee"] });
  f = Object.assign(a, {
    memberIds: codes.map((code) => a.member[code]),
    invoices: issueRun(a.scope.treasurer, run.run!.id),
  });
  scopes = { ...f.scope };
  svc = {
    members: {
      ...(await import("../../app/features/members/commands.server")),
      ...(await import("../../app/features/members/json.server")),
    },
    fees: {
      ...(await import("../../app/features/fees/commands.server")),
      ...(await import("../../app/features/fees/queries.server")),
    },
    schedules: { ...(await import("../../app/features/fees/commands.server")) },
    imports: { ...(await import("../../app/features/interchange/population-import.server")) },
    projects: {
      ...(await import("../../app/features/projects/commands.server")),
      ...(await import("../../app/features/projects/participants.server")),
      ...(await import("../../app/features/projects/allocation.server")),
    },
    outcomes: { ...(await import("../../app/features/projects/outcomes.server")) },
    csv: { ...(await import("../../app/features/projects/csv.server")) },
    overview: { ...(await import("../../app/features/overview/queries.server")) },
    billing: {
      ...(await import("../../app/features/billing-runs/commands.server")),
      ...(await import("../../app/features/billing-runs/queries.server")),
      ...(await import("../../app/features/invoices/drafts.server")),
      ...(await import("../../app/features/invoices/issue.server")),
      ...(await import("../../app/features/invoices/reminders.server")),
      ...(await import("../../app/features/invoices/pdf.server")),
      ...(await import("../../app/features/invoices/credit.server")),
      ...(await import("../../app/features/invoices/queries.server")),
      ...(await import("../../app/features/payments/commands.server")),
    },
    delivery: {
      ...(await import("../../app/features/delivery/runs.server")),
      ...(await import("../../app/features/delivery/send.server")),
      ...(await import("../../app/features/delivery/reminders.server")),
    },
    downloads: { ...(await import("../../app/features/e-invoice/downloads.server")) },
    sie: { ...(await import("../../app/features/interchange/sie.server")) },
    files: {
      ...(await import("../../app/features/payments/bank-files.server")),
      ...(await import("../../app/features/payments/bank-file-apply.server")),
      ...(await import("../../app/features/payments/unmatched.server")),
    },
    receivables: { ...(await import("../../app/features/receivables/queries.server")) },
    settings: {
      ...(await import("../../app/features/settings/commands.server")),
      ...(await import("../../app/features/settings/queries.server")),
    },
    users: {
      ...(await import("../../app/features/users/commands.server")),
      ...(await import("../../app/features/users/queries.server")),
    },
    audit: { ...(await import("../../app/features/audit/queries.server")) },
  };
  const sys = f.scope.system;
  const [own, other, ...rest] = f.memberIds;
  const m = svc.members;

  // Projects: P with Göteborg-like "other" taking part and a budget; an open one to join; one the own member is in.
  const p = svc.projects;
  const project = p.createProject(sys, { code: "P-POL", name: "Policy", status: "open", allocationKey: "equal" });
  p.addParticipant(sys, project.id, { memberId: other, joinedOn: "2021-01-01" });
  p.setBudget(sys, project.id, 2026, { amount: 1_000_000 });
  const openProject = p.createProject(sys, { code: "P-OPEN", name: "Öppet", status: "open", allocationKey: "equal" });
  const ownProject = p.createProject(sys, { code: "P-OWN", name: "Eget", status: "open", allocationKey: "equal" });
  p.addParticipant(sys, ownProject.id, { memberId: own, joinedOn: "2024-01-01" });
  p.setBudget(sys, ownProject.id, 2026, { amount: 500_000 });
  const removable = p.createProject(sys, { code: "P-DEL", name: "Bort", status: "open", allocationKey: "equal" });
  p.addParticipant(sys, removable.id, { memberId: rest[3], joinedOn: "2025-01-01" });
  p.addParticipant(sys, removable.id, { memberId: rest[4], joinedOn: "2025-01-01" });

  // Figures and board decisions to delete, previews to apply, fee schedules to change.
  m.setPopulation(sys, own, 2017, 4_000);
  m.setPopulation(sys, own, 2018, 4_100);
  const overrideA = m.addFeeOverride(sys, own, { validFrom: 2072, validTo: 2072, annualFee: 0, note: "A" });
  const overrideS = m.addFeeOverride(sys, own, { validFrom: 2073, validTo: 2073, annualFee: 0, note: "S" });
  const rows = referenceMunicipalities().slice(0, 8);
  const importA = await svc.imports.previewPopulationImport(sys, simpleCsv(rows), 2013);
  const importS = await svc.imports.previewPopulationImport(sys, simpleCsv(rows), 2014);
  svc.fees.createFeeSchedule(sys, { validFrom: 2080, brackets });
  svc.fees.createFeeSchedule(sys, { validFrom: 2081, brackets });

  // A run of drafts for 2027 (one annual fee each), beside the issued 2026 run of the fixture.
  const run2027 = svc.billing.createBillingRun(sys, { year: 2027, charges: ["annual_fee"] }).run!.id;
  const drafts = svc.billing
    .listInvoiceViews(sys, { runId: run2027 })
    .map((v) => ({ id: v.id, lineId: v.lines[0].id, amount: v.lines[0].amount }));

  // An overdue invoice with a recorded reminder.
  const overdue = f.invoices[5];
  f.sqlite().prepare("UPDATE invoices SET due_date = '2000-01-31' WHERE id = ?").run(overdue.id);
  const reminder = svc.billing.recordReminder(sys, overdue.id);

  // Bank files: three to apply, and one applied whose six payments nobody's OCR matches (unmatched).
  let serial = 100;
  const fileOf = (n: number) =>
    bgmaxFile([
      {
        date: today,
        payments: Array.from({ length: n }, () => ({ reference: "4711", amountOre: 100, serial: serial++ })),
      },
    ]);
  const paymentFiles: Partial<Record<Who, number>> = {};
  for (const who of ["admin", "treasurer", "system"] as const)
    paymentFiles[who] = svc.files.uploadPaymentFile(sys, fileOf(1), `${who}.txt`).id;
  const unmatchedFile = svc.files.uploadPaymentFile(sys, fileOf(6), "unmatched.txt");
  svc.files.applyPaymentFile(sys, unmatchedFile.id);
  const open = svc.files.listUnmatchedPayments(sys, { status: "open" }).map((u) => u.id);

  ids = {
    own,
    other,
    members: f.memberIds,
    issued: f.invoices.map((v) => ({ id: v.id, number: v.number })),
    run2026: f.invoices[0].runId!,
    run2027,
    drafts,
    project: project.id,
    openProject: openProject.id,
    ownProject: ownProject.id,
    removableProject: removable.id,
    removable: { admin: rest[3], system: rest[4] },
    populationYear: { admin: 2017, system: 2018 },
    imports: { admin: importA.id, system: importS.id },
    overrides: { admin: overrideA.id, system: overrideS.id },
    paymentFiles,
    unmatched: {
      assign: { admin: open[0], treasurer: open[1], system: open[2] },
      refund: { admin: open[3], treasurer: open[4], system: open[5] },
    },
    reminder: reminder.id,
  };
}, 120_000);

afterAll(() => fs.rmSync(outbox, { recursive: true, force: true }));

const A: Answer = "allow";
const F: Answer = "forbidden";
const N: Answer = "not_found";
/** admin, treasurer, member (the own member's contact person), system. */
const board = { admin: A, treasurer: F, member: F, system: A };
const treasurerOnly = { admin: F, treasurer: A, member: F, system: A };
const staff = { admin: A, treasurer: A, member: F, system: A };
const staffElseHidden = { admin: A, treasurer: A, member: N, system: A };
const contactOnly = { admin: F, treasurer: F, member: A, system: F };

interface Row {
  action: Action;
  useCase: string;
  call: (scope: Scope, who: Who) => unknown;
  expect: Record<Who, Answer>;
}

const ROWS: Row[] = [
  // Members
  {
    action: "member.create",
    useCase: "createMember",
    expect: board,
    call: (s, who) =>
      svc.members.createMember(s, {
        kind: "organisation",
        name: `Förbundet ${who}`,
        orgNumber: generateOrgNumber(`80241300${WHO.indexOf(who)}`),
        joinedOn: "2026-01-01",
      }),
  },
  {
    action: "member.update",
    useCase: "updateMember (the name of the own member)",
    expect: board,
    call: (s, who) => svc.members.updateMember(s, ids.own, { name: `Dals-Ed ${who}` }),
  },
  {
    action: "member.update.contact",
    useCase: "updateMember (the reference of the own member)",
    expect: { admin: A, treasurer: F, member: A, system: A },
    call: (s, who) => svc.members.updateMember(s, ids.own, { reference: `Ref ${who}` }),
  },
  {
    action: "member.update.contact",
    useCase: "updateMember (the reference of another member)",
    expect: { admin: A, treasurer: F, member: N, system: A },
    call: (s, who) => svc.members.updateMember(s, ids.other, { reference: `Ref ${who}` }),
  },
  {
    action: "member.read.private",
    useCase: "memberStatement (another member)",
    expect: { admin: A, treasurer: A, member: N, system: A },
    call: (s) => svc.receivables.memberStatement(s, ids.other),
  },
  {
    action: "member.read.private",
    useCase: "memberStatement (the own member)",
    expect: { admin: A, treasurer: A, member: A, system: A },
    call: (s) => svc.receivables.memberStatement(s, ids.own),
  },
  {
    action: "population.record",
    useCase: "setPopulation",
    expect: board,
    call: (s, who) => svc.members.setPopulation(s, ids.own, 2019, who === "admin" ? 4_200 : 4_300),
  },
  {
    action: "population.record",
    useCase: "deletePopulationFigure",
    expect: board,
    call: (s, who) => svc.members.deletePopulationFigure(s, ids.own, per(ids.populationYear, who)),
  },
  {
    action: "population.import",
    useCase: "previewPopulationImport",
    expect: board,
    call: async (s, who) => {
      const rows = referenceMunicipalities().slice(0, 8);
      return svc.imports.previewPopulationImport(s, simpleCsv(rows), who === "admin" ? 2011 : 2012);
    },
  },
  {
    action: "population.import",
    useCase: "applyPopulationImport",
    expect: board,
    call: (s, who) => svc.imports.applyPopulationImport(s, per(ids.imports, who)),
  },
  {
    action: "fee-override.manage",
    useCase: "addFeeOverride",
    expect: board,
    call: (s, who) =>
      svc.members.addFeeOverride(s, ids.own, {
        validFrom: who === "admin" ? 2074 : 2075,
        validTo: who === "admin" ? 2074 : 2075,
        annualFee: 0,
        note: who,
      }),
  },
  {
    action: "fee-override.manage",
    useCase: "removeFeeOverride",
    expect: board,
    call: (s, who) => svc.members.removeFeeOverride(s, ids.own, per(ids.overrides, who)),
  },

  // Fees
  {
    action: "fee-schedule.create",
    useCase: "createFeeSchedule",
    expect: board,
    call: (s, who) => svc.fees.createFeeSchedule(s, { validFrom: who === "admin" ? 2090 : 2091, brackets }),
  },
  {
    action: "fee-schedule.update",
    useCase: "updateFeeSchedule (the latest)",
    expect: board,
    call: (s) => {
      const latest = svc.fees.listFeeSchedules().at(-1)!;
      return svc.schedules.updateFeeSchedule(s, latest.id, { validFrom: latest.validFrom, brackets });
    },
  },
  {
    action: "fee-schedule.delete",
    useCase: "deleteFeeSchedule (the latest)",
    expect: board,
    call: (s) => svc.schedules.deleteFeeSchedule(s, svc.fees.listFeeSchedules().at(-1)!.id),
  },
  { action: "fees.read.all", useCase: "feesOverview", expect: staff, call: (s) => svc.fees.feesOverview(s, 2026) },

  // Projects
  {
    action: "project.create",
    useCase: "createProject",
    expect: board,
    call: (s, who) => svc.projects.createProject(s, { code: `P-${who}`, name: who, allocationKey: "equal" }),
  },
  {
    action: "project.update",
    useCase: "updateProject",
    expect: board,
    call: (s, who) => svc.projects.updateProject(s, ids.project, { description: `Av ${who}` }),
  },
  {
    action: "project.budget.set",
    useCase: "setBudget",
    expect: board,
    call: (s, who) => svc.projects.setBudget(s, ids.project, 2027, { amount: who === "admin" ? 100 : 200 }),
  },
  {
    action: "project.outcome.record",
    useCase: "recordOutcome",
    expect: board,
    call: (s, who) => svc.outcomes.recordOutcome(s, ids.project, 2026, { amount: who === "admin" ? 900_000 : 950_000 }),
  },
  {
    // A contact person only joins its own member: adding another one is refused (403, not hidden).
    action: "project.participant.add",
    useCase: "addParticipant (another member)",
    expect: board,
    call: (s, who) =>
      svc.projects.addParticipant(s, ids.project, {
        memberId: ids.members[who === "admin" ? 2 : who === "system" ? 3 : 4],
        joinedOn: who === "member" ? today : "2026-01-01",
      }),
  },
  {
    action: "project.participant.update",
    useCase: "updateParticipant (another member's dates)",
    expect: board,
    call: (s) => svc.projects.updateParticipant(s, ids.project, ids.other, { joinedOn: "2022-01-01" }),
  },
  {
    action: "project.participant.remove",
    useCase: "removeParticipant",
    expect: board,
    call: (s, who) => svc.projects.removeParticipant(s, ids.removableProject, per(ids.removable, who)),
  },
  {
    action: "project.join",
    useCase: "joinProject",
    expect: contactOnly,
    call: (s) => svc.projects.joinProject(s, ids.openProject),
  },
  {
    action: "project.leave",
    useCase: "leaveProject",
    expect: contactOnly,
    call: (s) => svc.projects.leaveProject(s, ids.ownProject),
  },
  {
    action: "project.money.read",
    useCase: "projectYearMoney",
    expect: staff,
    call: (s) => svc.outcomes.projectYearMoney(s, ids.project),
  },

  // Billing runs and invoices
  { action: "overview.read", useCase: "overview", expect: staff, call: (s) => svc.overview.overview(s, 2026) },
  { action: "billing-run.read", useCase: "listRuns", expect: staff, call: (s) => svc.billing.listRuns(s) },
  {
    action: "billing-run.read",
    useCase: "runDetail",
    expect: staff,
    call: (s) => svc.billing.runDetail(s, ids.run2026),
  },
  {
    action: "billing-run.read",
    useCase: "runPdfResponse",
    expect: staff,
    call: (s) => svc.billing.runPdfResponse(s, ids.run2026),
  },
  {
    action: "billing-run.read",
    useCase: "runZipResponse",
    expect: staff,
    call: (s) => svc.downloads.runZipResponse(s, ids.run2026),
  },
  {
    action: "billing-run.read",
    useCase: "printPdfOfRun",
    expect: staff,
    call: (s) => svc.delivery.printPdfOfRun(s, ids.run2026),
  },
  {
    action: "billing-run.create",
    useCase: "createBillingRun",
    expect: treasurerOnly,
    call: (s) => svc.billing.createBillingRun(s, { year: 2028, charges: ["annual_fee"] }),
  },
  {
    action: "invoice.edit-draft",
    useCase: "updateDraftLine",
    expect: treasurerOnly,
    call: (s, who) => {
      const d = ids.drafts[0];
      return svc.billing.updateDraftLine(s, d.id, d.lineId, { description: `Årsavgift (${who})`, amount: d.amount });
    },
  },
  {
    action: "invoice.edit-draft",
    useCase: "deleteDraftLine",
    expect: treasurerOnly,
    call: (s, who) => {
      const d = ids.drafts[who === "system" ? 2 : 1];
      return svc.billing.deleteDraftLine(s, d.id, d.lineId);
    },
  },
  {
    action: "invoice.edit-draft",
    useCase: "deleteDraft",
    expect: treasurerOnly,
    call: (s, who) => svc.billing.deleteDraft(s, ids.drafts[who === "system" ? 4 : 3].id),
  },
  {
    action: "invoice.issue",
    useCase: "issueInvoice",
    expect: treasurerOnly,
    call: (s, who) => svc.billing.issueInvoice(s, ids.drafts[who === "system" ? 6 : 5].id),
  },
  {
    action: "billing-run.issue",
    useCase: "issueRun",
    expect: treasurerOnly,
    call: (s) => svc.billing.issueRun(s, ids.run2027),
  },
  {
    action: "invoice.send",
    useCase: "sendInvoice",
    expect: treasurerOnly,
    call: (s) => svc.delivery.sendInvoice(s, ids.issued[6].id, { resend: true }, config),
  },
  {
    action: "billing-run.send",
    useCase: "sendRun",
    expect: treasurerOnly,
    call: (s) => svc.delivery.sendRun(s, ids.run2026, {}, config),
  },
  {
    action: "invoice.remind",
    useCase: "recordReminder",
    expect: treasurerOnly,
    call: (s) => svc.billing.recordReminder(s, ids.issued[5].id),
  },
  {
    action: "invoice.remind",
    useCase: "sendReminder",
    expect: treasurerOnly,
    call: (s) => svc.delivery.sendReminder(s, ids.issued[5].id, ids.reminder, config),
  },
  {
    action: "invoice.read.internal",
    useCase: "reminderPdf",
    expect: staff,
    call: (s) => svc.delivery.reminderPdf(s, ids.issued[5].id),
  },
  {
    action: "invoice.read.internal",
    useCase: "reminderPdfResponse",
    expect: staff,
    call: (s) => svc.billing.reminderPdfResponse(s, ids.issued[5].id),
  },
  {
    action: "invoice.credit",
    useCase: "creditInvoice",
    expect: treasurerOnly,
    call: (s, who) => svc.billing.creditInvoice(s, ids.issued[who === "system" ? 4 : 3].id, "Fel mottagare"),
  },
  {
    action: "invoice.export",
    useCase: "sieExport",
    expect: staff,
    call: (s) => svc.sie.sieExport(s, { from: "2026-01-01", to: "2026-12-31" }),
  },

  // Payments
  {
    action: "payment.register",
    useCase: "registerPayment",
    expect: treasurerOnly,
    call: (s) => svc.billing.registerPayment(s, ids.issued[2].id, { amount: 100, paidOn: today }),
  },
  {
    action: "payment.read",
    useCase: "listPaymentFiles",
    expect: staffElseHidden,
    call: (s) => svc.files.listPaymentFiles(s),
  },
  {
    action: "payment.read",
    useCase: "paymentFilePreview",
    expect: staffElseHidden,
    call: (s) => svc.files.paymentFilePreview(s, per(ids.paymentFiles, "admin")),
  },
  {
    action: "payment.read",
    useCase: "listUnmatchedPayments",
    expect: staffElseHidden,
    call: (s) => svc.files.listUnmatchedPayments(s),
  },
  {
    action: "payment-file.upload",
    useCase: "uploadPaymentFile",
    expect: staffElseHidden,
    call: (s, who) =>
      svc.files.uploadPaymentFile(
        s,
        bgmaxFile([{ date: today, payments: [{ reference: "4711", amountOre: 100, serial: 900 + WHO.indexOf(who) }] }]),
      ),
  },
  {
    action: "payment-file.apply",
    useCase: "applyPaymentFile",
    expect: staffElseHidden,
    call: (s, who) => svc.files.applyPaymentFile(s, per(ids.paymentFiles, who)),
  },
  {
    action: "unmatched-payment.assign",
    useCase: "assignUnmatchedPayment",
    expect: staffElseHidden,
    call: (s, who) =>
      svc.files.assignUnmatchedPayment(s, per(ids.unmatched.assign, who), {
        invoiceNumber: ids.issued[7].number!,
      }),
  },
  {
    action: "unmatched-payment.refund",
    useCase: "refundUnmatchedPayment",
    expect: staffElseHidden,
    call: (s, who) =>
      svc.files.refundUnmatchedPayment(s, per(ids.unmatched.refund, who), {
        note: `Återbetald av ${who}`,
      }),
  },
  {
    action: "receivables.read",
    useCase: "receivables",
    expect: staffElseHidden,
    call: (s) => svc.receivables.receivables(s),
  },

  // Settings, users, audit
  { action: "settings.read", useCase: "readSettings", expect: staff, call: (s) => svc.settings.readSettings(s) },
  {
    action: "settings.update",
    useCase: "saveSettings",
    expect: staff,
    call: (s) =>
      svc.settings.saveSettings(s, {
        ...SETTINGS,
        nextInvoiceNumber: Math.max(svc.settings.getSettings()!.nextInvoiceNumber, svc.settings.lowestNextNumber()),
      }),
  },
  {
    action: "user.manage",
    useCase: "createUser",
    expect: board,
    call: (s, who) =>
      svc.users.createUser(s, {
        email: `ny-${who}@test.se`,
        name: "Ny",
        password: "ett långt lösenord",
        role: "treasurer",
      }),
  },
  {
    action: "user.manage",
    useCase: "updateUser",
    expect: board,
    call: (s, who) => svc.users.updateUser(s, f.users.member.id, { name: `Mo ${who}` }),
  },
  {
    action: "user.manage",
    useCase: "setPassword",
    expect: board,
    call: (s) => svc.users.setPassword(s, f.users.member.id, "ett annat långt lösenord"),
  },
  {
    action: "user.manage",
    useCase: "getUserAccount",
    expect: board,
    call: (s) => svc.users.getUserAccount(s, f.users.treasurer.id),
  },
  {
    // The accounts of the own member only (see "what each caller gets" below).
    action: "user.read",
    useCase: "listUsers",
    expect: { admin: A, treasurer: F, member: A, system: A },
    call: (s) => svc.users.listUsers(s),
  },
  {
    action: "audit.read",
    useCase: "readAudit",
    expect: staff,
    call: (s) => svc.audit.readAudit(s, { limit: 10, offset: 0 }),
  },
];

/** Everything a use case could change, counted: a refused call must leave it as it was. */
function fingerprint() {
  const tables = [
    "audit_log",
    "members",
    "populations",
    "fee_overrides",
    "fee_schedules",
    "projects",
    "project_participants",
    "project_budgets",
    "billing_runs",
    "invoices",
    "invoice_lines",
    "payments",
    "reminders",
    "deliveries",
    "payment_files",
    "unmatched_payments",
    "population_imports",
    "users",
  ];
  return Object.fromEntries(tables.map((t) => [t, f.count(t)]));
}

async function outcome(row: Row, who: Who): Promise<{ answer: Answer; error?: DomainError }> {
  try {
    await row.call(scopes[who], who);
    return { answer: "allow" };
  } catch (error) {
    if (error instanceof DomainError && (error.kind === "forbidden" || error.kind === "not_found")) {
      return { answer: error.kind, error };
    }
    throw error;
  }
}

describe("every use case asks the policy first", () => {
  test("every action of the policy has a use case in the table", () => {
    expect([...new Set(ROWS.map((r) => r.action))].sort()).toEqual(
      // Filters rather than refusals: their use cases are checked below.
      ACTIONS.filter((a) => a !== "fees.read" && a !== "invoice.read" && a !== "allocation.file.read").sort(),
    );
  });

  test.each(ROWS.map((r) => [`${r.action}: ${r.useCase}`, r] as const))("%s", async (_label, row) => {
    // The refused callers first, so that what the allowed ones change cannot hide a refusal.
    const order = [...WHO].sort((a, b) => Number(row.expect[a] === "allow") - Number(row.expect[b] === "allow"));
    const got: Partial<Record<Who, Answer>> = {};
    for (const who of order) {
      const before = fingerprint();
      const result = await outcome(row, who);
      got[who] = result.answer;
      if (result.answer !== "allow") {
        expect(fingerprint(), `${who}: a refusal changes nothing`).toEqual(before);
        expect(result.error!.code).toBe(result.answer);
        expect(result.error!.message.length).toBeGreaterThan(0);
      }
    }
    expect(got).toEqual(row.expect);
  });
});

describe("what each caller gets from the reads that filter", () => {
  test("fees.read: a contact person gets its own member's fee row, staff every member's", () => {
    const memberIds = (who: Who) => svc.fees.feeRowsFor(scopes[who], 2026).map((r) => r.member.id);
    expect(memberIds("member")).toEqual([ids.own]);
    const everyone = svc.fees.feesOverview(scopes.admin, 2026).rows.map((r) => r.member.id);
    expect(everyone).toEqual(expect.arrayContaining(ids.members));
    for (const who of ["admin", "treasurer", "system"] as const) expect(memberIds(who)).toEqual(everyone);
  });

  test("invoice.read: a contact person sees its own member's issued invoices only; staff every one, drafts too", () => {
    const member = svc.billing.listInvoiceViews(scopes.member);
    expect(member.length).toBeGreaterThan(0);
    expect(member.every((v) => v.memberId === ids.own && v.state !== "draft")).toBe(true);
    expect(svc.billing.getInvoiceView(scopes.member, ids.issued[1].id)).toBeUndefined();
    const draftRun = svc.billing.createBillingRun(scopes.treasurer, { year: 2029, charges: ["annual_fee"] }).run!;
    for (const who of ["admin", "treasurer", "system"] as const) {
      const views = svc.billing.listInvoiceViews(scopes[who]);
      expect(new Set(views.map((v) => v.memberId)).size, who).toBe(ids.members.length);
      expect(
        views.some((v) => v.runId === draftRun.id && v.state === "draft"),
        who,
      ).toBe(true);
    }
    expect(svc.billing.listInvoiceViews(scopes.member).some((v) => v.runId === draftRun.id)).toBe(false);
  });

  test("member.read.private: another member's private part is withheld from a contact person", () => {
    expect(svc.members.getMemberJson(scopes.member, ids.other)).toMatchObject({
      invoiceAddress: null,
      reference: null,
    });
    expect(svc.members.getMemberJson(scopes.member, ids.own)?.invoiceAddress).not.toBeNull();
    expect(svc.members.getMemberJson(scopes.treasurer, ids.other)?.invoiceAddress).not.toBeNull();
  });

  test("allocation.file.read: staff any project-year's file, a contact person only one its member takes part in", () => {
    const notIn = svc.projects.projectAllocation(ids.project, 2026);
    const takesPart = svc.projects.projectAllocation(ids.ownProject, 2026);
    expect(WHO.map((who) => svc.csv.maySeeAllocationCsv(scopes[who], notIn))).toEqual([true, true, false, true]);
    expect(WHO.map((who) => svc.csv.maySeeAllocationCsv(scopes[who], takesPart))).toEqual([true, true, true, true]);
  });

  test("user.read: a contact person gets its own member's accounts, the board every account", () => {
    expect(svc.users.listUsers(scopes.member).map((u) => u.memberId)).toEqual([ids.own]);
    expect(svc.users.listUsers(scopes.admin).length).toBeGreaterThan(3);
  });
});
