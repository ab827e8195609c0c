import { todayIso } from "./dates";

/*
 * Where a membership and a project participation stand on a given day (docs/membership.md, docs/allocation.md).
 * "Active in year Y" is billing/dates.ts activeInYear; these answer for one day, today by default.
 */

export type MemberStatus = "active" | "resigned";

/** A member is resigned once its resignation date has passed. */
export function memberStatus(m: { resignedOn: string | null }, today = todayIso()): MemberStatus {
  return m.resignedOn !== null && m.resignedOn < today ? "resigned" : "active";
}

export type ParticipationState = "upcoming" | "active" | "leaving" | "ended";

/** Where a participation stands today: not started, ongoing, ending on a set date, or over. */
export function participationState(
  p: { joinedOn: string; leftOn: string | null },
  today = todayIso(),
): ParticipationState {
  if (p.joinedOn > today) return "upcoming";
  if (p.leftOn === null) return "active";
  return p.leftOn < today ? "ended" : "leaving";
}
