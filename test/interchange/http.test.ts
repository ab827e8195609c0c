import { parse } from "csv-parse/sync";
import { generateOrgNumber } from "../../billing/identifiers";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServed, stopServed, type Served } from "../support/http";
import { readSie } from "../billing/sie-reader";
import { scbTableXlsx } from "../billing/scb-files";

/*
 * The file formats over HTTP against the real server: routing, roles, status codes and what is sent (the use
 * cases themselves are tested in-process next to this file).
 */
let f: Served;
const YEAR = new Date().getFullYear();

beforeAll(async () => {
  f = await startServed({ organisation: true, prefix: "sambruk-interchange-" });
}, 120_000);
afterAll(() => stopServed(f));

async function rawPost(
  path: string,
  token: "admin" | "treasurer",
  body: Uint8Array,
  headers: Record<string, string> = {},
) {
  return fetch(`${f.url}/api/v1${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${f.token[token]}`, "Content-Type": "application/octet-stream", ...headers },
    body: body as unknown as BodyInit,
  });
}

describe("POST /api/v1/population-imports and …/{id}/apply", () => {
  test("the board uploads SCB's XLSX: 201 with the stored preview, then 200 {applied}, then 409", async () => {
    const res = await f.api.admin.raw("POST", `/population-imports?year=2024`, undefined);
    expect(res.status).toBe(422); // no body
    const xlsx = await scbTableXlsx(2024);
    const created = await rawPost(`/population-imports?year=2024`, "admin", xlsx);
    expect(created.status).toBe(201);
    const preview = await created.json();
    expect(preview).toMatchObject({ year: 2024, status: "preview", layout: "scb_table", errors: 0 });
    // The reference members have 2024 figures: Botkyrka's equals the file's, Göteborg's and Dals-Ed's too.
    expect(preview.rows.find((r: { code: string }) => r.code === "0127")).toMatchObject({
      status: "unchanged",
      memberId: f.member["0127"],
    });
    expect(preview.rows.find((r: { code: string }) => r.code === "0114")).toMatchObject({
      status: "not_member",
      memberId: null,
    });
    const apply = await f.api.admin.post(`/population-imports/${preview.id}/apply`, {});
    expect(apply.status).toBe(200);
    expect(apply.json).toEqual({ applied: preview.toApply });
    const again = await f.api.admin.post(`/population-imports/${preview.id}/apply`, {});
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("already_applied");
  });

  test("a row in error: 201 with the row, and apply is 409; the treasurer and members may not", async () => {
    const created = await rawPost(
      `/population-imports?year=2030`,
      "admin",
      Buffer.from("code,name,county,population\n1480,Göteborg,,många\n"),
    );
    expect(created.status).toBe(201);
    const preview = await created.json();
    expect(preview.rows).toEqual([
      expect.objectContaining({ line: 2, status: "error", message: "Invånarantalet ”många” är inte ett heltal" }),
    ]);
    const apply = await f.api.admin.post(`/population-imports/${preview.id}/apply`, {});
    expect(apply.status).toBe(409);
    expect(apply.json.error.code).toBe("rows_in_error");
    expect((await rawPost(`/population-imports?year=2030`, "treasurer", Buffer.from("x"))).status).toBe(403);
    expect((await f.api.member.post(`/population-imports/${preview.id}/apply`, {})).status).toBe(403);
  });

  test("a file that does not read is 422 with the reason, a bad year 422, an unknown import 404, over 10 MB 413", async () => {
    const unreadable = await rawPost(`/population-imports?year=2024`, "admin", Buffer.from("a;b\n1;2\n"));
    expect(unreadable.status).toBe(422);
    expect((await unreadable.json()).error.fields.file).toMatch(/Känner inte igen filen/);
    const badYear = await rawPost(`/population-imports?year=tjugo`, "admin", Buffer.from("x"));
    expect(badYear.status).toBe(422);
    expect((await badYear.json()).error.fields.year).toBeDefined();
    expect((await f.api.admin.post(`/population-imports/999999/apply`, {})).status).toBe(404);
    const big = await rawPost(`/population-imports?year=2024`, "admin", new Uint8Array(10 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
  });

  test("the page: an upload without JavaScript is previewed on its own address", async () => {
    const form = new FormData();
    form.set("year", "2024");
    form.set("file", new Blob([new Uint8Array(await scbTableXlsx(2024))]), "be0101.xlsx");
    const res = await fetch(`${f.url}/populations/import`, {
      method: "POST",
      body: form,
      headers: { Cookie: f.cookie.admin, Origin: f.url },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/populations\/import\?id=\d+$/);
    const page = (await (await f.page.admin.get(location)).text()).replace(/<!-- -->/g, "");
    expect(page).toContain("Förhandsgranskning för 2024");
    expect(page).toContain("SCB:s tabell, XLSX");
  });
});

describe("GET /api/v1/exports/sie", () => {
  test("staff get the CP437 file of the period; a member 403; a bad period 422 per field", async () => {
    const res = await f.api.treasurer.raw("GET", `/exports/sie?from=${YEAR}-01-01&to=${YEAR}-12-31`, undefined);
    // Until the association's details are saved, the export names what is missing.
    if (res.status === 409) expect(res.json.error.code).toBe("settings_missing");
    expect((await f.api.member.get(`/exports/sie?from=${YEAR}-01-01&to=${YEAR}-12-31`)).status).toBe(403);
    const bad = await f.api.treasurer.get(`/exports/sie?from=${YEAR}-12-31&to=${YEAR}-01-01`);
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.to).toBe("Till och med får inte ligga före från och med");
    expect((await f.api.treasurer.get(`/exports/sie?from=igår`)).json.error.fields).toMatchObject({
      from: expect.any(String),
      to: expect.any(String),
    });
  });

  test("with the settings saved: the file downloads, reads back, and carries å/ä/ö in CP437", async () => {
    const { saveSettings } = await import("../../app/features/settings/commands.server");
    const { SYSTEM_SCOPE } = await import("../../db/scope");
    saveSettings(SYSTEM_SCOPE, {
      name: "Intresseföreningen för Sambruk",
      orgNumber: "802412-3344",
      vatNumber: null,
      street: "Box 1",
      postalCode: "111 11",
      city: "Stockholm",
      email: "kansli@sambruk.example.se",
      phone: null,
      bankgiro: "5050-1055",
      paymentTermsDays: 30,
      nextInvoiceNumber: YEAR * 1000 + 1,
      ourReference: "Kim Kassör",
      vatRateEntryFee: 0,
      vatRateAnnualFee: 0,
      vatRateProjectShare: 0,
      vatExemptionText: "Momsfri",
      footer: "",
    });
    const run = await f.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["annual_fee"] });
    expect(run.status).toBe(201);
    expect((await f.api.treasurer.post(`/billing-runs/${run.json.id}/issue`, {})).status).toBe(200);
    const res = await fetch(`${f.url}/api/v1/exports/sie?from=${YEAR}-01-01&to=${YEAR}-12-31`, {
      headers: { Authorization: `Bearer ${f.token.treasurer}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=IBM437");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="sambruk-${YEAR}0101-${YEAR}1231.si"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const sie = readSie(bytes);
    expect(sie.errors).toEqual([]);
    expect(sie.fnamn).toBe("Intresseföreningen för Sambruk");
    expect(sie.vouchers.length).toBe(run.json.invoices.length);
    expect(sie.vouchers.some((v) => v.text.includes("Mölndal kommun"))).toBe(true);
    expect(bytes.includes(0x94)).toBe(true); // ö in CP437
  });
});

describe("the CSV exports", () => {
  test("a member name that starts a formula is neutralised in the invoice CSV and the allocation CSV", async () => {
    const evil = await f.api.admin.post("/members", {
      kind: "organisation",
      name: '=HYPERLINK("http://evil.example","Klicka")',
      orgNumber: generateOrgNumber("222000009"),
      joinedOn: "2020-01-01",
      population: { year: YEAR - 1, population: 1000 },
      invoiceAddress: { street: "Box 2", postalCode: "111 22", city: "Stockholm" },
    });
    if (evil.status !== 201) throw new Error(`member: ${evil.status} ${evil.text}`);
    const project = f.addProject({ code: "CSV-1", allocationKey: "per_capita" });
    f.setBudget(project, YEAR, "1000");
    f.addParticipant(project, evil.json.id, `${YEAR}-01-01`);
    f.addParticipant(project, f.member["1438"], `${YEAR}-01-01`);

    const allocation = await f.page.member.get(`/projects/${project}/allocation.csv?year=${YEAR}`);
    expect(allocation.status).toBe(200); // Dals-Ed, the member user's municipality, takes part
    const rows = parse(await allocation.text(), { bom: true, delimiter: ";" }) as string[][];
    const row = rows.find((r) => r[2].includes("HYPERLINK"))!;
    expect(row[2]).toBe(`'=HYPERLINK("http://evil.example","Klicka")`);
    expect(row[8]).toMatch(/^\d+,\d{2}$/);
    const comma = parse(
      await (await f.page.admin.get(`/projects/${project}/allocation.csv?year=${YEAR}&sep=comma`)).text(),
      { bom: true },
    ) as string[][];
    expect(comma[rows.indexOf(row)][8]).toMatch(/^\d+\.\d{2}$/);

    const run = await f.api.treasurer.post("/billing-runs", { year: YEAR, charges: ["project_share"] });
    expect(
      run.json.invoices.some((i: { memberId: number }) => i.memberId === evil.json.id),
      run.text,
    ).toBe(true);
    expect((await f.api.treasurer.post(`/billing-runs/${run.json.id}/issue`, {})).status).toBe(200);
    const invoices = parse(await (await f.page.treasurer.get(`/invoices.csv?year=${YEAR}`)).text(), {
      bom: true,
      delimiter: ";",
    }) as string[][];
    const evilRow = invoices.find((r) => r[5].includes("HYPERLINK"))!;
    expect(evilRow[5].startsWith("'=")).toBe(true);
    expect(invoices.every((r) => !/^[=+\-@]/.test(r[5]))).toBe(true);
  });

  test("a member user gets no allocation CSV of a project it is not in", async () => {
    const project = f.addProject({ code: "CSV-2", allocationKey: "per_capita" });
    f.setBudget(project, YEAR, "1000");
    f.addParticipant(project, f.member["1480"], `${YEAR}-01-01`);
    const res = await f.page.member.get(`/projects/${project}/allocation.csv?year=${YEAR}`);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("Göteborg");
    expect((await f.page.treasurer.get(`/projects/${project}/allocation.csv?year=${YEAR}`)).status).toBe(200);
  });
});
