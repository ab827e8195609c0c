import { z } from "zod";
import { isIsoDate } from "../../billing/dates";
import { parseMunicipalityCode, parseOrgNumber, parsePostalCode } from "../../billing/identifiers";
import { oreToDecimalString, parseKronor } from "../../billing/money";
import { parsePeppolId } from "../../billing/peppol-id";
import { MEMBER_CONTACT_FIELDS, type MemberContactField } from "../../billing/policy";

/*
 * The zod schemas shared by the pages and /api/v1: one definition of what is valid, messages in Swedish,
 * one message per field. Forms name their inputs with the same dotted paths ("invoiceAddress.street") and
 * are unflattened before parsing, so a field error lands next to its input.
 */

/** "" (an empty form field) means absent. */
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
/** "" means cleared (null), for PATCH and edit forms. */
export const DELIVERY_CHANNELS = ["peppol", "email", "print"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
/**
 * A group of form inputs left blank ({street: "", postalCode: "", city: ""}) means the group is absent. Only a
 * plain object with at least one key counts: an array or {} from the API is left for zod to reject, not taken
 * as "clear the address".
 */
const allBlank = (v: unknown) =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length > 0 &&
  Object.values(v).every((x) => x === "" || x === undefined);
/**
 * Digits in a form field become a number; anything else is left for zod to reject with its message. Thousands
 * may be grouped with a space or a no-break space, as the app itself writes them ("72 136"), but only in
 * groups of three, so "72 13" stays an error rather than becoming 7213.
 */
const GROUPED_DIGITS = /^\s*-?(\d{1,15}|\d{1,3}([ \u00a0\u202f]\d{3}){1,4})\s*$/;
const digitsToNumber = (v: unknown) =>
  typeof v === "string" && GROUPED_DIGITS.test(v) ? Number(v.replace(/[\s\u00a0\u202f]/g, "")) : v;

// The text rule ----------------------------------------------------------------------------------------------
// One rule for every text field (docs/security.md "Text"): what a person can type on a keyboard is accepted
// (any letter, <script>, quotes); what only a tool sends, and what changes how other text around it reads, is
// refused. Each check is a zod regex, so text() stays a ZodString that the other schema files can build on.

/** C0 controls but tab, LF and CR, DEL and the C1 controls: never typed, and NUL truncates in C libraries. */
const CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;
/** A one-line field (a name, an address line) has no tab or line break: it would break the invoice layout. */
const ONE_LINE = /^[^\t\r\n]*$/;
/** In a multi-line field a CR only comes as part of CRLF (what a browser sends for a textarea's line break). */
const LONE_CR = /^(?:[^\r]|\r\n)*$/;
/** Bidirectional embeddings, overrides and isolates: they make "‮fdp.exe" display as "exe.pdf". */
const BIDI = /^[^\u202a-\u202e\u2066-\u2069]*$/;
/** A UTF-16 surrogate without its pair cannot be written as UTF-8: SQLite would store garbage. */
const PAIRED = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/** Adds the text rule to a string schema; `multiline` lets line breaks and tabs through (a description). */
export function textRule(schema: z.ZodString, label: string, opts: { multiline?: boolean } = {}): z.ZodString {
  const s = schema
    .regex(PAIRED, `${label} innehåller ett ogiltigt tecken (ett ensamt surrogattecken)`)
    .regex(CONTROL, `${label} innehåller ett otillåtet styrtecken`)
    .regex(BIDI, `${label} innehåller tecken som vänder textens skrivriktning (U+202A–U+202E, U+2066–U+2069)`);
  return opts.multiline
    ? s.regex(LONE_CR, `${label} innehåller ett otillåtet styrtecken`)
    : s.regex(ONE_LINE, `${label} får inte innehålla radbrytningar eller tabbar`);
}

export const text = (label: string, max = 200, opts: { multiline?: boolean } = {}) =>
  textRule(
    z
      .string({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara text` })
      .trim()
      .min(1, `${label} måste anges`)
      .max(max, `${label} får vara högst ${max} tecken`),
    label,
    opts,
  );

export const optionalText = (label: string, max = 200, opts: { multiline?: boolean } = {}) =>
  z.preprocess(emptyToUndefined, text(label, max, opts).optional());

export const nullableText = (label: string, max = 200, opts: { multiline?: boolean } = {}) =>
  z.preprocess(emptyToNull, text(label, max, opts).nullable().optional());

export const integer = (label: string, opts: { min?: number; max?: number } = {}) => {
  let s = z
    .number({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara ett heltal` })
    .int(`${label} ska vara ett heltal`);
  if (opts.min !== undefined) s = s.min(opts.min, `${label} ska vara minst ${opts.min}`);
  if (opts.max !== undefined) s = s.max(opts.max, `${label} får vara högst ${opts.max}`);
  return z.preprocess(digitsToNumber, s);
};

export const year = (label = "Året") => integer(label, { min: 2000, max: 2100 });
/** The largest population a member can have, in the forms, the API and the population import alike. */
export const MAX_POPULATION = 20_000_000;
export const population = (label = "Invånarantalet") => integer(label, { min: 0, max: MAX_POPULATION });

export const isoDate = (label: string) =>
  z
    .string({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara ett datum` })
    .trim()
    .refine((s) => isIsoDate(s), `${label} ska vara ett datum ÅÅÅÅ-MM-DD`)
    .refine((s) => s >= "1990-01-01" && s <= "2100-12-31", `${label} ska ligga mellan 1990 och 2100`);

/**
 * An amount in kronor as a string ("16000", "16000.50"); becomes integer öre. A JSON number is refused
 * (docs/security.md "Money"): a float cannot hold every amount in öre, so the message shows the string to send.
 */
export const amount = (label: string, opts: { min?: number; allowZero?: boolean } = {}) =>
  z
    .union([z.string(), z.number()], {
      required_error: `${label} måste anges`,
      invalid_type_error: `${label} ska vara ett belopp i kronor`,
    })
    .transform((v, ctx) => {
      if (typeof v === "number") {
        const ore = Number.isFinite(v) ? parseKronor(String(v)) : null;
        const example = ore !== null && ore >= 0 ? oreToDecimalString(ore) : "12.50";
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${label} ska anges som text med två decimaler, t.ex. "${example}", inte som ett tal`,
        });
        return z.NEVER;
      }
      const textValue = v.replace(/\s/g, "").replace(",", ".");
      const ore = Number.isFinite(Number(textValue)) ? parseKronor(textValue) : null;
      if (ore === null) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${label} ska vara ett belopp i kronor med högst två decimaler`,
        });
        return z.NEVER;
      }
      if (ore < (opts.min ?? 0) || (!(opts.allowZero ?? true) && ore === 0)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${label} får inte vara negativt${opts.allowZero === false ? " eller noll" : ""}`,
        });
        return z.NEVER;
      }
      if (ore > 100_000_000_000) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} är orimligt stort` });
        return z.NEVER;
      }
      return ore;
    });

/** A zod string schema from one of billing/identifiers.ts's parsers: its message, its normalised value. */
export function fromParser(
  label: string,
  parse: (s: string) => { ok: true; value: string } | { ok: false; message: string },
) {
  return z
    .string({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara text` })
    .transform((s, ctx) => {
      const r = parse(s);
      if (!r.ok) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.message });
        return z.NEVER;
      }
      return r.value;
    });
}

