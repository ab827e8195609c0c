import { generateOrgNumber } from "../../billing/identifiers";
import { apiClient, apiToken, startServer, type TestServer } from "../support/server";

/*
 * One real server on a fresh SQLite file per test file, seeded through the real use cases: Dals-Ed (the
 * member user's own municipality), Göteborg, Mölndal and Botkyrka, and an admin, a treasurer and a member user.
 */
export type Role = "admin" | "treasurer" | "member";
export type Api = ReturnType<typeof apiClient>;

export interface ApiContext {
  server: TestServer;
  seed: typeof import("../helpers/seed");
  client: typeof import("../../db/client");
  members: { dalsEd: number; goteborg: number; molndal: number; botkyrka: number };
  users: Awaited<ReturnType<(typeof import("../helpers/seed"))["seedUsers"]>>;
  api: Record<Role | "anonymous", Api>;
  token: Record<Role, string>;
  /** Rows in a table of the server's database file, read in-process. */
  count: (table: string) => number;
  /** Row counts of every table a bad request could touch. */
  snapshot: () => Record<string, number>;
}

const TABLES = ["members", "populations", "fee_schedules", "fee_brackets", "fee_overrides", "users", "audit_log"];

export async function startApiContext(
  opts: { populationYears?: Partial<Record<string, number>> } = {},
): Promise<ApiContext> {
  const server = await startServer();
  // db/client opens its singleton on first use, so point it at the server's file before importing the seed.
  process.env.DATABASE_PATH = server.dbPath;
  const seed = await import("../helpers/seed");
  const client = await import("../../db/client");
  const reference = seed.referenceMunicipalities();
  const byCode = (code: string) => {
    const m = reference.find((r) => r.code === code);
    if (!m) throw new Error(`municipality ${code} missing from the reference data`);
    return m;
  };
  const seedOne = (code: string) =>
    seed.seedMunicipality(byCode(code), { populationYear: opts.populationYears?.[code] ?? 2024 }).id;
  const members = {
    dalsEd: seedOne("1438"),
    goteborg: seedOne("1480"),
    molndal: seedOne("1481"),
    botkyrka: seedOne("0127"),
  };
  const users = await seed.seedUsers({ own: members.dalsEd });
  const token = {
    admin: await apiToken(server.url, "admin@test.se", seed.PASSWORD),
    treasurer: await apiToken(server.url, "kassor@test.se", seed.PASSWORD),
    member: await apiToken(server.url, "kontakt@test.se", seed.PASSWORD),
  };
  const api = {
    admin: apiClient(server.url, token.admin),
    treasurer: apiClient(server.url, token.treasurer),
    member: apiClient(server.url, token.member),
    anonymous: apiClient(server.url, null),
  };
  const count = (table: string) =>
    (client.connection().sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const snapshot = () => Object.fromEntries(TABLES.map((t) => [t, count(t)]));
  return { server, seed, client, members, users, api, token, count, snapshot };
}

export async function stopApiContext(ctx: ApiContext | undefined) {
  ctx?.client.closeDatabase();
  await ctx?.server.stop();
}

/** A Luhn-valid municipal organisation number that no seeded member has. */
export function municipalOrgNumber(seed: string): string {
  return generateOrgNumber(`2120${seed}`.padEnd(9, "7").slice(0, 9));
}

/** A valid POST /members body for a new municipality. */
export function newMunicipality(overrides: Record<string, unknown> = {}) {
  return {
    kind: "municipality",
    name: "Partille kommun",
    municipalityCode: "1402",
    orgNumber: municipalOrgNumber("14020"),
    joinedOn: "2026-03-01",
    population: { year: 2025, population: 40_233 },
    invoiceAddress: { street: "Gamla Kronvägen 34", postalCode: "433 82", city: "Partille" },
    invoiceEmail: "faktura@partille.se",
    reference: "KS 2026/17",
    ...overrides,
  };
}
