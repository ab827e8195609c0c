import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { generateOrgNumber } from "../../billing/identifiers";
import { closeDatabase, connection } from "../../db/client";
import type { Role } from "../../db/schema";
import { SYSTEM_SCOPE, type Scope } from "../../db/scope";
import type { PublicUser } from "../../db/users";
import { BillingRunSchema } from "../../app/lib/billing-schemas";
import { BudgetSchema, ParticipantCreateSchema, ProjectCreateSchema } from "../../app/lib/project-schemas";
import { FeeScheduleSchema, type FeeScheduleInput } from "../../app/lib/schemas";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { createFeeSchedule } from "../../app/features/fees/commands.server";
import { issueRun } from "../../app/features/invoices/issue.server";
import { createMember, setPopulation } from "../../app/features/members/commands.server";
import { createProject, setBudget } from "../../app/features/projects/commands.server";
import { addParticipant } from "../../app/features/projects/participants.server";
import { type SettingsSave, saveSettings } from "../../app/features/settings/commands.server";
import { DEFAULT_EXEMPTION_TEXT } from "../../app/features/settings/queries.server";
import { createUser } from "../../app/features/users/commands.server";
import { readMunicipalitiesCsv } from "../../app/features/demo/seed.server";

/*
 * The one association builder of the test suite (docs/quality.md#how-the-tests-are-organised). Every kind of test
 * starts from it: the use-case tests call the use cases in-process on the file it makes, the HTTP tests start the
 * real server on that file (test/support/http.ts), the browser tests seed through it before the server starts.
 *
 * It makes a fresh SQLite file in a temporary folder, migrated by the app's own migrations (db/client.ts, the same
 * code the server runs at start-up), and fills it through the real use cases: members from the reference data in
 * data/municipalities-2024.csv, one user per role, the association's settings, fee schedules, projects with budgets
 * and participants. It answers with the ids and a Scope per role.
 *
 * db/client.ts keeps one connection per process, opened at DATABASE_PATH on first use. The builder closes any
 * connection that is open and points DATABASE_PATH at its new file, so a test file gets its own file, and may build
 * a second association after the first (the first one's connection is closed then).
 */

export const PASSWORD = "correct horse battery";
export const EMAIL: Record<Role, string> = {
  admin: "admin@test.se",
  treasurer: "kassor@test.se",
  member: "kontakt@test.se",
};
export const ROLES: Role[] = ["admin", "treasurer", "member"];

/** The association's details as most tests want them: no VAT, bankgiro 5050-1055, numbers from 2026001. */
export const SETTINGS: SettingsSave = {
  name: "Intresseföreningen för Sambruk",
  orgNumber: "802412-3344",
  vatNumber: null,
  street: "Box 1",
  postalCode: "111 11",
  city: "Stockholm",
  email: "kansli@sambruk.example.se",
  phone: null,
  bankgiro: "5050-1055",
  paymentTermsDays: 30,
  nextInvoiceNumber: 2026001,
  ourReference: "Kim Kassör",
  vatRateEntryFee: 0,
  vatRateAnnualFee: 0,
  vatRateProjectShare: 0,
  vatExemptionText: DEFAULT_EXEMPTION_TEXT,
  footer: "",
};

export interface Municipality {
  code: string;
  name: string;
  county: string;
  population: number;
}

/**
 * The fifteen real municipalities of data/municipalities-2024.csv (SCB, 31 December 2024), in code order, read as
 * the demo reads them (billing/csv.ts).
 */
export function referenceMunicipalities(): Municipality[] {
  return readMunicipalitiesCsv(path.resolve(__dirname, "../../data/municipalities-2024.csv"));
}

export function referenceMunicipality(code: string): Municipality {
  const found = referenceMunicipalities().find((m) => m.code === code);
  if (!found) throw new Error(`municipality ${code} is not in data/municipalities-2024.csv`);
  return found;
}

/** A Luhn-valid municipal organisation number derived from the municipality code (demo data, not the real one). */
export function demoOrgNumber(code: string): string {
  return generateOrgNumber(`2120${code}0`.slice(0, 9));
}

