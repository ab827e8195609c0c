import { z } from "zod";
import { isIsoDate } from "../../billing/dates";
import { parseMunicipalityCode, parseOrgNumber, parsePostalCode } from "../../billing/identifiers";
import { parseKronor } from "../../billing/money";
import { parsePeppolId } from "../../billing/peppol-id";

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
const digitsToNumber = (v: unknown) => (typeof v === "string" && GROUPED_DIGITS.test(v) ? Number(v.replace(/[\s\u00a0\u202f]/g, "")) : v);

export const text = (label: string, max = 200) =>
  z
    .string({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara text` })
    .trim()
    .min(1, `${label} måste anges`)
    .max(max, `${label} får vara högst ${max} tecken`);

export const optionalText = (label: string, max = 200) =>
  z.preprocess(emptyToUndefined, text(label, max).optional());

export const nullableText = (label: string, max = 200) =>
  z.preprocess(emptyToNull, text(label, max).nullable().optional());

export const integer = (label: string, opts: { min?: number; max?: number } = {}) => {
  let s = z.number({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara ett heltal` }).int(
    `${label} ska vara ett heltal`,
  );
  if (opts.min !== undefined) s = s.min(opts.min, `${label} ska vara minst ${opts.min}`);
  if (opts.max !== undefined) s = s.max(opts.max, `${label} får vara högst ${opts.max}`);
  return z.preprocess(digitsToNumber, s);
};

export const year = (label = "Året") => integer(label, { min: 2000, max: 2100 });
export const population = (label = "Invånarantalet") => integer(label, { min: 0, max: 20_000_000 });

export const isoDate = (label: string) =>
  z
    .string({ required_error: `${label} måste anges`, invalid_type_error: `${label} ska vara ett datum` })
    .trim()
    .refine((s) => isIsoDate(s), `${label} ska vara ett datum ÅÅÅÅ-MM-DD`)
    .refine((s) => s >= "1990-01-01" && s <= "2100-12-31", `${label} ska ligga mellan 1990 och 2100`);

/** An amount in kronor, as a string ("16000", "16000.50") or a JSON number; becomes integer öre. */
export const amount = (label: string, opts: { min?: number; allowZero?: boolean } = {}) =>
  z
    .union([z.string(), z.number()], {
      required_error: `${label} måste anges`,
      invalid_type_error: `${label} ska vara ett belopp i kronor`,
    })
    .transform((v, ctx) => {
      const textValue = typeof v === "number" ? String(v) : v.replace(/\s/g, "").replace(",", ".");
      const ore = Number.isFinite(Number(textValue)) ? parseKronor(textValue) : null;
      if (ore === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} ska vara ett belopp i kronor med högst två decimaler` });
        return z.NEVER;
      }
      if (ore < (opts.min ?? 0) || (!(opts.allowZero ?? true) && ore === 0)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} får inte vara negativt${opts.allowZero === false ? " eller noll" : ""}` });
        return z.NEVER;
      }
      if (ore > 100_000_000_000) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${label} är orimligt stort` });
        return z.NEVER;
      }
      return ore;
    });

/** A zod string schema from one of billing/identifiers.ts's parsers: its message, its normalised value. */
export function fromParser(label: string, parse: (s: string) => { ok: true; value: string } | { ok: false; message: string }) {
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
    z.enum(DELIVERY_CHANNELS, { errorMap: () => ({ message: "Leveranssättet ska vara peppol, email eller print" }) }).nullable().optional(),
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
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["municipalityCode"], message: "En kommun måste ha en kommunkod" });
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
        message: "Er referens krävs för e-faktura via Peppol: kommunens fakturasystem skickar fakturan till rätt mottagare med den",
      });
    }
    if (typeof m.resignedOn === "string" && typeof m.joinedOn === "string" && m.resignedOn < m.joinedOn) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["resignedOn"], message: "Utträdet kan inte ligga före inträdet" });
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

/** What a member's own contact person may change. */
export const MemberSelfPatchSchema = MemberPatchSchema.pick({
  invoiceAddress: true,
  invoiceEmail: true,
  reference: true,
  contactName: true,
  contactEmail: true,
  contactPhone: true,
});

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
    .array(BracketSchema, { required_error: "Intervallen måste anges", invalid_type_error: "Intervallen ska vara en lista" })
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
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["annualFee"], message: "Ange minst en avgift som ersätter den ordinarie" });
    }
    if (o.validTo != null && o.validTo < o.validFrom) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["validTo"], message: "Till år kan inte ligga före från år" });
    }
  });

// Users --------------------------------------------------------------------------------------------------------

export const RoleSchema = z.enum(["admin", "treasurer", "member"], {
  errorMap: () => ({ message: "Rollen ska vara admin, treasurer eller member" }),
});

export const password = z
  .string({ required_error: "Lösenordet måste anges", invalid_type_error: "Lösenordet ska vara text" })
  .min(10, "Lösenordet ska vara minst 10 tecken")
  .max(200, "Lösenordet får vara högst 200 tecken");

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
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["memberId"], message: "En medlemsanvändare måste höra till en medlem" });
    }
    if (u.role !== "member" && (u.memberId !== undefined || u.memberCode !== undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["memberId"], message: "Bara medlemsanvändare hör till en medlem" });
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
  email: z.string({ required_error: "E-postadressen måste anges", invalid_type_error: "E-postadressen ska vara text" }).trim().min(1, "E-postadressen måste anges").max(254, "E-postadressen är för lång"),
  password: z.string({ required_error: "Lösenordet måste anges", invalid_type_error: "Lösenordet ska vara text" }).min(1, "Lösenordet måste anges").max(200, "Lösenordet är för långt"),
});

/** {"a.b": "x", "c.0.d": "y"} → {a: {b: "x"}, c: [{d: "y"}]}; for forms whose inputs carry dotted names. */
export function unflatten(values: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split(".");
    if (parts.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(parts[i + 1]);
      const container = node as Record<string, unknown>;
      if (last) container[part] = value;
      else {
        container[part] ??= nextIsIndex ? [] : {};
        node = container[part] as Record<string, unknown>;
      }
    });
  }
  return root;
}
