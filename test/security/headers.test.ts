import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiClient, apiToken, pageClient, startServer } from "../support/server";
import { PASSWORD } from "../support/association";
import { appRoutes, fill, startSecurityContext, stopSecurityContext, YEAR, type SecurityContext } from "./fixture";

/*
 * Web security around the routes: the headers every response carries, refusal of cookie-authenticated writes
 * from another origin, and the life of a session (a new id at each login, gone at logout and at deactivation,
 * a cookie scripts cannot read).
 */
const ROUTES = appRoutes();

let ctx: SecurityContext;
beforeAll(async () => {
  ctx = await startSecurityContext();
}, 120_000);
afterAll(async () => {
  await stopSecurityContext(ctx);
});

const EVIL = "http://evil.example";

/** POSTs a form with a session cookie and the given extra headers; redirects not followed. */
function postForm(
  path: string,
  cookie: string | null,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  method = "POST",
) {
  return fetch(`${ctx.server.url}${path}`, {
    method,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}), ...headers },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

/** Logs in through the form, optionally sending a cookie the browser already has; the new cookie and the answer. */
async function loginWith(email: string, sent: string | null = null) {
  const res = await postForm("/login", sent, { email, password: PASSWORD, redirectTo: "/members" });
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { res, setCookie, cookie: setCookie.split(";")[0] };
}

const signedIn = async (cookie: string) => (await pageClient(ctx.server.url, cookie).get("/members")).status === 200;

describe("security headers", () => {
  function expectHeaders(res: Response, what: string) {
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp, `${what}: Content-Security-Policy`).toContain("frame-ancestors 'none'");
    expect(csp, `${what}: Content-Security-Policy`).toContain("default-src 'self'");
    expect(csp, `${what}: Content-Security-Policy`).toContain("object-src 'none'");
    expect(res.headers.get("x-content-type-options"), `${what}: X-Content-Type-Options`).toBe("nosniff");
    expect(res.headers.get("referrer-policy"), `${what}: Referrer-Policy`).toBe("same-origin");
    expect(res.headers.get("x-frame-options"), `${what}: X-Frame-Options`).toBe("DENY");
    expect(res.headers.get("x-powered-by"), `${what}: X-Powered-By`).toBeNull();
  }

  const params = (c: SecurityContext) => ({
    id: c.members.dalsEd,
    memberId: c.members.dalsEd,
    year: YEAR,
    "*": "nothing-here",
  });

  test.each(ROUTES.map((r) => [r.id, r] as const))("%s: on every answer, signed in or not", async (_id, route) => {
    const url = fill(route.path, params(ctx));
    for (const [who, cookie] of [
      ["anonymous", null],
      ["admin", ctx.cookie.admin],
      ["member", ctx.cookie.member],
    ] as const) {
      expectHeaders(await pageClient(ctx.server.url, cookie).get(url), `GET ${url} as ${who}`);
    }
    if (route.api) {
      expectHeaders(
        await fetch(`${ctx.server.url}${url}`, { headers: { Authorization: `Bearer ${ctx.token.admin}` } }),
        `GET ${url} with a token`,
      );
      expectHeaders(
        await fetch(`${ctx.server.url}${url}`, {
          method: "POST",
          headers: { Authorization: `Bearer ${ctx.token.member}`, "Content-Type": "application/json" },
          body: "{",
        }),
        `POST ${url} with broken JSON`,
      );
    }
  });

  test("also on static files, unknown pages and refused requests", async () => {
    const client = pageClient(ctx.server.url, ctx.cookie.admin);
    for (const path of ["/favicon.svg", "/favicon.ico", "/no-such-page", "/members/abc", "/api/v1/members/abc"]) {
      expectHeaders(await client.get(path), `GET ${path}`);
    }
    expectHeaders(
      await postForm("/members/new", ctx.cookie.admin, { name: "x" }, { Origin: EVIL }),
      "a refused cross-origin POST",
    );
  });
});

