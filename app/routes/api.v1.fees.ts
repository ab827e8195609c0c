import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { feeRowJson, yearValue } from "~/lib/api-json.server";
import { requireApiUser } from "~/lib/auth.server";
import { apiHandler, methodNotAllowed } from "~/lib/http.server";
import { feeRowsFor } from "~/features/fees/queries.server";

/** GET /api/v1/fees?year=Y: fees of the members active in Y (a member user: its own row only). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiUser(request);
    const year = yearValue(new URL(request.url).searchParams.get("year"));
    return json({ year, members: feeRowsFor(scope, year).map(feeRowJson) });
  });

export const action = () => apiHandler(() => methodNotAllowed(["GET"]));
