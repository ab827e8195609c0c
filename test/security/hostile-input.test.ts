import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateOrgNumber } from "../../billing/identifiers";
import { municipalOrgNumber, newMunicipality } from "../support/association";
import { pageClient } from "../support/server";
import {
  API,
  appRoutes,
  fill,
  MISSING_ID,
  startSecurityContext,
  stopSecurityContext,
  YEAR,
  type AppRoute,
  type Method,
  type Params,
  type SecurityContext,
} from "./fixture";

/*
 * Hostile input (docs/quality.md#bad-input): generated malformed payloads — wrong types for every field, missing and
 * extra fields, 100 000-character strings, negative and huge numbers, NaN, impossible dates, SQL and HTML, broken
 * JSON, arrays for objects, the wrong content types, empty bodies — sent to every API endpoint with every method
 * it has, and to every form of every page (the forms are read from the pages themselves, as a browser would).
 * Every answer is a 4xx (JSON with a message from the API), never a 5xx, and the database does not change.
 * Valid-but-hostile text (a member called <script>) is stored as typed and shown escaped.
 */
const ROUTES = appRoutes();
const byId = new Map(ROUTES.map((r) => [r.id, r]));

let ctx: SecurityContext;
beforeAll(async () => {
  ctx = await startSecurityContext();
}, 120_000);
afterAll(async () => {
  await stopSecurityContext(ctx);
});

const LONG = "x".repeat(100_000);
const SQL = "'; DROP TABLE members; --";
const HTML = "<script>alert(1)</script>";

/** Runs one request and checks the database did not change under it. */
async function unchanged<T>(what: string, send: () => Promise<T>): Promise<T> {
  const before = ctx.dataVersion();
  const result = await send();
  expect(ctx.dataVersion(), `${what} changed the database`).toBe(before);
  return result;
}

// The API ------------------------------------------------------------------------------------------------------

/**
 * What a field holds, which decides what is certainly wrong for it: `text` is free text (any characters, up to
 * a maximum), `loose` a code that takes digits and dashes (a phone number, a project code), `string` a strictly
 * formatted one (organisation number, e-mail, postal code).
 */
type Kind = "text" | "loose" | "string" | "int" | "amount" | "decimal" | "date" | "enum" | "bool" | "object" | "array";
interface Field {
  kind: Kind;
  required?: boolean;
  /** null is a valid value (clears the field). */
  nullable?: boolean;
}

const COMMON = [LONG, {}, [], true];
/** Text no person types (docs/security.md "Text"): a NUL, a right-to-left override, a lone surrogate. */
const UNTYPABLE = ["Dals\u0000Ed", "faktura\u202efdp.exe", "Dals\ud800Ed", "Dals\u0007Ed"];
/** The same in a form; a lone surrogate cannot be percent-encoded (it is sent as bytes, above). */
const UNTYPABLE_FORM = UNTYPABLE.filter((s) => !/[\ud800-\udfff]/.test(s));
const WRONG: Record<Kind, unknown[]> = {
  text: [...COMMON, 42, -1, 1e308, ...UNTYPABLE],
  loose: [...COMMON, 42, SQL, HTML],
  string: [...COMMON, 42, SQL, HTML, "NaN", "-1", "2025-13-01"],
  int: [...COMMON, "abc", "NaN", "1e308", 1e308, -1, 1.5, SQL, HTML, "2025-13-01", "Infinity"],
  // 12.5 and 16000 are amounts a float can hold, and still refused: amounts are strings (docs/security.md "Money").
  amount: [...COMMON, "abc", "NaN", "1e308", 1e308, -1, "-1.00", "1.005", "Infinity", "1,2,3", SQL, HTML, 12.5, 16000],
  /** A weight or a percentage: a decimal string or a JSON number (docs/api.md#basics), up to six decimals. */
  decimal: [...COMMON, "abc", "NaN", "1e308", 1e308, -1, "-1", "Infinity", "1,2,3", "1.1234567", SQL, HTML],
  date: [...COMMON, "2025-02-30", "2025-13-01", "2025-00-10", "NaN", 20250101, -1, SQL, HTML, "2025-02-30T00:00:00Z"],
  enum: [...COMMON, SQL, HTML, "NaN", 1, -1],
  bool: [LONG, {}, [], "maybe", 1, 0, "NaN", SQL],
  object: [LONG, "x", 1, [], true, SQL],
  array: [LONG, "x", 1, {}, [], [SQL], [HTML], new Array(10_000).fill(1), true],
};

interface Endpoint {
  route: string;
  method: Method;
  params?: (c: SecurityContext) => Params;
  as?: "admin" | "treasurer" | "member" | "anonymous";
  /** A valid body: each payload breaks it in one way only. */
  body: (c: SecurityContext) => Record<string, unknown>;
  fields: Record<string, Field>;
}

const address: Record<string, Field> = {
  invoiceAddress: { kind: "object", nullable: true },
  "invoiceAddress.street": { kind: "text", required: true },
  "invoiceAddress.postalCode": { kind: "string", required: true },
  "invoiceAddress.city": { kind: "text", required: true },
};
const memberFields: Record<string, Field> = {
  kind: { kind: "enum", required: true },
  name: { kind: "text", required: true },
  municipalityCode: { kind: "string", nullable: true },
  orgNumber: { kind: "string", required: true },
  joinedOn: { kind: "date", required: true },
  resignedOn: { kind: "date", nullable: true },
  ...address,
  invoiceEmail: { kind: "string", nullable: true },
  reference: { kind: "text", nullable: true },
  contactName: { kind: "text", nullable: true },
  contactEmail: { kind: "string", nullable: true },
  contactPhone: { kind: "loose", nullable: true },
};
const optional = (fields: Record<string, Field>) =>
  Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, k.includes(".") ? f : { ...f, required: false }]));
