import { describe, expect, it } from "vitest";
import {
  balanceOf,
  buildInvoiceLines,
  chargeKey,
  creditLines,
  invoiceStatus,
  invoiceTotals,
  isOverdue,
  vatOf,
  vatSummary,
  type Charge,
  type VatRates,
} from "../../billing/invoice";

const EXEMPT = "Momsfri: medlemsavgift utanför mervärdesskattens tillämpningsområde";
const NO_VAT: VatRates = { entry_fee: 0, annual_fee: 0, project_share: 0, project_adjustment: 0 };

function charge(over: Partial<Charge> = {}): Charge {
  return {
    kind: "annual_fee",
    memberId: 7,
    projectId: null,
    year: 2026,
    description: "Årsavgift 2026",
    amount: 1_600_000,
    feeBasis: { bracket: "medium", population: 71420, populationYear: 2025, overrideNote: null },
    shareBasis: null,
    ...over,
  };
}

describe("chargeKey", () => {
  it.each([
    [{ kind: "entry_fee" as const, memberId: 3, projectId: null, year: 2026 }, "entry_fee:3"],
    [{ kind: "annual_fee" as const, memberId: 3, projectId: null, year: 2026 }, "annual_fee:3:2026"],
    [{ kind: "project_share" as const, memberId: 3, projectId: 9, year: 2026 }, "project_share:3:9:2026"],
  ])("%o → %s", (c, key) => {
    expect(chargeKey(c)).toBe(key);
  });

  it("refuses a project share without a project", () => {
    expect(() => chargeKey({ kind: "project_share", memberId: 3, projectId: null, year: 2026 })).toThrow(RangeError);
  });
});

describe("vatOf: amount × rate / 100, half up in öre", () => {
  it.each([
    [1_600_000, 0, 0],
    [1_600_000, 25, 400_000],
    [1_600_000, 12, 192_000],
    [1_600_000, 6, 96_000],
    [1, 25, 0], // 0.25 öre → 0
    [2, 25, 1], // 0.5 öre → 1 (half up)
    [10, 6, 1], // 0.6 → 1
    [8, 6, 0], // 0.48 → 0
    [25, 6, 2], // 1.5 → 2
    [-2, 25, -1], // a credit note mirrors the invoice: half away from zero
    [12_345_67, 12, 148_148], // 1234567 × 0.12 = 148148.04
  ])("%i öre at %i %% → %i öre", (amount, rate, vat) => {
    expect(vatOf(amount, rate)).toBe(vat);
  });

  it("refuses a rate that is not Swedish and amounts that are not whole öre", () => {
    expect(() => vatOf(100, 20)).toThrow(RangeError);
    expect(() => vatOf(0.5, 25)).toThrow(RangeError);
  });
});

describe("buildInvoiceLines", () => {
  it("one line per charge, each with its kind's rate, quantity 1", () => {
    const lines = buildInvoiceLines(
      [
        charge(),
        charge({ kind: "entry_fee", description: "Medlemsinsats", amount: 1_000_000 }),
        charge({ kind: "project_share", projectId: 4, description: "E-arkiv 2026", amount: 123_457, feeBasis: null }),
      ],
      { entry_fee: 0, annual_fee: 6, project_share: 25, project_adjustment: 25 },
    );
    expect(lines.map((l) => [l.chargeKey, l.vatRate, l.quantity, l.unitPrice, l.amount, l.vat])).toEqual([
      ["annual_fee:7:2026", 6, 1, 1_600_000, 1_600_000, 96_000],
      ["entry_fee:7", 0, 1, 1_000_000, 1_000_000, 0],
      ["project_share:7:4:2026", 25, 1, 123_457, 123_457, 30_864], // 30864.25 → 30864
    ]);
  });
});

describe("vatSummary and totals", () => {
  it("one row per rate, lowest first, the exemption text only at 0 %", () => {
    const lines = buildInvoiceLines(
      [
        charge(),
        charge({ kind: "project_share", projectId: 1, amount: 1000 }),
        charge({ kind: "project_share", projectId: 2, amount: 3 }),
      ],
      { entry_fee: 0, annual_fee: 0, project_share: 25, project_adjustment: 25 },
    );
    expect(vatSummary(lines, EXEMPT)).toEqual([
      { rate: 0, base: 1_600_000, vat: 0, exemptionText: EXEMPT },
      // VAT is rounded per line: 250 + round(0.75) = 251
      { rate: 25, base: 1003, vat: 251, exemptionText: null },
    ]);
    expect(invoiceTotals(lines)).toEqual({ net: 1_601_003, vat: 251, total: 1_601_254 });
  });

  it("a membership invoice without VAT: total = net, one exempt row", () => {
    const lines = buildInvoiceLines([charge()], NO_VAT);
    expect(vatSummary(lines, EXEMPT)).toEqual([{ rate: 0, base: 1_600_000, vat: 0, exemptionText: EXEMPT }]);
    expect(invoiceTotals(lines)).toEqual({ net: 1_600_000, vat: 0, total: 1_600_000 });
  });

  it("an empty invoice sums to zero", () => {
    expect(invoiceTotals([])).toEqual({ net: 0, vat: 0, total: 0 });
    expect(vatSummary([], EXEMPT)).toEqual([]);
  });
});

