import { addDays } from "./dates";

/*
 * The invoice date and due date of an issue (docs/invoices.md#dates). The treasurer may choose them for a run or a
 * single draft; left out, the invoice date is today in Sweden and the due date the invoice date plus the payment
 * terms. Numbers are handed out at issue, one after the other, so the dates must not go back in the series: an
 * invoice may not be dated before the latest invoice date already issued ("dates follow numbers", docs/invoices.md#dates).
 */

/** The furthest ahead an invoice may be dated: next year's annual fees dated in January, not a typo for 2072. */
export const MAX_DAYS_AHEAD = 365;
/** The longest payment terms, as in the settings (paymentTermsDays 1–120). */
export const MAX_TERMS_DAYS = 120;

export interface IssueDatesRequest {
  issueDate?: string | null;
  dueDate?: string | null;
}

export interface IssueDatesContext {
  /** Today in Sweden. */
  today: string;
  paymentTermsDays: number;
  /** The latest invoice date in the series, with the number that carries it; null before the first issue. */
  latest: { number: number; issueDate: string } | null;
}

export interface IssueDates {
  issueDate: string;
  dueDate: string;
  /** Days from the invoice date to the due date (the terms printed on the invoice). */
  termsDays: number;
}

export type IssueDatesResult =
  { ok: true; dates: IssueDates } | { ok: false; fields: Partial<Record<"issueDate" | "dueDate", string>> };

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The earliest invoice date allowed now: today, or the latest date in the series if that is later. */
export function earliestIssueDate(ctx: Pick<IssueDatesContext, "today" | "latest">): string {
  return ctx.latest && ctx.latest.issueDate > ctx.today ? ctx.latest.issueDate : ctx.today;
}

/** The dates an issue gets, or a message per field (in Swedish) saying why the chosen ones cannot be used. */
export function resolveIssueDates(request: IssueDatesRequest, ctx: IssueDatesContext): IssueDatesResult {
  const issueDate = request.issueDate ?? earliestIssueDate(ctx);
  const fields: Partial<Record<"issueDate" | "dueDate", string>> = {};
  const latestAllowed = addDays(ctx.today, MAX_DAYS_AHEAD);
  if (issueDate < ctx.today) {
    fields.issueDate = `Fakturadatumet kan inte ligga före i dag (${ctx.today}): en faktura dateras den dag den skickas eller senare`;
  } else if (ctx.latest && issueDate < ctx.latest.issueDate) {
    fields.issueDate =
      `Fakturadatumet kan inte ligga före ${ctx.latest.issueDate}: faktura ${ctx.latest.number} har redan det datumet, ` +
      `och fakturanumren ska följa datumen. Välj ${ctx.latest.issueDate} eller senare.`;
  } else if (issueDate > latestAllowed) {
    fields.issueDate = `Fakturadatumet kan ligga högst ett år fram (senast ${latestAllowed})`;
  }
  const dueDate = request.dueDate ?? addDays(issueDate, ctx.paymentTermsDays);
  if (!fields.issueDate) {
    if (dueDate < issueDate) {
      fields.dueDate = `Förfallodatumet kan inte ligga före fakturadatumet (${issueDate})`;
    } else if (daysBetween(issueDate, dueDate) > MAX_TERMS_DAYS) {
      fields.dueDate = `Förfallodatumet kan ligga högst ${MAX_TERMS_DAYS} dagar efter fakturadatumet (senast ${addDays(issueDate, MAX_TERMS_DAYS)})`;
    }
  }
  if (fields.issueDate || fields.dueDate) return { ok: false, fields };
  return { ok: true, dates: { issueDate, dueDate, termsDays: daysBetween(issueDate, dueDate) } };
}

/**
 * The date of a credit note made now: today, unless an invoice of the series is already dated later (a run dated
 * ahead), in which case the credit note takes that date, so that the series' dates still follow its numbers.
 */
export function creditNoteDate(today: string, latest: IssueDatesContext["latest"]): string {
  return earliestIssueDate({ today, latest });
}

/**
 * The earliest day a payment of an invoice may be dated: its invoice date, or the day it was actually issued when
 * it was dated ahead (a municipality may pay an invoice dated 15 January as soon as it has it in December).
 */
export function earliestPaymentDate(issueDate: string, issuedOn: string | null): string {
  return issuedOn !== null && issuedOn < issueDate ? issuedOn : issueDate;
}
