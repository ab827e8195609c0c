import { z, type ZodTypeAny } from "zod";
import { oreToDecimalString } from "../../billing/money";
import type { StoredFeeSchedule } from "../../db/fees";
import type { PublicUser } from "../../db/users";
import type { MemberListRow } from "~/features/members/queries.server";
import { year } from "./schemas";
import { apiError, methodNotAllowed, readJson, type FieldErrors } from "./http.server";
import { zodFieldErrors } from "../http/errors";

/*
 * What the /api/v1 routes share: strict body parsing with the same zod schemas as the pages, and the JSON
 * shapes of docs/api.md (amounts as two-decimal strings, dates YYYY-MM-DD).
 */

export const UNKNOWN_FIELD = "Okänt fält";

type JsonObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Peels preprocess/refine/optional/nullable/default wrappers off a schema down to what shapes the value. */
function unwrap(schema: ZodTypeAny): ZodTypeAny {
  let s: ZodTypeAny = schema;
  for (let i = 0; i < 50; i++) {
    const def = s._def as { typeName?: string } & Record<string, unknown>;
    switch (def.typeName) {
      case z.ZodFirstPartyTypeKind.ZodEffects:
        s = def.schema as ZodTypeAny;
        break;
      case z.ZodFirstPartyTypeKind.ZodOptional:
      case z.ZodFirstPartyTypeKind.ZodNullable:
      case z.ZodFirstPartyTypeKind.ZodDefault:
      case z.ZodFirstPartyTypeKind.ZodCatch:
      case z.ZodFirstPartyTypeKind.ZodReadonly:
        s = def.innerType as ZodTypeAny;
        break;
      case z.ZodFirstPartyTypeKind.ZodPipeline:
        s = def.in as ZodTypeAny;
        break;
      case z.ZodFirstPartyTypeKind.ZodBranded:
        s = def.type as ZodTypeAny;
        break;
      default:
        return s;
    }
  }
  return s;
}

/**
 * The fields of `value` that `schema` does not know, at any depth, as dotted paths ("foo",
 * "invoiceAddress.country", "brackets.1.colour"). This is `.strict()` for the API without a second copy of
 * the shared schemas (which carry refinements that `.strict()` cannot be chained onto).
 */
export function unknownFields(
  schema: ZodTypeAny,
  value: unknown,
  path: string[] = [],
  // No prototype, so that a "__proto__" key sent by a client is reported like any other unknown field.
  out: FieldErrors = Object.create(null) as FieldErrors,
): FieldErrors {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject && isPlainObject(value)) {
    const shape = s.shape as Record<string, ZodTypeAny>;
    for (const [key, child] of Object.entries(value)) {
      if (Object.prototype.hasOwnProperty.call(shape, key)) unknownFields(shape[key], child, [...path, key], out);
      else out[[...path, key].join(".")] = UNKNOWN_FIELD;
    }
  } else if (s instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((item, i) => unknownFields(s.element as ZodTypeAny, item, [...path, String(i)], out));
  }
  return out;
}

/** Reads the body as a JSON object: 415 not JSON, 400 malformed, 422 when it is JSON but not an object. */
export async function readJsonObject(request: Request): Promise<JsonObject> {
  const body = await readJson(request);
  if (!isPlainObject(body)) {
    throw apiError(422, "validation_failed", "The body must be a JSON object", { _: "Skicka ett JSON-objekt" });
  }
  return body;
}

/** Validates a body with a shared schema; unknown fields and invalid ones answer 422 together, one message each. */
export function validateBody<S extends ZodTypeAny>(body: JsonObject, schema: S): z.infer<S> {
  const unknown = unknownFields(schema, body);
  const parsed = schema.safeParse(body);
  if (!parsed.success || Object.keys(unknown).length > 0) {
    const fields = { ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...unknown };
    throw apiError(422, "validation_failed", "The request has invalid fields", fields);
  }
  return parsed.data;
}

export async function parseApiBody<S extends ZodTypeAny>(request: Request, schema: S): Promise<z.infer<S>> {
  return validateBody(await readJsonObject(request), schema);
}

const YearQuery = z.object({ year: year() });

/** A year from the path or the query string: 2000–2100, else 422 with the field "year". */
export function yearValue(raw: string | null | undefined): number {
  const parsed = YearQuery.safeParse({ year: raw ?? undefined });
  if (!parsed.success) throw apiError(422, "validation_failed", "The year is not valid", zodFieldErrors(parsed.error));
  return parsed.data.year;
}

/** Dispatches an action by method; anything else is 405 with the Allow header. */
export function byMethod(
  request: Request,
  handlers: Partial<Record<"POST" | "PUT" | "PATCH" | "DELETE", () => Promise<Response> | Response>>,
  allowed: string[],
): Promise<Response> | Response {
  const handler = handlers[request.method.toUpperCase() as keyof typeof handlers];
  if (!handler) throw methodNotAllowed(allowed);
  return handler();
}

// JSON shapes ---------------------------------------------------------------------------------------------------

export function scheduleJson(s: StoredFeeSchedule) {
  return {
    id: s.id,
    validFrom: s.validFrom,
    note: s.note,
    brackets: s.brackets.map((b) => ({
      name: b.name,
      label: b.label,
      minPopulation: b.minPopulation,
      entryFee: oreToDecimalString(b.entryFee),
      annualFee: oreToDecimalString(b.annualFee),
    })),
  };
}

/** One member's fees for a year: the bracket and the population figure it came from, or why there is none. */
export function feeRowJson(row: MemberListRow) {
  const f = row.fees;
  return {
    memberId: row.member.id,
    name: row.member.name,
    populationYear: f.ok ? (f.basis?.year ?? null) : null,
    population: f.ok ? (f.basis?.population ?? null) : null,
    populationFallback: f.ok ? (f.basis?.fallback ?? false) : false,
    bracket: f.ok ? (f.bracket?.name ?? null) : null,
    entryFee: f.ok ? oreToDecimalString(f.entryFee) : null,
    annualFee: f.ok ? oreToDecimalString(f.annualFee) : null,
    override: f.ok && f.override ? { note: f.override.note } : null,
    error: f.ok ? null : f.message,
  };
}

export function userJson(u: PublicUser) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, memberId: u.memberId, active: u.active };
}
