import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { requireApiPermission } from "~/lib/auth.server";
import { apiError, apiHandler, methodNotAllowed } from "~/lib/http.server";
import { zodFieldErrors } from "~/http/errors";
import { unmatchedJson } from "~/lib/payment-json.server";
import { listUnmatchedPayments } from "~/features/payments/unmatched.server";

const Query = z.object({
  status: z
    .enum(["open", "assigned", "refunded"], {
      errorMap: () => ({ message: "Status ska vara open, assigned eller refunded" }),
    })
    .default("open"),
});

/** GET /api/v1/unmatched-payments?status=open|assigned|refunded (treasurer, board; open by default). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiPermission(request, "payment.read");
    const parsed = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success)
      throw apiError(422, "validation_failed", "The query has invalid fields", zodFieldErrors(parsed.error));
    return json({ payments: listUnmatchedPayments(scope, parsed.data).map(unmatchedJson) });
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
