import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { invariantResponse } from "~/lib/invariant.server";
import { runPdfResponse } from "~/features/invoices/pdf.server";

/** GET /billing/runs/:id/pdf: every issued invoice of the run in one PDF, for printing (treasurer and board). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "billing-run.read");
  const res = await runPdfResponse(scope, idParam(params.id, false));
  invariantResponse(res, "Körningen har inga utfärdade fakturor.");
  return res;
}
