import { z } from "zod";
import { isValidBasePercent, isValidWeight } from "../../billing/allocation";
import { ALLOCATION_KEYS, PROJECT_STATUSES } from "../../billing/enums";
import { amount, integer, isoDate, optionalText, orList, text, textRule, year } from "./schemas";

/*
 * The zod schemas of projects, budgets and participants (docs/allocation.md, docs/api.md#projects), shared by the pages and /api/v1.
 * Messages in Swedish, one per field. The API adds the unknown-field check of api-json.server.ts on top.
 */

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/** "P-001": 1–20 characters A–Z, 0–9 and -, typed in any case. */
export const projectCode = z
  .string({ required_error: "Projektkoden måste anges", invalid_type_error: "Projektkoden ska vara text" })
  .trim()
  .toUpperCase()
  .min(1, "Projektkoden måste anges")
  .max(20, "Projektkoden får vara högst 20 tecken")
  .regex(/^[A-Z0-9-]+$/, "Projektkoden får bara innehålla A–Z, 0–9 och -, t.ex. P-001");

export const projectStatus = z.enum(PROJECT_STATUSES, {
  errorMap: () => ({ message: "Status ska vara planerat, öppet eller avslutat (planned, open, closed)" }),
});

export const allocationKey = z.enum(ALLOCATION_KEYS, {
  errorMap: () => ({
    message: `Fördelningsnyckeln ska vara ${orList(ALLOCATION_KEYS)}`,
  }),
});

/**
 * A non-negative decimal as a canonical string: "050,50" → "50.5", 33.5 → "33.5". JSON numbers are taken
 * through their shortest decimal form (what the sender wrote), never through arithmetic. `check` adds the
 * rule of the field and returns its message when the value breaks it.
 */
