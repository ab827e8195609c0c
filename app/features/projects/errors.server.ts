import { apiError, apiHandler, DomainError } from "../../lib/http.server";

/** A change the caller's role or member may not make (403); DomainError covers 404/409/422. */
export class PermissionError extends Error {}

/** For the API routes: a PermissionError as the API's 403 answer, anything else unchanged. */
export function asApiError(error: unknown): unknown {
  return error instanceof PermissionError ? apiError(403, "forbidden", error.message) : error;
}

/** apiHandler for the project routes: also answers a PermissionError with 403. */
export function projectApiHandler(fn: () => Promise<Response> | Response): Promise<Response> {
  return apiHandler(async () => {
    try {
      return await fn();
    } catch (error) {
      throw asApiError(error);
    }
  });
}

/** For the pages: a PermissionError as a 403 page, a DomainError 404 as a 404 page, anything else unchanged. */
export function asPageError(error: unknown): unknown {
  if (error instanceof PermissionError) return new Response(error.message, { status: 403, statusText: "Forbidden" });
  if (error instanceof DomainError && error.status === 404 && !error.fields) {
    return new Response(error.message, { status: 404, statusText: "Not Found" });
  }
  return error;
}
