import { yearOf } from "./dates";

/*
 * The start date a member's contact person may choose when it joins a project itself (docs/allocation.md#joining):
 * today or any later day; a participation is never backdated by the member (the board may). A participant of Y pays
 * a full share of Y whatever day it joins, so the join page puts "today" beside "1 January next year".
 */

export interface JoinChoices {
  today: string;
  /** 1 January of next year: the first day that makes no share of this year due. */
  nextYearStart: string;
}

export function joinChoices(today: string): JoinChoices {
  return { today, nextYearStart: `${yearOf(today) + 1}-01-01` };
}

/** Why a contact person may not join from `joinedOn` (a message in Swedish), or null when it may. */
export function selfServiceStartError(joinedOn: string, today: string): string | null {
  if (joinedOn < today) return `Startdatumet kan inte ligga före i dag (${today})`;
  return null;
}