function decimalText(label: string, maxDecimals: number, check: (canonical: string) => string | null) {
  return z
    .union([z.string(), z.number()], {
      required_error: `${label} måste anges`,
      invalid_type_error: `${label} ska vara ett tal`,
    })
    .transform((v, ctx) => {
      const raw = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : v.trim().replace(",", ".");
      const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(raw);
      if (!m || (m[2] ?? "").length > maxDecimals) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${label} ska vara ett tal med högst ${maxDecimals} decimaler, t.ex. 50 eller 33,5`,
        });
        return z.NEVER;
      }
      const whole = m[1].replace(/^0+(?=\d)/, "");
      const fraction = (m[2] ?? "").replace(/0+$/, "");
      const canonical = fraction ? `${whole}.${fraction}` : whole;
      const problem = check(canonical);
      if (problem) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        return z.NEVER;
      }
      return canonical;
    });
}

/** A participant's weight under the fixed key: a decimal greater than 0 (e.g. agreed percentages). */
export const weight = decimalText("Andelen (vikten)", 6, (w) =>
  !isValidWeight(w)
    ? "Andelen (vikten) ska vara större än 0"
    : w.split(".")[0].length > 9
      ? "Andelen (vikten) är orimligt stor"
      : null,
);

/** The equal part of base_plus_per_capita, in per cent: 0–100. */
export const basePercent = decimalText("Grundandelen", 4, (p) =>
  isValidBasePercent(p) ? null : "Grundandelen ska vara ett procenttal från 0 till 100",
);

const description = z.preprocess(
  (v) => (v === null ? "" : v),
  textRule(
    z
      .string({ invalid_type_error: "Beskrivningen ska vara text" })
      .trim()
      .max(5000, "Beskrivningen får vara högst 5000 tecken"),
    "Beskrivningen",
    { multiline: true },
  ).optional(),
);

const projectFields = {
  code: projectCode,
  name: text("Namnet", 200),
  description,
  status: z.preprocess(emptyToUndefined, projectStatus.optional()),
  allocationKey,
  basePercent: z.preprocess(emptyToNull, basePercent.nullable().optional()),
};

type ProjectShape = { allocationKey?: string; basePercent?: string | null };

/** basePercent belongs to base_plus_per_capita and only there. */
function projectRules(p: ProjectShape, ctx: z.RefinementCtx): void {
  if (p.allocationKey === "base_plus_per_capita" && (p.basePercent === null || p.basePercent === undefined)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["basePercent"],
      message: "Ange grundandelen i procent (0–100) för nyckeln grundbelopp + per invånare",
    });
  }
  if (p.allocationKey !== undefined && p.allocationKey !== "base_plus_per_capita" && p.basePercent != null) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["basePercent"],
      message: "Grundandelen anges bara för nyckeln grundbelopp + per invånare",
    });
  }
}

export const ProjectCreateSchema = z.object(projectFields).superRefine(projectRules);
export type ProjectCreateInput = z.infer<typeof ProjectCreateSchema>;

/** Every writable field, all optional (PATCH); the rules are checked on the merged project by the use case. */
export const ProjectPatchSchema = z.object(projectFields).partial();
export type ProjectPatchInput = z.infer<typeof ProjectPatchSchema>;
export const ProjectMergedSchema = z.object(projectFields).superRefine(projectRules);

/**
 * A form names basePercent whatever key is chosen; a percent left in the field after switching to another key
 * is dropped rather than refused, since the form hides nothing and the key is what the user chose.
 */
export function dropUnusedBasePercent(values: Record<string, string>): Record<string, string> {
  if (values.allocationKey !== "base_plus_per_capita") return { ...values, basePercent: "" };
  return values;
}

// Budgets -------------------------------------------------------------------------------------------------------

export const BudgetSchema = z.object({
  amount: amount("Budgeten"),
  note: optionalText("Anteckningen", 500),
});
export type BudgetInput = z.infer<typeof BudgetSchema>;
export const BudgetFormSchema = BudgetSchema.extend({ year: year("Budgetåret") });

// Participants -----------------------------------------------------------------------------------------------------

export const ParticipantCreateSchema = z.object({
  memberId: integer("Medlemmen", { min: 1 }),
  joinedOn: isoDate("Startdatumet"),
  weight: z.preprocess(emptyToNull, weight.nullable().optional()),
});
export type ParticipantCreateInput = z.infer<typeof ParticipantCreateSchema>;

/** The most members one request adds at once: every member of the association fits (290 municipalities and more). */
export const MAX_PARTICIPANTS_AT_ONCE = 1000;

/**
 * Several members at once, from one start date (board only): the board's checkbox list and
 * `POST /projects/{id}/participants {memberIds: [...], joinedOn, weight?}` (docs/api.md#projects).
 */
export const ParticipantsCreateSchema = z.object({
  memberIds: z
    .array(integer("Medlemmen", { min: 1 }), {
      required_error: "Välj minst en medlem",
      invalid_type_error: "Medlemmarna ska vara en lista med medlems-id",
    })
    .min(1, "Välj minst en medlem")
    .max(MAX_PARTICIPANTS_AT_ONCE, `Högst ${MAX_PARTICIPANTS_AT_ONCE} medlemmar på en gång`)
    .refine((ids) => new Set(ids).size === ids.length, "Samma medlem finns två gånger i listan"),
  joinedOn: isoDate("Startdatumet"),
  weight: z.preprocess(emptyToNull, weight.nullable().optional()),
});
export type ParticipantsCreateInput = z.infer<typeof ParticipantsCreateSchema>;

/** The self-service join form: a start date, today when left out (docs/allocation.md#joining). */
export const JoinFormSchema = z.object({
  joinedOn: z.preprocess(emptyToNull, isoDate("Startdatumet").nullable().optional()),
});

export const ParticipantPatchSchema = z.object({
  leftOn: z.preprocess(emptyToNull, isoDate("Slutdatumet").nullable().optional()),
  weight: z.preprocess(emptyToNull, weight.nullable().optional()),
});
export type ParticipantPatchInput = z.infer<typeof ParticipantPatchSchema>;

/** The board's edit form also corrects the start date. */
export const ParticipantEditFormSchema = ParticipantPatchSchema.extend({ joinedOn: isoDate("Startdatumet") });
export type ParticipantEditInput = z.infer<typeof ParticipantEditFormSchema>;

export const YearQuerySchema = z.object({ year: year("Året") });
