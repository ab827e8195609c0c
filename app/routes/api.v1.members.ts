import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission, requireApiUser } from "~/lib/auth.server";
import { apiHandler } from "~/lib/http.server";
import { MemberCreateSchema } from "~/lib/schemas";
import { createMember } from "~/features/members/commands.server";
import { getMemberJson, listMembersJson } from "~/features/members/json.server";

/** GET /api/v1/members[?q=]: the directory, open to everyone logged in; private fields only for those who may see them. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiUser(request);
    const q = new URL(request.url).searchParams.get("q") ?? undefined;
    return json({ members: listMembersJson(scope, { q }) });
  });

/** POST /api/v1/members (board): 201 Member. */
export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "member.create");
          const input = await parseApiBody(request, MemberCreateSchema);
          const row = createMember(scope, input);
          return json(getMemberJson(scope, row.id), { status: 201 });
        },
      },
      ["GET", "POST"],
    ),
  );
