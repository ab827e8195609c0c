import { luhnValid, type ParseResult } from "./identifiers";

/*
 * Peppol participant identifiers "scheme:value" (docs/e-invoice.md). A Swedish municipality is almost always
 * reachable as 0007 (its organisation number); some receive on a GLN (0088). 0192 (Norwegian organisation
 * number) is accepted for a Nordic organisation member. Each scheme accepted here is checked the way the Peppol
 * rules check it (PEPPOL-COMMON-R040/R041/R049), so an id typed here never makes a document the access point
 * refuses. Other schemes are refused with a message rather than stored unchecked.
 */

export const PEPPOL_SCHEMES = ["0007", "0088", "0192"] as const;
export type PeppolScheme = (typeof PEPPOL_SCHEMES)[number];

export interface PeppolId {
  scheme: PeppolScheme;
  value: string;
}

/** The default participant id of a Swedish organisation: "0007:" + its ten digits. */
export function defaultPeppolId(orgNumber: string): string {
  return `0007:${orgNumber.replace(/\D/g, "")}`;
}

/** The participant id to use: the stored one, or the default from the organisation number. */
export function effectivePeppolId(stored: string | null | undefined, orgNumber: string): PeppolId {
  const text = stored && stored.trim() !== "" ? stored : defaultPeppolId(orgNumber);
  const parsed = parsePeppolId(text);
  if (!parsed.ok) throw new RangeError(`not a valid Peppol id: ${JSON.stringify(text)}: ${parsed.message}`);
  const [scheme, value] = parsed.value.split(":") as [PeppolScheme, string];
  return { scheme, value };
}

/** GS1 check digit (GLN): weights 3 and 1 from the right, starting with 3 next to the check digit. */
export function gs1Valid(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 11, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += (digits.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(12) - 48;
}

/** Norwegian organisation number: nine digits, mod 11 with weights 3 2 7 6 5 4 3 2. */
export function norwegianOrgValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((s, w, i) => s + w * (digits.charCodeAt(i) - 48), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits.charCodeAt(8) - 48;
}

/**
 * "0007:2120001637", "0007:212000-1637", "iso6523-actorid-upis::0007:2120001637" (as the Peppol Directory shows
 * it) → "0007:2120001637".
 */
export function parsePeppolId(input: string): ParseResult {
  const text = input
    .trim()
    .replace(/^iso6523-actorid-upis::/i, "")
    .replace(/\s+/g, "");
  const m = /^(\d{4}):(.+)$/.exec(text);
  if (!m) return { ok: false, message: "Peppol-id ska skrivas schema:nummer, t.ex. 0007:2120001637" };
  const [, scheme, raw] = m;
  switch (scheme) {
    case "0007": {
      const digits = raw.replace("-", "");
      if (!/^\d{10}$/.test(digits))
        return { ok: false, message: "Med schema 0007 ska numret vara ett organisationsnummer med tio siffror" };
      if (!luhnValid(digits))
        return { ok: false, message: "Kontrollsiffran i organisationsnumret (schema 0007) stämmer inte" };
      return { ok: true, value: `0007:${digits}` };
    }
    case "0088":
      if (!/^\d{13}$/.test(raw))
        return { ok: false, message: "Med schema 0088 ska numret vara ett GLN med 13 siffror" };
      if (!gs1Valid(raw)) return { ok: false, message: "Kontrollsiffran i GLN-numret (schema 0088) stämmer inte" };
      return { ok: true, value: `0088:${raw}` };
    case "0192":
      if (!/^\d{9}$/.test(raw))
        return { ok: false, message: "Med schema 0192 ska numret vara ett norskt organisationsnummer med nio siffror" };
      if (!norwegianOrgValid(raw))
        return { ok: false, message: "Kontrollsiffran i det norska organisationsnumret (schema 0192) stämmer inte" };
      return { ok: true, value: `0192:${raw}` };
    default:
      return {
        ok: false,
        message:
          "Schemat stöds inte: använd 0007 (organisationsnummer), 0088 (GLN) eller 0192 (norskt organisationsnummer)",
      };
  }
}
