import type { AllocationAppendix, InvoiceDocument } from "../../billing/invoice-document";
import { renderAppendicesPdfSync, renderInvoiceCitingAppendicesSync } from "../../billing/pdf";
import { renderUbl, UblError, type UblAttachment } from "../../billing/ubl";
import { mixesVatCategories } from "../../billing/vat-split";
import { DomainError } from "../lib/http.server";

/*
 * The e-invoice of each invoice, made inside the issuing transaction from the frozen document (docs/e-invoice.md,
 * docs/decisions/012-ubl-at-issue.md). One maker per issue: the appendix PDF of a set of project-years is rendered
 * once and embedded in every e-invoice that cites it, as the run's printed file shares its appendices.
 */
export class EInvoiceMaker {
  private appendixPdfs = new Map<string, Buffer>();

  /**
   * The UBL XML of a frozen document; `appendices` are the allocation appendices it cites and `appendixKey`
   * identifies them (the ids of their frozen snapshots), so equal sets share one rendering.
   */
  make(document: InvoiceDocument, appendices: AllocationAppendix[] = [], appendixKey = ""): string {
    if (mixesVatCategories(document.lines)) {
      throw new DomainError(
        409,
        "mixed_vat_categories",
        `Fakturan till ${document.buyer.name} blandar momsfria och momspliktiga rader, vilket en e-faktura inte får (regel BR-O-11): momssatserna har ändrats sedan utkastet gjordes. Ta bort utkastet och gör en ny körning.`,
      );
    }
    const word = document.kind === "credit_note" ? "kreditfaktura" : "faktura";
    const withAppendices = { ...document, appendices };
    const attachments: UblAttachment[] = [
      {
        pdf: renderInvoiceCitingAppendicesSync(withAppendices),
        filename: `${word}-${document.number}.pdf`,
        description: document.kind === "credit_note" ? `Kreditfaktura ${document.number}` : `Faktura ${document.number}`,
      },
    ];
    if (appendices.length > 0) {
      const key = appendixKey || JSON.stringify(appendices);
      let pdf = this.appendixPdfs.get(key);
      if (!pdf) this.appendixPdfs.set(key, (pdf = renderAppendicesPdfSync(document.seller, appendices, document.issueDate)));
      attachments.push({
        pdf,
        filename: `${word}-${document.number}-bilagor.pdf`,
        description: `Bilagor till faktura ${document.number}: fördelningen av projektkostnaderna`,
      });
    }
    try {
      return renderUbl(document, attachments);
    } catch (error) {
      if (error instanceof UblError) throw new DomainError(409, "e_invoice_invalid", error.message);
      throw error;
    }
  }
}
