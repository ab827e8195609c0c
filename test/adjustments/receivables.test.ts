import { beforeAll, describe, expect, test } from "vitest";
import { association, type Association } from "../support/association";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { getInvoiceView } from "../../app/features/invoices/queries.server";
import { registerPayment } from "../../app/features/payments/commands.server";
import { todayIso } from "../../billing/dates";
import { DomainError } from "../../billing/errors";
import { formatSek } from "../../billing/money";
import { createProject, setBudget } from "../../app/features/projects/commands.server";
import { addParticipant } from "../../app/features/projects/participants.server";
import { memberStatement, receivables } from "../../app/features/receivables/queries.server";

/*
 * A credit note of adjustments cancels nothing (docs/adjustments.md) but lowers what the member owes: the
 * receivables count it against the invoice its document refers to (docs/receivables.md), so a member's open amount
 * equals the last balance of its account statement and the association's total open equals invoiced − paid − credit.
 */
let a: Association;
const Y = 2026;

beforeAll(async () => {
  a = await association({ users: false, settings: true, prefix: "sambruk-adjust-receivables-" });
});

describe("a budget lowered after invoicing", () => {
  test("each member's credit note of adjustments lowers its open amount and its invoice's age bucket", () => {
    const codes = ["1480", "1481", "1438"];
    const p = createProject(a.scope.system, {
      code: "P-700",
      name: "Sänkt budget",
      allocationKey: "equal",
      status: "open",
    } as never);
    setBudget(a.scope.system, p.id, Y, { amount: 9_000_000 });
    for (const code of codes)
      addParticipant(a.scope.system, p.id, { memberId: a.member[code], joinedOn: "2026-01-01" });
    const first = createBillingRun(a.scope.system, { year: Y, charges: ["project_share"] });
    const invoices = issueRun(a.scope.system, first.run!.id);
    expect(invoices).toHaveLength(3);

    setBudget(a.scope.system, p.id, Y, { amount: 6_000_000 });
    const second = createBillingRun(a.scope.system, { year: Y, charges: ["project_share", "project_adjustment"] });
    const notes = issueRun(a.scope.system, second.run!.id);
    expect(notes).toHaveLength(3);
    const stored = a
      .sqlite()
      .prepare("SELECT kind, total_ore AS total, credited_invoice_id AS credited FROM invoices WHERE run_id = ?")
      .all(second.run!.id) as Array<{ kind: string; total: number; credited: number | null }>;
    // Each is a credit note of −10 000,00 kr that cancels no invoice.
    expect(stored).toEqual(Array(3).fill({ kind: "credit_note", total: -1_000_000, credited: null }));

    console.log(
      a
        .sqlite()
        .prepare(
          "SELECT id, kind, number, member_id, substr(document, 1, 20) d, json_extract(document, '$.creditedInvoice') c FROM invoices",
        )
        .all(),
    );
    const report = receivables(a.scope.system, "2026-12-31");
    for (const code of codes) {
      const row = report.members.find((m) => m.memberId === a.member[code])!;
      expect(row.invoiced).toBe(3_000_000);
      expect(row.credited).toBe(1_000_000);
      expect(row.open).toBe(2_000_000);
      const statement = memberStatement(a.scope.system, a.member[code], "2026-12-31");
      expect(statement.entries.at(-1)!.balance).toBe(row.open);
      const buckets = Object.values(row.aging).reduce((s, v) => s + v, 0);
      expect(buckets).toBe(row.open);
    }
    expect(report.totals.open).toBe(6_000_000);
  });

  test("the invoice itself asks only for the rest: its balance, its status and the payment form's limit", () => {
    const [first] = a.sql<{ id: number }>(
      "SELECT id FROM invoices WHERE kind = 'invoice' AND member_id = ? ORDER BY id",
      a.member["1480"],
    );
    const view = getInvoiceView(a.scope.system, first.id)!;
    expect(view.totalOre).toBe(3_000_000);
    expect(view.credited).toBe(1_000_000);
    expect(view.balance).toBe(2_000_000);
    expect(view.status).toBe("issued");
    // Paying the whole invoice is more than is owed.
    let refused: unknown;
    try {
      registerPayment(a.scope.system, first.id, { amount: 3_000_000, paidOn: todayIso(), note: "" } as never);
    } catch (e) {
      refused = e;
    }
    expect((refused as DomainError).fields).toEqual({
      amount: `Beloppet är större än det som återstår att betala (${formatSek(2_000_000)})`,
    });
    const paid = registerPayment(a.scope.system, first.id, {
      amount: 2_000_000,
      paidOn: todayIso(),
      note: "",
    } as never);
    expect(paid.status).toBe("paid");
    expect(paid.balance).toBe(0);
    expect(paid.overdue).toBe(false);
  });
});
