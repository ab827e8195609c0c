import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiError, apiHandler, methodNotAllowed } from "~/lib/http.server";
import { year as yearSchema } from "~/lib/schemas";
import { readRawBody } from "~/lib/upload.server";
import { importJson, MAX_FILE_BYTES, previewPopulationImport } from "~/features/interchange/population-import.server";

export const loader = () => apiHandler(() => methodNotAllowed(["POST"]));

/**
 * POST /api/v1/population-imports?year=Y with SCB's file (XLSX or CSV) as the raw body (board): 201 with the
 * stored preview; 422 for a file that does not read at all (nothing stored); 413 past 5 MB.
 */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "population.import");
          const year = yearSchema("Året").safeParse(new URL(request.url).searchParams.get("year") ?? undefined);
          if (!year.success)
            throw apiError(422, "validation_failed", "The query has invalid fields", {
              year: year.error.issues[0].message,
            });
          const bytes = await readRawBody(request, MAX_FILE_BYTES);
          return json(importJson(await previewPopulationImport(scope, bytes, year.data)), { status: 201 });
        },
      },
      ["POST"],
    ),
  );
