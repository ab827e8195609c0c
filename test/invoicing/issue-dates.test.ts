import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addDays, todayIso, yearOf } from "../../billing/dates";
import type { Scope } from "../../db/scope";
import * as runs from "../../app/features/billing-runs/commands.server";
import * as credit from "../../app/features/invoices/credit.server";
import * as documents from "../../app/features/invoices/documents.server";
import * as issue from "../../app/features/invoices/issue.server";
import * as queries from "../../app/features/invoices/queries.server";
import * as payments from "../../app/features/payments/commands.server";
import { association, referenceMunicipalities, type Association } from "../support/association";

/*
 * The invoice date and due date of an issue, through the use cases the pages and the API call (in-process, a fresh
 * migrated SQLite file; docs/invoices.md#dates): a run dated ahead for next year's annual fees, the refusals that
 * leave everything as it was, a single draft and a credit note after a run dated ahead, and a payment before the
 * invoice date of an invoice dated ahead. Dates are relative to today, so the test holds on any day.
 */
const billing = { ...runs, ...credit, ...documents, ...issue, ...queries, ...payments };
let a: Association;
let scope: Scope;
const today = todayIso();
const nextYear = yearOf(today) + 1;
/** An invoice date ahead, like 15 January for next year's fees (at most a year ahead, so always allowed). */
const ahead = addDays(today, 44);

const nextNumber = () => a.sql<{ n: number }>("SELECT next_invoice_number AS n FROM settings")[0].n;
const stateOf = (id: number) =>
  a.sql<{
    state: string;
    number: number | null;
    issueDate: string | null;
    dueDate: string | null;
  }>("SELECT state, number, issue_date AS issueDate, due_date AS dueDate FROM invoices WHERE id = ?", id)[0];

function expectFields(fn: () => unknown, kind: string, fields: Record<string, string | RegExp>) {
  try {
    fn();
  } catch (error) {
    const e = error as { kind: string; fields?: Record<string, string> };
    expect(e.kind).toBe(kind);
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v === "string") expect(e.fields?.[k]).toBe(v);
      else expect(e.fields?.[k]).toMatch(v);
    }
    return;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  // The first three municipalities of the reference data, with last year's figures; the member user is the first's.
  const codes = referenceMunicipalities()
    .slice(0, 3)
    .map((m) => m.code);
  a = await association({
    municipalities: codes,
    populationYear: yearOf(today) - 1,
    memberUserOf: codes[0],
    settings: {
      name: "Testföreningen",
      postalCode: "111 22",
      email: "kansli@test.se",
      ourReference: "Kassören",
    },
    prefix: "sambruk-issue-dates-",
  });
  scope = a.scope.treasurer;
});

afterAll(() => {
  a?.close();
});

