import { endOfYear, currentYear, todayIso, yearOf } from "../../../billing/dates";
import { writeAudit } from "../../../db/audit";
import { transaction, type Db } from "../../../db/client";
import { getMemberRow } from "../../../db/members";
import * as projectsDb from "../../../db/projects";
import type { Scope } from "../../../db/scope";
import { DomainError } from "../../../billing/errors";
import { selfServiceStartError } from "../../../billing/joining";
import { requireProject } from "./queries.server";
import { authorize, can } from "../../../billing/policy";

/*
 * The use cases that change who takes part in a project (docs/allocation.md#participants-of-a-year): the board adds,
 * changes and removes participations; a member's contact person joins and leaves for its own member.
 */

/** A member's project dates must lie within its membership of the association. */
function checkWithinMembership(
  member: { name: string; joinedOn: string; resignedOn: string | null },
  dates: { joinedOn: string; leftOn: string | null },
  joinedField: string,
): void {
  if (dates.joinedOn < member.joinedOn) {
    throw new DomainError("validation", "validation_failed", "Startdatumet ligger före medlemskapet", {
      [joinedField]: `${member.name} blev medlem först ${member.joinedOn}; startdatumet kan inte ligga före det`,
    });
  }
  if (member.resignedOn !== null && dates.joinedOn > member.resignedOn) {
    throw new DomainError("validation", "validation_failed", "Startdatumet ligger efter utträdet", {
      [joinedField]: `${member.name} lämnade föreningen ${member.resignedOn}; startdatumet kan inte ligga efter det`,
    });
  }
  if (dates.leftOn !== null && dates.leftOn < dates.joinedOn) {
    throw new DomainError("validation", "validation_failed", "Slutdatumet ligger före startdatumet", {
      leftOn: `Slutdatumet kan inte ligga före startdatumet (${dates.joinedOn})`,
    });
  }
}

/** A refusal by the state of the project or the participation (docs/allocation.md#participants-of-a-year). */
function forbidden(message: string): DomainError {
  return new DomainError("forbidden", "forbidden", message);
}

/**
 * Adds a participant. The board may add any member from any date (`project.participant.add`); anyone else only
 * joins (`project.join`): a member's contact person its own member, only to an open project, from today or later,
 * and without a weight (the board sets weights).
 */
export function addParticipant(
  scope: Scope,
  projectId: number,
  input: { memberId: number; joinedOn: string; weight?: string | null },
): projectsDb.ParticipantRow {
  const board = can(scope, "project.participant.add");
  if (!board) authorize(scope, "project.join");
  return transaction((tx) => {
    const project = requireProject(tx, projectId);
    if (!board) {
      authorize(scope, "project.join", { memberId: input.memberId });
      if (project.status !== "open") throw forbidden("Projektet är inte öppet för anmälan");
      if (input.weight != null) throw forbidden("Andelen (vikten) bestäms av styrelsen");
      // From today on (billing/joining.ts, docs/allocation.md#joining).
      const problem = selfServiceStartError(input.joinedOn, todayIso());
      if (problem) {
        throw new DomainError("validation", "validation_failed", "Startdatumet har passerat", { joinedOn: problem });
      }
    }
    return insertParticipantIn(tx, scope, project, input);
  });
}

/** One participant into a project, inside the caller's transaction: the checks every caller shares, and the audit row. */
function insertParticipantIn(
  tx: Db,
  scope: Scope,
  project: projectsDb.ProjectRow,
  input: { memberId: number; joinedOn: string; weight?: string | null },
): projectsDb.ParticipantRow {
  const projectId = project.id;
  const member = getMemberRow(tx, input.memberId);
  if (!member) {
    throw new DomainError("validation", "validation_failed", "Medlemmen finns inte", {
      memberId: "Medlemmen finns inte",
    });
  }
  const existing = projectsDb.getParticipant(tx, projectId, input.memberId);
  if (existing) {
    const message =
      existing.leftOn === null
        ? `${member.name} deltar redan i ${project.code} sedan ${existing.joinedOn}`
        : `${member.name} har deltagit i ${project.code} ${existing.joinedOn}–${existing.leftOn}; ändra slutdatumet i stället`;
    throw new DomainError("conflict", "already_participating", message, { memberId: message });
  }
  checkWithinMembership(member, { joinedOn: input.joinedOn, leftOn: null }, "joinedOn");
  const row = projectsDb.insertParticipant(tx, {
    projectId,
    memberId: input.memberId,
    joinedOn: input.joinedOn,
    weight: input.weight ?? null,
  });
  writeAudit(tx, scope, {
    action: "project_participant.join",
    entity: "project_participant",
    entityId: `${projectId}:${input.memberId}`,
    after: row,
  });
  return row;
}

/**
 * The board adds several members at once (`project.participant.add`), from one start date (and one weight under
 * the fixed key): one transaction, one audit row each. All or nothing: when any member cannot be added, nothing is,
 * and the answer is a validation error with a message per member under `members.{memberId}`
 * (docs/allocation.md#participants-of-a-year).
 */
