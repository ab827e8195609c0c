import { json } from "@remix-run/node";
import type { z, ZodTypeAny } from "zod";
import { DomainError, type FieldErrors } from "../../billing/errors";
import { errorBody, statusOf, zodFieldErrors } from "../http/errors";
import { dottedPath } from "./forms";
import { unflattenForm } from "./schemas";

/*
 * The API's error format (docs/api.md#errors): {"error": {"code", "message", "fields"?}}. 400 malformed JSON,
 * 415 not JSON, 422 validation with a message per field, 403, 404, 409 conflicts. Use cases throw DomainError
 * (billing/errors.ts); app/http/errors.ts maps its kind to a status once, and the routes turn it into this shape
 * (API) or into field messages next to the inputs (pages, app/lib/form-errors.server.ts).
 */
export type { FieldErrors };

export function apiError(status: number, code: string, message: string, fields?: FieldErrors): Response {
  return json(errorBody(code, message, fields), { status });
}

/** A DomainError as the API's answer: the status of its kind, its code, message, detail and fields. */
export function domainApiError(error: DomainError): Response {
  return json(errorBody(error.code, error.message, error.fields, error.detail), { status: statusOf(error) });
}

/** Reads a JSON body: 415 when it is not declared as JSON, 400 when it does not parse, 413 when too large. */
export async function readJson(request: Request, maxBytes = 1_000_000): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw apiError(415, "unsupported_media_type", "Send the body as application/json");
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw apiError(413, "payload_too_large", "The body is too large");
  try {
    return JSON.parse(text);
  } catch {
    throw apiError(400, "malformed_json", "The body is not valid JSON");
  }
}

/** Parses a JSON body with a zod schema, throwing the API's 4xx answers. */
export async function parseJsonBody<S extends ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  const body = await readJson(request);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw apiError(422, "validation_failed", "The request has invalid fields", zodFieldErrors(parsed.error));
  }
  return parsed.data;
}

/** Runs an API handler, turning a DomainError into the error format; other thrown Responses pass through. */
export async function apiHandler(fn: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof DomainError) return domainApiError(error);
    console.error(error);
    return apiError(500, "internal_error", "Something went wrong on the server");
  }
}

export function methodNotAllowed(allowed: string[]): Response {
  return json(
    { error: { code: "method_not_allowed", message: `Use ${allowed.join(" or ")}` } },
    { status: 405, headers: { Allow: allowed.join(", ") } },
  );
}

/** Parses a positive integer route parameter; 404 for anything else (an id that cannot exist). */
export function idParam(value: string | undefined, api: boolean): number {
  if (value && /^[1-9]\d{0,15}$/.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  throw api ? apiError(404, "not_found", "Not found") : new Response("Hittades inte.", { status: 404 });
}

// Forms ------------------------------------------------------------------------------------------------------
// Reading a page's form is here (readForm); parsing it and answering a failure is conform's, in forms.server.ts.

/** Form fields as plain strings; a repeated name keeps its last value. Files are ignored. */
export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string") values[key] = value;
  }
  return values;
}

/**
 * request.formData(), answering 400 instead of throwing on a body that is not a form, or on one whose field names
 * cannot make one object ("a" and "a.b"): every page action reads its form here, so no action sees such a form,
 * whether it unflattens the names or not.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("Formuläret kunde inte läsas.", { status: 400 });
  }
  assertFormShape(form);
  return form;
}

/**
 * 400 for a form whose field names cannot make one object: "a" and "a.b", or a list index past MAX_FORM_INDEX,
 * in the dotted spelling or conform's ("a[0].b" is read as "a.0.b"), so that conform never builds a huge list.
 */
export function assertFormShape(form: FormData): void {
  const dotted: Record<string, string> = {};
  for (const [key, value] of Object.entries(formValues(form))) dotted[dottedPath(key)] = value;
  for (const key of form.keys()) dotted[dottedPath(key)] ??= "";
  if (!unflattenForm(dotted).ok) {
    throw new Response("Formulärets fältnamn krockar med varandra. Ladda om sidan och försök igen.", { status: 400 });
  }
}

/**
 * A DomainError that is no form problem, as the page answer: 403 for a refusal (the caller's role or the state of
 * the thing), 404 for something that does not exist (and names no field). Anything else is returned unchanged.
 */
export function pageErrorOf(error: unknown): unknown {
  if (error instanceof DomainError && error.kind === "forbidden") {
    return new Response(error.message, { status: 403, statusText: "Forbidden" });
  }
  if (error instanceof DomainError && error.kind === "not_found" && !error.fields) {
    return new Response(error.message, { status: 404, statusText: "Not Found" });
  }
  return error;
}
