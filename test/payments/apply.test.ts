import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { todayIso } from "../../billing/dates";
import { DomainError } from "../../billing/errors";
import { statusOf } from "../../app/http/errors";
import { bgmaxFile } from "../support/bgmax-writer";
import { association, type Association } from "../support/association";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { creditInvoice } from "../../app/features/invoices/credit.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { InvoiceView, getInvoiceView } from "../../app/features/invoices/queries.server";
import { applyPaymentFile } from "../../app/features/payments/bank-file-apply.server";
import { uploadPaymentFile } from "../../app/features/payments/bank-files.server";
import {
  assignUnmatchedPayment,
  listUnmatchedPayments,
  refundUnmatchedPayment,
} from "../../app/features/payments/unmatched.server";

/*
 * The BgMax use cases in-process on a fresh database: upload (preview, refusals), apply (one transaction, sums to
 * the öre, never twice), and the handling of unmatched payments (assign, split, refund), with the audit log.
 * The ledger: four municipalities with issued annual-fee invoices for 2026, and the association's bankgiro
 * 991-2346, the recipient of Bankgirot's example file.
 */
let f: Association & { invoices: InvoiceView[] };
const today = todayIso();

beforeAll(async () => {
  const a = await association({
    municipalities: ["0127", "0162", "0125", "0136"],
    memberUserOf: "0127",
    settings: { bankgiro: "991-2346" },
    prefix: "sambruk-payments-",
  });
  const run = createBillingRun(a.scope.treasurer, { year: 2026, charges: ["annual_fee"] });
  f = Object.assign(a, { invoices: issueRun(a.scope.treasurer, run.run!.id) });
});

/** The refusal as the API would answer it: the status of its kind (app/http/errors.ts), code, message, line, fields. */
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { status: statusOf(error), code: error.code, message: error.message, ...error.detail, fields: error.fields };
  }
  throw new Error("expected a refusal");
};

describe("upload", () => {
  test("Bankgirot's example file reads and previews: every payment unknown here, totals as in the file", () => {
    const bytes = fs.readFileSync(path.join(__dirname, "../fixtures/bgmax/fabhed_exempelfil_ocr.txt"));
    const preview = uploadPaymentFile(f.scope.treasurer, bytes, "exempelfil.txt");
    expect(preview.status).toBe("preview");
    expect(preview.total).toBe(990000);
    expect(preview.payments).toHaveLength(7);
    expect(preview.payments.map((p) => p.match)).toEqual([
      "unknown",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
      "unknown",
    ]);
    expect(preview.payments[1]).toMatchObject({ kind: "deduction", amount: -50000, unmatched: -50000 });
    expect(preview.unmatched.amount).toBe(990000);
    expect(f.count("payment_files")).toBe(1);
    expect(f.count("audit_log", "action = 'payment_file.upload'")).toBe(1);
  });

  test("the same file again is a 409 duplicate_file and stores nothing", () => {
    const bytes = fs.readFileSync(path.join(__dirname, "../fixtures/bgmax/fabhed_exempelfil_ocr.txt"));
    const error = refusal(() => uploadPaymentFile(f.scope.treasurer, bytes));
    expect(error).toMatchObject({ status: 409, code: "duplicate_file" });
    expect(f.count("payment_files")).toBe(1);
  });

  test("a file that does not read is a 422 with its line, and stores nothing", () => {
    const bytes = bgmaxFile([{ date: today, total: 1, payments: [{ reference: "1", amountOre: 2, serial: 900 }] }]);
    const error = refusal(() => uploadPaymentFile(f.scope.treasurer, bytes));
    expect(error).toMatchObject({ status: 422, code: "unreadable_file", line: 4 });
    expect(error.message).toMatch(/^Rad 4: /);
    expect(f.count("payment_files")).toBe(1);
  });

  test("a file for another bankgiro is refused at its deposit", () => {
    const bytes = bgmaxFile([{ date: today, payments: [{ reference: "1", amountOre: 2, serial: 901 }] }], {
      bankgiro: "50501055",
    });
    const error = refusal(() => uploadPaymentFile(f.scope.treasurer, bytes));
    expect(error).toMatchObject({ status: 422, line: 2 });
    expect(error.message).toContain("991-2346");
  });

  test("a member user cannot upload", () => {
    const bytes = bgmaxFile([{ date: today, payments: [{ reference: "1", amountOre: 2, serial: 902 }] }]);
    expect(refusal(() => uploadPaymentFile(f.scope.member, bytes)).status).toBe(404);
  });
});

