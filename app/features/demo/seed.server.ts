import { currentYear, todayIso } from "../../../billing/dates";
import { readFileSync } from "node:fs";
import { generateOrgNumber } from "../../../billing/identifiers";
import { db } from "../../../db/client";
import { appMeta } from "../../../db/schema";
import type { Scope } from "../../../db/scope";
import type { DemoLogin } from "../../lib/demo.server";
import { createBillingRun } from "../billing-runs/commands.server";
import { issueRun } from "../invoices/issue.server";
import { listInvoiceViews } from "../invoices/queries.server";
import { createMember, addFeeOverride } from "../members/commands.server";
import { registerPayment } from "../payments/commands.server";
import { createProject, setBudget } from "../projects/commands.server";
import { addParticipant } from "../projects/participants.server";
import { saveSettings } from "../settings/commands.server";
import { DEFAULT_EXEMPTION_TEXT } from "../settings/queries.server";
import { createUser } from "../users/commands.server";

/*
 * The demo association: the real municipalities and populations of data/municipalities-2024.csv, with
 * generated (Luhn-valid, clearly fake) organisation numbers, two non-municipal members and one demo user per
 * role. The file is flagged as a demo database so that `npm start` refuses to serve it in production.
 */
const DEMO_SCOPE: Scope = { userId: null, email: "demo-seed", role: "admin", memberId: null };

export const DEMO_LOGINS: DemoLogin[] = [
  { role: "admin", email: "styrelsen@demo.sambruk.se", password: "demo-styrelsen", memberName: null },
  { role: "treasurer", email: "kassor@demo.sambruk.se", password: "demo-kassoren", memberName: null },
  { role: "member", email: "kontakt@molndal.demo.se", password: "demo-molndal", memberName: "Mölndals kommun" },
];

/** Some members joined early, one this year (so that its entry fee shows up in this year's billing). */
const JOINED: Record<string, string> = {
  "1480": "2005-04-12",
  "1481": "2005-04-12",
  "1438": "2006-01-01",
  "1439": "2006-01-01",
  "1444": "2007-09-01",
  "1447": "2007-09-01",
  "0127": "2008-01-01",
  "0162": "2010-03-15",
  "0125": "2012-01-01",
  "0136": "2014-06-01",
  "0126": "2015-01-01",
  "0123": "2018-01-01",
  "0186": "2020-01-01",
  "0182": "2021-01-01",
};

export interface CsvRow {
  code: string;
  name: string;
  county: string;
  population: number;
}

export function readMunicipalitiesCsv(path: string): CsvRow[] {
  return readFileSync(path, "utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [code, name, county, population] = line.split(",");
      return { code, name, county, population: Number(population) };
    });
}

function municipalityName(name: string): string {
  // "Göteborg" → "Göteborgs kommun", "Ekerö" → "Ekerö kommun": the genitive s only after a consonant.
  return /[aeiouyåäösxz]$/i.test(name) ? `${name} kommun` : `${name}s kommun`;
}

export async function seedDemo(csvPath: string, today = new Date()): Promise<void> {
  const thisYear = currentYear(today);
  const rows = readMunicipalitiesCsv(csvPath);
  const ids = new Map<string, number>();
  for (const r of rows) {
    const member = createMember(DEMO_SCOPE, {
      kind: "municipality",
      name: municipalityName(r.name),
      municipalityCode: r.code,
      // 2120 + code + a digit, then the Luhn digit: looks municipal, is not a real number.
      orgNumber: generateOrgNumber(`2120${r.code}9`),
      joinedOn: JOINED[r.code] ?? `${thisYear}-02-01`,
      population: { year: 2024, population: r.population },
      invoiceAddress: { street: "Stadshuset, Box 100", postalCode: "100 00", city: r.name },
      invoiceEmail: `fakturor@${r.code}.demo.se`,
      reference: `Kst ${r.code}-100, IT-enheten`,
      contactName: `Kontaktperson ${r.name}`,
      contactEmail: `kontakt@${r.code}.demo.se`,
    });
    ids.set(r.code, member.id);
  }
  const skr = createMember(DEMO_SCOPE, {
    kind: "organisation",
    name: "Sveriges Kommuner och Regioner (demo)",
    orgNumber: generateOrgNumber("222000031"),
    joinedOn: "2009-01-01",
    invoiceAddress: { street: "Hornsgatan 20", postalCode: "118 82", city: "Stockholm" },
    reference: "Digitaliseringsavdelningen",
  });
  addFeeOverride(DEMO_SCOPE, skr.id, {
    validFrom: 2009,
    validTo: null,
    entryFee: 0,
    annualFee: 2_000_000,
    note: "Beslut 2008-11-20 § 4: fast årsavgift 20 000 kr, ingen medlemsinsats",
  });
  const agency = createMember(DEMO_SCOPE, {
    kind: "organisation",
    name: "E-tjänstemyndigheten (demo)",
    orgNumber: generateOrgNumber("202100999"),
    joinedOn: "2016-01-01",
    resignedOn: `${thisYear - 1}-12-31`,
    invoiceAddress: { street: "Box 1", postalCode: "851 01", city: "Sundsvall" },
    reference: "Ekonomienheten",
  });
  addFeeOverride(DEMO_SCOPE, agency.id, {
    validFrom: 2016,
    validTo: null,
    entryFee: 1_000_000,
    annualFee: 1_600_000,
    note: "Beslut 2015-10-01 § 9: avgift som mellanstor kommun",
  });

  seedAssociation(thisYear);
  seedProjects(ids, thisYear);
  seedInvoices(thisYear);

  for (const login of DEMO_LOGINS) {
    await createUser(DEMO_SCOPE, {
      email: login.email,
      name:
        login.role === "admin"
          ? "Styrelsen (demo)"
          : login.role === "treasurer"
            ? "Kassören (demo)"
            : "Kontaktperson Mölndal (demo)",
      password: login.password,
      role: login.role,
      memberCode: login.role === "member" ? "1481" : undefined,
    });
  }
  db()
    .insert(appMeta)
    .values([
      { key: "demo", value: "1" },
      { key: "demo_logins", value: JSON.stringify(DEMO_LOGINS) },
    ])
    .run();
}