export const municipalityCode = fromParser("Kommunkoden", parseMunicipalityCode);
export const orgNumber = fromParser("Organisationsnumret", parseOrgNumber);
export const postalCode = fromParser("Postnumret", parsePostalCode);
export const email = (label = "E-postadressen") =>
  z
    .string({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara text` })
    .trim()
    .toLowerCase()
    .max(254, `${label} är för lång`)
    .email(`${label} ser inte ut som en e-postadress`);

// Members ---------------------------------------------------------------------------------------------------

export const AddressSchema = z.object(
  {
    street: text("Gatuadressen", 200),
    postalCode,
    city: text("Orten", 100),
  },
  { invalid_type_error: "Fakturaadressen ska vara ett objekt med gata, postnummer och ort" },
);

const PopulationEntrySchema = z.object(
  { year: year("Året för invånarantalet"), population: population() },
  { invalid_type_error: "Invånarantalet ska anges som {year, population}" },
);

const memberFields = {
  kind: z.enum(["municipality", "organisation"], {
    errorMap: () => ({ message: "Välj kommun eller organisation" }),
  }),
  name: text("Namnet", 200),
  municipalityCode: z.preprocess(emptyToNull, municipalityCode.nullable().optional()),
  orgNumber,
  joinedOn: isoDate("Inträdesdatumet"),
  resignedOn: z.preprocess(emptyToNull, isoDate("Utträdesdatumet").nullable().optional()),
  invoiceAddress: z.preprocess((v) => (allBlank(v) ? null : v), AddressSchema.nullable().optional()),
  invoiceEmail: z.preprocess(emptyToNull, email("E-postadressen för fakturor").nullable().optional()),
  reference: nullableText("Er referens", 100),
  contactName: nullableText("Kontaktpersonen", 100),
  // E-invoicing (docs/e-invoice.md): null means the default ("0007:" + orgNumber; peppol for municipalities).
  peppolId: z.preprocess(emptyToNull, fromParser("Peppol-id", parsePeppolId).nullable().optional()),
  deliveryChannel: z.preprocess(
    emptyToNull,
    z
      .enum(DELIVERY_CHANNELS, { errorMap: () => ({ message: "Leveranssättet ska vara peppol, email eller print" }) })
      .nullable()
      .optional(),
  ),
  contactEmail: z.preprocess(emptyToNull, email("Kontaktpersonens e-post").nullable().optional()),
  contactPhone: z.preprocess(
    emptyToNull,
    z
      .string({ invalid_type_error: "Telefonnumret ska vara text" })
      .trim()
      .regex(/^\+?[\d\s-]{5,20}$/, "Telefonnumret får bara innehålla siffror, blanksteg, - och +")
      .nullable()
      .optional(),
  ),
};

function memberRules<T extends z.ZodTypeAny>(schema: T) {
  return schema.superRefine((m: Record<string, unknown>, ctx) => {
    if (m.kind === "municipality" && !m.municipalityCode) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["municipalityCode"],
        message: "En kommun måste ha en kommunkod",
      });
    }
    if (m.kind === "organisation" && m.municipalityCode) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["municipalityCode"],
        message: "Bara kommuner har kommunkod; lämna fältet tomt för en organisation",
      });
    }
    if (m.kind === "municipality" && typeof m.orgNumber === "string" && !m.orgNumber.startsWith("2120")) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["orgNumber"],
        message: "En kommuns organisationsnummer börjar med 2120",
      });
    }
    if (m.deliveryChannel === "peppol" && (typeof m.reference !== "string" || m.reference.trim() === "")) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["reference"],
        message:
          "Er referens krävs för e-faktura via Peppol: kommunens fakturasystem skickar fakturan till rätt mottagare med den",
      });
    }
    if (typeof m.resignedOn === "string" && typeof m.joinedOn === "string" && m.resignedOn < m.joinedOn) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["resignedOn"],
        message: "Utträdet kan inte ligga före inträdet",
      });
    }
  });
}

export const MemberCreateSchema = memberRules(
  z.object({
    ...memberFields,
    population: z.preprocess((v) => (allBlank(v) ? undefined : v), PopulationEntrySchema.optional()),
  }),
);
export type MemberCreateInput = z.infer<typeof MemberCreateSchema>;

/** Every writable field, all optional (PATCH); cross-field rules are checked on the merged result. */
export const MemberPatchSchema = z.object(memberFields).partial();
export type MemberPatchInput = z.infer<typeof MemberPatchSchema>;
export const MemberMergedSchema = memberRules(z.object(memberFields));

/** What a member's own contact person may change: the fields the policy names (billing/policy.ts). */
export const MemberSelfPatchSchema = MemberPatchSchema.pick(
  Object.fromEntries(MEMBER_CONTACT_FIELDS.map((field) => [field, true])) as Record<MemberContactField, true>,
);

export const PopulationSchema = z.object({ population: population() });
export const PopulationFormSchema = z.object({ year: year(), population: population() });

// Fee schedules and overrides ----------------------------------------------------------------------------------

export const BracketSchema = z.object({
  name: z
    .string({ required_error: "Namnet måste anges", invalid_type_error: "Namnet ska vara text" })
    .trim()
    .min(1, "Namnet måste anges")
    .max(40, "Namnet får vara högst 40 tecken")
    .regex(/^[a-z0-9_-]+$/i, "Namnet får bara innehålla a–z, 0–9, - och _"),
  label: optionalText("Beskrivningen", 100),
  minPopulation: population("Lägsta invånarantal"),
  entryFee: amount("Medlemsinsatsen"),
  annualFee: amount("Årsavgiften"),
});

export const FeeScheduleSchema = z.object({
  validFrom: year("Giltig från"),
  note: optionalText("Anteckningen", 500),
  brackets: z
    .array(BracketSchema, {
      required_error: "Intervallen måste anges",
      invalid_type_error: "Intervallen ska vara en lista",
    })
    .min(1, "Avgiftsmodellen måste ha minst ett intervall")
    .max(20, "Högst 20 intervall"),
});
export type FeeScheduleInput = z.infer<typeof FeeScheduleSchema>;

export const FeeOverrideSchema = z
  .object({
    validFrom: year("Från år"),
    validTo: z.preprocess(emptyToNull, year("Till år").nullable().optional()),
    entryFee: z.preprocess(emptyToNull, amount("Medlemsinsatsen").nullable().optional()),
    annualFee: z.preprocess(emptyToNull, amount("Årsavgiften").nullable().optional()),
    note: text("Styrelsebeslutet", 500),
  })
  .superRefine((o, ctx) => {
    if (o.entryFee == null && o.annualFee == null) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["annualFee"],
        message: "Ange minst en avgift som ersätter den ordinarie",
      });
    }
    if (o.validTo != null && o.validTo < o.validFrom) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["validTo"], message: "Till år kan inte ligga före från år" });
    }
  });

// Users --------------------------------------------------------------------------------------------------------

export const RoleSchema = z.enum(["admin", "treasurer", "member"], {
  errorMap: () => ({ message: "Rollen ska vara admin, treasurer eller member" }),
});

// A password may hold any character a keyboard gives (spaces, tabs, any script): only what the text rule refuses
// for every field (controls, bidi overrides, lone surrogates) is refused, at login as when it is chosen.
export const password = textRule(
  z
    .string({ required_error: "Lösenordet måste anges", invalid_type_error: "Lösenordet ska vara text" })
    .min(10, "Lösenordet ska vara minst 10 tecken")
    .max(200, "Lösenordet får vara högst 200 tecken"),
  "Lösenordet",
  { multiline: true },
);

export const UserCreateSchema = z
  .object({
    email: email(),
    name: text("Namnet", 100),
    password,
    role: RoleSchema,
    memberCode: z.preprocess(emptyToUndefined, municipalityCode.optional()),
    memberId: z.preprocess(emptyToUndefined, integer("Medlemmen", { min: 1 }).optional()),
  })
  .superRefine((u, ctx) => {
    if (u.role === "member" && u.memberId === undefined && u.memberCode === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["memberId"],
        message: "En medlemsanvändare måste höra till en medlem",
      });
    }
    if (u.role !== "member" && (u.memberId !== undefined || u.memberCode !== undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["memberId"],
        message: "Bara medlemsanvändare hör till en medlem",
      });
    }
  });
export type UserCreateInput = z.infer<typeof UserCreateSchema>;

export const UserUpdateSchema = z.object({
  role: RoleSchema.optional(),
  memberId: z.preprocess(emptyToNull, integer("Medlemmen", { min: 1 }).nullable().optional()),
  active: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().optional()),
  name: optionalText("Namnet", 100),
});

export const LoginSchema = z.object({
  email: textRule(
    z
      .string({ required_error: "E-postadressen måste anges", invalid_type_error: "E-postadressen ska vara text" })
      .trim()
      .min(1, "E-postadressen måste anges")
      .max(254, "E-postadressen är för lång"),
    "E-postadressen",
  ),
  password: textRule(
    z
      .string({ required_error: "Lösenordet måste anges", invalid_type_error: "Lösenordet ska vara text" })
      .min(1, "Lösenordet måste anges")
      .max(200, "Lösenordet är för långt"),
    "Lösenordet",
    { multiline: true },
  ),
});

/** The highest list index a form may name ("brackets.99.name"): forms have a handful of rows, never more. */
export const MAX_FORM_INDEX = 999;

/**
 * A form whose field names cannot make one object: "a" and "a.b" both (a value and a group), "a.0" and "a.x"
 * (a list and a group), or a list index past MAX_FORM_INDEX. No page sends these; they are refused per field.
 */
export class FormShapeError extends Error {
  constructor(readonly field: string) {
    super(`The form field ${field} conflicts with another field's name`);
  }
}

