import { beforeAll, describe, expect, test } from "vitest";
import { association, type Association } from "../support/association";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { invoiceUblResponse } from "../../app/features/e-invoice/downloads.server";
import { invoiceDocument } from "../../app/features/invoices/documents.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { createProject, setBudget } from "../../app/features/projects/commands.server";
import { addParticipant } from "../../app/features/projects/participants.server";

/*
 * The e-invoice of an adjustment embeds the same appendices its document cites (docs/e-invoice.md): the invoice's
 * PDF and the appendix with both splits. It used to have a place for the invoice's PDF only, so that downloading
 * or sending an adjustment's e-invoice failed.
 */
let a: Association;
const Y = 2026;

beforeAll(async () => {
  a = await association({ users: false, settings: true, prefix: "sambruk-adjust-ubl-" });
});

async function ublOf(id: number): Promise<string> {
  const result = invoiceUblResponse(a.scope.system, id);
  expect(result.kind).toBe("ok");
  return result.kind === "ok" ? await result.response.text() : "";
}

describe("a budget raised, then lowered, after invoicing", () => {
  test("the adjustment invoices and credit notes carry their PDF and their appendix, as their documents cite", async () => {
    const p = createProject(a.scope.system, {
      code: "P-710",
      name: "Ändrad budget",
      allocationKey: "equal",
      status: "open",
    } as never);
    setBudget(a.scope.system, p.id, Y, { amount: 9_000_000 });
    for (const code of ["1480", "1481", "1438"])
      addParticipant(a.scope.system, p.id, { memberId: a.member[code], joinedOn: "2026-01-01" });
    issueRun(a.scope.system, createBillingRun(a.scope.system, { year: Y, charges: ["project_share"] }).run!.id);

    const issued: number[] = [];
    for (const budget of [12_000_000, 6_000_000]) {
      setBudget(a.scope.system, p.id, Y, { amount: budget });
      const run = createBillingRun(a.scope.system, { year: Y, charges: ["project_share", "project_adjustment"] });
      issued.push(...issueRun(a.scope.system, run.run!.id).map((i) => i.id));
    }
    expect(issued).toHaveLength(6);
    const kinds = new Set<string>();
    for (const id of issued) {
      const document = invoiceDocument(a.scope.system, id)!;
      kinds.add(document.kind);
      expect(document.appendices).toHaveLength(1);
      const xml = await ublOf(id);
      // One embedded PDF for the invoice and one for its appendices, each filled in (no place left empty).
      expect(xml.match(/<cbc:EmbeddedDocumentBinaryObject /g)).toHaveLength(1 + document.appendices.length);
      expect(xml).not.toContain("<?binary");
      expect(xml).toContain("-bilagor.pdf");
    }
    expect([...kinds].sort()).toEqual(["credit_note", "invoice"]);
  });
});
