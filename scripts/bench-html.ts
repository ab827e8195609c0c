/*
 * The same invoice as billing/pdf.ts prints it, as one self-contained HTML page for the Chromium comparison of
 * scripts/bench.ts (docs/quality.md#speed: "a warm headless Chromium takes ~50 ms for the same invoice"): the same content and
 * a comparable A4 layout (details box, window-envelope address, the lines with their basis, VAT, payment box,
 * footer), no external resources.
 */
import type { InvoiceDocument } from "../billing/invoice-document";
import { formatSek } from "../billing/money";
import { feeBasisText, shareBasisText, sv, vatRateText } from "../billing/pdf-text";

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function invoiceHtml(doc: InvoiceDocument): string {
  const cell = (label: string, value: string) =>
    `<div class="cell"><span>${esc(label)}</span><b>${esc(value)}</b></div>`;
  const lines = doc.lines
    .map((l) => {
      const notes = [
        l.feeBasis ? feeBasisText(l.feeBasis, doc.billingYear) : null,
        l.shareBasis ? shareBasisText(l.shareBasis) : null,
      ]
        .filter((n): n is string => n !== null)
        .map((n) => `<div class="basis">${esc(n)}</div>`)
        .join("");
      // As on the PDF, the basis is a sub-row of its own across the whole table.
      return `<tr class="line"><td>${esc(l.description)}</td><td class="n">${l.quantity}</td><td class="n">${esc(formatSek(l.unitPrice))}</td><td class="n">${esc(vatRateText(l.vatRate))}</td><td class="n">${esc(formatSek(l.amount))}</td></tr><tr><td colspan="5">${notes}</td></tr>`;
    })
    .join("");
  const vat = doc.vatSummary
    .map(
      (r) =>
        `<tr><td>${esc(sv.vat(vatRateText(r.rate)))}${r.exemptionText ? `<div class="basis">${esc(r.exemptionText)}</div>` : ""}</td><td class="n">${esc(formatSek(r.vat))}</td></tr>`,
    )
    .join("");
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>${esc(sv.invoice)} ${esc(doc.number)}</title><style>
@page { size: A4; margin: 15mm 20mm 12mm 20mm; }
body { font: 9pt Helvetica, Arial, "Liberation Sans", sans-serif; color: #1a1a1a; margin: 0; }
header { display: flex; justify-content: space-between; }
.seller b { font-size: 16pt; color: #1d3557; display: block; }
.seller, .basis, footer { color: #5f6368; font-size: 7.5pt; }
h1 { font-size: 18pt; color: #1d3557; margin: 0 0 4mm; text-align: right; }
.box { width: 78mm; background: #f5f6f8; border: 0.6pt solid #c9ced6; border-radius: 3pt; padding: 4pt 6pt; display: grid; grid-template-columns: 1fr 1fr; gap: 4pt; }
.cell span { display: block; font-size: 7pt; color: #5f6368; } .cell b { font-size: 9pt; }
.address { margin: 8mm 0 0 92mm; font-size: 10pt; line-height: 12.5pt; }
.facts { margin-top: -22mm; width: 80mm; height: 22mm; }
table { width: 100%; border-collapse: collapse; margin-top: 10mm; }
th { background: #eef0f3; text-align: left; font-size: 8pt; padding: 4pt; }
td { padding: 0 4pt 3pt; border-bottom: 0.5pt solid #e3e6ea; vertical-align: top; }
tr.line td { padding-top: 3pt; padding-bottom: 0; border-bottom: 0; }
.n { text-align: right; white-space: nowrap; }
.totals { width: 95mm; margin: 4mm 0 0 auto; } .totals table { margin: 0; } .totals td { border: 0; }
.topay td { font-size: 12pt; font-weight: bold; border-top: 0.8pt solid #1a1a1a; }
.payment { margin-top: 6mm; background: #f5f6f8; border: 0.6pt solid #c9ced6; border-radius: 3pt; padding: 8pt 10pt; display: grid; grid-template-columns: repeat(4, 1fr); }
.payment b { display: block; font-size: 13pt; } .payment span { font-size: 7pt; color: #5f6368; }
footer { position: fixed; bottom: 0; left: 0; right: 0; border-top: 0.5pt solid #c9ced6; padding-top: 4pt; display: grid; grid-template-columns: 1fr 1fr 1fr; font-size: 7pt; }
</style></head><body>
<header><div class="seller"><b>${esc(doc.seller.name)}</b>${esc(doc.seller.address.street)}<br>${esc(doc.seller.address.postalCode)} ${esc(doc.seller.address.city)}</div>
<div><h1>${esc(sv.invoiceTitle)}</h1><div class="box">${cell(sv.invoiceNumber, doc.number)}${cell(sv.invoiceDate, doc.issueDate)}${cell(sv.dueDate, doc.dueDate)}${cell(sv.ocr, doc.ocr)}${cell(sv.yourReference, doc.buyer.reference)}${cell(sv.ourReference, doc.seller.ourReference)}</div></div></header>
<div class="address"><b>${esc(doc.buyer.name)}</b><br>${esc(doc.buyer.address.street)}<br>${esc(doc.buyer.address.postalCode)} ${esc(doc.buyer.address.city)}<br><small>${esc(sv.orgNumber)} ${esc(doc.buyer.orgNumber)}${doc.buyer.municipalityCode ? ` ${esc(sv.municipalityCode)} ${esc(doc.buyer.municipalityCode)}` : ""}</small></div>
<div class="facts">${cell(sv.billingYear, String(doc.billingYear))}</div>
<table><thead><tr><th>${esc(sv.description)}</th><th class="n">${esc(sv.quantity)}</th><th class="n">${esc(sv.unitPrice)}</th><th class="n">${esc(sv.vatRate)}</th><th class="n">${esc(sv.amount)}</th></tr></thead><tbody>${lines}</tbody></table>
<div class="totals"><table><tr><td>${esc(sv.netTotal)}</td><td class="n">${esc(formatSek(doc.net))}</td></tr>${vat}<tr class="topay"><td>${esc(sv.toPay)}</td><td class="n">${esc(formatSek(doc.total))}</td></tr></table></div>
<div class="payment"><div><span>${esc(sv.bankgiro)}</span><b>${esc(doc.seller.bankgiro)}</b></div><div><span>${esc(sv.ocr)}</span><b>${esc(doc.ocr)}</b></div><div><span>${esc(sv.toPay)}</span><b>${esc(formatSek(doc.total))}</b></div><div><span>${esc(sv.dueDate)}</span><b>${esc(doc.dueDate)}</b></div></div>
<footer><div><b>${esc(doc.seller.name)}</b><br>${esc(doc.seller.address.street)}<br>${esc(doc.seller.address.postalCode)} ${esc(doc.seller.address.city)}</div><div>${esc(sv.orgNumber)} ${esc(doc.seller.orgNumber)}<br>${esc(doc.seller.email)}</div><div>${esc(sv.bankgiro)} ${esc(doc.seller.bankgiro)}<br>${esc(doc.seller.footer)}</div></footer>
</body></html>`;
}
