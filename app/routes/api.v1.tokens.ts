import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { byMethod, parseApiBody } from "~/lib/api-json.server";
import { checkCredentials, issueApiToken, requireApiUser, revokeApiToken } from "~/lib/auth.server";
import { apiError, apiHandler, methodNotAllowed } from "~/lib/http.server";
import { LoginSchema } from "~/lib/schemas";

/** POST /api/v1/tokens {email, password} → 201 {token, role}; DELETE revokes the calling token. */
export const loader = () => apiHandler(() => methodNotAllowed(["POST", "DELETE"]));

export const action = ({ request, context }: ActionFunctionArgs) =>
  apiHandler(() =>
    byMethod(
      request,
      {
        POST: async () => {
          const { email, password } = await parseApiBody(request, LoginSchema);
          const client = typeof context.clientAddress === "string" ? context.clientAddress : "unknown";
          const result = await checkCredentials(email, password, client);
          if (!result.ok) {
            if (result.status === 401) return apiError(401, "invalid_credentials", result.message);
            const answer = apiError(429, "too_many_attempts", result.message);
            answer.headers.set("Retry-After", String(result.retryAfterSeconds ?? 1));
            return answer;
          }
          return json({ token: issueApiToken(result.user.id), role: result.user.role }, { status: 201 });
        },
        DELETE: () => {
          requireApiUser(request);
          const token = /^Bearer\s+(\S+)$/i.exec(request.headers.get("Authorization") ?? "")![1];
          revokeApiToken(token);
          return new Response(null, { status: 204 });
        },
      },
      ["POST", "DELETE"],
    ),
  );
