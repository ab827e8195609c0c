import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody, yearValue } from "~/lib/api-json.server";
import { requireApiRole } from "~/lib/auth.server";
import { idParam, methodNotAllowed } from "~/lib/http.server";
import { BudgetSchema } from "~/lib/project-schemas";
import { budgetResultJson } from "~/features/projects/json.server";
import { projectApiHandler } from "~/features/projects/errors.server";
import { setBudget } from "~/features/projects/commands.server";

export const loader = () => methodNotAllowed(["PUT"]);

/** PUT /api/v1/projects/{id}/budgets/{year} (board) {amount, note?}: 200 {year, amount, note}. */
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
          return json(budgetResultJson(setBudget(scope, id, year, input)));
        },
      },
      ["PUT"],
    ),
  );
