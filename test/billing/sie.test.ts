import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  accountSettingsOf,
  accountsFrom,
  BAS_ACCOUNTS,
  sieBytes,
  sieQuote,
  sieText,
  sieVouchers,
  type SieAccounts,
  type SieInvoice,
  type SiePayment,
} from "../../billing/sie";
import { readSie } from "./sie-reader";

const fixture = (name: string) => readFileSync(path.resolve(__dirname, "../fixtures/sie", name));

const company = { name: "Intresseföreningen för Sambruk", orgNumber: "802456-1234" };
const program = { name: "Sambruk Admin", version: "0.1.0" };

function file(invoices: SieInvoice[], payments: SiePayment[], accounts: SieAccounts = BAS_ACCOUNTS): Buffer {
  const vouchers = sieVouchers({ invoices, payments, accounts });
  return sieBytes(sieText({ program, generatedOn: "2026-03-01", company, accounts, vouchers }));
}

const annualFee: SieInvoice = {
  number: 2026001,
  kind: "invoice",
  issueDate: "2026-01-15",
  memberName: "Göteborgs Stad",
  creditedNumber: null,
  total: 4_250_000,
  lines: [
    { chargeKind: "annual_fee", amount: 3_200_000, vat: 0, vatRate: 0 },
    { chargeKind: "project_share", amount: 800_000, vat: 200_000, vatRate: 25 },
    { chargeKind: "project_adjustment", amount: 40_000, vat: 10_000, vatRate: 25 },
  ],
};
const creditNote: SieInvoice = {
  number: 2026002,
  kind: "credit_note",
  issueDate: "2026-02-01",
  memberName: "Åre kommun",
  creditedNumber: 2025017,
  total: -1_600_000,
  lines: [{ chargeKind: "annual_fee", amount: -1_600_000, vat: 0, vatRate: 0 }],
};
const payment: SiePayment = {
  invoiceNumber: 2026001,
  memberName: "Göteborgs Stad",
  paidOn: "2026-02-10",
  amount: 4_250_000,
};

describe("the real files read as an accounting program reads them", () => {
  test.each(["visma-fakturering-FAKT.SI", "BLBLOV_SIE4.SI", "BL0001_typ4I.SI"])(
    "%s imports, every voucher balanced",
    (name) => {
      const sie = readSie(fixture(name));
      expect(sie.errors).toEqual([]);
      expect(sie.vouchers.length).toBeGreaterThan(0);
      for (const v of sie.vouchers) expect(v.transactions.reduce((s, t) => s + t.amountOre, 0n)).toBe(0n);
    },
  );

  test("Visma's file: its company name, accounts and voucher come out as written (CP437 å/ä/ö)", () => {
    const sie = readSie(fixture("visma-fakturering-FAKT.SI"));
    expect(sie.fnamn).toBe("Övningsbolaget AB");
    expect(sie.accounts.get("2611")).toBe("Utg moms försäljning/uttag 25%");
    expect(sie.vouchers[0]).toMatchObject({ series: "B", date: "20110304", text: "Fakturajournal nr 109" });
    expect(sie.vouchers[0].transactions.map((t) => [t.account, t.amountOre])).toEqual([
      ["1510", 800000n],
      ["2611", -160000n],
      ["3051", -640000n],
    ]);
    expect(sie.vouchers[0].transactions[0].text).toBe("Faktnr: 891, Namn: Karl Svensson");
  });

  test("the unbalanced file is refused for its vouchers", () => {
    const sie = readSie(fixture("BLBLOV_SIE4_UTF_8_IMBALANCED.SI"));
    expect(sie.errors.filter((e) => e.includes("does not balance"))).toHaveLength(2);
  });

  test("the file without a company name is refused for it", () => {
    expect(readSie(fixture("BLBLOV_SIE4_UTF_8_with_missing_company_name.SI")).errors).toEqual([
      "#FNAMN missing or empty",
    ]);
  });
});

