import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { printPdfOfRun } from "~/features/delivery/runs.server";

/** GET /billing/runs/:id/print.pdf: one PDF of the run's invoices sent by the print channel, in member order. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "billing-run.read");
  const runId = idParam(params.id, false);
  const bytes = await printPdfOfRun(scope, runId);
  if (!bytes) throw new Response("Körningen har inga fakturor för utskrift.", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="utskrift-korning-${runId}.pdf"`,
      "Content-Length": String(bytes.length),
      "Cache-Control": "private, no-store",
    },
  });
}
