import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import path from "node:path";
import {
  cellText,
  neutraliseCell,
  readCsvObjects,
  readCsvRecords,
  separatorFromQuery,
  writeCsv,
  type CsvCell,
} from "../../billing/csv";
import { readMunicipalitiesCsv } from "../../app/features/demo/seed.server";

const read = (csv: string, delimiter: string): string[][] =>
  parse(csv, { bom: true, delimiter, record_delimiter: "\r\n" });

describe("formula neutralising (OWASP CSV injection)", () => {
  test.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ["+46 31 00 00", "'+46 31 00 00"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    ["Göteborg kommun", "Göteborg kommun"],
    ["Dals-Ed kommun", "Dals-Ed kommun"],
    ["", ""],
  ])("%j → %j", (input, output) => {
    expect(neutraliseCell(input)).toBe(output);
  });

  test("no text cell of a written file starts a formula, and reading it back gives the text after the quote", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(";" as const, "," as const),
        (texts, sep) => {
          const csv = writeCsv(
            ["a"],
            texts.map((t) => [t]),
            sep,
          );
          const rows = read(csv, sep).slice(1);
          expect(rows.map((r) => r[0])).toEqual(texts.map((t) => (/^[=+\-@\t\r\n]/.test(t) ? `'${t}` : t)));
          for (const [cell] of rows) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        },
      ),
    );
  });
});

describe("numbers in the reader's spreadsheet", () => {
  test.each<[CsvCell, ";" | ",", string]>([
    [{ ore: 1_600_000 }, ";", "16000,00"],
    [{ ore: 1_600_000 }, ",", "16000.00"],
    [{ ore: -1_600_050 }, ";", "-16000,50"],
    [{ ore: 5 }, ";", "0,05"],
    [{ decimal: "33.5" }, ";", "33,5"],
    [{ decimal: "2" }, ";", "2"],
    [{ integer: 608_993 }, ";", "608993"],
    [null, ";", ""],
  ])("%j with %j → %j", (cell, sep, text) => {
    expect(cellText(cell, sep)).toBe(text);
  });

  test("a negative amount stays a number (it is ours, not a formula)", () => {
    const csv = writeCsv(["Belopp", "Namn"], [[{ ore: -500 }, "-500"]], ";");
    expect(read(csv, ";")[1]).toEqual(["-5,00", "'-500"]);
  });

  test("a comma-separated file quotes nothing needlessly and still reads back with decimal points", () => {
    const csv = writeCsv(["Namn", "Belopp"], [["Ale, kommun", { ore: 123_456 }]], ",");
    expect(csv).toBe('\uFEFFNamn,Belopp\r\n"Ale, kommun",1234.56\r\n');
    expect(read(csv, ",")[1]).toEqual(["Ale, kommun", "1234.56"]);
  });

  test("the separator of the query", () => {
    expect(separatorFromQuery(null)).toBe(";");
    expect(separatorFromQuery("comma")).toBe(",");
    expect(separatorFromQuery("semicolon")).toBe(";");
  });
});

describe("reading CSV (one reader, csv-parse)", () => {
  test("records of a file from people: lines as a person counts them, trimmed cells, any row length", () => {
    const text = 'Kommun;Folkmängd\r\n\r\n"1480 Göteborg";" 608 993 "\r\n"Ale;\nkommun";1\r\nRiket\r\n';
    expect(readCsvRecords(text, ";")).toEqual([
      { line: 1, cells: ["Kommun", "Folkmängd"] },
      { line: 3, cells: ["1480 Göteborg", " 608 993 "] }, // a quoted cell is kept as it is
      { line: 5, cells: ["Ale;\nkommun", "1"] },
      { line: 6, cells: ["Riket"] },
    ]);
    expect(() => readCsvRecords('a;"b\r\nc;d', ";")).toThrow();
  });

  test("a file with a header row as objects: the BOM dropped, quoted commas kept, a short row refused", () => {
    expect(readCsvObjects('\uFEFFcode,name\r\n0127,"Botkyrka, kommun"\r\n')).toEqual([
      { code: "0127", name: "Botkyrka, kommun" },
    ]);
    expect(() => readCsvObjects("code,name\n0127\n")).toThrow();
  });

  test("the reference municipalities (data/municipalities-2024.csv) read through it", () => {
    const rows = readMunicipalitiesCsv(path.resolve(__dirname, "../../data/municipalities-2024.csv"));
    expect(rows).toHaveLength(15);
    expect(rows[0]).toEqual({ code: "0127", name: "Botkyrka", county: "Stockholms län", population: 95_905 });
    expect(rows.find((r) => r.code === "1480")).toEqual({
      code: "1480",
      name: "Göteborg",
      county: "Västra Götalands län",
      population: 608_993,
    });
    for (const r of rows) expect(Number.isSafeInteger(r.population) && /^\d{4}$/.test(r.code)).toBe(true);
  });
});
