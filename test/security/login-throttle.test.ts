import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SYSTEM_SCOPE } from "../../db/scope";
import { association, PASSWORD, type Association } from "../support/association";
import { serve, type Http } from "../support/http";
import type { TestServer } from "../support/server";
import { createUser } from "../../app/features/users/commands.server";

/*
 * Login throttling against the real server (docs/security.md "Login throttling"). TRUST_PROXY=1 lets the test
 * speak from many client addresses through X-Forwarded-For, as a proxy in front of the app would.
 */
let a: Association;
let h: Http;
let server: TestServer;
beforeAll(async () => {
  a = await association({ municipalities: [], users: false, prefix: "sambruk-throttle-" });
  for (const email of ["styrelsen@test.se", "kassor@test.se", "spridd@test.se"]) {
    await createUser(SYSTEM_SCOPE, { email, name: "Test", password: PASSWORD, role: "admin" });
  }
  h = await serve(a, { env: { TRUST_PROXY: "1" } });
  server = h.server;
}, 60_000);
afterAll(async () => {
  await h?.stop();
  a?.close();
});

function login(email: string, password: string, from: string, cookie?: string) {
  return fetch(`${server.url}/login`, {
    method: "POST",
    headers: { "X-Forwarded-For": from, ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams({ email, password, redirectTo: "/" }),
    redirect: "manual",
  });
}

describe("login throttling", () => {
  test("50 concurrent wrong passwords for one account: only the free attempts are checked", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => login("styrelsen@test.se", "fel lösenord!", "198.51.100.7")),
    );
    const statuses = answers.map((r) => r.status);
    const checked = statuses.filter((s) => s === 401).length;
    console.info(
      `50 concurrent wrong passwords: ${checked} checked (401), ${statuses.filter((s) => s === 429).length} throttled (429)`,
    );
    expect(checked).toBeLessThanOrEqual(3);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const throttled = answers.find((r) => r.status === 429)!;
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await throttled.text()).toMatch(/Försök igen om \d+ s/);
  }, 60_000);

  test("someone else's wrong passwords do not keep the board out: the correct password works at once", async () => {
    const res = await login("styrelsen@test.se", PASSWORD, "203.0.113.20");
    expect(res.status).toBe(302);
  });

  test("many addresses guessing one account slow it down, but a browser that has logged in before gets in", async () => {
    // The board member logs in once from the office: the browser keeps a device cookie.
    const first = await login("spridd@test.se", PASSWORD, "203.0.113.50");
    expect(first.status).toBe(302);
    const device = first.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .find((c) => c.startsWith("sambruk_device="));
    expect(device).toBeDefined();
    // Twenty addresses try three passwords each.
    for (let a = 1; a <= 20; a++) {
      for (let i = 0; i < 3; i++) await login("spridd@test.se", `gissning ${a}-${i}`, `192.0.2.${a}`);
    }
    const stranger = await login("spridd@test.se", PASSWORD, "203.0.113.99");
    expect(stranger.status).toBe(429);
    expect(Number(stranger.headers.get("retry-after"))).toBeLessThanOrEqual(30);
    const known = await login("spridd@test.se", PASSWORD, "203.0.113.51", device);
    expect(known.status).toBe(302);
  }, 60_000);

  test("one address trying many accounts is capped across accounts", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 26; i++)
      statuses.push((await login(`finns-inte-${i}@test.se`, "fel lösenord!", "198.51.100.99")).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toContain(429);
    // The cap is per address: another address is not affected.
    expect((await login("kassor@test.se", PASSWORD, "198.51.100.100")).status).toBe(302);
  }, 60_000);
});
