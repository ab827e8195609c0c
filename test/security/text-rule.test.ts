import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { SettingsSchema } from "../../app/lib/billing-schemas";
import { ProjectCreateSchema } from "../../app/lib/project-schemas";
import {
  amount,
  MAX_FORM_INDEX,
  nullableText,
  optionalText,
  population,
  text,
  unflatten,
  unflattenForm,
} from "../../app/lib/schemas";

/* The shared text rule, money as strings and the form parser (docs/security.md), on the schemas themselves. */

const message = (schema: z.ZodTypeAny, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? null : r.error.issues[0].message;
};

describe("one text rule for every text field", () => {
  const oneLine = [text("Namnet"), optionalText("Namnet"), nullableText("Namnet")];
  test.each([
    ["NUL", "Mölndal\u0000 stad", "Namnet innehåller ett otillåtet styrtecken"],
    ["a bell", "Mölndal\u0007", "Namnet innehåller ett otillåtet styrtecken"],
    ["DEL", "Möl\u007fndal", "Namnet innehåller ett otillåtet styrtecken"],
    ["a C1 control", "Möl\u0085ndal", "Namnet innehåller ett otillåtet styrtecken"],
    ["a line break", "Mölndal\nstad", "Namnet får inte innehålla radbrytningar eller tabbar"],
    ["a CR", "Mölndal\rstad", "Namnet får inte innehålla radbrytningar eller tabbar"],
    ["a tab", "Mölndal\tstad", "Namnet får inte innehålla radbrytningar eller tabbar"],
    [
      "a right-to-left override",
      "faktura\u202efdp.exe",
      "Namnet innehåller tecken som vänder textens skrivriktning (U+202A–U+202E, U+2066–U+2069)",
    ],
    [
      "a first-strong isolate",
      "a\u2068b",
      "Namnet innehåller tecken som vänder textens skrivriktning (U+202A–U+202E, U+2066–U+2069)",
    ],
    ["a lone high surrogate", "Möln\ud800dal", "Namnet innehåller ett ogiltigt tecken (ett ensamt surrogattecken)"],
    ["a lone low surrogate", "\udc00Mölndal", "Namnet innehåller ett ogiltigt tecken (ett ensamt surrogattecken)"],
  ])("a one-line field refuses %s", (_what, value, expected) => {
    for (const schema of oneLine) expect(message(schema, value)).toBe(expected);
  });

  test.each(["Mölndals stad", "<script>alert(1)</script>", 'O\'Brien & Co "AB"', "Åre 😀 kommun", "עברית", "‏"])(
    "what a person types is kept: %s",
    (value) => {
      expect(text("Namnet").parse(value)).toBe(value.trim());
    },
  );

  test("a multi-line field (a description, the invoice footer) keeps line breaks but not the rest", () => {
    const project = { code: "P-1", name: "E-tjänst", allocationKey: "equal" };
    expect(ProjectCreateSchema.parse({ ...project, description: "Rad ett\r\nRad två\n\tindrag" }).description).toBe(
      "Rad ett\r\nRad två\n\tindrag",
    );
    expect(message(ProjectCreateSchema, { ...project, description: "a\u0000b" })).toBe(
      "Beskrivningen innehåller ett otillåtet styrtecken",
    );
    expect(message(ProjectCreateSchema, { ...project, description: "a\rb" })).toBe(
      "Beskrivningen innehåller ett otillåtet styrtecken",
    );
    expect(message(ProjectCreateSchema, { ...project, description: "a\u202eb" })).toMatch(/skrivriktning/);
    const footer = SettingsSchema.shape.footer;
    expect(footer.parse("Sambruk\nBox 1")).toBe("Sambruk\nBox 1");
    expect(message(footer, "Sambruk\u0000")).toBe("Sidfoten innehåller ett otillåtet styrtecken");
  });

  test("property: any text without the refused characters passes, any with one of them does not", () => {
    const refused = fc.constantFrom(
      "\u0000",
      "\u0001",
      "\u001b",
      "\u007f",
      "\u009b",
      "\n",
      "\r",
      "\t",
      "\u202a",
      "\u202e",
      "\u2066",
      "\u2069",
      "\ud800",
      "\udfff",
    );
    const plain = fc
      .string({ unit: "grapheme", maxLength: 40 })
      .filter((s) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(s) && s.trim() !== "");
    fc.assert(
      fc.property(plain, refused, fc.nat(40), (s, bad, at) => {
        expect(text("Fältet", 1000).safeParse(s).success).toBe(true);
        const i = Math.min(at, s.length);
        const broken = `x${s.slice(0, i)}${bad}${s.slice(i)}x`;
        expect(text("Fältet", 1000).safeParse(broken).success).toBe(false);
      }),
    );
  });
});

describe("money is a string, never a JSON number", () => {
  test.each([
    [12.5, 'Beloppet ska anges som text med två decimaler, t.ex. "12.50", inte som ett tal'],
    [16000, 'Beloppet ska anges som text med två decimaler, t.ex. "16000.00", inte som ett tal'],
    [0.1 + 0.2, 'Beloppet ska anges som text med två decimaler, t.ex. "12.50", inte som ett tal'],
    [-3, 'Beloppet ska anges som text med två decimaler, t.ex. "12.50", inte som ett tal'],
  ])("%d is refused with the form to send", (value, expected) => {
    expect(message(amount("Beloppet"), value)).toBe(expected);
  });

  test("strings are read as before", () => {
    expect(amount("Beloppet").parse("12.50")).toBe(1250);
    expect(amount("Beloppet").parse("16 000,5")).toBe(1_600_050);
  });
});

describe("the form parser", () => {
  test.each([
    [{ a: "1", "a.b": "2" }, "a.b"],
    [{ "a.b": "2", a: "1" }, "a"],
    [{ "a.0": "1", "a.x": "2" }, "a.x"],
    [{ "a.x": "1", "a.0.y": "2" }, "a.0.y"],
    [{ "a.0.b": "1", "a.0": "2" }, "a.0"],
    [{ [`a.${MAX_FORM_INDEX + 1}.b`]: "1" }, `a.${MAX_FORM_INDEX + 1}.b`],
  ])("%o cannot make one object: the field %s is refused", (values, field) => {
    const r = unflattenForm(values);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fieldErrors)).toEqual([field]);
  });

  test("names that fit together still unflatten", () => {
    expect(unflatten({ "a.b": "1", "a.c": "2", "l.0.x": "3", "l.1.x": "4", z: "5" })).toEqual({
      a: { b: "1", c: "2" },
      l: [{ x: "3" }, { x: "4" }],
      z: "5",
    });
  });

  test("property: any set of dotted names either unflattens or is refused, never throws anything else", () => {
    const name = fc
      .array(fc.constantFrom("a", "b", "0", "1", "5000"), { minLength: 1, maxLength: 4 })
      .map((p) => p.join("."));
    fc.assert(
      fc.property(fc.dictionary(name, fc.string({ maxLength: 3 })), (values) => {
        expect(() => unflattenForm(values)).not.toThrow();
      }),
    );
  });
});

test("the population has one ceiling", () => {
  expect(message(population(), 20_000_001)).toBe("Invånarantalet får vara högst 20000000");
});
