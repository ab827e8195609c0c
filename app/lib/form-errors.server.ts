import { DomainError } from "../../billing/errors";
import { formErrorsOf as messagesOf, statusOf } from "../http/errors";

/*
 * The one adapter from a use case's error to a form's messages (docs/ui.md#forms). Every page action sends what a
 * use case throws through here; the error type is the core's one DomainError (billing/errors.ts) and its mapping
 * to the web is app/http/errors.ts, so the routes and the form helpers keep calling the same three functions.
 */

/**
 * Is this an error the form shows (a validation, conflict or not-found with its message), or one to rethrow? A
 * refusal by the policy (`forbidden`) is no form problem: it is the 403 page (pageErrorOf in http.server.ts).
 */
export function isFormError(error: unknown): boolean {
  return error instanceof DomainError && error.kind !== "forbidden";
}

/**
 * The messages of a use case's error: per field when it names fields, else one message for the whole form.
 * Field names are the API's dotted paths ("brackets.0.minPopulation"); the form helpers turn them into input names.
 */
export function formErrorsOf(error: unknown): { formErrors: string[]; fieldErrors: Record<string, string[]> } {
  if (!(error instanceof DomainError)) return { formErrors: [], fieldErrors: {} };
  return messagesOf(error);
}

/** The page's status for the error: what the API answers for it (404, 409, 422). */
export function formStatusOf(error: unknown): number {
  return error instanceof DomainError ? statusOf(error) : 500;
}
