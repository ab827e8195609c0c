import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FOUR_MUNICIPALITIES, municipalOrgNumber, newMunicipality } from "../support/association";
import { type Served, startServed, stopServed } from "../support/http";

let ctx: Served;
beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
});
afterAll(async () => {
  await stopServed(ctx);
});

function auditRows(entity: string, entityId: string | number) {
  return ctx
    .sqlite()
    .prepare(
      "SELECT action, actor, actor_user_id AS actorUserId, before, after FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id",
    )
    .all(entity, String(entityId)) as Array<{
    action: string;
    actor: string;
    actorUserId: number | null;
    before: string | null;
    after: string | null;
  }>;
}

const partilleOrg = municipalOrgNumber("14020"); // "212014-020X"

describe("members CRUD", () => {
  let partilleId: number;

  test("POST /members creates a municipality: 201 with the exact Member shape, identifiers normalised", async () => {
    const res = await ctx.api.admin.post(
      "/members",
      newMunicipality({
        orgNumber: partilleOrg.replace("-", " "), // pasted with a space: stored as NNNNNN-NNNN
        invoiceAddress: { street: "Gamla Kronvägen 34", postalCode: "43382", city: "Partille" },
        invoiceEmail: "Faktura@Partille.SE",
      }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(Number),
      kind: "municipality",
      name: "Partille kommun",
      municipalityCode: "1402",
      orgNumber: partilleOrg,
      joinedOn: "2026-03-01",
      resignedOn: null,
      populations: [{ year: 2025, population: 40233 }],
      invoiceAddress: { street: "Gamla Kronvägen 34", postalCode: "433 82", city: "Partille" },
      invoiceEmail: "faktura@partille.se",
      reference: "KS 2026/17",
      contact: { name: null, email: null, phone: null },
      // E-invoicing: null = the defaults (0007 + the organisation number; Peppol for a municipality).
      peppolId: null,
      deliveryChannel: null,
    });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    partilleId = res.json.id;
    const stored = ctx.sqlite().prepare("SELECT * FROM members WHERE id = ?").get(partilleId) as Record<
      string,
      unknown
    >;
    expect(stored).toMatchObject({ org_number: partilleOrg, postal_code: "433 82", municipality_code: "1402" });
  });

  test("POST /members creates an organisation without a code, population or address", async () => {
    const res = await ctx.api.admin.post("/members", {
      kind: "organisation",
      name: "Sveriges Kommuner och Regioner",
      orgNumber: "222000-0315",
      joinedOn: "2025-01-01",
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      kind: "organisation",
      municipalityCode: null,
      orgNumber: "222000-0315",
      populations: [],
      invoiceAddress: null,
      invoiceEmail: null,
      reference: null,
    });
  });

  test("GET /members/{id} returns the member with its populations, oldest year first", async () => {
    expect((await ctx.api.admin.put(`/members/${partilleId}/populations/2024`, { population: 39_800 })).status).toBe(
      200,
    );
    const res = await ctx.api.treasurer.get(`/members/${partilleId}`);
    expect(res.status).toBe(200);
    expect(res.json.populations).toEqual([
      { year: 2024, population: 39800 },
      { year: 2025, population: 40233 },
    ]);
    expect(res.json.invoiceAddress).toEqual({ street: "Gamla Kronvägen 34", postalCode: "433 82", city: "Partille" });
  });

  test("GET /members lists every member; ?q= searches name, code and org number", async () => {
    const all = await ctx.api.member.get("/members");
    expect(all.status).toBe(200);
    expect(all.json.members.map((m: { name: string }) => m.name)).toEqual([
      "Botkyrka kommun",
      "Dals-Ed kommun",
      "Göteborg kommun",
      "Mölndal kommun",
      "Partille kommun",
      "Sveriges Kommuner och Regioner",
    ]);
    const byName = await ctx.api.member.get(`/members?q=${encodeURIComponent("mölN")}`);
    expect(byName.json.members.map((m: { id: number }) => m.id)).toEqual([ctx.members.molndal]);
    const byCode = await ctx.api.member.get("/members?q=148");
    expect(byCode.json.members.map((m: { municipalityCode: string }) => m.municipalityCode)).toEqual(["1480", "1481"]);
    const byOrg = await ctx.api.member.get(`/members?q=${partilleOrg}`);
    expect(byOrg.json.members.map((m: { id: number }) => m.id)).toEqual([partilleId]);
    expect((await ctx.api.member.get("/members?q=finns-inte")).json).toEqual({ members: [] });
  });

  test("PATCH /members/{id} by the board changes fields, keeps the others, and is audited with before and after", async () => {
    const res = await ctx.api.admin.patch(`/members/${partilleId}`, {
      reference: "KS 2026/99",
      invoiceAddress: { street: "Box 1", postalCode: "433 21", city: "Partille" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: partilleId,
      name: "Partille kommun",
      reference: "KS 2026/99",
      invoiceAddress: { street: "Box 1", postalCode: "433 21", city: "Partille" },
      invoiceEmail: "faktura@partille.se",
      joinedOn: "2026-03-01",
    });
    const audit = auditRows("member", partilleId).filter((r) => r.action === "member.update");
    expect(audit).toHaveLength(1);
    expect(audit[0].actorUserId).toBe(ctx.users.admin.id);
    expect(audit[0].actor).toBe("admin@test.se (admin)");
    const before = JSON.parse(audit[0].before!);
    const after = JSON.parse(audit[0].after!);
    expect(before).toMatchObject({ reference: "KS 2026/17", street: "Gamla Kronvägen 34", postalCode: "433 82" });
    expect(after).toMatchObject({ reference: "KS 2026/99", street: "Box 1", postalCode: "433 21" });
  });

  test("PATCH resignedOn ends the membership; null clears it again", async () => {
    const resign = await ctx.api.admin.patch(`/members/${ctx.members.botkyrka}`, { resignedOn: "2026-12-31" });
    expect(resign.status).toBe(200);
    expect(resign.json.resignedOn).toBe("2026-12-31");
    const fees2027 = await ctx.api.admin.get("/fees?year=2027");
    expect(fees2027.json.members.map((m: { memberId: number }) => m.memberId)).not.toContain(ctx.members.botkyrka);
    const fees2026 = await ctx.api.admin.get("/fees?year=2026");
    expect(fees2026.json.members.map((m: { memberId: number }) => m.memberId)).toContain(ctx.members.botkyrka);
    const undo = await ctx.api.admin.patch(`/members/${ctx.members.botkyrka}`, { resignedOn: null });
    expect(undo.json.resignedOn).toBeNull();
  });

  test("PATCH invoiceAddress null clears the address", async () => {
    const res = await ctx.api.admin.patch(`/members/${partilleId}`, { invoiceAddress: null });
    expect(res.status).toBe(200);
    expect(res.json.invoiceAddress).toBeNull();
    const row = ctx.sqlite().prepare("SELECT street, postal_code, city FROM members WHERE id = ?").get(partilleId);
    expect(row).toEqual({ street: null, postal_code: null, city: null });
  });

  test("a member user edits its own contact and invoice details", async () => {
    const res = await ctx.api.member.patch(`/members/${ctx.members.dalsEd}`, {
      contactName: "Mo Medlem",
      contactPhone: "+46 534 190 00",
      invoiceEmail: "ekonomi@dalsed.se",
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: "Dals-Ed kommun",
      invoiceEmail: "ekonomi@dalsed.se",
      contact: { name: "Mo Medlem", email: null, phone: "+46 534 190 00" },
    });
    const audit = auditRows("member", ctx.members.dalsEd).filter((r) => r.action === "member.update");
    expect(audit.at(-1)!.actor).toBe("kontakt@test.se (member)");
    expect(JSON.parse(audit.at(-1)!.before!).invoiceEmail).toBe("faktura@1438.example.se");
  });

  test("a member user may not change its name or anything about populations (403), nor another member (404)", async () => {
    const before = ctx.snapshot();
    const name = await ctx.api.member.patch(`/members/${ctx.members.dalsEd}`, { name: "Dals-Eds storkommun" });
    expect(name.status).toBe(403);
    expect(name.json.error.fields).toEqual({ name: "Bara styrelsen kan ändra det här fältet" });
    const pop = await ctx.api.member.patch(`/members/${ctx.members.dalsEd}`, {
      population: { year: 2025, population: 1 },
    });
    expect(pop.status).toBe(403);
    expect(Object.keys(pop.json.error.fields)).toEqual(["population"]);
    const resign = await ctx.api.member.patch(`/members/${ctx.members.dalsEd}`, {
      resignedOn: "2026-12-31",
      reference: "x",
    });
    expect(resign.status).toBe(403);
    const other = await ctx.api.member.patch(`/members/${ctx.members.goteborg}`, { reference: "kapat" });
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe("not_found");
    expect(ctx.snapshot()).toEqual(before);
    const dalsEd = await ctx.api.admin.get(`/members/${ctx.members.dalsEd}`);
    expect(dalsEd.json.name).toBe("Dals-Ed kommun");
    expect(dalsEd.json.resignedOn).toBeNull();
  });

  test("PUT /members/{id}/populations/{year} sets and corrects a figure, audited", async () => {
    const set = await ctx.api.admin.put(`/members/${ctx.members.molndal}/populations/2025`, { population: 71_500 });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ year: 2025, population: 71500 });
    const fix = await ctx.api.admin.put(`/members/${ctx.members.molndal}/populations/2025`, { population: 71_420 });
    expect(fix.json).toEqual({ year: 2025, population: 71420 });
    const member = await ctx.api.admin.get(`/members/${ctx.members.molndal}`);
    expect(member.json.populations).toEqual([
      { year: 2024, population: 71420 },
      { year: 2025, population: 71420 },
    ]);
    const audit = auditRows("population", `${ctx.members.molndal}:2025`);
    expect(audit.map((a) => a.action)).toEqual(["population.set", "population.correct"]);
    expect(JSON.parse(audit[1].before!)).toEqual({ year: 2025, population: 71500 });
    expect(JSON.parse(audit[1].after!)).toEqual({ year: 2025, population: 71420 });
  });

  test("unknown members and unknown paths are JSON 404s; wrong methods 405", async () => {
    const missing = await ctx.api.admin.get("/members/99999");
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("not_found");
    expect((await ctx.api.admin.get("/members/abc")).status).toBe(404);
    expect((await ctx.api.admin.put("/members/99999/populations/2025", { population: 5 })).status).toBe(404);
    expect((await ctx.api.admin.patch("/members/99999", { reference: "x" })).status).toBe(404);
    const unknown = await ctx.api.admin.get("/no-such-thing/at/all");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/^application\/json/);
    expect(unknown.json.error.code).toBe("not_found");
    expect((await ctx.api.admin.post("/no-such-thing", {})).status).toBe(404);
    const del = await ctx.api.admin.delete(`/members/${ctx.members.molndal}`);
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET, PATCH");
    expect((await ctx.api.admin.put("/members", {})).status).toBe(405);
    expect((await ctx.api.admin.get(`/members/${ctx.members.molndal}/populations/2025`)).status).toBe(405);
    expect((await ctx.api.admin.post("/fees", {})).status).toBe(405);
  });
});
