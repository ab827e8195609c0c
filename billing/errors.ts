/*
 * The one error type of the domain (docs/api.md#errors, ADR "policy: one policy, one error type"). A use case
 * that refuses something throws a DomainError with a kind; it knows nothing of HTTP. The web maps the kind to a
 * status once (app/http/errors.ts), the CLI to an exit code, the pages to form messages.
 *
 * - `not_found`: the thing does not exist, or the caller may not know that it does (another member's private
 *   resource, docs/roles.md#visibility).
 * - `forbidden`: the caller's role, or the state of the thing, does not allow it (docs/roles.md).
 * - `conflict`: the request is fine but the data is in a state that refuses it (a duplicate, an issued invoice).
 * - `validation`: the input breaks a rule, with a message per field where it is about fields.
 */

export const DOMAIN_ERROR_KINDS = ["not_found", "forbidden", "conflict", "validation"] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

/**
 * One message per field, keyed by the field's dotted path (`invoiceAddress.postalCode`, `brackets.1.minPopulation`);
 * a message that is not about one field is under `_`.
 */
export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** The machine code of the API's error shape (`duplicate`, `not_draft`, `validation_failed`, …). */
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    /** Facts beside the message that the API shows too (`line`: the line of an uploaded file that does not read). */
    readonly detail?: Readonly<Record<string, string | number>>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
