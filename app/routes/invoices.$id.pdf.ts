import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { invariantResponse } from "~/lib/invariant.server";
import { invoicePdfResponse } from "~/features/invoices/pdf.server";

/** GET /invoices/:id/pdf: the issued invoice as PDF; a member user only its own (404 otherwise). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const res = await invoicePdfResponse(scope, idParam(params.id, false));
  invariantResponse(res.kind !== "not_found", "Fakturan finns inte.");
  invariantResponse(res.kind !== "draft", "Ett utkast har ingen PDF: utfärda fakturan först.", 409);
  return res.response;
}
