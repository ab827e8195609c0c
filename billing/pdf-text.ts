import type { AllocationKey, InvoiceKind } from "./enums";
import type { FeeBasis, ShareBasis } from "./invoice-document";
import { bracketRangeText, OVERRIDE_BRACKET } from "./fees";
import { Decimal, formatInteger, formatSek, type Ore } from "./money";

/** An invoice or a credit note in words: printed on the documents and shown by the pages (app/lib/i18n.ts). */
export const invoiceKindLabel: Record<InvoiceKind, string> = { invoice: "Faktura", credit_note: "Kreditfaktura" };

/** Every Swedish word printed on an invoice, reminder or appendix. */
export const sv = {
  fSkatt: "Godkänd för F-skatt",
  invoice: invoiceKindLabel.invoice,
  invoiceTitle: "FAKTURA",
  creditNote: invoiceKindLabel.credit_note,
  creditNoteTitle: "KREDITFAKTURA",
  reminder: "Påminnelse",
  reminderTitle: "PÅMINNELSE",
  invoiceNumber: "Fakturanummer",
  creditNoteNumber: "Kreditfakturanummer",
  invoiceDate: "Fakturadatum",
  dueDate: "Förfallodatum",
  ocr: "OCR-nummer",
  yourReference: "Er referens",
  ourReference: "Vår referens",
  reminderDate: "Påminnelsedatum",
  reminderOf: (number: string) => `Påminnelse faktura ${number}`,
  reminderHeading: "Påminnelse om obetald faktura",
  concernsInvoice: "Avser faktura",
  creditedInvoice: "Krediterar faktura",
  creditedInvoiceDate: "Daterad",
  subject: (what: string, buyer: string) => `${what} till ${buyer}`,
  invoicesTitle: (range: string) => `Fakturor ${range}`,
  invoicesSubject: (n: number, range: string) => `${n} ${n === 1 ? "faktura" : "fakturor"}, ${range}`,
  appendix: (n: number | null) => (n === null ? "Bilaga" : `Bilaga ${n}`),
  project: (code: string, name: string, year: number) => `Projekt ${code} ${name}, ${year}`,
  orgNumber: "Org.nr",
  municipalityCode: "Kommunkod",
  vatNumber: "Momsreg.nr",
  bankgiro: "Bankgiro",
  phone: "Telefon",
  paymentTerms: "Betalningsvillkor",
  days: (n: number) => `${n} dagar netto`,
  billingYear: "Avser verksamhetsår",
  description: "Beskrivning",
  quantity: "Antal",
  unitPrice: "À-pris",
  vatRate: "Moms %",
  amount: "Belopp",
  netTotal: "Summa exkl. moms",
  vat: (rate: string) => `Moms ${rate}`,
  vatOn: (rate: string, base: string) => `Moms ${rate} på ${base}`,
  toPay: "Att betala",
  toCredit: "Belopp att kreditera",
  paymentHeading: "Betalningsinformation",
  paymentNote: "Ange OCR-nummer vid betalning.",
  creditOf: (number: string, date: string) => `Kreditering av faktura ${number} daterad ${date}`,
  creditReason: "Orsak",
  creditNoPayment: "Kreditfakturan ska inte betalas. Beloppet regleras mot den krediterade fakturan.",
  page: (n: number, of: number) => `Sida ${n} av ${of}`,
  continued: "forts.",
  appendixHeading: "Bilaga: fördelning av projektkostnad",
  appendixNumbered: (n: number) => `Bilaga ${n}: fördelning av projektkostnad`,
  appendixIntro: (key: string, budget: string, participants: number, buyer: string | null) =>
    `Fördelningsnyckel: ${key}. Budget ${budget}, ${participants} deltagare.` +
    (buyer ? ` Raden för ${buyer} är markerad.` : ""),
  appendixMember: "Medlem",
  appendixPopulation: "Invånare",
  appendixYear: "År",
  appendixWeight: "Vikt",
  appendixShare: "Andel",
  appendixPercent: "Andel av budget",
  sum: "Summa",
  appendixInvoiced: "Fakturerat",
  appendixShareNow: "Andel nu",
  adjustmentIntro: (before: string, reasons: string[]) =>
    `Justering: fördelningen har ändrats sedan andelarna fakturerades${reasons.length ? ` (${reasons.join("; ")})` : ""}. ` +
    `Fakturerat är vad varje deltagare fakturerats netto tidigare (totalt ${before}), Andel nu dess andel av den aktuella fördelningen; skillnaden faktureras eller krediteras.`,
  populationNote: (billingYear: number, fallbacks: Array<{ name: string; year: number }>, rows: number) =>
    `Invånarantalen avser 31 december ${billingYear - 1} (andelar för ${billingYear} bygger på föregående års siffra).` +
    (fallbacks.length === 0
      ? ""
      : fallbacks.length === rows && new Set(fallbacks.map((f) => f.year)).size === 1
        ? ` Siffran för ${billingYear - 1} saknas ännu för alla deltagare; därför används den senast kända, från ${fallbacks[0].year}.`
        : ` Siffran för ${billingYear - 1} saknas för ${fallbacks.map((f) => `${f.name} (senast kända: ${f.year})`).join(", ")}; därför används den senast kända.`),
  sharedAppendicesTitle: (range: string | null) => (range === null ? "Bilagor" : `Bilagor till fakturorna ${range}`),
  sharedAppendicesHeading: "Bilagor: fördelning av projektkostnader",
  sharedAppendicesIntro: (range: string | null, n: number) =>
    `Varje bilaga visar hur ett projekts kostnad för året har fördelats: alla deltagare, deras underlag och andelar. ` +
    `${n === 1 ? "Bilagan gäller" : `De ${n} bilagorna gäller`} ${range === null ? "fakturan" : `fakturorna ${range}`} i denna fil; ` +
    `varje faktura anger vilka bilagor som hör till den.`,
  compactCode: "Kod",
  compactShare: "Andel, kr",
  compactPopulationYear: (year: number) => `Invånare 31 dec ${year}.`,
  compactPercentNote: "Andelarna i kronor; % = andel av budget.",
  sharedAppendicesNote: (numbers: string) =>
    `Fördelningen av projektkostnaderna med alla deltagares andelar finns i bilaga ${numbers} i slutet av denna fil.`,
  reminderText:
    "Enligt våra noteringar har vi ännu inte fått betalt för fakturan nedan. Om betalningen redan är gjord kan ni bortse från denna påminnelse.",
  reminderPayText: (date: string) =>
    `Vänligen betala återstående belopp senast ${date}. Ange OCR-numret vid betalning.`,
  reminderContact: (email: string) => `Har ni frågor om fakturan? Kontakta oss på ${email}.`,
  originalDueDate: "Ursprungligt förfallodatum",
  invoiceAmount: "Fakturabelopp",
  paidSoFar: "Betalt hittills",
  balance: "Kvar att betala",
  newDueDate: "Nytt förfallodatum",
  keys: {
    per_capita: "per invånare",
    equal: "lika delar",
    fixed: "fast fördelning",
    base_plus_per_capita: "grundbelopp plus per invånare",
  } satisfies Record<AllocationKey, string>,
} as const;

