import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { invariantResponse } from "~/lib/invariant.server";
import { runZipResponse } from "~/features/e-invoice/downloads.server";

/** GET /billing/runs/:id/zip: the run's e-invoices and its print PDF in one ZIP (treasurer and board). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "billing-run.read");
  const res = await runZipResponse(scope, idParam(params.id, false));
  invariantResponse(res, "Körningen har inga utfärdade fakturor med e-faktura.");
  return res;
}