/** A Luhn-valid municipal organisation number that no built member has. */
export function municipalOrgNumber(seed: string): string {
  return generateOrgNumber(`2120${seed}`.padEnd(9, "7").slice(0, 9));
}

/**
 * The four municipalities of the API tests, one of each fee bracket and then some: Dals-Ed (the member user's own,
 * small), Göteborg (large), Mölndal and Botkyrka (medium).
 */
export const FOUR_MUNICIPALITIES = ["1438", "1480", "1481", "0127"];

/** A valid POST /members body (and MemberCreateSchema input) for a municipality that is not built. */
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

/** The fields every built municipality gets: the name, address, e-mail and reference the tests look for. */
export function municipalityInput(
  m: Municipality,
  opts: { joinedOn?: string; populationYear?: number | null; population?: number } = {},
) {
  return {
    kind: "municipality" as const,
    name: `${m.name} kommun`,
    municipalityCode: m.code,
    orgNumber: demoOrgNumber(m.code),
    joinedOn: opts.joinedOn ?? "2020-01-01",
    population:
      opts.populationYear === null
        ? undefined
        : { year: opts.populationYear ?? 2024, population: opts.population ?? m.population },
    invoiceAddress: { street: "Stadshuset", postalCode: "111 11", city: m.name },
    invoiceEmail: `faktura@${m.code}.example.se`,
    reference: `Ref ${m.code}`,
  };
}

/** A municipality to build: a code of the reference data, or the code with its own figures, or a made-up one. */
export type MunicipalitySpec =
  | string
  | {
      code: string;
      /** For a municipality that is not in the reference data. */
      name?: string;
      county?: string;
      /** The year of the one population figure; null for none. Default: `populationYear` of the options. */
      populationYear?: number | null;
      population?: number;
      /** More figures: year → population. */
      populations?: Record<number, number>;
      joinedOn?: string;
    };

/** A project as the API's POST /projects body, with its budgets (kronor) and participants. */
export interface ProjectSpec {
  code: string;
  name?: string;
  allocationKey: string;
  status?: string;
  basePercent?: string | number;
  description?: string;
  /** Year → amount in kronor as the API takes it ("1000000.00"). */
  budgets?: Record<number, string>;
  participants?: Array<ParticipantSpec>;
}

export interface ParticipantSpec {
  /** A municipality code of the association, "SKR" for the organisation, or a member id. */
  member: string | number;
  joinedOn?: string;
  weight?: string | number;
}

export interface AssociationOptions {
  /** Which municipalities: "all" fifteen of the reference data (the default), or a list. */
  municipalities?: "all" | MunicipalitySpec[];
  /** The year of each municipality's population figure (default 2024, the reference data's year). */
  populationYear?: number;
  /** Adds Sveriges Kommuner och Regioner, an organisation without any population figure, as member "SKR". */
  organisation?: boolean;
  /** One user per role (default true). The member user belongs to `memberUserOf` (default Dals-Ed, else the first). */
  users?: boolean;
  memberUserOf?: string;
  /** The association's settings: true for SETTINGS, or SETTINGS with these changes. Default: none. */
  settings?: boolean | Partial<SettingsSave>;
  /** Fee schedules besides the default 2005 one, as the API's POST /fee-schedules body. */
  feeSchedules?: unknown[];
  projects?: ProjectSpec[];
  /** Billing runs made by the treasurer after everything else (POST /billing-runs bodies), issued when `issue`. */
  billingRuns?: Array<{ year: number; charges: string[]; issue?: boolean }>;
  /** Prefix of the temporary folder, to tell the files of the test files apart. */
  prefix?: string;
}

