import { addDays, todayIso } from "../../../billing/dates";
import {
  earliestIssueDate,
  resolveIssueDates,
  type IssueDates,
  type IssueDatesRequest,
  type IssueDatesResult,
} from "../../../billing/issue-dates";
import { db, type Db } from "../../../db/client";
import * as invoicesDb from "../../../db/invoices";
import * as settingsDb from "../../../db/settings";
import { IssueDatesSchema } from "../../lib/billing-schemas";
import type { FormResult } from "../../lib/forms";
import { invalid, parseSubmission, refuse } from "../../lib/forms.server";
import { DomainError } from "../../../billing/errors";
import { requireSettings } from "../settings/queries.server";

/*
 * The invoice date and due date of an issue (docs/invoices.md#dates): the rules are billing/issue-dates.ts; here they
 * meet today, the payment terms and the latest invoice date of the series, for the issue itself (inside its
 * transaction) and for the confirmation of the run page and the draft page (app/components/issue-dates.tsx), which
 * shows the dates chosen in the query string (?issueDate=&dueDate=) or the defaults.
 */

export interface IssueDatesPreview {
  /** The dates an issue with the request would get, or why not (per field). */
  result: IssueDatesResult;
  /** The dates of an issue that chooses none: today (or the latest date in the series) and the payment terms. */
  defaults: IssueDates;
  /** The earliest invoice date allowed now, and the latest invoice of the series that sets it, if any. */
  earliest: string;
  latest: { number: number; issueDate: string } | null;
  paymentTermsDays: number;
}

function issueDatesContext(tx: Db, paymentTermsDays: number) {
  return { today: todayIso(), paymentTermsDays, latest: invoicesDb.latestIssueDate(tx) };
}

/** The default dates and whether the chosen ones can be used; null without the association's settings. */
export function issueDatesPreview(request: IssueDatesRequest = {}): IssueDatesPreview | null {
  const tx = db();
  const settings = settingsDb.getSettings(tx);
  if (!settings) return null;
  const ctx = issueDatesContext(tx, settings.paymentTermsDays);
  const defaults = resolveIssueDates({}, ctx);
  const earliest = earliestIssueDate(ctx);
  return {
    result: resolveIssueDates(request, ctx),
    defaults: defaults.ok
      ? defaults.dates
      : { issueDate: earliest, dueDate: addDays(earliest, ctx.paymentTermsDays), termsDays: ctx.paymentTermsDays },
    earliest,
    latest: ctx.latest,
    paymentTermsDays: settings.paymentTermsDays,
  };
}

/** The dates of an issue inside its transaction, or 422 with a message per field (billing/issue-dates.ts). */
export function issueDatesIn(tx: Db, request: IssueDatesRequest): IssueDates {
  const settings = requireSettings(tx);
  const result = resolveIssueDates(request, issueDatesContext(tx, settings.paymentTermsDays));
  if (!result.ok) {
    throw new DomainError(
      "validation",
      "validation_failed",
      result.fields.issueDate ?? result.fields.dueDate ?? "Datumen går inte att använda",
      result.fields as Record<string, string>,
    );
  }
  return result.dates;
}

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
  /** The date form's reply when the chosen dates cannot be used (docs/ui.md#forms), else null. */
  result: FormResult | null;
}

/**
 * The confirmation's dates from the query string, checked by the same schema and rules as the issue itself. Null
 * when the association's settings are missing (nothing can be issued then).
 */
export async function issueDatesView(search: URLSearchParams): Promise<IssueDatesView | null> {
  const raw = { issueDate: search.get("issueDate") ?? "", dueDate: search.get("dueDate") ?? "" };
  const submission = parseSubmission(new URLSearchParams(raw), IssueDatesSchema);
  const preview = issueDatesPreview(submission.status === "success" ? submission.value : {});
  if (!preview) return null;
  const ok = submission.status === "success" && preview.result.ok;
  const result =
    submission.status !== "success"
      ? await invalid(submission).json()
      : !preview.result.ok
        ? await refuse(submission, {
            fieldErrors: Object.fromEntries(Object.entries(preview.result.fields).map(([k, v]) => [k, [v!]])),
          }).json()
        : null;
  return {
    dates: ok && preview.result.ok ? preview.result.dates : null,
    chosen: { issueDate: raw.issueDate || preview.defaults.issueDate, dueDate: raw.dueDate },
    defaults: preview.defaults,
    earliest: preview.earliest,
    latest: preview.latest,
    paymentTermsDays: preview.paymentTermsDays,
    today: todayIso(),
    result: result as FormResult | null,
  };
}