describe("apply", () => {
  let fileId: number;
  let bytes: Buffer;

  test("matches exact, partial, over, closed and unknown, and applies them in one go", () => {
    const [a, b, c, d] = f.invoices;
    // Invoice d is credited: a payment to it cannot be registered.
    creditInvoice(f.scope.treasurer, d.id, "Fel mottagare");
    bytes = bgmaxFile([
      {
        date: today,
        payments: [
          { reference: a.ocr!, amountOre: a.totalOre, serial: 1, payer: "Första kommunen" },
          { reference: b.ocr!, amountOre: 100050, serial: 2, payer: "Andra kommunen" },
          { reference: c.ocr!, amountOre: c.totalOre + 12345, serial: 3, payer: "Tredje kommunen" },
          { reference: d.ocr!, amountOre: 5000, serial: 4, payer: "Fjärde kommunen" },
          { reference: a.ocr!.slice(0, -1), amountOre: 700, serial: 5, payer: "Okänd betalare" },
          { reference: "1", amountOre: 300, serial: 6, deduction: true },
        ],
      },
    ]);
    const preview = uploadPaymentFile(f.scope.treasurer, bytes, "dec.txt");
    fileId = preview.id;
    expect(preview.payments.map((p) => [p.match, p.invoiceId, p.unmatched])).toEqual([
      ["exact", a.id, 0],
      ["partial", b.id, 0],
      ["over", c.id, 12345],
      ["closed", d.id, 5000],
      ["unknown", null, 700],
      ["unknown", null, -300],
    ]);
    // The preview stores no payment.
    expect(f.count("payments")).toBe(0);

    const result = applyPaymentFile(f.scope.treasurer, fileId);
    expect(result.applied).toEqual({ count: 3, amount: a.totalOre + 100050 + c.totalOre });
    expect(result.unmatched).toEqual({ count: 4, amount: 12345 + 5000 + 700 - 300 });
    expect(result.applied.amount + result.unmatched.amount).toBe(preview.total);

    const view = (id: number) => getInvoiceView(f.scope.treasurer, id)!;
    expect(view(a.id)).toMatchObject({ status: "paid" });
    expect(view(b.id)).toMatchObject({ status: "partially_paid", paid: 100050 });
    expect(view(c.id)).toMatchObject({ status: "paid" });
    const paidOn = f.sqlite().prepare("SELECT DISTINCT paid_on AS d FROM payments").all();
    expect(paidOn).toEqual([{ d: today }]);
    expect(f.count("audit_log", "action = 'payment.create'")).toBe(3);
    expect(f.count("audit_log", "action = 'payment_file.apply'")).toBe(1);
    expect(
      listUnmatchedPayments(f.scope.treasurer, { status: "open" }).map((u) => [u.payer, u.amountOre, u.reason]),
    ).toEqual([
      ["Tredje kommunen", 12345, "over"],
      ["Fjärde kommunen", 5000, "closed"],
      ["Okänd betalare", 700, "unknown"],
      ["", -300, "unknown"],
    ]);
  });

  test("the same file is never applied twice", () => {
    expect(refusal(() => applyPaymentFile(f.scope.treasurer, fileId))).toMatchObject({
      status: 409,
      code: "already_applied",
    });
    expect(refusal(() => uploadPaymentFile(f.scope.treasurer, bytes))).toMatchObject({
      status: 409,
      code: "duplicate_file",
    });
    expect(f.count("payments")).toBe(3);
  });

  test("another file bringing an applied payment (same serial) is refused, by the code and by the database", () => {
    const [, b] = f.invoices;
    // Different bytes (another deposit added), one payment the same as before.
    const again = bgmaxFile([
      { date: today, payments: [{ reference: b.ocr!, amountOre: 100050, serial: 2, payer: "Andra kommunen" }] },
      { date: today, payments: [{ reference: b.ocr!, amountOre: 100, serial: 77 }] },
    ]);
    const error = refusal(() => uploadPaymentFile(f.scope.treasurer, again));
    expect(error).toMatchObject({ status: 409, code: "duplicate_file" });
    expect(error.message).toContain("löpnummer 000000000002");
    const key = f
      .sqlite()
      .prepare("SELECT payment_key AS k, file_id AS fid FROM bank_payments WHERE serial = '000000000002'")
      .get() as { k: string; fid: number };
    expect(() =>
      f
        .sqlite()
        .prepare(
          "INSERT INTO bank_payments (file_id, payment_key, line, serial, kind, paid_on, reference, payer, amount_ore, match) VALUES (?, ?, 1, 's', 'payment', ?, '', '', 1, 'exact')",
        )
        .run(key.fid, key.k, today),
    ).toThrow(/UNIQUE constraint failed: bank_payments.payment_key/);
  });

  test("applying refuses when the preview changed since the treasurer confirmed it", () => {
    const [, b] = f.invoices;
    const preview = uploadPaymentFile(
      f.scope.treasurer,
      bgmaxFile([{ date: today, payments: [{ reference: b.ocr!, amountOre: 100, serial: 400 }] }]),
    );
    expect(preview.applied.amount).toBe(100);
    const error = refusal(() => applyPaymentFile(f.scope.treasurer, preview.id, { applied: 999 }));
    expect(error).toMatchObject({ status: 409, code: "preview_changed" });
    expect(f.sqlite().prepare("SELECT status FROM payment_files WHERE id = ?").get(preview.id)).toEqual({
      status: "preview",
    });
  });

  test("a failure in the middle leaves nothing of the file", () => {
    const [, b] = f.invoices;
    const bytes = bgmaxFile([
      {
        date: today,
        payments: [
          { reference: b.ocr!, amountOre: 100, serial: 500 },
          { reference: "x", amountOre: 100, serial: 501 },
        ],
      },
    ]);
    const preview = uploadPaymentFile(f.scope.treasurer, bytes);
    const before = {
      payments: f.count("payments"),
      unmatched: f.count("unmatched_payments"),
      bank: f.count("bank_payments"),
    };
    // A trigger that refuses the second unmatched row stands for any error half way.
    f.sqlite().exec(
      "CREATE TRIGGER boom BEFORE INSERT ON unmatched_payments WHEN NEW.amount_ore = 100 BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    try {
      expect(() => applyPaymentFile(f.scope.treasurer, preview.id)).toThrow(/boom/);
    } finally {
      f.sqlite().exec("DROP TRIGGER boom");
    }
    expect({
      payments: f.count("payments"),
      unmatched: f.count("unmatched_payments"),
      bank: f.count("bank_payments"),
    }).toEqual(before);
    expect(f.sqlite().prepare("SELECT status FROM payment_files WHERE id = ?").get(preview.id)).toEqual({
      status: "preview",
    });
  });
});

