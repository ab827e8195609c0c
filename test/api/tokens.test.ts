import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiClient } from "../support/server";
import { FOUR_MUNICIPALITIES, PASSWORD } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";

let ctx: Served;
beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
});
afterAll(async () => {
  await stopServed(ctx);
});

const SYSTEM = { userId: null, email: "system", role: "admin" as const, memberId: null };

async function makeUser(email: string, role: "admin" | "treasurer" | "member" = "treasurer") {
  const { createUser } = await import("../../app/features/users/commands.server");
  return createUser(SYSTEM, {
    email,
    name: email,
    password: PASSWORD,
    role,
    ...(role === "member" ? { memberId: ctx.members.goteborg } : {}),
  });
}

describe("POST /api/v1/tokens", () => {
  test("right e-mail and password give 201 with a token that works and the user's role", async () => {
    const res = await ctx.api.anonymous.post("/tokens", { email: "kassor@test.se", password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ token: expect.stringMatching(/^sbk_[\w-]{20,}$/), role: "treasurer" });
    const me = apiClient(ctx.server.url, res.json.token);
    expect((await me.get("/members")).status).toBe(200);
  });

  test("the e-mail is case- and space-insensitive", async () => {
    const res = await ctx.api.anonymous.post("/tokens", { email: "  Admin@Test.SE ", password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.json.role).toBe("admin");
  });

  test("a wrong password gives 401 in the error format and no token", async () => {
    await makeUser("wrong-once@test.se");
    const res = await ctx.api.anonymous.post("/tokens", { email: "wrong-once@test.se", password: "not the password" });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code: "invalid_credentials", message: expect.any(String) } });
    expect(res.json.token).toBeUndefined();
  });

  test("an unknown e-mail gives the same 401 as a wrong password", async () => {
    const res = await ctx.api.anonymous.post("/tokens", { email: "nobody@test.se", password: "whatever it is" });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("invalid_credentials");
  });

  test("past three wrong passwords the next try waits (429 with Retry-After), then the right password works", async () => {
    await makeUser("locked@test.se");
    for (let i = 1; i <= 3; i++) {
      const res = await ctx.api.anonymous.post("/tokens", { email: "locked@test.se", password: `wrong ${i}` });
      expect(res.status, `try ${i}`).toBe(401);
    }
    const fourth = await ctx.api.anonymous.post("/tokens", { email: "locked@test.se", password: "wrong 4" });
    expect(fourth.status).toBe(429);
    expect(fourth.json.error.code).toBe("too_many_attempts");
    expect(fourth.headers.get("retry-after")).toBe("1");
    // Another account from the same address is not held up by it.
    expect((await ctx.api.anonymous.post("/tokens", { email: "kassor@test.se", password: PASSWORD })).status).toBe(201);
    // A delay, not a lockout: after it, the right password is accepted.
    await new Promise((r) => setTimeout(r, 1100));
    const right = await ctx.api.anonymous.post("/tokens", { email: "locked@test.se", password: PASSWORD });
    expect(right.status).toBe(201);
  });

  test("a body without a password is 422 with the field", async () => {
    const res = await ctx.api.anonymous.post("/tokens", { email: "admin@test.se" });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual({ password: "Lösenordet måste anges" });
  });

  test("GET is 405 with Allow", async () => {
    const res = await ctx.api.anonymous.get("/tokens");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST, DELETE");
    expect(res.json.error.code).toBe("method_not_allowed");
  });
});

describe("token revocation and lock-out", () => {
  test("DELETE /tokens revokes the calling token only: 204, then 401 for it", async () => {
    const a = await ctx.api.anonymous.post("/tokens", { email: "kassor@test.se", password: PASSWORD });
    const b = await ctx.api.anonymous.post("/tokens", { email: "kassor@test.se", password: PASSWORD });
    const first = apiClient(ctx.server.url, a.json.token);
    const second = apiClient(ctx.server.url, b.json.token);
    const del = await first.delete("/tokens");
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    const after = await first.get("/members");
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe("unauthorized");
    expect((await second.get("/members")).status).toBe(200);
    // Revoking again with the dead token is 401, not a crash.
    expect((await first.delete("/tokens")).status).toBe(401);
  });

  test("DELETE /tokens without a token is 401", async () => {
    expect((await ctx.api.anonymous.delete("/tokens")).status).toBe(401);
  });

  test("a malformed or made-up bearer token is 401", async () => {
    for (const header of [
      "Bearer",
      "Bearer sbk_made_up",
      "Basic YWRtaW46cGFzcw==",
      `Bearer ${ctx.token.admin} extra`,
    ]) {
      const res = await ctx.api.anonymous.raw("GET", "/members", undefined, { Authorization: header });
      expect(res.status, header).toBe(401);
    }
  });

  test("deactivating a user locks its existing token out at once, and it cannot get a new one", async () => {
    const user = await makeUser("leaving@test.se", "member");
    const login = await ctx.api.anonymous.post("/tokens", { email: "leaving@test.se", password: PASSWORD });
    expect(login.json.role).toBe("member");
    const leaving = apiClient(ctx.server.url, login.json.token);
    expect((await leaving.get(`/members/${ctx.members.goteborg}`)).status).toBe(200);

    const patch = await ctx.api.admin.patch(`/users/${user.id}`, { active: false });
    expect(patch.status).toBe(200);
    expect(patch.json).toMatchObject({ id: user.id, active: false });

    expect((await leaving.get(`/members/${ctx.members.goteborg}`)).status).toBe(401);
    const again = await ctx.api.anonymous.post("/tokens", { email: "leaving@test.se", password: PASSWORD });
    expect(again.status).toBe(401);
    const revoked = ctx
      .sqlite()
      .prepare("SELECT count(*) AS n FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL")
      .get(user.id) as { n: number };
    expect(revoked.n).toBe(0);
  });

  test("a role change revokes the user's tokens too", async () => {
    const user = await makeUser("promoted@test.se", "treasurer");
    const login = await ctx.api.anonymous.post("/tokens", { email: "promoted@test.se", password: PASSWORD });
    const before = apiClient(ctx.server.url, login.json.token);
    expect((await before.get("/fees?year=2026")).status).toBe(200);
    const patch = await ctx.api.admin.patch(`/users/${user.id}`, { role: "member", memberId: ctx.members.molndal });
    expect(patch.status).toBe(200);
    expect(patch.json).toMatchObject({ role: "member", memberId: ctx.members.molndal });
    expect((await before.get("/fees?year=2026")).status).toBe(401);
  });
});

