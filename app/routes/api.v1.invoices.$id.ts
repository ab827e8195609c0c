import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireApiUser } from "~/lib/auth.server";
import { apiError, apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { getInvoiceView, invoiceJson } from "~/services/billing.server";

/** GET /api/v1/invoices/{id}: 404 for an invoice the caller may not see (another member's, or a draft for a member user). */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiUser(request);
    const view = getInvoiceView(scope, idParam(params.id, true));
    if (!view) throw apiError(404, "not_found", "No such invoice");
    return json(invoiceJson(view));
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
