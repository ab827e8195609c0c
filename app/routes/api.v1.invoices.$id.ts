import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireApiUser } from "~/lib/auth.server";
import { apiError, apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { getInvoiceView } from "~/features/invoices/queries.server";
import { invoiceJson } from "~/features/invoices/json.server";
import { deliveryJson, deliveryLog } from "~/features/delivery/log.server";
import { can } from "../../billing/policy";

/** GET /api/v1/invoices/{id}, with its `deliveries`: 404 for an invoice the caller may not see (another member's, or a draft for a member user). */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiUser(request);
    const view = getInvoiceView(scope, idParam(params.id, true));
    if (!view) throw apiError(404, "not_found", "No such invoice");
    // The delivery log (docs/delivery.md) is the association's own record: staff only.
    const deliveries = can(scope, "invoice.read.internal") ? deliveryLog(view.id).map(deliveryJson) : [];
    return json({ ...invoiceJson(view), deliveries });
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
