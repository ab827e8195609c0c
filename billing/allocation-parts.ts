import type { Ore } from "./money";

/**
 * The two parts of a `base_plus_per_capita` share, for showing beside it (docs/allocation.md): the base part
 * is the equal amount budget × p % / n rounded down to whole öre, the same for every participant; the
 * per-capita part is the rest of the share. The parts add up to the share exactly, and the öre that rounding
 * moved (at most one per participant, largest remainder) sit in the per-capita part, which differs from its
 * exact value by less than two öre. Rounding the base part down keeps the per-capita part from going negative
 * (a share is never below the floor of its exact value, which is at least the base part).
 */
export interface ShareParts {
  memberId: number;
  base: Ore;
  perCapita: Ore;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** budget × P / (H × n) rounded down, where basePercent = P / 10^k and H = 100 × 10^k. */
export function basePart(budget: Ore, basePercent: string, participants: number): Ore {
  if (!Number.isSafeInteger(budget) || budget < 0)
    throw new RangeError(`a budget must be whole, non-negative öre: ${budget}`);
  if (!Number.isSafeInteger(participants) || participants < 1)
    throw new RangeError(`participants must be at least 1: ${participants}`);
  const m = DECIMAL.exec(basePercent);
  if (!m) throw new RangeError(`basePercent must be a decimal string: ${JSON.stringify(basePercent)}`);
  const fraction = m[2] ?? "";
  const P = BigInt(m[1] + fraction);
  const H = 100n * 10n ** BigInt(fraction.length);
  if (P > H) throw new RangeError(`basePercent above 100: ${basePercent}`);
  return Number((BigInt(budget) * P) / (H * BigInt(participants)));
}

export function splitBasePlusPerCapita(
  budget: Ore,
  basePercent: string,
  shares: ReadonlyArray<{ memberId: number; share: Ore }>,
): ShareParts[] {
  if (shares.length === 0) return [];
  const base = basePart(budget, basePercent, shares.length);
  return shares.map((s) => {
    if (s.share < base)
      throw new RangeError(`share ${s.share} below the base part ${base}: not an allocation of this budget`);
    return { memberId: s.memberId, base, perCapita: s.share - base };
  });
}
