import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { association, type Association } from "../support/association";
import { serve, type Http } from "../support/http";

/* Who may do what with projects, for every endpoint and page: allowed, 401 / login, 403, 404. */
let a: Association;
let h: Http;
let open: number; // an open project with a budget for 2025 and Göteborg taking part
let planned: number;
let own: number; // the member user's own member (Dals-Ed)
let other: number; // another member (Mölndal)

beforeAll(async () => {
  a = await association({ organisation: true });
  h = await serve(a);
  own = a.member["1438"];
  other = a.member["1481"];
  open = a.addProject({ code: "P-OPEN", allocationKey: "per_capita", status: "open" });
  planned = a.addProject({ code: "P-PLAN", allocationKey: "per_capita", status: "planned" });
  a.setBudget(open, 2025, "1000");
  a.addParticipant(open, a.member["1480"]);
});
afterAll(async () => {
  await h?.stop();
  a?.close();
});

const MISSING = 999_999;

describe("API: reading is open to everyone logged in", () => {
  it.each(["admin", "treasurer", "member"] as const)("%s may list, read and see the allocation", async (role) => {
    const api = h.api[role];
    const list = await api.get("/projects");
    expect(list.status).toBe(200);
    expect(list.json.projects.map((p: any) => p.code)).toEqual(expect.arrayContaining(["P-OPEN", "P-PLAN"]));
    const one = await api.get(`/projects/${open}`);
    expect(one.status).toBe(200);
    expect(one.json.participants.map((p: any) => p.memberId)).toEqual([a.member["1480"]]);
    expect(one.json.budgets).toEqual([{ year: 2025, amount: "1000.00", note: "" }]);
    const allocation = await api.get(`/projects/${open}/allocation?year=2025`);
    expect(allocation.status).toBe(200);
    expect(allocation.json.shares).toHaveLength(1);
  });

  it("anonymous callers get 401 everywhere", async () => {
    const api = h.api.anonymous;
    const calls = [
      await api.get("/projects"),
      await api.post("/projects", { code: "X", name: "X", allocationKey: "equal" }),
      await api.get(`/projects/${open}`),
      await api.patch(`/projects/${open}`, { name: "X" }),
      await api.put(`/projects/${open}/budgets/2025`, { amount: "1" }),
      await api.post(`/projects/${open}/participants`, { memberId: own, joinedOn: "2030-01-01" }),
      await api.patch(`/projects/${open}/participants/${a.member["1480"]}`, { leftOn: "2030-12-31" }),
      await api.get(`/projects/${open}/allocation?year=2025`),
    ];
    for (const res of calls) {
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("unauthorized");
    }
  });

  it("unknown projects are 404 in the API's error format", async () => {
    for (const res of [
      await h.api.member.get(`/projects/${MISSING}`),
      await h.api.member.get(`/projects/${MISSING}/allocation?year=2025`),
      await h.api.admin.patch(`/projects/${MISSING}`, { name: "X" }),
      await h.api.admin.put(`/projects/${MISSING}/budgets/2025`, { amount: "1" }),
      await h.api.admin.post(`/projects/${MISSING}/participants`, { memberId: own, joinedOn: "2025-01-01" }),
      await h.api.admin.patch(`/projects/${MISSING}/participants/${own}`, { leftOn: "2025-12-31" }),
      await h.api.member.get(`/projects/abc`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
  });

  it("a method the endpoint does not have is 405", async () => {
    const res = await h.api.admin.delete(`/projects/${open}`);
    expect(res.status).toBe(405);
  });
});

describe("API: changing projects is for the board", () => {
  it.each(["treasurer", "member"] as const)(
    "%s gets 403 for create, patch and budget, and nothing changes",
    async (role) => {
      const api = h.api[role];
      const before = {
        projects: a.count("projects"),
        budgets: a.count("project_budgets"),
        audit: a.count("audit_log"),
      };
      const create = await api.post("/projects", { code: "P-NO", name: "Nej", allocationKey: "equal" });
      expect(create.status).toBe(403);
      expect(create.json.error.code).toBe("forbidden");
      expect((await api.patch(`/projects/${open}`, { name: "Nej" })).status).toBe(403);
      expect((await api.put(`/projects/${open}/budgets/2026`, { amount: "5" })).status).toBe(403);
      expect({
        projects: a.count("projects"),
        budgets: a.count("project_budgets"),
        audit: a.count("audit_log"),
      }).toEqual(before);
    },
  );

  it("the board creates, patches and budgets, each change audited", async () => {
    const audit = a.count("audit_log");
    const id = a.addProject({ code: "p-new", allocationKey: "equal" });
    const project = await h.api.admin.get(`/projects/${id}`);
    expect(project.json.code).toBe("P-NEW"); // codes are kept in capitals
    expect(project.json.status).toBe("planned");
    const patch = await h.api.admin.patch(`/projects/${id}`, { status: "open", description: "Nytt" });
    expect(patch.status).toBe(200);
    expect(patch.json).toMatchObject({ status: "open", description: "Nytt", code: "P-NEW" });
    // An amount is a string (docs/security.md "Money"): a JSON number is refused with the form to send.
    const asNumber = await h.api.admin.put(`/projects/${id}/budgets/2026`, { amount: 1234.5 });
    expect(asNumber.status).toBe(422);
    expect(asNumber.json.error.fields.amount).toContain('"1234.50"');
    const budget = await h.api.admin.put(`/projects/${id}/budgets/2026`, { amount: "1234.5" });
    expect(budget.status).toBe(200);
    expect(budget.json).toMatchObject({ year: 2026, amount: "1234.50" });
    expect(a.count("audit_log") - audit).toBe(3);
    expect(a.count("audit_log", "action = 'project.update' AND entity_id = ?", String(id))).toBe(1);
    expect(a.count("audit_log", "action = 'project_budget.set' AND entity_id = ?", `${id}:2026`)).toBe(1);
  });
});

describe("API: participants", () => {
  it("the treasurer may not add or change participants", async () => {
    const add = await h.api.treasurer.post(`/projects/${open}/participants`, { memberId: own, joinedOn: "2030-01-01" });
    expect(add.status).toBe(403);
    const patch = await h.api.treasurer.patch(`/projects/${open}/participants/${a.member["1480"]}`, {
      leftOn: "2030-12-31",
    });
    expect(patch.status).toBe(403);
  });

  it("a member user may add only its own member, only to an open project, from today, without a weight", async () => {
    const before = a.count("project_participants");
    expect(
      (await h.api.member.post(`/projects/${open}/participants`, { memberId: other, joinedOn: "2030-01-01" })).status,
    ).toBe(403);
    expect(
      (await h.api.member.post(`/projects/${planned}/participants`, { memberId: own, joinedOn: "2030-01-01" })).status,
    ).toBe(403);
    expect(
      (await h.api.member.post(`/projects/${open}/participants`, { memberId: own, joinedOn: "2030-01-01", weight: 5 }))
        .status,
    ).toBe(403);
    const past = await h.api.member.post(`/projects/${open}/participants`, { memberId: own, joinedOn: "2020-01-01" });
    expect(past.status).toBe(422);
    expect(past.json.error.fields.joinedOn).toMatch(/före i dag/);
    expect(a.count("project_participants")).toBe(before);

    const ok = await h.api.member.post(`/projects/${open}/participants`, { memberId: own, joinedOn: "2030-01-01" });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({
      projectId: open,
      memberId: own,
      joinedOn: "2030-01-01",
      leftOn: null,
      weight: null,
    });
    const again = await h.api.member.post(`/projects/${open}/participants`, { memberId: own, joinedOn: "2031-01-01" });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("already_participating");
  });

  it("the board may add any member to any project, 409 when it is already there", async () => {
    const ok = await h.api.admin.post(`/projects/${planned}/participants`, {
      memberId: other,
      joinedOn: "2021-05-01",
      weight: 33.5,
    });
    expect(ok.status).toBe(201);
    expect(ok.json.weight).toBe("33.5");
    const dup = await h.api.admin.post(`/projects/${planned}/participants`, {
      memberId: other,
      joinedOn: "2022-01-01",
    });
    expect(dup.status).toBe(409);
    expect(dup.json.error.fields.memberId).toContain("deltar redan");
  });

  it("a member user may set only the leaving date of its own participation", async () => {
    // Dals-Ed joined P-OPEN (from 2030) above.
    expect(
      (await h.api.member.patch(`/projects/${open}/participants/${a.member["1480"]}`, { leftOn: "2030-12-31" })).status,
    ).toBe(403);
    expect((await h.api.member.patch(`/projects/${open}/participants/${own}`, { weight: 2 })).status).toBe(403);
    const ok = await h.api.member.patch(`/projects/${open}/participants/${own}`, { leftOn: "2031-12-31" });
    expect(ok.status).toBe(200);
    expect(ok.json.leftOn).toBe("2031-12-31");
    const undo = await h.api.member.patch(`/projects/${open}/participants/${own}`, { leftOn: null });
    expect(undo.status).toBe(200);
    expect(undo.json.leftOn).toBeNull();
    const notThere = await h.api.admin.patch(`/projects/${open}/participants/${other}`, { leftOn: "2031-12-31" });
    expect(notThere.status).toBe(404);
  });
});

describe("pages", () => {
  const get = async (role: keyof Http["page"], path: string) => (await h.page[role].get(path)).status;

  it("the list, a project and its allocation are open to everyone logged in; the CSV to staff and the participants", async () => {
    for (const role of ["admin", "treasurer", "member"] as const) {
      expect(await get(role, "/projects")).toBe(200);
      expect(await get(role, `/projects/${open}`)).toBe(200);
      expect(await get(role, `/projects/${open}/allocation?year=2025`)).toBe(200);
      // Dals-Ed (the member user's municipality) does not take part in P-OPEN: every member's share is not its file.
      expect(await get(role, `/projects/${open}/allocation.csv?year=2025`)).toBe(role === "member" ? 403 : 200);
      expect(await get(role, `/projects/${MISSING}`)).toBe(404);
      expect(await get(role, `/projects/${MISSING}/allocation?year=2025`)).toBe(404);
    }
  });

  it("anonymous visitors are sent to the login page and back", async () => {
    for (const path of [
      "/projects",
      "/projects/new",
      `/projects/${open}`,
      `/projects/${open}/edit`,
      `/projects/${open}/allocation?year=2025`,
      `/projects/${open}/allocation.csv?year=2025`,
      `/projects/${open}/join`,
      `/projects/${open}/leave`,
      `/projects/${open}/participants/${a.member["1480"]}`,
    ]) {
      const res = await h.page.anonymous.get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
  });

  it("board pages answer 403 to the treasurer and the member user, and their forms change nothing", async () => {
    for (const role of ["treasurer", "member"] as const) {
      expect(await get(role, "/projects/new")).toBe(403);
      expect(await get(role, `/projects/${open}/edit`)).toBe(403);
      expect(await get(role, `/projects/${open}/participants/${a.member["1480"]}`)).toBe(403);
      const before = {
        projects: a.count("projects"),
        budgets: a.count("project_budgets"),
        participants: a.count("project_participants"),
      };
      const posts = [
        await h.page[role].post("/projects/new", { code: "P-X", name: "X", allocationKey: "equal", status: "open" }),
        await h.page[role].post(`/projects/${open}/edit`, {
          code: "P-OPEN",
          name: "X",
          allocationKey: "equal",
          status: "open",
        }),
        await h.page[role].post(`/projects/${open}`, { intent: "budget", year: "2027", amount: "10" }),
        await h.page[role].post(`/projects/${open}`, {
          intent: "participant",
          memberId: String(other),
          joinedOn: "2027-01-01",
        }),
        await h.page[role].post(`/projects/${open}/participants/${a.member["1480"]}`, {
          intent: "remove",
          confirm: "yes",
        }),
      ];
      for (const res of posts) expect(res.status).toBe(403);
      expect({
        projects: a.count("projects"),
        budgets: a.count("project_budgets"),
        participants: a.count("project_participants"),
      }).toEqual(before);
    }
  });

  it("the board sees its pages", async () => {
    expect(await get("admin", "/projects/new")).toBe(200);
    expect(await get("admin", `/projects/${open}/edit`)).toBe(200);
    expect(await get("admin", `/projects/${open}/participants/${a.member["1480"]}`)).toBe(200);
    expect(await get("admin", `/projects/${open}/participants/${other}`)).toBe(404);
  });

  it("joining and leaving pages are for member users only", async () => {
    for (const role of ["admin", "treasurer"] as const) {
      expect(await get(role, `/projects/${open}/join`)).toBe(403);
      expect(await get(role, `/projects/${open}/leave`)).toBe(403);
      expect((await h.page[role].post(`/projects/${open}/join`, { confirm: "yes" })).status).toBe(403);
    }
  });

  it("the board's overview per year is not shown to member users", async () => {
    const admin = await (await h.page.admin.get("/projects")).text();
    const member = await (await h.page.member.get("/projects")).text();
    expect(admin).toContain("Budget och deltagare per år");
    expect(member).not.toContain("Budget och deltagare per år");
    expect(admin).toContain('href="/projects/new"');
    expect(member).not.toContain('href="/projects/new"');
  });
});
