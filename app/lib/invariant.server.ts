import { apiError } from "./http.server";

/*
 * Response guards in the style of @epic-web/invariant (docs/architecture.md#response-guards): a loader or resource
 * route states what must hold, and the guard throws the answer when it does not, narrowing the type after it:
 *
 *   const invoice = getInvoiceView(scope, id);
 *   invariantResponse(invoice, "Fakturan finns inte.");           // a page: 404 with the message as its body
 *   invariantApi(view, "not_found", "No such invoice");           // /api/v1: 404 {"error": {code, message}}
 *
 * Remix shows a thrown Response with the route's error boundary, and sends it as it is from a resource route.
 */

/** Throws `new Response(message, { status })` (404 unless told) when the condition is falsy. */
export function invariantResponse(
  condition: unknown,
  message: string | (() => string),
  status = 404,
  init: Omit<ResponseInit, "status"> = {},
): asserts condition {
  if (!condition) throw new Response(typeof message === "function" ? message() : message, { ...init, status });
}

/** Throws the API's error answer `{"error": {code, message}}` (404 unless told) when the condition is falsy. */
export function invariantApi(condition: unknown, code: string, message: string, status = 404): asserts condition {
  if (!condition) throw apiError(status, code, message);
}
