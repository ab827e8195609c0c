import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { association, type Association } from "../support/association";
import { serve, type Http } from "../support/http";

/* Bad input: every rule answers 4xx with a message for the field, and nothing is stored. */
let a: Association;
let h: Http;
let project: number;
let goteborg: number;

beforeAll(async () => {
  a = await association({ organisation: true });
  h = await serve(a);
  goteborg = a.member["1480"];
  project = a.addProject({ code: "P-001", allocationKey: "per_capita", status: "open" });
  a.setBudget(project, 2025, "1000");
  a.addParticipant(project, goteborg, "2024-01-01");
});
afterAll(async () => {
  await h?.stop();
  a?.close();
});

function snapshot() {
  return {
    projects: a.count("projects"),
    budgets: a.count("project_budgets"),
    participants: a.count("project_participants"),
    audit: a.count("audit_log"),
    project: JSON.stringify(a.sqlite().prepare("SELECT * FROM projects ORDER BY id").all()),
    participantRows: JSON.stringify(
      a.sqlite().prepare("SELECT * FROM project_participants ORDER BY project_id, member_id").all(),
    ),
    budgetRows: JSON.stringify(a.sqlite().prepare("SELECT * FROM project_budgets ORDER BY project_id, year").all()),
  };
}

const valid = { code: "P-100", name: "Ett projekt", allocationKey: "per_capita" };

describe("POST /projects", () => {
  it.each([
    ["code missing", { name: "X", allocationKey: "equal" }, "code", /måste anges/],
    ["code with a space", { ...valid, code: "P 001" }, "code", /A–Z, 0–9 och -/],
    ["code with å", { ...valid, code: "PÅ-1" }, "code", /A–Z, 0–9 och -/],
    ["code too long", { ...valid, code: "P".repeat(21) }, "code", /högst 20/],
    ["code a number", { ...valid, code: 7 }, "code", /text/],
    ["name missing", { code: "P-101", allocationKey: "equal" }, "name", /måste anges/],
    ["name blank", { ...valid, name: "   " }, "name", /måste anges/],
    ["status unknown", { ...valid, status: "done" }, "status", /planned, open, closed/],
    ["key missing", { code: "P-102", name: "X" }, "allocationKey", /per_capita/],
    ["key unknown", { ...valid, allocationKey: "by_size" }, "allocationKey", /per_capita/],
    ["basePercent missing", { ...valid, allocationKey: "base_plus_per_capita" }, "basePercent", /0–100/],
    [
      "basePercent above 100",
      { ...valid, allocationKey: "base_plus_per_capita", basePercent: "100.5" },
      "basePercent",
      /0 till 100/,
    ],
    [
      "basePercent negative",
      { ...valid, allocationKey: "base_plus_per_capita", basePercent: -1 },
      "basePercent",
      /tal/,
    ],
    [
      "basePercent text",
      { ...valid, allocationKey: "base_plus_per_capita", basePercent: "tjugo" },
      "basePercent",
      /tal/,
    ],
    ["basePercent for another key", { ...valid, basePercent: "20" }, "basePercent", /bara för nyckeln/],
    ["an unknown field", { ...valid, budget: "100" }, "budget", /Okänt fält/],
    ["description not text", { ...valid, description: 5 }, "description", /text/],
  ])("%s → 422 with the field's message", async (_label, body, field, message) => {
    const before = snapshot();
    const res = await h.api.admin.post("/projects", body);
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("validation_failed");
    expect(res.json.error.fields[field]).toMatch(message);
    expect(snapshot()).toEqual(before);
  });

  it("a code in use → 409 naming the project that has it", async () => {
    const before = snapshot();
    const res = await h.api.admin.post("/projects", { ...valid, code: "p-001" });
    expect(res.status).toBe(409);
    expect(res.json.error.fields.code).toMatch(/P-001 används redan av Projekt P-001/);
    expect(snapshot()).toEqual(before);
  });

  it("malformed JSON → 400, not JSON → 415, not an object → 422", async () => {
    const before = snapshot();
    expect((await h.api.admin.post("/projects", "{nope")).status).toBe(400);
    expect(
      (await h.api.admin.post("/projects", "code=P-1", { "Content-Type": "application/x-www-form-urlencoded" })).status,
    ).toBe(415);
    expect((await h.api.admin.post("/projects", [valid])).status).toBe(422);
    expect(snapshot()).toEqual(before);
  });
});

