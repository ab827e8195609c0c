import { describe, expect, test } from "vitest";
import { population, year } from "../../app/lib/schemas";

/* Whole numbers typed into forms: the app writes "72 136", so a person may type it back that way. */
describe("whole-number fields", () => {
  test.each([
    ["72136", 72_136],
    ["72 136", 72_136],
    ["72\u00a0136", 72_136], // a no-break space, as copied from a page of the app
    ["72\u202f136", 72_136], // a narrow no-break space, as some spreadsheets write it
    [" 1 608 993 ", 1_608_993],
  ])("%j is %d", (input, expected) => {
    expect(population().parse(input)).toBe(expected);
  });

  test.each(["72 13", "7 2136", "72,136", "72.136", "1 2"])("%j is refused with the field's message", (input) => {
    const r = population().safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0].message).toBe("Invånarantalet ska vara ett heltal");
  });

  test("a year is still four digits", () => {
    expect(year().parse("2026")).toBe(2026);
    expect(year().safeParse("20 26").success).toBe(false);
  });
});
