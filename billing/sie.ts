import iconv from "iconv-lite";
import { ACCOUNT_NAMES, SIE_CHARGE_KINDS, SIE_VAT_RATES, type SieAccounts } from "./accounts";
import type { InvoiceKind } from "./enums";
import { Decimal, sumOre, type Ore } from "./money";

export * from "./accounts";

/*
 * The SIE 4I file for the accounting program (docs/sie.md): invoices, credit notes and payments of a period in,
 * balanced vouchers and the CP437 bytes out. Pure: the caller gathers the rows and the accounts.
 */

export interface SieInvoice {
  number: number;
  kind: InvoiceKind;
  issueDate: string;
  memberName: string;
  /** The number of the invoice a credit note cancels. */
  creditedNumber: number | null;
  /** The invoice's stored total: the lines must add up to it, or the export stops. */
  total: Ore;
  lines: Array<{ chargeKind: string; amount: Ore; vat: Ore; vatRate: number }>;
}

export interface SiePayment {
  invoiceNumber: number;
  memberName: string;
  paidOn: string;
  amount: Ore;
}

export interface SieTransaction {
  account: string;
  amount: Ore;
}

export interface SieVoucher {
  date: string;
  text: string;
  transactions: SieTransaction[];
}

/** One voucher per invoice or credit note (dated its issue date) and per payment, in date order. */
export function sieVouchers(input: {
  invoices: SieInvoice[];
  payments: SiePayment[];
  accounts: SieAccounts;
}): SieVoucher[] {
  const { accounts } = input;
  const vouchers: Array<SieVoucher & { order: number; seq: number }> = [];
  for (const inv of input.invoices) {
    // Per account, so two kinds booked to one account give one line, in the order the accounts first appear.
    const credit = new Map<string, Ore>();
    const add = (account: string, amount: Ore) => credit.set(account, sumOre([credit.get(account) ?? 0, amount]));
    for (const line of inv.lines) {
      const revenue = (accounts.revenue as Record<string, string>)[line.chargeKind];
      if (!revenue) throw new Error(`no revenue account for the charge kind ${line.chargeKind}`);
      add(revenue, line.amount);
      if (line.vat !== 0) {
        const vatAccount = (accounts.vat as Record<number, string>)[line.vatRate];
        if (!vatAccount) throw new Error(`no VAT account for ${line.vatRate} %`);
        add(vatAccount, line.vat);
      }
    }
    const total = sumOre(inv.lines.flatMap((l) => [l.amount, l.vat]));
    if (total !== inv.total) {
      throw new Error(`invoice ${inv.number}: the lines add up to ${total} öre, the invoice says ${inv.total}`);
    }
    // A 0 kr invoice (a waived fee) moves no money: nothing to book.
    if (total === 0 && [...credit.values()].every((v) => v === 0)) continue;
    const transactions: SieTransaction[] = [{ account: accounts.receivables, amount: total }];
    for (const [account, amount] of credit) if (amount !== 0) transactions.push({ account, amount: 0 - amount });
    const text =
      inv.kind === "credit_note"
        ? `Kreditfaktura ${inv.number}${inv.creditedNumber === null ? "" : ` (krediterar ${inv.creditedNumber})`}, ${inv.memberName}`
        : `Faktura ${inv.number}, ${inv.memberName}`;
    vouchers.push({ date: inv.issueDate, text, transactions, order: 0, seq: inv.number });
  }
  for (const [i, p] of input.payments.entries()) {
    if (p.amount === 0) continue;
    vouchers.push({
      date: p.paidOn,
      text: `Betalning faktura ${p.invoiceNumber}, ${p.memberName}`,
      transactions: [
        { account: accounts.bank, amount: p.amount },
        { account: accounts.receivables, amount: 0 - p.amount },
      ],
      order: 1,
      seq: i,
    });
  }
  vouchers.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order || a.seq - b.seq));
  return vouchers.map(({ date, text, transactions }) => ({ date, text, transactions }));
}

// Writing --------------------------------------------------------------------------------------------------------

