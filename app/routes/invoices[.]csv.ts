import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { InvoiceQuerySchema } from "~/lib/billing-schemas";
import { invoicesCsv, listInvoiceViews } from "~/services/billing.server";

/** GET /invoices.csv?year=&memberId=&status=&overdue=1: issued invoices for the accounting system (treasurer and board). */
export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireRole(request, "admin", "treasurer");
  const parsed = InvoiceQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => i.message).join("\n");
    return new Response(`${lines}\n`, { status: 422, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(invoicesCsv(listInvoiceViews(scope, parsed.data)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="fakturor${parsed.data.year ? `-${parsed.data.year}` : ""}.csv"`,
    },
  });
}
