import { DomainError } from "./http.server";

/*
 * The one adapter from a use case's error to a form's messages (docs/ui.md#forms). Every page action sends what a
 * use case throws through here, so when the error type changes (issue 8: one error type in the core, with kinds),
 * this file is the only one that changes: the routes and the form helpers keep calling the same three functions.
 */

/** Is this an error the form shows (a validation, conflict or not-found with its message), or one to rethrow? */
export function isFormError(error: unknown): boolean {
  return error instanceof DomainError;
}

/**
 * The messages of a use case's error: per field when it names fields, else one message for the whole form.
 * Field names are the API's dotted paths ("brackets.0.minPopulation"); the form helpers turn them into input names.
 */
export function formErrorsOf(error: unknown): { formErrors: string[]; fieldErrors: Record<string, string[]> } {
  if (!(error instanceof DomainError)) return { formErrors: [], fieldErrors: {} };
  const fields = error.fields ?? {};
  if (Object.keys(fields).length === 0) return { formErrors: [error.message], fieldErrors: {} };
  return {
    formErrors: [],
    fieldErrors: Object.fromEntries(Object.entries(fields).map(([name, message]) => [name, [message]])),
  };
}

/** The page's status for the error: what the API answers for it (404, 409, 422). */
export function formStatusOf(error: unknown): number {
  return error instanceof DomainError ? error.status : 500;
}