export function addParticipants(
  scope: Scope,
  projectId: number,
  input: { memberIds: number[]; joinedOn: string; weight?: string | null },
): projectsDb.ParticipantRow[] {
  authorize(scope, "project.participant.add");
  return transaction((tx) => {
    const project = requireProject(tx, projectId);
    const rows: projectsDb.ParticipantRow[] = [];
    const problems: Record<string, string> = {};
    for (const memberId of input.memberIds) {
      try {
        rows.push(
          insertParticipantIn(tx, scope, project, { memberId, joinedOn: input.joinedOn, weight: input.weight }),
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const name = getMemberRow(tx, memberId)?.name;
        const message = error.fields?.memberId ?? error.fields?.joinedOn ?? error.message;
        problems[`members.${memberId}`] = !name
          ? `Medlem ${memberId} finns inte`
          : message.includes(name)
            ? message
            : `${name}: ${message}`;
      }
    }
    const count = Object.keys(problems).length;
    if (count > 0) {
      throw new DomainError(
        "validation",
        "validation_failed",
        count === 1
          ? "En av medlemmarna kan inte läggas till, så ingen är tillagd"
          : `${count} av medlemmarna kan inte läggas till, så ingen är tillagd`,
        problems,
      );
    }
    return rows;
  });
}

/**
 * Changes a participation. The board may change the dates and the weight (`project.participant.update`); anyone
 * else only leaves (`project.leave`): a member's contact person its own leaving date, to the end of the current
 * year or later (or back to none while the leaving is still ahead and the project open).
 */
export function updateParticipant(
  scope: Scope,
  projectId: number,
  memberId: number,
  patch: { joinedOn?: string; leftOn?: string | null; weight?: string | null },
): projectsDb.ParticipantRow {
  if (!can(scope, "project.participant.update")) authorize(scope, "project.leave");
  return transaction((tx) => changeParticipant(tx, scope, projectId, memberId, patch));
}

function changeParticipant(
  tx: Db,
  scope: Scope,
  projectId: number,
  memberId: number,
  patch: { joinedOn?: string; leftOn?: string | null; weight?: string | null },
): projectsDb.ParticipantRow {
  const project = requireProject(tx, projectId);
  const board = can(scope, "project.participant.update");
  if (!board) authorize(scope, "project.leave", { memberId });
  const before = projectsDb.getParticipant(tx, projectId, memberId);
  if (!before) throw new DomainError("not_found", "not_found", "Medlemmen deltar inte i projektet");
  if (!board) {
    if (patch.weight !== undefined || patch.joinedOn !== undefined) {
      throw forbidden("Bara styrelsen kan ändra startdatum och andel (vikt)");
    }
    const today = todayIso();
    if (before.leftOn !== null && before.leftOn < today) {
      throw forbidden("Deltagandet har redan upphört; kontakta styrelsen för att ändra det");
    }
    if (patch.leftOn === null) {
      if (project.status !== "open") throw forbidden("Projektet är inte öppet; kontakta styrelsen");
    } else if (patch.leftOn !== undefined) {
      const earliest = endOfYear(yearOf(today));
      if (patch.leftOn < earliest) {
        throw new DomainError("validation", "validation_failed", "Slutdatumet är för tidigt", {
          leftOn: `Ni kan lämna projektet tidigast vid årets slut (${earliest})`,
        });
      }
    }
  }
  const next = {
    joinedOn: patch.joinedOn ?? before.joinedOn,
    leftOn: patch.leftOn === undefined ? before.leftOn : patch.leftOn,
    weight: patch.weight === undefined ? before.weight : patch.weight,
  };
  const member = getMemberRow(tx, memberId)!;
  if (patch.joinedOn !== undefined || (next.leftOn !== null && next.leftOn < next.joinedOn)) {
    checkWithinMembership(member, next, "joinedOn");
  }
  const after = projectsDb.updateParticipant(tx, projectId, memberId, next)!;
  writeAudit(tx, scope, {
    action:
      patch.leftOn !== undefined && Object.keys(patch).length === 1 && patch.leftOn !== null
        ? "project_participant.leave"
        : "project_participant.update",
    entity: "project_participant",
    entityId: `${projectId}:${memberId}`,
    before,
    after,
  });
  return after;
}

/** Self-service join: the caller's own member, from today or a chosen later start (docs/allocation.md#joining). */
export function joinProject(scope: Scope, projectId: number, joinedOn: string = todayIso()): projectsDb.ParticipantRow {
  authorize(scope, "project.join");
  return addParticipant(scope, projectId, { memberId: scope.memberId!, joinedOn });
}

/**
 * Self-service leave: the participation ends on 31 December of the current year (docs/allocation.md#participants-of-a-year). A participation
 * that has not started by then is withdrawn instead, since it never took part in any year.
 */
export function leaveProject(scope: Scope, projectId: number): { leftOn: string | null; withdrawn: boolean } {
  authorize(scope, "project.leave");
  const memberId = scope.memberId!;
  const leftOn = endOfYear(currentYear());
  return transaction((tx) => {
    requireProject(tx, projectId);
    const current = projectsDb.getParticipant(tx, projectId, memberId);
    if (current && current.joinedOn > leftOn) {
      projectsDb.deleteParticipant(tx, projectId, memberId);
      writeAudit(tx, scope, {
        action: "project_participant.withdraw",
        entity: "project_participant",
        entityId: `${projectId}:${memberId}`,
        before: current,
      });
      return { leftOn: null, withdrawn: true };
    }
    const row = changeParticipant(tx, scope, projectId, memberId, { leftOn });
    return { leftOn: row.leftOn, withdrawn: false };
  });
}

/** The board removes a participation entered by mistake (it then counts in no year at all). */
export function removeParticipant(scope: Scope, projectId: number, memberId: number): void {
  authorize(scope, "project.participant.remove");
  transaction((tx) => {
    requireProject(tx, projectId);
    const before = projectsDb.getParticipant(tx, projectId, memberId);
    if (!before) throw new DomainError("not_found", "not_found", "Medlemmen deltar inte i projektet");
    projectsDb.deleteParticipant(tx, projectId, memberId);
    writeAudit(tx, scope, {
      action: "project_participant.remove",
      entity: "project_participant",
      entityId: `${projectId}:${memberId}`,
      before,
    });
  });
}
