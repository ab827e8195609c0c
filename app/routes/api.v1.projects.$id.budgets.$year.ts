import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody, yearValue } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { BudgetSchema } from "~/lib/project-schemas";
import { budgetResultJson } from "~/features/projects/json.server";
import { setBudget } from "~/features/projects/commands.server";

export const loader = () => methodNotAllowed(["PUT"]);

/** PUT /api/v1/projects/{id}/budgets/{year} (board) {amount, note?}: 200 {year, amount, note}. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PUT: async () => {
          const scope = requireApiPermission(request, "project.budget.set");
          const id = idParam(params.id, true);
          const year = yearValue(params.year);
          const input = await parseApiBody(request, BudgetSchema);
          return json(budgetResultJson(setBudget(scope, id, year, input)));
        },
      },
      ["PUT"],
    ),
  );
