import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireApiPermission } from "~/lib/auth.server";
import { apiError, apiHandler, methodNotAllowed } from "~/lib/http.server";
import { zodFieldErrors } from "~/http/errors";
import { ReceivablesQuerySchema } from "~/lib/payment-schemas";
import { receivables } from "~/features/receivables/queries.server";
import { receivablesJson } from "~/features/receivables/json.server";

/** GET /api/v1/receivables?date=YYYY-MM-DD (treasurer, board; today by default): per member and in total. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiPermission(request, "receivables.read");
    const parsed = ReceivablesQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success)
      throw apiError(422, "validation_failed", "The query has invalid fields", zodFieldErrors(parsed.error));
    return json(receivablesJson(receivables(scope, parsed.data.date)));
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
