/*
 * A synthetic association for the benchmarks (scripts/bench.ts) and the fault tests (test/ops/crash.test.ts):
 * generated municipalities (names, municipality codes, Luhn-valid organisation numbers, populations for Y − 1),
 * per-capita projects with a budget for Y in which every member takes part, and the association's settings.
 *
 * Members, populations and projects are written straight into the tables in one transaction, as an import
 * would: at 10 000 members × 100 projects (a million participations) the use cases, each with its audit row,
 * would take minutes. Everything written satisfies the same rules the use cases check (codes 01–25 + two
 * digits, org numbers with their Luhn digit, dates within the membership). Settings and users go through the
 * use cases. Works on the database of this process, process.env.DATABASE_PATH (db/client.ts).
 */
import { generateOrgNumber } from "../billing/identifiers";
import { connection, db } from "../db/client";
import * as settingsDb from "../db/settings";
import { SYSTEM_SCOPE } from "../db/scope";
import { DEFAULT_EXEMPTION_TEXT } from "../app/features/settings/queries.server";
import { createUser } from "../app/features/users/commands.server";

export interface SyntheticAssociation {
  year: number;
  memberIds: number[];
  projectIds: number[];
  firstInvoiceNumber: number;
}

export interface SyntheticOptions {
  /** Members in all; the first up to 2 475 are municipalities (the codes 01–25 × 01–99), the rest organisations. */
  members: number;
  projects: number;
  /** The billing year Y; populations are recorded for Y − 1. */
  year: number;
  firstInvoiceNumber?: number;
  /** Seed of the generator, so that a figure can be reproduced. */
  seed?: number;
}

export const BENCH_PASSWORD = "bench horse battery staple";
export const BENCH_USERS = {
  admin: "admin@bench.example",
  treasurer: "kassor@bench.example",
} as const;

const MAX_MUNICIPALITIES = 25 * 99;
const FIRST = [
  "Norr",
  "Söder",
  "Öster",
  "Väster",
  "Berg",
  "Sjö",
  "Ljus",
  "Mal",
  "Hög",
  "Ek",
  "Björk",
  "Gran",
  "Lind",
  "Ås",
  "Sand",
  "Sten",
  "Fors",
  "Hed",
  "Ny",
  "Gamla",
];
const MIDDLE = ["", "a", "e", "s", "sta", "ne", "la", "ra", "ö", "by"];
const LAST = [
  "köping",
  "by",
  "vik",
  "sund",
  "holm",
  "dal",
  "torp",
  "hult",
  "berga",
  "fors",
  "näs",
  "åker",
  "stad",
  "tuna",
  "ryd",
];

