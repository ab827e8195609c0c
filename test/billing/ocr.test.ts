import { describe, expect, it } from "vitest";
import { ocrFor, validateOcr } from "../../billing/ocr";

describe("ocrFor", () => {
  it("appends the length digit and the Luhn digit (worked by hand)", () => {
    // "2026001" has 7 digits, 9 with both control digits → length digit 9 → "20260019".
    // Luhn over 20260019, doubling from the right: 9→18→9, 1, 0→0, 0, 6→12→3, 2, 0→0, 2
    // sum 9+1+0+0+3+2+0+2 = 17 → check digit (10 − 7) mod 10 = 3.
    expect(ocrFor("2026001")).toBe("202600193");
  });

  it("uses the length mod 10 (worked by hand)", () => {
    // "12345678" has 8 digits, 10 in all → length digit 0 → "123456780".
    // Luhn over 123456780 from the right: 0→0, 8, 7→14→5, 6, 5→10→1, 4, 3→6, 2, 1→2
    // sum 0+8+5+6+1+4+6+2+2 = 34 → check digit 6.
    expect(ocrFor("12345678")).toBe("1234567806");
    // "1" → 3 digits → "13" → Luhn: 3→6, 1 → 7 → check digit 3.
    expect(ocrFor("1")).toBe("133");
  });

  it("gives a reference that validates, for a series of invoice numbers", () => {
    for (let n = 2026001; n < 2026200; n++) {
      const ocr = ocrFor(String(n));
      expect(ocr.startsWith(String(n))).toBe(true);
      expect(ocr).toHaveLength(String(n).length + 2);
      expect(validateOcr(ocr)).toBe(true);
    }
  });

  it("rejects an invoice number that is not digits", () => {
    expect(() => ocrFor("2026-001")).toThrow(RangeError);
    expect(() => ocrFor("")).toThrow(RangeError);
  });
});

describe("validateOcr", () => {
  it("accepts the known value", () => {
    expect(validateOcr("202600193")).toBe(true);
  });

  it("rejects a flipped digit", () => {
    expect(validateOcr("202600183")).toBe(false);
    expect(validateOcr("212600193")).toBe(false);
  });

  it("rejects a wrong length digit even when the Luhn digit fits", () => {
    // "20260018" + its Luhn digit: 8→16→7, 1, 0, 0, 6→3, 2, 0, 2 → 15 → 5. Luhn valid, but 9 digits ≠ 8.
    expect(validateOcr("202600185")).toBe(false);
  });

  it("rejects a dropped digit", () => {
    expect(validateOcr("20260093")).toBe(false);
  });

  it("rejects what is not digits", () => {
    expect(validateOcr("2026 00193")).toBe(false);
    expect(validateOcr("")).toBe(false);
    expect(validateOcr("abc")).toBe(false);
  });
});
