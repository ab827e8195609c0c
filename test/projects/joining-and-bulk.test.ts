import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addDays, todayIso, yearOf } from "../../billing/dates";
import { generateOrgNumber } from "../../billing/identifiers";
import { joinChoices, selfServiceStartError } from "../../billing/joining";
import * as membership from "../../billing/membership";
import { SYSTEM_SCOPE, type Scope } from "../../db/scope";
import { createMember } from "../../app/features/members/commands.server";
import * as allocation from "../../app/features/projects/allocation.server";
import * as commands from "../../app/features/projects/commands.server";
import * as participants from "../../app/features/projects/participants.server";
import { association, type Association } from "../support/association";

/*
 * The use cases behind two daily tasks of the board and the members (in-process, a fresh migrated SQLite file;
 * docs/allocation.md#joining, #participants-of-a-year): a member joining from a start date it picks (the share is the
 * full share of the year the start falls in), and the board adding several members at once, all or none.
 */
const today = todayIso();
const year = yearOf(today);
const projects = { ...allocation, ...commands, ...participants, ...membership };
let a: Association;
let m: Record<string, number>;
let admin: Scope;
let contact: Scope;
let projectId: number;

const count = (table: string, where = "1 = 1", ...args: unknown[]) => a.count(table, where, ...args);

function refusal(fn: () => unknown): {
  kind?: string;
  fields?: Record<string, string>;
  message: string;
  name: string;
} {
  try {
    fn();
  } catch (error) {
    return error as never;
  }
  throw new Error("expected a refusal");
}

const CODES: Record<string, string> = {
  "Dals-Ed": "1438",
  Mölndal: "1481",
  Göteborg: "1480",
  Botkyrka: "0127",
  Partille: "1402",
};

beforeAll(async () => {
  a = await association({
    municipalities: Object.values(CODES),
    populationYear: year - 1,
    projects: [
      {
        code: "P-200",
        name: "Gemensam e-tjänst",
        status: "open",
        allocationKey: "equal",
        budgets: { [year]: "90000.00", [year + 1]: "120000.00" },
        participants: [
          { member: CODES["Göteborg"], joinedOn: `${year}-01-01` },
          { member: CODES.Botkyrka, joinedOn: `${year}-01-01` },
        ],
      },
    ],
    prefix: "sambruk-joining-",
  });
  m = Object.fromEntries(Object.entries(CODES).map(([name, code]) => [name, a.member[code]]));
  // A member that left the association last year cannot start in a project now.
  m.gone = createMember(SYSTEM_SCOPE, {
    kind: "organisation",
    name: "Gamla förbundet",
    orgNumber: generateOrgNumber("802400001"),
    joinedOn: "2015-01-01",
    resignedOn: `${year - 1}-06-30`,
  }).id;
  admin = a.scope.admin;
  contact = a.scope.member;
  projectId = a.project["P-200"];
});

afterAll(() => {
  a?.close();
});

describe("the start date a contact person picks", () => {
  test("today or later; 1 January next year is the first day that makes nothing of this year due", () => {
    expect(joinChoices("2026-12-02")).toEqual({ today: "2026-12-02", nextYearStart: "2027-01-01" });
    expect(selfServiceStartError("2026-12-01", "2026-12-02")).toBe(
      "Startdatumet kan inte ligga före i dag (2026-12-02)",
    );
    expect(selfServiceStartError("2026-12-02", "2026-12-02")).toBeNull();
    expect(selfServiceStartError("2027-01-01", "2026-12-02")).toBeNull();
  });

  test("the share shown is the full share of the year the start falls in: this year's, or next year's", () => {
    const now = projects.shareIfJoining(m["Dals-Ed"], projectId, today);
    expect(now.kind).toBe("would_be");
    const own = now.kind === "would_be" ? now.allocation.rows.find((r) => r.hypothetical) : undefined;
    expect(now.year).toBe(year);
    expect(own?.share).toBe(3_000_000); // 90 000 kr shared equally by three
    const later = projects.shareIfJoining(m["Dals-Ed"], projectId, `${year + 1}-01-01`);
    const ownLater = later.kind === "would_be" ? later.allocation.rows.find((r) => r.hypothetical) : undefined;
    expect(later.year).toBe(year + 1);
    expect(ownLater?.share).toBe(4_000_000); // 120 000 kr by three
    expect(projects.shareIfJoining(m["Dals-Ed"], projectId, `${year + 2}-03-01`)).toEqual({
      kind: "no_budget",
      year: year + 2,
    });
    expect(count("project_participants", "member_id = ?", m["Dals-Ed"])).toBe(0); // looking changes nothing
  });

  test("a start in the past is refused; joining from 1 January next year makes it a participant of next year only", () => {
    const past = refusal(() => projects.joinProject(contact, projectId, addDays(today, -1)));
    expect(past.kind).toBe("validation");
    expect(past.fields).toEqual({ joinedOn: `Startdatumet kan inte ligga före i dag (${today})` });
    expect(count("project_participants", "member_id = ?", m["Dals-Ed"])).toBe(0);

    const row = projects.joinProject(contact, projectId, `${year + 1}-01-01`);
    expect(row).toMatchObject({ memberId: m["Dals-Ed"], joinedOn: `${year + 1}-01-01`, leftOn: null });
    const thisYear = projects.projectAllocation(projectId, year);
    expect(thisYear.rows.map((r) => r.memberId)).not.toContain(m["Dals-Ed"]);
    const nextYear = projects.projectAllocation(projectId, year + 1);
    expect(nextYear.rows.find((r) => r.memberId === m["Dals-Ed"])?.share).toBe(4_000_000);
    expect(projects.participationState(row, today)).toBe("upcoming");
    const [audit] = a.sql<{ actor: string; after: string }>(
      "SELECT actor, after FROM audit_log WHERE action = 'project_participant.join' ORDER BY id DESC",
    );
    expect(audit.actor).toBe("kontakt@test.se (member)");
    expect(JSON.parse(audit.after)).toMatchObject({ joinedOn: `${year + 1}-01-01` });
  });
});

