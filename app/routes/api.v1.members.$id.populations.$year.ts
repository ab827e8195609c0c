import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody, yearValue } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { PopulationSchema } from "~/lib/schemas";
import { setPopulation } from "~/features/members/commands.server";

export const loader = () => apiHandler(() => methodNotAllowed(["PUT"]));

/** PUT /api/v1/members/{id}/populations/{year} {population} (board): the figure on 31 December of that year. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PUT: async () => {
          const scope = requireApiPermission(request, "population.record");
          const memberId = idParam(params.id, true);
          const year = yearValue(params.year);
          const { population } = await parseApiBody(request, PopulationSchema);
          return json(setPopulation(scope, memberId, year, population));
        },
      },
      ["PUT"],
    ),
  );
