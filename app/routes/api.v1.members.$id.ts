import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, readJsonObject, validateBody } from "~/lib/api-json.server";
import { requireApiPermission, requireApiUser } from "~/lib/auth.server";
import { apiError, apiHandler, idParam } from "~/lib/http.server";
import { MemberPatchSchema, MemberSelfPatchSchema, type MemberPatchInput } from "~/lib/schemas";
import { getMemberJson } from "~/features/members/json.server";
import { updateMember } from "~/features/members/commands.server";
import { BOARD_ONLY_FIELD, can, refusedMemberFields } from "../../billing/policy";

/**
 * The fields of a Member as the API shows it: those a patch may name, and those it shows but never changes here.
 * Which of them a caller may change is the policy's (`refusedMemberFields`, billing/policy.ts).
 */
const MEMBER_FIELDS = new Set([...Object.keys(MemberPatchSchema.shape), "id", "population", "populations"]);

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
          const scope = requireApiPermission(request, "member.update.contact");
          const id = idParam(params.id, true);
          if (!can(scope, "member.update.contact", { memberId: id }))
            throw apiError(404, "not_found", "No such member");
          const body = await readJsonObject(request);
          let patch: MemberPatchInput;
          if (!can(scope, "member.update")) {
            const refused = refusedMemberFields(
              scope,
              Object.keys(body).filter((k) => MEMBER_FIELDS.has(k)),
            );
            if (refused.length) {
              throw apiError(
                403,
                "forbidden",
                "Your role may only change contact and invoice details",
                Object.fromEntries(refused.map((k) => [k, BOARD_ONLY_FIELD])),
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
