/*
 * Writes BgMax files for tests, by Bankgirot's positions (docs/bgmax.md), in ISO-8859-1 with CRLF. Totals are
 * computed from the payments unless a test overrides them to make a broken file.
 */
export interface WrittenPayment {
  reference: string;
  amountOre: number;
  serial: number;
  payer?: string;
  payerBankgiro?: string;
  deduction?: boolean;
  extraReferences?: string[];
}

export interface WrittenDeposit {
  date: string; // YYYY-MM-DD
  payments: WrittenPayment[];
  currency?: string;
  total?: number; // override
  count?: number; // override
}

const pad = (value: string | number, width: number) => String(value).padStart(width, "0");
const right = (text: string, width: number) => text.padStart(width, " ").slice(0, width);
const left = (text: string, width: number) => text.padEnd(width, " ").slice(0, width);

export function paymentRecord(
  type: "20" | "21" | "22" | "23",
  p: { payerBankgiro?: string; reference: string; amountOre: number; serial: number },
): string {
  const line =
    type +
    pad(p.payerBankgiro ?? "0009912346", 10) +
    right(p.reference, 25) +
    pad(p.amountOre, 18) +
    (type === "21" ? "3" : "2") +
    "1" +
    pad(p.serial, 12) +
    "0" +
    (type === "21" ? "0" : "");
  return left(line, 80);
}

export function bgmaxFile(
  deposits: WrittenDeposit[],
  options: { bankgiro?: string; end?: Partial<Record<"payments" | "deductions" | "extra" | "deposits", number>> } = {},
): Buffer {
  const lines: string[] = [left("01BGMAX               0120261130120000000000P", 80)];
  const counts = { payments: 0, deductions: 0, extra: 0, deposits: 0 };
  for (const d of deposits) {
    const currency = d.currency ?? "SEK";
    lines.push(left(`05${pad(options.bankgiro ?? "9912346", 10)}          ${currency}`, 80));
    let total = 0;
    for (const p of d.payments) {
      const type = p.deduction ? "21" : "20";
      lines.push(paymentRecord(type, p));
      total += p.deduction ? -p.amountOre : p.amountOre;
      if (p.deduction) counts.deductions++;
      else counts.payments++;
      for (const extra of p.extraReferences ?? []) {
        lines.push(paymentRecord("22", { ...p, reference: extra, amountOre: 0 }));
        counts.extra++;
      }
      if (p.payer) lines.push(left(`26${p.payer}`, 80));
    }
    counts.deposits++;
    lines.push(
      left(
        `15${pad("58410000010098", 35)}${d.date.replace(/-/g, "")}${pad(counts.deposits, 5)}${pad(d.total ?? total, 18)}${currency}${pad(d.count ?? d.payments.length, 8)}`,
        80,
      ),
    );
  }
  const end = { ...counts, ...options.end };
  lines.push(left(`70${pad(end.payments, 8)}${pad(end.deductions, 8)}${pad(end.extra, 8)}${pad(end.deposits, 8)}`, 80));
  return Buffer.from(lines.join("\r\n") + "\r\n", "latin1");
}
