import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayIso, yearOf } from "../../billing/dates";
import { htmlOf as html, type Served, startServed, stopServed } from "../support/http";

/*
 * Over HTTP against the real server, without JavaScript (docs/allocation.md#joining, docs/api.md#projects): the join
 * page's start date (today beside 1 January next year, any later day, a day in the past refused next to the field),
 * and the board's several-at-once form and API (one start date, all or none, the reason under each member).
 */
let f: Served;
let project: number;
const today = todayIso();
const year = yearOf(today);
const nextYearStart = `${year + 1}-01-01`;

/** A form post with repeated fields (the ticked checkboxes), as a browser sends it. */
function postForm(path: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams();
  for (const [k, v] of fields) body.append(k, v);
  return fetch(`${f.url}${path}`, {
    method: "POST",
    headers: { Cookie: f.cookie.admin, "Content-Type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  });
}

beforeAll(async () => {
  // The fifteen reference municipalities, the organisation without a population figure, one user per role.
  f = await startServed({
    organisation: true,
    projects: [
      {
        code: "P-300",
        allocationKey: "equal",
        status: "open",
        budgets: { [year]: "90000", [year + 1]: "120000" },
        participants: ["1480", "1481"].map((member) => ({ member, joinedOn: `${year}-01-01` })),
      },
    ],
    prefix: "sambruk-joining-http-",
  });
  project = f.project["P-300"];
}, 60_000);
afterAll(async () => {
  await stopServed(f);
});

describe("the join page: the member picks its start date", () => {
  it("shows today and 1 January next year side by side, with the share each makes due", async () => {
    const page = await html(await f.page.member.get(`/projects/${project}/join`));
    expect(page).toContain(`Från i dag, ${today}</a>: er andel ${year} blir 30 000,00 kr`);
    expect(page).toContain(`Från 1 januari ${year + 1}</a>: er andel ${year + 1} blir 40 000,00 kr`);
    expect(page).toContain(`href="/projects/${project}/join?joinedOn=${nextYearStart}"`);
    expect(page).toContain(`från och med i dag (${today})`);
    expect(page).toContain(`<input type="hidden" name="joinedOn" value="${today}"/>`);
  });

  it("?joinedOn= shows the would-be share of the year that date falls in, and the form joins from it", async () => {
    const page = await html(await f.page.member.get(`/projects/${project}/join?joinedOn=${nextYearStart}`));
    expect(page).toContain(`Er andel ${year + 1} om ni går med`);
    expect(page).toContain("40 000,00 kr");
    expect(page).toContain(`från och med ${nextYearStart}.`);
    expect(page).toContain(`<input type="hidden" name="joinedOn" value="${nextYearStart}"/>`);
    const none = await html(await f.page.member.get(`/projects/${project}/join?joinedOn=${year + 2}-02-01`));
    expect(none).toContain(`ingen budget för ${year + 2}`);
  });

  it("a day in the past is marked on the date field and offers no join button", async () => {
    const page = await html(await f.page.member.get(`/projects/${project}/join?joinedOn=${addDays(today, -2)}`));
    expect(page).toContain(`Startdatumet kan inte ligga före i dag (${today})`);
    expect(page).toMatch(/id="f-joinedOn"[^>]*aria-invalid="true"/);
    expect(page).not.toContain('name="confirm"');
    const bad = await html(await f.page.member.get(`/projects/${project}/join?joinedOn=1%2F1`));
    expect(bad).toContain("Startdatumet ska vara ett datum ÅÅÅÅ-MM-DD");
    // Posting one anyway is refused, nothing stored.
    const res = await f.page.member.post(`/projects/${project}/join`, {
      confirm: "yes",
      joinedOn: addDays(today, -2),
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(`Startdatumet kan inte ligga före i dag (${today})`);
    expect(f.count("project_participants", "project_id = ? AND member_id = ?", project, f.member["1438"])).toBe(0);
  });

  it("joining from 1 January next year: a participant from then, told so on the project page", async () => {
    const res = await f.page.member.post(`/projects/${project}/join`, { confirm: "yes", joinedOn: nextYearStart });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/projects/${project}?notice=joined-later`);
    const row = f
      .sqlite()
      .prepare("SELECT joined_on AS joinedOn FROM project_participants WHERE project_id = ? AND member_id = ?")
      .get(project, f.member["1438"]);
    expect(row).toEqual({ joinedOn: nextYearStart });
    const page = await html(await f.page.member.get(`/projects/${project}?notice=joined-later`));
    expect(page).toContain("Er anmälan är registrerad. Deltagandet börjar på startdatumet nedan.");
    expect(page).toContain(`Ni deltar från och med ${nextYearStart}.`);
    // This year's split is untouched; next year's has it.
    const now = await f.api.member.get(`/projects/${project}/allocation?year=${year}`);
    expect(now.json.shares.map((s: { memberId: number }) => s.memberId)).not.toContain(f.member["1438"]);
    const next = await f.api.member.get(`/projects/${project}/allocation?year=${year + 1}`);
    expect(next.json.shares.find((s: { memberId: number }) => s.memberId === f.member["1438"]).share).toBe("40000.00");
  });
});

describe("the board adds several participants at once", () => {
  it("the page lists the members not yet in the project as checkboxes", async () => {
    const page = await html(await f.page.admin.get(`/projects/${project}`));
    expect(page).toContain("Lägg till flera deltagare på en gång");
    expect(page).toContain(`name="memberIds" value="${f.member["0127"]}"`);
    expect(page).not.toContain(`name="memberIds" value="${f.member["1480"]}"`); // already a participant
  });

  it("one that cannot be added: 422, none added, the reason under that member, the ticks kept", async () => {
    const before = f.count("project_participants", "project_id = ?", project);
    const res = await postForm(`/projects/${project}`, [
      ["intent", "participants"],
      ["memberIds", String(f.member["0127"])],
      ["memberIds", String(f.member["0162"])],
      ["memberIds", String(f.member.SKR)],
      ["joinedOn", "2019-06-01"],
    ]);
    expect(res.status).toBe(422);
    const page = (await res.text()).replace(/<!-- -->/g, "");
    expect(page).toContain("3 av medlemmarna kan inte läggas till, så ingen är tillagd");
    expect(page).toContain(
      `id="bulk-member-${f.member["0127"]}-error" role="alert">Botkyrka kommun blev medlem först 2020-01-01; startdatumet kan inte ligga före det`,
    );
    const tick = (id: number) => new RegExp(`<input type="checkbox" name="memberIds"[^>]*value="${id}"[^>]*>`);
    expect(page.match(tick(f.member["0162"]))?.[0]).toContain('checked=""');
    expect(page.match(tick(f.member["0125"]))?.[0]).not.toContain("checked");
    expect(f.count("project_participants", "project_id = ?", project)).toBe(before);

    const none = await postForm(`/projects/${project}`, [
      ["intent", "participants"],
      ["joinedOn", `${year}-03-01`],
    ]);
    expect(none.status).toBe(422);
    expect(await none.text()).toContain("Välj minst en medlem");
  });

  it("all addable: 302, each a participant from the one date, one audit row each", async () => {
    const joins = f.count("audit_log", "action = 'project_participant.join'");
    const res = await postForm(`/projects/${project}`, [
      ["intent", "participants"],
      ["memberIds", String(f.member["0127"])],
      ["memberIds", String(f.member["0162"])],
      ["joinedOn", `${year}-03-01`],
    ]);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/projects/${project}?notice=participants`);
    for (const code of ["0127", "0162"]) {
      const row = f
        .sqlite()
        .prepare("SELECT joined_on AS joinedOn FROM project_participants WHERE project_id = ? AND member_id = ?")
        .get(project, f.member[code]);
      expect(row).toEqual({ joinedOn: `${year}-03-01` });
    }
    expect(f.count("audit_log", "action = 'project_participant.join'")).toBe(joins + 2);
    expect(await html(await f.page.admin.get(`/projects/${project}?notice=participants`))).toContain(
      "Deltagarna är tillagda.",
    );
  });

  it("the API takes {memberIds, joinedOn}: 201 {participants}, or 422 per member; a member user is refused", async () => {
    const ok = await f.api.admin.post(`/projects/${project}/participants`, {
      memberIds: [f.member["0125"], f.member["0136"]],
      joinedOn: `${year}-04-01`,
    });
    expect(ok.status).toBe(201);
    expect(ok.json.participants).toEqual([
      { projectId: project, memberId: f.member["0125"], joinedOn: `${year}-04-01`, leftOn: null, weight: null },
      { projectId: project, memberId: f.member["0136"], joinedOn: `${year}-04-01`, leftOn: null, weight: null },
    ]);
    const again = await f.api.admin.post(`/projects/${project}/participants`, {
      memberIds: [f.member["0125"], f.member["0123"]],
      joinedOn: `${year}-04-01`,
    });
    expect(again.status).toBe(422);
    expect(again.json.error.code).toBe("validation_failed");
    expect(Object.keys(again.json.error.fields)).toEqual([`members.${f.member["0125"]}`]);
    expect(f.count("project_participants", "project_id = ? AND member_id = ?", project, f.member["0123"])).toBe(0);
    const dup = await f.api.admin.post(`/projects/${project}/participants`, {
      memberIds: [f.member["0123"], f.member["0123"]],
      joinedOn: `${year}-04-01`,
      extra: 1,
    });
    expect(dup.status).toBe(422);
    expect(dup.json.error.fields).toEqual({
      memberIds: "Samma medlem finns två gånger i listan",
      extra: "Okänt fält",
    });
    const member = await f.api.member.post(`/projects/${project}/participants`, {
      memberIds: [f.member["1438"]],
      joinedOn: nextYearStart,
    });
    expect(member.status).toBe(403);
  });
});
