import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInvoiceDocument, creditLines, lineFor } from "../../billing/invoice";
import { ocrFor } from "../../billing/ocr";
import { renderUbl, UblError, type UblAttachment } from "../../billing/ubl";
import { documentWithoutBuyerReference, eInvoiceCases, EXEMPTION_TEXTS } from "../fixtures/e-invoice-cases";
import { EXEMPTION_TEXT, SELLER } from "../fixtures/invoice-document";
import { all, attr, brokenRules, one, parseUbl, text } from "./ubl-rules";

const PDF = new Uint8Array(
  Buffer.from("%PDF-1.3\n% a small stand-in: the real PDFs are rendered in the validation test\n"),
);
const attachments: UblAttachment[] = [{ pdf: PDF, filename: "faktura.pdf", description: "Faktura" }];
const cases = eInvoiceCases();
const byName = (name: string) => cases.find((c) => c.name === name)!.document;

describe("the UBL document of an invoice", () => {
  it.each(cases.map((c) => [c.name, c.document] as const))("%s keeps the rules we check ourselves", (_, doc) => {
    expect(brokenRules(renderUbl(doc, attachments))).toEqual([]);
  });

  it("carries the number, dates, references, lines with their basis, payment and totals of the PDF", () => {
    const doc = byName("annual-fee-and-per-capita-share-O");
    const { root, kind } = parseUbl(renderUbl(doc, attachments));
    expect(kind).toBe("Invoice");
    expect(one(root, "cbc:CustomizationID")).toBe(
      "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
    );
    expect(one(root, "cbc:ID")).toBe("2026001");
    expect(one(root, "cbc:IssueDate")).toBe("2026-01-15");
    expect(one(root, "cbc:DueDate")).toBe("2026-02-14");
    expect(one(root, "cbc:InvoiceTypeCode")).toBe("380");
    expect(one(root, "cbc:BuyerReference")).toBe("Kst 1234 / Per Persson");
    expect(one(root, "cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:Name")).toBe("Anna Kassör");
    const lines = all(root, "cac:InvoiceLine");
    expect(lines).toHaveLength(2);
    expect(one(lines[0], "cac:Item/cbc:Name")).toBe("Årsavgift 2026");
    expect(one(lines[0], "cac:Item/cbc:Description")).toContain("Avgiftsklass: 10 000–100 000 invånare");
    expect(one(lines[1], "cac:Item/cbc:Description")).toContain("fördelning per invånare: 71 420 av 734 201 invånare");
    expect(one(lines[0], "cbc:LineExtensionAmount")).toBe("16000.00");
    expect(one(lines[1], "cbc:LineExtensionAmount")).toBe("12345.67");
    expect(one(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")).toBe("28345.67");
    expect(attr(all(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")[0], "currencyID")).toBe("SEK");
    // Bankgiro digits only with SE:BANKGIRO, the OCR as the payment reference.
    expect(one(root, "cac:PaymentMeans/cbc:PaymentMeansCode")).toBe("30");
    expect(one(root, "cac:PaymentMeans/cbc:PaymentID")).toBe(doc.ocr);
    expect(one(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")).toBe("50501055");
    expect(one(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID")).toBe(
      "SE:BANKGIRO",
    );
  });

  it("puts fees outside the scope of VAT in one category O with the texts of its charge kinds", () => {
    const { root } = parseUbl(renderUbl(byName("annual-fee-and-per-capita-share-O"), attachments));
    const subtotals = all(root, "cac:TaxTotal/cac:TaxSubtotal");
    expect(subtotals).toHaveLength(1);
    expect(one(subtotals[0], "cac:TaxCategory/cbc:ID")).toBe("O");
    expect(all(subtotals[0], "cac:TaxCategory/cbc:Percent")).toHaveLength(0);
    expect(one(subtotals[0], "cac:TaxCategory/cbc:TaxExemptionReasonCode")).toBe("VATEX-EU-O");
    expect(one(subtotals[0], "cac:TaxCategory/cbc:TaxExemptionReason")).toBe(
      `${EXEMPTION_TEXTS.annual_fee}; ${EXEMPTION_TEXTS.project_share}`,
    );
  });

  it("gives taxed shares category S per rate, and the seller's VAT number only then (BR-O-02)", () => {
    const { root } = parseUbl(renderUbl(byName("shares-6-12-25pct-S"), attachments));
    const subtotals = all(root, "cac:TaxTotal/cac:TaxSubtotal").map((t) => [
      one(t, "cac:TaxCategory/cbc:Percent"),
      one(t, "cbc:TaxableAmount"),
      one(t, "cbc:TaxAmount"),
    ]);
    expect(subtotals).toEqual([
      ["6", "999.99", "60.00"],
      ["12", "1000.01", "120.00"],
      ["25", "123.45", "30.86"],
    ]);
    const schemes = all(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme").map((s) => [
      one(s, "cbc:CompanyID"),
      one(s, "cac:TaxScheme/cbc:ID"),
    ]);
    expect(schemes).toEqual([
      ["SE802400123501", "VAT"],
      ["Godkänd för F-skatt", "TAX"],
    ]);
    const registeredButOutOfScope = parseUbl(
      renderUbl(byName("registered-seller-out-of-scope-no-fskatt"), attachments),
    ).root;
    expect(all(registeredButOutOfScope, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme")).toHaveLength(0);
  });

  it("takes the endpoint ids from the Peppol ids, by default 0007 and the organisation number", () => {
    const plain = parseUbl(renderUbl(byName("annual-fee-and-per-capita-share-O"), attachments)).root;
    const buyer = all(plain, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")[0];
    expect([attr(buyer, "schemeID"), text(buyer)]).toEqual(["0007", "2120001397"]);
    const seller = all(plain, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")[0];
    expect([attr(seller, "schemeID"), text(seller)]).toEqual(["0007", "8024001235"]);
    expect(one(plain, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")).toBe("8024001235");
    const gln = parseUbl(renderUbl(byName("entry-fee-board-decision-organisation-gln"), attachments)).root;
    const glnEndpoint = all(gln, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")[0];
    expect([attr(glnEndpoint, "schemeID"), text(glnEndpoint)]).toEqual(["0088", "7300010000001"]);
  });

  it("escapes & and < in names and references, and reads them back unchanged", () => {
    const xml = renderUbl(byName("entry-fee-board-decision-organisation-gln"), attachments);
    expect(xml).toContain("Föreningen Åre &amp; Öland");
    expect(xml).toMatch(/Ärende 2026\/17 &lt;ekonomi(>|&gt;)/);
    const { root } = parseUbl(xml);
    expect(one(root, "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name")).toBe(
      "Föreningen Åre & Öland – Kommunalförbundet",
    );
    expect(one(root, "cbc:BuyerReference")).toBe("Ärende 2026/17 <ekonomi>");
    expect(one(root, "cac:InvoiceLine/cac:Item/cbc:Description")).toContain("Styrelsebeslut: Halverad insats");
    expect(one(root, "cac:InvoiceLine/cac:Item/cbc:Description")).not.toContain("override");
  });

  it("writes F-skatt only when the association has it", () => {
    const none = parseUbl(renderUbl(byName("registered-seller-out-of-scope-no-fskatt"), attachments)).root;
    expect(JSON.stringify(none)).not.toContain("F-skatt");
  });

  it("embeds the PDFs byte for byte as application/pdf", () => {
    const second = new Uint8Array(Buffer.from("%PDF-1.3\n% appendix\n"));
    const { root } = parseUbl(
      renderUbl(byName("annual-fee-and-per-capita-share-O"), [
        ...attachments,
        { pdf: second, filename: "bilagor.pdf", description: "Bilagor" },
      ]),
    );
    const objects = all(root, "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject");
    expect(objects.map((o) => attr(o, "mimeCode"))).toEqual(["application/pdf", "application/pdf"]);
    expect(objects.map((o) => attr(o, "filename"))).toEqual(["faktura.pdf", "bilagor.pdf"]);
    expect(Buffer.from(text(objects[0]), "base64").equals(Buffer.from(PDF))).toBe(true);
    expect(Buffer.from(text(objects[1]), "base64").equals(Buffer.from(second))).toBe(true);
  });

  it("makes a credit note a CreditNote 381 with positive amounts and a reference to the invoice", () => {
    const doc = byName("credit-note-S");
    expect(doc.total).toBeLessThan(0);
    const { root, kind } = parseUbl(renderUbl(doc, attachments));
    expect(kind).toBe("CreditNote");
    expect(one(root, "cbc:CreditNoteTypeCode")).toBe("381");
    expect(one(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")).toBe("2026002");
    expect(one(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate")).toBe("2026-01-15");
    expect(one(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")).toBe("22762.35");
    for (const l of all(root, "cac:CreditNoteLine")) {
      expect(one(l, "cbc:CreditedQuantity")).toBe("1");
      expect(one(l, "cbc:LineExtensionAmount")).not.toMatch(/^-/);
    }
    expect(all(root, "cbc:DueDate")).toHaveLength(0);
  });

  it("refuses an invoice that mixes out-of-scope and taxed lines (BR-O-11) and characters XML cannot hold", () => {
    const doc = byName("annual-fee-and-per-capita-share-O");
    const mixed = { ...doc, lines: [doc.lines[0], { ...doc.lines[1], vatRate: 25, vat: 308_642 }] };
    expect(() => renderUbl(mixed, attachments)).toThrow(/BR-O-11/);
    expect(() => renderUbl({ ...doc, buyer: { ...doc.buyer, name: "Mölndal\u0001" } }, attachments)).toThrow(UblError);
  });

  it("our rule check fails a document with one defect, so it can catch one", () => {
    expect(brokenRules(renderUbl(documentWithoutBuyerReference(), attachments))).toEqual(["PEPPOL-EN16931-R003"]);
    const xml = renderUbl(byName("shares-equal-fixed-base-25pct-S"), attachments).replace(
      /<cbc:PayableAmount currencyID="SEK">[^<]*</,
      '<cbc:PayableAmount currencyID="SEK">1.00<',
    );
    expect(brokenRules(xml)).toEqual(["BR-CO-16"]);
  });

  it("keeps the totals and VAT rules for any amounts and rates (property)", () => {
    const line = fc.record({
      amount: fc.integer({ min: 0, max: 5_000_000_000 }),
      taxed: fc.boolean(),
      rate: fc.constantFrom(6, 12, 25),
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        (specs, taxed, asCredit) => {
          const lines = specs.map((s, i) =>
            lineFor({
              chargeKind: "project_share",
              chargeKey: null,
              projectId: i + 1,
              year: 2026,
              description: `Projektandel P-${i}`,
              amount: s.amount,
              vatRate: taxed ? s.rate : 0,
              feeBasis: null,
              shareBasis: null,
            }),
          );
          const doc = buildInvoiceDocument({
            kind: asCredit ? "credit_note" : "invoice",
            number: 2026500,
            ocr: ocrFor("2026500"),
            issueDate: "2026-01-15",
            dueDate: "2026-02-14",
            billingYear: 2026,
            seller: { ...SELLER, vatNumber: "SE802400123501", fSkatt: true },
            buyer: byName("annual-fee-and-per-capita-share-O").buyer,
            lines: asCredit ? creditLines(lines) : lines,
            exemptionText: EXEMPTION_TEXT,
            creditedInvoice: asCredit ? { number: "2026001", issueDate: "2026-01-15", reason: "Fel" } : null,
            appendices: [],
          });
          expect(brokenRules(renderUbl(doc, attachments))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
