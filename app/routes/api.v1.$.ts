import { apiError, apiHandler } from "~/lib/http.server";

/** Any other path under /api/v1: a JSON 404, never the HTML page. */
const notFound = () => apiHandler(() => apiError(404, "not_found", "No such API endpoint"));
export const loader = notFound;
export const action = notFound;
