import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateOrgNumber } from "../../billing/identifiers";
import { apiClient, apiToken } from "../support/server";
import type { Role } from "../../db/schema";
import { FOUR_MUNICIPALITIES, PASSWORD, newMunicipality } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";

/*
 * Who may do what over the API (docs/roles.md and docs/api.md): every endpoint × every role, one HTTP call per cell.
 * 401 without a token, 403 for a role that may not, 404 for another member's private resource.
 */
let ctx: Served;
beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
});
afterAll(async () => {
  await stopServed(ctx);
});

type Who = Role | "anonymous";
type Cell = number;
interface Row {
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: (c: Served, who: Who) => string;
  /** A fresh body per call, so that an allowed create does not collide with the previous one. */
  body?: (who: Who, c: Served) => unknown;
  expect: Record<Who, Cell>;
  /** DELETE /tokens revokes the caller's token: give each role a token of its own for it. */
  freshToken?: boolean;
}

const future = Math.max(2027, new Date().getFullYear());
const codes: Record<Who, string> = { admin: "1402", treasurer: "1401", member: "1407", anonymous: "1415" };

const MATRIX: Row[] = [
  {
    name: "list members",
    method: "GET",
    path: () => "/members",
    expect: { admin: 200, treasurer: 200, member: 200, anonymous: 401 },
  },
  {
    name: "create member",
    method: "POST",
    path: () => "/members",
    body: (who) => newMunicipality({ municipalityCode: codes[who], orgNumber: orgFor(who) }),
    expect: { admin: 201, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "get own member",
    method: "GET",
    path: (c) => `/members/${c.members.dalsEd}`,
    expect: { admin: 200, treasurer: 200, member: 200, anonymous: 401 },
  },
  {
    name: "get another member (public part)",
    method: "GET",
    path: (c) => `/members/${c.members.goteborg}`,
    expect: { admin: 200, treasurer: 200, member: 200, anonymous: 401 },
  },
  {
    name: "get a member that does not exist",
    method: "GET",
    path: () => "/members/424242",
    expect: { admin: 404, treasurer: 404, member: 404, anonymous: 401 },
  },
  {
    name: "patch own member's reference",
    method: "PATCH",
    path: (c) => `/members/${c.members.dalsEd}`,
    body: (who) => ({ reference: `Ref från ${who}` }),
    expect: { admin: 200, treasurer: 403, member: 200, anonymous: 401 },
  },
  {
    name: "patch another member's reference",
    method: "PATCH",
    path: (c) => `/members/${c.members.goteborg}`,
    body: (who) => ({ reference: `Ref från ${who}` }),
    expect: { admin: 200, treasurer: 403, member: 404, anonymous: 401 },
  },
  {
    name: "patch own member's name",
    method: "PATCH",
    path: (c) => `/members/${c.members.dalsEd}`,
    body: () => ({ name: "Dals-Ed kommun" }),
    expect: { admin: 200, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "set own population",
    method: "PUT",
    path: (c) => `/members/${c.members.dalsEd}/populations/2025`,
    body: () => ({ population: 4_606 }),
    expect: { admin: 200, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "list fee schedules",
    method: "GET",
    path: () => "/fee-schedules",
    expect: { admin: 200, treasurer: 200, member: 200, anonymous: 401 },
  },
  {
    name: "create fee schedule",
    method: "POST",
    path: () => "/fee-schedules",
    body: () => ({
      validFrom: future,
      brackets: [
        { name: "small", minPopulation: 0, entryFee: "5000.00", annualFee: "8000.00" },
        { name: "large", minPopulation: 50_000, entryFee: "20000.00", annualFee: "32000.00" },
      ],
    }),
    expect: { admin: 201, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "fees of a year",
    method: "GET",
    path: () => "/fees?year=2026",
    expect: { admin: 200, treasurer: 200, member: 200, anonymous: 401 },
  },
  {
    name: "list users",
    method: "GET",
    path: () => "/users",
    expect: { admin: 200, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "create user",
    method: "POST",
    path: () => "/users",
    body: (who) => ({ email: `ny-${who}@test.se`, name: "Ny", password: "ett långt lösenord", role: "treasurer" }),
    expect: { admin: 201, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "get a user",
    method: "GET",
    path: (c) => `/users/${c.users.member.id}`,
    expect: { admin: 200, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "patch a user",
    method: "PATCH",
    path: (c) => `/users/${c.users.member.id}`,
    body: () => ({ name: "Mo Medlem" }),
    expect: { admin: 200, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    // For the board a no-op on its own account (changing its own role would revoke its token).
    name: "make oneself admin",
    method: "PATCH",
    path: (c, who) => `/users/${c.users[who === "anonymous" ? "treasurer" : who].id}`,
    body: () => ({ role: "admin" }),
    expect: { admin: 200, treasurer: 403, member: 403, anonymous: 401 },
  },
  {
    name: "revoke own token",
    method: "DELETE",
    path: () => "/tokens",
    freshToken: true,
    expect: { admin: 204, treasurer: 204, member: 204, anonymous: 401 },
  },
];

/** Distinct Luhn-valid municipal org numbers per role, so the board's create is not a duplicate. */
function orgFor(who: Who) {
  const prefixes: Record<Who, string> = {
    admin: "212000140",
    treasurer: "212000141",
    member: "212000142",
    anonymous: "212000143",
  };
  return generateOrgNumber(prefixes[who]);
}

const WHO: Who[] = ["admin", "treasurer", "member", "anonymous"];
const cases = MATRIX.flatMap((row) => WHO.map((who) => ({ row, who, status: row.expect[who] })));

describe("permission matrix", () => {
  test.each(cases.map((c) => [`${c.row.method} ${c.row.name} as ${c.who} → ${c.status}`, c] as const))(
    "%s",
    async (_label, { row, who, status }) => {
      let client = ctx.api[who];
      if (row.freshToken && who !== "anonymous") {
        const email = { admin: "admin@test.se", treasurer: "kassor@test.se", member: "kontakt@test.se" }[who];
        client = apiClient(ctx.server.url, await apiToken(ctx.server.url, email, PASSWORD));
      }
      const before = ctx.snapshot();
      const res = await client.raw(row.method, row.path(ctx, who), row.body?.(who, ctx), {});
      expect(res.status).toBe(status);
      if (status >= 400) {
        expect(res.json.error.code).toBe(
          { 401: "unauthorized", 403: "forbidden", 404: "not_found" }[status as 401 | 403 | 404],
        );
        // A refused call changes nothing (the audit log counts every change).
        expect(ctx.snapshot()).toEqual(before);
      }
    },
  );
});

describe("what a member user sees", () => {
  test("another member's invoice details and contact are null; its own are there", async () => {
    const other = await ctx.api.member.get(`/members/${ctx.members.goteborg}`);
    expect(other.json).toMatchObject({
      name: "Göteborg kommun",
      municipalityCode: "1480",
      populations: [{ year: 2024, population: 608993 }],
      invoiceAddress: null,
      invoiceEmail: null,
      reference: null,
      contact: null,
    });
    const own = await ctx.api.member.get(`/members/${ctx.members.dalsEd}`);
    expect(own.json.invoiceAddress).toEqual({ street: "Stadshuset", postalCode: "111 11", city: "Dals-Ed" });
    expect(own.json.invoiceEmail).toBe("faktura@1438.example.se");
    expect(own.json.reference).toEqual(expect.any(String));
    // The treasurer sees everyone's.
    const staff = await ctx.api.treasurer.get(`/members/${ctx.members.goteborg}`);
    expect(staff.json.invoiceAddress).toEqual({ street: "Stadshuset", postalCode: "111 11", city: "Göteborg" });
  });

  test("in the directory only its own member carries private fields", async () => {
    const res = await ctx.api.member.get("/members");
    const withPrivate = res.json.members.filter(
      (m: { invoiceAddress: unknown; reference: unknown }) => m.invoiceAddress !== null || m.reference !== null,
    );
    expect(withPrivate.map((m: { id: number }) => m.id)).toEqual([ctx.members.dalsEd]);
    expect(res.text).not.toContain("faktura@1480.example.se");
    const staff = await ctx.api.treasurer.get("/members");
    expect(staff.text).toContain("faktura@1480.example.se");
  });

  test("GET /fees gives a member user only its own row", async () => {
    const res = await ctx.api.member.get("/fees?year=2026");
    expect(res.json.members.map((m: { memberId: number }) => m.memberId)).toEqual([ctx.members.dalsEd]);
    const staff = await ctx.api.treasurer.get("/fees?year=2026");
    expect(staff.json.members.length).toBeGreaterThanOrEqual(4);
  });
});
