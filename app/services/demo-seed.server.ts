import { readFileSync } from "node:fs";
import { generateOrgNumber } from "../../billing/identifiers";
import { db } from "../../db/client";
import { appMeta } from "../../db/schema";
import type { Scope } from "../../db/scope";
import type { DemoLogin } from "../lib/demo.server";
import { addFeeOverride, createMember } from "./members.server";
import { createUser } from "./users.server";

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
  const thisYear = today.getFullYear();
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
    note: "Styrelsebeslut 2008-11-20 § 4: fast årsavgift 20 000 kr, ingen medlemsinsats",
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
    note: "Styrelsebeslut 2015-10-01 § 9: avgift som mellanstor kommun",
  });

  for (const login of DEMO_LOGINS) {
    await createUser(DEMO_SCOPE, {
      email: login.email,
      name: login.role === "admin" ? "Styrelsen (demo)" : login.role === "treasurer" ? "Kassören (demo)" : "Kontaktperson Mölndal (demo)",
      password: login.password,
      role: login.role,
      memberCode: login.role === "member" ? "1481" : undefined,
    });
  }
  db().insert(appMeta).values([
    { key: "demo", value: "1" },
    { key: "demo_logins", value: JSON.stringify(DEMO_LOGINS) },
  ]).run();
}
