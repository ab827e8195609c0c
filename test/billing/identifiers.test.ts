import { describe, expect, it } from "vitest";
import {
  generateOrgNumber,
  isMunicipalOrgNumber,
  luhnCheckDigit,
  luhnValid,
  parseBankgiro,
  parseMunicipalityCode,
  parseOrgNumber,
  parsePostalCode,
  parseVatNumber,
} from "../../billing/identifiers";

describe("Luhn", () => {
  it("computes the check digit (worked by hand)", () => {
    // 7992739871 is the textbook example: check digit 3.
    expect(luhnCheckDigit("7992739871")).toBe(3);
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });
  it("rejects non-digits", () => {
    expect(luhnValid("")).toBe(false);
    expect(luhnValid("12a4")).toBe(false);
    expect(() => luhnCheckDigit("12a")).toThrow(RangeError);
  });
});

describe("parseMunicipalityCode", () => {
  it.each(["0127", "1480", "2584", "0114", " 1438 "])("accepts %s", (code) => {
    expect(parseMunicipalityCode(code)).toEqual({ ok: true, value: code.trim() });
  });
  it.each([
    ["127", "Kommunkoden ska vara fyra siffror"],
    ["01270", "Kommunkoden ska vara fyra siffror"],
    ["01a7", "Kommunkoden ska vara fyra siffror"],
    ["", "Kommunkoden ska vara fyra siffror"],
    ["2601", "Länskoden (de två första siffrorna) ska vara 01–25"],
    ["0027", "Länskoden (de två första siffrorna) ska vara 01–25"],
  ])("rejects %j", (code, message) => {
    expect(parseMunicipalityCode(code)).toEqual({ ok: false, message });
  });
});

describe("organisation numbers", () => {
  it("212000-0142 (Stockholms stad) is valid (worked by hand)", () => {
    // Luhn over 212000014, doubling from the right: 4→8, 1, 0, 0, 0, 0, 2→4, 1, 2→4
    // sum 8+1+4+1+4 = 18 → check digit 2, which is the last digit.
    expect(luhnCheckDigit("212000014")).toBe(2);
    expect(parseOrgNumber("212000-0142")).toEqual({ ok: true, value: "212000-0142" });
    expect(parseOrgNumber("2120000142")).toEqual({ ok: true, value: "212000-0142" });
    expect(parseOrgNumber("  212000-0142 ")).toEqual({ ok: true, value: "212000-0142" });
    expect(isMunicipalOrgNumber("212000-0142")).toBe(true);
  });

  it("rejects a wrong check digit", () => {
    expect(parseOrgNumber("212000-0143")).toEqual({
      ok: false,
      message: "Kontrollsiffran i organisationsnumret stämmer inte",
    });
  });

  it.each(["212000-014", "21200001422", "2120-000142", "SE2120000142", ""])("rejects the form %j", (s) => {
    expect(parseOrgNumber(s)).toEqual({
      ok: false,
      message: "Organisationsnumret ska vara tio siffror, NNNNNN-NNNN",
    });
  });

  it("generates Luhn-valid numbers", () => {
    for (let i = 0; i < 1000; i++) {
      const org = generateOrgNumber(`212000${String(i).padStart(3, "0")}`);
      expect(org).toMatch(/^212000-\d{4}$/);
      expect(luhnValid(org.replace("-", ""))).toBe(true);
      expect(parseOrgNumber(org)).toEqual({ ok: true, value: org });
      expect(isMunicipalOrgNumber(org)).toBe(true);
    }
    expect(generateOrgNumber("212000014")).toBe("212000-0142");
    expect(() => generateOrgNumber("21200001")).toThrow(RangeError);
  });

  it("knows municipal numbers by 2120", () => {
    expect(isMunicipalOrgNumber("2120001234")).toBe(true);
    expect(isMunicipalOrgNumber("222000-1354")).toBe(false); // a state agency
    expect(isMunicipalOrgNumber("802000-0000")).toBe(false);
  });
});

describe("parsePostalCode", () => {
  it.each([
    ["111 29", "111 29"],
    ["11129", "111 29"],
    [" 412 96 ", "412 96"],
  ])("%j → %s", (s, value) => {
    expect(parsePostalCode(s)).toEqual({ ok: true, value });
  });
  it.each(["1112", "111 299", "11 129", "abc de", ""])("rejects %j", (s) => {
    expect(parsePostalCode(s)).toEqual({ ok: false, message: "Postnumret ska vara fem siffror, NNN NN" });
  });
});

describe("parseBankgiro", () => {
  it("5050-1055, Bankgirot's test number, is valid (worked by hand)", () => {
    // Luhn over 5050105, doubling from the right: 5→10→1, 0, 1→2, 0, 5→1, 0, 5→1 → 5 → check digit 5.
    expect(luhnCheckDigit("5050105")).toBe(5);
    expect(parseBankgiro("5050-1055")).toEqual({ ok: true, value: "5050-1055" });
    expect(parseBankgiro("50501055")).toEqual({ ok: true, value: "5050-1055" });
  });

  it("accepts seven digits as NNN-NNNN", () => {
    // 123456 + Luhn: 6→12→3, 5, 4→8, 3, 2→4, 1 → 24 → 6.
    expect(parseBankgiro("1234566")).toEqual({ ok: true, value: "123-4566" });
    expect(parseBankgiro("123-4566")).toEqual({ ok: true, value: "123-4566" });
  });

  it("rejects a wrong check digit", () => {
    expect(parseBankgiro("5050-1056")).toEqual({ ok: false, message: "Kontrollsiffran i bankgironumret stämmer inte" });
  });

  it.each(["505-01055", "123456", "123456789", "5050_1055", ""])("rejects the form %j", (s) => {
    const result = parseBankgiro(s);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^Bankgironumret ska vara sju eller åtta siffror/);
  });
});

describe("parseVatNumber", () => {
  it.each([
    ["SE212000014201", "SE212000014201"],
    ["se212000014201", "SE212000014201"],
    ["SE 212000-0142 01", "SE212000014201"],
  ])("%j → %s", (s, value) => {
    expect(parseVatNumber(s)).toEqual({ ok: true, value });
  });
  it.each(["SE2120000142", "SE21200001420", "DK212000014201", "212000014201", "SE212000014202"])(
    "rejects the form %j",
    (s) => {
      expect(parseVatNumber(s).ok).toBe(false);
    },
  );
  it("rejects an organisation number with a wrong check digit", () => {
    expect(parseVatNumber("SE212000014301")).toEqual({
      ok: false,
      message: "Organisationsnumret i momsregistreringsnumret har fel kontrollsiffra",
    });
  });
});
