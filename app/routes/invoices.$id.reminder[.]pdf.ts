import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { reminderPdfResponse } from "~/services/billing.server";

/** GET /invoices/:id/reminder.pdf: a reminder (påminnelse) for an overdue invoice (treasurer and board); recorded. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireRole(request, "admin", "treasurer");
  const res = await reminderPdfResponse(scope, idParam(params.id, false));
  if (!res) throw new Response("Fakturan är inte förfallen: ingen påminnelse behövs.", { status: 404 });
  return res;
}
