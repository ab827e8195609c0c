import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  API,
  appRoutes,
  fill,
  MISSING_ID,
  routeFileIds,
  startSecurityContext,
  stopSecurityContext,
  YEAR,
  type AppRoute,
  type Method,
  type Params,
  type SecurityContext,
} from "./fixture";

/*
 * Who may open what, for every route the app has. The route list comes from Remix itself (`remix routes --json`),
 * so a new route without a row in the tables below fails this file: a route cannot be forgotten. Anonymous
 * callers are sent to the login page (pages) or get 401 (API); each role gets 200, a redirect, 403 (its role may
 * not) or 404 (another member's private page, or something that does not exist).
 */
const ROUTES = appRoutes();

let ctx: SecurityContext;
beforeAll(async () => {
  ctx = await startSecurityContext();
}, 120_000);
afterAll(async () => {
  await stopSecurityContext(ctx);
});

type Role = "admin" | "treasurer" | "member";
type Expect = Record<Role, number>;
interface Case {
  label: string;
  params?: (c: SecurityContext) => Params;
  query?: string;
  expect: Expect;
}

const every = (status: number): Expect => ({ admin: status, treasurer: status, member: status });
const board: Expect = { admin: 200, treasurer: 403, member: 403 };
const staff: Expect = { admin: 200, treasurer: 200, member: 403 };
const memberOnly: Expect = { admin: 403, treasurer: 403, member: 200 };
const own = (c: SecurityContext): Params => ({ id: c.members.dalsEd });
const other = (c: SecurityContext): Params => ({ id: c.members.goteborg });

