import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { yearValue } from "~/lib/api-json.server";
import { requireApiUser } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { allocationJson } from "~/features/projects/json.server";
import { projectAllocation } from "~/features/projects/allocation.server";

/**
 * GET /api/v1/projects/{id}/allocation?year=Y: the shares of exactly the participants of Y. 404 no_budget when
 * the project has no budget for Y; 422 allocation_failed naming the members without a population basis.
 */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(() => {
    requireApiUser(request);
    const id = idParam(params.id, true);
    const year = yearValue(new URL(request.url).searchParams.get("year"));
    return json(allocationJson(projectAllocation(id, year)));
  });

export const action = () => methodNotAllowed(["GET"]);
