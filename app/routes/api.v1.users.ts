import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody, userJson } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler } from "~/lib/http.server";
import { UserCreateSchema } from "~/lib/schemas";
import { createUser } from "~/features/users/commands.server";
import { listUsers } from "~/features/users/queries.server";

/** GET /api/v1/users (board): every account, never a password hash. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiPermission(request, "user.manage");
    return json({ users: listUsers(scope).map(userJson) });
  });

/** POST /api/v1/users (board) {email, name, password, role, memberId? | memberCode?} → 201 user. */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "user.manage");
          const input = await parseApiBody(request, UserCreateSchema);
          return json(userJson(await createUser(scope, input)), { status: 201 });
        },
      },
      ["GET", "POST"],
    ),
  );
