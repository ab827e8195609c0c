import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandTabs, paymentKey, readBgmax, type BgmaxFile } from "../../billing/bgmax";
import { bgmaxFile, paymentRecord } from "../support/bgmax-writer";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../fixtures/bgmax", name));

function read(bytes: Uint8Array): BgmaxFile {
  const result = readBgmax(bytes);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return result.file;
}

function refused(bytes: Uint8Array) {
  const result = readBgmax(bytes);
  if (result.ok) throw new Error("the file was read but should have been refused");
  return result.error;
}

/** A file as lines, to break one of them. */
const linesOf = (b: Buffer) => b.toString("latin1").split("\r\n");
const fromLines = (lines: string[]) => Buffer.from(lines.join("\r\n"), "latin1");

describe("Bankgirot's example file (OCR agreement)", () => {
  const file = read(fixture("fabhed_exempelfil_ocr.txt"));

  it("reads both deposits with their dates and totals", () => {
    expect(file.deposits.map((d) => [d.line, d.bankgiro, d.currency, d.paymentDate, d.total])).toEqual([
      [2, "0009912346", "SEK", "2004-05-25", 190000],
      [24, "0009912346", "SEK", "2004-05-25", 800000],
    ]);
    expect(file.total).toBe(990000);
    expect(file.test).toBe(false);
  });

  it("subtracts the deduction (21): 1 000 + 1 400 − 500 = 1 900 kr", () => {
    const first = file.deposits[0].payments;
    expect(first.map((p) => [p.kind, p.amount])).toEqual([
      ["payment", 100000],
      ["deduction", 50000],
      ["payment", 140000],
    ]);
    expect(first[1]).toMatchObject({ line: 8, reference: "89853", deductionCode: "0" });
  });

  it("gives the extra references (22), the TAB line too, to the payment before them", () => {
    const multi = file.payments.find((p) => p.line === 13)!;
    expect(multi.reference).toBe("657866 658765 657767");
    expect(multi.extraReferences.map((e) => [e.line, e.reference])).toEqual([
      [14, "657866"],
      [15, "658765"],
      [16, "657767"],
      [17, "657965"], // the record whose blanks are TABs
    ]);
    expect(multi.information).toEqual(["Betalning med extra refnr 657965"]);
    const last = file.payments.find((p) => p.line === 40)!;
    expect(last.extraReferences.map((e) => e.reference)).toEqual(["658369", "658468"]);
    expect(last.information).toEqual(["Faktura 658369", "Faktura 658468"]);
  });

  it("reads the payer's records in ISO-8859-1 (å, ä)", () => {
    expect(file.payments[0].payer).toEqual({
      name: "Kalles Plåt AB",
      street: "Storgatan 2",
      postalCode: "12345",
      city: "Storåker",
      country: "",
      orgNumber: "005500001234",
    });
    expect(file.payments.find((p) => p.line === 25)!.payer.name).toBe("Olles färg AB");
  });

  it("keeps every payment's serial number, date, reference code and channel", () => {
    expect(file.payments.map((p) => [p.line, p.serial, p.paidOn, p.referenceCode, p.channel])).toEqual([
      [3, "000000000010", "2004-05-25", "2", "2"],
      [8, "000230000111", "2004-05-25", "3", "2"],
      [13, "000000000014", "2004-05-25", "3", "2"],
      [25, "000000000012", "2004-05-25", "2", "1"],
      [30, "000000000013", "2004-05-25", "1", "3"],
      [35, "000000000016", "2004-05-25", "2", "3"],
      [40, "000000000016", "2004-05-25", "2", "2"],
    ]);
    // Two payments share serial 16 in Bankgirot's own example: their keys still differ.
    expect(new Set(file.payments.map(paymentKey)).size).toBe(file.payments.length);
  });

  it("reads the same with LF line ends as with CRLF", () => {
    const lf = Buffer.from(fixture("fabhed_exempelfil_ocr.txt").toString("latin1").replace(/\r\n/g, "\n"), "latin1");
    expect(read(lf)).toEqual(file);
  });
});