export interface Association {
  dir: string;
  dbPath: string;
  /** Member ids by municipality code, and "SKR" for the organisation. */
  member: Record<string, number>;
  /** The same ids by the municipality's name in camel case without diacritics: dalsEd, goteborg, molndal … */
  members: Record<string, number>;
  users: Record<Role, PublicUser>;
  /** Who is asking, per role; `system` is the command line's scope. */
  scope: Record<Role | "system", Scope>;
  /** Project ids by code. */
  project: Record<string, number>;
  /** The ids of the billing runs of the option `billingRuns`, in order. */
  billingRuns: number[];
  /** The secret the in-process session cookies are signed with; the server started on this file gets it too. */
  sessionSecret: string;
  sqlite: () => Database.Database;
  sql: <T = Record<string, unknown>>(query: string, ...params: unknown[]) => T[];
  /** Rows in a table, optionally filtered: count("invoices", "number IS NOT NULL"). */
  count: (table: string, where?: string, ...params: unknown[]) => number;
  /** Row counts of the given tables (default: those a refused member, fee or user change could touch). */
  snapshot: (tables?: string[]) => Record<string, number>;
  /** Row count and a hash of the contents of every table. */
  fingerprint: () => Record<string, string>;
  /** SQLite's PRAGMA data_version: changes whenever another connection (the server) commits a write. */
  dataVersion: () => number;
  /** Creates a project (the body of POST /projects, parsed by the same schema) as the board; returns its id. */
  addProject: (spec: ProjectSpec) => number;
  /** Sets a budget in kronor ("1000.00"), as PUT /projects/{id}/budgets/{year} does. */
  setBudget: (projectId: number, year: number, amount: string) => void;
  /** Adds a participant (default from 2024-01-01), as POST /projects/{id}/participants does for the board. */
  addParticipant: (projectId: number, member: string | number, joinedOn?: string, weight?: string | number) => void;
  /** Closes the connection and removes the folder. */
  close: () => void;
}

/** "Dals-Ed" → "dalsEd", "Göteborg" → "goteborg". */
export function camelName(name: string): string {
  const [first, ...rest] = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[-\s]+/);
  return first.toLowerCase() + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join("");
}

const SNAPSHOT_TABLES = [
  "members",
  "populations",
  "fee_schedules",
  "fee_brackets",
  "fee_overrides",
  "users",
  "audit_log",
];

const ORGANISATION = {
  kind: "organisation" as const,
  name: "Sveriges Kommuner och Regioner",
  orgNumber: generateOrgNumber("222000001"),
  joinedOn: "2020-01-01",
};