/**
 * {"a.b": "x", "c.0.d": "y"} → {a: {b: "x"}, c: [{d: "y"}]}; for forms whose inputs carry dotted names. Throws
 * FormShapeError when the names do not fit together (see there).
 */
export function unflatten(values: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const isGroup = (v: unknown) => typeof v === "object" && v !== null;
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split(".");
    if (parts.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
      if (Array.isArray(node) && (!/^\d+$/.test(part) || Number(part) > MAX_FORM_INDEX)) throw new FormShapeError(key);
      const container = node as Record<string, unknown>;
      const existing = container[part];
      if (last) {
        if (isGroup(existing)) throw new FormShapeError(key);
        container[part] = value;
      } else {
        if (existing === undefined) container[part] = nextIsIndex ? [] : {};
        else if (!isGroup(existing) || Array.isArray(existing) !== nextIsIndex) throw new FormShapeError(key);
        node = container[part] as Record<string, unknown>;
      }
    });
  }
  return root;
}

/** A form's values unflattened, or the field message for a FormShapeError (the caller answers 422). */
export function unflattenForm(
  values: Record<string, string>,
): { ok: true; value: Record<string, unknown> } | { ok: false; fieldErrors: Record<string, string> } {
  try {
    return { ok: true, value: unflatten(values) };
  } catch (error) {
    if (!(error instanceof FormShapeError)) throw error;
    return {
      ok: false,
      fieldErrors: { [error.field]: "Formulärets fältnamn krockar med varandra; ladda om sidan och försök igen" },
    };
  }
}
