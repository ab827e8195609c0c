import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, readJsonObject, validateBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { SettingsSchema } from "~/lib/billing-schemas";
import { apiError, apiHandler } from "~/lib/http.server";
import { readSettings } from "~/features/settings/queries.server";
import { saveSettings } from "~/features/settings/commands.server";
import { settingsJson } from "~/features/settings/json.server";

/** GET /api/v1/settings: the association's settings with the settings page's field names (treasurer and board). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiPermission(request, "settings.read");
    const settings = readSettings(scope);
    if (!settings) throw apiError(404, "not_found", "No settings saved yet: PUT them first");
    return json(settingsJson(settings));
  });

/**
 * PUT /api/v1/settings: the whole object, validated by the page's schema and saved by the page's use case (and
 * audited the same way); optional fields left out take their defaults.
 */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PUT: async () => {
          const scope = requireApiPermission(request, "settings.update");
          const input = validateBody(await readJsonObject(request), SettingsSchema);
          return json(settingsJson(saveSettings(scope, input)));
        },
      },
      ["GET", "PUT"],
    ),
  );