describe("PATCH /projects/{id}", () => {
  it.each([
    ["a code in use", { code: "P-002" }, 409, "code"],
    ["a bad code", { code: "p_1" }, 422, "code"],
    ["base_plus without a percent", { allocationKey: "base_plus_per_capita" }, 422, "basePercent"],
    ["a percent for per_capita", { basePercent: "10" }, 422, "basePercent"],
    ["an empty name", { name: "" }, 422, "name"],
    ["an unknown status", { status: "paused" }, 422, "status"],
    ["an unknown field", { id: 5 }, 422, "id"],
  ])("%s → %i", async (_label, body, status, field) => {
    if (a.project["P-002"] === undefined) a.addProject({ code: "P-002", allocationKey: "equal" });
    const before = snapshot();
    const res = await h.api.admin.patch(`/projects/${project}`, body);
    expect(res.status).toBe(status);
    expect(res.json.error.fields[field]).toBeTruthy();
    expect(snapshot()).toEqual(before);
  });
});

describe("PUT /projects/{id}/budgets/{year}", () => {
  it.each([
    ["a negative amount", { amount: "-5" }, "amount"],
    ["three decimals", { amount: "1.234" }, "amount"],
    ["text", { amount: "tusen" }, "amount"],
    ["no amount", {}, "amount"],
    ["an unknown field", { amount: "5", currency: "EUR" }, "currency"],
  ])("%s → 422", async (_label, body, field) => {
    const before = snapshot();
    const res = await h.api.admin.put(`/projects/${project}/budgets/2026`, body);
    expect(res.status).toBe(422);
    expect(res.json.error.fields[field]).toBeTruthy();
    expect(snapshot()).toEqual(before);
  });

  it.each(["1999", "2101", "20x5"])("year %s in the path → 422 on the field year", async (year) => {
    const before = snapshot();
    const res = await h.api.admin.put(`/projects/${project}/budgets/${year}`, { amount: "5" });
    expect(res.status).toBe(422);
    expect(res.json.error.fields.year).toBeTruthy();
    expect(snapshot()).toEqual(before);
  });
});

