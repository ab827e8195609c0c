import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/lib/auth.server";
import { apiError, apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { invoicePdfResponse } from "~/features/invoices/pdf.server";

/** GET /api/v1/invoices/{id}/pdf: the issued invoice as application/pdf; 409 for a draft. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(async () => {
    const scope = requireApiUser(request);
    const res = await invoicePdfResponse(scope, idParam(params.id, true));
    if (res.kind === "not_found") throw apiError(404, "not_found", "No such invoice");
    if (res.kind === "draft") throw apiError(409, "not_issued", "A draft has no PDF: issue it first");
    return res.response;
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
