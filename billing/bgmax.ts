import type { PaymentEntryKind } from "./enums";
import { formatSek, type Ore } from "./money";

/*
 * A strict reader of Bankgirot's BgMax file of incoming payments (docs/bgmax.md). Bytes in, a parsed file or the
 * first line that could not be read out; nothing in between: a treasurer must never register half a file. The
 * file's own totals (each deposit's record 15 and the end record 70) are checked against what was read, so a file
 * that lost or gained a line is refused whole.
 */

/** A record 20 (payment) or 21 (deduction): the kinds of PAYMENT_ENTRY_KINDS. */
export type BgmaxRecordKind = PaymentEntryKind;

export interface BgmaxExtraReference {
  line: number;
  /** "22" adds a reference the payment pays; "23" is a negative reference (e.g. a credit note deducted). */
  type: "22" | "23";
  reference: string;
  amount: Ore;
}

export interface BgmaxPayer {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  orgNumber: string;
}

export interface BgmaxPayment {
  line: number;
  kind: BgmaxRecordKind;
  payerBankgiro: string;
  /** The reference as the payer gave it (trimmed): an OCR number when `referenceCode` is 2. */
  reference: string;
  referenceCode: string;
  channel: string;
  /** Bankgirot's serial number of the payment (löpnummer), 12 digits. */
  serial: string;
  /** Always positive; a deduction's amount is taken from the deposit. */
  amount: Ore;
  deductionCode: string | null;
  extraReferences: BgmaxExtraReference[];
  information: string[];
  payer: BgmaxPayer;
  /** The deposit's payment date (record 15), YYYY-MM-DD. */
  paidOn: string;
}

export interface BgmaxDeposit {
  line: number;
  bankgiro: string;
  currency: string;
  paymentDate: string;
  depositSerial: string;
  /** Payments minus deductions, as record 15 states it (and as the payments add up to). */
  total: Ore;
  payments: BgmaxPayment[];
}

export interface BgmaxFile {
  layoutVersion: string;
  /** The file's creation time as written in record 01, YYYYMMDDhhmmssuuuuuu. */
  timestamp: string;
  test: boolean;
  deposits: BgmaxDeposit[];
  /** Σ of the deposits' totals. */
  total: Ore;
  payments: BgmaxPayment[];
}

export interface BgmaxError {
  line: number;
  message: string;
}

export type BgmaxResult = { ok: true; file: BgmaxFile } | { ok: false; error: BgmaxError };

export const BGMAX_LINE_LENGTH = 80;
/** Bankgirot pays out in kronor here; an EUR deposit cannot pay a SEK invoice (docs/decisions/013-bgmax-reading.md). */
export const BGMAX_CURRENCY = "SEK";

class ReadError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Replaces each TAB by the blanks up to the next multiple of 8, as the text editor that wrote it would show it. */
export function expandTabs(text: string): string {
  if (!text.includes("\t")) return text;
  let out = "";
  for (const ch of text) {
    if (ch === "\t") out += " ".repeat(8 - (out.length % 8));
    else out += ch;
  }
  return out;
}