// WinAnsiEncoding is Windows-1252: Latin-1, plus 27 printable characters in 0x80–0x9F, where Latin-1 has control
// codes (written out here: Node's TextDecoder treats "windows-1252" as Latin-1).
const CP1252_80_TO_9F = "€_‚ƒ„…†‡ˆ‰Š‹Œ_Ž__‘’“”•–—˜™š›œ_žŸ";
const HIGH_TO_BYTE = new Map<number, number>();
[...CP1252_80_TO_9F].forEach((ch, i) => {
  if (ch !== "_") HIGH_TO_BYTE.set(ch.codePointAt(0) ?? 0, 0x80 + i);
});
const BYTE_TO_HIGH = new Map([...HIGH_TO_BYTE].map(([code, byte]) => [byte, code]));

/** The WinAnsi byte of a UTF-16 code unit; "?" for one without (text is passed through toWinAnsi first). */
export function winAnsiByte(code: number): number {
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  return HIGH_TO_BYTE.get(code) ?? 0x3f;
}

/** The Unicode code point that a WinAnsi byte prints. */
export function winAnsiToUnicode(byte: number): number {
  return BYTE_TO_HIGH.get(byte) ?? byte;
}

const FALLBACKS: Record<string, string> = { ł: "l", Ł: "L", đ: "d", Đ: "D", ı: "i", "−": "-", "\u2009": " " };

function printable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || HIGH_TO_BYTE.has(code);
}

const LATIN_1_PRINTABLE = /^[\x20-\x7e\xa0-\xff]*$/;

/**
 * User text (member names, addresses, references) as the standard fonts can print it. pdfkit writes a
 * character outside WinAnsi as a garbled hex code, and a control character breaks its hex string, so those
 * are replaced: line breaks and tabs by a space, accented letters by their base letter, the rest by "?".
 */
export function toWinAnsi(text: string): string {
  if (LATIN_1_PRINTABLE.test(text)) return text;
  let out = "";
  let clean = true;
  for (const ch of text) {
    if (printable(ch)) {
      out += ch;
      continue;
    }
    clean = false;
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      out += " ";
      continue;
    }
    const fallback = FALLBACKS[ch];
    if (fallback !== undefined) {
      out += fallback;
      continue;
    }
    const base = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    out += base.length > 0 && [...base].every(printable) ? base : "?";
  }
  return clean ? text : out.replace(/ {2,}/g, " ").trim();
}

