import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIso, yearOf } from "../../billing/dates";
import { association, type Association } from "../support/association";
import { htmlOf, serve, type Http } from "../support/http";

/*
 * A municipality's contact person (Dals-Ed, 4 606 inhabitants) browses the open projects, sees what its share
 * would be, joins after confirming, sees the new split and leaves again, all through the pages without
 * JavaScript. The project is shared per capita by Göteborg (608 993) and Mölndal (71 420): 100 000,00 kr.
 */
let a: Association;
let h: Http;
let project: number;
let noBudget: number;
let planned: number;
let dalsEd: number;
const year = yearOf(todayIso());

/** memberId → share from an allocation answer. */
function sharesOf(json: { shares: Array<{ memberId: number; share: string }> }): Record<number, string> {
  return Object.fromEntries(json.shares.map((s) => [s.memberId, s.share]));
}

beforeAll(async () => {
  a = await association({ organisation: true });
  h = await serve(a);
  dalsEd = a.member["1438"];
  project = a.addProject({
    code: "E-TJANST",
    name: "E-tjänsteplattform",
    allocationKey: "per_capita",
    status: "open",
  });
  a.setBudget(project, year, "100000.00");
  a.addParticipant(project, a.member["1480"], "2024-01-01");
  a.addParticipant(project, a.member["1481"], "2024-01-01");
  noBudget = a.addProject({ code: "E-ARKIV", name: "E-arkiv", allocationKey: "per_capita", status: "open" });
  planned = a.addProject({
    code: "FRAMTID",
    name: "Framtidsprojekt",
    allocationKey: "equal",
    status: "planned",
  });
});
afterAll(async () => {
  await h?.stop();
  a?.close();
});

describe("browsing", () => {
  it("the list offers the open projects to join and not the planned one", async () => {
    const html = await htmlOf(await h.page.member.get("/projects"));
    expect(html).toContain(`href="/projects/${project}/join"`);
    expect(html).toContain(`href="/projects/${noBudget}/join"`);
    expect(html).not.toContain(`href="/projects/${planned}/join"`);
  });

  it("the project page shows what Dals-Ed's share would be this year", async () => {
    const html = await htmlOf(await h.page.member.get(`/projects/${project}`));
    expect(html).toContain("Om ni går med i dag blir er andel");
    expect(html).toContain("672,39 kr"); // 100 000 × 4 606 / 685 019
  });

  it("the join page shows the would-be share and the whole would-be split, and asks for confirmation", async () => {
    const res = await h.page.member.get(`/projects/${project}/join`);
    expect(res.status).toBe(200);
    const html = await htmlOf(res);
    expect(html).toContain(`Er andel ${year} om ni går med`);
    expect(html).toContain("672,39 kr");
    expect(html).toContain("88 901,62 kr"); // Göteborg's share would fall from 89 503,43
    expect(html).toContain("10 425,99 kr");
    expect(html).toMatch(/<input type="hidden" name="confirm" value="yes"\/>/);
    // Nothing changes by looking.
    expect(a.count("project_participants", "member_id = ?", dalsEd)).toBe(0);
  });

  it("without a budget for this year the page says so instead of inventing a share", async () => {
    const html = await htmlOf(await h.page.member.get(`/projects/${noBudget}/join`));
    expect(html).toContain(`ingen budget för ${year}`);
  });

  it("a planned project cannot be joined", async () => {
    const html = await htmlOf(await h.page.member.get(`/projects/${planned}/join`));
    expect(html).toContain("inte öppet för anmälan");
    expect(html).not.toContain('name="confirm"');
    const post = await h.page.member.post(`/projects/${planned}/join`, { confirm: "yes" });
    expect(post.status).toBe(403);
    expect(a.count("project_participants", "member_id = ?", dalsEd)).toBe(0);
  });
});

