import { todayIso } from "../../billing/dates";
import { IssueDatesSchema } from "../lib/billing-schemas";
import { zodFieldErrors } from "../lib/http.server";
import { issueDatesPreview } from "./billing.server";

/*
 * What the issue confirmation of the run page and the draft page shows (app/components/issue-dates.tsx,
 * docs/invoices.md#dates): the dates chosen in the query string (?issueDate=&dueDate=), checked by the same schema and
 * rules as the issue itself, or the defaults.
 */

export interface IssueDatesView {
  /** The dates the confirm button issues with, when the chosen ones can be used. */
  dates: { issueDate: string; dueDate: string; termsDays: number } | null;
  /** What the date form shows: what was chosen, or the defaults (an empty due date stays empty). */
  chosen: { issueDate: string; dueDate: string };
  defaults: { issueDate: string; dueDate: string; termsDays: number };
  earliest: string;
  latest: { number: number; issueDate: string } | null;
  paymentTermsDays: number;
  today: string;
  errors: Record<string, string> | null;
}

/** Null when the association's settings are missing (nothing can be issued then). */
export function issueDatesView(search: URLSearchParams): IssueDatesView | null {
  const raw = { issueDate: search.get("issueDate") ?? "", dueDate: search.get("dueDate") ?? "" };
  const parsed = IssueDatesSchema.safeParse(raw);
  const preview = issueDatesPreview(parsed.success ? parsed.data : {});
  if (!preview) return null;
  const errors = parsed.success
    ? preview.result.ok
      ? null
      : (preview.result.fields as Record<string, string>)
    : zodFieldErrors(parsed.error);
  return {
    dates: parsed.success && preview.result.ok ? preview.result.dates : null,
    chosen: { issueDate: raw.issueDate || preview.defaults.issueDate, dueDate: raw.dueDate },
    defaults: preview.defaults,
    earliest: preview.earliest,
    latest: preview.latest,
    paymentTermsDays: preview.paymentTermsDays,
    today: todayIso(),
    errors,
  };
}
