import type { AllocationAppendix, InvoiceDocument } from "../../../billing/invoice-document";
import { renderAppendicesPdfSync, renderInvoiceCitingAppendicesSync } from "../../../billing/pdf";
import { fillUblAttachments, renderUbl, UblError, type UblAttachment } from "../../../billing/ubl";
import { mixesVatCategories } from "../../../billing/vat-split";
import { DomainError } from "../../../billing/errors";

/*
 * The e-invoice of each invoice, made inside the issuing transaction from the frozen document (docs/e-invoice.md,
 * docs/decisions/012-ubl-at-issue.md). One maker per issue: the appendix PDF of a set of project-years is rendered
 * once and embedded in every e-invoice that cites it, as the run's printed file shares its appendices.
 */
export class EInvoiceMaker {
  /**
   * The UBL XML of a frozen document; `appendices` are the allocation appendices it cites and `appendixKey`
   * identifies them (the ids of their frozen snapshots), so equal sets share one rendering.
   */
  make(document: InvoiceDocument, appendices: AllocationAppendix[] = [], appendixKey = ""): string {
    if (mixesVatCategories(document.lines)) {
      throw new DomainError(
        "conflict",
        "mixed_vat_categories",
        `Fakturan till ${document.buyer.name} blandar momsfria och momspliktiga rader, vilket en e-faktura inte får (regel BR-O-11): momssatserna har ändrats sedan utkastet gjordes. Ta bort utkastet och gör en ny körning.`,
      );
    }
    void appendixKey;
    try {
      // The PDFs are put in when the document is sent or downloaded (completeUbl): they are renderings of the same
      // frozen document, and storing them would keep a run's appendices once per invoice.
      return renderUbl(document, attachmentsOf({ ...document, appendices }, false), { attachmentsLater: true });
    } catch (error) {
      if (error instanceof UblError) throw new DomainError("conflict", "e_invoice_invalid", error.message);
      throw error;
    }
  }
}

const NO_PDF = new Uint8Array(0);

/** The PDFs an e-invoice embeds: the invoice, and its allocation appendices when it cites any. */
function attachmentsOf(document: InvoiceDocument, render: boolean): UblAttachment[] {
  const word = document.kind === "credit_note" ? "kreditfaktura" : "faktura";
  const out: UblAttachment[] = [
    {
      pdf: render ? renderInvoiceCitingAppendicesSync(document) : NO_PDF,
      filename: `${word}-${document.number}.pdf`,
      description: document.kind === "credit_note" ? `Kreditfaktura ${document.number}` : `Faktura ${document.number}`,
    },
  ];
  if (document.appendices.length > 0) {
    out.push({
      pdf: render ? renderAppendicesPdfSync(document.seller, document.appendices, document.issueDate) : NO_PDF,
      filename: `${word}-${document.number}-bilagor.pdf`,
      description: `Bilagor till faktura ${document.number}: fördelningen av projektkostnaderna`,
    });
  }
  return out;
}

/**
 * The e-invoice as it is sent: the document stored at issue with the PDFs of its frozen document (with the
 * appendices it cites) put in. `document` is the frozen document as invoiceDocument reads it.
 */
export function completeUbl(stored: string, document: InvoiceDocument): string {
  return fillUblAttachments(
    stored,
    attachmentsOf(document, true).map((a) => a.pdf),
  );
}