/** Characters CP437 lacks that Swedish texts often carry, replaced by their plain kin rather than by "?". */
const PLAIN: Record<string, string> = {
  "–": "-",
  "—": "-",
  "”": '"',
  "“": '"',
  "„": '"',
  "’": "'",
  "‘": "'",
  "´": "'",
  "…": "...",
  "€": "EUR",
  "\u00a0": " ",
};

/**
 * A SIE field (SIE 4B, 5.7): always quoted, a quote inside as \", no control characters (they become spaces).
 * A text ending in a backslash would read as an escaped closing quote, so it gets a space before the quote.
 */
export function sieQuote(text: string): string {
  const clean = [...text]
    .map((c) => PLAIN[c] ?? c)
    .join("")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")
    .replace(/"/g, '\\"');
  return `"${clean}${clean.endsWith("\\") ? " " : ""}"`;
}

/** Öre as SIE writes amounts: a point, two decimals, a minus for credit, no plus. */
export function sieAmount(ore: Ore): string {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`not a whole number of öre: ${ore}`);
  return new Decimal(ore).dividedBy(100).toFixed(2);
}

const sieDate = (iso: string) => iso.replaceAll("-", "");

export interface SieFileInput {
  program: { name: string; version: string };
  generatedOn: string;
  company: { name: string; orgNumber: string };
  accounts: SieAccounts;
  vouchers: SieVoucher[];
}

/** Every account a voucher uses, with the name of its first role; sorted by number. */
export function accountsUsed(accounts: SieAccounts, vouchers: SieVoucher[]): Array<{ account: string; name: string }> {
  const names = new Map<string, string>();
  const roles: Array<[string, string]> = [
    [accounts.receivables, ACCOUNT_NAMES.receivables],
    [accounts.bank, ACCOUNT_NAMES.bank],
    ...SIE_VAT_RATES.map((r): [string, string] => [accounts.vat[r], ACCOUNT_NAMES.vat[r]]),
    ...SIE_CHARGE_KINDS.map((k): [string, string] => [accounts.revenue[k], ACCOUNT_NAMES.revenue[k]]),
  ];
  for (const [account, name] of roles) if (!names.has(account)) names.set(account, name);
  const used = new Set(vouchers.flatMap((v) => v.transactions.map((t) => t.account)));
  return [...used].sort().map((account) => ({ account, name: names.get(account) ?? `Konto ${account}` }));
}

/** The file as text (one record a line, LF). Encode it with sieBytes. */
export function sieText(input: SieFileInput): string {
  const lines = [
    "#FLAGGA 0",
    `#PROGRAM ${sieQuote(input.program.name)} ${sieQuote(input.program.version)}`,
    "#FORMAT PC8",
    `#GEN ${sieDate(input.generatedOn)}`,
    "#SIETYP 4",
    `#ORGNR ${input.company.orgNumber}`,
    `#FNAMN ${sieQuote(input.company.name)}`,
    "#KPTYP BAS2024",
    "#VALUTA SEK",
    ...accountsUsed(input.accounts, input.vouchers).map((a) => `#KONTO ${a.account} ${sieQuote(a.name)}`),
  ];
  for (const v of input.vouchers) {
    const sum = v.transactions.reduce((s, t) => s + BigInt(t.amount), 0n);
    if (sum !== 0n) throw new Error(`unbalanced voucher "${v.text}": ${sum} öre`);
    // Series and number left empty: in a 4I file the accounting program numbers the vouchers in its own series.
    lines.push(`#VER "" "" ${sieDate(v.date)} ${sieQuote(v.text)}`, "{");
    for (const t of v.transactions) lines.push(`   #TRANS ${t.account} {} ${sieAmount(t.amount)}`);
    lines.push("}");
  }
  return lines.join("\n") + "\n";
}

/** CP437 ("PC8"), the only encoding SIE 4 allows; what CP437 cannot hold becomes "?". */
export function sieBytes(text: string): Buffer {
  return iconv.encode(text, "cp437");
}