function seedAssociation(thisYear: number): void {
  saveSettings(DEMO_SCOPE, {
    name: "Intresseföreningen för Sambruk (demo)",
    orgNumber: generateOrgNumber("802400123"),
    vatNumber: null,
    street: "Box 1234",
    postalCode: "111 22",
    city: "Stockholm",
    email: "kansli@sambruk.demo.se",
    phone: "08-123 456 78",
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: thisYear * 1000 + 1,
    ourReference: "Kassören (demo)",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: DEFAULT_EXEMPTION_TEXT,
    footer: "Styrelsens säte: Stockholm. Demodata – inte en riktig faktura.",
  });
}

/** Five projects, one of each allocation key and status, with budgets for last year and this year. */
function seedProjects(ids: Map<string, number>, thisYear: number): void {
  const id = (code: string) => ids.get(code)!;
  const earkiv = createProject(DEMO_SCOPE, {
    code: "P-001",
    name: "E-arkiv",
    description: "Gemensam e-arkivlösning med förvaltning och drift.",
    status: "open",
    allocationKey: "per_capita",
  });
  for (const code of ["1480", "1481", "0186", "0127", "0136", "0126", "1438", "1439"]) {
    addParticipant(DEMO_SCOPE, earkiv.id, { memberId: id(code), joinedOn: `${thisYear - 2}-01-01` });
  }
  setBudget(DEMO_SCOPE, earkiv.id, thisYear - 1, { amount: 120_000_000, note: "Årsmötet " + (thisYear - 2) });
  setBudget(DEMO_SCOPE, earkiv.id, thisYear, { amount: 150_000_000, note: "Årsmötet " + (thisYear - 1) });

  const oppnaData = createProject(DEMO_SCOPE, {
    code: "P-002",
    name: "Öppna data",
    description: "Publicering av öppna data enligt gemensam specifikation.",
    status: "open",
    allocationKey: "equal",
  });
  for (const code of ["1481", "0162", "0186", "1444"]) {
    addParticipant(DEMO_SCOPE, oppnaData.id, { memberId: id(code), joinedOn: `${thisYear - 1}-03-01` });
  }
  setBudget(DEMO_SCOPE, oppnaData.id, thisYear, { amount: 10_000_000 });

  const kontaktcenter = createProject(DEMO_SCOPE, {
    code: "P-003",
    name: "Kontaktcenter och e-tjänster",
    description: "Gemensam plattform för kontaktcenter.",
    status: "open",
    allocationKey: "base_plus_per_capita",
    basePercent: "20",
  });
  for (const code of ["1480", "0182", "0123", "1447", "0125"]) {
    addParticipant(DEMO_SCOPE, kontaktcenter.id, { memberId: id(code), joinedOn: `${thisYear}-01-01` });
  }
  setBudget(DEMO_SCOPE, kontaktcenter.id, thisYear, { amount: 80_000_000 });

  const eleg = createProject(DEMO_SCOPE, {
    code: "P-004",
    name: "Säker e-legitimation",
    description: "Avslutat projekt med avtalade andelar.",
    status: "closed",
    allocationKey: "fixed",
  });
  addParticipant(DEMO_SCOPE, eleg.id, { memberId: id("1480"), joinedOn: `${thisYear - 1}-01-01`, weight: "50" });
  addParticipant(DEMO_SCOPE, eleg.id, { memberId: id("1481"), joinedOn: `${thisYear - 1}-01-01`, weight: "33.5" });
  addParticipant(DEMO_SCOPE, eleg.id, { memberId: id("0127"), joinedOn: `${thisYear - 1}-01-01`, weight: "16.5" });
  setBudget(DEMO_SCOPE, eleg.id, thisYear - 1, { amount: 40_000_000 });

  createProject(DEMO_SCOPE, {
    code: "P-005",
    name: "AI-stöd i handläggning",
    description: "Förstudie; öppnar för anmälan när budgeten är beslutad.",
    status: "planned",
    allocationKey: "per_capita",
  });
}

/** This year's billing run, issued, with some invoices paid in full and one in part. */
function seedInvoices(thisYear: number): void {
  const run = createBillingRun(DEMO_SCOPE, { year: thisYear, charges: ["entry_fee", "annual_fee", "project_share"] });
  if (run.run) issueRun(DEMO_SCOPE, run.run.id);
  const issued = listInvoiceViews(DEMO_SCOPE, { year: thisYear }).filter((v) => v.number !== null);
  const today = todayIso();
  issued.forEach((invoice, i) => {
    if (i % 3 === 0) registerPayment(DEMO_SCOPE, invoice.id, { amount: invoice.totalOre, paidOn: today });
    else if (i === 1)
      registerPayment(DEMO_SCOPE, invoice.id, {
        amount: Math.floor(invoice.totalOre / 2),
        paidOn: today,
        note: "Delbetalning",
      });
  });
}