const projectFields: Record<string, Field> = {
  code: { kind: "loose", required: true },
  name: { kind: "text", required: true },
  description: { kind: "text", nullable: true },
  status: { kind: "enum" },
  allocationKey: { kind: "enum", required: true },
  basePercent: { kind: "decimal", nullable: true },
};

const ENDPOINTS: Endpoint[] = [
  {
    route: "routes/api.v1.tokens",
    method: "POST",
    as: "anonymous",
    body: () => ({ email: "admin@test.se", password: "fel lösenord" }),
    fields: { email: { kind: "text", required: true }, password: { kind: "text", required: true } },
  },
  {
    route: "routes/api.v1.members",
    method: "POST",
    body: () => newMunicipality({ orgNumber: municipalOrgNumber("14029") }),
    fields: {
      ...memberFields,
      population: { kind: "object" },
      "population.year": { kind: "int", required: true },
      "population.population": { kind: "int", required: true },
    },
  },
  {
    route: "routes/api.v1.members.$id",
    method: "PATCH",
    params: (c) => ({ id: c.members.molndal }),
    body: () => ({ reference: "KS 2026/1" }),
    fields: optional(memberFields),
  },
  {
    route: "routes/api.v1.members.$id",
    method: "PATCH",
    as: "member",
    params: (c) => ({ id: c.members.dalsEd }),
    body: () => ({ reference: "KS 2026/1" }),
    fields: optional({
      ...address,
      invoiceEmail: memberFields.invoiceEmail,
      reference: memberFields.reference,
      contactName: memberFields.contactName,
      contactEmail: memberFields.contactEmail,
      contactPhone: memberFields.contactPhone,
    }),
  },
  {
    route: "routes/api.v1.members.$id.populations.$year",
    method: "PUT",
    params: (c) => ({ id: c.members.molndal, year: YEAR }),
    body: () => ({ population: 71_420 }),
    fields: { population: { kind: "int", required: true } },
  },
  {
    route: "routes/api.v1.fee-schedules",
    method: "POST",
    body: () => ({
      validFrom: 2031,
      note: "Ny modell",
      brackets: [{ name: "small", minPopulation: 0, entryFee: "5000.00", annualFee: "8000.00" }],
    }),
    fields: {
      validFrom: { kind: "int", required: true },
      note: { kind: "text" },
      brackets: { kind: "array", required: true },
      "brackets.0": { kind: "object", required: true },
      "brackets.0.name": { kind: "loose", required: true },
      "brackets.0.label": { kind: "text" },
      "brackets.0.minPopulation": { kind: "int", required: true },
      "brackets.0.entryFee": { kind: "amount", required: true },
      "brackets.0.annualFee": { kind: "amount", required: true },
    },
  },
  {
    route: "routes/api.v1.users",
    method: "POST",
    body: () => ({ email: "ny@test.se", name: "Ny Användare", password: "ett långt lösenord", role: "treasurer" }),
    fields: {
      email: { kind: "string", required: true },
      name: { kind: "text", required: true },
      password: { kind: "text", required: true },
      role: { kind: "enum", required: true },
      memberCode: { kind: "string" },
      memberId: { kind: "int" },
    },
  },
  {
    route: "routes/api.v1.users.$id",
    method: "PATCH",
    params: (c) => ({ id: c.users.member.id }),
    body: () => ({ name: "Mo Medlem" }),
    fields: {
      role: { kind: "enum" },
      memberId: { kind: "int", nullable: true },
      active: { kind: "bool" },
      name: { kind: "text" },
    },
  },
  {
    route: "routes/api.v1.projects",
    method: "POST",
    body: () => ({ code: "HOSTIL-1", name: "Nytt projekt", allocationKey: "equal" }),
    fields: projectFields,
  },
  {
    route: "routes/api.v1.projects.$id",
    method: "PATCH",
    params: (c) => ({ id: c.projects.joined }),
    body: () => ({ name: "Nytt namn" }),
    fields: optional(projectFields),
  },
  {
    route: "routes/api.v1.projects.$id.budgets.$year",
    method: "PUT",
    params: (c) => ({ id: c.projects.joined, year: YEAR + 1 }),
    body: () => ({ amount: "50000.00", note: "Beslut" }),
    fields: { amount: { kind: "amount", required: true }, note: { kind: "text" } },
  },
  {
    route: "routes/api.v1.projects.$id.participants",
    method: "POST",
    params: (c) => ({ id: c.projects.joined }),
    body: (c) => ({ memberId: c.members.molndal, joinedOn: "2025-01-01" }),
    fields: {
      memberId: { kind: "int", required: true },
      joinedOn: { kind: "date", required: true },
      weight: { kind: "decimal", nullable: true },
    },
  },
  {
    route: "routes/api.v1.projects.$id.participants.$memberId",
    method: "PATCH",
    params: (c) => ({ id: c.projects.joined, memberId: c.members.goteborg }),
    body: () => ({ leftOn: "2026-12-31" }),
    fields: { leftOn: { kind: "date", nullable: true }, weight: { kind: "decimal", nullable: true } },
  },
  {
    route: "routes/api.v1.billing-runs",
    method: "POST",
    as: "treasurer",
    body: () => ({ year: YEAR + 2, charges: ["annual_fee"] }),
    fields: {
      year: { kind: "int", required: true },
      charges: { kind: "array", required: true },
      "charges.0": { kind: "enum", required: true },
    },
  },
  {
    route: "routes/api.v1.invoices.$id.payments",
    method: "POST",
    as: "treasurer",
    params: (c) => ({ id: c.invoices.own }),
    body: () => ({ amount: "100.00", paidOn: "2025-06-01" }),
    fields: {
      amount: { kind: "amount", required: true },
      paidOn: { kind: "date", required: true },
      note: { kind: "text" },
    },
  },
  {
    route: "routes/api.v1.invoices.$id.credit",
    method: "POST",
    as: "treasurer",
    params: (c) => ({ id: c.invoices.own }),
    body: () => ({ reason: "Fel belopp" }),
    fields: { reason: { kind: "text", required: true } },
  },
  {
    route: "routes/api.v1.unmatched-payments.$id.assign",
    method: "POST",
    as: "treasurer",
    params: (c) => ({ id: c.unmatched.open }),
    body: (c) => ({
      invoiceNumber: c.sql<{ n: number }>("SELECT number AS n FROM invoices WHERE id = ?", c.invoices.other)[0].n,
      amount: "1.00",
    }),
    fields: { invoiceNumber: { kind: "int", required: true }, amount: { kind: "amount", nullable: true } },
  },
  {
    route: "routes/api.v1.unmatched-payments.$id.refund",
    method: "POST",
    as: "treasurer",
    params: (c) => ({ id: c.unmatched.open }),
    body: () => ({ note: "Återbetald" }),
    fields: { note: { kind: "text", required: true } },
  },
];

