import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { oreToDecimalString } from "../../billing/money";
import { byMethod, parseApiBody, yearValue } from "~/lib/api-json.server";
import { requireApiRole } from "~/lib/auth.server";
import { idParam, methodNotAllowed } from "~/lib/http.server";
import { BudgetSchema } from "~/lib/project-schemas";
import { recordOutcome } from "~/features/projects/outcomes.server";
import { projectApiHandler } from "~/features/projects/errors.server";

export const loader = () => methodNotAllowed(["PUT"]);

/**
 * PUT /api/v1/projects/{id}/outcomes/{year} (board) {amount, note?}: records the final cost (utfall), which becomes
 * the shared amount → 200 {year, budget, outcome}. The next run with project_adjustment settles the difference.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  projectApiHandler(() =>
    byMethod(
      request,
      {
        PUT: async () => {
          const scope = requireApiRole(request, "admin");
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