/** "33.5" → "33,5"; weights and percentages are decimal strings, never floats. */
export function formatDecimal(value: string): string {
  return new Decimal(value).toString().replace(".", ",");
}

export function formatPercent(value: string): string {
  return `${formatDecimal(value)} %`;
}

/** The share as a per cent of the budget with two decimals, computed exactly (no float): 5 784 / 100 000 → "5,78 %". */
export function percentOfBudget(share: Ore, budget: Ore): string {
  if (budget === 0) return "0,00 %";
  return `${new Decimal(share).times(100).dividedBy(budget).toFixed(2).replace(".", ",")} %`;
}

function populationText(population: number, year: number | null, billingYear: number): string {
  if (year === null) return `invånare: ${formatInteger(population)}`;
  const note = year < billingYear - 1 ? ` (senast kända siffra, år ${year})` : "";
  return `invånare 31 dec ${year}: ${formatInteger(population)}${note}`;
}

/** "Avgiftsklass: 10 000–100 000 invånare, invånare 31 dec 2024: 71 420" */
export function feeBasisText(basis: FeeBasis, billingYear: number): string {
  // "override" is the code of a fee set by the board, not a bracket: the reader sees the decision, not the code.
  // The bracket prints its boundaries in the schedule it was charged under (docs/fees.md#bracket-texts).
  const parts = [
    basis.bracket === OVERRIDE_BRACKET
      ? "Avgift enligt styrelsebeslut"
      : `Avgiftsklass: ${basis.range ? bracketRangeText(basis.range) : basis.bracket}`,
  ];
  if (basis.population !== null) parts.push(populationText(basis.population, basis.populationYear, billingYear));
  return parts.join(", ");
}

export function overrideText(note: string): string {
  return `Styrelsebeslut: ${note}`;
}

function fallbackNote(basis: ShareBasis): string {
  return basis.populationYear !== null && basis.populationYear < basis.year - 1
    ? ` (senast kända siffra, år ${basis.populationYear})`
    : "";
}

function perCapitaPart(basis: ShareBasis): string {
  if (basis.population === null || basis.totalPopulation === null) return "invånare saknas";
  return `${formatInteger(basis.population)} av ${formatInteger(basis.totalPopulation)} invånare${fallbackNote(basis)}`;
}

/**
 * "Projekt P-001 E-arkiv 2026, fördelning per invånare: 71 420 av 1 234 567 invånare, budget 1 000 000,00 kr":
 * enough for the municipality to redo the arithmetic.
 */
export function shareBasisText(basis: ShareBasis): string {
  const project = `Projekt ${basis.projectCode} ${basis.projectName} ${basis.year}`;
  const budget = `budget ${formatSek(basis.budget)}`;
  const n = basis.participantCount;
  switch (basis.allocationKey) {
    case "per_capita":
      return `${project}, fördelning per invånare: ${perCapitaPart(basis)}, ${budget}`;
    case "equal":
      return `${project}, lika delar: 1 av ${formatInteger(n)} deltagare, ${budget}`;
    case "fixed": {
      const weight = basis.weight === null ? "–" : formatDecimal(basis.weight);
      const total = basis.totalWeight === null ? "–" : formatDecimal(basis.totalWeight);
      return `${project}, fast fördelning: vikt ${weight} av ${total}, ${budget}`;
    }
    case "base_plus_per_capita": {
      const base = basis.basePercent ?? "0";
      const rest = new Decimal(100).minus(base).toString();
      return (
        `${project}, ${formatPercent(base)} lika delar, ${formatPercent(rest)} per invånare: ` +
        `${formatInteger(n)} deltagare, ${perCapitaPart(basis)}, ${budget}`
      );
    }
  }
}

/** The key as the appendix heading describes it: "per invånare", "20 % lika delar, 80 % per invånare". */
export function allocationKeyText(key: AllocationKey, basePercent: string | null): string {
  if (key !== "base_plus_per_capita") return sv.keys[key];
  const base = basePercent ?? "0";
  return `${formatPercent(base)} lika delar, ${formatPercent(new Decimal(100).minus(base).toString())} per invånare`;
}

export function vatRateText(rate: number): string {
  return `${rate} %`;
}

/** Whole days from one YYYY-MM-DD date to another (the payment terms). */
export function daysBetween(from: string, to: string): number | null {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.round((b - a) / 86_400_000);
}

/** A YYYY-MM-DD date as the PDF's creation date, so the same input always gives the same bytes. */
export function dateAtNoonUtc(date: string): Date {
  const parsed = new Date(`${date}T12:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? new Date(0) : parsed;
}
