import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { describeChanges, formatAuditValue, formatStockholmTime } from "../../app/lib/audit-format";
import { auditActionLabel } from "../../app/lib/i18n";

describe("formatStockholmTime", () => {
  test.each([
    ["2026-12-01T13:05:09.123Z", "2026-12-01 14:05"], // winter: UTC+1
    ["2026-07-01T13:05:00.000Z", "2026-07-01 15:05"], // summer: UTC+2
    ["2026-12-31T23:30:00.000Z", "2027-01-01 00:30"], // already the new year in Sweden
    ["not a time", "not a time"],
  ])("%s → %s", (iso, expected) => {
    expect(formatStockholmTime(iso)).toBe(expected);
  });
});

describe("formatAuditValue", () => {
  test.each([
    ["annualFeeOre", 1_600_000, "16 000,00 kr"],
    ["amountOre", -50, "-0,50 kr"],
    ["population", 72136, "72 136"],
    ["active", true, "ja"],
    ["fSkatt", false, "nej"],
    ["note", null, "–"],
    ["role", "treasurer", "Kassör"],
    ["allocationKey", "base_plus_per_capita", "Grundbelopp + per invånare"],
    ["chargeKinds", ["annual_fee", "project_share"], "Årsavgift, Projektandel"],
    ["lines", [{ a: 1 }, { a: 2 }], "2 rader"],
    ["createdAt", "2026-12-01T13:05:00.000Z", "2026-12-01 14:05"],
    ["vatExemptionTexts", '{"annual_fee":"Momsfri"}', "Årsavgift: Momsfri"],
    ["vatRate", 0.25, "0,25"],
  ])("%s = %j → %s", (key, value, expected) => {
    expect(formatAuditValue(key, value)).toBe(expected);
  });
});

describe("describeChanges", () => {
  test("an update lists only the changed fields, in Swedish, amounts in kronor", () => {
    const before = JSON.stringify({
      id: 7,
      name: "Ale kommun",
      annualFeeOre: 800_000,
      updatedAt: "2026-01-01T00:00:00Z",
    });
    const after = JSON.stringify({
      id: 7,
      name: "Ale kommun",
      annualFeeOre: 1_600_000,
      updatedAt: "2026-12-01T00:00:00Z",
    });
    expect(describeChanges(before, after)).toEqual([
      { field: "Årsavgift", before: "8 000,00 kr", after: "16 000,00 kr" },
    ]);
  });
  test("a creation lists what it was created with, without empty or hidden fields", () => {
    const after = JSON.stringify({
      id: 3,
      email: "a@b.se",
      role: "admin",
      passwordHash: "scrypt$…",
      note: null,
      createdAt: "2026-12-01T00:00:00Z",
    });
    expect(describeChanges(null, after)).toEqual([
      { field: "E-post", before: null, after: "a@b.se" },
      { field: "Roll", before: null, after: "Styrelsen (admin)" },
    ]);
  });
  test("a deletion lists what was removed", () => {
    expect(describeChanges(JSON.stringify({ year: 2025, population: 72136 }), null)).toEqual([
      { field: "År", before: "2025", after: null },
      { field: "Invånarantal", before: "72 136", after: null },
    ]);
  });
  test("unknown fields keep their name; plain values and unreadable text still show", () => {
    expect(describeChanges(null, JSON.stringify({ fooBar: "x" }))).toEqual([
      { field: "fooBar", before: null, after: "x" },
    ]);
    expect(describeChanges(null, "3")).toEqual([{ field: "Värde", before: null, after: "3" }]);
    expect(describeChanges("not json", null)).toEqual([{ field: "Värde", before: "not json", after: null }]);
    expect(describeChanges(null, null)).toEqual([]);
  });
  test("every action code the use cases write has Swedish words", () => {
    // The codes as written in the features' writeAudit calls ("member.update", and both arms of a ternary).
    const dir = path.resolve(__dirname, "../../app/features");
    const codes = new Set<string>();
    for (const file of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      for (const m of text.matchAll(/action:[^\n,}]*/g))
        for (const c of m[0].matchAll(/"([a-z_]+\.[a-z_]+)"/g)) codes.add(c[1]);
    }
    expect(codes.size).toBeGreaterThan(20);
    const missing = [...codes].filter((c) => !auditActionLabel[c]);
    expect(missing).toEqual([]);
    expect(auditActionLabel["member.update"]).toBe("Ändrade medlem");
  });
});