describe("our file", () => {
  test("reads back: the required records, a #KONTO for every account used, the vouchers as booked", () => {
    const sie = readSie(file([annualFee, creditNote], [payment]));
    expect(sie.errors).toEqual([]);
    expect(sie).toMatchObject({
      flagga: "0",
      format: "PC8",
      sietyp: "4",
      gen: "20260301",
      fnamn: company.name,
      orgnr: company.orgNumber,
    });
    expect(sie.program).toEqual(["Sambruk Admin", "0.1.0"]);
    const used = new Set(sie.vouchers.flatMap((v) => v.transactions.map((t) => t.account)));
    expect([...used].filter((a) => !sie.accounts.has(a))).toEqual([]);
    expect([...sie.accounts.keys()]).toEqual([...used].sort());
    expect(sie.vouchers.map((v) => [v.date, v.text])).toEqual([
      ["20260115", "Faktura 2026001, Göteborgs Stad"],
      ["20260201", "Kreditfaktura 2026002 (krediterar 2025017), Åre kommun"],
      ["20260210", "Betalning faktura 2026001, Göteborgs Stad"],
    ]);
    const tx = (i: number) => sie.vouchers[i].transactions.map((t) => [t.account, t.amountOre]);
    // Debit receivables with the total; credit the revenue of each kind and the VAT of each rate.
    expect(tx(0)).toEqual([
      ["1510", 4250000n],
      ["3010", -3200000n],
      ["3020", -800000n],
      ["2611", -210000n],
      ["3021", -40000n],
    ]);
    // A credit note is the mirror image: credit receivables, debit revenue.
    expect(tx(1)).toEqual([
      ["1510", -1600000n],
      ["3010", 1600000n],
    ]);
    expect(tx(2)).toEqual([
      ["1930", 4250000n],
      ["1510", -4250000n],
    ]);
    expect(sie.vouchers.every((v) => v.series === "" && v.number === "")).toBe(true);
  });

  test("å, ä, ö, Å, Ä, Ö, é and ü survive CP437, one byte each", () => {
    const names = "Åre Älvdalen Östersund Håbo Hällefors Mölndal Pitéå Münster";
    const bytes = file([{ ...creditNote, memberName: names }], []);
    expect(readSie(bytes).vouchers[0].text).toContain(names);
    // CP437: å 0x86, ä 0x84, ö 0x94, Å 0x8F, Ä 0x8E, Ö 0x99.
    for (const b of [0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99]) expect(bytes.includes(b)).toBe(true);
    expect(bytes.toString("latin1")).not.toMatch(/Ã/);
  });

  test("quotes, backslashes and control characters in a name cannot break a record", () => {
    expect(sieQuote('Bolaget "Ett" AB')).toBe('"Bolaget \\"Ett\\" AB"');
    expect(sieQuote("a\tb\r\nc")).toBe('"a b  c"');
    expect(sieQuote("C:\\")).toBe('"C:\\ "');
    const sie = readSie(file([{ ...annualFee, memberName: 'Kommun "X" {1} \\ #TRANS 1930 {} 5\n}' }], []));
    expect(sie.errors).toEqual([]);
    expect(sie.vouchers).toHaveLength(1);
    expect(sie.vouchers[0].transactions).toHaveLength(5);
  });

  test("accounts from the settings, with the BAS defaults for whatever is not set", () => {
    const accounts = accountsFrom({
      receivables: "1511",
      annual_fee: "3890",
      project_share: "junk",
      vat25: "2610",
      other: "1234",
    });
    expect(accounts).toEqual({
      ...BAS_ACCOUNTS,
      receivables: "1511",
      vat: { ...BAS_ACCOUNTS.vat, 25: "2610" },
      revenue: { ...BAS_ACCOUNTS.revenue, annual_fee: "3890" },
    });
    expect(accountsFrom({})).toEqual(BAS_ACCOUNTS);
    expect(accountsFrom(accountSettingsOf(accounts))).toEqual(accounts);
    const sie = readSie(file([annualFee], [payment], accounts));
    expect(sie.vouchers[0].transactions[0].account).toBe("1511");
    expect(sie.accounts.get("3890")).toBe("Medlemsavgifter");
  });

  test("a 0 kr invoice books nothing; lines that do not add up to the invoice stop the export", () => {
    expect(
      sieVouchers({
        invoices: [{ ...annualFee, total: 0, lines: [{ chargeKind: "entry_fee", amount: 0, vat: 0, vatRate: 0 }] }],
        payments: [],
        accounts: BAS_ACCOUNTS,
      }),
    ).toEqual([]);
    expect(() => sieVouchers({ invoices: [{ ...annualFee, total: 1 }], payments: [], accounts: BAS_ACCOUNTS })).toThrow(
      /add up/,
    );
  });

  test("property: every voucher of any set of invoices, credit notes and payments sums to 0 and reads back", () => {
    const kind = fc.constantFrom("entry_fee", "annual_fee", "project_share", "project_adjustment");
    const rate = fc.constantFrom(0, 6, 12, 25);
    const line = fc
      .record({ chargeKind: kind, amount: fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }), vatRate: rate })
      .map((l) => ({
        ...l,
        vat: l.vatRate === 0 ? 0 : Math.trunc((l.amount * l.vatRate) / 100),
      }));
    const invoice = fc
      .record({
        number: fc.integer({ min: 1, max: 99_999_999 }),
        lines: fc.array(line, { minLength: 1, maxLength: 6 }),
        day: fc.integer({ min: 1, max: 28 }),
      })
      .map((r): SieInvoice => ({
        number: r.number,
        kind: "invoice",
        issueDate: `2026-01-${String(r.day).padStart(2, "0")}`,
        memberName: "Ödeshögs kommun",
        creditedNumber: null,
        total: r.lines.reduce((s, l) => s + l.amount + l.vat, 0),
        lines: r.lines,
      }));
    const pay = fc
      .record({
        amount: fc.integer({ min: 1, max: 10_000_000_000 }),
        invoiceNumber: fc.integer({ min: 1, max: 9_999 }),
      })
      .map((p): SiePayment => ({ ...p, memberName: "Älmhults kommun", paidOn: "2026-03-31" }));
    fc.assert(
      fc.property(fc.array(invoice, { maxLength: 8 }), fc.array(pay, { maxLength: 8 }), (invoices, payments) => {
        const vouchers = sieVouchers({ invoices, payments, accounts: BAS_ACCOUNTS });
        for (const v of vouchers) expect(v.transactions.reduce((s, t) => s + BigInt(t.amount), 0n)).toBe(0n);
        const sie = readSie(file(invoices, payments));
        expect(sie.errors).toEqual([]);
        expect(sie.vouchers).toHaveLength(vouchers.length);
      }),
      { numRuns: 100 },
    );
  });
});
