import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/lib/auth.server";
import { apiError, apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { invoiceUblResponse } from "~/features/e-invoice/downloads.server";

/** GET /api/v1/invoices/{id}/ubl: the Peppol BIS 3.0 Invoice or CreditNote as application/xml; 409 for a draft. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiUser(request);
    const res = invoiceUblResponse(scope, idParam(params.id, true));
    if (res.kind === "not_found") throw apiError(404, "not_found", "No such invoice");
    if (res.kind === "draft") throw apiError(409, "not_issued", "A draft has no e-invoice: issue it first");
    if (res.kind === "missing")
      throw apiError(404, "no_e_invoice", "This invoice was issued before e-invoicing and has no e-invoice");
    return res.response;
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
