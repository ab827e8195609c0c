import type { AllocationKey } from "./invoice-document";
import { Decimal as Dec, type Ore } from "./money";

/**
 * Cost sharing of a project-year among its participants (docs/allocation.md).
 *
 * Every key is written as exact fractions with one common denominator: participant i's exact share is
 * budget × num_i / den with Σ num_i = den. With BigInt that is exact and fast (no Decimal per participant):
 * floor(budget × num_i / den) is the share rounded down and (budget × num_i) mod den the discarded remainder,
 * so remainders compare exactly as integers. The largest-remainder rule then hands out the öre left over.
 */

type Decimal = InstanceType<typeof Dec>;

export interface AllocationParticipant {
  memberId: number;
  memberName: string;
  municipalityCode: string | null;
  population: number | null;
  populationYear: number | null;
  weight: string | null; // decimal string, e.g. "33.5"
}

export interface Share {
  memberId: number;
  share: Ore;
  /**
   * The exact share in öre before rounding, as a decimal string (at most 12 decimals, rounded), for display;
   * "" when allocateShares was asked for no exact strings.
   */
  exact: string;
}

export type AllocationResult =
  | { ok: true; shares: Share[]; totalPopulation: number | null; totalWeight: string | null }
  | { ok: false; errors: Array<{ memberId: number; message: string }> };

/** memberId used for an error about the project-year as a whole rather than one participant. */
export const NO_MEMBER = 0;

/** The keys whose shares depend on the members' populations (docs/population-basis.md). */
export function usesPopulation(key: AllocationKey): boolean {
  return key === "per_capita" || key === "base_plus_per_capita";
}

const EXACT_DECIMALS = 12;
const DECIMAL_STRING = /^(\d+)(?:\.(\d+))?$/;

/** A non-negative decimal string as digits × 10^-scale, e.g. "33.5" → { digits: 335n, scale: 1 }. */
function parseDecimal(s: string): { digits: bigint; scale: number } | null {
  const m = DECIMAL_STRING.exec(s);
  if (!m) return null;
  const fraction = m[2] ?? "";
  return { digits: BigInt(m[1] + fraction), scale: fraction.length };
}

/** Whether `s` is a weight for the `fixed` key: a decimal string ("50", "33.5") greater than zero. */
export function isValidWeight(s: string): boolean {
  const d = parseDecimal(s);
  return d !== null && d.digits > 0n;
}

/** Whether `s` is a basePercent for `base_plus_per_capita`: a decimal string from 0 to 100. */
export function isValidBasePercent(s: string): boolean {
  const d = parseDecimal(s);
  return d !== null && d.digits <= 100n * 10n ** BigInt(d.scale);
}

/** digits × 10^-scale as a plain decimal string without trailing zeros: 1000n, 1 → "100". */
function formatScaled(digits: bigint, scale: number): string {
  const negative = digits < 0n;
  const abs = negative ? -digits : digits;
  let text = abs.toString();
  if (scale > 0) {
    text = text.padStart(scale + 1, "0");
    const fraction = text.slice(-scale).replace(/0+$/, "");
    text = text.slice(0, -scale) + (fraction === "" ? "" : `.${fraction}`);
  }
  return (negative ? "-" : "") + text;
}

const EXACT_SCALE = 10n ** BigInt(EXACT_DECIMALS);

/**
 * floor + rem/den (0 ≤ rem < den) as a decimal string rounded half up to EXACT_DECIMALS decimals, trailing
 * zeros dropped. Working from the remainder keeps the BigInt products small; this runs once per participant.
 */
function formatExact(floor: bigint, rem: bigint, den: bigint): string {
  if (rem === 0n) return floor.toString();
  let fraction = (rem * EXACT_SCALE * 2n + den) / (2n * den);
  let whole = floor;
  if (fraction === EXACT_SCALE) {
    whole += 1n;
    fraction = 0n;
  }
  if (fraction === 0n) return whole.toString();
  let digits = fraction.toString().padStart(EXACT_DECIMALS, "0");
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  if (end < digits.length) digits = digits.slice(0, end);
  return `${whole}.${digits}`;
}