/** A small deterministic generator (mulberry32): the same seed gives the same association. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function placeName(i: number): string {
  const a = FIRST[i % FIRST.length];
  const b = MIDDLE[Math.floor(i / FIRST.length) % MIDDLE.length];
  const c = LAST[Math.floor(i / (FIRST.length * MIDDLE.length)) % LAST.length];
  const round = Math.floor(i / (FIRST.length * MIDDLE.length * LAST.length));
  return `${a}${b}${c}${round > 0 ? ` ${round + 1}` : ""}`;
}

function municipalityCode(i: number): string {
  const county = 1 + (i % 25);
  const number = 1 + Math.floor(i / 25);
  return `${String(county).padStart(2, "0")}${String(number).padStart(2, "0")}`;
}

/** Writes the association into the (migrated, empty) database of this process. */
export function seedSynthetic(options: SyntheticOptions): SyntheticAssociation {
  const { members, projects, year } = options;
  const rand = random(options.seed ?? 2005);
  const firstInvoiceNumber = options.firstInvoiceNumber ?? year * 10_000 + 1;
  const sqlite = connection().sqlite;
  const now = new Date().toISOString();
  const insertMember = sqlite.prepare(
    `INSERT INTO members (kind, name, municipality_code, org_number, joined_on, street, postal_code, city, invoice_email, reference, created_at, updated_at)
     VALUES (?, ?, ?, ?, '2015-01-01', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPopulation = sqlite.prepare(
    `INSERT INTO populations (member_id, year, population, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const insertProject = sqlite.prepare(
    `INSERT INTO projects (code, name, description, status, allocation_key, created_at, updated_at) VALUES (?, ?, ?, 'open', 'per_capita', ?, ?)`,
  );
  const insertBudget = sqlite.prepare(
    `INSERT INTO project_budgets (project_id, year, amount_ore, note, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?)`,
  );
  const insertParticipant = sqlite.prepare(
    `INSERT INTO project_participants (project_id, member_id, joined_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
  );

  const memberIds: number[] = [];
  const projectIds: number[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < members; i++) {
      const municipality = i < MAX_MUNICIPALITIES;
      const place = placeName(i);
      const code = municipality ? municipalityCode(i) : null;
      const name = municipality ? `${place} kommun` : `${place} kommunalförbund`;
      const orgNumber = generateOrgNumber(`${municipality ? "2120" : "2220"}${String(i).padStart(5, "0")}`);
      const postalCode = `${String(100 + Math.floor(rand() * 880))} ${String(Math.floor(rand() * 100)).padStart(2, "0")}`;
      const id = Number(
        insertMember.run(
          municipality ? "municipality" : "organisation",
          name,
          code,
          orgNumber,
          "Stadshuset, Storgatan 1",
          postalCode,
          place,
          `faktura@${place.toLowerCase().replace(/[^a-z0-9]/g, "")}${i}.example.se`,
          `Kst ${1000 + (i % 9000)} / Ekonomienheten`,
          now,
          now,
        ).lastInsertRowid,
      );
      // Populations of Swedish municipalities run from about 2 000 to 700 000 (skewed towards the small).
      const population = Math.round(2_000 + Math.pow(rand(), 3) * 698_000);
      insertPopulation.run(id, year - 1, population, now, now);
      memberIds.push(id);
    }
    for (let p = 0; p < projects; p++) {
      const code = `P-${String(p + 1).padStart(3, "0")}`;
      const id = Number(insertProject.run(code, `E-tjänst ${p + 1}`, "Gemensam utveckling", now, now).lastInsertRowid);
      // 0.5–5 M kr with öre, so that the largest-remainder rounding has work to do.
      const budget = 50_000_000 + Math.floor(rand() * 450_000_000) + 37;
      insertBudget.run(id, year, budget, now, now);
      for (const memberId of memberIds) insertParticipant.run(id, memberId, `${year - 1}-01-01`, now, now);
      projectIds.push(id);
    }
  })();

  settingsDb.saveSettings(db(), {
    name: "Intresseföreningen för Sambruk",
    orgNumber: "802400-1235",
    vatNumber: null,
    street: "Box 1234",
    postalCode: "111 22",
    city: "Stockholm",
    email: "kansli@sambruk.example",
    phone: null,
    bankgiro: "5050-1055",
    paymentTermsDays: 30,
    nextInvoiceNumber: firstInvoiceNumber,
    ourReference: "Anna Kassör",
    vatRateEntryFee: 0,
    vatRateAnnualFee: 0,
    vatRateProjectShare: 0,
    vatExemptionText: DEFAULT_EXEMPTION_TEXT,
    footer: "Styrelsens säte: Stockholm",
  });
  return { year, memberIds, projectIds, firstInvoiceNumber };
}

/** An admin and a treasurer (BENCH_USERS, BENCH_PASSWORD), through the use case (scrypt hashes). */
export async function seedBenchUsers(): Promise<void> {
  await createUser(SYSTEM_SCOPE, {
    email: BENCH_USERS.admin,
    name: "Ada Admin",
    password: BENCH_PASSWORD,
    role: "admin",
  });
  await createUser(SYSTEM_SCOPE, {
    email: BENCH_USERS.treasurer,
    name: "Kim Kassör",
    password: BENCH_PASSWORD,
    role: "treasurer",
  });
}
