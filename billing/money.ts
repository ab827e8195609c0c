import DecimalJs from "decimal.js";

/**
 * Money is integer öre (1 kr = 100 öre) everywhere inside the system: in the database, in the domain
 * functions and on the invoice. Computation that can produce fractions (per-capita shares, VAT) goes
 * through decimal.js and is rounded explicitly. Amounts cross the API as strings with two decimals.
 */
export type Ore = number;

const Dec = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP });
/** decimal.js with enough precision for any sum of money here; `Decimal` is both the constructor and the type. */
export const Decimal = Dec;
export type Decimal = InstanceType<typeof Dec>;

function assertOre(value: Ore): Ore {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a whole number of öre: ${value}`);
  return value;
}

/** Sum of integer öre; exact because every operand and every partial sum is a safe integer. */
export function sumOre(values: Iterable<Ore>): Ore {
  let total = 0;
  for (const v of values) total = assertOre(total + assertOre(v));
  return total;
}

const AMOUNT_PATTERN = /^-?\d{1,13}(\.\d{1,2})?$/;

/** Parses "16000", "16000.5" or "16000.50" (kronor) into öre; null when the text is not such an amount. */
export function parseKronor(text: string): Ore | null {
  const trimmed = text.trim();
  if (!AMOUNT_PATTERN.test(trimmed)) return null;
  return new Dec(trimmed).times(100).toNumber();
}

/** Öre as the API's decimal string: 1600000 → "16000.00". */
export function oreToDecimalString(ore: Ore): string {
  // Integer arithmetic on a safe integer, exact: the remainder first, so that the division has nothing to round.
  // An e-invoice writes a few dozen amounts, and decimal.js made this a third of the time it takes to render one.
  const abs = Math.abs(assertOre(ore));
  const orepart = abs % 100;
  const kronor = (abs - orepart) / 100;
  return `${ore < 0 ? "-" : ""}${kronor}.${orepart < 10 ? "0" : ""}${orepart}`;
}

/** Öre in the Swedish way: 1600000 → "16 000,00 kr" (a space between thousands, a decimal comma). */
export function formatSek(ore: Ore, options: { unit?: boolean } = {}): string {
  const unit = options.unit ?? true;
  const negative = assertOre(ore) < 0;
  const abs = Math.abs(ore);
  const kronor = Math.floor(abs / 100).toString();
  const orepart = (abs % 100).toString().padStart(2, "0");
  const grouped = kronor.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${negative ? "-" : ""}${grouped},${orepart}${unit ? " kr" : ""}`;
}

/** An integer in the Swedish way: 608993 → "608 993". */
export function formatInteger(value: number): string {
  const negative = value < 0;
  const grouped = Math.abs(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${negative ? "-" : ""}${grouped}`;
}

/** Kronor as a whole-krona number for input fields: 1600000 → "16000.00". Alias kept for forms. */
export const oreToInput = oreToDecimalString;
