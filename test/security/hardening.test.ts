import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  association,
  municipalityInput,
  PASSWORD,
  referenceMunicipality,
  type Association,
} from "../support/association";
import { serve, type Http } from "../support/http";
import { startServer, type TestServer } from "../support/server";
import { createBillingRun } from "../../app/features/billing-runs/commands.server";
import { previewPopulationImport } from "../../app/features/interchange/population-import.server";
import { createMember } from "../../app/features/members/commands.server";
import { saveSettings } from "../../app/features/settings/commands.server";
import { createUser } from "../../app/features/users/commands.server";

/*
 * The smaller items of the second hardening round (docs/security.md), against the real server: URLs and bodies
 * that do not decode, a redirect after login to a non-Latin-1 path, writes without Origin, the log of unknown
 * URLs, HSTS, the rehash of old password hashes and the one population ceiling.
 */
let a: Association;
let h: Http;
let server: TestServer;
let sqlite: () => import("better-sqlite3").Database;
beforeAll(async () => {
  a = await association({ municipalities: [], users: false, prefix: "sambruk-hardening-" });
  sqlite = a.sqlite;
  await createUser(a.scope.system, {
    email: "styrelsen@test.se",
    name: "Styrelsen",
    password: PASSWORD,
    role: "admin",
  });
  // Logged at info, as in production, to see what an unknown URL writes to the log.
  h = await serve(a, { env: { LOG_LEVEL: "info" } });
  server = h.server;
}, 60_000);
afterAll(async () => {
  await h?.stop();
  a?.close();
});

const count = (table: string) => (sqlite().prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function login(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/login`, {
    method: "POST",
    headers,
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

async function sessionCookie(): Promise<string> {
  const res = await login({ email: "styrelsen@test.se", password: PASSWORD, redirectTo: "/" });
  expect(res.status).toBe(302);
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("sambruk_session="))!
    .split(";")[0];
}

describe("input that does not decode is a 4xx", () => {
  test.each(["/members/%E0%A4%A", "/%", "/api/v1/members/%ZZ", "/members/%C0%AF", "/projects/%ED%A0%80"])(
    "GET %s is a 400",
    async (path) => {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(res.status).toBe(400);
    },
  );

  test("a JSON body that is not UTF-8 is a 400 in the API's format, not stored as U+FFFD", async () => {
    const body = Buffer.concat([
      Buffer.from('{"email":"a'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('@test.se","password":"x"}'),
    ]);
    const res = await fetch(`${server.url}/api/v1/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_utf8");
  });

  test("a login redirect to a non-Latin-1 path works, with the path percent-encoded, and makes one session", async () => {
    const before = count("sessions");
    const res = await login({
      email: "styrelsen@test.se",
      password: PASSWORD,
      redirectTo: "/members?q=Göteborg ☃",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/members?q=G%C3%B6teborg%20%E2%98%83");
    expect(res.headers.getSetCookie().some((c) => c.startsWith("sambruk_session="))).toBe(true);
    expect(count("sessions")).toBe(before + 1);
  });
});