describe("the board adds several participants at once", () => {
  test("one member that cannot be added stops them all, with the reason under that member", () => {
    const joins = count("audit_log", "action = 'project_participant.join'");
    const e = refusal(() =>
      projects.addParticipants(admin, projectId, {
        memberIds: [m["Mölndal"], m["Göteborg"], m.gone, m["Partille"]],
        joinedOn: `${year}-03-01`,
      }),
    );
    expect(e.kind).toBe("validation");
    expect(e.message).toBe("2 av medlemmarna kan inte läggas till, så ingen är tillagd");
    expect(e.fields).toEqual({
      [`members.${m["Göteborg"]}`]: `Göteborg kommun deltar redan i P-200 sedan ${year}-01-01`,
      [`members.${m.gone}`]: `Gamla förbundet lämnade föreningen ${year - 1}-06-30; startdatumet kan inte ligga efter det`,
    });
    // Nothing half-way: Mölndal and Partille, which could have been added, were not.
    expect(count("project_participants", "project_id = ?", projectId)).toBe(3);
    expect(count("audit_log", "action = 'project_participant.join'")).toBe(joins);
  });

  test("a member that does not exist is named by its id", () => {
    const e = refusal(() =>
      projects.addParticipants(admin, projectId, { memberIds: [999_999], joinedOn: `${year}-03-01` }),
    );
    expect(e.fields).toEqual({ "members.999999": "Medlem 999999 finns inte" });
  });

  test("all addable: one transaction, one participant and one audit row each, the same start date", () => {
    const joins = count("audit_log", "action = 'project_participant.join'");
    const rows = projects.addParticipants(admin, projectId, {
      memberIds: [m["Mölndal"], m["Partille"]],
      joinedOn: `${year}-03-01`,
    });
    expect(rows.map((r) => [r.memberId, r.joinedOn])).toEqual([
      [m["Mölndal"], `${year}-03-01`],
      [m["Partille"], `${year}-03-01`],
    ]);
    expect(count("audit_log", "action = 'project_participant.join'")).toBe(joins + 2);
    const entities = a
      .sql<{ e: string }>(
        "SELECT entity_id AS e FROM audit_log WHERE action = 'project_participant.join' ORDER BY id DESC LIMIT 2",
      )
      .map((r) => r.e);
    expect(entities.sort()).toEqual([`${projectId}:${m["Partille"]}`, `${projectId}:${m["Mölndal"]}`].sort());
    // This year's 90 000 kr is now split between four (Dals-Ed starts next year).
    expect(projects.projectAllocation(projectId, year).rows.map((r) => r.share)).toEqual([
      2_250_000, 2_250_000, 2_250_000, 2_250_000,
    ]);
  });

  test("only the board: the contact person and the treasurer are refused", () => {
    const treasurer = { userId: 0, email: "kassor@test.se", role: "treasurer" as const, memberId: null };
    for (const scope of [contact, treasurer]) {
      const e = refusal(() =>
        projects.addParticipants(scope, projectId, { memberIds: [m.gone], joinedOn: `${year}-03-01` }),
      );
      // The policy refuses them (billing/policy.ts): a forbidden DomainError, nothing stored.
      expect(e).toMatchObject({ kind: "forbidden" });
    }
  });
});
