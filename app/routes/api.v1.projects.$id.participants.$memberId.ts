import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { ParticipantPatchSchema } from "~/lib/project-schemas";
import { participantJson } from "~/features/projects/json.server";
import { updateParticipant } from "~/features/projects/participants.server";

export const loader = () => methodNotAllowed(["PATCH"]);

/**
 * PATCH /api/v1/projects/{id}/participants/{memberId} {leftOn?, weight?}: 200. The board changes anything; a
 * member's contact person only the leaving date of its own participation, to the end of this year or later.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PATCH: async () => {
          const scope = requireApiPermission(request, "project.participant.update", "project.leave");
          const id = idParam(params.id, true);
          const memberId = idParam(params.memberId, true);
          const patch = await parseApiBody(request, ParticipantPatchSchema);
          return json(participantJson(updateParticipant(scope, id, memberId, patch)));
        },
      },
      ["PATCH"],
    ),
  );