/** GET of every page and resource route outside /api/v1, keyed by route id. The member user belongs to Dals-Ed. */
const PAGES: Record<string, Case[]> = {
  "routes/_index": [
    { label: "overview for staff, a member to its own page", expect: { admin: 200, treasurer: 200, member: 302 } },
  ],
  "routes/unbilled": [{ label: "what is not yet invoiced", expect: staff }],
  "routes/login": [{ label: "signed in already", expect: every(302) }],
  "routes/logout": [{ label: "GET does not log out", expect: every(302) }],
  "routes/members._index": [{ label: "directory", expect: every(200) }],
  "routes/members.new": [{ label: "new member", expect: board }],
  "routes/members.$id": [
    { label: "own member", params: own, expect: every(200) },
    { label: "another member (public part)", params: other, expect: every(200) },
  ],
  "routes/members.$id_.edit": [
    { label: "own member", params: own, expect: { admin: 200, treasurer: 403, member: 200 } },
    { label: "another member", params: other, expect: { admin: 200, treasurer: 403, member: 404 } },
  ],
  "routes/fees": [{ label: "fees overview", expect: staff }],
  "routes/fee-schedules": [{ label: "fee schedules", expect: staff }],
  "routes/populations.import": [{ label: "population import", expect: board }],
  "routes/admin.users": [{ label: "user accounts", expect: board }],
  "routes/admin.audit": [{ label: "audit log", expect: staff }],
  "routes/settings": [{ label: "settings", expect: staff }],
  "routes/projects._index": [{ label: "project list", expect: every(200) }],
  "routes/projects.new": [{ label: "new project", expect: board }],
  "routes/projects.$id._index": [
    { label: "a project", params: (c) => ({ id: c.projects.joined }), expect: every(200) },
  ],
  "routes/projects.$id.edit": [{ label: "edit a project", params: (c) => ({ id: c.projects.joined }), expect: board }],
  "routes/projects.$id.allocation": [
    {
      label: "a project's allocation",
      params: (c) => ({ id: c.projects.joined }),
      query: `?year=${YEAR}`,
      expect: every(200),
    },
  ],
  "routes/projects.$id.allocation[.]csv": [
    {
      label: "a project's allocation as CSV",
      params: (c) => ({ id: c.projects.joined }),
      query: `?year=${YEAR}`,
      expect: every(200),
    },
  ],
  "routes/projects.$id.join": [
    { label: "a project the member is not in", params: (c) => ({ id: c.projects.other }), expect: memberOnly },
    {
      label: "a project the member is in already",
      params: (c) => ({ id: c.projects.joined }),
      expect: { admin: 403, treasurer: 403, member: 302 },
    },
  ],
  "routes/projects.$id.leave": [
    { label: "a project the member is in", params: (c) => ({ id: c.projects.joined }), expect: memberOnly },
    {
      label: "a project the member is not in",
      params: (c) => ({ id: c.projects.other }),
      expect: { admin: 403, treasurer: 403, member: 302 },
    },
  ],
  "routes/projects.$id.participants.$memberId": [
    { label: "a participation", params: (c) => ({ id: c.projects.joined, memberId: c.members.dalsEd }), expect: board },
  ],
  "routes/billing._index": [{ label: "billing", expect: staff }],
  "routes/billing.runs.$id": [
    { label: "an issued run", params: (c) => ({ id: c.runs.issued }), expect: staff },
    { label: "a run of drafts", params: (c) => ({ id: c.runs.drafts }), expect: staff },
  ],
  "routes/billing.runs.$id.pdf": [
    { label: "the PDFs of an issued run", params: (c) => ({ id: c.runs.issued }), expect: staff },
  ],
  "routes/billing.runs.$id.print[.]pdf": [
    {
      label: "the print batch of a run none of whose invoices went to print",
      params: (c) => ({ id: c.runs.issued }),
      expect: { admin: 404, treasurer: 404, member: 403 },
    },
  ],
  "routes/invoices._index": [{ label: "invoice list (a member sees its own)", expect: every(200) }],
  "routes/invoices[.]csv": [{ label: "invoice export", expect: staff }],
  "routes/invoices.sie": [{ label: "SIE export page", expect: staff }],
  "routes/invoices.sie[.]si": [
    { label: "SIE file of a year", query: `?from=${YEAR}-01-01&to=${YEAR}-12-31`, expect: staff },
  ],
  "routes/invoices.$id": [
    { label: "own invoice", params: (c) => ({ id: c.invoices.own }), expect: every(200) },
    {
      label: "another member's invoice",
      params: (c) => ({ id: c.invoices.other }),
      expect: { admin: 200, treasurer: 200, member: 404 },
    },
    {
      label: "own draft (not sent yet)",
      params: (c) => ({ id: c.invoices.ownDraft }),
      expect: { admin: 200, treasurer: 200, member: 404 },
    },
  ],
  "routes/invoices.$id.pdf": [
    { label: "own invoice", params: (c) => ({ id: c.invoices.own }), expect: every(200) },
    {
      label: "another member's invoice",
      params: (c) => ({ id: c.invoices.other }),
      expect: { admin: 200, treasurer: 200, member: 404 },
    },
  ],
  // E-invoicing (docs/e-invoice.md)
  "routes/invoices.$id.ubl": [
    { label: "own invoice", params: (c) => ({ id: c.invoices.own }), expect: every(200) },
    {
      label: "another member's invoice",
      params: (c) => ({ id: c.invoices.other }),
      expect: { admin: 200, treasurer: 200, member: 404 },
    },
  ],
  "routes/billing.runs.$id.zip": [
    { label: "the documents of an issued run", params: (c) => ({ id: c.runs.issued }), expect: staff },
  ],
  "routes/invoices.$id.reminder[.]pdf": [
    { label: "an overdue invoice", params: (c) => ({ id: c.invoices.overdue }), expect: staff },
    {
      label: "an invoice not yet due",
      params: (c) => ({ id: c.invoices.other }),
      expect: { admin: 404, treasurer: 404, member: 403 },
    },
  ],
  // BgMax payments and receivables
  "routes/payment-files._index": [{ label: "bank payment files", expect: staff }],
  "routes/payment-files.$id": [
    { label: "a file in preview", params: (c) => ({ id: c.paymentFiles.preview }), expect: staff },
    { label: "an applied file", params: (c) => ({ id: c.paymentFiles.applied }), expect: staff },
  ],
  "routes/unmatched-payments": [{ label: "unmatched payments", expect: staff }],
  "routes/receivables": [
    { label: "receivables today", expect: staff },
    { label: "receivables at a date", query: `?date=${YEAR}-06-30`, expect: staff },
  ],
};

