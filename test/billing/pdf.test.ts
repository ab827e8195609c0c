import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { AllocationAppendix, InvoiceDocument, ShareBasis } from "../../billing/invoice-document";
import { formatInteger, formatSek, sumOre } from "../../billing/money";
import { renderInvoicePdf, renderInvoicesPdf, renderReminderPdf } from "../../billing/pdf";
import { fastTextActive } from "../../billing/pdf-fonts";
import { percentOfBudget, shareBasisText, toWinAnsi } from "../../billing/pdf-text";
import {
  EXEMPTION_TEXT,
  MUNICIPALITIES,
  PROJECTS,
  largeAppendix,
  ocrFor,
  sampleCreditNoteDocument,
  sampleInvoiceDocument,
  sampleReminderDocument,
} from "../fixtures/invoice-document";

// poppler-utils (pdftotext, pdfinfo) is a test dependency: CI installs it; without it these tests fail, never skip.
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "sambruk-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function save(pdf: Buffer): string {
  const file = join(dir, `doc-${++fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** The text of each page as pdftotext -layout extracts it, with no-break spaces made plain. */
async function pages(pdf: Buffer): Promise<string[]> {
  const { stdout } = await run("pdftotext", ["-layout", "-enc", "UTF-8", save(pdf), "-"]);
  const all = stdout.replace(/\u00a0/g, " ").split("\f");
  return all.slice(0, -1); // pdftotext ends every page with a form feed
}

async function text(pdf: Buffer): Promise<string> {
  return (await pages(pdf)).join("\n");
}

/** Whitespace collapsed, for text that the layout may wrap or space out. */
function flat(s: string): string {
  return s.replace(/\s+/g, " ");
}

interface Word {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Every word with its box (points from the top-left corner), from pdftotext -bbox. */
async function words(pdf: Buffer): Promise<Word[]> {
  const { stdout } = await run("pdftotext", ["-bbox", "-enc", "UTF-8", save(pdf), "-"]);
  const result: Word[] = [];
  const re = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of stdout.matchAll(re)) {
    result.push({ xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4], text: m[5] });
  }
  return result;
}

const A4_WIDTH = 595.28;
const A4_HEIGHT = 841.89;
const MARGIN = (20 * 72) / 25.4; // 20 mm

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe("the sample fixture", () => {
  it("has Luhn-valid organisation numbers and OCR with the right length digit", () => {
    const doc = sampleInvoiceDocument();
    expect(luhnValid(doc.seller.orgNumber.replace("-", ""))).toBe(true);
    expect(luhnValid(doc.buyer.orgNumber.replace("-", ""))).toBe(true);
    expect(doc.buyer.orgNumber).toBe("212000-1397");
    expect(doc.ocr).toBe("202600193");
    expect(luhnValid(doc.ocr)).toBe(true);
    expect(Number(doc.ocr.at(-2)) % 10).toBe(doc.ocr.length % 10);
    expect(ocrFor("2026104")).toHaveLength(9);
  });

  it("has shares that add up to every budget to the öre", () => {
    const doc = sampleInvoiceDocument();
    expect(doc.lines).toHaveLength(11);
    for (const appendix of doc.appendices) expect(sumOre(appendix.rows.map((r) => r.share))).toBe(appendix.budget);
    expect(doc.appendices[0].rows).toHaveLength(MUNICIPALITIES.length);
    expect(doc.total).toBe(sumOre(doc.lines.map((l) => l.amount)));
    const big = largeAppendix(40);
    expect(sumOre(big.rows.map((r) => r.share))).toBe(big.budget);
  });
});

describe("renderInvoicePdf", () => {
  it("prints everything a Swedish municipality needs to book and pay the invoice", async () => {
    const doc = sampleInvoiceDocument();
    const pdfPages = await pages(await renderInvoicePdf(doc));
    const all = pdfPages.join("\n");
    const first = pdfPages[0];

    expect(first).toContain("FAKTURA");
    expect(first).toContain("Fakturanummer");
    expect(first).toContain("2026001");
    expect(first).toContain("202600193");
    expect(first).toContain("2026-01-15");
    expect(first).toContain("2026-02-14");
    expect(first).toContain("Kst 1234 / Per Persson");
    expect(first).toContain("Anna Kassör");
    expect(first).toContain("Mölndals kommun");
    expect(first).toContain("431 82 Mölndal");
    expect(first).toContain("Org.nr 212000-1397");
    expect(first).toContain("Kommunkod 1481");
    // The fee line, with its basis and the fallback population year.
    expect(first).toMatch(/Årsavgift 2026\s+1\s+16 000,00 kr\s+0 ?%\s+16 000,00 kr/);
    expect(first).toContain("Avgiftsklass: 10 000–100 000 invånare, invånare 31 dec 2024: 71 420");
    expect(first).toContain("(senast kända siffra, år 2024)");
    expect(flat(first)).toContain(
      "Projekt P-001 E-arkiv 2026, fördelning per invånare: 71 420 av 1 364 919 invånare (senast kända siffra, år 2024), budget 1 000 000,00 kr",
    );
    // Totals, VAT and what to pay.
    const total = formatSek(doc.total);
    expect(total).toBe("466 446,12 kr");
    expect(first).toMatch(new RegExp(`Summa exkl\\. moms\\s+${total}`));
    expect(first).toContain(EXEMPTION_TEXT);
    expect(first).toMatch(new RegExp(`Att betala\\s+${total}`));
    expect(first).toContain("Betalningsinformation");
    expect(first).toMatch(/Bankgiro\s+OCR-nummer\s+Att betala\s+Förfallodatum/);
    expect(first).toMatch(new RegExp(`5050-1055\\s+202600193\\s+${total}\\s+2026-02-14`));
    // The footer: the seller's legal details on every page, and page numbers.
    expect(pdfPages).toHaveLength(2);
    pdfPages.forEach((page, i) => {
      expect(page).toContain(`Sida ${i + 1} av 2`);
      expect(page).toContain("Org.nr 802400-1235");
      expect(page).toContain("Bankgiro 5050-1055");
      expect(page).toContain("kansli@sambruk.example");
      expect(page).toContain("Box 1234");
    });
    expect(all).not.toContain("Momsreg.nr"); // the demo association is not VAT-registered
    expect(all).not.toContain("F-skatt");
    // The appendix: every participant, and a sum row equal to the budget.
    const appendix = pdfPages[1];
    expect(appendix).toContain("Bilaga: fördelning av projektkostnad");
    expect(appendix).toContain("Projekt P-001 E-arkiv, 2026");
    expect(appendix).toMatch(/Medlem\s+Kommunkod\s+Invånare\s+År\s+Andel\s+Andel av budget/);
    for (const row of doc.appendices[0].rows) {
      expect(appendix).toMatch(
        new RegExp(`${row.memberName}\\s+${row.municipalityCode}\\s+[\\d ]+\\s+2024\\s+${formatSek(row.share)}`),
      );
    }
    expect(appendix).toMatch(/Mölndals kommun\s+1481\s+71 420\s+2024\s+52 325,45 kr\s+5,23 %/);
    expect(appendix).toMatch(/Summa\s+1 364 919\s+1 000 000,00 kr\s+100,00 %/);
  });

  it("says nothing about an older population figure when the figure of the year before is used", async () => {
    const doc = sampleInvoiceDocument();
    const lines = doc.lines.map((line) => ({
      ...line,
      feeBasis: line.feeBasis && { ...line.feeBasis, populationYear: 2025 },
      shareBasis: line.shareBasis && { ...line.shareBasis, populationYear: 2025 },
    }));
    const out = await text(await renderInvoicePdf({ ...doc, lines, appendices: [] }));
    expect(out).toContain("invånare 31 dec 2025: 71 420");
    expect(out).not.toContain("senast kända");
  });

  it("prints a board decision and the bases of every allocation key", async () => {
    const doc = sampleInvoiceDocument({ appendices: [] });
    const basis = doc.lines[1].shareBasis as ShareBasis;
    const lines = [
      {
        ...doc.lines[0],
        feeBasis: {
          bracket: "medium",
          range: { min: 10_000, max: 100_000 },
          population: 71420,
          populationYear: 2025,
          overrideNote: "Inträdesavgiften efterges (styrelsen 2025-11-20 § 7)",
        },
      },
      { ...doc.lines[1], shareBasis: { ...basis, allocationKey: "equal" as const, participantCount: 12 } },
      {
        ...doc.lines[2],
        shareBasis: { ...basis, allocationKey: "fixed" as const, weight: "33.5", totalWeight: "100" },
      },
      { ...doc.lines[3], shareBasis: { ...basis, allocationKey: "base_plus_per_capita" as const, basePercent: "20" } },
    ];
    const fixedAppendix: AllocationAppendix = {
      projectCode: "P-011",
      projectName: "Gemensam upphandling",
      year: 2026,
      allocationKey: "fixed",
      basePercent: null,
      budget: 1_000_000,
      rows: [
        {
          memberName: "Mölndals kommun",
          municipalityCode: "1481",
          population: null,
          populationYear: null,
          weight: "33.5",
          share: 335_000,
        },
        {
          memberName: "Partille kommun",
          municipalityCode: "1402",
          population: null,
          populationYear: null,
          weight: "33.5",
          share: 335_000,
        },
        {
          memberName: "Göteborgs Stad",
          municipalityCode: "1480",
          population: null,
          populationYear: null,
          weight: "33",
          share: 330_000,
        },
      ],
    };
    const pdfPages = await pages(await renderInvoicePdf({ ...doc, lines, appendices: [fixedAppendix] }));
    expect(pdfPages[1]).toContain("Fördelningsnyckel: fast fördelning. Budget 10 000,00 kr, 3 deltagare.");
    expect(pdfPages[1]).toMatch(/Medlem\s+Kommunkod\s+Vikt\s+Andel\s+Andel av budget/);
    expect(pdfPages[1]).toMatch(/Mölndals kommun\s+1481\s+33,5\s+3 350,00 kr\s+33,50 %/);
    expect(pdfPages[1]).toMatch(/Summa\s+100\s+10 000,00 kr\s+100,00 %/);
    const out = flat(pdfPages[0]);
    expect(out).toContain("Styrelsebeslut: Inträdesavgiften efterges (styrelsen 2025-11-20 § 7)");
    expect(out).toContain("Projekt P-001 E-arkiv 2026, lika delar: 1 av 12 deltagare, budget 1 000 000,00 kr");
    expect(out).toContain("fast fördelning: vikt 33,5 av 100, budget 1 000 000,00 kr");
    expect(out).toContain("20 % lika delar, 80 % per invånare: 15 deltagare, 71 420 av 1 364 919 invånare");
  });

  it("prints VAT per rate and the seller's VAT number when there is VAT", async () => {
    const doc = sampleInvoiceDocument({ appendices: [] });
    const service = {
      ...doc.lines[0],
      description: "Workshop för e-tjänsteutveckling",
      unitPrice: 1_000_000,
      amount: 1_000_000,
      vatRate: 25,
      vat: 250_000,
      feeBasis: null,
    };
    const out = await text(
      await renderInvoicePdf({
        ...doc,
        seller: { ...doc.seller, vatNumber: "SE802400123501" },
        lines: [...doc.lines, service],
        net: doc.net + 1_000_000,
        vat: 250_000,
        total: doc.total + 1_250_000,
        vatSummary: [...doc.vatSummary, { rate: 25, base: 1_000_000, vat: 250_000, exemptionText: null }],
      }),
    );
    expect(out).toMatch(/Workshop för e-tjänsteutveckling\s+1\s+10 000,00 kr\s+25 ?%\s+10 000,00 kr/);
    expect(out).toMatch(/Summa exkl\. moms\s+476 446,12 kr/);
    expect(out).toMatch(/Moms 25 % på 10 000,00 kr\s+2 500,00 kr/);
    expect(out).toMatch(/Att betala\s+478 946,12 kr/);
    expect(out).toContain("Momsreg.nr SE802400123501");
  });

  it("shows a credit note as Kreditfaktura with negative amounts and no payment instruction", async () => {
    const doc = sampleCreditNoteDocument();
    const out = await text(await renderInvoicePdf(doc));
    expect(out).toContain("KREDITFAKTURA");
    expect(out).toContain("Kreditfakturanummer");
    expect(out).toContain("2026104");
    expect(out).toContain("Kreditering av faktura 2026001 daterad 2026-01-15");
    expect(flat(out)).toContain("Orsak: Fakturan ställdes ut på fel kostnadsställe; en ny faktura skickas.");
    expect(out).toMatch(/Belopp att kreditera\s+-466 446,12 kr/);
    expect(out).toMatch(/Årsavgift 2026\s+1\s+-16 000,00 kr\s+0 ?%\s+-16 000,00 kr/);
    expect(out).not.toContain("Betalningsinformation");
    expect(out).not.toContain("OCR-nummer");
    expect(out).not.toContain("Att betala");
    expect(out).toContain("Sida 1 av 1");
  });

  it("prints user text as plain text and keeps long text inside its column", async () => {
    const doc = sampleInvoiceDocument();
    const longName = "Kommunalförbundet för gemensam digital utveckling i Norra Västra Götalands inland och kust";
    const longStreet =
      "Stadshuset, Kommunstyrelseförvaltningen, Avdelningen för ekonomi och upphandling, Storgatan 123456";
    const script = "<script>alert(1)</script>";
    const appendix: AllocationAppendix = {
      ...doc.appendices[0],
      rows: doc.appendices[0].rows.map((r, i) =>
        i === 0 ? { ...r, memberName: script } : i === 1 ? { ...r, memberName: longName } : r,
      ),
    };
    const pdf = await renderInvoicePdf({
      ...doc,
      buyer: {
        ...doc.buyer,
        name: script,
        address: { ...doc.buyer.address, street: longStreet },
        reference: "Kostnadsställe 1234-5678-9012 / Per-Erik Långnamnsson-Åkerberg, IT-avdelningen",
      },
      seller: { ...doc.seller, name: `${doc.seller.name} – ${longName}` },
      lines: [{ ...doc.lines[0], description: `${longName} ${longName}` }, ...doc.lines.slice(1)],
      appendices: [appendix],
    });
    const out = await text(pdf);
    expect(out).toContain(script);
    expect(out).toContain("Kommunalförbundet för gemensam");
    expect(out).toContain("…");

    const all = await words(pdf);
    expect(all.length).toBeGreaterThan(300);
    for (const w of all) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(MARGIN - 1);
      expect(w.xMax, w.text).toBeLessThanOrEqual(A4_WIDTH - MARGIN + 1);
      expect(w.yMax, w.text).toBeLessThanOrEqual(A4_HEIGHT - 20);
    }
    // The street wraps within the address column (the right-hand window) instead of running off.
    const streetWords = all.filter((w) => w.text === "Kommunstyrelseförvaltningen," || w.text === "Avdelningen");
    expect(streetWords).toHaveLength(2);
    for (const w of streetWords) expect(w.xMin).toBeGreaterThanOrEqual((112 * 72) / 25.4 - 1);
  });

  it("replaces characters the standard fonts cannot print instead of garbling the line", async () => {
    expect(toWinAnsi("Łódź\tkommun 東京 — ok")).toBe("Lódz kommun ?? — ok");
    const doc = sampleInvoiceDocument({ appendices: [] });
    const out = await text(await renderInvoicePdf({ ...doc, buyer: { ...doc.buyer, name: "Łódź\nkommun" } }));
    expect(out).toContain("Lódz kommun");
    expect(out).toContain("Göteborgsvägen 11–17");
  });

  it("flows a 40-participant appendix over pages and repeats the header row", async () => {
    const doc = sampleInvoiceDocument({ appendices: [largeAppendix(40)] });
    const pdfPages = await pages(await renderInvoicePdf(doc));
    expect(pdfPages.length).toBeGreaterThanOrEqual(3);
    const appendixPages = pdfPages.slice(1);
    for (const page of appendixPages)
      expect(page).toMatch(/Medlem\s+Kommunkod\s+Invånare\s+År\s+Andel\s+Andel av budget/);
    expect(appendixPages[1]).toContain("Bilaga (forts.)");
    const all = appendixPages.join("\n");
    for (const row of doc.appendices[0].rows) expect(all).toContain(row.memberName);
    expect(pdfPages.at(-1)).toMatch(/Summa\s+3 397 417\s+1 234 567,89 kr\s+100,00 %/);
    pdfPages.forEach((page, i) => expect(page).toContain(`Sida ${i + 1} av ${pdfPages.length}`));
  });

  it("sets the title, author and subject, and gives the same bytes for the same invoice", async () => {
    const doc = sampleInvoiceDocument();
    const pdf = await renderInvoicePdf(doc);
    const { stdout } = await run("pdfinfo", ["-enc", "UTF-8", save(pdf)]);
    expect(stdout).toMatch(/Title:\s+Faktura 2026001/);
    expect(stdout).toMatch(/Author:\s+Intresseföreningen för Sambruk/);
    expect(stdout).toMatch(/Subject:\s+Faktura 2026001 till Mölndals kommun/);
    expect(stdout).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const again = await renderInvoicePdf(sampleInvoiceDocument());
    expect(again.equals(pdf)).toBe(true);
  });
});

describe("renderReminderPdf", () => {
  it("reminds politely, with the original invoice, what is left and the same OCR", async () => {
    const rem = sampleReminderDocument();
    const out = await text(await renderReminderPdf(rem));
    expect(out).toContain("PÅMINNELSE");
    expect(out).toContain("Påminnelse om obetald faktura");
    expect(flat(out)).toContain(
      "Enligt våra noteringar har vi ännu inte fått betalt för fakturan nedan. Om betalningen redan är gjord kan ni bortse från denna påminnelse.",
    );
    expect(out).toMatch(/Fakturanummer\s+2026001/);
    expect(out).toMatch(/Fakturadatum\s+2026-01-15/);
    expect(out).toMatch(/Ursprungligt förfallodatum\s+2026-02-14/);
    expect(out).toMatch(/Fakturabelopp\s+466 446,12 kr/);
    expect(out).toMatch(/Betalt hittills\s+16 000,00 kr/);
    expect(out).toMatch(/Kvar att betala\s+450 446,12 kr/);
    expect(out).toMatch(/Nytt förfallodatum\s+2026-03-16/);
    expect(out).toMatch(/5050-1055\s+202600193\s+450 446,12 kr\s+2026-03-16/);
    expect(out).toContain("Sida 1 av 1");
  });
});

describe("renderInvoicesPdf", () => {
  it("puts a billing run's invoices in one file, each from a new page and numbered on its own", async () => {
    const numbers = ["2026001", "2026002", "2026003"];
    const docs: InvoiceDocument[] = numbers.map((number, i) =>
      sampleInvoiceDocument({
        number,
        ocr: ocrFor(number),
        appendices: i === 1 ? [] : sampleInvoiceDocument().appendices,
      }),
    );
    const pdfPages = await pages(await renderInvoicesPdf(docs));
    expect(pdfPages).toHaveLength(5);
    const starts = pdfPages.filter((p) => p.includes("FAKTURA"));
    expect(starts).toHaveLength(3);
    numbers.forEach((number, i) => {
      expect(starts[i]).toContain(number);
      expect(starts[i]).toContain(ocrFor(number));
    });
    expect(pdfPages.map((p) => p.match(/Sida \d av \d/)?.[0])).toEqual([
      "Sida 1 av 2",
      "Sida 2 av 2",
      "Sida 1 av 1",
      "Sida 1 av 2",
      "Sida 2 av 2",
    ]);
  });

  it("refuses an empty billing run", async () => {
    await expect(renderInvoicesPdf([])).rejects.toThrow(RangeError);
  });

  it("prints each distinct appendix once after the run's invoices when they are shared, numbered as the invoices cite them", async () => {
    const big = largeAppendix(40);
    const numbers = ["2026001", "2026002", "2026003"];
    // Invoices 1 and 3 print the same two project-years (3 with copies of equal content), invoice 2 none.
    const docs: InvoiceDocument[] = numbers.map((number, i) =>
      sampleInvoiceDocument({
        number,
        ocr: ocrFor(number),
        appendices:
          i === 1
            ? []
            : i === 0
              ? [sampleInvoiceDocument().appendices[0], big]
              : [sampleInvoiceDocument().appendices[0], largeAppendix(40)],
      }),
    );
    const pdfPages = await pages(await renderInvoicesPdf(docs, { appendices: "shared" }));
    const invoicePages = pdfPages.slice(0, 3);
    invoicePages.forEach((page, i) => {
      expect(page).toContain("FAKTURA");
      expect(page).toContain(numbers[i]);
      expect(page).toContain("Sida 1 av 1");
    });
    const note =
      "Fördelningen av projektkostnaderna med alla deltagares andelar finns i bilaga 1–2 i slutet av denna fil.";
    expect(flat(invoicePages[0])).toContain(note);
    expect(flat(invoicePages[1])).not.toContain("bilaga");
    expect(flat(invoicePages[2])).toContain(note);

    const section = pdfPages.slice(3);
    expect(section.length).toBeGreaterThanOrEqual(1);
    const all = flat(section.join("\n"));
    expect(all).toContain("Bilagor: fördelning av projektkostnader");
    expect(all).toContain("Bilaga 1 Projekt P-001 E-arkiv, 2026");
    expect(all).toContain("Bilaga 2 Projekt P-040 Gemensam e-tjänsteplattform, 2026");
    expect(all.match(/Bilaga 1: fördelning av projektkostnad/g)).toHaveLength(1);
    expect(all.match(/Bilaga 2: fördelning av projektkostnad/g)).toHaveLength(1);
    expect(all).not.toContain("Bilaga 3");
    expect(all).not.toContain("är markerad"); // shared by every buyer: nobody's row is marked
    expect(all).toContain("Invånare 31 dec 2024.");
    for (const appendix of [sampleInvoiceDocument().appendices[0], big]) {
      for (const row of appendix.rows) {
        const name = row.memberName.replace(/[()]/g, "\\$&");
        const share = `${formatSek(row.share, { unit: false })} ${percentOfBudget(row.share, appendix.budget).replace(" %", "")}`;
        expect(all).toMatch(new RegExp(`${name} ${row.municipalityCode} [\\d ]+ ${share}`));
      }
    }
    expect(all).toMatch(/Summa 1 364 919 1 000 000,00 100,00/);
    expect(all).toMatch(/Summa 3 397 417 1 234 567,89 100,00/);
    section.forEach((page, i) => expect(page).toContain(`Sida ${i + 1} av ${section.length}`));
  });

  it("prints a shared 290-participant allocation in two columns, under three pages", async () => {
    const doc = sampleInvoiceDocument({ appendices: [largeAppendix(290)] });
    const pdfPages = await pages(await renderInvoicesPdf([doc], { appendices: "shared" }));
    expect(pdfPages.length).toBeLessThanOrEqual(1 + 3);
    const all = pdfPages.slice(1).join("\n");
    for (const row of doc.appendices[0].rows) expect(all).toContain(row.memberName);
    const total = formatSek(sumOre(doc.appendices[0].rows.map((r) => r.share)), { unit: false });
    const population = doc.appendices[0].rows.reduce((sum, r) => sum + (r.population ?? 0), 0);
    expect(flat(all)).toContain(`Summa ${formatInteger(population)} ${total} 100,00`);
    // Words stay inside the page's margins in both columns.
    for (const w of await words(await renderInvoicesPdf([doc], { appendices: "shared" }))) {
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(MARGIN - 1);
      expect(w.xMax, w.text).toBeLessThanOrEqual(A4_WIDTH - MARGIN + 1);
    }
  });

  it("keeps every invoice's own appendices by default", async () => {
    const docs = [sampleInvoiceDocument()];
    const byDefault = await renderInvoicesPdf(docs);
    expect(byDefault.equals(await renderInvoicesPdf(docs, { appendices: "each" }))).toBe(true);
    expect(byDefault.equals(await renderInvoicePdf(docs[0]))).toBe(false); // a different title; same pages
    expect(await pages(byDefault)).toHaveLength(2);
  });
});

describe("PDF text helpers", () => {
  it.each([
    [5_232_545, 100_000_000, "5,23 %"],
    [1, 3, "33,33 %"],
    [2, 3, "66,67 %"],
    [5, 1_000, "0,50 %"],
    [1, 8, "12,50 %"],
    [1, 2_000_000, "0,00 %"],
    [0, 0, "0,00 %"],
    [100_000_000, 100_000_000, "100,00 %"],
  ])("share %i of budget %i is %s", (share, budget, expected) => {
    expect(percentOfBudget(share, budget)).toBe(expected);
  });

  it("describes each project's basis so the arithmetic can be checked", () => {
    const basis = sampleInvoiceDocument().lines[1].shareBasis as ShareBasis;
    expect(shareBasisText({ ...basis, populationYear: 2025, totalPopulation: 1_234_567 })).toBe(
      "Projekt P-001 E-arkiv 2026, fördelning per invånare: 71 420 av 1 234 567 invånare, budget 1 000 000,00 kr",
    );
    expect(PROJECTS).toHaveLength(10);
  });
});

describe("speed (docs/quality.md#speed: under 3 ms per invoice on the bench machine)", () => {
  it("takes the fast text path of pdf-fonts.ts", async () => {
    await renderInvoicePdf(sampleInvoiceDocument());
    expect(fastTextActive()).toBe(true);
  });

  it("renders a one-page invoice of 11 lines in well under 20 ms on average", async () => {
    const doc = sampleInvoiceDocument({ appendices: [] });
    for (let i = 0; i < 10; i++) await renderInvoicePdf(doc);
    // CPU time, best of three rounds: what rendering costs, not how busy the CI machine happens to be.
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      const n = 50;
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) await renderInvoicePdf(doc);
      const used = process.cpuUsage(before);
      rounds.push((used.user + used.system) / 1000 / n);
    }
    expect(Math.min(...rounds)).toBeLessThan(20);
  });
});
