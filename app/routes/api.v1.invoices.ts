import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireApiUser } from "~/lib/auth.server";
import { InvoiceQuerySchema } from "~/lib/billing-schemas";
import { apiError, apiHandler, methodNotAllowed } from "~/lib/http.server";
import { zodFieldErrors } from "~/http/errors";
import { invoiceJson } from "~/features/invoices/json.server";
import { listInvoiceViews } from "~/features/invoices/queries.server";

/**
 * GET /api/v1/invoices?year=&memberId=&status=&overdue=1: the invoices the caller may see (a member user only
 * its own issued ones). `year` is the billing year.
 */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiUser(request);
    const params = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = InvoiceQuerySchema.safeParse(params);
    if (!parsed.success)
      throw apiError(422, "validation_failed", "The query has invalid fields", zodFieldErrors(parsed.error));
    return json({ invoices: listInvoiceViews(scope, parsed.data).map(invoiceJson) });
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