describe("POST /projects/{id}/participants", () => {
  it.each([
    ["no member", { joinedOn: "2025-01-01" }, "memberId", /måste anges/],
    ["a member that does not exist", { memberId: 999_999, joinedOn: "2025-01-01" }, "memberId", /finns inte/],
    ["member id as text", { memberId: "två", joinedOn: "2025-01-01" }, "memberId", /heltal/],
    ["an impossible date", { memberId: 0, joinedOn: "2025-02-30" }, "joinedOn", /ÅÅÅÅ-MM-DD/],
    ["no date", { memberId: 1 }, "joinedOn", /måste anges/],
    ["weight 0", { memberId: 1, joinedOn: "2025-01-01", weight: 0 }, "weight", /större än 0/],
    ["a negative weight", { memberId: 1, joinedOn: "2025-01-01", weight: -3 }, "weight", /tal/],
    ["weight as words", { memberId: 1, joinedOn: "2025-01-01", weight: "hälften" }, "weight", /tal/],
    [
      "a weight with 7 decimals",
      { memberId: 1, joinedOn: "2025-01-01", weight: 0.1234567 },
      "weight",
      /högst 6 decimaler/,
    ],
    ["a tiny float", { memberId: 1, joinedOn: "2025-01-01", weight: 1e-9 }, "weight", /tal/],
    ["an unknown field", { memberId: 1, joinedOn: "2025-01-01", leftOn: "2025-12-31" }, "leftOn", /Okänt fält/],
  ])("%s → 422", async (_label, body, field, message) => {
    const before = snapshot();
    const res = await h.api.admin.post(`/projects/${project}/participants`, body);
    expect(res.status).toBe(422);
    expect(res.json.error.fields[field]).toMatch(message);
    expect(snapshot()).toEqual(before);
  });

  it("a start before the member joined the association → 422 on joinedOn", async () => {
    const before = snapshot();
    const res = await h.api.admin.post(`/projects/${project}/participants`, {
      memberId: a.member["1481"],
      joinedOn: "2019-12-31",
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields.joinedOn).toMatch(/Mölndal kommun blev medlem först 2020-01-01/);
    expect(snapshot()).toEqual(before);
  });
});

describe("PATCH /projects/{id}/participants/{memberId}", () => {
  it.each([
    ["leaving before joining", { leftOn: "2023-12-31" }, "leftOn", /före startdatumet/],
    ["an impossible date", { leftOn: "2025-13-01" }, "leftOn", /ÅÅÅÅ-MM-DD/],
    ["weight 0", { weight: "0" }, "weight", /större än 0/],
    ["changing the start (not in the API)", { joinedOn: "2024-02-01" }, "joinedOn", /Okänt fält/],
  ])("%s → 422", async (_label, body, field, message) => {
    const before = snapshot();
    const res = await h.api.admin.patch(`/projects/${project}/participants/${goteborg}`, body);
    expect(res.status).toBe(422);
    expect(res.json.error.fields[field]).toMatch(message);
    expect(snapshot()).toEqual(before);
  });
});

describe("GET /projects/{id}/allocation", () => {
  it.each(["", "?year=", "?year=abc", "?year=1999"])("year query %j → 422 on the field year", async (query) => {
    const res = await h.api.member.get(`/projects/${project}/allocation${query}`);
    expect(res.status).toBe(422);
    expect(res.json.error.fields.year).toBeTruthy();
  });
});

describe("forms", () => {
  it("the new-project form shows each message next to its field and keeps what was typed", async () => {
    const before = snapshot();
    const res = await h.page.admin.post("/projects/new", {
      code: "P 9",
      name: "",
      description: "Beskrivning",
      status: "open",
      allocationKey: "base_plus_per_capita",
      basePercent: "150",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/<input[^>]*id="f-code"[^>]*aria-invalid="true"[^>]*aria-describedby="f-code-error/);
    expect(html).toContain('id="f-code-error"');
    expect(html).toContain("Projektkoden får bara innehålla A–Z, 0–9 och -");
    expect(html).toContain('id="f-name-error"');
    expect(html).toContain("Grundandelen ska vara ett procenttal från 0 till 100");
    expect(html).toContain('value="P 9"');
    expect(snapshot()).toEqual(before);
  });

  it("a percent left over after switching to another key is dropped, not refused", async () => {
    const res = await h.page.admin.post("/projects/new", {
      code: "P-FORM",
      name: "Från formuläret",
      description: "",
      status: "planned",
      allocationKey: "equal",
      basePercent: "20",
    });
    expect(res.status).toBe(302);
    const id = Number(/\/projects\/(\d+)/.exec(res.headers.get("location")!)![1]);
    const json = await h.api.admin.get(`/projects/${id}`);
    expect(json.json).toMatchObject({ code: "P-FORM", allocationKey: "equal", basePercent: null });
  });

  it("the budget and participant forms answer 422 with their messages and store nothing", async () => {
    const before = snapshot();
    const budget = await h.page.admin.post(`/projects/${project}`, {
      intent: "budget",
      year: "2026",
      amount: "-1",
      note: "",
    });
    expect(budget.status).toBe(422);
    expect(await budget.text()).toContain("Budgeten får inte vara negativt");
    const participant = await h.page.admin.post(`/projects/${project}`, {
      intent: "participant",
      memberId: String(a.member["1481"]),
      joinedOn: "2025-02-31",
    });
    expect(participant.status).toBe(422);
    expect(await participant.text()).toContain("Startdatumet ska vara ett datum ÅÅÅÅ-MM-DD");
    const duplicate = await h.page.admin.post(`/projects/${project}`, {
      intent: "participant",
      memberId: String(goteborg),
      joinedOn: "2025-01-01",
    });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain("deltar redan i P-001");
    const edit = await h.page.admin.post(`/projects/${project}/participants/${goteborg}`, {
      intent: "update",
      joinedOn: "2024-01-01",
      leftOn: "2023-01-01",
      weight: "",
    });
    expect(edit.status).toBe(422);
    expect(await edit.text()).toContain("Slutdatumet kan inte ligga före startdatumet");
    expect(snapshot()).toEqual(before);
  });
});
