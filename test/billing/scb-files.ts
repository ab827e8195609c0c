import ExcelJS from "exceljs";
import iconv from "iconv-lite";

/*
 * Files in the layouts Statistics Sweden publishes, made by the tests (there is no SCB file in the repository):
 * the table "Folkmängd i riket, län och kommuner 31 december YYYY" as XLSX (written with exceljs, numbers as
 * numbers) or CSV, with title rows above the header and rows for Riket and the counties; the statistical
 * database's (PxWeb) CSV export; and the simple code,name,county,population file.
 */
export const MUNICIPALITIES = [
  { code: "0114", name: "Upplands Väsby", county: "Stockholms län", population: 48_611 },
  { code: "0127", name: "Botkyrka", county: "Stockholms län", population: 95_905 },
  { code: "1438", name: "Dals-Ed", county: "Västra Götalands län", population: 4_606 },
  { code: "1480", name: "Göteborg", county: "Västra Götalands län", population: 608_993 },
  { code: "2584", name: "Kiruna", county: "Norrbottens län", population: 22_243 },
];

/** 608993 → "608 993" with the given space (SCB's tables use a space or a no-break space). */
export const grouped = (n: number, space = " ") => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, space);

export async function scbTableXlsx(year: number, rows = MUNICIPALITIES): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`Folkmängd ${year}`);
  ws.addRow([`Folkmängd i riket, län och kommuner 31 december ${year} och befolkningsförändringar ${year}`]);
  ws.addRow(["Källa: Statistiska centralbyrån (SCB)"]);
  ws.addRow([]);
  ws.addRow(["Kod", "Kommun", `Folkmängd 31 december ${year - 1}`, `Folkmängd 31 december ${year}`, "Förändring"]);
  ws.addRow(["00", "Riket", 10_551_707, 10_587_710, 36_003]);
  let county = "";
  for (const m of rows) {
    if (m.county !== county) {
      county = m.county;
      ws.addRow([m.code.slice(0, 2), county, 1, 2, 1]);
    }
    ws.addRow([m.code, m.name, m.population - 100, m.population, 100]);
  }
  ws.addRow([]);
  ws.addRow(["Uppgifterna avser folkbokförda personer."]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same table saved as CSV from Excel on Swedish Windows: semicolons, Windows-1252, no-break spaces in numbers. */
export function scbTableCsv1252(year: number, rows = MUNICIPALITIES): Buffer {
  const lines = [
    `Folkmängd i riket, län och kommuner 31 december ${year};;`,
    ";;",
    `Kod;Kommun;Folkmängd`,
    `;Riket;${grouped(10_587_710, "\u00a0")}`,
    ...rows.map((m) => `${m.code};${m.name};${grouped(m.population, "\u00a0")}`),
  ];
  return iconv.encode(lines.join("\r\n") + "\r\n", "windows-1252");
}

/** PxWeb's "CSV with heading" export: quoted region cells "0114 Upplands Väsby" and one column per year. */
export function pxwebCsv(
  years: string[],
  opts: { sep?: string; bom?: boolean; encoding?: "utf-8" | "windows-1252"; rows?: typeof MUNICIPALITIES } = {},
): Buffer {
  const sep = opts.sep ?? ",";
  const rows = opts.rows ?? MUNICIPALITIES;
  const lines = [
    ['"region"', ...years.map((y) => `"${y}"`)].join(sep),
    ['"00 Riket"', ...years.map(() => "10587710")].join(sep),
    ...rows.map((m) =>
      [`"${m.code} ${m.name}"`, ...years.map((_, i) => String(m.population - (years.length - 1 - i) * 10))].join(sep),
    ),
  ];
  const text = lines.join("\r\n") + "\r\n";
  if (opts.encoding === "windows-1252") return iconv.encode(text, "windows-1252");
  return Buffer.concat([opts.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, "utf8")]);
}

export function simpleCsv(rows = MUNICIPALITIES): Buffer {
  return Buffer.from(
    ["code,name,county,population", ...rows.map((m) => `${m.code},${m.name},${m.county},${m.population}`)].join("\n") +
      "\n",
  );
}
