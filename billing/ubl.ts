import type { InvoiceDocument, InvoiceLineDocument, PostalAddress } from "./invoice-document";
import { oreToDecimalString, sumOre, type Ore } from "./money";
import { effectivePeppolId } from "./peppol-id";
import { feeBasisText, overrideText, shareBasisText } from "./pdf-text";
import { isOutOfScope, mixesVatCategories } from "./vat-split";
import { XmlElement, xmlDocument } from "./xml";

/*
 * The Peppol BIS Billing 3.0 document (UBL 2.1 Invoice 380 / CreditNote 381) of an issued invoice, made from the
 * same frozen InvoiceDocument as the PDF, so the two never disagree (docs/e-invoice.md). Pure: data in, XML out.
 * Element order follows the UBL 2.1 schema (the XSD refuses any other order).
 */

const NS = {
  invoice: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  creditNote: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
} as const;

export const CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
export const PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
export const F_SKATT_TEXT = "Godkänd för F-skatt";
const CURRENCY = "SEK";

export interface UblAttachment {
  /** A PDF sent with the e-invoice: the invoice itself, and the allocation appendices it cites. */
  pdf: Uint8Array;
  filename: string;
  description: string;
}

/** Thrown for a document that cannot be a valid e-invoice; the issuing use case turns it into a clear refusal. */
export class UblError extends Error {}

type El = XmlElement;

/** Characters XML 1.0 cannot hold at all (control characters, lone surrogates): refused rather than sent. */
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function cbc(parent: El, name: string, text: string, attrs?: Record<string, string>): El {
  // Checked here, once per value, so the serialiser may skip its own (much slower) well-formedness pass.
  if (NOT_XML_CHAR.test(text)) throw new UblError(`${name} holds a character XML cannot carry`);
  const el = parent.ele(`cbc:${name}`, attrs);
  el.txt(text);
  return parent;
}

function cac(parent: El, name: string): El {
  return parent.ele(`cac:${name}`);
}

/** Credit notes carry positive amounts in UBL (the type code says it is a credit): the sign is dropped there. */
function amountText(ore: Ore, credit: boolean): string {
  return oreToDecimalString(credit ? 0 - ore : ore);
}

function money(parent: El, name: string, ore: Ore, credit: boolean): El {
  return cbc(parent, name, amountText(ore, credit), { currencyID: CURRENCY });
}

function digits(s: string): string {
  return s.replace(/\D/g, "");
}

function address(party: El, a: PostalAddress): void {
  const el = cac(party, "PostalAddress");
  cbc(el, "StreetName", a.street);
  cbc(el, "CityName", a.city);
  cbc(el, "PostalZone", digits(a.postalCode));
  cbc(cac(el, "Country"), "IdentificationCode", "SE");
}

function taxScheme(parent: El, id: string): void {
  cbc(cac(parent, "TaxScheme"), "ID", id);
}

/** What the municipality reads beside the line: how the amount was arrived at (as under the line on the PDF). */
export function lineBasisText(line: InvoiceLineDocument, billingYear: number): string | null {
  const parts: string[] = [];
  if (line.feeBasis) {
    parts.push(feeBasisText(line.feeBasis, billingYear));
    if (line.feeBasis.overrideNote) parts.push(overrideText(line.feeBasis.overrideNote));
  }
  if (line.shareBasis) parts.push(shareBasisText(line.shareBasis));
  return parts.length > 0 ? parts.join(". ") : null;
}

function category(
  parent: El,
  name: "ClassifiedTaxCategory" | "TaxCategory",
  vatRate: number,
  exemption: string | null,
): void {
  const el = cac(parent, name);
  if (isOutOfScope(vatRate)) {
    // BR-O-05/BR-O-09: no rate on category O; BR-O-10: the breakdown says why no VAT is charged.
    cbc(el, "ID", "O");
    if (exemption !== null) {
      cbc(el, "TaxExemptionReasonCode", "VATEX-EU-O");
      cbc(el, "TaxExemptionReason", exemption);
    }
  } else {
    cbc(el, "ID", "S");
    cbc(el, "Percent", String(vatRate));
  }
  taxScheme(el, "VAT");
}

export function ublFilename(doc: Pick<InvoiceDocument, "kind" | "number">): string {
  return `${doc.kind === "credit_note" ? "kreditfaktura" : "faktura"}-${doc.number}.xml`;
}

/**
 * The UBL document of an issued invoice or credit note, as an XML string (UTF-8). With `attachmentsLater` the
 * embedded PDFs are left as placeholders (`<?binary N?>`) for fillUblAttachments: the document is made and stored
 * at issue, and the PDFs, which are renderings of the same frozen document, are put in when it is sent or
 * downloaded (storing them would hold every run's appendices once per invoice).
 */
