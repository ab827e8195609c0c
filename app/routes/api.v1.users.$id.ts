import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody, userJson } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiError, apiHandler, idParam } from "~/lib/http.server";
import { UserUpdateSchema } from "~/lib/schemas";
import { getUserAccount } from "~/features/users/queries.server";
import { updateUser } from "~/features/users/commands.server";

/** GET /api/v1/users/{id} (board). */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiPermission(request, "user.manage");
    const user = getUserAccount(scope, idParam(params.id, true));
    if (!user) throw apiError(404, "not_found", "No such user");
    return json(userJson(user));
  });

/**
 * PATCH /api/v1/users/{id} (board) {role?, memberId?, active?, name?}. Deactivating or changing the role ends
 * the user's sessions and revokes its tokens in the same transaction: the lock-out is immediate.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PATCH: async () => {
          const scope = requireApiPermission(request, "user.manage");
          const id = idParam(params.id, true);
          const patch = await parseApiBody(request, UserUpdateSchema);
          return json(userJson(updateUser(scope, id, patch)));
        },
      },
      ["GET", "PATCH"],
    ),
  );