const pageRoutes = ROUTES.filter((r) => !r.api);
const apiRoutes = ROUTES.filter((r) => r.api);
const urlOf = (route: AppRoute, c: Case) => fill(route.path, c.params?.(ctx) ?? {}) + (c.query ?? "");
/** A route's rows; a route still without one is checked anyway, with ids that do not exist. */
const casesOf = (route: AppRoute): Case[] =>
  PAGES[route.id] ?? [{ label: "no row yet", params: () => paramsOf(route.path, MISSING_ID), expect: every(0) }];
const paramsOf = (pattern: string, value: string | number): Params =>
  Object.fromEntries([...pattern.matchAll(/:(\w+)|\*$/g)].map((m) => [m[1] ?? "*", value]));
const loginRedirect = (pathAndQuery: string) => `/login?redirectTo=${encodeURIComponent(pathAndQuery)}`;

describe("the route list", () => {
  test("Remix routes every file in app/routes", () => {
    expect(ROUTES.map((r) => r.id)).toEqual(routeFileIds());
    expect(pageRoutes.length).toBeGreaterThan(20);
    expect(apiRoutes.length).toBeGreaterThan(15);
  });

  test("every page route has a row in the role table, and every row a route", () => {
    const ids = pageRoutes.map((r) => r.id);
    expect(
      ids.filter((id) => !(id in PAGES)),
      "routes without expectations: add them to PAGES",
    ).toEqual([]);
    expect(
      Object.keys(PAGES).filter((id) => !ids.includes(id)),
      "rows for routes that no longer exist",
    ).toEqual([]);
  });

  test("every API route has a row in the method table, and every row a route", () => {
    const ids = apiRoutes.map((r) => r.id);
    expect(
      ids.filter((id) => !(id in API)),
      "API routes without a row: add them to API",
    ).toEqual([]);
    expect(
      Object.keys(API).filter((id) => !ids.includes(id)),
      "rows for API routes that no longer exist",
    ).toEqual([]);
  });
});

describe("anonymous callers", () => {
  test.each(pageRoutes.map((r) => [r.id, r] as const))(
    "%s: GET sends them to the login page and back",
    async (id, route) => {
      for (const c of casesOf(route)) {
        const url = urlOf(route, c);
        const res = await ctx.page.anonymous.get(url);
        if (id === "routes/login") {
          expect(res.status).toBe(200);
          expect(await res.text()).toContain('name="password"');
        } else if (id === "routes/logout") {
          expect(res.status).toBe(302);
          expect(res.headers.get("location")).toBe("/");
        } else {
          expect(res.status, `${c.label}: GET ${url}`).toBe(302);
          expect(res.headers.get("location"), url).toBe(loginRedirect(url));
        }
      }
    },
  );

  test.each(
    pageRoutes
      .filter((r) => r.hasAction && r.id !== "routes/login" && r.id !== "routes/logout")
      .map((r) => [r.id, r] as const),
  )("%s: a form POST is sent to the login page and changes nothing", async (id, route) => {
    const before = ctx.fingerprint();
    const url = urlOf(route, casesOf(route)[0]);
    const res = await ctx.page.anonymous.post(url, { intent: "create", name: "X", confirm: "yes" });
    expect(res.status, `POST ${url}`).toBe(302);
    expect(res.headers.get("location")).toBe(loginRedirect(url));
    expect(ctx.fingerprint()).toEqual(before);
  });

  test.each(apiRoutes.map((r) => [r.id, r] as const))(
    "%s: 401 in the API's error format for every method",
    async (id, route) => {
      // A route still without a row is checked for GET and POST with ids that do not exist.
      const row = API[id] ?? { methods: ["GET", "POST"], params: () => paramsOf(route.path, MISSING_ID) };
      const url = fill(route.path, row.params?.(ctx) ?? {}).replace(/^\/api\/v1/, "");
      const before = ctx.fingerprint();
      if (row.methods.length === 0) {
        // The catch-all: no such endpoint, for anyone.
        const res = await ctx.api.anonymous.get(url);
        expect(res.status).toBe(404);
        expect(res.json.error.code).toBe("not_found");
        return;
      }
      for (const method of row.methods) {
        const res = await ctx.api.anonymous.raw(method, url, method === "GET" || method === "DELETE" ? undefined : {});
        const label = `${method} ${url}`;
        expect(res.headers.get("content-type"), label).toMatch(/^application\/json/);
        if (id === "routes/api.v1.tokens" && method === "POST") {
          // Asking for a token is the one call without one: an empty body is refused as such.
          expect(res.status, label).toBe(422);
        } else {
          expect(res.status, label).toBe(401);
          expect(res.json.error, label).toMatchObject({ code: "unauthorized", message: expect.any(String) });
        }
      }
      expect(ctx.fingerprint()).toEqual(before);
    },
  );

  test.each(apiRoutes.filter((r) => API[r.id]?.methods.length).map((r) => [r.id, r] as const))(
    "%s: answers any other method with 405 and the methods of the table in Allow",
    async (id, route) => {
      const row = API[id];
      const url = fill(route.path, row.params?.(ctx) ?? {}).replace(/^\/api\/v1/, "");
      const unsupported = (["DELETE", "PUT", "PATCH", "POST", "GET"] as Method[]).find(
        (m) => !row.methods.includes(m),
      )!;
      const res = await ctx.api.admin.raw(
        unsupported,
        url,
        unsupported === "GET" || unsupported === "DELETE" ? undefined : {},
      );
      expect(res.status, `${unsupported} ${url}`).toBe(405);
      const allow = (res.headers.get("allow") ?? "")
        .split(/\s*,\s*/)
        .filter(Boolean)
        .sort();
      expect(allow, `Allow of ${url}`).toEqual([...row.methods].sort());
    },
  );
});

