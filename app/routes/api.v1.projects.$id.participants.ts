import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, readJsonObject, validateBody } from "~/lib/api-json.server";
import { requireApiPermission } from "~/lib/auth.server";
import { apiHandler, idParam, methodNotAllowed } from "~/lib/http.server";
import { ParticipantCreateSchema, ParticipantsCreateSchema } from "~/lib/project-schemas";
import { addParticipant, addParticipants } from "~/features/projects/participants.server";
import { participantJson } from "~/features/projects/json.server";

export const loader = () => methodNotAllowed(["POST"]);

/**
 * POST /api/v1/projects/{id}/participants {memberId, joinedOn, weight?}: 201. The board adds any member; a
 * member's contact person only its own member to an open project (403 otherwise); 409 if already there.
 * With {memberIds: [...], joinedOn, weight?} the board adds several at once, all or none: 201 {participants}, or 422
 * with a message per member under `members.{memberId}`.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const scope = requireApiPermission(request, "project.participant.add", "project.join");
          const id = idParam(params.id, true);
          const body = await readJsonObject(request);
          if ("memberIds" in body) {
            const input = validateBody(body, ParticipantsCreateSchema);
            const rows = addParticipants(scope, id, input);
            return json({ participants: rows.map(participantJson) }, { status: 201 });
          }
          const input = validateBody(body, ParticipantCreateSchema);
          return json(participantJson(addParticipant(scope, id, input)), { status: 201 });
        },
      },
      ["POST"],
    ),
  );
