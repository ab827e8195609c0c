import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { unmatchedJson } from "~/lib/payment-json.server";
import { AssignUnmatchedSchema } from "~/lib/payment-schemas";
import { assignUnmatchedPayment } from "~/features/payments/unmatched.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** POST /api/v1/unmatched-payments/{id}/assign {invoiceNumber, amount?}: the (part of the) payment goes to that invoice. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "unmatched-payment.assign");
          const id = idParam(params.id, true);
          const input = await parseApiBody(request, AssignUnmatchedSchema);
          return json(unmatchedJson(assignUnmatchedPayment(scope, id, input)));
        },
      },
      ["POST"],
    ),
  );
