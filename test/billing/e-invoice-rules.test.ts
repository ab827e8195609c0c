import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultPeppolId,
  effectivePeppolId,
  gs1Valid,
  norwegianOrgValid,
  parsePeppolId,
} from "../../billing/peppol-id";
import { mixesVatCategories, splitForVatCategories } from "../../billing/vat-split";

describe("BR-O-11: out-of-scope and taxed charges on separate invoices", () => {
  const rate = (c: { rate: number }) => c.rate;
  it.each([
    ["all out of scope", [0, 0], [[0, 0]]],
    ["all taxed", [25, 6], [[25, 6]]],
    [
      "mixed: out of scope first, order kept",
      [25, 0, 12, 0],
      [
        [0, 0],
        [25, 12],
      ],
    ],
    ["nothing", [], []],
  ] as const)("%s", (_, rates, groups) => {
    const charges = rates.map((r) => ({ rate: r }));
    expect(splitForVatCategories(charges, rate).map((g) => g.map((c) => c.rate))).toEqual(groups);
  });

  it("partitions every member's charges into at most two invoices, none mixing categories (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.nat(), rate: fc.constantFrom(0, 6, 12, 25) })), (charges) => {
        const groups = splitForVatCategories(charges, rate);
        expect(groups.length).toBeLessThanOrEqual(2);
        expect(groups.every((g) => g.length > 0 && !mixesVatCategories(g.map((c) => ({ vatRate: c.rate }))))).toBe(
          true,
        );
        expect(groups.flat().length).toBe(charges.length);
        // Order is kept within each group.
        for (const g of groups) expect(g).toEqual(charges.filter((c) => g.includes(c)));
      }),
    );
  });
});

describe("Peppol participant ids", () => {
  it.each([
    ["0007:2120001637", "0007:2120001637"],
    ["0007:212000-1637", "0007:2120001637"],
    [" iso6523-actorid-upis::0007:2120001637 ", "0007:2120001637"],
    ["0088:7300010000001", "0088:7300010000001"],
    ["0192:974760673", "0192:974760673"],
  ])("accepts %s as %s", (input, value) => {
    expect(parsePeppolId(input)).toEqual({ ok: true, value });
  });

  it.each([
    ["2120001637", "schema:nummer"],
    ["0007:2120001638", "Kontrollsiffran i organisationsnumret"],
    ["0007:212000163", "tio siffror"],
    ["0088:7300010000002", "GLN"],
    ["0192:974760674", "norska"],
    ["9955:SE212000163701", "Schemat stöds inte"],
  ])("refuses %s with a message about %s", (input, message) => {
    const r = parsePeppolId(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });

  it("defaults to 0007 and the organisation number", () => {
    expect(defaultPeppolId("212000-1637")).toBe("0007:2120001637");
    expect(effectivePeppolId(null, "212000-1637")).toEqual({ scheme: "0007", value: "2120001637" });
    expect(effectivePeppolId("0088:7300010000001", "212000-1637")).toEqual({ scheme: "0088", value: "7300010000001" });
  });

  it("checks GS1 and Norwegian check digits", () => {
    expect(gs1Valid("7300010000001")).toBe(true);
    expect(gs1Valid("7300010000002")).toBe(false);
    expect(norwegianOrgValid("974760673")).toBe(true);
    expect(norwegianOrgValid("974760672")).toBe(false);
  });
});
