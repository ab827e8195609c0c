import { generateOrgNumber } from "../../billing/identifiers";
import { apiClient, apiToken, login, pageClient, startServer, type TestServer } from "../support/server";

/*
 * One association per test file: the real server on a fresh SQLite file, the fifteen reference municipalities
 * (population figures for 2024), an organisation without any population figure, and one user per role. The
 * member user belongs to Dals-Ed (1438).
 */
export type Fixture = Awaited<ReturnType<typeof setupAssociation>>;

export async function setupAssociation() {
  const server: TestServer = await startServer();
  process.env.DATABASE_PATH = server.dbPath;
  const seed = await import("../helpers/seed");
  const { createMember } = await import("../../app/services/members.server");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  const { connection } = await import("../../db/client");

  const municipalities = seed.referenceMunicipalities();
  const member: Record<string, number> = {};
  for (const m of municipalities) member[m.code] = seed.seedMunicipality(m).id;
  const organisation = createMember(SYSTEM_SCOPE, {
    kind: "organisation",
    name: "Sveriges Kommuner och Regioner",
    orgNumber: generateOrgNumber("222000001"),
    joinedOn: "2020-01-01",
  });
  member.SKR = organisation.id;
  const users = await seed.seedUsers({ own: member["1438"] });

  const url = server.url;
  const [adminToken, treasurerToken, memberToken] = await Promise.all([
    apiToken(url, "admin@test.se", seed.PASSWORD),
    apiToken(url, "kassor@test.se", seed.PASSWORD),
    apiToken(url, "kontakt@test.se", seed.PASSWORD),
  ]);
  const [adminCookie, treasurerCookie, memberCookie] = await Promise.all([
    login(url, "admin@test.se", seed.PASSWORD),
    login(url, "kassor@test.se", seed.PASSWORD),
    login(url, "kontakt@test.se", seed.PASSWORD),
  ]);

  /** Rows in a table, read straight from the file the server writes. */
  const count = (table: string, where = "1 = 1", ...args: unknown[]): number =>
    (
      connection()
        .sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
        .get(...args) as { n: number }
    ).n;

  return {
    server,
    url,
    member,
    users,
    count,
    sqlite: () => connection().sqlite,
    api: {
      admin: apiClient(url, adminToken),
      treasurer: apiClient(url, treasurerToken),
      member: apiClient(url, memberToken),
      anonymous: apiClient(url, null),
    },
    page: {
      admin: pageClient(url, adminCookie),
      treasurer: pageClient(url, treasurerCookie),
      member: pageClient(url, memberCookie),
      anonymous: pageClient(url, null),
    },
  };
}

/** Creates a project through the API as the board and returns its id. */
export async function createProject(
  f: Fixture,
  body: { code: string; allocationKey: string; status?: string; basePercent?: string | number; name?: string },
): Promise<number> {
  const res = await f.api.admin.post("/projects", { name: `Projekt ${body.code}`, ...body });
  if (res.status !== 201) throw new Error(`create project ${body.code}: ${res.status} ${res.text}`);
  return res.json.id;
}

export async function setBudget(f: Fixture, projectId: number, year: number, amount: string): Promise<void> {
  const res = await f.api.admin.put(`/projects/${projectId}/budgets/${year}`, { amount });
  if (res.status !== 200) throw new Error(`budget: ${res.status} ${res.text}`);
}

export async function addParticipant(
  f: Fixture,
  projectId: number,
  memberId: number,
  joinedOn = "2024-01-01",
  weight?: number | string,
): Promise<void> {
  const res = await f.api.admin.post(`/projects/${projectId}/participants`, {
    memberId,
    joinedOn,
    ...(weight === undefined ? {} : { weight }),
  });
  if (res.status !== 201) throw new Error(`participant: ${res.status} ${res.text}`);
}

/** memberId → share from an allocation answer. */
export function sharesOf(json: { shares: Array<{ memberId: number; share: string }> }): Record<number, string> {
  return Object.fromEntries(json.shares.map((s) => [s.memberId, s.share]));
}

/** Σ shares in öre, by string arithmetic on "1234.56" (no float). */
export function sumShares(json: { shares: Array<{ share: string }> }): bigint {
  return json.shares.reduce((sum, s) => sum + BigInt(s.share.replace(".", "")), 0n);
}

/** A page's HTML without the empty comments React puts between adjacent text parts. */
export async function html(res: Response): Promise<string> {
  return (await res.text()).replace(/<!-- -->/g, "");
}
