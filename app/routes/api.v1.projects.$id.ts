import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission, requireApiUser } from "~/lib/auth.server";
import { apiHandler, idParam } from "~/lib/http.server";
import { ProjectPatchSchema } from "~/lib/project-schemas";
import { projectJson } from "~/features/projects/json.server";
import { updateProject } from "~/features/projects/commands.server";

/** GET /api/v1/projects/{id}: Project with budgets and participants (open to everyone logged in). */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(() => {
    requireApiUser(request);
    return json(projectJson(idParam(params.id, true)));
  });

/** PATCH /api/v1/projects/{id} (board): any writable field; 200 Project. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PATCH: async () => {
          const scope = requireApiPermission(request, "project.update");
          const id = idParam(params.id, true);
          const patch = await parseApiBody(request, ProjectPatchSchema);
          updateProject(scope, id, patch);
          return json(projectJson(id));
        },
      },
      ["GET", "PATCH"],
    ),
  );
