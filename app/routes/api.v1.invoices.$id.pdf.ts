import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { invariantApi } from "~/lib/invariant.server";
import { invoicePdfResponse } from "~/features/invoices/pdf.server";

/** GET /api/v1/invoices/{id}/pdf: the issued invoice as application/pdf; 409 for a draft. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(async () => {
    const scope = requireApiUser(request);
    const res = await invoicePdfResponse(scope, idParam(params.id, true));
    invariantApi(res.kind !== "not_found", "not_found", "No such invoice");
    invariantApi(res.kind !== "draft", "not_issued", "A draft has no PDF: issue it first", 409);
    return res.response;
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
