import { luhnCheckDigit, luhnValid } from "./identifiers";

/**
 * OCR reference for Bankgirot (docs/invoices.md#ocr-reference): the invoice number, then a length digit (the total length
 * including both control digits, mod 10), then a Luhn digit over everything before it. The length digit lets
 * Bankgirot reject a reference with a digit dropped or added, which the Luhn digit alone may miss.
 * "2026001" → "20260019" (nine digits in all) → "202600193".
 */
export function ocrFor(invoiceNumber: string): string {
  if (!/^\d+$/.test(invoiceNumber)) {
    throw new RangeError(`an OCR reference needs a number of digits only: ${JSON.stringify(invoiceNumber)}`);
  }
  const withLength = invoiceNumber + String((invoiceNumber.length + 2) % 10);
  const ocr = withLength + String(luhnCheckDigit(withLength));
  if (ocr.length > 25) throw new RangeError(`an OCR reference has at most 25 digits: ${invoiceNumber}`);
  return ocr;
}

/** Whether `ocr` is a reference made by `ocrFor`: a valid Luhn digit and a matching length digit. */
export function validateOcr(ocr: string): boolean {
  if (!/^\d{3,25}$/.test(ocr)) return false;
  if (!luhnValid(ocr)) return false;
  return ocr.charCodeAt(ocr.length - 2) - 48 === ocr.length % 10;
}
