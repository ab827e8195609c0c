/**
 * Swedish identifiers (docs/identifiers.md): parse user input, say in Swedish what is wrong, and return the one
 * normalised spelling that is stored and printed.
 */

export type ParseResult<T = string> = { ok: true; value: T } | { ok: false; message: string };

const DIGITS = /^\d+$/;

function ok(value: string): ParseResult {
  return { ok: true, value };
}

function fail(message: string): ParseResult {
  return { ok: false, message };
}

/** Removes every kind of whitespace: people paste "212000 1234" or "SE 212000123401". */
function compact(s: string): string {
  return s.replace(/\s+/g, "");
}

/**
 * The Luhn (mod 10) digit to append to `digits`: from the rightmost payload digit leftwards, every other
 * digit is doubled (and 9 subtracted when that gives two digits), starting with the rightmost.
 */
export function luhnCheckDigit(digits: string): number {
  if (!DIGITS.test(digits)) throw new RangeError(`not a string of digits: ${JSON.stringify(digits)}`);
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit of `digits` is the Luhn digit of the ones before it. */
export function luhnValid(digits: string): boolean {
  if (!DIGITS.test(digits) || digits.length < 2) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** Kommunkod: four digits, the first two a county (län) code 01–25. */
export function parseMunicipalityCode(s: string): ParseResult {
  const code = s.trim();
  if (!/^\d{4}$/.test(code)) return fail("Kommunkoden ska vara fyra siffror");
  const county = Number(code.slice(0, 2));
  if (county < 1 || county > 25) return fail("Länskoden (de två första siffrorna) ska vara 01–25");
  return ok(code);
}

/** Organisationsnummer: ten digits, the last a Luhn digit over the first nine; stored as "NNNNNN-NNNN". */
export function parseOrgNumber(s: string): ParseResult {
  const text = compact(s);
  if (!/^\d{6}-?\d{4}$/.test(text)) return fail("Organisationsnumret ska vara tio siffror, NNNNNN-NNNN");
  const digits = text.replace("-", "");
  if (!luhnValid(digits)) return fail("Kontrollsiffran i organisationsnumret stämmer inte");
  return ok(`${digits.slice(0, 6)}-${digits.slice(6)}`);
}

/** Swedish municipalities' organisation numbers start with 2120 (legal-entity group 2, kommuner). */
export function isMunicipalOrgNumber(orgNumber: string): boolean {
  return compact(orgNumber).replace("-", "").startsWith("2120");
}

/** A Luhn-valid organisation number from its first nine digits, e.g. for clearly labelled demo data. */
export function generateOrgNumber(prefix9: string): string {
  if (!/^\d{9}$/.test(prefix9)) throw new RangeError(`expected nine digits: ${JSON.stringify(prefix9)}`);
  const digits = prefix9 + String(luhnCheckDigit(prefix9));
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}

/** Postnummer: five digits, stored as "NNN NN". */
export function parsePostalCode(s: string): ParseResult {
  const text = s.trim();
  if (!/^\d{3} ?\d{2}$/.test(text)) return fail("Postnumret ska vara fem siffror, NNN NN");
  const digits = text.replace(" ", "");
  return ok(`${digits.slice(0, 3)} ${digits.slice(3)}`);
}

/**
 * Bankgironummer: seven or eight digits, the last a Luhn digit over all the others; stored with the dash
 * before the last four digits ("NNN-NNNN" or "NNNN-NNNN").
 */
export function parseBankgiro(s: string): ParseResult {
  const text = compact(s);
  if (!/^\d{3,4}-?\d{4}$/.test(text))
    return fail("Bankgironumret ska vara sju eller åtta siffror, NNN-NNNN eller NNNN-NNNN");
  const digits = text.replace("-", "");
  if (!luhnValid(digits)) return fail("Kontrollsiffran i bankgironumret stämmer inte");
  return ok(`${digits.slice(0, -4)}-${digits.slice(-4)}`);
}

/**
 * Momsregistreringsnummer: "SE", the ten digits of the organisation number (so Luhn-valid) and "01";
 * stored in upper case without spaces or dashes.
 */
export function parseVatNumber(s: string): ParseResult {
  const text = compact(s).toUpperCase();
  const m = /^SE(\d{6})-?(\d{4})01$/.exec(text);
  if (!m) return fail("Momsregistreringsnumret ska vara SE, tio siffror och 01, t.ex. SE212000123401");
  const digits = m[1] + m[2];
  if (!luhnValid(digits)) return fail("Organisationsnumret i momsregistreringsnumret har fel kontrollsiffra");
  return ok(`SE${digits}01`);
}
