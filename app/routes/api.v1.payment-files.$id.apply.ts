import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { sumsJson } from "~/lib/payment-json.server";
import { applyPaymentFile } from "~/features/payments/bank-file-apply.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** POST /api/v1/payment-files/{id}/apply (treasurer, board): 200 {applied: {count, amount}, unmatched: {count, amount}}. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: () => {
          const scope = requireApiPermission(request, "payment-file.apply");
          const id = idParam(params.id, true);
          return json(sumsJson(applyPaymentFile(scope, id)));
        },
      },
      ["POST"],
    ),
  );