/** Total order for handing out leftover öre: larger remainder, then lower municipality code (none last), then lower member id. */
function rankOrder<R extends bigint | number>(
  rems: ReadonlyArray<R>,
  codes: ReadonlyArray<string | null>,
  ids: ReadonlyArray<number>,
): (a: number, b: number) => number {
  return (a, b) => {
    const ra = rems[a];
    const rb = rems[b];
    if (ra !== rb) return ra > rb ? -1 : 1;
    const ca = codes[a];
    const cb = codes[b];
    if (ca !== cb) {
      if (ca === null) return 1;
      if (cb === null) return -1;
      return ca < cb ? -1 : 1;
    }
    return ids[a] - ids[b];
  };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The rounding core: floors plus one öre each for the `leftover` best-ranked remainders (all remainders are
 * fractions over the same denominator `den`). Only entries with a positive remainder can be among them, since
 * leftover × den = Σ remainders and each remainder < den.
 */
function distribute(
  floors: bigint[],
  rems: bigint[],
  den: bigint,
  codes: ReadonlyArray<string | null>,
  ids: ReadonlyArray<number>,
  leftover: number,
): Ore[] {
  // Remainders are below den; when den is a safe integer they compare exactly as numbers, which is faster.
  if (den <= MAX_SAFE) return distributeNumbers(floors.map(Number), rems.map(Number), codes, ids, leftover);
  const shares = floors.map(Number);
  if (leftover > 0) {
    const candidates: number[] = [];
    for (let i = 0; i < rems.length; i++) if (rems[i] > 0n) candidates.push(i);
    candidates.sort(rankOrder(rems, codes, ids));
    for (let k = 0; k < leftover; k++) shares[candidates[k]] += 1;
  }
  return shares;
}

/** distribute with floors and remainders that are safe integers (`shares` is `floors`, changed in place). */
function distributeNumbers(
  shares: number[],
  rems: number[],
  codes: ReadonlyArray<string | null>,
  ids: ReadonlyArray<number>,
  leftover: number,
): Ore[] {
  if (leftover > 0) {
    const candidates: number[] = [];
    for (let i = 0; i < rems.length; i++) if (rems[i] > 0) candidates.push(i);
    candidates.sort(rankOrder(rems, codes, ids));
    for (let k = 0; k < leftover; k++) shares[candidates[k]] += 1;
  }
  return shares;
}

function assertBudget(total: Ore): void {
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`a budget must be a whole, non-negative number of öre: ${total}`);
  }
}

/**
 * Largest-remainder rounding of exact shares (in öre) that add up to `total`: each share rounded down, then
 * one öre more to the largest discarded remainders; ties to the lower municipality code (none sorts last),
 * then the lower member id. The result follows the input order and does not depend on it.
 * Throws RangeError when a share is negative or the shares do not add up to `total` (within less than 1 öre
 * per share, which is what a correctly computed but truncated Decimal quotient gives).
 */
export function largestRemainder(
  total: Ore,
  exactShares: Array<{ memberId: number; municipalityCode: string | null; exact: Decimal }>,
): Ore[] {
  assertBudget(total);
  // Decimals are finite, so at a common number of decimals they are exact integers. A quotient such as 1/3 is
  // cut off at Dec.precision significant digits, so a share with a larger whole part has fewer decimals: equal
  // true remainders would then look unequal and break the tie rule. Rounding every share to the decimals that
  // all of them have (precision minus the digits of the total, less a guard digit) makes them compare equal.
  let maxPlaces = 0;
  for (const s of exactShares) maxPlaces = Math.max(maxPlaces, s.exact.decimalPlaces());
  const scale = Math.min(maxPlaces, Math.max(0, Dec.precision - String(total).length - 1));
  const unit = 10n ** BigInt(scale);
  const floors: bigint[] = [];
  const rems: bigint[] = [];
  let sumScaled = 0n;
  let sumFloors = 0n;
  for (const s of exactShares) {
    if (!s.exact.isFinite() || s.exact.lt(0)) throw new RangeError(`a share cannot be negative: ${s.exact}`);
    const scaled = BigInt(s.exact.toFixed(scale, Dec.ROUND_HALF_UP).replace(".", ""));
    floors.push(scaled / unit);
    rems.push(scaled % unit);
    sumScaled += scaled;
    sumFloors += scaled / unit;
  }
  // The exact shares must add up to the total; a truncated quotient may be off by a sliver, never by 1 öre.
  const gap = BigInt(total) * unit - sumScaled;
  if (gap >= unit || gap <= -unit) throw new RangeError(`the exact shares do not add up to ${total} öre`);
  // Σ floors ≤ Σ exact < total + 1, and leftover − 1 < Σ rems/unit < number of positive remainders.
  const leftover = BigInt(total) - sumFloors;
  return distribute(
    floors,
    rems,
    unit,
    exactShares.map((s) => s.municipalityCode),
    exactShares.map((s) => s.memberId),
    Number(leftover),
  );
}

