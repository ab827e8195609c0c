import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { runPdfResponse } from "~/features/invoices/pdf.server";

/** GET /billing/runs/:id/pdf: every issued invoice of the run in one PDF, for printing (treasurer and board). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "treasurer");
  const res = await runPdfResponse(idParam(params.id, false));
  if (!res) throw new Response("Körningen har inga skickade fakturor.", { status: 404 });
  return res;
}
