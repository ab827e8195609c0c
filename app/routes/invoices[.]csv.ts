import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/lib/auth.server";
import { InvoiceQuerySchema } from "~/lib/billing-schemas";
import { separatorFromQuery } from "../../billing/csv";
import { listInvoiceViews } from "~/features/invoices/queries.server";
import { invoicesCsv } from "~/features/invoices/csv.server";

/**
 * GET /invoices.csv?year=&memberId=&status=&overdue=1[&sep=comma]: issued invoices for the accounting system
 * (treasurer and board). Semicolons and decimal commas by default (Swedish Excel), commas and points with sep=comma.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requirePermission(request, "invoice.export");
  const params = new URL(request.url).searchParams;
  const separator = separatorFromQuery(params.get("sep"));
  params.delete("sep");
  const parsed = InvoiceQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => i.message).join("\n");
    return new Response(`${lines}\n`, { status: 422, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(invoicesCsv(listInvoiceViews(scope, parsed.data), separator), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="fakturor${parsed.data.year ? `-${parsed.data.year}` : ""}.csv"`,
    },
  });
}
