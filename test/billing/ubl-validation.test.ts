import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { InvoiceDocument } from "../../billing/invoice-document";
import { renderAppendicesPdfSync, renderInvoiceCitingAppendicesSync } from "../../billing/pdf";
import { renderUbl, type UblAttachment } from "../../billing/ubl";
import { documentWithoutBuyerReference, eInvoiceCases } from "../fixtures/e-invoice-cases";

/*
 * The official Peppol validation (UBL 2.1 XSD, CEN EN 16931, Peppol BIS 3.0 with the Swedish SE-R rules) of every
 * case in one call of the runner, as an access point would run it (docs/e-invoice.md). The runner sits beside the
 * repository in CI (../shared/peppol/validate); PEPPOL_VALIDATE names another. Where it cannot run (exit 2: no
 * Java, no Saxon, or the rules not fetched) the test says so in its name and output instead of passing quietly;
 * test/billing/ubl.test.ts checks the most important rules on every run regardless.
 */

const ROOT = path.resolve(__dirname, "../..");
const runner = process.env.PEPPOL_VALIDATE ?? path.resolve(ROOT, "../shared/peppol/validate");
const BROKEN = "broken-no-buyer-reference.xml";

function attachmentsOf(doc: InvoiceDocument): UblAttachment[] {
  const out: UblAttachment[] = [
    {
      pdf: renderInvoiceCitingAppendicesSync(doc),
      filename: `faktura-${doc.number}.pdf`,
      description: `Faktura ${doc.number}`,
    },
  ];
  if (doc.appendices.length > 0) {
    out.push({
      pdf: renderAppendicesPdfSync(doc.seller, doc.appendices, doc.issueDate),
      filename: `faktura-${doc.number}-bilagor.pdf`,
      description: "Bilagor",
    });
  }
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sambruk-ubl-"));
const names: string[] = [];
for (const c of eInvoiceCases()) {
  fs.writeFileSync(path.join(dir, `${c.name}.xml`), renderUbl(c.document, attachmentsOf(c.document)));
  names.push(`${c.name}.xml`);
}
const broken = documentWithoutBuyerReference();
fs.writeFileSync(path.join(dir, BROKEN), renderUbl(broken, attachmentsOf(broken)));

const result = fs.existsSync(runner)
  ? spawnSync(runner, [dir], { encoding: "utf8", timeout: 600_000 })
  : { status: 2, stdout: `validate: no runner at ${runner} (set PEPPOL_VALIDATE)`, stderr: "" };
const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
fs.rmSync(dir, { recursive: true, force: true });
// PEPPOL_REPORT=file keeps the runner's whole output, e.g. for a release note.
if (process.env.PEPPOL_REPORT) fs.writeFileSync(process.env.PEPPOL_REPORT, output);

/** The runner's lines about one file: "VALID name", "ok   CEN/name: 0 fatal…", "FAIL PEPPOL/name: 1 fatal…" and its asserts. */
function report(name: string): string[] {
  const lines = output.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].includes(name)) continue;
    out.push(lines[i]);
    for (let j = i + 1; j < lines.length && lines[j].startsWith("     ["); j++) out.push(lines[j]);
  }
  return out;
}

describe("official Peppol BIS Billing 3.0 validation", () => {
  if (result.status === 2) {
    it(`NOT RUN: the official rules are not on this machine (${output.trim().split("\n")[0]})`, () => {
      console.warn(`Official Peppol validation not run: ${output.trim()}`);
      expect(result.status).toBe(2);
    });
    return;
  }

  it.each(names)("%s passes the XSD, CEN EN 16931 and Peppol rules with 0 fatal", (name) => {
    const lines = report(name);
    expect(
      lines.some((l) => l.startsWith(`VALID   ${name}`)),
      lines.join("\n"),
    ).toBe(true);
    expect(
      lines.filter((l) => /^ok {3}(CEN|PEPPOL)\//.test(l)),
      lines.join("\n"),
    ).toHaveLength(2);
    expect(
      lines.filter((l) => l.includes("[fatal]")),
      lines.join("\n"),
    ).toEqual([]);
  });

  it("refuses our document without a buyer reference (PEPPOL-EN16931-R003), so the check can fail", () => {
    const lines = report(BROKEN);
    expect(
      lines.some((l) => l.startsWith(`FAIL PEPPOL/${BROKEN}`)),
      output,
    ).toBe(true);
    expect(lines.filter((l) => l.includes("[fatal]")).map((l) => /\] (\S+) at/.exec(l)?.[1])).toEqual([
      "PEPPOL-EN16931-R003",
    ]);
    expect(result.status).toBe(1);
  });
});