/** The calls without a body, and the bodiless half of the methods above: hostile paths, queries and headers. */
interface PathCase {
  route: string;
  method: Method;
  as?: "admin" | "treasurer" | "member";
  urls: (c: SecurityContext) => string[];
  /** 200 is a fair answer (a search that finds nothing). */
  may200?: boolean;
}

const BAD_IDS = [
  "0",
  "-1",
  "abc",
  "1e3",
  "1.5",
  "99999999999999999999",
  "0x10",
  encodeURIComponent(SQL),
  encodeURIComponent(HTML),
  String(MISSING_ID),
];
const BAD_YEARS = [
  "abc",
  "NaN",
  "1e308",
  "-1",
  "2025.5",
  "",
  "1999",
  "2101",
  encodeURIComponent(SQL),
  encodeURIComponent(HTML),
  LONG,
];
const ids = (pattern: (id: string) => string) => () => BAD_IDS.map(pattern);

const PATHS: PathCase[] = [
  {
    route: "routes/api.v1.members",
    method: "GET",
    may200: true,
    urls: () => [SQL, HTML, LONG, "%", "_", "\\"].map((q) => `/members?q=${encodeURIComponent(q)}`),
  },
  { route: "routes/api.v1.members.$id", method: "GET", urls: ids((id) => `/members/${id}`) },
  { route: "routes/api.v1.members.$id", method: "PATCH", urls: ids((id) => `/members/${id}`) },
  {
    route: "routes/api.v1.members.$id.populations.$year",
    method: "PUT",
    urls: (c) => [
      ...BAD_IDS.map((id) => `/members/${id}/populations/${YEAR}`),
      ...BAD_YEARS.filter(Boolean).map((y) => `/members/${c.members.molndal}/populations/${y}`),
    ],
  },
  {
    route: "routes/api.v1.fee-schedules",
    method: "GET",
    may200: true,
    urls: () => [`/fee-schedules?x=${encodeURIComponent(SQL)}`],
  },
  { route: "routes/api.v1.fees", method: "GET", urls: () => BAD_YEARS.map((y) => `/fees?year=${y}`) },
  { route: "routes/api.v1.users", method: "GET", may200: true, urls: () => [`/users?role=${encodeURIComponent(SQL)}`] },
  { route: "routes/api.v1.users.$id", method: "GET", urls: ids((id) => `/users/${id}`) },
  { route: "routes/api.v1.users.$id", method: "PATCH", urls: ids((id) => `/users/${id}`) },
  {
    route: "routes/api.v1.projects",
    method: "GET",
    may200: true,
    urls: () => [`/projects?status=${encodeURIComponent(HTML)}`],
  },
  { route: "routes/api.v1.projects.$id", method: "GET", urls: ids((id) => `/projects/${id}`) },
  { route: "routes/api.v1.projects.$id", method: "PATCH", urls: ids((id) => `/projects/${id}`) },
  {
    route: "routes/api.v1.projects.$id.allocation",
    method: "GET",
    urls: (c) => [
      ...BAD_IDS.map((id) => `/projects/${id}/allocation?year=${YEAR}`),
      ...BAD_YEARS.map((y) => `/projects/${c.projects.joined}/allocation?year=${y}`),
    ],
  },
  {
    route: "routes/api.v1.projects.$id.budgets.$year",
    method: "PUT",
    urls: (c) => [
      ...BAD_IDS.map((id) => `/projects/${id}/budgets/${YEAR}`),
      ...BAD_YEARS.filter(Boolean).map((y) => `/projects/${c.projects.joined}/budgets/${y}`),
    ],
  },
  {
    route: "routes/api.v1.projects.$id.outcomes.$year",
    method: "PUT",
    urls: (c) => [
      ...BAD_IDS.map((id) => `/projects/${id}/outcomes/${YEAR}`),
      ...BAD_YEARS.filter(Boolean).map((y) => `/projects/${c.projects.joined}/outcomes/${y}`),
    ],
  },
  { route: "routes/api.v1.fee-schedules.$id", method: "PUT", urls: ids((id) => `/fee-schedules/${id}`) },
  { route: "routes/api.v1.fee-schedules.$id", method: "DELETE", urls: ids((id) => `/fee-schedules/${id}`) },
  {
    route: "routes/api.v1.projects.$id.participants",
    method: "POST",
    urls: ids((id) => `/projects/${id}/participants`),
  },
  {
    route: "routes/api.v1.projects.$id.participants.$memberId",
    method: "PATCH",
    urls: (c) => [
      ...BAD_IDS.map((id) => `/projects/${id}/participants/${c.members.goteborg}`),
      ...BAD_IDS.map((id) => `/projects/${c.projects.joined}/participants/${id}`),
    ],
  },
  {
    route: "routes/api.v1.billing-runs",
    method: "GET",
    as: "treasurer",
    may200: true,
    urls: () => [`/billing-runs?year=${encodeURIComponent(SQL)}`],
  },
  {
    route: "routes/api.v1.billing-runs.$id.issue",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/billing-runs/${id}/issue`),
  },
  // E-invoicing (docs/e-invoice.md)
  { route: "routes/api.v1.invoices.$id.ubl", method: "GET", urls: ids((id) => `/invoices/${id}/ubl`) },
  {
    route: "routes/api.v1.settings",
    method: "GET",
    as: "treasurer",
    may200: true,
    urls: () => [`/settings?x=${encodeURIComponent(SQL)}`],
  },
  {
    route: "routes/api.v1.settings",
    method: "PUT",
    as: "treasurer",
    urls: () => [`/settings?x=${encodeURIComponent(HTML)}`],
  },
  {
    route: "routes/api.v1.invoices",
    method: "GET",
    urls: () => [
      ...BAD_YEARS.filter(Boolean).map((y) => `/invoices?year=${y}`),
      ...BAD_IDS.slice(0, -1).map((id) => `/invoices?memberId=${id}`),
      ...[SQL, HTML, "paid ", "NaN"].map((s) => `/invoices?status=${encodeURIComponent(s)}`),
    ],
  },
  { route: "routes/api.v1.invoices.$id", method: "GET", urls: ids((id) => `/invoices/${id}`) },
  { route: "routes/api.v1.invoices.$id.pdf", method: "GET", urls: ids((id) => `/invoices/${id}/pdf`) },
  {
    route: "routes/api.v1.invoices.$id.payments",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/invoices/${id}/payments`),
  },
  {
    route: "routes/api.v1.invoices.$id.credit",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/invoices/${id}/credit`),
  },
  // BgMax payments and receivables: a body that is no BgMax file, ids that cannot be, hostile queries
  {
    route: "routes/api.v1.payment-files",
    method: "POST",
    as: "treasurer",
    urls: () => ["/payment-files", `/payment-files?x=${encodeURIComponent(SQL)}`],
  },
  {
    route: "routes/api.v1.payment-files.$id.apply",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/payment-files/${id}/apply`),
  },
  {
    route: "routes/api.v1.unmatched-payments",
    method: "GET",
    urls: () => [SQL, HTML, "NaN", LONG].map((s) => `/unmatched-payments?status=${encodeURIComponent(s)}`),
  },
  {
    route: "routes/api.v1.unmatched-payments.$id.assign",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/unmatched-payments/${id}/assign`),
  },
  {
    route: "routes/api.v1.unmatched-payments.$id.refund",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/unmatched-payments/${id}/refund`),
  },
  {
    route: "routes/api.v1.receivables",
    method: "GET",
    urls: () =>
      [...BAD_YEARS.filter(Boolean), "2025-02-30", "2025-13-01", "20250101"].map((d) => `/receivables?date=${d}`),
  },
  {
    route: "routes/api.v1.billing-runs.$id.send",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/billing-runs/${id}/send`),
  },
  {
    route: "routes/api.v1.invoices.$id.send",
    method: "POST",
    as: "treasurer",
    urls: ids((id) => `/invoices/${id}/send`),
  },
  // Data in and out: hostile periods for the SIE export, files that are no SCB file, ids that cannot be
  {
    route: "routes/api.v1.exports.sie",
    method: "GET",
    as: "treasurer",
    urls: () =>
      [...BAD_YEARS.filter(Boolean), "2025-02-30", "20250101", SQL].map(
        (d) => `/exports/sie?from=${encodeURIComponent(d)}&to=2025-12-31`,
      ),
  },
  {
    route: "routes/api.v1.population-imports",
    method: "POST",
    as: "admin",
    urls: () => [...BAD_YEARS.filter(Boolean), SQL].map((y) => `/population-imports?year=${encodeURIComponent(y)}`),
  },
  {
    route: "routes/api.v1.population-imports.$id.apply",
    method: "POST",
    as: "admin",
    urls: ids((id) => `/population-imports/${id}/apply`),
  },
];

function setPath(
  body: Record<string, unknown>,
  dotted: string,
  value: unknown,
  remove = false,
): Record<string, unknown> {
  const copy = structuredClone(body) as Record<string, unknown>;
  const parts = dotted.split(".");
  let node = copy as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null)
      node[part] = /^\d+$/.test(parts[parts.indexOf(part) + 1] ?? "") ? [] : {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

interface Payload {
  label: string;
  body: string;
  contentType?: string;
}

/** Every way the generator breaks a valid body of an endpoint. */
function payloads(e: Endpoint): Payload[] {
  const base = e.body(ctx);
  const json = (label: string, value: unknown): Payload => ({ label, body: JSON.stringify(value) });
  const out: Payload[] = [
    { label: "an empty body", body: "" },
    { label: "broken JSON", body: JSON.stringify(base).slice(0, -3) },
    { label: "JSON with a trailing comma", body: JSON.stringify(base).replace(/}$/, ",}") },
    { label: "single quotes", body: JSON.stringify(base).replace(/"/g, "'") },
    { label: "NaN as a bare JSON value", body: JSON.stringify(base).replace(/}$/, ',"x":NaN}') },
    json("null", null),
    json("a number", 42),
    json("a string", "hej"),
    json("an array instead of an object", [base]),
    json("an empty array", []),
    json("an unknown extra field", { ...base, isAdmin: true }),
    { label: "a __proto__ key", body: JSON.stringify(base).replace(/^\{/, '{"__proto__":{"role":"admin"},') },
    json("a constructor key", { ...base, constructor: { prototype: { role: "admin" } } }),
    json("deep nesting", JSON.parse("[".repeat(2000) + "]".repeat(2000))),
    { label: "a body over the size limit", body: JSON.stringify({ ...base, padding: "x".repeat(1_100_000) }) },
    { label: "the valid body as text/plain", body: JSON.stringify(base), contentType: "text/plain" },
    {
      label: "the valid body as a form",
      body: new URLSearchParams(Object.entries(base).map(([k, v]) => [k, String(v)])).toString(),
      contentType: "application/x-www-form-urlencoded",
    },
    {
      label: "the valid body as multipart",
      body: `--X\r\nContent-Disposition: form-data; name="json"\r\n\r\n${JSON.stringify(base)}\r\n--X--\r\n`,
      contentType: "multipart/form-data; boundary=X",
    },
  ];
  if (e.method !== "PATCH") out.push(json("an empty object", {}));
  for (const [path, field] of Object.entries(e.fields)) {
    if (field.required && e.method !== "PATCH") out.push(json(`${path} missing`, setPath(base, path, undefined, true)));
    if (!field.nullable) out.push(json(`${path} null`, setPath(base, path, null)));
    for (const value of WRONG[field.kind]) {
      const shown =
        typeof value === "string" && value.length > 40
          ? `${value.slice(0, 10)}…(${value.length})`
          : JSON.stringify(value)?.slice(0, 40);
      out.push(json(`${path} = ${shown}`, setPath(base, path, value)));
    }
  }
  return out;
}

async function call(
  method: string,
  url: string,
  as: Endpoint["as"],
  body?: string,
  contentType?: string,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = { ...extra };
  if (as && as !== "anonymous") headers.Authorization = `Bearer ${ctx.token[as]}`;
  if (body !== undefined) headers["Content-Type"] = contentType ?? "application/json";
  const res = await fetch(`${ctx.server.url}/api/v1${url}`, { method, headers, body });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* checked below */
  }
  return { status: res.status, text, json, type: res.headers.get("content-type") ?? "" };
}

function expectRefused(res: Awaited<ReturnType<typeof call>>, what: string) {
  // Node's HTTP parser refuses a request line or header over 16 KiB before the app sees it: a bare 431.
  if (res.status === 431) return;
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.type, what).toMatch(/^application\/json/);
  expect(res.json?.error?.message, `${what}: ${res.text.slice(0, 300)}`).toEqual(expect.any(String));
  expect(res.json?.error?.code, what).toEqual(expect.any(String));
}

describe("the API refuses every malformed body", () => {
  test("the generator covers every API route and method", () => {
    const covered = new Set([...ENDPOINTS, ...PATHS].map((e) => `${e.route} ${e.method}`));
    covered.add("routes/api.v1.tokens DELETE"); // below, with hostile Authorization headers
    const missing = Object.entries(API)
      .flatMap(([route, row]) => row.methods.map((m) => `${route} ${m}`))
      .filter((k) => !covered.has(k));
    expect(missing, "API methods without hostile input: add them to ENDPOINTS or PATHS").toEqual([]);
    const routes = ROUTES.filter((r) => r.api && r.id !== "routes/api.v1.$").map((r) => r.id);
    expect(
      routes.filter((id) => !(id in API)),
      "API routes missing from the table in fixture.ts",
    ).toEqual([]);
  });

  test("the change detector sees a write (so that 'unchanged' below means something)", async () => {
    const before = ctx.dataVersion();
    expect(
      (await ctx.api.admin.put(`/members/${ctx.members.botkyrka}/populations/2019`, { population: 1 })).status,
    ).toBe(200);
    expect(ctx.dataVersion()).not.toBe(before);
  });

  test.each(ENDPOINTS.map((e) => [`${e.method} ${e.route}${e.as ? ` as ${e.as}` : ""}`, e] as const))(
    "%s",
    async (_label, e) => {
      const route = byId.get(e.route)!;
      const url = fill(route.path, e.params?.(ctx) ?? {}).replace(/^\/api\/v1/, "");
      const before = ctx.fingerprint();
      const list = payloads(e);
      expect(list.length).toBeGreaterThan(15);
      for (const p of list) {
        const res = await unchanged(`${e.method} ${url} with ${p.label}`, () =>
          call(e.method, url, e.as ?? "admin", p.body, p.contentType),
        );
        expectRefused(res, `${e.method} ${url} with ${p.label}`);
      }
      expect(ctx.fingerprint()).toEqual(before);
    },
    120_000,
  );

  test.each(PATHS.map((p) => [`${p.method} ${p.route}`, p] as const))(
    "hostile ids, years and queries: %s",
    async (_label, p) => {
      for (const url of p.urls(ctx)) {
        const body = p.method === "GET" ? undefined : "{}";
        const res = await unchanged(`${p.method} ${url.slice(0, 80)}`, () =>
          call(p.method, url, p.as ?? "admin", body),
        );
        if (p.may200 && res.status === 200) continue;
        expectRefused(res, `${p.method} ${url.slice(0, 80)}`);
      }
    },
    60_000,
  );

  test("hostile Authorization headers are a 401, on every route", async () => {
    const headers = [
      `Bearer ${LONG}`,
      `Bearer ${SQL}`,
      `Bearer ${HTML}`,
      "Bearer",
      "Bearer  ",
      "Basic YWRtaW46YWRtaW4=",
      `Bearer ${ctx.token.admin} extra`,
      `Bearer ${ctx.token.admin.slice(0, -1)}`,
      "sbk_only",
    ];
    for (const route of ROUTES.filter((r) => r.api && API[r.id]?.methods.length)) {
      const url = fill(route.path, API[route.id].params?.(ctx) ?? {}).replace(/^\/api\/v1/, "");
      for (const method of API[route.id].methods) {
        if (route.id === "routes/api.v1.tokens" && method === "POST") continue;
        for (const authorization of headers) {
          const res = await unchanged(`${method} ${url}`, () =>
            call(method, url, undefined, method === "GET" || method === "DELETE" ? undefined : "{}", undefined, {
              Authorization: authorization,
            }),
          );
          expect(res.status, `${method} ${url} with ${authorization.slice(0, 30)}`).toBe(
            authorization.length > 16_000 ? 431 : 401,
          );
          expectRefused(res, `${method} ${url}`);
        }
      }
    }
  }, 60_000);
});

// The pages' forms -----------------------------------------------------------------------------------------------

interface Form {
  action: string;
  fields: Array<[string, string]>;
}

const decode = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|#x27|#39|#x2F);/g,
    (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'", "#x2F": "/" })[e]!,
  );

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) out[m[1].toLowerCase()] = decode(m[2] ?? "");
  return out;
}

/** The POST forms of a page with the values a browser would send unchanged (checked boxes, selected options). */
function formsOf(html: string, pageUrl: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const a = attrs(m[1]);
    if ((a.method ?? "get").toLowerCase() !== "post") continue;
    const body = m[2];
    const fields: Array<[string, string]> = [];
    for (const input of body.matchAll(/<input\b([^>]*?)\/?>/g)) {
      const i = attrs(input[1]);
      const type = (i.type ?? "text").toLowerCase();
      if (!i.name || ["submit", "button", "file", "image", "reset"].includes(type)) continue;
      if ((type === "checkbox" || type === "radio") && !("checked" in i)) continue;
      fields.push([i.name, i.value ?? (type === "checkbox" ? "on" : "")]);
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const s = attrs(select[1]);
      const options = [...select[2].matchAll(/<option\b([^>]*)>/g)].map((o) => attrs(o[1]));
      const chosen = options.find((o) => "selected" in o) ?? options[0];
      if (s.name && chosen) fields.push([s.name, chosen.value ?? ""]);
    }
    for (const area of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const t = attrs(area[1]);
      if (t.name) fields.push([t.name, decode(area[2])]);
    }
    forms.push({ action: a.action || pageUrl, fields });
  }
  return forms;
}

/** Free text takes anything up to a maximum length; loose codes take digits and dashes; the rest is strict. */
const FORM_TEXT =
  /(^|\.)(name|label|note|description|reason|street|city|reference|ourReference|vatExemptionText|footer|contactName|password|csv|redirectTo)$|^vatExemptionTexts\.\w+$/;
const FORM_LOOSE = /(^|\.)(code|phone|contactPhone|email|invoiceEmail|contactEmail)$|^brackets\.\d+\.name$/;
const FORM_STRICT = [LONG, SQL, HTML, "-1", "1e308", "NaN", "2025-02-30", "2025-13-01", "abc"];
const valuesFor = (name: string) =>
  FORM_LOOSE.test(name) ? [LONG, SQL, HTML] : FORM_TEXT.test(name) ? [LONG] : FORM_STRICT;
/** Fields a form ignores by design, so that any value is accepted. */
const IGNORED: Record<string, string[]> = {
  // The percent belongs to base_plus_per_capita only; with another key the form drops it rather than refuse it.
  "routes/projects.new": ["basePercent"],
  "routes/projects.$id.edit": ["basePercent"],
};

/** The page of each route with a form, where it has something to act on. */
const FORM_PAGES: Record<string, (c: SecurityContext) => Params> = {
  "routes/members.$id": (c) => ({ id: c.members.goteborg }),
  "routes/members.$id_.edit": (c) => ({ id: c.members.goteborg }),
  "routes/projects.$id._index": (c) => ({ id: c.projects.joined }),
  "routes/projects.$id.edit": (c) => ({ id: c.projects.joined }),
  "routes/projects.$id.join": (c) => ({ id: c.projects.other }),
  "routes/projects.$id.leave": (c) => ({ id: c.projects.joined }),
  "routes/projects.$id.participants.$memberId": (c) => ({ id: c.projects.joined, memberId: c.members.goteborg }),
  "routes/billing.runs.$id": (c) => ({ id: c.runs.drafts }),
  "routes/invoices.$id": (c) => ({ id: c.invoices.overdue }),
  "routes/payment-files.$id": (c) => ({ id: c.paymentFiles.preview }),
};
/** Pages that show their form after a first step made with a query. */
const FORM_QUERY: Record<string, string> = {
  "routes/billing._index": `?preview=1&year=${YEAR + 2}&charges=annual_fee&charges=project_share`,
  "routes/payment-files.$id": "?confirm=1",
};
/** Forms a page shows only after a first step that posts. */
const EXTRA_FORMS: Record<string, Array<Array<[string, string]>>> = {
  // The file sent as a text field instead of a file.
  "routes/payment-files._index": [
    [
      ["intent", "upload"],
      ["file", "01BGMAX"],
    ],
  ],
  "routes/populations.import": [
    [
      ["intent", "apply"],
      ["year", String(YEAR)],
      ["csv", "code,name,county,population\n1438,Dals-Ed,Västra Götaland,4700\n"],
    ],
  ],
};

interface FormPayload {
  label: string;
  body: BodyInit;
  contentType?: string;
}

function formPayloads(routeId: string, form: Form): FormPayload[] {
  const encode = (pairs: Array<[string, string]>) => new URLSearchParams(pairs).toString();
  const intent = form.fields.find(([k]) => k === "intent");
  const others = [
    ...new Set(form.fields.map(([k]) => k).filter((k) => k !== "intent" && !(IGNORED[routeId] ?? []).includes(k))),
  ];
  const out: FormPayload[] = [
    { label: "an empty body", body: "" },
    ...[SQL, HTML, LONG, "", "__proto__"].map((v) => ({
      label: `intent = ${v.slice(0, 30)} alone`,
      body: encode([["intent", v]]),
    })),
    { label: "broken URL encoding", body: "%E0%A4%A=1&%&=&&intent" },
    // Percent-encoded bytes that are not UTF-8 (an overlong "/", a lone surrogate, a stray continuation byte).
    ...["%C0%AF", "%ED%A0%80", "%FF", "%80"].map((bytes) => ({
      label: `the form with ${bytes}`,
      body: `${encode(form.fields)}&${form.fields[0]?.[0] ?? "x"}=a${bytes}b`,
    })),
    { label: "a value and a group of the same name (a=1&a.b=2)", body: `${encode(form.fields)}&a=1&a.b=2` },
    { label: "a list index far out (a.99999999.b)", body: `${encode(form.fields)}&a.99999999.b=1` },
    { label: "the form as text/plain", body: encode(form.fields), contentType: "text/plain" },
    {
      label: "the form as JSON",
      body: JSON.stringify(Object.fromEntries(form.fields)),
      contentType: "application/json",
    },
    { label: "a broken multipart body", body: "--nope\r\ngarbage", contentType: "multipart/form-data; boundary=XYZ" },
  ];
  if (others.length > 0) {
    // Every field sent as a file instead of text, and every field left out.
    const multipart = new FormData();
    if (intent) multipart.append("intent", intent[1]);
    for (const name of others) multipart.append(name, new Blob([SQL], { type: "text/plain" }), "x.txt");
    out.push({ label: "every field as a file", body: multipart });
    if (intent) out.push({ label: "only the intent, every field missing", body: encode([intent]) });
  }
  for (const name of others) {
    // The name both as a value and as a group: "x" and "x.y" (and for a dotted name, its group as a value too).
    const conflicts: Array<[string, string]> = [[`${name}.y`, "2"]];
    if (name.includes(".")) conflicts.push([name.split(".")[0], "1"]);
    for (const extra of conflicts)
      out.push({ label: `${name} with ${extra[0]} as well`, body: encode([...form.fields, extra]) });
    const untypable = FORM_TEXT.test(name) && !/(password|csv|redirectTo)$/.test(name) ? UNTYPABLE_FORM : [];
    for (const value of [...valuesFor(name), ...untypable]) {
      const pairs = form.fields.filter(([k]) => k !== name);
      pairs.push([name, value]);
      out.push({
        label: `${name} = ${value.length > 30 ? `${value.slice(0, 5)}…(${value.length})` : value}`,
        body: encode(pairs),
      });
    }
  }
  return out;
}

async function postAs(cookie: string | null, url: string, p: FormPayload) {
  const headers: Record<string, string> = cookie ? { Cookie: cookie } : {};
  if (!(p.body instanceof FormData)) headers["Content-Type"] = p.contentType ?? "application/x-www-form-urlencoded";
  return fetch(`${ctx.server.url}${url}`, { method: "POST", headers, body: p.body, redirect: "manual" });
}

describe("every form of every page refuses hostile input", () => {
  const actionRoutes = ROUTES.filter((r) => !r.api && r.hasAction && r.id !== "routes/logout");

  test("there are forms to attack", () => {
    expect(actionRoutes.length).toBeGreaterThan(15);
  });

  test.each(actionRoutes.map((r) => [r.id, r] as const))(
    "%s",
    async (id, route: AppRoute) => {
      const url = fill(route.path, FORM_PAGES[id]?.(ctx) ?? {}) + (FORM_QUERY[id] ?? "");
      // The role whose forms these are: the first one the action does not turn away. The login form is anyone's.
      const roles = ["admin", "treasurer", "member"] as const;
      const statuses: Record<string, number> = {};
      for (const role of roles)
        statuses[role] = (
          await unchanged(`probe ${url}`, () => postAs(ctx.cookie[role], url, { label: "", body: "" }))
        ).status;
      const actor = id === "routes/login" ? null : roles.find((r) => statuses[r] !== 403);
      expect(actor === undefined ? "every role refused" : "ok", `${url}: ${JSON.stringify(statuses)}`).toBe("ok");
      const cookie = actor ? ctx.cookie[actor] : null;

      const page = await pageClient(ctx.server.url, cookie).get(url);
      const forms = page.status === 200 ? formsOf(await page.text(), url) : [];
      for (const fields of EXTRA_FORMS[id] ?? []) forms.push({ action: url, fields });
      // The layout's logout form is on every page; it takes no input (see headers.test.ts for logout).
      const own = forms.filter((f) => f.action.replace(/\?.*$/, "") !== "/logout");
      expect(own.length, `${url} as ${actor ?? "anonymous"} shows no form`).toBeGreaterThan(0);
      // One form of each kind (a page repeats its row forms, e.g. one per user).
      const seen = new Set<string>();
      const distinct = own.filter((f) => {
        const key = `${f.action.replace(/\?.*$/, "")} ${f.fields
          .map(([k, v]) => (k === "intent" ? `${k}=${v}` : k.replace(/\d+/g, "N")))
          .sort()
          .join(",")}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });

      const before = ctx.fingerprint();
      const senders: Array<[string, string | null]> = [[actor ?? "anonymous", cookie]];
      if (actor && actor !== "admin") senders.push(["admin", ctx.cookie.admin]);
      let sent = 0;
      for (const form of distinct) {
        const action = form.action.startsWith("/") ? form.action : url;
        for (const p of formPayloads(id, form)) {
          for (const [who, c] of senders) {
            const what = `POST ${action} as ${who} with ${p.label}`;
            const res = await unchanged(what, () => postAs(c, action, p)).catch((error) => {
              throw new Error(`${what}: ${error}\n${ctx.server.output().slice(-3000)}`);
            });
            expect(
              res.status,
              `${what}: ${res.status} ${res.headers.get("location") ?? (await res.text()).slice(0, 300)}`,
            ).toBeGreaterThanOrEqual(400);
            expect(res.status, what).toBeLessThan(500);
            sent++;
          }
        }
      }
      expect(sent, ctx.server.output()).toBeGreaterThan(10);
      expect(ctx.fingerprint()).toEqual(before);
    },
    180_000,
  );

  test("a POST to a page without a form is a 405, never a 5xx", async () => {
    for (const route of ROUTES.filter((r) => !r.api && !r.hasAction)) {
      const url = fill(route.path, { id: ctx.invoices.own, memberId: ctx.members.dalsEd });
      const res = await unchanged(`POST ${url}`, () =>
        postAs(ctx.cookie.admin, url, { label: "", body: `intent=${encodeURIComponent(SQL)}` }),
      );
      expect(res.status, `POST ${url}`).toBe(405);
    }
  });
});