describe("users (board only)", () => {
  test("GET /users lists accounts without password hashes", async () => {
    const res = await ctx.api.admin.get("/users");
    expect(res.status).toBe(200);
    const emails = res.json.users.map((u: { email: string }) => u.email);
    expect(emails).toEqual(expect.arrayContaining(["admin@test.se", "kassor@test.se", "kontakt@test.se"]));
    const member = res.json.users.find((u: { email: string }) => u.email === "kontakt@test.se");
    expect(member).toEqual({
      id: ctx.users.member.id,
      email: "kontakt@test.se",
      name: "Mo Medlem",
      role: "member",
      memberId: ctx.members.dalsEd,
      active: true,
    });
    expect(res.text).not.toMatch(/passwordHash|password_hash|scrypt/i);
  });

  test("POST /users creates a member user that can log in; 201 without the hash", async () => {
    const res = await ctx.api.admin.post("/users", {
      email: "Ny.Kontakt@Molndal.se",
      name: "Nils Ny",
      password: "ett långt lösenord",
      role: "member",
      memberCode: "1481",
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      email: "ny.kontakt@molndal.se",
      name: "Nils Ny",
      role: "member",
      memberId: ctx.members.molndal,
      active: true,
    });
    const login = await ctx.api.anonymous.post("/tokens", {
      email: "ny.kontakt@molndal.se",
      password: "ett långt lösenord",
    });
    expect(login.status).toBe(201);
    expect(login.json.role).toBe("member");
  });

  test("POST /users with a taken e-mail is 409 naming the field, and stores nothing", async () => {
    const before = ctx.snapshot();
    const res = await ctx.api.admin.post("/users", {
      email: "kassor@test.se",
      name: "Dubblett",
      password: "ett långt lösenord",
      role: "treasurer",
    });
    expect(res.status).toBe(409);
    expect(res.json.error.fields).toEqual({ email: "E-postadressen används redan" });
    expect(ctx.snapshot()).toEqual(before);
  });

  test("POST /users validates: short password, member without member, unknown field", async () => {
    const before = ctx.snapshot();
    const res = await ctx.api.admin.post("/users", {
      email: "x@test.se",
      name: "X",
      password: "kort",
      role: "treasurer",
      isAdmin: true,
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual({
      password: "Lösenordet ska vara minst 10 tecken",
      isAdmin: "Okänt fält",
    });
    const noMember = await ctx.api.admin.post("/users", {
      email: "y@test.se",
      name: "Y",
      password: "ett långt lösenord",
      role: "member",
    });
    expect(noMember.status).toBe(422);
    expect(noMember.json.error.fields).toEqual({ memberId: "En medlemsanvändare måste höra till en medlem" });
    expect(ctx.snapshot()).toEqual(before);
  });

  test("PATCH /users/{id} renames; the last active admin cannot be demoted (409)", async () => {
    const rename = await ctx.api.admin.patch(`/users/${ctx.users.treasurer.id}`, { name: "Kim K. Kassör" });
    expect(rename.status).toBe(200);
    expect(rename.json.name).toBe("Kim K. Kassör");
    const demote = await ctx.api.admin.patch(`/users/${ctx.users.admin.id}`, { role: "treasurer" });
    expect(demote.status).toBe(409);
    expect(demote.json.error.fields).toEqual({ role: "Den sista aktiva administratören kan inte tas bort" });
    expect((await ctx.api.admin.get("/users/" + ctx.users.admin.id)).json.role).toBe("admin");
  });

  test("PATCH /users/{id}: unknown user 404, password field 422 (not writable here)", async () => {
    expect((await ctx.api.admin.patch("/users/99999", { name: "Ingen" })).status).toBe(404);
    const res = await ctx.api.admin.patch(`/users/${ctx.users.treasurer.id}`, { password: "ett nytt långt lösenord" });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual({ password: "Okänt fält" });
  });
});
