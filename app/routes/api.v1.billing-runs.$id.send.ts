import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { readSendOptions } from "~/lib/delivery-api.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { reportJson } from "~/features/delivery/log.server";
import { sendRun } from "~/features/delivery/runs.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/**
 * POST /api/v1/billing-runs/{id}/send {resend?: true} (treasurer): sends the run's issued invoices by each member's
 * channel and answers when all are done, 200 {deliveries}. Repeating it sends only what is not sent yet.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "billing-run.send");
          const id = idParam(params.id, true);
          const options = await readSendOptions(request);
          const reports = await sendRun(scope, id, options);
          return json({ deliveries: reports.map(reportJson) });
        },
      },
      ["POST"],
    ),
  );
