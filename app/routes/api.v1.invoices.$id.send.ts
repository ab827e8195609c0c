import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { readSendOptions } from "~/lib/delivery-api.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { reportJson } from "~/features/delivery/log.server";
import { sendInvoice } from "~/features/delivery/send.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** POST /api/v1/invoices/{id}/send {resend?: true} (treasurer): 200 {deliveries: [one]}; 409 for a draft. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "invoice.send");
          const id = idParam(params.id, true);
          const options = await readSendOptions(request);
          return json({ deliveries: [reportJson(await sendInvoice(scope, id, options))] });
        },
      },
      ["POST"],
    ),
  );