describe("cross-origin writes with the session cookie", () => {
  const population = (year: number, value: number) => ({
    intent: "population",
    year: String(year),
    population: String(value),
  });
  const stored = (year: number) =>
    ctx.sql<{ population: number }>(
      "SELECT population FROM populations WHERE member_id = ? AND year = ?",
      ctx.members.molndal,
      year,
    )[0]?.population;

  test("a form POST from another origin is refused with 403 and changes nothing", async () => {
    const before = ctx.fingerprint();
    for (const origin of [
      EVIL,
      "null",
      `${ctx.server.url}.evil.example`,
      ctx.server.url.replace("127.0.0.1", "localhost"),
    ]) {
      const res = await postForm(`/members/${ctx.members.molndal}`, ctx.cookie.admin, population(2021, 11_111), {
        Origin: origin,
      });
      expect(res.status, origin).toBe(403);
      expect((await res.json()).error.code).toBe("cross_origin");
    }
    expect(ctx.fingerprint()).toEqual(before);
    expect(stored(2021)).toBeUndefined();
  });

  test("the same POST from the server's own origin (or without Origin, as from an old browser) works", async () => {
    const own = await postForm(`/members/${ctx.members.molndal}`, ctx.cookie.admin, population(2021, 11_111), {
      Origin: ctx.server.url,
    });
    expect(own.status).toBe(302);
    expect(own.headers.get("location")).toBe(`/members/${ctx.members.molndal}?saved=population`);
    expect(stored(2021)).toBe(11_111);
    const none = await postForm(`/members/${ctx.members.molndal}`, ctx.cookie.admin, population(2021, 22_222));
    expect(none.status).toBe(302);
    expect(stored(2021)).toBe(22_222);
  });

  test("other methods and the login form are covered too", async () => {
    const before = ctx.fingerprint();
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const res = await postForm(
        `/members/${ctx.members.molndal}`,
        ctx.cookie.admin,
        population(2022, 1),
        { Origin: EVIL },
        method,
      );
      expect(res.status, method).toBe(403);
    }
    // Login CSRF: a foreign page must not sign the browser in to an account of the attacker's choosing.
    const login = await postForm("/login", null, { email: "admin@test.se", password: PASSWORD }, { Origin: EVIL });
    expect(login.status).toBe(403);
    expect(login.headers.get("set-cookie")).toBeNull();
    expect(ctx.fingerprint()).toEqual(before);
  });

  test("an Authorization header does not switch the check off for a page that goes by the cookie", async () => {
    const before = ctx.fingerprint();
    const res = await postForm(`/members/${ctx.members.molndal}`, ctx.cookie.admin, population(2022, 1), {
      Origin: EVIL,
      Authorization: "Bearer whatever",
    });
    expect(res.status).toBe(403);
    expect(ctx.fingerprint()).toEqual(before);
  });

  test("a forwarded host that does not match the Origin is refused with 403, not a 500 from Remix's own check", async () => {
    const before = ctx.fingerprint();
    for (const origin of [ctx.server.url, EVIL]) {
      const res = await postForm(`/members/${ctx.members.molndal}`, ctx.cookie.admin, population(2022, 1), {
        Origin: origin,
        "X-Forwarded-Host": "evil.example",
      });
      expect(res.status, origin).toBe(403);
    }
    expect(ctx.fingerprint()).toEqual(before);
    expect(ctx.server.output()).not.toMatch(/Aborting the action/);
  });

  test("the API goes by its bearer token, which a foreign page cannot send: a token call with any Origin works", async () => {
    const api = apiClient(ctx.server.url, ctx.token.admin);
    const res = await api.raw(
      "PUT",
      `/members/${ctx.members.molndal}/populations/2020`,
      { population: 33_333 },
      { Origin: EVIL },
    );
    expect(res.status).toBe(200);
    // ...while the session cookie alone opens nothing in the API.
    const cookieOnly = await fetch(`${ctx.server.url}/api/v1/members`, { headers: { Cookie: ctx.cookie.admin } });
    expect(cookieOnly.status).toBe(401);
  });
});