describe("each role on every page", () => {
  const cases = pageRoutes.flatMap((route) =>
    casesOf(route).map((c) => [`${route.id}: ${c.label}`, route, c] as const),
  );

  test.each(cases)("%s", async (_label, route, c) => {
    const url = urlOf(route, c);
    const got: Partial<Expect> = {};
    const version = ctx.dataVersion();
    for (const role of ["admin", "treasurer", "member"] as const) got[role] = (await ctx.page[role].get(url)).status;
    expect(got, `GET ${url}`).toEqual(c.expect);
    expect(ctx.dataVersion(), `GET ${url} wrote to the database`).toBe(version);
  });

  // Every route with an id also answers for an id that does not exist: 404, or 403 where the role may not come in.
  const withId = pageRoutes.filter((r) => r.path.includes(":id"));
  test.each(withId.map((r) => [r.id, r] as const))("%s: an id that does not exist", async (id, route) => {
    const first = casesOf(route)[0];
    const url = fill(route.path, { ...(first.params?.(ctx) ?? {}), id: MISSING_ID }) + (first.query ?? "");
    const got: Partial<Expect> = {};
    const want: Partial<Expect> = {};
    for (const role of ["admin", "treasurer", "member"] as const) {
      got[role] = (await ctx.page[role].get(url)).status;
      want[role] = first.expect[role] === 403 ? 403 : 404;
    }
    expect(got, `GET ${url}`).toEqual(want);
  });
});

describe("what a member user sees of other members", () => {
  const html = async (res: Response | Promise<Response>) => (await (await res).text()).replace(/<!-- -->/g, "");

  test("another member's page shows no invoice address, e-mail or reference; its own does", async () => {
    const otherPage = await html(ctx.page.member.get(`/members/${ctx.members.goteborg}`));
    expect(otherPage).toContain("Göteborg kommun");
    expect(otherPage).not.toContain("faktura@1480.example.se");
    expect(otherPage).not.toContain("Ref 1480");
    const ownPage = await html(ctx.page.member.get(`/members/${ctx.members.dalsEd}`));
    expect(ownPage).toContain("faktura@1438.example.se");
  });

  test("the directory and the invoice list carry nothing private of other members", async () => {
    const directory = await html(ctx.page.member.get("/members"));
    for (const code of ["1480", "1481", "0127"]) expect(directory).not.toContain(`faktura@${code}.example.se`);
    const invoices = await html(ctx.page.member.get("/invoices"));
    expect(invoices).toContain(`/invoices/${ctx.invoices.own}`);
    for (const id of [ctx.invoices.other, ctx.invoices.overdue, ctx.invoices.ownDraft])
      expect(invoices).not.toContain(`/invoices/${id}"`);
  });
});
