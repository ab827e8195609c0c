import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { unmatchedJson } from "~/lib/payment-json.server";
import { RefundUnmatchedSchema } from "~/lib/payment-schemas";
import { refundUnmatchedPayment } from "~/features/payments/unmatched.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** POST /api/v1/unmatched-payments/{id}/refund {note?}: settled outside the app (paid back, or a deduction handled). */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "unmatched-payment.refund");
          const id = idParam(params.id, true);
          const input = await parseApiBody(request, RefundUnmatchedSchema);
          return json(unmatchedJson(refundUnmatchedPayment(scope, id, input)));
        },
      },
      ["POST"],
    ),
  );