describe("unmatched payments", () => {
  const open = () => listUnmatchedPayments(f.scope.treasurer, { status: "open" });

  test("part of one is assigned to an invoice: a payment there, the rest stays open, the file still sums", () => {
    const [, b] = f.invoices;
    const row = open().find((u) => u.payer === "Tredje kommunen")!;
    const assigned = assignUnmatchedPayment(f.scope.treasurer, row.id, {
      invoiceNumber: b.number!,
      amount: 10000,
    });
    expect(assigned).toMatchObject({ status: "assigned", amountOre: 10000, invoiceId: b.id, splitFromId: row.id });
    expect(open().find((u) => u.id === row.id)!.amountOre).toBe(2345);
    expect(getInvoiceView(f.scope.treasurer, b.id)!.paid).toBe(110050);
    const file = f
      .sqlite()
      .prepare(
        "SELECT file_id AS id, (SELECT total_ore FROM payment_files WHERE id = file_id) AS total FROM unmatched_payments WHERE id = ?",
      )
      .get(row.id) as { id: number; total: number };
    const sums = (
      f.sqlite().prepare("SELECT sum(amount_ore) AS s FROM unmatched_payments WHERE file_id = ?").get(file.id) as {
        s: number;
      }
    ).s;
    const applied = (
      f
        .sqlite()
        .prepare(
          "SELECT sum(p.amount_ore) AS s FROM bank_payment_allocations a JOIN payments p ON p.id = a.payment_id JOIN bank_payments b ON b.id = a.bank_payment_id WHERE b.file_id = ?",
        )
        .get(file.id) as { s: number }
    ).s;
    expect(applied + sums).toBe(file.total);
    expect(f.count("audit_log", "action = 'unmatched_payment.assign' AND entity_id = ?", String(row.id))).toBe(1);
  });

  test("the whole of one is assigned", () => {
    const [, b] = f.invoices;
    const row = open().find((u) => u.payer === "Okänd betalare")!;
    expect(assignUnmatchedPayment(f.scope.treasurer, row.id, { invoiceNumber: b.number! })).toMatchObject({
      id: row.id,
      status: "assigned",
      amountOre: 700,
    });
    expect(
      refusal(() => assignUnmatchedPayment(f.scope.treasurer, row.id, { invoiceNumber: b.number! })),
    ).toMatchObject({ status: 409, code: "already_resolved" });
  });

  test("assigning is refused with a message per field: unknown number, more than left, a credited invoice, a deduction", () => {
    const [, , , d] = f.invoices;
    const row = open().find((u) => u.payer === "Fjärde kommunen")!;
    expect(
      refusal(() => assignUnmatchedPayment(f.scope.treasurer, row.id, { invoiceNumber: 99 })).fields,
    ).toHaveProperty("invoiceNumber");
    expect(
      refusal(() => assignUnmatchedPayment(f.scope.treasurer, row.id, { invoiceNumber: d.number!, amount: 999999 }))
        .fields,
    ).toHaveProperty("amount");
    expect(
      refusal(() => assignUnmatchedPayment(f.scope.treasurer, row.id, { invoiceNumber: d.number! })).fields
        ?.invoiceNumber,
    ).toMatch(/krediterad/);
    const deduction = open().find((u) => u.amountOre < 0)!;
    expect(
      refusal(() => assignUnmatchedPayment(f.scope.treasurer, deduction.id, { invoiceNumber: d.number! })),
    ).toMatchObject({ status: 409, code: "deduction" });
    expect(open().find((u) => u.id === row.id)!.status).toBe("open");
  });

  test("one is marked refunded, with a note and an audit row", () => {
    const row = open().find((u) => u.payer === "Fjärde kommunen")!;
    const after = refundUnmatchedPayment(f.scope.treasurer, row.id, { note: "Återbetald 2026-12-02" });
    expect(after).toMatchObject({
      status: "refunded",
      note: "Återbetald 2026-12-02",
      resolvedBy: f.users.treasurer.id,
    });
    expect(f.count("audit_log", "action = 'unmatched_payment.refund' AND entity_id = ?", String(row.id))).toBe(1);
    expect(refusal(() => refundUnmatchedPayment(f.scope.treasurer, row.id, { note: "igen" }))).toMatchObject({
      status: 409,
    });
  });

  test("a member user sees none of it", () => {
    expect(refusal(() => listUnmatchedPayments(f.scope.member))).toMatchObject({ status: 404 });
  });
});
