import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  matchPayments,
  referencesOf,
  type MatchableInvoice,
  type PaymentToMatch,
} from "../../billing/payment-matching";

const inv = (id: number, ocr: string, balance: number, extra: Partial<MatchableInvoice> = {}): MatchableInvoice => ({
  id,
  ocr,
  balance,
  open: true,
  issueDate: "2026-01-15",
  ...extra,
});
const pay = (reference: string, amount: number, extra: Partial<PaymentToMatch> = {}): PaymentToMatch => ({
  kind: "payment",
  reference,
  extraReferences: [],
  amount,
  paidOn: "2026-02-10",
  ...extra,
});

const invoices = [
  inv(1, "202600193", 1600000),
  inv(2, "202600290", 800000),
  inv(3, "202600391", 0, { open: false }), // credited
  inv(4, "202600497", 0), // paid
  inv(5, "202600594", 500000, { issueDate: "2026-03-01" }), // issued after the payment
];

describe("matchPayments", () => {
  it("classifies each payment (table)", () => {
    const cases: Array<[PaymentToMatch, string, number | null, Array<[number, number]>, number]> = [
      [pay("202600193", 1600000), "exact", 1, [[1, 1600000]], 0],
      [pay("202600193", 600000), "partial", 1, [[1, 600000]], 0],
      [pay("202600193", 1700050), "over", 1, [[1, 1600000]], 100050],
      [pay("202600391", 100000), "closed", 3, [], 100000],
      [pay("202600497", 100000), "closed", 4, [], 100000],
      [pay("20260019", 1600000), "unknown", null, [], 1600000], // a digit short: not the whole reference
      [pay("2026001930", 1600000), "unknown", null, [], 1600000],
      [pay("0202600193", 1600000), "unknown", null, [], 1600000],
      [pay("", 1000), "unknown", null, [], 1000],
      [pay("202600594", 500000), "closed", 5, [], 500000],
    ];
    for (const [payment, match, invoiceId, allocations, unmatched] of cases) {
      const [got] = matchPayments([payment], invoices);
      expect(got, `${payment.reference} ${payment.amount}`).toEqual({
        match,
        invoiceId,
        allocations: allocations.map(([id, amount]) => ({ invoiceId: id, amount })),
        unmatched,
      });
    }
  });

  it("spreads one payment over its extra references, in order, each up to its balance", () => {
    const [got] = matchPayments(
      [pay("1 2 3", 2500000, { extraReferences: ["202600193", "202600391", "202600290"] })],
      invoices,
    );
    expect(got).toEqual({
      match: "over",
      invoiceId: 1,
      allocations: [
        { invoiceId: 1, amount: 1600000 },
        { invoiceId: 2, amount: 800000 },
      ],
      unmatched: 100000,
    });
    const [exact] = matchPayments(
      [pay("202600193", 2400000, { extraReferences: ["202600290", "202600193"] })],
      invoices,
    );
    expect(exact.match).toBe("exact");
    expect(exact.allocations).toHaveLength(2);
  });

  it("lets two payments of one invoice in the same file see each other", () => {
    const got = matchPayments([pay("202600290", 500000), pay("202600290", 500000)], invoices);
    expect(got.map((g) => [g.match, g.unmatched])).toEqual([
      ["partial", 0],
      ["over", 200000],
    ]);
  });

  it("keeps a deduction whole and negative, for the treasurer", () => {
    const [got] = matchPayments([pay("202600193", 50000, { kind: "deduction" })], invoices);
    expect(got).toEqual({ match: "closed", invoiceId: 1, allocations: [], unmatched: -50000 });
    expect(matchPayments([pay("x", 50000, { kind: "deduction" })], invoices)[0].match).toBe("unknown");
  });

  it("references: the payment's own first, blanks and repeats dropped", () => {
    expect(referencesOf({ reference: " 12 ", extraReferences: ["", "34", "12"] })).toEqual(["12", "34"]);
  });

  it("property: allocated + unmatched = the amount, no invoice gets more than its balance", () => {
    const invoiceArb = fc.uniqueArray(
      fc.record({
        ocr: fc.stringMatching(/^[0-9]{3,6}$/),
        balance: fc.integer({ min: 0, max: 1_000_000 }),
        open: fc.boolean(),
      }),
      { selector: (i) => i.ocr, maxLength: 8 },
    );
    fc.assert(
      fc.property(
        invoiceArb,
        fc.array(
          fc.record({
            refs: fc.array(fc.stringMatching(/^[0-9]{3,6}$/), { maxLength: 4 }),
            amount: fc.integer({ min: 1, max: 2_000_000 }),
            deduction: fc.boolean(),
          }),
          { maxLength: 12 },
        ),
        (invs, raw) => {
          const invoices = invs.map((i, n) => inv(n + 1, i.ocr, i.balance, { open: i.open }));
          const refsPool = invs.map((i) => i.ocr);
          const payments = raw.map((r) =>
            pay(r.refs[0] ?? refsPool[0] ?? "", r.amount, {
              extraReferences: r.refs.slice(1),
              kind: r.deduction ? "deduction" : "payment",
            }),
          );
          const matched = matchPayments(payments, invoices);
          const received = new Map<number, number>();
          matched.forEach((m, i) => {
            const allocated = m.allocations.reduce((s, a) => s + a.amount, 0);
            const signed = payments[i].kind === "deduction" ? -payments[i].amount : payments[i].amount;
            expect(allocated + m.unmatched).toBe(signed);
            for (const a of m.allocations) {
              expect(a.amount).toBeGreaterThan(0);
              received.set(a.invoiceId, (received.get(a.invoiceId) ?? 0) + a.amount);
            }
            if (m.match === "unknown" || m.match === "closed") expect(m.allocations).toEqual([]);
            if (m.match === "over") expect(m.unmatched).toBeGreaterThan(0);
            if (m.match === "exact" || m.match === "partial") expect(m.unmatched).toBe(0);
          });
          for (const i of invoices) expect(received.get(i.id) ?? 0).toBeLessThanOrEqual(i.open ? i.balance : 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
