import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiRole } from "~/lib/auth.server";
import { idParam, methodNotAllowed } from "~/lib/http.server";
import { ParticipantCreateSchema } from "~/lib/project-schemas";
import { addParticipant } from "~/features/projects/participants.server";
import { participantJson } from "~/features/projects/json.server";
import { projectApiHandler } from "~/features/projects/errors.server";

export const loader = () => methodNotAllowed(["POST"]);

/**
 * POST /api/v1/projects/{id}/participants {memberId, joinedOn, weight?}: 201. The board adds any member; a
 * member's contact person only its own member to an open project (403 otherwise); 409 if already there.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  projectApiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiRole(request, "admin", "member");
          const id = idParam(params.id, true);
          const input = await parseApiBody(request, ParticipantCreateSchema);
          return json(participantJson(addParticipant(scope, id, input)), { status: 201 });
        },
      },
      ["POST"],
    ),
  );
