import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission, requireApiUser } from "~/lib/auth.server";
import { apiHandler } from "~/lib/http.server";
import { ProjectCreateSchema } from "~/lib/project-schemas";
import { createProject } from "~/features/projects/commands.server";
import { projectJson, projectListJson } from "~/features/projects/json.server";

/** GET /api/v1/projects: every project with its budgets (open to everyone logged in). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    requireApiUser(request);
    return json({ projects: projectListJson() });
  });

/** POST /api/v1/projects (board): 201 Project. */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "project.create");
          const input = await parseApiBody(request, ProjectCreateSchema);
          const row = createProject(scope, input);
          return json(projectJson(row.id), { status: 201 });
        },
      },
      ["GET", "POST"],
    ),
  );
