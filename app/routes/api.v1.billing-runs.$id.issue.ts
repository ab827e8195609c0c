import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { IssueDatesSchema, type IssueDatesInput } from "~/lib/billing-schemas";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { invoiceJson } from "~/features/invoices/json.server";
import { issueRun } from "~/features/invoices/issue.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** The body `{issueDate?, dueDate?}`, or nothing at all (an empty body means today and the payment terms). */
async function readIssueDates(request: Request): Promise<IssueDatesInput> {
  const text = await request.clone().text();
  if (text.trim() === "") return {};
  return parseApiBody(request, IssueDatesSchema);
}

/**
 * POST /api/v1/billing-runs/{id}/issue {issueDate?, dueDate?} (treasurer): numbers and issues every draft of the run
 * with those dates (docs/invoices.md#dates), 200 {invoices}; 422 per field when a date cannot be used.
 * Repeating it issues nothing more and answers with the same invoices.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "billing-run.issue");
          const id = idParam(params.id, true);
          const dates = await readIssueDates(request);
          const invoices = issueRun(scope, id, dates);
          return json({ invoices: invoices.map(invoiceJson) });
        },
      },
      ["POST"],
    ),
  );
