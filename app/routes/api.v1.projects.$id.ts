import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiRole, requireApiUser } from "~/lib/auth.server";
import { idParam } from "~/lib/http.server";
import { ProjectPatchSchema } from "~/lib/project-schemas";
import { projectApiHandler } from "~/features/projects/errors.server";
import { projectJson } from "~/features/projects/json.server";
import { updateProject } from "~/features/projects/commands.server";

/** GET /api/v1/projects/{id}: Project with budgets and participants (open to everyone logged in). */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  projectApiHandler(() => {
    requireApiUser(request);
    return json(projectJson(idParam(params.id, true)));
  });

/** PATCH /api/v1/projects/{id} (board): any writable field; 200 Project. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  projectApiHandler(() =>
    byMethod(
      request,
      {
        PATCH: async () => {
          const scope = requireApiRole(request, "admin");
          const id = idParam(params.id, true);
          const patch = await parseApiBody(request, ProjectPatchSchema);
          updateProject(scope, id, patch);
          return json(projectJson(id));
        },
      },
      ["GET", "PATCH"],
    ),
  );
