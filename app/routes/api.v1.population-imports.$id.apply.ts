import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { applyPopulationImport } from "~/features/interchange/population-import.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/** POST /api/v1/population-imports/{id}/apply (board): 200 {applied}; 409 when a row is in error or it was applied already. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: () => {
          const scope = requireApiPermission(request, "population.import");
          const id = idParam(params.id, true);
          return json(applyPopulationImport(scope, id));
        },
      },
      ["POST"],
    ),
  );
