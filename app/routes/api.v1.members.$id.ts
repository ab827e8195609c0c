import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, readJsonObject, validateBody } from "~/lib/api-json.server";
import { requireApiRole, requireApiUser } from "~/lib/auth.server";
import { apiError, apiHandler, idParam } from "~/lib/http.server";
import { MemberPatchSchema, MemberSelfPatchSchema, type MemberPatchInput } from "~/lib/schemas";
import { getMemberJson } from "~/features/members/json.server";
import { updateMember } from "~/features/members/commands.server";

/** Fields of a Member that only the board may change (or that are not changed here at all). */
const BOARD_ONLY = new Set([
  ...Object.keys(MemberPatchSchema.shape).filter((k) => !(k in MemberSelfPatchSchema.shape)),
  "id",
  "population",
  "populations",
]);

/** GET /api/v1/members/{id}: anyone logged in; private fields for the board, the treasurer and the member's own users. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiHandler(() => {
    const scope = requireApiUser(request);
    const member = getMemberJson(scope, idParam(params.id, true));
    if (!member) throw apiError(404, "not_found", "No such member");
    return json(member);
  });

/**
 * PATCH /api/v1/members/{id}: the board any writable field (incl. resignedOn); a member's own users only its
 * contact and invoice details, on their own member (another member is 404, other fields 403); the treasurer
 * reads but does not edit.
 */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        PATCH: async () => {
          const scope = requireApiRole(request, "admin", "member");
          const id = idParam(params.id, true);
          if (scope.role === "member" && scope.memberId !== id) throw apiError(404, "not_found", "No such member");
          const body = await readJsonObject(request);
          let patch: MemberPatchInput;
          if (scope.role === "member") {
            const forbidden = Object.keys(body).filter((k) => BOARD_ONLY.has(k));
            if (forbidden.length) {
              throw apiError(
                403,
                "forbidden",
                "Your role may only change contact and invoice details",
                Object.fromEntries(forbidden.map((k) => [k, "Bara styrelsen kan ändra det här fältet"])),
              );
            }
            patch = validateBody(body, MemberSelfPatchSchema);
          } else {
            patch = validateBody(body, MemberPatchSchema);
          }
          const row = updateMember(scope, id, patch);
          return json(getMemberJson(scope, row.id));
        },
      },
      ["GET", "PATCH"],
    ),
  );
