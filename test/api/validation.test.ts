import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateOrgNumber } from "../../billing/identifiers";
import { demoOrgNumber, FOUR_MUNICIPALITIES, newMunicipality } from "../support/association";
import { type Api, type Served, startServed, stopServed } from "../support/http";

/*
 * Bad input (docs/quality.md#bad-input): every rule answers with its status, the field it is about and a clear message, and
 * nothing reaches the database (row counts of every table, the audit log included, are unchanged).
 */
let ctx: Served;
beforeAll(async () => {
  ctx = await startServed({ municipalities: FOUR_MUNICIPALITIES });
});
afterAll(async () => {
  await stopServed(ctx);
});

type Res = Awaited<ReturnType<Api["get"]>>;

const thisYear = new Date().getFullYear();
const validOrg = generateOrgNumber("212000140");
const nonMunicipalOrg = generateOrgNumber("556036079"); // Luhn-valid, but an aktiebolag's number
const luhnInvalidOrg = validOrg.slice(0, -1) + String((Number(validOrg.slice(-1)) + 1) % 10);
const bracket = (minPopulation: number, name: string, annualFee: unknown = "8000.00") => ({
  name,
  minPopulation,
  entryFee: "5000.00",
  annualFee,
});

interface Case {
  rule: string;
  call: (c: Served) => Promise<Res>;
  status: number;
  code: string;
  /** The exact `fields` of the answer; undefined when the answer has none. */
  fields?: Record<string, string | RegExp>;
}

const post = (body: Record<string, unknown>) => (c: Served) =>
  c.api.admin.post("/members", newMunicipality({ orgNumber: validOrg, ...body }));
const putPopulation = (year: string | number, body: unknown) => (c: Served) =>
  c.api.admin.put(`/members/${c.members.molndal}/populations/${year}`, body);
const postSchedule = (body: Record<string, unknown>) => (c: Served) =>
  c.api.admin.post("/fee-schedules", {
    validFrom: thisYear + 1,
    brackets: [bracket(0, "small"), bracket(10_000, "medium")],
    ...body,
  });