describe("the other sample files", () => {
  it("refuses the UTF-8 file (pybgmax) at its first long line and says why", () => {
    const error = refused(fixture("pybgmax_multipayment.txt"));
    expect(error.line).toBe(4);
    expect(error.message).toContain("81 tecken");
    expect(error.message).toContain("UTF-8");
  });

  it("refuses the file with a deposit in euro (rickardlindgren) at the deposit's opening record", () => {
    const error = refused(fixture("rickardlindgren_exempelfil_ocr.txt"));
    expect(error.line).toBe(50);
    expect(error.message).toMatch(/euro \(EUR\)/);
  });

  it("reads the SEK part of that file when the EUR deposit is not in it", () => {
    const lines = fixture("rickardlindgren_exempelfil_ocr.txt").toString("latin1").split("\n");
    const end = "7000000006000000010000000600000002";
    const sekOnly = [...lines.slice(0, 49), end].join("\n");
    expect(read(Buffer.from(sekOnly, "latin1")).total).toBe(990000);
  });
});

describe("files made by the tests", () => {
  const good = () =>
    bgmaxFile([
      {
        date: "2026-11-30",
        payments: [{ reference: "202600193", amountOre: 1600000, serial: 1, payer: "Dals-Eds kommun" }],
      },
      {
        date: "2026-12-01",
        payments: [
          { reference: "202600290", amountOre: 500050, serial: 2, extraReferences: ["202600391"] },
          { reference: "99", amountOre: 1000, serial: 3, deduction: true },
        ],
      },
    ]);

  it("reads a good file: dates from each deposit, the deduction subtracted", () => {
    const file = read(good());
    expect(file.payments.map((p) => [p.reference, p.amount, p.paidOn, p.kind])).toEqual([
      ["202600193", 1600000, "2026-11-30", "payment"],
      ["202600290", 500050, "2026-12-01", "payment"],
      ["99", 1000, "2026-12-01", "deduction"],
    ]);
    expect(file.total).toBe(1600000 + 500050 - 1000);
    expect(file.payments[0].payer.name).toBe("Dals-Eds kommun");
  });

  it("refuses a deposit whose total does not add up, at its record 15", () => {
    const bytes = bgmaxFile([
      { date: "2026-11-30", total: 1600001, payments: [{ reference: "202600193", amountOre: 1600000, serial: 1 }] },
    ]);
    const error = refused(bytes);
    expect(error.line).toBe(4);
    expect(error.message).toContain("16 000,01 kr");
    expect(error.message).toContain("16 000,00 kr");
  });

  it("refuses a deposit whose count does not add up", () => {
    const error = refused(
      bgmaxFile([{ date: "2026-11-30", count: 2, payments: [{ reference: "1", amountOre: 100, serial: 1 }] }]),
    );
    expect(error).toMatchObject({ line: 4 });
    expect(error.message).toContain("2 betalningar");
  });

  it("refuses a file whose end record counts differ, at the end record", () => {
    for (const end of [{ payments: 3 }, { deductions: 0 }, { extra: 5 }, { deposits: 1 }]) {
      const bytes = bgmaxFile(
        [
          { date: "2026-11-30", payments: [{ reference: "1", amountOre: 100, serial: 1, extraReferences: ["2"] }] },
          {
            date: "2026-11-30",
            payments: [
              { reference: "1", amountOre: 100, serial: 2 },
              { reference: "1", amountOre: 50, serial: 3, deduction: true },
            ],
          },
        ],
        { end },
      );
      const error = refused(bytes);
      expect(error.line, JSON.stringify(end)).toBe(10);
      expect(error.message).toContain("Slutposten");
    }
  });

  it("refuses a file that lost a payment line (the totals no longer add up)", () => {
    const lines = linesOf(good());
    lines.splice(8, 1); // the deduction of the second deposit
    expect(refused(fromLines(lines)).message).toMatch(/Insättningsposten/);
  });

  it("refuses a file cut short: no record 15, no record 70", () => {
    const lines = linesOf(good()).filter(Boolean);
    expect(refused(fromLines(lines.slice(0, 3)))).toMatchObject({
      line: 4,
      message: expect.stringContaining("insättningspost 15"),
    });
    expect(refused(fromLines(lines.slice(0, -1)))).toMatchObject({
      line: lines.length,
      message: expect.stringContaining("slutpost"),
    });
  });

  it("names the line of a record it cannot read", () => {
    const cases: Array<[number, (l: string) => string, RegExp]> = [
      [3, (l) => l.slice(0, 40) + "x" + l.slice(41), /Beloppet för betalningen \(position 38–55\)/],
      [3, (l) => l.slice(0, 57) + "            " + l.slice(69), /löpnummer/],
      [3, (l) => l.slice(0, 55) + "9" + l.slice(56), /Referenskoden/],
      [3, (l) => "24" + l.slice(2), /Okänd posttyp "24"/],
      [3, (l) => l + "X", /81 tecken lång/],
      [3, () => "", /raden är tom/],
      [3, (l) => l.slice(0, 75) + "\u0001" + l.slice(76), /styrtecken/],
      [5, (l) => l.slice(0, 41) + "1332" + l.slice(45), /Betalningsdagen \(20261332\) är inget datum/],
      [1, (l) => "01BGMIN" + l.slice(7), /startposten/],
      [2, (l) => l.slice(0, 22) + "NOK" + l.slice(25), /Valutan/],
    ];
    for (const [line, edit, message] of cases) {
      const lines = linesOf(good());
      lines[line - 1] = edit(lines[line - 1]);
      const error = refused(fromLines(lines));
      expect(error.line, `${message}`).toBe(line);
      expect(error.message).toMatch(message);
    }
  });

  it("refuses records out of place: a name before any payment, a second 05, records after 70", () => {
    const lines = linesOf(good()).filter(Boolean);
    expect(refused(fromLines([lines[0], lines[1], "26Ingen betalning", ...lines.slice(2)])).line).toBe(3);
    expect(refused(fromLines([lines[0], lines[1], lines[1], ...lines.slice(2)])).message).toMatch(/ny öppningspost/);
    expect(refused(fromLines([...lines, lines[2]]))).toMatchObject({
      line: lines.length + 1,
      message: expect.stringContaining("efter slutposten"),
    });
    expect(refused(fromLines([lines[0], lines[2], ...lines.slice(1)])).message).toMatch(/utanför en insättning/);
  });

  it("refuses a UTF-8 byte order mark and an empty file", () => {
    expect(refused(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good()])).message).toMatch(/BOM/);
    expect(refused(Buffer.alloc(0)).line).toBe(1);
  });

  it("reads TABs as blanks up to the next column of 8, and refuses one in a field of digits", () => {
    expect(expandTabs("220003783511\t\t       657965")).toBe("220003783511" + " ".repeat(19) + "657965");
    const lines = linesOf(good());
    lines[2] = lines[2].slice(0, 37) + "\t" + lines[2].slice(45); // TAB inside the amount
    expect(refused(fromLines(lines)).line).toBe(3);
  });

  it("property: any set of payments written with its totals reads back exactly", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.record({
              reference: fc.stringMatching(/^[0-9]{1,25}$/),
              amountOre: fc.integer({ min: 1, max: 10_000_000_000 }),
              deduction: fc.boolean(),
            }),
            { minLength: 1, maxLength: 8 },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (deposits) => {
          // A deposit is money in: its deductions never exceed its payments.
          for (const d of deposits) fc.pre(d.reduce((s, p) => s + (p.deduction ? -p.amountOre : p.amountOre), 0) >= 0);
          let serial = 0;
          const written = deposits.map((payments, i) => ({
            date: `2026-12-${String(i + 1).padStart(2, "0")}`,
            payments: payments.map((p) => ({ ...p, serial: ++serial })),
          }));
          const file = read(bgmaxFile(written));
          const all = written.flatMap((d) => d.payments);
          expect(file.payments.map((p) => [p.reference, p.amount, p.kind === "deduction"])).toEqual(
            all.map((p) => [p.reference, p.amountOre, p.deduction]),
          );
          const signed = all.reduce((s, p) => s + (p.deduction ? -p.amountOre : p.amountOre), 0);
          expect(file.total).toBe(signed);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("writes the records the reader expects (the writer of these tests is itself right)", () => {
    const record = paymentRecord("20", { reference: "202600193", amountOre: 1600000, serial: 7 });
    expect(record).toHaveLength(80);
    expect(record.slice(12, 37).trim()).toBe("202600193");
    expect(record.slice(37, 55)).toBe("000000000001600000");
    expect(record.slice(57, 69)).toBe("000000000007");
  });
});