describe("creditLines", () => {
  it("negates every amount, keeps rate and description, holds no charge; totals cancel the original", () => {
    const lines = buildInvoiceLines([charge(), charge({ kind: "project_share", projectId: 2, amount: 25 })], {
      entry_fee: 0,
      annual_fee: 0,
      project_share: 6,
      project_adjustment: 6,
    });
    const credit = creditLines(lines);
    expect(credit.map((l) => [l.chargeKey, l.description, l.vatRate, l.unitPrice, l.amount, l.vat])).toEqual([
      [null, "Årsavgift 2026", 0, -1_600_000, -1_600_000, 0],
      [null, "Årsavgift 2026", 6, -25, -25, -2],
    ]);
    const a = invoiceTotals(lines);
    const b = invoiceTotals(credit);
    expect(a.total + b.total).toBe(0);
    expect(a.vat + b.vat).toBe(0);
  });
});

describe("invoiceStatus", () => {
  it.each([
    [{ state: "draft" as const, total: 1000, paid: 0 }, "draft"],
    [{ state: "issued" as const, total: 1000, paid: 0 }, "issued"],
    [{ state: "issued" as const, total: 1000, paid: 1 }, "partially_paid"],
    [{ state: "issued" as const, total: 1000, paid: 999 }, "partially_paid"],
    [{ state: "issued" as const, total: 1000, paid: 1000 }, "paid"],
    [{ state: "issued" as const, total: 0, paid: 0 }, "paid"],
    [{ state: "credited" as const, total: 1000, paid: 500 }, "credited"],
    [{ state: "issued" as const, total: -1000, paid: 0, kind: "credit_note" as const }, "issued"],
  ])("%o → %s", (input, status) => {
    expect(invoiceStatus(input)).toBe(status);
  });

  it("balance is what is left to pay", () => {
    expect(balanceOf({ state: "issued", total: 1000, paid: 300 })).toBe(700);
    expect(balanceOf({ state: "issued", total: 1000, paid: 1000 })).toBe(0);
    expect(balanceOf({ state: "credited", total: 1000, paid: 0 })).toBe(0);
    expect(balanceOf({ state: "draft", total: 1000, paid: 0 })).toBe(0);
    expect(balanceOf({ state: "issued", total: -1000, paid: 0, kind: "credit_note" })).toBe(0);
  });

  // Credit notes of adjustments take `credited` off the invoice without cancelling it (docs/adjustments.md).
  it.each([
    [{ total: 3000, paid: 0, credited: 1000 }, "issued", 2000],
    [{ total: 3000, paid: 1000, credited: 1000 }, "partially_paid", 1000],
    [{ total: 3000, paid: 2000, credited: 1000 }, "paid", 0],
    [{ total: 3000, paid: 3000, credited: 1000 }, "paid", 0], // paid before the credit: a refund is due
    [{ total: 3000, paid: 0, credited: 3000 }, "credited", 0], // taken off whole before any payment
    [{ total: 3000, paid: 500, credited: 3000 }, "paid", 0],
    [{ total: 0, paid: 0, credited: 0 }, "paid", 0], // a zero invoice is not "credited"
  ])("with credits of adjustments %o → %s, balance %d", (money, status, balance) => {
    expect(invoiceStatus({ state: "issued", ...money })).toBe(status);
    expect(balanceOf({ state: "issued", ...money })).toBe(balance);
  });

  it("an invoice whose credits leave nothing to pay is not overdue", () => {
    const due = { state: "issued" as const, total: 3000, dueDate: "2026-01-31" };
    expect(isOverdue({ ...due, paid: 2000, credited: 1000 }, "2026-03-01")).toBe(false);
    expect(isOverdue({ ...due, paid: 1000, credited: 1000 }, "2026-03-01")).toBe(true);
  });
});

describe("isOverdue", () => {
  const base = { state: "issued" as const, total: 1000, paid: 0, dueDate: "2026-03-01" };
  it.each([
    [base, "2026-03-01", false], // the due date itself is in time
    [base, "2026-03-02", true],
    [{ ...base, paid: 400 }, "2026-03-02", true],
    [{ ...base, paid: 1000 }, "2026-03-02", false],
    [{ ...base, state: "credited" as const }, "2026-03-02", false],
    [{ ...base, state: "draft" as const, dueDate: null }, "2026-03-02", false],
    [{ ...base, total: -1000, kind: "credit_note" as const }, "2026-03-02", false],
  ])("%o on %s → %s", (input, today, overdue) => {
    expect(isOverdue(input, today)).toBe(overdue);
  });
});
