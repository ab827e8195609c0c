import { formatInteger, type Ore } from "./money";

/**
 * Fee schedules (docs/fees.md), the population basis (docs/population-basis.md) and the fees of one member for one
 * year (docs/fees.md#entry-fee-and-annual-fee).
 * A bracket is given by its lowest population (inclusive); it runs up to the next bracket's lowest minus one.
 */

export interface FeeBracket {
  name: string;
  label: string;
  minPopulation: number;
  entryFee: Ore;
  annualFee: Ore;
}

export interface FeeSchedule {
  validFrom: number;
  brackets: FeeBracket[];
}

/** The bracket names of the default schedule; a later schedule may name its brackets as it likes (docs/fees.md). */
export const DEFAULT_BRACKET_NAMES = ["small", "medium", "large"] as const;
export type DefaultBracketName = (typeof DEFAULT_BRACKET_NAMES)[number];
/** Not a bracket: the code shown for fees that a board decision sets without a population (docs/fees.md). */
export const OVERRIDE_BRACKET = "override";

export const DEFAULT_FEE_SCHEDULE: FeeSchedule = Object.freeze({
  validFrom: 2005,
  brackets: [
    Object.freeze({
      name: "small",
      label: "Mindre än 10 000 invånare",
      minPopulation: 0,
      entryFee: 500_000,
      annualFee: 800_000,
    }),
    Object.freeze({
      name: "medium",
      label: "10 000–100 000 invånare",
      minPopulation: 10_000,
      entryFee: 1_000_000,
      annualFee: 1_600_000,
    }),
    Object.freeze({
      name: "large",
      label: "Fler än 100 000 invånare",
      minPopulation: 100_001,
      entryFee: 2_000_000,
      annualFee: 3_200_000,
    }),
  ],
});
Object.freeze(DEFAULT_FEE_SCHEDULE.brackets);

export type BracketField = "name" | "minPopulation" | "entryFee" | "annualFee" | "brackets";

export interface BracketError {
  /** Index of the bracket in the given list; -1 for an error about the list as a whole (field "brackets"). */
  index: number;
  field: BracketField;
  message: string;
}

/** Every problem with a list of brackets, in list order; an empty array means the brackets are valid. */
export function validateBrackets(
  brackets: Array<{ name: string; minPopulation: number; entryFee: Ore; annualFee: Ore }>,
): BracketError[] {
  const errors: BracketError[] = [];
  if (brackets.length === 0) {
    return [{ index: -1, field: "brackets", message: "Avgiftsmodellen måste ha minst ett intervall" }];
  }
  const seen = new Set<string>();
  brackets.forEach((b, index) => {
    const name = typeof b.name === "string" ? b.name.trim() : "";
    if (name === "") {
      errors.push({ index, field: "name", message: "Intervallet måste ha ett namn" });
    } else if (seen.has(name)) {
      errors.push({ index, field: "name", message: `Namnet ”${name}” används redan för ett annat intervall` });
    } else {
      seen.add(name);
    }

    if (!Number.isSafeInteger(b.minPopulation) || b.minPopulation < 0) {
      errors.push({
        index,
        field: "minPopulation",
        message: "Lägsta invånarantal ska vara ett heltal, 0 eller större",
      });
    } else if (index === 0 && b.minPopulation !== 0) {
      errors.push({ index, field: "minPopulation", message: "Det första intervallet ska börja på 0 invånare" });
    } else if (index > 0) {
      const previous = brackets[index - 1].minPopulation;
      if (Number.isSafeInteger(previous) && b.minPopulation <= previous) {
        errors.push({
          index,
          field: "minPopulation",
          message: `Lägsta invånarantal ska vara större än föregående intervalls (${previous})`,
        });
      }
    }

    for (const field of ["entryFee", "annualFee"] as const) {
      const fee = b[field];
      if (!Number.isSafeInteger(fee) || fee < 0) {
        const what = field === "entryFee" ? "Medlemsinsatsen" : "Årsavgiften";
        errors.push({ index, field, message: `${what} ska vara ett belopp i hela ören, 0 eller större` });
      }
    }
  });
  return errors;
}

/** The schedule in force in `year`: the one with the greatest validFrom not after it (first of equals). */
export function scheduleForYear(schedules: FeeSchedule[], year: number): FeeSchedule | null {
  let best: FeeSchedule | null = null;
  for (const s of schedules) {
    if (s.validFrom <= year && (best === null || s.validFrom > best.validFrom)) best = s;
  }
  return best;
}

/** The populations a bracket covers: from `min` to `max`, both inclusive; `max` is null for the last bracket. */
export interface BracketRange {
  min: number;
  max: number | null;
}

/**
 * The range of the bracket `name` of a schedule: up to one below the next bracket's lowest population
 * (docs/fees.md#brackets-and-their-boundaries). Null for a name the schedule does not have.
 */
export function bracketRangeOf(schedule: FeeSchedule, name: string): BracketRange | null {
  const sorted = [...schedule.brackets].sort((a, b) => a.minPopulation - b.minPopulation);
  const i = sorted.findIndex((b) => b.name === name);
  if (i < 0) return null;
  const next = sorted[i + 1];
  return { min: sorted[i].minPopulation, max: next ? next.minPopulation - 1 : null };
}

/** The brackets of a schedule in population order, each with its range. */
export function bracketsWithRanges(schedule: FeeSchedule): Array<FeeBracket & { range: BracketRange }> {
  return [...schedule.brackets]
    .sort((a, b) => a.minPopulation - b.minPopulation)
    .map((b, i, all) => ({
      ...b,
      range: { min: b.minPopulation, max: all[i + 1] ? all[i + 1].minPopulation - 1 : null },
    }));
}

