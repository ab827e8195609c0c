import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { PaymentSchema } from "~/lib/billing-schemas";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { invoiceJson } from "~/features/invoices/json.server";
import { registerPayment } from "~/features/payments/commands.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** POST /api/v1/invoices/{id}/payments {amount, paidOn} (treasurer): 201 with the invoice and its new status. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "payment.register");
          const id = idParam(params.id, true);
          const input = await parseApiBody(request, PaymentSchema);
          return json(invoiceJson(registerPayment(scope, id, input)), { status: 201 });
        },
      },
      ["POST"],
    ),
  );
