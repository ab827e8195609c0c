import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody, scheduleJson } from "~/lib/api-json.server";
import { requireApiPermission, requireApiUser } from "~/lib/auth.server";
import { apiHandler } from "~/lib/http.server";
import { FeeScheduleSchema } from "~/lib/schemas";
import { createFeeSchedule } from "~/features/fees/commands.server";
import { listFeeSchedules } from "~/features/fees/queries.server";

/** GET /api/v1/fee-schedules: every schedule, oldest first (anyone logged in; the fee model is public). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    requireApiUser(request);
    return json({ schedules: listFeeSchedules().map(scheduleJson) });
  });

/** POST /api/v1/fee-schedules (board): a schedule from a coming year → 201. */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "fee-schedule.create");
          const input = await parseApiBody(request, FeeScheduleSchema);
          const { id } = createFeeSchedule(scope, input);
          const stored = listFeeSchedules().find((s) => s.id === id)!;
          return json(scheduleJson(stored), { status: 201 });
        },
      },
      ["GET", "POST"],
    ),
  );
