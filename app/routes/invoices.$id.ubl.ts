import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { invoiceUblResponse } from "~/features/e-invoice/downloads.server";

/** GET /invoices/:id/ubl: the e-invoice (Peppol BIS 3.0 UBL) of an issued invoice; a member user only its own. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const res = invoiceUblResponse(scope, idParam(params.id, false));
  if (res.kind === "not_found") throw new Response("Fakturan finns inte.", { status: 404 });
  if (res.kind === "draft")
    throw new Response("Ett utkast har ingen e-faktura: skicka fakturan först.", { status: 409 });
  if (res.kind === "missing")
    throw new Response("Fakturan skickades innan e-fakturor fanns och har ingen e-faktura.", { status: 404 });
  return res.response;
}
