import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody, scheduleJson } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { FeeScheduleSchema } from "~/lib/schemas";
import { deleteFeeSchedule, updateFeeSchedule } from "~/features/fees/commands.server";
import { listFeeSchedules } from "~/features/fees/queries.server";

export const loader = () => methodNotAllowed(["PUT", "DELETE"]);

/**
 * PUT /api/v1/fee-schedules/{id} (board) {validFrom, brackets}: 200 Schedule; DELETE: 204. Both 409 naming the
 * year when an issued invoice depends on the schedule (fees are frozen once issued: credit and re-bill instead).
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PUT: async () => {
          const scope = requireApiPermission(request, "fee-schedule.update");
          const id = idParam(params.id, true);
          const input = await parseApiBody(request, FeeScheduleSchema);
          const { id: newId } = updateFeeSchedule(scope, id, input);
          return json(scheduleJson(listFeeSchedules().find((s) => s.id === newId)!));
        },
        DELETE: () => {
          const scope = requireApiPermission(request, "fee-schedule.delete");
          deleteFeeSchedule(scope, idParam(params.id, true));
          return new Response(null, { status: 204 });
        },
      },
      ["PUT", "DELETE"],
    ),
  );