/**
 * The boundaries of a bracket in words, the one wording for pages and invoices (docs/fees.md#bracket-texts):
 * "0–9 999 invånare", "10 000–100 000 invånare", "fler än 100 000 invånare". They come from the schedule in
 * force, never from a list of the default brackets, so a schedule whose boundaries move prints its own.
 */
export function bracketRangeText(range: BracketRange): string {
  if (range.max === null) {
    if (range.min === 0) return "alla invånarantal";
    // "fler än 100 000" reads better than "100 001 eller fler"; "200 000 eller fler" better than "fler än 199 999".
    return (range.min - 1) % 1000 === 0
      ? `fler än ${formatInteger(range.min - 1)} invånare`
      : `${formatInteger(range.min)} invånare eller fler`;
  }
  if (range.max === range.min) return `${formatInteger(range.min)} invånare`;
  return `${formatInteger(range.min)}–${formatInteger(range.max)} invånare`;
}

/** The label a bracket gets when none is given: its boundaries, "0–19 999 invånare", "200 000 invånare eller fler". */
export function defaultBracketLabel(range: BracketRange): string {
  const text = bracketRangeText(range);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The bracket a population falls in: the one with the greatest minPopulation not above it. */
export function bracketFor(schedule: FeeSchedule, population: number): FeeBracket {
  if (!Number.isSafeInteger(population) || population < 0) {
    throw new RangeError(`not a population: ${population}`);
  }
  let best: FeeBracket | null = null;
  for (const b of schedule.brackets) {
    if (b.minPopulation <= population && (best === null || b.minPopulation > best.minPopulation)) best = b;
  }
  if (best === null) {
    // Only a schedule that fails validateBrackets (no bracket from 0) can get here.
    throw new RangeError(`fee schedule ${schedule.validFrom} has no bracket for population ${population}`);
  }
  return best;
}

export interface PopulationFigure {
  year: number;
  population: number;
}

export interface PopulationBasis {
  year: number;
  population: number;
  /** True when the figure for billingYear − 1 was missing and an older one is used; always shown to the user. */
  fallback: boolean;
}

/**
 * The population used for billing year Y (docs/population-basis.md#the-rule): the figure for Y−1 (31 December), else the latest
 * earlier one; null when there is none at or before Y−1. A figure for Y itself or later is never used.
 */
export function populationBasis(figures: PopulationFigure[], billingYear: number): PopulationBasis | null {
  const wanted = billingYear - 1;
  let best: PopulationFigure | null = null;
  for (const f of figures) {
    if (f.year <= wanted && (best === null || f.year > best.year)) best = f;
  }
  if (best === null) return null;
  return { year: best.year, population: best.population, fallback: best.year < wanted };
}

/** A board decision that replaces a member's fees; null for a fee means "as the schedule says". */
export interface FeeOverride {
  validFrom: number;
  validTo: number | null;
  entryFee: Ore | null;
  annualFee: Ore | null;
  note: string;
}

/**
 * The override in force in `year` (validFrom ≤ year ≤ validTo, open-ended when validTo is null). Should
 * several apply, the latest decision (greatest validFrom, first of equals) wins.
 */
export function overrideFor(overrides: FeeOverride[], year: number): FeeOverride | null {
  let best: FeeOverride | null = null;
  for (const o of overrides) {
    if (o.validFrom <= year && (o.validTo === null || year <= o.validTo)) {
      if (best === null || o.validFrom > best.validFrom) best = o;
    }
  }
  return best;
}

export type FeeResult =
  | {
      ok: true;
      billingYear: number;
      scheduleValidFrom: number;
      bracket: FeeBracket | null;
      /** The populations the bracket covers in the schedule in force; null when there is no bracket. */
      range: BracketRange | null;
      basis: PopulationBasis | null;
      entryFee: Ore;
      annualFee: Ore;
      override: FeeOverride | null;
    }
  | { ok: false; billingYear: number; reason: "no_schedule" | "no_population"; message: string };

/**
 * A member's entry fee and annual fee for a billing year. The bracket comes from the population basis of
 * the schedule in force; an override replaces either fee. When an override sets both fees no population is
 * needed (bracket and basis are then null if there is no figure, and reported when there is one).
 * A schedule must exist for the year even then, as the result names the schedule it was billed under.
 */
export function feesFor(input: {
  schedules: FeeSchedule[];
  figures: PopulationFigure[];
  billingYear: number;
  overrides?: FeeOverride[];
}): FeeResult {
  const { schedules, figures, billingYear } = input;
  const schedule = scheduleForYear(schedules, billingYear);
  if (schedule === null) {
    return {
      ok: false,
      billingYear,
      reason: "no_schedule",
      message: `Ingen avgiftsmodell gäller för ${billingYear}`,
    };
  }
  const override = overrideFor(input.overrides ?? [], billingYear);
  const basis = populationBasis(figures, billingYear);
  const bracket = basis === null ? null : bracketFor(schedule, basis.population);
  const fullOverride = override !== null && override.entryFee !== null && override.annualFee !== null;
  if (bracket === null && !fullOverride) {
    return {
      ok: false,
      billingYear,
      reason: "no_population",
      message: `Invånarantal saknas för ${billingYear - 1} eller tidigare (underlag för avgifterna ${billingYear})`,
    };
  }
  return {
    ok: true,
    billingYear,
    scheduleValidFrom: schedule.validFrom,
    bracket,
    range: bracket === null ? null : bracketRangeOf(schedule, bracket.name),
    basis,
    // bracket is non-null here unless the override sets both fees.
    entryFee: override?.entryFee ?? bracket!.entryFee,
    annualFee: override?.annualFee ?? bracket!.annualFee,
    override,
  };
}
