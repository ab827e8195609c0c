import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { CreditSchema } from "~/lib/billing-schemas";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { creditInvoice } from "~/features/invoices/credit.server";
import { invoiceJson } from "~/features/invoices/json.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** POST /api/v1/invoices/{id}/credit {reason} (treasurer): 201 with the credit note; the original becomes credited. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "invoice.credit");
          const id = idParam(params.id, true);
          const { reason } = await parseApiBody(request, CreditSchema);
          return json(invoiceJson(creditInvoice(scope, id, reason)), { status: 201 });
        },
      },
      ["POST"],
    ),
  );
