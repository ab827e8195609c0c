import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { reminderPdf } from "~/features/delivery/reminders.server";

/**
 * GET /invoices/:id/reminder.pdf: the latest recorded reminder (påminnelse) of an invoice, with the dates it was
 * recorded with, or before any, a preview of today's for an overdue invoice (treasurer and board). Downloading it
 * records nothing: a reminder is recorded and sent from the invoice page (docs/delivery.md).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "invoice.read.internal");
  const pdf = await reminderPdf(scope, idParam(params.id, false));
  if (!pdf) throw new Response("Fakturan är inte förfallen: ingen påminnelse behövs.", { status: 404 });
  return new Response(new Uint8Array(pdf.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${pdf.filename}"`,
      "Content-Length": String(pdf.bytes.length),
      "Cache-Control": "private, no-store",
    },
  });
}
