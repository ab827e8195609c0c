import type { ZodError } from "zod";
import { DomainError, type DomainErrorKind, type FieldErrors } from "../../billing/errors";

/*
 * The one mapping of a DomainError (billing/errors.ts) to the web: its HTTP status, the API's JSON shape
 * (docs/api.md#errors) and a form reply (docs/ui.md). No Remix here, so the command line can use it too.
 */

export type { FieldErrors };

/** The status of each kind of refusal. */
export const STATUS_OF_KIND = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  validation: 422,
} as const satisfies Record<DomainErrorKind, number>;

export type DomainStatus = (typeof STATUS_OF_KIND)[DomainErrorKind];

export function statusOf(error: DomainError): DomainStatus {
  return STATUS_OF_KIND[error.kind];
}

/** The API's error shape: `{"error": {code, message, …detail, fields?}}`. */
export function errorBody(
  code: string,
  message: string,
  fields?: FieldErrors,
  detail?: Readonly<Record<string, string | number>>,
) {
  return { error: { code, message, ...detail, ...(fields ? { fields } : {}) } };
}

/**
 * A DomainError as a form reply, in the shape conform's `submission.reply({ formErrors, fieldErrors })` takes:
 * the messages per field, and the message that is about the form as a whole (`_`, or the error's own message
 * when it names no field).
 */
export function formErrorsOf(error: DomainError): { formErrors: string[]; fieldErrors: Record<string, string[]> } {
  const fields = error.fields ?? {};
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const [field, message] of Object.entries(fields)) {
    if (field === "_") formErrors.push(message);
    else fieldErrors[field] = [message];
  }
  if (Object.keys(fields).length === 0) formErrors.push(error.message);
  return { formErrors, fieldErrors };
}

/**
 * The pages' field messages of today (one message per field, the form's under `_`): the error's fields, or its
 * message under `_` when it names none.
 */
export function pageFieldErrorsOf(error: DomainError): FieldErrors {
  return error.fields && Object.keys(error.fields).length > 0 ? error.fields : { _: error.message };
}

/** zod's issues as one message per dotted path (the first one of each field; `_` for the value as a whole). */
export function zodFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    fields[key] ??= issue.message;
  }
  return fields;
}
