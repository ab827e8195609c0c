import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { invariantResponse } from "~/lib/invariant.server";
import { invoiceUblResponse } from "~/features/e-invoice/downloads.server";

/** GET /invoices/:id/ubl: the e-invoice (Peppol BIS 3.0 UBL) of an issued invoice; a member user only its own. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const res = invoiceUblResponse(scope, idParam(params.id, false));
  invariantResponse(res.kind !== "not_found", "Fakturan finns inte.");
  invariantResponse(res.kind !== "draft", "Ett utkast har ingen e-faktura: utfärda fakturan först.", 409);
  invariantResponse(res.kind !== "missing", "Fakturan utfärdades innan e-fakturor fanns och har ingen e-faktura.");
  return res.response;
}