/**
 * Each participant's share of a project-year budget (docs/allocation.md#keys), in the order of `participants`.
 * Errors (ok: false) are about the data and name the member: a missing or invalid population under a
 * population key, a missing or non-positive weight under `fixed`, a member listed twice. They are reported
 * whatever the budget. A split that is impossible only as arithmetic (no participants, or all populations 0)
 * is an error only when there is something to split: a budget of 0 gives all zeros. Errors not tied to one
 * participant carry memberId NO_MEMBER (0).
 * Throws RangeError for a negative or fractional budget and for a missing or invalid basePercent under
 * `base_plus_per_capita`: those are the project's settings, which its form validates.
 */
export function allocateShares(input: {
  budget: Ore;
  key: AllocationKey;
  basePercent?: string | null;
  participants: AllocationParticipant[];
  /**
   * Whether to build each share's `exact` decimal string (default true). Callers that use only the rounded
   * shares pass false: `exact` is then "".
   */
  exactStrings?: boolean;
}): AllocationResult {
  const { participants } = input;
  const result = allocateColumns({
    budget: input.budget,
    key: input.key,
    basePercent: input.basePercent,
    memberIds: participants.map((p) => p.memberId),
    names: participants.map((p) => p.memberName),
    codes: participants.map((p) => p.municipalityCode),
    populations: participants.map((p) => p.population),
    weights: participants.map((p) => p.weight),
    exactStrings: input.exactStrings,
  });
  if (!result.ok) return result;
  const { shares, exact } = result;
  return {
    ok: true,
    shares: participants.map((p, i) => ({ memberId: p.memberId, share: shares[i], exact: exact?.[i] ?? "" })),
    totalPopulation: result.totalPopulation,
    totalWeight: result.totalWeight,
  };
}

/** allocateShares's participants as columns, i-th entry of each for the i-th participant. */
export interface AllocationColumns {
  budget: Ore;
  key: AllocationKey;
  basePercent?: string | null;
  memberIds: readonly number[];
  names: readonly string[];
  codes: readonly (string | null)[];
  populations: readonly (number | null)[];
  weights: readonly (string | null)[];
  exactStrings?: boolean;
}

export type ColumnsResult =
  | { ok: true; shares: Ore[]; exact: string[] | null; totalPopulation: number | null; totalWeight: string | null }
  | { ok: false; errors: Array<{ memberId: number; message: string }> };

/**
 * allocateShares on columns rather than one object per participant, with the shares as one array: what a
 * billing run uses (a million shares at 10 000 members × 100 projects). The same rules and the same arithmetic.
 */
