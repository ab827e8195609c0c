import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { invoiceJson } from "~/features/invoices/json.server";
import { issueRun } from "~/features/invoices/issue.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/**
 * POST /api/v1/billing-runs/{id}/issue (treasurer): numbers and issues every draft of the run, 200 {invoices}.
 * Repeating it issues nothing more and answers with the same invoices.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: () => {
          const scope = requireApiPermission(request, "billing-run.issue");
          const invoices = issueRun(scope, idParam(params.id, true));
          return json({ invoices: invoices.map(invoiceJson) });
        },
      },
      ["POST"],
    ),
  );