export function renderUbl(
  doc: InvoiceDocument,
  attachments: readonly UblAttachment[],
  options: { attachmentsLater?: boolean } = {},
): string {
  if (doc.lines.length === 0) throw new UblError("an e-invoice needs at least one line (BR-16)");
  if (mixesVatCategories(doc.lines)) {
    throw new UblError(`invoice ${doc.number} mixes lines outside the scope of VAT with taxed lines (BR-O-11)`);
  }
  const credit = doc.kind === "credit_note";
  const outOfScope = doc.lines.every((l) => isOutOfScope(l.vatRate));
  const rootNs = credit ? NS.creditNote : NS.invoice;
  const root = new XmlElement(credit ? "CreditNote" : "Invoice", [
    ["xmlns", rootNs],
    ["xmlns:cac", NS.cac],
    ["xmlns:cbc", NS.cbc],
  ]);

  cbc(root, "CustomizationID", CUSTOMIZATION_ID);
  cbc(root, "ProfileID", PROFILE_ID);
  cbc(root, "ID", doc.number);
  cbc(root, "IssueDate", doc.issueDate);
  if (!credit) cbc(root, "DueDate", doc.dueDate);
  cbc(root, credit ? "CreditNoteTypeCode" : "InvoiceTypeCode", credit ? "381" : "380");
  if (doc.creditedInvoice)
    cbc(root, "Note", `Krediterar faktura ${doc.creditedInvoice.number}: ${doc.creditedInvoice.reason}`);
  cbc(root, "DocumentCurrencyCode", CURRENCY);
  // PEPPOL-EN16931-R003: without a reference the document is refused; it is written only when there is one, so
  // an invoice to a member without a reference shows as not sendable by Peppol rather than routed on a guess.
  if (doc.buyer.reference.trim() !== "") cbc(root, "BuyerReference", doc.buyer.reference);
  if (doc.creditedInvoice) {
    const ref = cac(cac(root, "BillingReference"), "InvoiceDocumentReference");
    cbc(ref, "ID", doc.creditedInvoice.number);
    cbc(ref, "IssueDate", doc.creditedInvoice.issueDate);
  }
  // The PDFs go in after serialising: their base64 (A–Z, a–z, 0–9, +, /, =) needs no escaping, and letting the
  // builder check and escape 300 kB per document, 290 times in one issue, was most of the issuing time.
  const binaries: string[] = [];
  attachments.forEach((a, i) => {
    const attached = cac(root, "AdditionalDocumentReference");
    cbc(attached, "ID", `${doc.number}-${i + 1}`);
    cbc(attached, "DocumentDescription", a.description);
    const binary = cac(attached, "Attachment").ele("cbc:EmbeddedDocumentBinaryObject", {
      mimeCode: "application/pdf",
      filename: a.filename,
    });
    // A processing instruction marks the place: escaped text can never contain "<?", so no field can forge it.
    binary.ins("binary", String(binaries.length));
    binaries.push(options.attachmentsLater ? "" : base64Of(a.pdf));
  });

  // Seller -----------------------------------------------------------------------------------------------------
  const seller = doc.seller;
  const sellerParty = cac(cac(root, "AccountingSupplierParty"), "Party");
  const sellerEndpoint = effectivePeppolId(seller.peppolId, seller.orgNumber);
  cbc(sellerParty, "EndpointID", sellerEndpoint.value, { schemeID: sellerEndpoint.scheme });
  cbc(cac(sellerParty, "PartyName"), "Name", seller.name);
  address(sellerParty, seller.address);
  // BR-O-02: no seller VAT identifier on an invoice of out-of-scope lines, even when the association is registered.
  if (seller.vatNumber && !outOfScope) {
    const vat = cac(sellerParty, "PartyTaxScheme");
    cbc(vat, "CompanyID", seller.vatNumber);
    taxScheme(vat, "VAT");
  }
  if (seller.fSkatt) {
    // SE-R-005: the Swedish F-skatt approval is a tax registration with this exact text.
    const tax = cac(sellerParty, "PartyTaxScheme");
    cbc(tax, "CompanyID", F_SKATT_TEXT);
    taxScheme(tax, "TAX");
  }
  const sellerLegal = cac(sellerParty, "PartyLegalEntity");
  cbc(sellerLegal, "RegistrationName", seller.name);
  cbc(sellerLegal, "CompanyID", digits(seller.orgNumber), { schemeID: "0007" });
  const contact = cac(sellerParty, "Contact");
  cbc(contact, "Name", seller.ourReference);
  if (seller.phone) cbc(contact, "Telephone", seller.phone);
  cbc(contact, "ElectronicMail", seller.email);

  // Buyer ------------------------------------------------------------------------------------------------------
  const buyer = doc.buyer;
  const buyerParty = cac(cac(root, "AccountingCustomerParty"), "Party");
  const buyerEndpoint = effectivePeppolId(buyer.peppolId, buyer.orgNumber);
  cbc(buyerParty, "EndpointID", buyerEndpoint.value, { schemeID: buyerEndpoint.scheme });
  cbc(cac(buyerParty, "PartyName"), "Name", buyer.name);
  address(buyerParty, buyer.address);
  const buyerLegal = cac(buyerParty, "PartyLegalEntity");
  cbc(buyerLegal, "RegistrationName", buyer.name);
  cbc(buyerLegal, "CompanyID", digits(buyer.orgNumber), { schemeID: "0007" });
  if (buyer.email) cbc(cac(buyerParty, "Contact"), "ElectronicMail", buyer.email);

  // Payment: bankgiro as credit transfer (SE-R-008/009/011), the OCR as the payment reference -----------------
  if (!credit) {
    const means = cac(root, "PaymentMeans");
    cbc(means, "PaymentMeansCode", "30", { name: "Bankgiro" });
    cbc(means, "PaymentID", doc.ocr);
    const account = cac(means, "PayeeFinancialAccount");
    cbc(account, "ID", digits(seller.bankgiro));
    cbc(cac(account, "FinancialInstitutionBranch"), "ID", "SE:BANKGIRO");
  }

  // VAT per category: one O breakdown (BR-O-11) or one S breakdown per rate ------------------------------------
  const taxTotal = cac(root, "TaxTotal");
  money(taxTotal, "TaxAmount", doc.vat, credit);
  const byRate = new Map<number, { base: Ore[]; vat: Ore[] }>();
  for (const l of doc.lines) {
    const row = byRate.get(l.vatRate) ?? { base: [], vat: [] };
    row.base.push(l.amount);
    row.vat.push(l.vat);
    byRate.set(l.vatRate, row);
  }
  const exemption = doc.vatSummary.find((r) => r.rate === 0)?.exemptionText ?? null;
  for (const [rate, row] of [...byRate.entries()].sort(([a], [b]) => a - b)) {
    const sub = cac(taxTotal, "TaxSubtotal");
    money(sub, "TaxableAmount", sumOre(row.base), credit);
    money(sub, "TaxAmount", sumOre(row.vat), credit);
    category(
      sub,
      "TaxCategory",
      rate,
      isOutOfScope(rate) ? exemption || "Utanför mervärdesskattens tillämpningsområde" : null,
    );
  }

  const totals = cac(root, "LegalMonetaryTotal");
  money(totals, "LineExtensionAmount", doc.net, credit);
  money(totals, "TaxExclusiveAmount", doc.net, credit);
  money(totals, "TaxInclusiveAmount", doc.total, credit);
  money(totals, "PayableAmount", doc.total, credit);

  // Lines --------------------------------------------------------------------------------------------------------
  doc.lines.forEach((line, i) => {
    const el = cac(root, credit ? "CreditNoteLine" : "InvoiceLine");
    cbc(el, "ID", String(i + 1));
    // A price is never negative (BR-27): a line that takes off (a refund of adjustments on an invoice, or an extra
    // charge on a credit note) has a negative quantity and a positive price instead, so quantity × price = amount.
    const takesOff = (credit ? 0 - line.unitPrice : line.unitPrice) < 0;
    const quantity = takesOff ? 0 - line.quantity : line.quantity;
    cbc(el, credit ? "CreditedQuantity" : "InvoicedQuantity", String(quantity), { unitCode: "EA" });
    money(el, "LineExtensionAmount", line.amount, credit);
    const item = cac(el, "Item");
    const basis = lineBasisText(line, doc.billingYear);
    if (basis) cbc(item, "Description", basis);
    cbc(item, "Name", line.description);
    category(item, "ClassifiedTaxCategory", line.vatRate, null);
    money(cac(el, "Price"), "PriceAmount", Math.abs(line.unitPrice), false);
  });

  // Element names are constants and every value passed cbc's check; the writer escapes & < > and quotes.
  const xml = xmlDocument(root);
  return options.attachmentsLater ? xml : xml.replace(BINARY_PATTERN, (_, i: string) => binaries[Number(i)]);
}

/** A stored UBL document with its PDFs put in, in the order renderUbl was given them; refuses a wrong count. */
export function fillUblAttachments(xml: string, pdfs: readonly Uint8Array[]): string {
  const places = xml.match(BINARY_PATTERN)?.length ?? 0;
  if (places !== pdfs.length)
    throw new UblError(`the e-invoice has room for ${places} attachments, ${pdfs.length} were given`);
  return xml.replace(BINARY_PATTERN, (_, i: string) => base64Of(pdfs[Number(i)]));
}

const BINARY_PATTERN = /\s*<\?binary (\d+)\?>\s*/g;
const base64Cache = new WeakMap<Uint8Array, string>();

/** Base64 of a PDF, once per buffer: the appendix PDF of a run is embedded in every invoice citing it. */
function base64Of(bytes: Uint8Array): string {
  let text = base64Cache.get(bytes);
  if (text === undefined) {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    if (!/^[A-Za-z0-9+/=]*$/.test(text)) throw new UblError("base64 produced characters XML would need to escape");
    base64Cache.set(bytes, text);
  }
  return text;
}