export function allocateColumns(input: AllocationColumns): ColumnsResult {
  const { budget, key, memberIds, names, codes } = input;
  const withExact = input.exactStrings !== false;
  assertBudget(budget);
  const n = memberIds.length;
  const whoIs = (i: number) => (codes[i] ? `${names[i]} (${codes[i]})` : names[i]);

  let percent: { digits: bigint; scale: number } | null = null;
  if (key === "base_plus_per_capita") {
    const text = input.basePercent ?? "";
    if (!isValidBasePercent(text)) {
      throw new RangeError(`basePercent must be a decimal string from 0 to 100: ${JSON.stringify(input.basePercent)}`);
    }
    percent = parseDecimal(text);
  } else if (key !== "per_capita" && key !== "equal" && key !== "fixed") {
    throw new RangeError(`unknown allocation key: ${String(key)}`);
  }

  const errors: Array<{ memberId: number; message: string }> = [];
  // Ids in ascending order (as a billing run reads them) cannot repeat; otherwise each is looked up.
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) ascending = memberIds[i - 1] < memberIds[i];
  if (!ascending) {
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      if (seen.has(memberIds[i]))
        errors.push({ memberId: memberIds[i], message: `${whoIs(i)} finns med två gånger bland deltagarna` });
      seen.add(memberIds[i]);
    }
  }

  const byPopulation = usesPopulation(key);
  let totalPopulation = 0;
  let maxPopulation = 0;
  if (byPopulation) {
    for (let i = 0; i < n; i++) {
      const population = input.populations[i];
      if (population === null || population === undefined) {
        errors.push({ memberId: memberIds[i], message: `${whoIs(i)} saknar invånarantal för befolkningsunderlaget` });
      } else if (!Number.isSafeInteger(population) || population < 0) {
        errors.push({ memberId: memberIds[i], message: `${whoIs(i)} har ett ogiltigt invånarantal (${population})` });
      } else {
        totalPopulation += population;
        if (population > maxPopulation) maxPopulation = population;
      }
    }
  }

  const weights: Array<{ digits: bigint; scale: number }> = [];
  let weightScale = 0;
  if (key === "fixed") {
    for (let i = 0; i < n; i++) {
      const weight = input.weights[i];
      const w = weight === null || weight === undefined ? null : parseDecimal(weight.trim());
      if (w === null || w.digits === 0n) {
        const message =
          weight === null || weight === undefined || weight.trim() === ""
            ? `${whoIs(i)} saknar andel (vikt) för den fasta fördelningen`
            : `${whoIs(i)} har en ogiltig andel (vikt) ”${weight}”; den ska vara ett tal större än 0`;
        errors.push({ memberId: memberIds[i], message });
        weights.push({ digits: 0n, scale: 0 });
      } else {
        weights.push(w);
        weightScale = Math.max(weightScale, w.scale);
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  // A sum of safe integers can pass 2^53 only with more than 2^53 / max participants; then BigInt again.
  const exactTotal = Number.isSafeInteger(totalPopulation)
    ? BigInt(totalPopulation)
    : input.populations.reduce<bigint>((sum, p) => sum + BigInt(p ?? 0), 0n);
  const totalPopulationOut = byPopulation ? Number(exactTotal) : null;

  if (n === 0) {
    if (budget === 0)
      return {
        ok: true,
        shares: [],
        exact: withExact ? [] : null,
        totalPopulation: totalPopulationOut,
        totalWeight: key === "fixed" ? "0" : null,
      };
    return {
      ok: false,
      errors: [{ memberId: NO_MEMBER, message: "Projektet har inga deltagare att fördela budgeten på" }],
    };
  }

  // Exact share of i = budget × nums[i] / den, with Σ nums = den.
  let totalWeight: string | null = null;
  let rounded: { amounts: Ore[]; exact: string[] | null } | null = null;
  const bigN = BigInt(n);
  switch (key) {
    case "equal":
      rounded = roundSharesNumbers(budget, new Array<number>(n).fill(1), n, codes, memberIds, withExact);
      break;
    case "fixed": {
      const powers = Array.from({ length: weightScale + 1 }, (_, k) => 10n ** BigInt(k));
      const nums = weights.map((w) => w.digits * powers[weightScale - w.scale]);
      const den = nums.reduce((a, b) => a + b, 0n);
      totalWeight = formatScaled(den, weightScale);
      if (den > 0n) rounded = roundShares(budget, nums, den, codes, memberIds, withExact);
      break;
    }
    case "per_capita": {
      const den = exactTotal;
      if (den > 0n) {
        rounded =
          den <= MAX_SAFE && budget * maxPopulation <= Number.MAX_SAFE_INTEGER
            ? roundSharesNumbers(budget, input.populations as number[], totalPopulation, codes, memberIds, withExact)
            : roundShares(
                budget,
                input.populations.map((p) => BigInt(p!)),
                den,
                codes,
                memberIds,
                withExact,
              );
      }
      break;
    }
    case "base_plus_per_capita": {
      // p% = P / 10^k per cent; with H = 100 × 10^k the base part is P/(H·n) each and the rest
      // (H−P)/H × pop_i/S, i.e. (P·S + (H−P)·n·pop_i) / (H·n·S).
      const P = percent!.digits;
      const H = 100n * 10n ** BigInt(percent!.scale);
      const S = exactTotal;
      if (S === 0n && P === H) {
        // Everything is the equal part.
        rounded = roundSharesNumbers(budget, new Array<number>(n).fill(1), n, codes, memberIds, withExact);
      } else {
        const nums = input.populations.map((pop) => P * S + (H - P) * bigN * BigInt(pop!));
        const den = H * bigN * S;
        if (den > 0n) rounded = roundShares(budget, nums, den, codes, memberIds, withExact);
      }
      break;
    }
  }

  if (rounded === null) {
    // den is 0: every population is 0 under a population key.
    if (budget === 0) {
      return {
        ok: true,
        shares: new Array<number>(n).fill(0),
        exact: withExact ? new Array<string>(n).fill("0") : null,
        totalPopulation: totalPopulationOut,
        totalWeight,
      };
    }
    const message = "Alla deltagare har invånarantal 0; budgeten kan inte fördelas efter invånarantal";
    return { ok: false, errors: memberIds.map((memberId) => ({ memberId, message })) };
  }
  return { ok: true, shares: rounded.amounts, exact: rounded.exact, totalPopulation: totalPopulationOut, totalWeight };
}

/**
 * The shares budget × nums[i] / den rounded by the largest remainder (docs/allocation.md#rounding-by-the-largest-remainder).
 * When budget × max(nums) and den are safe integers the products and quotients are exact in doubles (for
 * 0 ≤ a < 2^53 and d ≥ 1, ⌊a / d⌋ of the rounded quotient is the true ⌊a / d⌋: the rounding error is below 1/d,
 * the distance from a/d to the next integer at least 1/d), so no BigInt is made per share; otherwise BigInt.
 */
function roundShares(
  budget: Ore,
  nums: ReadonlyArray<bigint>,
  den: bigint,
  codes: ReadonlyArray<string | null>,
  ids: ReadonlyArray<number>,
  withExact: boolean,
): { amounts: Ore[]; exact: string[] | null } {
  const n = nums.length;
  let maxNum = 0n;
  for (let i = 0; i < n; i++) if (nums[i] > maxNum) maxNum = nums[i];
  if (den <= MAX_SAFE && BigInt(budget) * maxNum <= MAX_SAFE) {
    return roundSharesNumbers(budget, nums.map(Number), Number(den), codes, ids, withExact);
  }
  const B = BigInt(budget);
  const floors: bigint[] = new Array(n);
  const rems: bigint[] = new Array(n);
  const exact: string[] | null = withExact ? new Array(n) : null;
  let sumFloors = 0n;
  for (let i = 0; i < n; i++) {
    const numerator = B * nums[i];
    const floor = numerator / den;
    const rem = numerator - floor * den;
    floors[i] = floor;
    rems[i] = rem;
    sumFloors += floor;
    if (exact) exact[i] = formatExact(floor, rem, den);
  }
  return { amounts: distribute(floors, rems, den, codes, ids, Number(B - sumFloors)), exact };
}

/** roundShares in doubles: the caller has checked that budget × nums[i] and den are safe integers. */
function roundSharesNumbers(
  budget: Ore,
  nums: ReadonlyArray<number>,
  den: number,
  codes: ReadonlyArray<string | null>,
  ids: ReadonlyArray<number>,
  withExact: boolean,
): { amounts: Ore[]; exact: string[] | null } {
  const n = nums.length;
  const floors: number[] = new Array(n);
  const rems: number[] = new Array(n);
  const exact: string[] | null = withExact ? new Array(n) : null;
  let sumFloors = 0;
  for (let i = 0; i < n; i++) {
    const numerator = budget * nums[i];
    const floor = Math.floor(numerator / den);
    const rem = numerator - floor * den;
    floors[i] = floor;
    rems[i] = rem;
    sumFloors += floor;
    if (exact) exact[i] = formatExact(BigInt(floor), BigInt(rem), BigInt(den));
  }
  return { amounts: distributeNumbers(floors, rems, codes, ids, budget - sumFloors), exact };
}
