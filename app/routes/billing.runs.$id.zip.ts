import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { runZipResponse } from "~/features/e-invoice/downloads.server";

/** GET /billing/runs/:id/zip: the run's e-invoices and its print PDF in one ZIP (treasurer and board). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "treasurer");
  const res = await runZipResponse(idParam(params.id, false));
  if (!res) throw new Response("Körningen har inga skickade fakturor med e-faktura.", { status: 404 });
  return res;
}