describe("the dates of a billing run", () => {
  let runId: number;
  let draftIds: number[];

  test("refused dates issue nothing: the drafts stay drafts and the next number does not move", () => {
    const run = billing.createBillingRun(scope, { year: nextYear, charges: ["annual_fee"] });
    runId = run.run!.id;
    draftIds = run.invoiceIds;
    expect(draftIds).toHaveLength(3);
    const before = nextNumber();
    expectFields(
      () => billing.issueRun(scope, runId, { issueDate: ahead, dueDate: addDays(ahead, -1) }),
      "validation",
      {
        dueDate: `Förfallodatumet kan inte ligga före fakturadatumet (${ahead})`,
      },
    );
    expectFields(() => billing.issueRun(scope, runId, { issueDate: addDays(today, -1) }), "validation", {
      issueDate: /kan inte ligga före i dag/,
    });
    expectFields(() => billing.issueRun(scope, runId, { issueDate: addDays(today, 366) }), "validation", {
      issueDate: /högst ett år fram/,
    });
    for (const id of draftIds) expect(stateOf(id)).toMatchObject({ state: "draft", number: null, issueDate: null });
    expect(nextNumber()).toBe(before);
  });

  test("next year's annual fees dated ahead: every invoice, its frozen document and its e-invoice carry the dates", () => {
    const issued = billing.issueRun(scope, runId, { issueDate: ahead });
    expect(issued).toHaveLength(3);
    const due = addDays(ahead, 30);
    for (const inv of issued) {
      expect(inv).toMatchObject({ issueDate: ahead, dueDate: due, year: nextYear, status: "issued" });
      const doc = billing.invoiceDocument(scope, inv.id)!;
      expect(doc).toMatchObject({ issueDate: ahead, dueDate: due });
      const ubl = a.sql<{ ubl: string }>("SELECT ubl FROM invoices WHERE id = ?", inv.id)[0].ubl;
      expect(ubl).toContain(`<cbc:IssueDate>${ahead}</cbc:IssueDate>`);
      expect(ubl).toContain(`<cbc:DueDate>${due}</cbc:DueDate>`);
    }
    // Not overdue, and numbered in one gapless run as before.
    expect(issued.map((i) => i.number).sort()).toEqual([2026001, 2026002, 2026003]);
    const audit = a.sql<{ after: string }>(
      "SELECT after FROM audit_log WHERE action = 'billing_run.issue' AND entity_id = ?",
      String(runId),
    )[0];
    expect(JSON.parse(audit.after)).toEqual({ invoices: 3, issueDate: ahead, dueDate: due });
  });

  test("issuing the run again is harmless and needs no dates", () => {
    expect(billing.issueRun(scope, runId, { issueDate: addDays(today, -10) })).toHaveLength(3);
  });

  test("after it, a draft dated today is refused (dates follow numbers); left out, it takes the latest date", () => {
    const extra = billing.createBillingRun(scope, { year: yearOf(today), charges: ["annual_fee"] });
    const [first, second] = extra.invoiceIds;
    expectFields(() => billing.issueInvoice(scope, first, { issueDate: today }), "validation", {
      issueDate: `Fakturadatumet kan inte ligga före ${ahead}: faktura 2026003 har redan det datumet, och fakturanumren ska följa datumen. Välj ${ahead} eller senare.`,
    });
    expect(stateOf(first).state).toBe("draft");
    const one = billing.issueInvoice(scope, first, {});
    expect(one).toMatchObject({ number: 2026004, issueDate: ahead, dueDate: addDays(ahead, 30) });
    const two = billing.issueInvoice(scope, second, { issueDate: addDays(ahead, 1), dueDate: addDays(ahead, 11) });
    expect(two).toMatchObject({ number: 2026005, issueDate: addDays(ahead, 1), dueDate: addDays(ahead, 11) });
  });

  test("a credit note made now takes the latest date of the series, so the dates still follow the numbers", () => {
    const original = billing.listInvoiceViews(scope, { year: nextYear })[0];
    const note = billing.creditInvoice(scope, original.id, "Fel avgift");
    expect(note.number).toBe(2026006);
    expect(note.issueDate).toBe(addDays(ahead, 1));
    const rows = a.sql<{ number: number; d: string }>(
      "SELECT number, issue_date AS d FROM invoices WHERE number IS NOT NULL ORDER BY number",
    );
    for (let i = 1; i < rows.length; i++) expect(rows[i].d >= rows[i - 1].d).toBe(true);
  });

  test("an invoice dated ahead can be paid from the day it was issued, not before", () => {
    const inv = billing
      .listInvoiceViews(scope, { year: nextYear })
      .find((v) => v.status === "issued" && v.kind === "invoice")!;
    expectFields(
      () => billing.registerPayment(scope, inv.id, { amount: 100, paidOn: addDays(today, -1) }),
      "validation",
      {
        paidOn: `Betalningsdagen kan inte ligga före ${today}, dagen fakturan utfärdades`,
      },
    );
    const paid = billing.registerPayment(scope, inv.id, { amount: inv.balance, paidOn: today });
    expect(paid.status).toBe("paid");
  });
});