describe("sessions", () => {
  test("the session cookie is HttpOnly, SameSite=Lax, for the whole site, and a signed random id", async () => {
    const { res, setCookie, cookie } = await loginWith("kassor@test.se");
    expect(res.status).toBe(302);
    expect(setCookie).toMatch(/^sambruk_session=/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(setCookie).toMatch(/;\s*Max-Age=1209600/i);
    // The tests run over plain HTTP with COOKIE_SECURE=0; see the next test for production.
    expect(setCookie).not.toMatch(/;\s*Secure/i);
    // The value is the session id, signed: 32 random bytes, of which the database keeps only a SHA-256 hash.
    const signed = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1));
    const id = JSON.parse(Buffer.from(signed.slice(0, signed.lastIndexOf(".")), "base64").toString("utf8")) as string;
    expect(Buffer.from(id, "base64url")).toHaveLength(32);
    expect(
      ctx.sql("SELECT 1 FROM sessions WHERE id_hash = ?", createHash("sha256").update(id).digest("hex")),
    ).toHaveLength(1);
    expect(ctx.sql("SELECT 1 FROM sessions WHERE id_hash = ?", id)).toEqual([]);
    expect(await signedIn(cookie)).toBe(true);
    // A cookie whose signature does not match is no session at all.
    const forged = `sambruk_session=${encodeURIComponent(`${signed.slice(0, signed.lastIndexOf("."))}.${"A".repeat(43)}`)}`;
    expect(await signedIn(forged)).toBe(false);
  });

  test("in production the cookie is Secure unless told otherwise", async () => {
    // A second server with the production default (no COOKIE_SECURE at all) and one user in its database.
    const dbPath = `${ctx.server.dir}/secure.db`;
    const server = await startServer({ dbPath, env: { COOKIE_SECURE: undefined as unknown as string } });
    try {
      const { hashPassword } = await import("../../app/lib/password.server");
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(dbPath);
      db.prepare("INSERT INTO users (email, name, password_hash, role) VALUES (?, ?, ?, 'admin')").run(
        "prod@test.se",
        "Prod",
        await hashPassword(PASSWORD),
      );
      db.close();
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        body: new URLSearchParams({ email: "prod@test.se", password: PASSWORD }),
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      const setCookie = res.headers.get("set-cookie") ?? "";
      expect(setCookie).toMatch(/;\s*Secure/i);
      expect(setCookie).toMatch(/;\s*HttpOnly/i);
      expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    } finally {
      await server.stop();
    }
  });

  test("after login, redirectTo leads only to a page of this site", async () => {
    const base = "http://sambruk.invalid";
    for (const redirectTo of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/ /evil.example",
      "\t//evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "/%0d%0aSet-Cookie:x=y",
    ]) {
      const res = await postForm("/login", null, { email: "kassor@test.se", password: PASSWORD, redirectTo });
      expect(res.status, JSON.stringify(redirectTo)).toBe(302);
      const location = res.headers.get("location") ?? "";
      // What a browser makes of it: tabs and newlines are dropped from URLs, backslashes read as slashes.
      expect(new URL(location, base).origin, `${JSON.stringify(redirectTo)} → ${JSON.stringify(location)}`).toBe(base);
      expect(res.headers.get("set-cookie")).not.toMatch(/x=y/);
    }
    const fine = await postForm("/login", null, {
      email: "kassor@test.se",
      password: PASSWORD,
      redirectTo: "/invoices?year=2025",
    });
    expect(fine.headers.get("location")).toBe("/invoices?year=2025");
  });

  test("every login gets a new session id", async () => {
    const first = await loginWith("admin@test.se");
    const second = await loginWith("admin@test.se");
    expect(first.cookie).not.toBe(second.cookie);
    // Two browsers: both sessions live on.
    expect(await signedIn(first.cookie)).toBe(true);
    expect(await signedIn(second.cookie)).toBe(true);
  });

  test("logging in again in the same browser replaces its session: the old id stops working", async () => {
    const first = await loginWith("admin@test.se");
    const again = await loginWith("admin@test.se", first.cookie);
    expect(again.cookie).not.toBe(first.cookie);
    expect(await signedIn(again.cookie)).toBe(true);
    expect(await signedIn(first.cookie)).toBe(false);
    // Also when someone else signs in on that browser: the session fixed before the login is gone.
    const switched = await loginWith("kassor@test.se", again.cookie);
    expect(await signedIn(switched.cookie)).toBe(true);
    expect(await signedIn(again.cookie)).toBe(false);
  });

  test("logout ends the session on the server: the old cookie leads to the login page", async () => {
    const { cookie } = await loginWith("admin@test.se");
    const sessions = ctx.sql("SELECT 1 FROM sessions").length;
    const res = await postForm("/logout", cookie, {});
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login");
    expect(res.headers.get("set-cookie")).toMatch(/^sambruk_session=;.*Max-Age=0/i);
    expect(ctx.sql("SELECT 1 FROM sessions").length).toBe(sessions - 1);
    const reuse = await pageClient(ctx.server.url, cookie).get("/members");
    expect(reuse.status).toBe(302);
    expect(reuse.headers.get("location")).toBe("/login?redirectTo=%2Fmembers");
    expect(await signedIn(ctx.cookie.admin)).toBe(true);
  });

  test("a deactivated user's sessions and tokens are refused at once, and stay refused after reactivation", async () => {
    const created = await ctx.api.admin.post("/users", {
      email: "tillfallig@test.se",
      name: "Tillfällig",
      password: PASSWORD,
      role: "treasurer",
    });
    expect(created.status).toBe(201);
    const { cookie } = await loginWith("tillfallig@test.se");
    const token = await apiToken(ctx.server.url, "tillfallig@test.se", PASSWORD);
    const api = apiClient(ctx.server.url, token);
    expect(await signedIn(cookie)).toBe(true);
    expect((await api.get("/members")).status).toBe(200);

    expect((await ctx.api.admin.patch(`/users/${created.json.id}`, { active: false })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
    expect((await api.get("/members")).status).toBe(401);
    const relogin = await loginWith("tillfallig@test.se");
    expect(relogin.res.status).toBe(401);
    expect(relogin.setCookie).toBe("");

    expect((await ctx.api.admin.patch(`/users/${created.json.id}`, { active: true })).status).toBe(200);
    expect(await signedIn(cookie)).toBe(false);
    expect((await api.get("/members")).status).toBe(401);
    expect(await signedIn((await loginWith("tillfallig@test.se")).cookie)).toBe(true);
  });
});
