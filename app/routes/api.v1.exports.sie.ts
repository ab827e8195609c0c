import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPermission } from "~/lib/auth.server";
import { SiePeriodSchema } from "~/lib/bookkeeping-schemas";
import { apiError, apiHandler, methodNotAllowed } from "~/lib/http.server";
import { zodFieldErrors } from "~/http/errors";
import { sieExport, sieResponse } from "~/features/interchange/sie.server";

/** GET /api/v1/exports/sie?from=YYYY-MM-DD&to=YYYY-MM-DD (treasurer and board): the SIE 4I file of the period, CP437. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiPermission(request, "invoice.export");
    const parsed = SiePeriodSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success)
      throw apiError(422, "validation_failed", "The query has invalid fields", zodFieldErrors(parsed.error));
    return sieResponse(sieExport(scope, parsed.data));
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