export async function association(options: AssociationOptions = {}): Promise<Association> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? "sambruk-test-"));
  const dbPath = path.join(dir, "test.db");
  closeDatabase();
  process.env.DATABASE_PATH = dbPath;
  // Sessions are signed with SESSION_SECRET, read once per process (app/env.server.ts): set it before anything
  // reads it, so that cookies made in-process are accepted by a server started with the same secret.
  process.env.SESSION_SECRET ??= randomBytes(24).toString("hex");
  const sessionSecret = process.env.SESSION_SECRET;
  const sqlite = () => connection().sqlite;
  sqlite(); // migrates the new file, as the server does at start-up

  const system = SYSTEM_SCOPE;
  const member: Record<string, number> = {};
  const members: Record<string, number> = {};
  const reference = referenceMunicipalities();
  const specs: MunicipalitySpec[] =
    options.municipalities === undefined || options.municipalities === "all"
      ? reference.map((m) => m.code)
      : options.municipalities;
  for (const spec of specs) {
    const s = typeof spec === "string" ? { code: spec } : spec;
    const known = reference.find((m) => m.code === s.code);
    const m: Municipality = known ?? {
      code: s.code,
      name: s.name ?? `Kommun ${s.code}`,
      county: s.county ?? "",
      population: s.population ?? 10_000,
    };
    const input = municipalityInput(s.name ? { ...m, name: s.name } : m, {
      joinedOn: s.joinedOn,
      populationYear: s.populationYear === undefined ? (options.populationYear ?? 2024) : s.populationYear,
      population: s.population,
    });
    const id = createMember(system, input).id;
    member[s.code] = id;
    members[camelName(input.name.replace(/ kommun$/, ""))] = id;
    for (const [year, population] of Object.entries(s.populations ?? {})) {
      setPopulation(system, id, Number(year), population);
    }
  }
  if (options.organisation) member.SKR = createMember(system, ORGANISATION).id;

  const users = {} as Record<Role, PublicUser>;
  const scope = { system } as Record<Role | "system", Scope>;
  if (options.users !== false) {
    const own = member[options.memberUserOf ?? "1438"] ?? Object.values(member)[0];
    if (own === undefined) throw new Error("the member user needs a member: build at least one");
    users.admin = await createUser(system, {
      email: EMAIL.admin,
      name: "Ada Admin",
      password: PASSWORD,
      role: "admin",
    });
    users.treasurer = await createUser(system, {
      email: EMAIL.treasurer,
      name: "Kim Kassör",
      password: PASSWORD,
      role: "treasurer",
    });
    users.member = await createUser(system, {
      email: EMAIL.member,
      name: "Mo Medlem",
      password: PASSWORD,
      role: "member",
      memberId: own,
    });
    for (const role of ROLES) {
      const u = users[role];
      scope[role] = { userId: u.id, email: u.email, role: u.role, memberId: u.memberId };
    }
  }
  const board = scope.admin ?? system;

  if (options.settings) {
    saveSettings(system, { ...SETTINGS, ...(options.settings === true ? {} : options.settings) });
  }
  for (const body of options.feeSchedules ?? []) {
    createFeeSchedule(board, FeeScheduleSchema.parse(body) as FeeScheduleInput);
  }

  const memberId = (ref: string | number) => {
    if (typeof ref === "number") return ref;
    const id = member[ref];
    if (id === undefined) throw new Error(`no member ${ref} in this association`);
    return id;
  };
  const project: Record<string, number> = {};
  const addProject = (spec: ProjectSpec) => {
    const { budgets, participants, ...body } = spec;
    const created = createProject(board, ProjectCreateSchema.parse({ name: `Projekt ${spec.code}`, ...body }));
    project[created.code] = created.id;
    for (const [year, amount] of Object.entries(budgets ?? {})) doSetBudget(created.id, Number(year), amount);
    for (const p of participants ?? []) doAddParticipant(created.id, p.member, p.joinedOn, p.weight);
    return created.id;
  };
  const doSetBudget = (projectId: number, year: number, amount: string) => {
    setBudget(board, projectId, year, BudgetSchema.parse({ amount }));
  };
  const doAddParticipant = (
    projectId: number,
    ref: string | number,
    joinedOn = "2024-01-01",
    weight?: string | number,
  ) => {
    addParticipant(
      board,
      projectId,
      ParticipantCreateSchema.parse({ memberId: memberId(ref), joinedOn, ...(weight === undefined ? {} : { weight }) }),
    );
  };
  for (const spec of options.projects ?? []) addProject(spec);

  const billingRuns: number[] = [];
  for (const { issue, ...body } of options.billingRuns ?? []) {
    const treasurer = scope.treasurer ?? system;
    const made = createBillingRun(treasurer, BillingRunSchema.parse(body));
    if (!made.run) throw new Error(`billing run ${JSON.stringify(body)} found nothing to invoice`);
    if (issue) issueRun(treasurer, made.run.id);
    billingRuns.push(made.run.id);
  }

  const sql = <T = Record<string, unknown>>(query: string, ...params: unknown[]) =>
    sqlite()
      .prepare(query)
      .all(...params) as T[];
  const count = (table: string, where = "1 = 1", ...params: unknown[]) =>
    (
      sqlite()
        .prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
        .get(...params) as { n: number }
    ).n;
  const fingerprint = () => {
    const tables = sql<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    return Object.fromEntries(
      tables.map(({ name }) => {
        const rows = sql(`SELECT * FROM "${name}"`);
        const hash = createHash("sha256").update(JSON.stringify(rows)).digest("hex").slice(0, 16);
        return [name, `${rows.length}:${hash}`];
      }),
    );
  };

  return {
    dir,
    dbPath,
    member,
    members,
    users,
    scope,
    project,
    billingRuns,
    sessionSecret,
    sqlite,
    sql,
    count,
    snapshot: (tables = SNAPSHOT_TABLES) => Object.fromEntries(tables.map((t) => [t, count(t)])),
    fingerprint,
    dataVersion: () => sqlite().pragma("data_version", { simple: true }) as number,
    addProject,
    setBudget: doSetBudget,
    addParticipant: doAddParticipant,
    close: () => {
      closeDatabase();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
