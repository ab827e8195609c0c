import type {
  AllocationAppendix,
  BuyerDetails,
  InvoiceDocument,
  InvoiceLineDocument,
  ReminderDocument,
  SellerDetails,
} from "./invoice-document";
import { Decimal, formatInteger, formatSek, sumOre } from "./money";
import { useFastCompression } from "./pdf-compress";
import { createDocument } from "./pdf-fonts";
import { Canvas, COLOR, CONTENT_WIDTH, PAGE, mm, type TextStyle } from "./pdf-layout";
import {
  allocationKeyText,
  dateAtNoonUtc,
  daysBetween,
  feeBasisText,
  formatDecimal,
  overrideText,
  percentOfBudget,
  shareBasisText,
  sv,
  vatRateText,
} from "./pdf-text";

/**
 * Invoices, credit notes and reminders as A4 PDFs, laid out like a Swedish invoice: the buyer's address where a
 * C5/DL window envelope shows it, the lines with the basis of each charge, VAT per rate (or why there is none),
 * a payment box with bankgiro and OCR, the seller's legal details in the footer of every page, and one appendix
 * per project-year that shows how its cost was shared. Data in, bytes out: nothing here reads or writes files.
 */

export function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  return render(
    {
      Title: `${documentWord(doc)} ${doc.number}`,
      Author: doc.seller.name,
      Subject: sv.subject(`${documentWord(doc)} ${doc.number}`, doc.buyer.name),
      date: doc.issueDate,
    },
    (writer) => writer.invoice(doc),
  );
}

export function renderReminderPdf(doc: ReminderDocument): Promise<Buffer> {
  return render(
    {
      Title: sv.reminderOf(doc.invoice.number),
      Author: doc.invoice.seller.name,
      Subject: sv.subject(sv.reminderOf(doc.invoice.number), doc.invoice.buyer.name),
      date: doc.reminderDate,
    },
    (writer) => writer.reminder(doc),
  );
}

export interface RenderInvoicesOptions {
  /**
   * Where the allocation appendices go (docs/invoices.md#what-each-line-shows: every participant's share of each project-year).
   * - `"each"` (the default): after each invoice, as in its own PDF.
   * - `"shared"`: each distinct appendix once, after the last invoice, in a section "Bilagor" numbered on its own;
   *   each invoice says which of them it refers to. A run's 290 invoices share the same 10 project-years, and
   *   printing 290 × 10 copies of the same 290-row tables (some 17 000 pages) helps nobody.
   */
  appendices?: "each" | "shared";
}

/** Every invoice of a billing run in one file for printing: each starts on a new page and is numbered on its own. */
export function renderInvoicesPdf(docs: InvoiceDocument[], options: RenderInvoicesOptions = {}): Promise<Buffer> {
  if (docs.length === 0) return Promise.reject(new RangeError("renderInvoicesPdf needs at least one invoice"));
  const first = docs[0];
  const last = docs[docs.length - 1];
  const range = docs.length === 1 ? first.number : `${first.number}–${last.number}`;
  return render(
    {
      Title: docs.length === 1 ? `${documentWord(first)} ${range}` : sv.invoicesTitle(range),
      Author: first.seller.name,
      Subject: sv.invoicesSubject(docs.length, range),
      date: first.issueDate,
    },
    (writer) => {
      if (options.appendices !== "shared") {
        for (const doc of docs) writer.invoice(doc);
        return;
      }
      const shared = new SharedAppendices();
      const numbers = docs.map((doc) => doc.appendices.map((a) => shared.numberOf(a)));
      docs.forEach((doc, i) => writer.invoice(doc, numbers[i]));
      if (shared.list.length > 0) writer.sharedAppendices(first.seller, shared.list, docs.length === 1 ? null : range);
    },
  );
}

/**
 * The distinct appendices of a run in order of first use, numbered from 1. The documents of one run share the
 * appendix objects (one frozen snapshot each), so the object is the quick key; the content is the sure one.
 */
class SharedAppendices {
  readonly list: AllocationAppendix[] = [];
  private byObject = new Map<AllocationAppendix, number>();
  private byContent = new Map<string, number>();

  numberOf(appendix: AllocationAppendix): number {
    let n = this.byObject.get(appendix);
    if (n !== undefined) return n;
    const content = JSON.stringify(appendix);
    n = this.byContent.get(content);
    if (n === undefined) {
      this.list.push(appendix);
      n = this.list.length;
      this.byContent.set(content, n);
    }
    this.byObject.set(appendix, n);
    return n;
  }
}

interface Metadata {
  Title: string;
  Author: string;
  Subject: string;
  date: string;
}

/**
 * The invoice's PDF at once, without waiting for a stream: issuing embeds it in the e-invoice inside the issuing
 * transaction, which better-sqlite3 runs synchronously (docs/decisions/012-ubl-at-issue.md).
 */
export function renderInvoicePdfSync(doc: InvoiceDocument): Buffer {
  return renderSync(
    {
      Title: `${documentWord(doc)} ${doc.number}`,
      Author: doc.seller.name,
      Subject: sv.subject(`${documentWord(doc)} ${doc.number}`, doc.buyer.name),
      date: doc.issueDate,
    },
    (writer) => writer.invoice(doc),
  );
}

/**
 * The e-invoice's two PDFs (docs/e-invoice.md): the invoice naming its appendices as "Bilaga 1–n", and the
 * appendices themselves in the compact two-column form, which every invoice of a run citing the same
 * project-years shares (rendered once per issue, not 290 times).
 */
export function renderInvoiceCitingAppendicesSync(doc: InvoiceDocument): Buffer {
  const numbers = doc.appendices.map((_, i) => i + 1);
  return renderSync(
    {
      Title: `${documentWord(doc)} ${doc.number}`,
      Author: doc.seller.name,
      Subject: sv.subject(`${documentWord(doc)} ${doc.number}`, doc.buyer.name),
      date: doc.issueDate,
    },
    (writer) => writer.invoice(doc, numbers.length > 0 ? numbers : undefined),
  );
}