describe("joining and leaving", () => {
  it("a POST without confirm=yes joins nobody", async () => {
    const res = await h.page.member.post(`/projects/${project}/join`, {});
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Bekräfta anmälan");
    expect(a.count("project_participants", "member_id = ?", dalsEd)).toBe(0);
  });

  it("confirming joins from today, audited, and the allocation shows the new split", async () => {
    const audit = a.count("audit_log", "action = 'project_participant.join'");
    const res = await h.page.member.post(`/projects/${project}/join`, { confirm: "yes" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/projects/${project}?notice=joined`);
    const row = a
      .sqlite()
      .prepare("SELECT joined_on, left_on FROM project_participants WHERE project_id = ? AND member_id = ?")
      .get(project, dalsEd);
    expect(row).toEqual({ joined_on: todayIso(), left_on: null });
    expect(a.count("audit_log", "action = 'project_participant.join'")).toBe(audit + 1);
    const entry = a
      .sqlite()
      .prepare(
        "SELECT actor, entity_id, after FROM audit_log WHERE action = 'project_participant.join' ORDER BY id DESC",
      )
      .get() as any;
    expect(entry.actor).toBe("kontakt@test.se (member)");
    expect(entry.entity_id).toBe(`${project}:${dalsEd}`);
    expect(JSON.parse(entry.after)).toMatchObject({ memberId: dalsEd, joinedOn: todayIso() });

    const allocation = await h.api.member.get(`/projects/${project}/allocation?year=${year}`);
    expect(sharesOf(allocation.json)).toEqual({
      [a.member["1480"]]: "88901.62",
      [a.member["1481"]]: "10425.99",
      [dalsEd]: "672.39",
    });
    const page = await htmlOf(await h.page.member.get(`/projects/${project}?notice=joined`));
    expect(page).toContain("Er organisation deltar nu i projektet.");
    expect(page).toContain(`Er andel ${year}: <strong>672,39 kr</strong>`);
    expect(page).toContain(`href="/projects/${project}/leave"`);
    // Joining twice is refused.
    const again = await h.page.member.post(`/projects/${project}/join`, { confirm: "yes" });
    expect(again.status).toBe(302); // the join page sends a participant back to the project
    expect(a.count("project_participants", "member_id = ?", dalsEd)).toBe(1);
  });

  it("leaving after confirmation ends the participation on 31 December, audited", async () => {
    const page = await h.page.member.get(`/projects/${project}/leave`);
    expect(page.status).toBe(200);
    expect(await htmlOf(page)).toContain(`${year}-12-31`);
    const unconfirmed = await h.page.member.post(`/projects/${project}/leave`, {});
    expect(unconfirmed.status).toBe(422);
    expect(a.count("project_participants", "member_id = ? AND left_on IS NOT NULL", dalsEd)).toBe(0);

    const res = await h.page.member.post(`/projects/${project}/leave`, { confirm: "yes" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/projects/${project}?notice=left`);
    const row = a
      .sqlite()
      .prepare("SELECT left_on FROM project_participants WHERE project_id = ? AND member_id = ?")
      .get(project, dalsEd);
    expect(row).toEqual({ left_on: `${year}-12-31` });
    const entry = a
      .sqlite()
      .prepare("SELECT before, after FROM audit_log WHERE action = 'project_participant.leave' ORDER BY id DESC")
      .get() as any;
    expect(JSON.parse(entry.before).leftOn).toBeNull();
    expect(JSON.parse(entry.after).leftOn).toBe(`${year}-12-31`);

    // Dals-Ed still pays its share of this year, and is not a participant next year.
    const thisYear = await h.api.member.get(`/projects/${project}/allocation?year=${year}`);
    expect(Object.keys(sharesOf(thisYear.json)).map(Number)).toContain(dalsEd);
    a.setBudget(project, year + 1, "100000.00");
    const nextYear = await h.api.member.get(`/projects/${project}/allocation?year=${year + 1}`);
    expect(Object.keys(sharesOf(nextYear.json)).map(Number)).not.toContain(dalsEd);
  });

  it("the API joins too, for the member's own member only, and an admin may set another leaving date", async () => {
    const res = await h.api.member.post(`/projects/${noBudget}/participants`, {
      memberId: dalsEd,
      joinedOn: todayIso(),
    });
    expect(res.status).toBe(201);
    const early = await h.api.member.patch(`/projects/${noBudget}/participants/${dalsEd}`, { leftOn: todayIso() });
    expect(early.status).toBe(422);
    expect(early.json.error.fields.leftOn).toContain(`${year}-12-31`);
    const admin = await h.api.admin.patch(`/projects/${noBudget}/participants/${dalsEd}`, { leftOn: todayIso() });
    expect(admin.status).toBe(200);
    expect(admin.json.leftOn).toBe(todayIso());
  });
});