const CASES: Case[] = [
  {
    rule: "municipality code of 3 digits",
    call: post({ municipalityCode: "148" }),
    status: 422,
    code: "validation_failed",
    fields: { municipalityCode: "Kommunkoden ska vara fyra siffror" },
  },
  {
    rule: "municipality code in county 26",
    call: post({ municipalityCode: "2601" }),
    status: 422,
    code: "validation_failed",
    fields: { municipalityCode: "Länskoden (de två första siffrorna) ska vara 01–25" },
  },
  {
    rule: "municipality without a code",
    call: post({ municipalityCode: undefined }),
    status: 422,
    code: "validation_failed",
    fields: { municipalityCode: "En kommun måste ha en kommunkod" },
  },
  {
    rule: "organisation with a code",
    call: post({ kind: "organisation", municipalityCode: "1402" }),
    status: 422,
    code: "validation_failed",
    fields: { municipalityCode: "Bara kommuner har kommunkod; lämna fältet tomt för en organisation" },
  },
  {
    rule: "municipal org number not starting with 2120",
    call: post({ orgNumber: nonMunicipalOrg }),
    status: 422,
    code: "validation_failed",
    fields: { orgNumber: "En kommuns organisationsnummer börjar med 2120" },
  },
  {
    rule: "Luhn-invalid org number",
    call: post({ orgNumber: luhnInvalidOrg }),
    status: 422,
    code: "validation_failed",
    fields: { orgNumber: "Kontrollsiffran i organisationsnumret stämmer inte" },
  },
  {
    rule: "org number of the wrong length",
    call: post({ orgNumber: "21200-1234" }),
    status: 422,
    code: "validation_failed",
    fields: { orgNumber: "Organisationsnumret ska vara tio siffror, NNNNNN-NNNN" },
  },
  {
    rule: "bad postal code (dotted path)",
    call: post({ invoiceAddress: { street: "Gatan 1", postalCode: "4338", city: "Partille" } }),
    status: 422,
    code: "validation_failed",
    fields: { "invoiceAddress.postalCode": "Postnumret ska vara fem siffror, NNN NN" },
  },
  {
    rule: "bad e-mail",
    call: post({ invoiceEmail: "faktura(at)partille.se" }),
    status: 422,
    code: "validation_failed",
    fields: { invoiceEmail: "E-postadressen för fakturor ser inte ut som en e-postadress" },
  },
  {
    rule: "impossible date 2025-02-30",
    call: post({ joinedOn: "2025-02-30" }),
    status: 422,
    code: "validation_failed",
    fields: { joinedOn: "Inträdesdatumet ska vara ett datum ÅÅÅÅ-MM-DD" },
  },
  {
    rule: "resignedOn before joinedOn (create)",
    call: post({ joinedOn: "2026-03-01", resignedOn: "2026-02-28" }),
    status: 422,
    code: "validation_failed",
    fields: { resignedOn: "Utträdet kan inte ligga före inträdet" },
  },
  {
    rule: "resignedOn before joinedOn (patch, checked on the merged member)",
    call: (c) => c.api.admin.patch(`/members/${c.members.molndal}`, { resignedOn: "2019-12-31" }),
    status: 422,
    code: "validation_failed",
    fields: { resignedOn: "Utträdet kan inte ligga före inträdet" },
  },
  {
    rule: "patch turning a municipality into an organisation that keeps its code",
    call: (c) => c.api.admin.patch(`/members/${c.members.molndal}`, { kind: "organisation" }),
    status: 422,
    code: "validation_failed",
    fields: { municipalityCode: "Bara kommuner har kommunkod; lämna fältet tomt för en organisation" },
  },
  {
    rule: "duplicate municipality code",
    call: post({ municipalityCode: "1480" }),
    status: 409,
    code: "duplicate",
    fields: { municipalityCode: "Kommunkoden används redan av Göteborg kommun" },
  },
  {
    rule: "duplicate org number",
    call: (c) => post({ orgNumber: demoOrgNumber("1481") })(c),
    status: 409,
    code: "duplicate",
    fields: { orgNumber: "Organisationsnumret används redan av Mölndal kommun" },
  },
  {
    rule: "duplicate org number by patch",
    call: (c) => c.api.admin.patch(`/members/${c.members.molndal}`, { orgNumber: demoOrgNumber("1480") }),
    status: 409,
    code: "duplicate",
    fields: { orgNumber: "Organisationsnumret används redan av Göteborg kommun" },
  },
  {
    rule: "negative population",
    call: putPopulation(2025, { population: -1 }),
    status: 422,
    code: "validation_failed",
    fields: { population: "Invånarantalet ska vara minst 0" },
  },
  {
    rule: 'population as the string "abc"',
    call: putPopulation(2025, { population: "abc" }),
    status: 422,
    code: "validation_failed",
    fields: { population: "Invånarantalet ska vara ett heltal" },
  },
  {
    rule: "population with decimals",
    call: putPopulation(2025, { population: 71420.5 }),
    status: 422,
    code: "validation_failed",
    fields: { population: "Invånarantalet ska vara ett heltal" },
  },
  {
    rule: "negative population in a new member (nested path)",
    call: post({ population: { year: 2025, population: -5 } }),
    status: 422,
    code: "validation_failed",
    fields: { "population.population": "Invånarantalet ska vara minst 0" },
  },
  {
    rule: "population year 1800",
    call: putPopulation(1800, { population: 71_420 }),
    status: 422,
    code: "validation_failed",
    fields: { year: "Året ska vara minst 2000" },
  },
  {
    rule: "population year that is not a number",
    call: putPopulation("tjugo", { population: 71_420 }),
    status: 422,
    code: "validation_failed",
    fields: { year: "Året ska vara ett heltal" },
  },
  {
    rule: "unknown extra field",
    call: post({ colour: "blå" }),
    status: 422,
    code: "validation_failed",
    fields: { colour: "Okänt fält" },
  },
  {
    rule: "unknown nested field",
    call: post({ invoiceAddress: { street: "Gatan 1", postalCode: "433 82", city: "Partille", country: "SE" } }),
    status: 422,
    code: "validation_failed",
    fields: { "invoiceAddress.country": "Okänt fält" },
  },
  {
    rule: "unknown field in a patch",
    call: (c) => c.api.admin.patch(`/members/${c.members.molndal}`, { populations: [{ year: 2025, population: 1 }] }),
    status: 422,
    code: "validation_failed",
    fields: { populations: "Okänt fält" },
  },
  {
    rule: "a __proto__ key is an unknown field, not a prototype",
    call: (c) =>
      c.api.admin.raw(
        "POST",
        "/members",
        JSON.stringify(newMunicipality({ orgNumber: validOrg })).replace(/^\{/, '{"__proto__":{"admin":true},'),
      ),
    status: 422,
    code: "validation_failed",
    fields: { ["__proto__"]: "Okänt fält" },
  },
  {
    rule: "broken JSON",
    call: (c) => c.api.admin.raw("POST", "/members", '{"kind": "municipality", "name": '),
    status: 400,
    code: "malformed_json",
  },
  {
    rule: "text/plain body",
    call: (c) =>
      c.api.admin.raw("POST", "/members", JSON.stringify(newMunicipality({ orgNumber: validOrg })), {
        "Content-Type": "text/plain",
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    rule: "a form-encoded body",
    call: (c) =>
      c.api.admin.raw("PUT", `/members/${c.members.molndal}/populations/2025`, "population=5", {
        "Content-Type": "application/x-www-form-urlencoded",
      }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    rule: "JSON that is not an object",
    call: (c) => c.api.admin.raw("POST", "/members", "[1, 2, 3]"),
    status: 422,
    code: "validation_failed",
    fields: { _: "Skicka ett JSON-objekt" },
  },
  {
    rule: "fee schedule not starting at 0",
    call: postSchedule({ brackets: [bracket(1, "small"), bracket(10_000, "medium")] }),
    status: 422,
    code: "validation_failed",
    fields: { "brackets.0.minPopulation": "Det första intervallet ska börja på 0 invånare" },
  },
  {
    rule: "non-increasing brackets",
    call: postSchedule({ brackets: [bracket(0, "small"), bracket(10_000, "medium"), bracket(10_000, "large")] }),
    status: 422,
    code: "validation_failed",
    fields: { "brackets.2.minPopulation": "Lägsta invånarantal ska vara större än föregående intervalls (10000)" },
  },
  {
    rule: "fee schedule for a past year",
    call: postSchedule({ validFrom: thisYear - 1 }),
    status: 422,
    code: "validation_failed",
    fields: { validFrom: `Ange ett år efter ${thisYear - 1}: redan fakturerade år ändras inte` },
  },
  {
    rule: "duplicate validFrom",
    call: postSchedule({ validFrom: 2005 }),
    status: 409,
    code: "duplicate",
    fields: { validFrom: "Det finns redan en avgiftsmodell från 2005" },
  },
  {
    rule: "negative fee",
    call: postSchedule({ brackets: [bracket(0, "small", "-8000.00")] }),
    status: 422,
    code: "validation_failed",
    fields: { "brackets.0.annualFee": "Årsavgiften får inte vara negativt" },
  },
  {
    rule: "fee with 3 decimals",
    call: postSchedule({ brackets: [bracket(0, "small"), bracket(10_000, "medium", "16000.005")] }),
    status: 422,
    code: "validation_failed",
    fields: { "brackets.1.annualFee": "Årsavgiften ska vara ett belopp i kronor med högst två decimaler" },
  },
  {
    rule: "a fee as a JSON number (amounts are strings)",
    call: postSchedule({ brackets: [bracket(0, "small", 8000.125)] }),
    status: 422,
    code: "validation_failed",
    fields: {
      "brackets.0.annualFee": 'Årsavgiften ska anges som text med två decimaler, t.ex. "12.50", inte som ett tal',
    },
  },
  {
    rule: "fee schedule without brackets",
    call: postSchedule({ brackets: [] }),
    status: 422,
    code: "validation_failed",
    fields: { brackets: "Avgiftsmodellen måste ha minst ett intervall" },
  },
  {
    rule: "unknown field in a bracket",
    call: postSchedule({ brackets: [{ ...bracket(0, "small"), vat: 25 }] }),
    status: 422,
    code: "validation_failed",
    fields: { "brackets.0.vat": "Okänt fält" },
  },
  {
    rule: "fees without a year",
    call: (c) => c.api.admin.get("/fees"),
    status: 422,
    code: "validation_failed",
    fields: { year: "Året måste anges" },
  },
  {
    rule: "fees for year 1800",
    call: (c) => c.api.admin.get("/fees?year=1800"),
    status: 422,
    code: "validation_failed",
    fields: { year: "Året ska vara minst 2000" },
  },
  {
    rule: "fees for year 2101",
    call: (c) => c.api.treasurer.get("/fees?year=2101"),
    status: 422,
    code: "validation_failed",
    fields: { year: "Året får vara högst 2100" },
  },
];

describe("bad input is refused with a message per field and stores nothing", () => {
  test.each(CASES.map((c) => [c.rule, c] as const))("%s", async (_rule, c) => {
    const before = ctx.snapshot();
    const molndal = (await ctx.api.admin.get(`/members/${ctx.members.molndal}`)).json;
    const res = await c.call(ctx);
    expect(res.status, res.text).toBe(c.status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json.error.code).toBe(c.code);
    expect(res.json.error.message).toEqual(expect.any(String));
    if (c.fields) {
      expect(Object.keys(res.json.error.fields).sort()).toEqual(Object.keys(c.fields).sort());
      for (const [field, message] of Object.entries(c.fields)) {
        if (message instanceof RegExp) expect(res.json.error.fields[field]).toMatch(message);
        else expect(res.json.error.fields[field]).toBe(message);
      }
    } else {
      expect(res.json.error.fields).toBeUndefined();
    }
    expect(ctx.snapshot()).toEqual(before);
    expect((await ctx.api.admin.get(`/members/${ctx.members.molndal}`)).json).toEqual(molndal);
  });

  test("several bad fields are all reported at once, one message each", async () => {
    const before = ctx.snapshot();
    const res = await ctx.api.admin.post(
      "/members",
      newMunicipality({
        name: "",
        municipalityCode: "99",
        orgNumber: luhnInvalidOrg,
        joinedOn: "igår",
        invoiceEmail: "x",
        extra: 1,
      }),
    );
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toEqual({
      name: "Namnet måste anges",
      municipalityCode: "Kommunkoden ska vara fyra siffror",
      orgNumber: "Kontrollsiffran i organisationsnumret stämmer inte",
      joinedOn: "Inträdesdatumet ska vara ett datum ÅÅÅÅ-MM-DD",
      invoiceEmail: "E-postadressen för fakturor ser inte ut som en e-postadress",
      extra: "Okänt fält",
    });
    expect(ctx.snapshot()).toEqual(before);
  });

  test("a valid request after all that still works (the rules are not just refusing everything)", async () => {
    const before = ctx.snapshot();
    const res = await ctx.api.admin.post("/members", newMunicipality({ orgNumber: validOrg }));
    expect(res.status).toBe(201);
    expect(ctx.snapshot()).toMatchObject({ members: before.members + 1, populations: before.populations + 1 });
  });
});

describe("nothing a client sends gives a 500", () => {
  const bodies: Array<[string, string]> = [
    ["null", "null"],
    ["a number", "42"],
    ["a string", '"hej"'],
    ["an empty object", "{}"],
    ["deep nesting", "[".repeat(5000) + "]".repeat(5000)],
    [
      "wrong types everywhere",
      JSON.stringify({
        kind: 1,
        name: [],
        municipalityCode: {},
        orgNumber: true,
        joinedOn: 20250101,
        invoiceAddress: "Storgatan",
        population: [1],
        brackets: "many",
        validFrom: "2027x",
        role: 5,
        active: "maybe",
        memberId: -1,
        email: {},
        password: null,
      }),
    ],
    [
      "huge numbers",
      JSON.stringify({
        population: 1e308,
        validFrom: 99999999999999999999,
        memberId: 1e20,
        brackets: [{ name: "a", minPopulation: 1e300, entryFee: 1e300, annualFee: "9".repeat(400) }],
      }),
    ],
    [
      "very long strings",
      JSON.stringify({ name: "x".repeat(100_000), email: "a".repeat(10_000) + "@x.se", password: "p".repeat(10_000) }),
    ],
  ];
  const targets = (c: Served): Array<[string, string]> => [
    ["POST", "/tokens"],
    ["POST", "/members"],
    ["PATCH", `/members/${c.members.molndal}`],
    ["PUT", `/members/${c.members.molndal}/populations/2025`],
    ["POST", "/fee-schedules"],
    ["POST", "/users"],
    ["PATCH", `/users/${c.users.member.id}`],
  ];

  test("odd bodies to every writing endpoint answer 4xx in the error format", async () => {
    const before = ctx.snapshot();
    for (const [method, path] of targets(ctx)) {
      for (const [label, body] of bodies) {
        const res = await ctx.api.admin.raw(method, path, body);
        expect(res.status, `${method} ${path} with ${label}`).toBeLessThan(500);
        // An empty PATCH is a valid no-op; everything else here is refused.
        if (method === "PATCH" && body === "{}") continue;
        expect(res.status, `${method} ${path} with ${label}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.json?.error?.code, `${method} ${path} with ${label}`).toEqual(expect.any(String));
      }
    }
    expect(ctx.snapshot().members).toBe(before.members);
    expect(ctx.snapshot().fee_schedules).toBe(before.fee_schedules);
    expect(ctx.snapshot().users).toBe(before.users);
    // apiHandler logs whatever it had to turn into a 500; nothing may have got that far.
    expect(ctx.server.output()).not.toMatch(/Error|internal_error/);
  });

  test("odd paths and query strings answer 4xx", async () => {
    for (const path of [
      "/members/0",
      "/members/-1",
      "/members/1e3",
      "/members/99999999999999999999",
      "/users/abc",
      "/fees?year=2026.5",
      "/fees?year=%00",
      "/fees?year=2027x",
      "/fees?year=",
    ]) {
      const res = await ctx.api.admin.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