function isValidUtf8WithMultibyte(bytes: Uint8Array): boolean {
  if (!bytes.some((b) => b >= 0x80)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** ISO-8859-1 maps every byte to the code point of the same value. */
function decodeLatin1(bytes: Uint8Array): string {
  let out = "";
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return out;
}

function isoDate(yyyymmdd: string, line: number, what: string): string {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const probe = new Date(Date.UTC(2000, m - 1, d));
  probe.setUTCFullYear(y);
  if (
    !/^\d{8}$/.test(yyyymmdd) ||
    m < 1 ||
    m > 12 ||
    probe.getUTCMonth() !== m - 1 ||
    probe.getUTCDate() !== d ||
    y < 1900
  ) {
    throw new ReadError(line, `${what} (${yyyymmdd}) är inget datum`);
  }
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** One 80-character record, read by Bankgirot's positions (counted from 1, inclusive). */
class BgmaxLine {
  constructor(
    readonly line: number,
    readonly text: string,
  ) {}
  get type(): string {
    return this.text.slice(0, 2);
  }
  raw(from: number, to: number): string {
    return this.text.slice(from - 1, to);
  }
  text_(from: number, to: number): string {
    return this.raw(from, to).trim();
  }
  digits(from: number, to: number, what: string): string {
    const value = this.raw(from, to);
    if (!/^\d+$/.test(value)) {
      throw new ReadError(this.line, `${what} (position ${from}–${to}) ska vara siffror men är "${value.trimEnd()}"`);
    }
    return value;
  }
  count(from: number, to: number, what: string): number {
    return Number(this.digits(from, to, what));
  }
  amount(from: number, to: number, what: string): Ore {
    const value = BigInt(this.digits(from, to, what));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ReadError(this.line, `${what} är orimligt stort`);
    return Number(value);
  }
  blank(from: number, to: number, what: string): void {
    if (this.raw(from, to).trim() !== "") {
      throw new ReadError(
        this.line,
        `${what} (position ${from}–${to}) ska vara tomt men innehåller "${this.raw(from, to).trim()}"`,
      );
    }
  }
  oneOf(at: number, allowed: string, what: string): string {
    const value = this.raw(at, at);
    if (!allowed.includes(value) || value === "") {
      throw new ReadError(
        this.line,
        `${what} (position ${at}) är "${value}", väntat ett av ${[...allowed].join(", ")}`,
      );
    }
    return value;
  }
}

const RECORD_NAMES: Record<string, string> = {
  "01": "startpost",
  "05": "öppningspost",
  "15": "insättningspost",
  "20": "betalningspost",
  "21": "avdragspost",
  "22": "extra referensnummerpost",
  "23": "extra referensnummerpost (minus)",
  "25": "informationspost",
  "26": "namnpost",
  "27": "adresspost 1",
  "28": "adresspost 2",
  "29": "organisationsnummerpost",
  "70": "slutpost",
};

/** Splits the text into records: CRLF or LF, TABs expanded, at most 80 characters, trailing blank lines ignored. */
function recordsOf(bytes: Uint8Array): BgmaxLine[] {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new ReadError(
      1,
      "Filen börjar med ett UTF-8-märke (BOM): den är sparad om i ett annat program. BgMax-filer är ISO-8859-1; ladda ner filen från banken igen",
    );
  }
  const text = decodeLatin1(bytes);
  const lines = text.split("\n");
  // A file ends with a line break or not; blank lines after the last record carry nothing.
  while (lines.length && lines[lines.length - 1].replace(/\r$/, "").trim() === "") lines.pop();
  const utf8 = isValidUtf8WithMultibyte(bytes);
  return lines.map((rawLine, i) => {
    const line = i + 1;
    const withoutCr = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    const expanded = expandTabs(withoutCr);
    if (/[\u0000-\u001f\u007f]/.test(expanded)) {
      throw new ReadError(line, "raden innehåller ett styrtecken som inte hör hemma i en BgMax-fil");
    }
    if (expanded.trim() === "") throw new ReadError(line, "raden är tom");
    if (expanded.length > BGMAX_LINE_LENGTH) {
      const hint = utf8
        ? " Filen är sparad som UTF-8, inte ISO-8859-1 som Bankgirot skickar den (å, ä och ö tar då två tecken): ladda ner filen från banken igen och ladda upp den utan att öppna och spara den i ett annat program."
        : "";
      throw new ReadError(
        line,
        `raden är ${expanded.length} tecken lång; en BgMax-post är högst ${BGMAX_LINE_LENGTH}.${hint}`,
      );
    }
    return new BgmaxLine(line, expanded.padEnd(BGMAX_LINE_LENGTH, " "));
  });
}

function readPayment(r: BgmaxLine, kind: BgmaxRecordKind): Omit<BgmaxPayment, "paidOn"> {
  const name = kind === "payment" ? "betalningen" : "avdraget";
  const payerBankgiro = r.digits(3, 12, "Avsändarens bankgironummer");
  const reference = r.text_(13, 37);
  const amount = r.amount(38, 55, `Beloppet för ${name}`);
  const referenceCode = r.oneOf(56, "012345", "Referenskoden");
  const channel = r.oneOf(57, "1234", "Betalningskanalen");
  const serial = r.raw(58, 69);
  if (!/^\d{12}$/.test(serial)) {
    throw new ReadError(
      r.line,
      `Bankgirots löpnummer (position 58–69) saknas eller är inte siffror ("${serial.trim()}"): utan det kan samma betalning läsas in två gånger`,
    );
  }
  const image = r.raw(70, 70);
  if (!"01 ".includes(image))
    throw new ReadError(r.line, `Bildmarkeringen (position 70) är "${image}", väntat 0 eller 1`);
  let deductionCode: string | null = null;
  if (kind === "deduction") {
    deductionCode = r.oneOf(71, "0123", "Avdragskoden");
    r.blank(72, 80, "Slutet av avdragsposten");
  } else {
    r.blank(71, 80, "Slutet av betalningsposten");
  }
  return {
    line: r.line,
    kind,
    payerBankgiro,
    reference,
    referenceCode,
    channel,
    serial,
    amount,
    deductionCode,
    extraReferences: [],
    information: [],
    payer: { name: "", street: "", postalCode: "", city: "", country: "", orgNumber: "" },
  };
}

function parse(records: BgmaxLine[]): BgmaxFile {
  if (records.length === 0) throw new ReadError(1, "Filen är tom");
  const first = records[0];
  if (first.type !== "01" || first.text_(3, 22) !== "BGMAX") {
    throw new ReadError(
      1,
      'Filen börjar inte med BgMax-startposten ("01BGMAX"): det är ingen BgMax-fil från Bankgirot',
    );
  }
  const layoutVersion = first.digits(23, 24, "Layoutversionen");
  const timestamp = first.digits(25, 44, "Tidsstämpeln");
  isoDate(timestamp.slice(0, 8), 1, "Tidsstämpelns datum");
  const testMark = first.oneOf(45, "PT", "Test-/produktionsmarkeringen");
  first.blank(46, 80, "Slutet av startposten");

  const deposits: BgmaxDeposit[] = [];
  const counts = { payments: 0, deductions: 0, extra: 0, deposits: 0 };
  let deposit: { line: number; bankgiro: string; currency: string; payments: Omit<BgmaxPayment, "paidOn">[] } | null =
    null;
  let current: Omit<BgmaxPayment, "paidOn"> | null = null;
  let ended = false;

  for (const r of records.slice(1)) {
    if (ended) throw new ReadError(r.line, "Det finns poster efter slutposten (70)");
    const type = r.type;
    if (!(type in RECORD_NAMES) || type === "01") {
      throw new ReadError(r.line, `Okänd posttyp "${type}": en BgMax-post börjar med 05, 15, 20–29 eller 70`);
    }
    if (type === "05") {
      if (deposit)
        throw new ReadError(
          r.line,
          `En ny öppningspost (05) innan insättningen från rad ${deposit.line} avslutats med en insättningspost (15)`,
        );
      const bankgiro = r.digits(3, 12, "Mottagarens bankgironummer");
      const currency = r.raw(23, 25);
      if (currency !== BGMAX_CURRENCY) {
        throw new ReadError(
          r.line,
          currency === "EUR"
            ? "Insättningen är i euro (EUR). Föreningens fakturor är i kronor, så en EUR-betalning kan inte prickas av mot dem: ta hand om den för sig och be banken om en fil med bara SEK-insättningar"
            : `Valutan (position 23–25) är "${currency.trim()}", väntat SEK`,
        );
      }
      deposit = { line: r.line, bankgiro, currency, payments: [] };
      current = null;
      continue;
    }
    if (type === "70") {
      if (deposit)
        throw new ReadError(
          r.line,
          `Slutposten (70) kommer innan insättningen från rad ${deposit.line} avslutats med en insättningspost (15)`,
        );
      const want = {
        payments: r.count(3, 10, "Antalet betalningsposter"),
        deductions: r.count(11, 18, "Antalet avdragsposter"),
        extra: r.count(19, 26, "Antalet extra referensnummerposter"),
        deposits: r.count(27, 34, "Antalet insättningsposter"),
      };
      r.blank(35, 80, "Slutet av slutposten");
      const labels = {
        payments: "betalningsposter (20)",
        deductions: "avdragsposter (21)",
        extra: "extra referensnummerposter (22/23)",
        deposits: "insättningsposter (15)",
      } as const;
      for (const key of Object.keys(want) as Array<keyof typeof want>) {
        if (want[key] !== counts[key]) {
          throw new ReadError(
            r.line,
            `Slutposten säger ${want[key]} ${labels[key]}, filen har ${counts[key]}: filen är inte hel och läses inte in`,
          );
        }
      }
      ended = true;
      continue;
    }
    if (!deposit)
      throw new ReadError(
        r.line,
        `En ${RECORD_NAMES[type]} (${type}) utanför en insättning (ingen öppningspost 05 före)`,
      );
    if (type === "15") {
      r.digits(3, 37, "Mottagarens bankkontonummer");
      const paymentDate = isoDate(r.digits(38, 45, "Betalningsdagen"), r.line, "Betalningsdagen");
      const depositSerial = r.digits(46, 50, "Insättningens löpnummer");
      const total = r.amount(51, 68, "Insättningsbeloppet");
      const currency = r.raw(69, 71);
      if (currency !== deposit.currency)
        throw new ReadError(
          r.line,
          `Valutan (position 69–71) är "${currency.trim()}" men insättningen öppnades i ${deposit.currency}`,
        );
      const count = r.count(72, 79, "Antalet betalningar");
      let sum = 0;
      for (const p of deposit.payments) sum += p.kind === "payment" ? p.amount : -p.amount;
      if (!Number.isSafeInteger(sum)) throw new ReadError(r.line, "Insättningens belopp är orimligt stort");
      if (count !== deposit.payments.length) {
        throw new ReadError(
          r.line,
          `Insättningsposten säger ${count} betalningar och avdrag, insättningen från rad ${deposit.line} har ${deposit.payments.length}: filen är inte hel och läses inte in`,
        );
      }
      if (sum !== total) {
        throw new ReadError(
          r.line,
          `Insättningsposten säger ${formatSek(total)}, betalningarna minus avdragen blir ${formatSek(sum)}: filen läses inte in`,
        );
      }
      deposits.push({
        line: deposit.line,
        bankgiro: deposit.bankgiro,
        currency: deposit.currency,
        paymentDate,
        depositSerial,
        total,
        payments: deposit.payments.map((p) => ({ ...p, paidOn: paymentDate })),
      });
      counts.deposits++;
      deposit = null;
      current = null;
      continue;
    }
    if (type === "20" || type === "21") {
      current = readPayment(r, type === "20" ? "payment" : "deduction");
      deposit.payments.push(current);
      if (type === "20") counts.payments++;
      else counts.deductions++;
      continue;
    }
    // 22–29 describe the payment just before them.
    if (!current) throw new ReadError(r.line, `En ${RECORD_NAMES[type]} (${type}) utan betalningspost (20) före`);
    switch (type) {
      case "22":
      case "23": {
        r.digits(3, 12, "Avsändarens bankgironummer");
        const reference = r.text_(13, 37);
        if (reference === "") throw new ReadError(r.line, "Det extra referensnumret (position 13–37) är tomt");
        const amount = r.amount(38, 55, "Beloppet");
        r.oneOf(56, "012345", "Referenskoden");
        r.oneOf(57, "1234", "Betalningskanalen");
        r.digits(58, 69, "Bankgirots löpnummer");
        current.extraReferences.push({ line: r.line, type, reference, amount });
        counts.extra++;
        break;
      }
      case "25":
        current.information.push(r.text_(3, 52));
        r.blank(53, 80, "Slutet av informationsposten");
        break;
      case "26":
        current.payer.name = [r.text_(3, 37), r.text_(38, 72)].filter(Boolean).join(" ");
        r.blank(73, 80, "Slutet av namnposten");
        break;
      case "27":
        current.payer.street = r.text_(3, 37);
        current.payer.postalCode = r.text_(38, 46);
        r.blank(47, 80, "Slutet av adressposten");
        break;
      case "28":
        current.payer.city = r.text_(3, 37);
        current.payer.country = r.text_(38, 72);
        r.blank(75, 80, "Slutet av adressposten");
        break;
      case "29":
        current.payer.orgNumber = r.digits(3, 14, "Organisationsnumret");
        r.blank(15, 80, "Slutet av organisationsnummerposten");
        break;
    }
  }
  if (deposit)
    throw new ReadError(
      records.length + 1,
      `Filen slutar innan insättningen från rad ${deposit.line} avslutats (ingen insättningspost 15): den är inte hel`,
    );
  if (!ended) throw new ReadError(records.length + 1, "Filen slutar utan slutpost (70): den är inte hel");
  let total = 0;
  for (const d of deposits) total += d.total;
  return {
    layoutVersion,
    timestamp,
    test: testMark === "T",
    deposits,
    total,
    payments: deposits.flatMap((d) => d.payments),
  };
}

/** Reads a BgMax file as the bank delivers it. */
export function readBgmax(bytes: Uint8Array): BgmaxResult {
  try {
    return { ok: true, file: parse(recordsOf(bytes)) };
  } catch (error) {
    if (error instanceof ReadError) return { ok: false, error: { line: error.line, message: error.message } };
    throw error;
  }
}

/**
 * What identifies one payment across files: Bankgirot's serial number together with the day, the payer's
 * bankgiro, the kind, the reference and the amount. The serial alone is not enough: Bankgirot's own example file
 * gives serial 16 to two different payments of the same deposit (docs/decisions/013-bgmax-reading.md). The same
 * payment delivered twice (the same file again, or a file that overlaps another) has the same key.
 */
export function paymentKey(p: BgmaxPayment): string {
  return [p.paidOn, p.serial, p.payerBankgiro, p.kind, p.reference, p.amount].join("|");
}
