import { beforeAll, describe, expect, test } from "vitest";
import { openAssociation, type Association } from "./fixture";

/*
 * A credit note of adjustments cancels nothing (docs/adjustments.md) but lowers what the member owes: the
 * receivables count it against the invoice its document refers to (docs/receivables.md), so a member's open amount
 * equals the last balance of its account statement and the association's total open equals invoiced − paid − credit.
 */
let a: Association;
let receivables: typeof import("../../app/features/receivables/queries.server");
const Y = 2026;

beforeAll(async () => {
  a = await openAssociation();
  receivables = await import("../../app/features/receivables/queries.server");
});

describe("a budget lowered after invoicing", () => {
  test("each member's credit note of adjustments lowers its open amount and its invoice's age bucket", () => {
    const codes = ["1480", "1481", "1438"];
    const p = a.projects.createProject(a.scope, {
      code: "P-700",
      name: "Sänkt budget",
      allocationKey: "equal",
      status: "open",
    } as never);
    a.projects.setBudget(a.scope, p.id, Y, { amount: 9_000_000 });
    for (const code of codes)
      a.projects.addParticipant(a.scope, p.id, { memberId: a.member[code], joinedOn: "2026-01-01" });
    const first = a.billing.createBillingRun(a.scope, { year: Y, charges: ["project_share"] });
    const invoices = a.billing.issueRun(a.scope, first.run!.id);
    expect(invoices).toHaveLength(3);

    a.projects.setBudget(a.scope, p.id, Y, { amount: 6_000_000 });
    const second = a.billing.createBillingRun(a.scope, { year: Y, charges: ["project_share", "project_adjustment"] });
    const notes = a.billing.issueRun(a.scope, second.run!.id);
    expect(notes).toHaveLength(3);
    const stored = a
      .sqlite()
      .prepare("SELECT kind, total_ore AS total, credited_invoice_id AS credited FROM invoices WHERE run_id = ?")
      .all(second.run!.id) as Array<{ kind: string; total: number; credited: number | null }>;
    // Each is a credit note of −10 000,00 kr that cancels no invoice.
    expect(stored).toEqual(Array(3).fill({ kind: "credit_note", total: -1_000_000, credited: null }));

    console.log(a.sqlite().prepare("SELECT id, kind, number, member_id, substr(document, 1, 20) d, json_extract(document, '$.creditedInvoice') c FROM invoices").all());
    const report = receivables.receivables(a.scope, "2026-12-31");
    for (const code of codes) {
      const row = report.members.find((m) => m.memberId === a.member[code])!;
      expect(row.invoiced).toBe(3_000_000);
      expect(row.credited).toBe(1_000_000);
      expect(row.open).toBe(2_000_000);
      const statement = receivables.memberStatement(a.scope, a.member[code], "2026-12-31");
      expect(statement.entries.at(-1)!.balance).toBe(row.open);
      const buckets = Object.values(row.aging).reduce((s, v) => s + v, 0);
      expect(buckets).toBe(row.open);
    }
    expect(report.totals.open).toBe(6_000_000);
  });
});
