import { isIsoDate } from "./dates";

const MS_PER_DAY = 86_400_000;

function dayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [y, m, d] = date.split("-").map(Number);
  const utc = new Date(0);
  utc.setUTCFullYear(y, m - 1, d);
  return Math.round(utc.getTime() / MS_PER_DAY);
}

/**
 * Days an invoice is overdue on `today` (both Swedish calendar dates): 0 on the due date itself, 1 the day
 * after, never negative. Counted from the invoice's own due date, also after a reminder gave a new one, since
 * that is how long the member has owed the money (docs/ui.md).
 */
export function daysOverdue(dueDate: string, today: string): number {
  return Math.max(0, dayNumber(today) - dayNumber(dueDate));
}
