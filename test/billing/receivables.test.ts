import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountStatement,
  AGING_BUCKETS,
  agingBucket,
  receivablesAt,
  type LedgerInvoice,
  type LedgerPayment,
} from "../../billing/receivables";

const invoice = (id: number, memberId: number, issueDate: string, dueDate: string, total: number): LedgerInvoice => ({
  id,
  memberId,
  kind: "invoice",
  number: 2026000 + id,
  issueDate,
  dueDate,
  total,
  creditedInvoiceId: null,
});

describe("agingBucket", () => {
  it("puts the due day itself in 'not due' and counts days past due (table)", () => {
    const cases: Array<[string, string]> = [
      ["2026-03-01", "notDue"],
      ["2026-03-31", "notDue"],
      ["2026-04-01", "d1_30"],
      ["2026-04-30", "d1_30"],
      ["2026-05-01", "d31_60"],
      ["2026-05-30", "d31_60"],
      ["2026-05-31", "d61_90"],
      ["2026-06-29", "d61_90"],
      ["2026-06-30", "over90"],
      ["2027-03-31", "over90"],
    ];
    for (const [date, bucket] of cases) expect(agingBucket("2026-03-31", date), date).toBe(bucket);
  });
});

describe("receivablesAt", () => {
  const invoices: LedgerInvoice[] = [
    invoice(1, 10, "2026-01-15", "2026-02-14", 1600000),
    invoice(2, 10, "2026-03-01", "2026-03-31", 500000),
    invoice(3, 20, "2026-01-15", "2026-02-14", 800000),
    // member 20's invoice 3 is credited on 2026-04-01 after a part payment
    {
      id: 4,
      memberId: 20,
      kind: "credit_note",
      number: 2026004,
      issueDate: "2026-04-01",
      dueDate: "2026-04-01",
      total: -800000,
      creditedInvoiceId: 3,
    },
    invoice(5, 30, "2026-06-01", "2026-07-01", 100000),
  ];
  const payments: LedgerPayment[] = [
    { id: 1, invoiceId: 1, amount: 600000, paidOn: "2026-02-01" },
    { id: 2, invoiceId: 1, amount: 1000000, paidOn: "2026-05-01" },
    { id: 3, invoiceId: 3, amount: 300000, paidOn: "2026-02-20" },
  ];

  it("counts only what was issued and paid on or before the date", () => {
    const { members, totals } = receivablesAt("2026-03-15", invoices, payments);
    expect(members).toEqual([
      {
        memberId: 10,
        invoiced: 2100000,
        paid: 600000,
        credited: 0,
        open: 1500000,
        overdue: 1000000,
        aging: { notDue: 500000, d1_30: 1000000, d31_60: 0, d61_90: 0, over90: 0 },
      },
      {
        memberId: 20,
        invoiced: 800000,
        paid: 300000,
        credited: 0,
        open: 500000,
        overdue: 500000,
        aging: { notDue: 0, d1_30: 500000, d31_60: 0, d61_90: 0, over90: 0 },
      },
    ]);
    expect(totals.open).toBe(2000000);
    expect(totals.aging.d1_30).toBe(1500000);
  });

  it("shows a credit after payment as a negative open amount (the member is owed money back)", () => {
    const { members } = receivablesAt("2026-06-15", invoices, payments);
    const m20 = members.find((m) => m.memberId === 20)!;
    expect(m20).toMatchObject({ invoiced: 800000, paid: 300000, credited: 800000, open: -300000 });
    const m10 = members.find((m) => m.memberId === 10)!;
    expect(m10).toMatchObject({ paid: 1600000, open: 500000, overdue: 500000, aging: { d61_90: 500000 } });
  });

  it("is empty before anything was issued", () => {
    expect(receivablesAt("2025-12-31", invoices, payments).members).toEqual([]);
  });

  it("property: open = invoiced − paid − credited = Σ aging, overdue = Σ buckets past due, totals = Σ members", () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => {
      const d = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
      return d.toISOString().slice(0, 10);
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            member: fc.integer({ min: 1, max: 4 }),
            issue: day,
            terms: fc.integer({ min: 0, max: 60 }),
            total: fc.integer({ min: 1, max: 5_000_000 }),
            credit: fc.option(day),
            pays: fc.array(fc.record({ on: day, part: fc.integer({ min: 1, max: 100 }) }), { maxLength: 3 }),
          }),
          { maxLength: 10 },
        ),
        day,
        (raw, date) => {
          const invoices: LedgerInvoice[] = [];
          const payments: LedgerPayment[] = [];
          raw.forEach((r, i) => {
            const id = i * 2 + 1;
            const due = new Date(Date.parse(r.issue) + r.terms * 86_400_000).toISOString().slice(0, 10);
            invoices.push(invoice(id, r.member, r.issue, due, r.total));
            let left = r.total;
            for (const p of r.pays) {
              const amount = Math.min(left, Math.floor((r.total * p.part) / 100));
              if (amount <= 0) continue;
              left -= amount;
              payments.push({
                id: payments.length + 1,
                invoiceId: id,
                amount,
                paidOn: p.on < r.issue ? r.issue : p.on,
              });
            }
            if (r.credit)
              invoices.push({
                id: id + 1,
                memberId: r.member,
                kind: "credit_note",
                number: null,
                issueDate: r.credit < r.issue ? r.issue : r.credit,
                dueDate: null,
                total: -r.total,
                creditedInvoiceId: id,
              });
          });
          const { members, totals } = receivablesAt(date, invoices, payments);
          for (const m of [...members, totals]) {
            expect(m.open).toBe(m.invoiced - m.paid - m.credited);
            expect(AGING_BUCKETS.reduce((s, b) => s + m.aging[b], 0)).toBe(m.open);
            expect(m.overdue).toBe(m.open - m.aging.notDue);
          }
          expect(totals.invoiced).toBe(members.reduce((s, m) => s + m.invoiced, 0));
          const statement = (memberId: number) =>
            accountStatement(
              invoices.filter((i) => i.memberId === memberId),
              payments.filter((p) => invoices.find((i) => i.id === p.invoiceId)!.memberId === memberId),
              date,
            );
          for (const m of members) expect(statement(m.memberId).at(-1)?.balance ?? 0).toBe(m.open);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("accountStatement", () => {
  it("lists invoices, credit notes and payments by date with the running balance", () => {
    const invoices: LedgerInvoice[] = [
      invoice(1, 10, "2026-01-15", "2026-02-14", 1600000),
      invoice(2, 10, "2026-03-01", "2026-03-31", 500000),
      {
        id: 3,
        memberId: 10,
        kind: "credit_note",
        number: 2026009,
        issueDate: "2026-03-10",
        dueDate: "2026-03-10",
        total: -500000,
        creditedInvoiceId: 2,
      },
    ];
    const rows = accountStatement(
      invoices,
      [{ id: 1, invoiceId: 1, amount: 1600000, paidOn: "2026-02-01" }],
      "2026-12-31",
    );
    expect(rows.map((r) => [r.date, r.kind, r.number, r.amount, r.balance])).toEqual([
      ["2026-01-15", "invoice", 2026001, 1600000, 1600000],
      ["2026-02-01", "payment", 2026001, -1600000, 0],
      ["2026-03-01", "invoice", 2026002, 500000, 500000],
      ["2026-03-10", "credit_note", 2026009, -500000, 0],
    ]);
  });
});
