import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import {
  decodeText,
  FileError,
  parseFigure,
  readPopulations,
  readTable,
  type PopulationFile,
} from "../../billing/population-file";
import { grouped, MUNICIPALITIES, pxwebCsv, scbTableCsv1252, scbTableXlsx, simpleCsv } from "./scb-files";

const noLimit = (n: number) => (n > 20_000_000 ? "Invånarantalet får vara högst 20000000" : null);

async function read(bytes: Buffer, year = 2024): Promise<PopulationFile & { encoding: string }> {
  const table = await readTable(bytes);
  return { ...readPopulations(table.rows, year, noLimit), encoding: table.encoding };
}
const figures = (f: PopulationFile) => f.rows.map((r) => [r.code, r.name, r.population]);
const expected = MUNICIPALITIES.map((m) => [m.code, m.name, m.population]);

describe("every layout SCB publishes reads to the same figures", () => {
  test("the table as XLSX: title rows, Riket and county rows skipped, the column of the year chosen", async () => {
    const f = await read(await scbTableXlsx(2024));
    expect(f).toMatchObject({ layout: "scb_table", encoding: "xlsx", regionsSkipped: 4 });
    expect(figures(f)).toEqual(expected);
    // Line numbers are Excel's row numbers: the header is row 4, Riket row 5, Stockholms län row 6.
    expect(f.rows[0].line).toBe(7);
  });

  test("the table as CSV from Swedish Excel: Windows-1252, semicolons, no-break spaces in the numbers", async () => {
    const f = await read(scbTableCsv1252(2024));
    expect(f).toMatchObject({ layout: "scb_table", encoding: "windows-1252", regionsSkipped: 1 });
    expect(figures(f)).toEqual(expected);
  });

  test.each([
    ["comma, UTF-8", { sep: "," }, "utf-8"],
    ["comma, UTF-8 with BOM", { sep: ",", bom: true }, "utf-8-bom"],
    ["semicolon, UTF-8 with BOM", { sep: ";", bom: true }, "utf-8-bom"],
    ["tab, UTF-8", { sep: "\t" }, "utf-8"],
    ["semicolon, Windows-1252", { sep: ";", encoding: "windows-1252" as const }, "windows-1252"],
  ])("PxWeb's CSV, %s", async (_label, opts, encoding) => {
    const f = await read(pxwebCsv(["2024"], opts));
    expect(f).toMatchObject({ layout: "pxweb", encoding, regionsSkipped: 1 });
    expect(figures(f)).toEqual(expected);
  });

  test('PxWeb\'s CSV with "Folkmängd 2024" and several years: the year asked for', async () => {
    const f = await read(pxwebCsv(["Folkmängd 2022", "Folkmängd 2023", "Folkmängd 2024"], { sep: ";" }), 2023);
    expect(figures(f)).toEqual(MUNICIPALITIES.map((m) => [m.code, m.name, m.population - 10]));
  });

  test("the simple file of today", async () => {
    const f = await read(simpleCsv());
    expect(f).toMatchObject({ layout: "simple", encoding: "utf-8", regionsSkipped: 0 });
    expect(figures(f)).toEqual(expected);
  });
});

describe("rows that do not read are errors with their line; the rest still read", () => {
  test("a bad code, a word for a number, a duplicate, a figure over the limit, a decimal", async () => {
    const csv = [
      "code,name,county,population",
      "0114,Upplands Väsby,Stockholms län,48611",
      "114,Kort kod,Stockholms län,100",
      "0127,Botkyrka,Stockholms län,niotiofemtusen",
      "0114,Upplands Väsby igen,Stockholms län,48612",
      "1480,Göteborg,Västra Götalands län,20000001",
      "1438,Dals-Ed,Västra Götalands län,4606.5",
      "2584,Kiruna,Norrbottens län,",
    ].join("\n");
    const f = await read(Buffer.from(csv));
    expect(f.rows.map((r) => [r.line, r.error ?? null])).toEqual([
      [2, null],
      [3, "Kommunkoden ska vara fyra siffror (”114”)"],
      [4, "Invånarantalet ”niotiofemtusen” är inte ett heltal"],
      [5, "Kommunkoden 0114 står redan på rad 2"],
      [6, "Invånarantalet får vara högst 20000000"],
      [7, "Invånarantalet ”4606.5” är inte ett heltal"],
      [8, "Invånarantalet saknas"],
    ]);
  });

  test.each([
    ["608 993", 608_993],
    [grouped(608_993, "\u00a0"), 608_993],
    [grouped(10_587_710, "\u202f"), 10_587_710],
    ["4606", 4_606],
    ["0", 0],
    ["60 8993", null],
    ["608,993", null],
    ["-5", null],
    ["", null],
  ])("the figure %j → %j", (text, n) => {
    expect(parseFigure(text)).toBe(n);
  });
});

describe("files refused whole", () => {
  test.each([
    ["an unknown layout", Buffer.from("kommun,invånare\nAle,31000\n"), /Känner inte igen filen/],
    ["a table without the year asked for", pxwebCsv(["2022", "2023"]), /ingen kolumn för 2024/],
    ["an empty file", Buffer.alloc(0), /tom/],
    ["a header and no rows", Buffer.from("code,name,county,population\n"), /inga rader/],
    ["a broken XLSX", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /XLSX/],
    ["a binary file", Buffer.from([0x00, 0x01, 0x02, 0x41]), /binära/],
  ])("%s", async (_label, bytes, message) => {
    await expect(read(bytes)).rejects.toThrow(FileError);
    await expect(read(bytes)).rejects.toThrow(message);
  });
});

describe("encodings", () => {
  test("Windows-1252 å/ä/ö is never taken for UTF-8; UTF-8 is never taken for 1252", () => {
    expect(decodeText(iconv.encode("Håbo;Härnösand;Östersund", "windows-1252"))).toEqual({
      text: "Håbo;Härnösand;Östersund",
      encoding: "windows-1252",
    });
    expect(decodeText(Buffer.from("Håbo;Härnösand;Östersund"))).toEqual({
      text: "Håbo;Härnösand;Östersund",
      encoding: "utf-8",
    });
  });
});