// Hostile but valid text ---------------------------------------------------------------------------------------

describe("hostile but valid text is stored as typed and shown as text", () => {
  let id: number;
  const name = HTML;

  beforeAll(async () => {
    const res = await ctx.api.admin.post("/members", {
      kind: "organisation",
      name,
      orgNumber: generateOrgNumber("556677001"),
      joinedOn: "2024-01-01",
      reference: `"><img src=x onerror=alert(2)>`,
      contactName: SQL,
      invoiceAddress: { street: "<b>Storgatan</b> 1", postalCode: "111 11", city: "</title><script>alert(3)</script>" },
    });
    expect(res.status, res.text).toBe(201);
    id = res.json.id;
  });

  test("the API gives it back exactly, and the SQL in it did nothing", async () => {
    const res = await ctx.api.admin.get(`/members/${id}`);
    expect(res.json).toMatchObject({
      name,
      reference: `"><img src=x onerror=alert(2)>`,
      contact: expect.objectContaining({ name: SQL }),
    });
    expect(ctx.sql<{ n: number }>("SELECT count(*) AS n FROM members WHERE name = ?", name)[0].n).toBe(1);
    expect(ctx.sql<{ n: number }>("SELECT count(*) AS n FROM members")[0].n).toBeGreaterThan(4);
  });

  const pages: Array<[string, () => string]> = [
    ["the member list", () => "/members"],
    ["the member page", () => `/members/${id}`],
    ["the edit form", () => `/members/${id}/edit`],
    ["the fees page", () => `/fees?year=${YEAR}`],
    ["the audit log", () => "/admin/audit"],
  ];
  test.each(pages)("%s escapes it", async (_label, path) => {
    const res = await ctx.page.admin.get(path());
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<script>alert(3)</script>");
    expect(html).not.toContain("<img src=x onerror=alert(2)>");
    expect(html).not.toContain("<b>Storgatan</b>");
  });
});