export function renderAppendicesPdfSync(seller: SellerDetails, appendices: AllocationAppendix[], date: string): Buffer {
  if (appendices.length === 0) throw new RangeError("renderAppendicesPdfSync needs at least one appendix");
  return renderSync({ Title: sv.appendixHeading, Author: seller.name, Subject: sv.appendixHeading, date }, (writer) =>
    writer.sharedAppendices(seller, appendices, null),
  );
}

function renderSync(meta: Metadata, draw: (writer: Writer) => void): Buffer {
  const doc = createDocumentFor(meta);
  draw(new Writer(doc));
  doc.end();
  // pdfkit pushes every byte into its readable side during end(); with no 'data' listener nothing flows, so the
  // whole file is waiting in the buffer and read() hands it over in one piece.
  const chunks: Buffer[] = [];
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function createDocumentFor(meta: Metadata): PDFKit.PDFDocument {
  const doc = createDocument({
    size: "A4",
    margin: 0,
    autoFirstPage: false,
    compress: true,
    bufferPages: true,
    lang: "sv-SE",
    displayTitle: true,
    info: {
      Title: meta.Title,
      Author: meta.Author,
      Subject: meta.Subject,
      Creator: "Sambruk Admin",
      // Fixed from the document's own date: the same invoice always gives the same bytes.
      CreationDate: dateAtNoonUtc(meta.date),
    },
  });
  useFastCompression(doc);
  return doc;
}

function render(meta: Metadata, draw: (writer: Writer) => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    try {
      const doc = createDocumentFor(meta);
      const chunks: Buffer[] = [];
      doc.on("data", (chunk: Buffer) => chunks.push(chunk));
      doc.on("end", () => resolve(Buffer.concat(chunks)));
      doc.on("error", reject);
      draw(new Writer(doc));
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

function documentWord(doc: InvoiceDocument): string {
  return doc.kind === "credit_note" ? sv.creditNote : sv.invoice;
}

// ---------------------------------------------------------------------------------------------------------------

const STYLE = {
  body: { size: 9 },
  bodyBold: { size: 9, font: "Helvetica-Bold" },
  small: { size: 7.5, color: COLOR.muted },
  basis: { size: 7, color: COLOR.muted },
  smallBold: { size: 7.5, font: "Helvetica-Bold", color: COLOR.muted },
  label: { size: 7, color: COLOR.muted },
  tableHead: { size: 8, font: "Helvetica-Bold" },
  footer: { size: 7, color: COLOR.muted },
  footerBold: { size: 7, font: "Helvetica-Bold", color: COLOR.text },
} satisfies Record<string, TextStyle>;

/** The lines table: the right edge of each number column. */
const LINES = {
  descX: PAGE.left + 5,
  qtyRight: PAGE.right - 218,
  priceRight: PAGE.right - 135,
  vatRight: PAGE.right - 88,
  amountRight: PAGE.right - 5,
} as const;
const DESCRIPTION_WIDTH = LINES.qtyRight - 35 - LINES.descX;
/** The basis is a sub-row of its own, so it may use the whole width of the table. */
const BASIS_WIDTH = LINES.amountRight - LINES.descX;

/** The window of a C5/DL envelope (right-hand window) on an A4 folded in three. */
const ADDRESS = { x: mm(112), y: mm(48), width: mm(78) } as const;
const HEADER_BOX = { x: mm(112), y: mm(20.5), width: mm(78) } as const;
/** The body starts below the window, so that nothing but the address shows through it. */
const BODY_TOP = mm(80);

interface Cell {
  label: string;
  value: string;
}

class Writer {
  private readonly c: Canvas;
  private pages = 0;
  private letterStart = 0;

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.c = new Canvas(doc);
  }

  // --- documents ------------------------------------------------------------------------------------------------

  /** An invoice or credit note; with `sharedAppendices`, a note naming them in place of its own appendices. */
  invoice(inv: InvoiceDocument, sharedAppendices?: number[]): void {
    const credit = inv.kind === "credit_note";
    this.startLetter();
    const cells: Cell[] = credit
      ? [
          { label: sv.creditNoteNumber, value: inv.number },
          { label: sv.invoiceDate, value: inv.issueDate },
          { label: sv.creditedInvoice, value: inv.creditedInvoice?.number ?? "–" },
          { label: sv.creditedInvoiceDate, value: inv.creditedInvoice?.issueDate ?? "–" },
          { label: sv.yourReference, value: inv.buyer.reference },
          { label: sv.ourReference, value: inv.seller.ourReference },
        ]
      : [
          { label: sv.invoiceNumber, value: inv.number },
          { label: sv.invoiceDate, value: inv.issueDate },
          { label: sv.dueDate, value: inv.dueDate },
          { label: sv.ocr, value: inv.ocr },
          { label: sv.yourReference, value: inv.buyer.reference },
          { label: sv.ourReference, value: inv.seller.ourReference },
        ];
    const terms = daysBetween(inv.issueDate, inv.dueDate);
    const info: Cell[] = [{ label: sv.billingYear, value: String(inv.billingYear) }];
    if (!credit && terms !== null && terms > 0) info.push({ label: sv.paymentTerms, value: sv.days(terms) });
    let y = this.letterHead(inv.seller, inv.buyer, credit ? sv.creditNoteTitle : sv.invoiceTitle, cells, info);

    const continuation = `${documentWord(inv)} ${inv.number}`;
    y = this.lineTable(inv, y, continuation);
    y = this.totals(inv, y, continuation);
    if (sharedAppendices && sharedAppendices.length > 0) y = this.appendixNote(inv, sharedAppendices, y, continuation);
    if (credit) this.creditBox(inv, y, continuation);
    else this.paymentBox(inv.seller, inv.ocr, inv.total, inv.dueDate, y, continuation);

    if (!sharedAppendices) {
      inv.appendices.forEach((appendix, i) => this.appendix(inv, appendix, inv.appendices.length > 1 ? i + 1 : null));
    }
    this.endLetter(inv.seller);
  }

  /**
   * The section "Bilagor" after a run's invoices: each shared appendix once, numbered as the invoices cite them,
   * in two columns of rows (a 290-participant allocation takes under three pages), one after the other.
   */
  sharedAppendices(seller: SellerDetails, appendices: AllocationAppendix[], range: string | null): void {
    this.startLetter();
    const c = this.c;
    const title = sv.sharedAppendicesTitle(range);
    c.text(seller.name, PAGE.left, PAGE.top, { size: 11, font: "Helvetica-Bold", color: COLOR.accent }, mm(110));
    c.textRight(title, PAGE.right, PAGE.top + 2, { size: 9, color: COLOR.muted }, mm(60));
    c.rule(PAGE.left, PAGE.right, PAGE.top + mm(7), COLOR.rule);
    let y = PAGE.top + mm(12);
    c.text(sv.sharedAppendicesHeading, PAGE.left, y, { size: 16, font: "Helvetica-Bold" });
    y += 24;
    y = c.lines(
      c.wrap(sv.sharedAppendicesIntro(range, appendices.length), CONTENT_WIDTH, STYLE.body, 4),
      PAGE.left,
      y,
      STYLE.body,
      12,
    );
    y += 6;
    appendices.forEach((appendix, i) => {
      if (y + 13 > PAGE.bottom) y = this.continuationPage(seller, `${title} (${sv.continued})`);
      c.text(sv.appendix(i + 1), PAGE.left + 5, y, STYLE.bodyBold);
      c.text(
        sv.project(appendix.projectCode, appendix.projectName, appendix.year),
        PAGE.left + mm(22),
        y,
        STYLE.body,
        CONTENT_WIDTH - mm(22),
      );
      y += 13;
    });
    appendices.forEach((appendix, i) => {
      const pageTitle = sv.appendix(i + 1);
      // A new appendix starts on the same page when its heading and a good part of its table fit.
      if (y + 24 + 150 > PAGE.bottom) y = this.continuationPage(seller, pageTitle);
      else y += 24;
      y = this.compactAllocation(seller, pageTitle, sv.appendixNumbered(i + 1), appendix, y);
    });
    this.endLetter(seller);
  }

  reminder(rem: ReminderDocument): void {
    const inv = rem.invoice;
    this.startLetter();
    const cells: Cell[] = [
      { label: sv.reminderDate, value: rem.reminderDate },
      { label: sv.invoiceNumber, value: inv.number },
      { label: sv.ocr, value: inv.ocr },
      { label: sv.newDueDate, value: rem.newDueDate },
      { label: sv.yourReference, value: inv.buyer.reference },
      { label: sv.ourReference, value: inv.seller.ourReference },
    ];
    const info: Cell[] = [{ label: sv.concernsInvoice, value: `${inv.number} (${inv.issueDate})` }];
    let y = this.letterHead(inv.seller, inv.buyer, sv.reminderTitle, cells, info);

    const c = this.c;
    const para: TextStyle = { size: 10 };
    const textWidth = mm(140);
    c.text(sv.reminderHeading, PAGE.left, y, { size: 13, font: "Helvetica-Bold" });
    y += 22;
    y = c.lines(c.wrap(sv.reminderText, textWidth, para), PAGE.left, y, para, 14) + 16;

    const rows: Array<[string, string, boolean]> = [
      [sv.invoiceNumber, inv.number, false],
      [sv.invoiceDate, inv.issueDate, false],
      [sv.originalDueDate, inv.dueDate, false],
      [sv.invoiceAmount, formatSek(inv.total), false],
      [sv.paidSoFar, formatSek(rem.paid), false],
      [sv.balance, formatSek(rem.balance), true],
      [sv.newDueDate, rem.newDueDate, true],
    ];
    const tableWidth = mm(110);
    c.rule(PAGE.left, PAGE.left + tableWidth, y, COLOR.rule);
    for (const [label, value, strong] of rows) {
      const style = strong ? STYLE.bodyBold : STYLE.body;
      c.text(label, PAGE.left + 4, y + 5, style);
      c.textRight(value, PAGE.left + tableWidth - 4, y + 5, style);
      y += 18;
      c.rule(PAGE.left, PAGE.left + tableWidth, y, COLOR.faintRule);
    }
    y += 16;
    y = c.lines(c.wrap(sv.reminderPayText(rem.newDueDate), textWidth, para), PAGE.left, y, para, 14) + 6;
    y = c.lines(c.wrap(sv.reminderContact(inv.seller.email), textWidth, para), PAGE.left, y, para, 14);

    this.paymentBox(inv.seller, inv.ocr, rem.balance, rem.newDueDate, y, `${sv.reminder} ${inv.number}`);
    this.endLetter(inv.seller);
  }

  // --- pages ----------------------------------------------------------------------------------------------------

  private addPage(): void {
    this.c.flush();
    this.doc.addPage({ size: "A4", margin: 0 });
    this.pages++;
  }

  private startLetter(): void {
    this.letterStart = this.pages;
    this.addPage();
  }

  /** Page numbers are only known at the end, so the footers are drawn last; then the pages are written out. */
  private endLetter(seller: SellerDetails): void {
    this.c.flush();
    const count = this.pages - this.letterStart;
    for (let i = this.letterStart; i < this.pages; i++) {
      this.doc.switchToPage(i);
      this.footer(seller, i - this.letterStart + 1, count);
      this.c.flush();
    }
    this.doc.flushPages();
  }

  /** A new page for content that did not fit: a slim header and the y where content may continue. */
  private continuationPage(seller: SellerDetails, title: string): number {
    this.addPage();
    const c = this.c;
    c.text(seller.name, PAGE.left, PAGE.top, { size: 11, font: "Helvetica-Bold", color: COLOR.accent }, mm(110));
    c.textRight(title, PAGE.right, PAGE.top + 2, { size: 9, color: COLOR.muted }, mm(60));
    c.rule(PAGE.left, PAGE.right, PAGE.top + mm(7), COLOR.rule);
    return PAGE.top + mm(12);
  }

  // --- building blocks --------------------------------------------------------------------------------------------

  /** Wordmark, title, the details box, the window-envelope address and a few facts on the left. */
  private letterHead(seller: SellerDetails, buyer: BuyerDetails, title: string, cells: Cell[], info: Cell[]): number {
    const c = this.c;
    const wordmarkWidth = HEADER_BOX.x - PAGE.left - mm(8);
    // The name as a wordmark: as large as fits on one line (16 down to 12 pt), else on two lines.
    let size = 16;
    while (size > 12 && c.width(seller.name, { size, font: "Helvetica-Bold" }) > wordmarkWidth) size--;
    const wordmark: TextStyle = { size, font: "Helvetica-Bold", color: COLOR.accent };
    let ly = c.lines(c.wrap(seller.name, wordmarkWidth, wordmark, 2), PAGE.left, PAGE.top, wordmark, size * 1.2);
    ly += 3;
    c.text(seller.address.street, PAGE.left, ly, STYLE.small, wordmarkWidth);
    c.text(`${seller.address.postalCode} ${seller.address.city}`, PAGE.left, ly + 9, STYLE.small, wordmarkWidth);

    c.textRight(title, PAGE.right, PAGE.top - 4, { size: 18, font: "Helvetica-Bold", color: COLOR.accent });

    // The details box: rows of two label-over-value cells. A long value (a buyer's reference, which must never
    // be cut) gets a wider cell, then a smaller size, then a second line.
    const inner = HEADER_BOX.width - 12;
    const gap = 8;
    type Placed = { cell: Cell; x: number; lines: string[]; size: number };
    const rows: Array<{ placed: Placed[]; height: number }> = [];
    for (let i = 0; i < cells.length; i += 2) {
      const pair = cells.slice(i, i + 2);
      const need = pair.map((cell) => c.width(cell.value, { ...STYLE.bodyBold }) + gap);
      const total = need.reduce((a, b) => a + b, 0);
      let widths = pair.map(() => inner / pair.length);
      if (pair.length === 2 && need.some((n, k) => n > widths[k]) && total > 0) {
        const first = Math.min(Math.max((need[0] / total) * inner, inner * 0.35), inner * 0.65);
        widths = [first, inner - first];
      }
      let x = HEADER_BOX.x + 6;
      const placed = pair.map((cell, k) => {
        const width = widths[k] - gap;
        let size = 9;
        while (size > 7 && c.width(cell.value, { font: "Helvetica-Bold", size }) > width) size -= 0.5;
        // The buyer's reference is never cut (the municipality routes the invoice by it): as many lines as it needs.
        const lines = c.wrap(
          cell.value,
          width,
          { font: "Helvetica-Bold", size },
          cell.label === sv.yourReference ? Number.POSITIVE_INFINITY : 2,
        );
        const p: Placed = { cell, x, lines, size };
        x += widths[k];
        return p;
      });
      const extra = Math.max(...placed.map((p) => p.lines.length)) - 1;
      rows.push({ placed, height: 19.5 + extra * 8 });
    }
    const boxHeight = rows.reduce((h, r) => h + r.height, 0) + 5;
    c.box(HEADER_BOX.x, HEADER_BOX.y, HEADER_BOX.width, boxHeight, COLOR.boxFill, COLOR.rule);
    let ry = HEADER_BOX.y + 4;
    for (const row of rows) {
      for (const p of row.placed) {
        c.text(p.cell.label, p.x, ry, STYLE.label);
        c.lines(p.lines, p.x, ry + 8, { font: "Helvetica-Bold", size: p.size }, p.size);
      }
      ry += row.height;
    }

    // The address, where the envelope window shows it.
    const addressStyle: TextStyle = { size: 10 };
    let ay = ADDRESS.y;
    ay = c.lines(
      c.wrap(buyer.name, ADDRESS.width, { size: 10, font: "Helvetica-Bold" }, 2),
      ADDRESS.x,
      ay,
      { size: 10, font: "Helvetica-Bold" },
      12.5,
    );
    ay = c.lines(c.wrap(buyer.address.street, ADDRESS.width, addressStyle, 2), ADDRESS.x, ay, addressStyle, 12.5);
    c.text(`${buyer.address.postalCode} ${buyer.address.city}`, ADDRESS.x, ay, addressStyle, ADDRESS.width);
    ay += 12.5 + 6;
    const ids = [`${sv.orgNumber} ${buyer.orgNumber}`];
    if (buyer.municipalityCode) ids.push(`${sv.municipalityCode} ${buyer.municipalityCode}`);
    c.text(ids.join("   "), ADDRESS.x, ay, STYLE.small, ADDRESS.width);
    ay += 10;

    // A few facts on the left, level with the address.
    let iy = ADDRESS.y;
    for (const cell of info) {
      c.text(cell.label, PAGE.left, iy, STYLE.label, wordmarkWidth);
      c.text(cell.value, PAGE.left, iy + 8, STYLE.body, wordmarkWidth);
      iy += 21;
    }
    return Math.max(ay + mm(6), iy + mm(4), BODY_TOP);
  }

  private tableHeader(y: number): number {
    const c = this.c;
    c.fill(PAGE.left, y, CONTENT_WIDTH, 16, COLOR.headerFill);
    const ty = y + 4.5;
    c.text(sv.description, LINES.descX, ty, STYLE.tableHead);
    c.textRight(sv.quantity, LINES.qtyRight, ty, STYLE.tableHead);
    c.textRight(sv.unitPrice, LINES.priceRight, ty, STYLE.tableHead);
    c.textRight(sv.vatRate, LINES.vatRight, ty, STYLE.tableHead);
    c.textRight(sv.amount, LINES.amountRight, ty, STYLE.tableHead);
    return y + 16;
  }

  private lineNotes(line: InvoiceLineDocument, billingYear: number): string[] {
    const notes: string[] = [];
    const small: TextStyle = STYLE.basis;
    if (line.feeBasis) {
      notes.push(...this.c.wrap(feeBasisText(line.feeBasis, billingYear), BASIS_WIDTH, small, 3));
      if (line.feeBasis.overrideNote)
        notes.push(...this.c.wrap(overrideText(line.feeBasis.overrideNote), BASIS_WIDTH, small, 3));
    }
    if (line.shareBasis) notes.push(...this.c.wrap(shareBasisText(line.shareBasis), BASIS_WIDTH, small, 3));
    return notes;
  }

  private lineTable(inv: InvoiceDocument, y: number, continuation: string): number {
    const c = this.c;
    y = this.tableHeader(y);
    for (const line of inv.lines) {
      const description = c.wrap(line.description, DESCRIPTION_WIDTH, STYLE.body, 2);
      const notes = this.lineNotes(line, inv.billingYear);
      const height = 9 + description.length * 11 + notes.length * 8.5;
      if (y + height > PAGE.bottom) {
        y = this.tableHeader(this.continuationPage(inv.seller, `${continuation} (${sv.continued})`));
      }
      const ty = y + 5;
      c.lines(description, LINES.descX, ty, STYLE.body, 11);
      c.textRight(formatInteger(line.quantity), LINES.qtyRight, ty, STYLE.body);
      c.textRight(formatSek(line.unitPrice), LINES.priceRight, ty, STYLE.body);
      c.textRight(vatRateText(line.vatRate), LINES.vatRight, ty, STYLE.body);
      c.textRight(formatSek(line.amount), LINES.amountRight, ty, STYLE.body);
      c.lines(notes, LINES.descX, ty + description.length * 11, STYLE.basis, 8.5);
      y += height;
      c.rule(PAGE.left, PAGE.right, y, COLOR.faintRule);
    }
    return y;
  }

  private totals(inv: InvoiceDocument, y: number, continuation: string): number {
    const c = this.c;
    const width = mm(95);
    const x = PAGE.right - width;
    const labelX = x + 5;
    const right = PAGE.right - 5;
    const rows: Array<{ label: string; amount: string; notes: string[] }> = [
      { label: sv.netTotal, amount: formatSek(inv.net), notes: [] },
    ];
    for (const row of inv.vatSummary) {
      const label = row.rate === 0 ? sv.vat(vatRateText(0)) : sv.vatOn(vatRateText(row.rate), formatSek(row.base));
      const notes = row.rate === 0 && row.exemptionText ? c.wrap(row.exemptionText, width - 10, STYLE.small, 3) : [];
      rows.push({ label, amount: formatSek(row.vat), notes });
    }
    const height = 10 + rows.reduce((h, r) => h + 14 + r.notes.length * 9, 0) + 30;
    if (y + height > PAGE.bottom) y = this.continuationPage(inv.seller, `${continuation} (${sv.continued})`);
    y += 10;
    for (const row of rows) {
      c.text(row.label, labelX, y, STYLE.body, width - 90);
      c.textRight(row.amount, right, y, STYLE.body);
      y = c.lines(row.notes, labelX, y + 12, STYLE.small, 9) + 2;
    }
    y += 3;
    c.rule(x, PAGE.right, y, COLOR.text, 0.8);
    y += 7;
    const big: TextStyle = { size: 12, font: "Helvetica-Bold" };
    c.text(inv.kind === "credit_note" ? sv.toCredit : sv.toPay, labelX, y, big);
    c.textRight(formatSek(inv.total), right, y, big);
    return y + 20;
  }

  /** Where a box of `height` goes: at the foot of the page like a payment slip, or on a new page if it does not fit. */
  private placeAtFoot(y: number, height: number, seller: SellerDetails, continuation: string): number {
    const top = Math.max(y + mm(8), PAGE.bottom - height);
    if (top + height <= PAGE.bottom) return top;
    return this.continuationPage(seller, `${continuation} (${sv.continued})`) + mm(4);
  }

  private paymentBox(
    seller: SellerDetails,
    ocr: string,
    amount: number,
    dueDate: string,
    y: number,
    continuation: string,
  ): void {
    const c = this.c;
    const height = mm(22);
    const top = this.placeAtFoot(y, height, seller, continuation);
    c.box(PAGE.left, top, CONTENT_WIDTH, height, COLOR.boxFill, COLOR.rule);
    c.text(sv.paymentHeading, PAGE.left + 10, top + 8, STYLE.smallBold);
    c.textRight(sv.paymentNote, PAGE.right - 10, top + 8, STYLE.small);
    const cells: Cell[] = [
      { label: sv.bankgiro, value: seller.bankgiro },
      { label: sv.ocr, value: ocr },
      { label: sv.toPay, value: formatSek(amount) },
      { label: sv.dueDate, value: dueDate },
    ];
    const cellWidth = (CONTENT_WIDTH - 20) / cells.length;
    cells.forEach((cell, i) => {
      const x = PAGE.left + 10 + i * cellWidth;
      c.text(cell.label, x, top + 25, STYLE.label, cellWidth - 8);
      c.text(cell.value, x, top + 34, { size: 13, font: "Helvetica-Bold" }, cellWidth - 8);
    });
  }

  /** In place of the payment box: what is credited and why; the amount is in the totals above. */
  private creditBox(inv: InvoiceDocument, y: number, continuation: string): void {
    const c = this.c;
    const inner = CONTENT_WIDTH - 20;
    const credited = inv.creditedInvoice;
    const heading = credited ? sv.creditOf(credited.number, credited.issueDate) : sv.creditNote;
    const reason = credited ? c.wrap(`${sv.creditReason}: ${credited.reason}`, inner, STYLE.body, 3) : [];
    const height = 10 + 17 + reason.length * 12 + 4 + 10 + 8;
    const top = this.placeAtFoot(y, height, inv.seller, continuation);
    c.box(PAGE.left, top, CONTENT_WIDTH, height, COLOR.boxFill, COLOR.rule);
    c.text(heading, PAGE.left + 10, top + 10, { size: 11, font: "Helvetica-Bold" }, inner);
    const ty = c.lines(reason, PAGE.left + 10, top + 27, STYLE.body, 12) + 4;
    c.text(sv.creditNoPayment, PAGE.left + 10, ty, STYLE.small, inner);
  }

  /** On an invoice of a run's file: where to find the allocation of each project it charges. */
  private appendixNote(inv: InvoiceDocument, numbers: number[], y: number, continuation: string): number {
    const c = this.c;
    const lines = c.wrap(sv.sharedAppendicesNote(numberList(numbers)), CONTENT_WIDTH, STYLE.small, 3);
    const height = 6 + lines.length * 9;
    if (y + height > PAGE.bottom) y = this.continuationPage(inv.seller, `${continuation} (${sv.continued})`);
    return c.lines(lines, PAGE.left, y + 6, STYLE.small, 9);
  }

  private appendix(inv: InvoiceDocument, appendix: AllocationAppendix, index: number | null): void {
    const c = this.c;
    const title = `${documentWord(inv)} ${inv.number} – ${sv.appendix(index)}`;
    let y = this.continuationPage(inv.seller, title);
    c.text(index === null ? sv.appendixHeading : sv.appendixNumbered(index), PAGE.left, y, {
      size: 14,
      font: "Helvetica-Bold",
    });
    y += 20;
    c.text(
      sv.project(appendix.projectCode, appendix.projectName, appendix.year),
      PAGE.left,
      y,
      { size: 11, font: "Helvetica-Bold" },
      CONTENT_WIDTH,
    );
    y += 16;
    const isBuyer = (row: AllocationAppendix["rows"][number]): boolean =>
      inv.buyer.municipalityCode !== null && row.municipalityCode !== null
        ? row.municipalityCode === inv.buyer.municipalityCode
        : row.memberName === inv.buyer.name;
    const intro = sv.appendixIntro(
      allocationKeyText(appendix.allocationKey, appendix.basePercent),
      formatSek(appendix.budget),
      appendix.rows.length,
      appendix.rows.some(isBuyer) ? inv.buyer.name : null,
    );
    y = c.lines(c.wrap(intro, CONTENT_WIDTH, STYLE.body, 3), PAGE.left, y, STYLE.body, 12) + 8;
    const adjusted = appendix.invoicedBefore;
    if (adjusted) {
      y =
        c.lines(
          c.wrap(sv.adjustmentIntro(formatSek(adjusted.total), adjusted.reasons), CONTENT_WIDTH, STYLE.body, 6),
          PAGE.left,
          y - 4,
          STYLE.body,
          12,
        ) + 8;
    }
    const byWeight = appendix.allocationKey === "fixed";
    const col = {
      name: PAGE.left + 5,
      code: PAGE.left + mm(62),
      figureRight: PAGE.left + mm(96),
      yearRight: PAGE.left + mm(108),
      shareRight: PAGE.left + mm(138),
      percentRight: PAGE.right - 5,
    };
    const nameWidth = col.code - col.name - 8;
    const header = (hy: number): number => {
      c.fill(PAGE.left, hy, CONTENT_WIDTH, 16, COLOR.headerFill);
      const ty = hy + 4.5;
      c.text(sv.appendixMember, col.name, ty, STYLE.tableHead);
      c.text(sv.municipalityCode, col.code, ty, STYLE.tableHead);
      c.textRight(byWeight ? sv.appendixWeight : sv.appendixPopulation, col.figureRight, ty, STYLE.tableHead);
      if (!byWeight) c.textRight(sv.appendixYear, col.yearRight, ty, STYLE.tableHead);
      // An adjustment's appendix shows both splits: what was invoiced before and the share now.
      c.textRight(adjusted ? sv.appendixInvoiced : sv.appendixShare, col.shareRight, ty, STYLE.tableHead);
      c.textRight(adjusted ? sv.appendixShareNow : sv.appendixPercent, col.percentRight, ty, STYLE.tableHead);
      return hy + 16;
    };
    y = header(y);
    const rowHeight = 16;
    for (const row of appendix.rows) {
      if (y + rowHeight > PAGE.bottom) y = header(this.continuationPage(inv.seller, `${title} (${sv.continued})`));
      const mine = isBuyer(row);
      if (mine) c.fill(PAGE.left, y, CONTENT_WIDTH, rowHeight, COLOR.highlight);
      const style = mine ? STYLE.bodyBold : STYLE.body;
      const ty = y + 4.5;
      c.text(row.memberName, col.name, ty, style, nameWidth);
      c.text(row.municipalityCode ?? "–", col.code, ty, style);
      if (byWeight) c.textRight(row.weight === null ? "–" : formatDecimal(row.weight), col.figureRight, ty, style);
      else {
        c.textRight(row.population === null ? "–" : formatInteger(row.population), col.figureRight, ty, style);
        c.textRight(row.populationYear === null ? "–" : String(row.populationYear), col.yearRight, ty, style);
      }
      if (adjusted) {
        c.textRight(formatSek(row.invoicedBefore ?? 0), col.shareRight, ty, style);
        c.textRight(formatSek(row.share), col.percentRight, ty, style);
      } else {
        c.textRight(formatSek(row.share), col.shareRight, ty, style);
        c.textRight(percentOfBudget(row.share, appendix.budget), col.percentRight, ty, style);
      }
      y += rowHeight;
      c.rule(PAGE.left, PAGE.right, y, COLOR.faintRule);
    }

    if (y + 20 > PAGE.bottom) y = header(this.continuationPage(inv.seller, `${title} (${sv.continued})`));
    c.rule(PAGE.left, PAGE.right, y, COLOR.text, 0.8);
    const ty = y + 5;
    const total = sumOre(appendix.rows.map((r) => r.share));
    c.text(sv.sum, col.name, ty, STYLE.bodyBold);
    const figure = byWeight ? sumWeights(appendix) : sumPopulation(appendix);
    if (figure !== null) c.textRight(figure, col.figureRight, ty, STYLE.bodyBold);
    if (adjusted) {
      c.textRight(formatSek(adjusted.total), col.shareRight, ty, STYLE.bodyBold);
      c.textRight(formatSek(total), col.percentRight, ty, STYLE.bodyBold);
    } else {
      c.textRight(formatSek(total), col.shareRight, ty, STYLE.bodyBold);
      c.textRight(percentOfBudget(total, appendix.budget), col.percentRight, ty, STYLE.bodyBold);
    }
    y += 20;
    const note = populationNoteOf(appendix);
    if (note) {
      const lines = c.wrap(note, CONTENT_WIDTH, STYLE.small, 4);
      if (y + lines.length * 9 > PAGE.bottom) y = this.continuationPage(inv.seller, `${title} (${sv.continued})`);
      c.lines(lines, PAGE.left, y, STYLE.small, 9);
    }
  }

  /**
   * One project-year's allocation in two columns of small rows, from `y`: the same figures as the appendix of a
   * single invoice (member, code, population or weight, share, per cent of the budget) without marking a buyer.
   * The population year gets a column only when the rows differ in it; otherwise the intro states it.
   * Returns the y below the sum row.
   */
  private compactAllocation(
    seller: SellerDetails,
    title: string,
    heading: string,
    appendix: AllocationAppendix,
    y: number,
  ): number {
    const c = this.c;
    c.text(heading, PAGE.left, y, { size: 13, font: "Helvetica-Bold" });
    y += 18;
    c.text(
      sv.project(appendix.projectCode, appendix.projectName, appendix.year),
      PAGE.left,
      y,
      { size: 10, font: "Helvetica-Bold" },
      CONTENT_WIDTH,
    );
    y += 14;
    const byWeight = appendix.allocationKey === "fixed";
    const years = new Set(appendix.rows.map((r) => r.populationYear));
    const commonYear = !byWeight && years.size === 1 ? [...years][0] : null;
    const showYear = !byWeight && years.size > 1;
    const intro =
      sv.appendixIntro(
        allocationKeyText(appendix.allocationKey, appendix.basePercent),
        formatSek(appendix.budget),
        appendix.rows.length,
        null,
      ) +
      (commonYear !== null && commonYear !== undefined ? ` ${sv.compactPopulationYear(commonYear)}` : "") +
      ` ${sv.compactPercentNote}`;
    y = c.lines(c.wrap(intro, CONTENT_WIDTH, STYLE.body, 3), PAGE.left, y, STYLE.body, 12) + 6;

    const text: TextStyle = { size: 7 };
    const bold: TextStyle = { size: 7, font: "Helvetica-Bold" };
    const head: TextStyle = { size: 6.5, font: "Helvetica-Bold" };
    const gutter = 12;
    const width = (CONTENT_WIDTH - gutter) / 2;
    const rowHeight = 10.5;
    const headHeight = 12;

    // Every cell's text first, so that each number column is as wide as its widest value and the names get the rest.
    const cells = appendix.rows.map((row) => ({
      name: row.memberName,
      code: row.municipalityCode ?? "–",
      figure: byWeight
        ? row.weight === null
          ? "–"
          : formatDecimal(row.weight)
        : row.population === null
          ? "–"
          : formatInteger(row.population),
      year: row.populationYear === null ? "–" : String(row.populationYear),
      share: formatSek(row.share, { unit: false }),
      // On an adjustment's appendix the last column is what was invoiced before, beside the share now.
      percent: appendix.invoicedBefore
        ? formatSek(row.invoicedBefore ?? 0, { unit: false })
        : bare(percentOfBudget(row.share, appendix.budget)),
    }));
    const total = sumOre(appendix.rows.map((r) => r.share));
    const sum = {
      figure: (byWeight ? sumWeights(appendix) : sumPopulation(appendix)) ?? "",
      share: formatSek(total, { unit: false }),
      percent: appendix.invoicedBefore
        ? formatSek(appendix.invoicedBefore.total, { unit: false })
        : bare(percentOfBudget(total, appendix.budget)),
    };
    const lastHead = appendix.invoicedBefore ? sv.appendixInvoiced : "%";
    const widest = (header: string, values: string[], extra = ""): number =>
      Math.max(c.width(header, head), c.width(extra, bold), ...values.map((v) => c.width(v, text)));
    const gap = 6;
    const percentWidth = widest(
      lastHead,
      cells.map((r) => r.percent),
      sum.percent,
    );
    const shareWidth = widest(
      sv.compactShare,
      cells.map((r) => r.share),
      sum.share,
    );
    const yearWidth = showYear
      ? widest(
          sv.appendixYear,
          cells.map((r) => r.year),
        )
      : 0;
    // The sum row has no code: its figure may reach into the code column.
    const figureWidth = widest(
      byWeight ? sv.appendixWeight : sv.appendixPopulation,
      cells.map((r) => r.figure),
    );
    const codeWidth = widest(
      sv.compactCode,
      cells.map((r) => r.code),
    );
    const at = (column: number) => {
      const x = PAGE.left + column * (width + gutter);
      const percentRight = x + width - 3;
      const shareRight = percentRight - percentWidth - gap;
      const yearRight = shareRight - shareWidth - gap;
      const figureRight = (showYear ? yearRight - yearWidth : shareRight - shareWidth) - gap;
      const code = figureRight - figureWidth - gap - codeWidth;
      return { x, name: x + 3, nameWidth: code - 4 - (x + 3), code, figureRight, yearRight, shareRight, percentRight };
    };
    const header = (column: number, hy: number): number => {
      const col = at(column);
      c.fill(col.x, hy, width, headHeight, COLOR.headerFill);
      const ty = hy + 3;
      c.text(sv.appendixMember, col.name, ty, head);
      c.text(sv.compactCode, col.code, ty, head);
      c.textRight(byWeight ? sv.appendixWeight : sv.appendixPopulation, col.figureRight, ty, head);
      if (showYear) c.textRight(sv.appendixYear, col.yearRight, ty, head);
      c.textRight(sv.compactShare, col.shareRight, ty, head);
      c.textRight(lastHead, col.percentRight, ty, head);
      return hy + headHeight;
    };

    let top = y;
    let column = 0;
    y = header(column, top);
    /** Room for `height` more in this column, else the next column or page. */
    const room = (height: number): void => {
      if (y + height <= PAGE.bottom) return;
      if (column === 0) column = 1;
      else {
        top = this.continuationPage(seller, `${title} (${sv.continued})`);
        column = 0;
      }
      y = header(column, top);
    };
    for (const cell of cells) {
      room(rowHeight);
      const col = at(column);
      const ty = y + 2;
      c.text(cell.name, col.name, ty, text, col.nameWidth);
      c.text(cell.code, col.code, ty, text);
      c.textRight(cell.figure, col.figureRight, ty, text);
      if (showYear) c.textRight(cell.year, col.yearRight, ty, text);
      c.textRight(cell.share, col.shareRight, ty, text);
      c.textRight(cell.percent, col.percentRight, ty, text);
      y += rowHeight;
      c.rule(col.x, col.x + width, y, COLOR.faintRule, 0.4);
    }
    room(rowHeight + 2);
    const col = at(column);
    c.rule(col.x, col.x + width, y, COLOR.text, 0.8);
    const ty = y + 3;
    c.text(sv.sum, col.name, ty, bold);
    if (sum.figure) c.textRight(sum.figure, col.figureRight, ty, bold);
    c.textRight(sum.share, col.shareRight, ty, bold);
    c.textRight(sum.percent, col.percentRight, ty, bold);
    y += rowHeight + 2;
    const note = [
      appendix.invoicedBefore
        ? sv.adjustmentIntro(formatSek(appendix.invoicedBefore.total), appendix.invoicedBefore.reasons)
        : null,
      populationNoteOf(appendix),
    ]
      .filter(Boolean)
      .join(" ");
    if (note && column === 0) {
      const lines = c.wrap(note, CONTENT_WIDTH, STYLE.small, 6);
      if (y + lines.length * 9 <= PAGE.bottom) y = c.lines(lines, PAGE.left, y + 2, STYLE.small, 9) + 4;
    }
    // The next appendix starts below the longer of the two columns.
    return column === 1 ? Math.max(y, PAGE.bottom) : y;
  }

  private footer(seller: SellerDetails, page: number, of: number): void {
    const c = this.c;
    c.rule(PAGE.left, PAGE.right, PAGE.footerRule, COLOR.rule);
    const y = PAGE.footerRule + 6;
    const lead = 9;
    const colWidth = mm(52);
    const x1 = PAGE.left;
    const x2 = PAGE.left + mm(56);
    const x3 = PAGE.left + mm(112);

    c.text(seller.name, x1, y, STYLE.footerBold, colWidth);
    c.text(seller.address.street, x1, y + lead, STYLE.footer, colWidth);
    c.text(`${seller.address.postalCode} ${seller.address.city}`, x1, y + 2 * lead, STYLE.footer, colWidth);

    const legal = [`${sv.orgNumber} ${seller.orgNumber}`];
    if (seller.vatNumber) legal.push(`${sv.vatNumber} ${seller.vatNumber}`);
    if (seller.fSkatt) legal.push(sv.fSkatt);
    legal.push(seller.email);
    if (seller.phone) legal.push(`${sv.phone} ${seller.phone}`);
    c.lines(
      legal.map((l) => c.fit(l, colWidth, STYLE.footer)),
      x2,
      y,
      STYLE.footer,
      lead,
    );

    const pageText = sv.page(page, of);
    const pageWidth = c.width(pageText, STYLE.footer);
    c.text(`${sv.bankgiro} ${seller.bankgiro}`, x3, y, STYLE.footer, PAGE.right - x3 - pageWidth - 10);
    c.textRight(pageText, PAGE.right, y, STYLE.footer);
    if (seller.footer.trim()) {
      const lines = c.wrap(seller.footer, PAGE.right - x3, STYLE.footer, 3);
      c.lines(lines, x3, y + lead, STYLE.footer, lead);
    }
  }
}

/** "5,23 %" → "5,23": the compact table says % and kr once, in its header. */
function bare(value: string): string {
  return value.replace(/ %$/, "");
}

/** "1–3, 5, 7–10": appendix numbers as an invoice cites them. */
function numberList(numbers: number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(", ");
}

function sumPopulation(appendix: AllocationAppendix): string | null {
  if (appendix.rows.some((r) => r.population === null)) return null;
  return formatInteger(appendix.rows.reduce((sum, r) => sum + (r.population ?? 0), 0));
}

function sumWeights(appendix: AllocationAppendix): string | null {
  if (appendix.rows.some((r) => r.weight === null)) return null;
  return formatDecimal(appendix.rows.reduce((sum, r) => sum.plus(r.weight ?? "0"), new Decimal(0)).toString());
}

/**
 * Which year's population figures an appendix uses and, for every participant whose figure for the year before
 * the billing year is missing, that the latest earlier one was used instead (docs/adjustments.md). Null under
 * keys that use no population.
 */
function populationNoteOf(appendix: AllocationAppendix): string | null {
  if (appendix.allocationKey === "equal" || appendix.allocationKey === "fixed") return null;
  const wanted = appendix.year - 1;
  const fallbacks = appendix.rows
    .filter((r) => r.populationYear !== null && r.populationYear < wanted)
    .map((r) => ({ name: r.memberName, year: r.populationYear! }));
  return sv.populationNote(appendix.year, fallbacks, appendix.rows.filter((r) => r.populationYear !== null).length);
}