describe("writes without Origin", () => {
  const post = (cookie: string, headers: Record<string, string>) =>
    fetch(`${server.url}/members/new`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: "name=",
      redirect: "manual",
    });

  test("Sec-Fetch-Site cross-site or same-site, or a foreign Referer, is refused with 403", async () => {
    const cookie = await sessionCookie();
    const refused: Array<Record<string, string>> = [
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      { Referer: "http://evil.example/form" },
      { Referer: "nonsense" },
    ];
    for (const headers of refused) {
      const res = await post(cookie, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    // A login from another site is refused the same way (login CSRF).
    const foreign = await login({ email: "styrelsen@test.se", password: PASSWORD }, { "Sec-Fetch-Site": "cross-site" });
    expect(foreign.status).toBe(403);
  });

  test("our own pages (same-origin, or our Referer) get through to the form's validation", async () => {
    const cookie = await sessionCookie();
    const ours: Array<Record<string, string>> = [
      { "Sec-Fetch-Site": "same-origin" },
      { Referer: `${server.url}/members/new` },
      {},
    ];
    for (const headers of ours) {
      const res = await post(cookie, headers);
      expect(res.status, JSON.stringify(headers)).toBe(422);
    }
  });
});

test("an unknown URL is one line at info in the log, without a stack trace; there is no HSTS over plain HTTP", async () => {
  const path = `/no-such-page-${Date.now()}`;
  const res = await fetch(`${server.url}${path}`);
  expect(res.status).toBe(404);
  expect(res.headers.get("strict-transport-security")).toBeNull();
  await new Promise((r) => setTimeout(r, 200));
  const lines = server
    .output()
    .split("\n")
    .filter((l) => l.includes(path));
  expect(lines).toEqual([expect.stringMatching(new RegExp(`^GET ${path} 404 `))]);
  expect(server.output()).not.toMatch(/No route matches|^\s+at /m);
});

test("HSTS is sent when the cookies are secure", async () => {
  const secure = await startServer({ env: { COOKIE_SECURE: "1" } });
  try {
    const res = await fetch(`${secure.url}/login`);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
  } finally {
    await secure.stop();
  }
});

test("a hash made with the old scrypt cost is redone at the next successful login", async () => {
  const { hashPassword, needsRehash } = await import("../../app/lib/password.server");
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  await createUser(SYSTEM_SCOPE, {
    email: "gammal@test.se",
    name: "Gammal",
    password: PASSWORD,
    role: "treasurer",
  });
  // The hash as the previous version made it: N=2^14, r=8, p=1, same format.
  const { scryptSync, randomBytes } = await import("node:crypto");
  const salt = randomBytes(16);
  const key = scryptSync(PASSWORD.normalize("NFKC"), salt, 32, { N: 16384, r: 8, p: 1 });
  const old = `scrypt$16384$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
  sqlite().prepare("UPDATE users SET password_hash = ? WHERE email = ?").run(old, "gammal@test.se");
  expect(needsRehash(old)).toBe(true);

  const wrong = await login({ email: "gammal@test.se", password: "fel lösenord!", redirectTo: "/" });
  expect(wrong.status).toBe(401);
  const stored = () =>
    (sqlite().prepare("SELECT password_hash AS h FROM users WHERE email = ?").get("gammal@test.se") as { h: string }).h;
  expect(stored()).toBe(old);

  const started = performance.now();
  const right = await login({ email: "gammal@test.se", password: PASSWORD, redirectTo: "/" });
  console.info(`login with the old hash and its rehash: ${Math.round(performance.now() - started)} ms`);
  expect(right.status).toBe(302);
  expect(stored()).not.toBe(old);
  expect(needsRehash(stored())).toBe(false);
  expect(stored()).toMatch(/^scrypt\$8192\$8\$10\$/);
  expect((await hashPassword("x".repeat(12))).startsWith("scrypt$8192$8$10$")).toBe(true);

  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    expect((await login({ email: "gammal@test.se", password: PASSWORD, redirectTo: "/" })).status).toBe(302);
    times.push(performance.now() - t);
  }
  console.info(`login with the new hash: ${times.map((t) => Math.round(t)).join(", ")} ms`);
}, 60_000);

test("the population import has the same ceiling as the form and the API", async () => {
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  createMember(SYSTEM_SCOPE, municipalityInput(referenceMunicipality("1438")));
  const file = (population: string) => Buffer.from(`code,name,county,population\n1438,Dals-Ed,14,${population}\n`);
  const preview = await previewPopulationImport(SYSTEM_SCOPE, file("99999999"), 2025);
  expect(preview.rows[0]).toMatchObject({ status: "error", message: "Invånarantalet får vara högst 20000000" });
  const fine = await previewPopulationImport(SYSTEM_SCOPE, file("20000000"), 2025);
  expect(fine.rows[0].status).not.toBe("error");
});

test("the settings page and a billing run warn before the invoice series runs into next year's numbers", async () => {
  const { SYSTEM_SCOPE } = await import("../../db/scope");
  for (const code of ["1439", "1444"]) createMember(SYSTEM_SCOPE, municipalityInput(referenceMunicipality(code)));
  const settings = {
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
    nextInvoiceNumber: 2026950,
    ourReference: "Kim Kassör",
    vatRateEntryFee: 0 as const,
    vatRateAnnualFee: 0 as const,
    vatRateProjectShare: 0 as const,
    vatExemptionText: "Momsfri",
    footer: "",
  };
  saveSettings(SYSTEM_SCOPE, settings);
  const cookie = await sessionCookie();
  const page = async (path: string) => (await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })).text();
  expect(await page("/settings")).toContain(
    "Serien 2026001–2026999 har bara 50 nummer kvar. Byt till en serie med plats, t.ex. 20260001.",
  );

  saveSettings(SYSTEM_SCOPE, { ...settings, nextInvoiceNumber: 2026998 });
  const { run, invoiceIds } = createBillingRun(SYSTEM_SCOPE, { year: 2026, charges: ["annual_fee"] });
  const drafts = invoiceIds.length;
  expect(drafts).toBeGreaterThan(2);
  expect(await page(`/billing/runs/${run!.id}`)).toContain(
    `Fakturaserien 2026001–2026999 har 2 nummer kvar, men ${drafts} fakturor ska få nummer`,
  );

  // With a wider series the warning is gone.
  saveSettings(SYSTEM_SCOPE, { ...settings, nextInvoiceNumber: 20260001 });
  expect(await page(`/billing/runs/${run!.id}`)).not.toContain("Fakturaserien");
  expect(await page("/settings")).not.toContain("nummer kvar");
});
