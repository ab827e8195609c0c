import path from "node:path";
import { generateOrgNumber } from "../../billing/identifiers";
import { SYSTEM_SCOPE } from "../../db/scope";
import { createMember } from "../../app/features/members/commands.server";
import { createUser } from "../../app/features/users/commands.server";
import { readMunicipalitiesCsv } from "../../app/features/demo/seed.server";

/*
 * Test data through the real use cases, on the database at process.env.DATABASE_PATH (set it to the server's
 * file first). Municipalities come from the repo's copy of the reference data.
 */
export interface CsvMunicipality {
  code: string;
  name: string;
  county: string;
  population: number;
}

/** The municipalities of data/municipalities-2024.csv, read as the demo reads them (billing/csv.ts). */
export function referenceMunicipalities(): CsvMunicipality[] {
  return readMunicipalitiesCsv(path.resolve(__dirname, "../../data/municipalities-2024.csv"));
}

/** A Luhn-valid municipal organisation number derived from the municipality code (demo data). */
export function demoOrgNumber(code: string): string {
  return generateOrgNumber(`2120${code}0`.slice(0, 9));
}

export function seedMunicipality(m: CsvMunicipality, opts: { joinedOn?: string; populationYear?: number } = {}) {
  return createMember(SYSTEM_SCOPE, {
    kind: "municipality",
    name: `${m.name} kommun`,
    municipalityCode: m.code,
    orgNumber: demoOrgNumber(m.code),
    joinedOn: opts.joinedOn ?? "2020-01-01",
    population: { year: opts.populationYear ?? 2024, population: m.population },
    invoiceAddress: { street: "Stadshuset", postalCode: "111 11", city: m.name },
    invoiceEmail: `faktura@${m.code}.example.se`,
    reference: `Ref ${m.code}`,
  });
}

export const PASSWORD = "correct horse battery";

export async function seedUsers(memberIds: { own: number }) {
  const admin = await createUser(SYSTEM_SCOPE, {
    email: "admin@test.se",
    name: "Ada Admin",
    password: PASSWORD,
    role: "admin",
  });
  const treasurer = await createUser(SYSTEM_SCOPE, {
    email: "kassor@test.se",
    name: "Kim Kassör",
    password: PASSWORD,
    role: "treasurer",
  });
  const member = await createUser(SYSTEM_SCOPE, {
    email: "kontakt@test.se",
    name: "Mo Medlem",
    password: PASSWORD,
    role: "member",
    memberId: memberIds.own,
  });
  return { admin, treasurer, member };
}
