import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { oreToDecimalString } from "../../billing/money";
import { byMethod, parseApiBody, yearValue } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { BudgetSchema } from "~/lib/project-schemas";
import { recordOutcome } from "~/features/projects/outcomes.server";

export const loader = () => methodNotAllowed(["PUT"]);

/**
 * PUT /api/v1/projects/{id}/outcomes/{year} (board) {amount, note?}: records the final cost (utfall), which becomes
 * the shared amount → 200 {year, budget, outcome}. The next run with project_adjustment settles the difference.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PUT: async () => {
          const scope = requireApiPermission(request, "project.outcome.record");
          const id = idParam(params.id, true);
          const year = yearValue(params.year);
          const input = await parseApiBody(request, BudgetSchema);
          const r = recordOutcome(scope, id, year, input);
          return json({ year: r.year, budget: oreToDecimalString(r.budget), outcome: oreToDecimalString(r.outcome) });
        },
      },
      ["PUT"],
    ),
  );
