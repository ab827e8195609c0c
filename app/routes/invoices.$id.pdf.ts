import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { invoicePdfResponse } from "~/features/invoices/pdf.server";

/** GET /invoices/:id/pdf: the issued invoice as PDF; a member user only its own (404 otherwise). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireUser(request);
  const res = await invoicePdfResponse(scope, idParam(params.id, false));
  if (res.kind === "not_found") throw new Response("Fakturan finns inte.", { status: 404 });
  if (res.kind === "draft") throw new Response("Ett utkast har ingen PDF: skicka fakturan först.", { status: 409 });
  return res.response;
}
