import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { association, type Association } from "../support/association";
import { htmlOf as html, serve, type Http } from "../support/http";
import { SHARE_PROJECTS, shareProjectIds } from "./examples";

/*
 * The allocation over HTTP: the page (table and chart), the CSV, the board's overview, and the route's status codes
 * and JSON. What the shares are is tested in-process (test/projects/allocation.test.ts, shares.test.ts); this file
 * checks that the pages and the API show them.
 */
let a: Association;
let h: Http;
let ids: ReturnType<typeof shareProjectIds>;
const more: Record<string, number> = {};

beforeAll(async () => {
  a = await association({
    organisation: true,
    prefix: "sambruk-project-pages-",
    projects: [
      ...SHARE_PROJECTS,
      {
        code: "PC-2",
        allocationKey: "per_capita",
        budgets: { 2026: "300000" },
        participants: [{ member: "0127" }, { member: "0182" }, { member: "1480" }],
      },
      {
        code: "PC-3",
        allocationKey: "per_capita",
        budgets: { 2025: "50000" },
        participants: [{ member: "1480" }, { member: "SKR" }],
      },
      {
        code: "EQ-1",
        allocationKey: "equal",
        budgets: { 2025: "100000.00" },
        participants: [{ member: "1481" }, { member: "0127" }, { member: "1438" }],
      },
    ],
  });
  ids = shareProjectIds(a);
  for (const code of ["PC-2", "PC-3", "EQ-1"]) more[code] = a.project[code];
  h = await serve(a);
  // Nacka gets a 2025 figure over the API; the others only have 2024's.
  const put = await h.api.admin.put(`/members/${a.member["0182"]}/populations/2025`, { population: 112_112 });
  expect(put.status).toBe(200);
});
afterAll(async () => {
  await h?.stop();
  a?.close();
});

describe("GET /api/v1/projects/{id}/allocation", () => {
  it("answers 200 with the shares as two-decimal strings, for a member user too", async () => {
    const res = await h.api.member.get(`/projects/${ids.A}/allocation?year=2025`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      projectId: ids.A,
      year: 2025,
      allocationKey: "per_capita",
      basePercent: null,
      budget: "1000000.00",
      totalPopulation: 685_019,
      totalWeight: null,
      // Ordered by member id; the members were made in the order of data/municipalities-2024.csv.
      shares: [
        expect.objectContaining({ memberId: a.member["1438"], share: "6723.90", populationYear: 2024 }),
        expect.objectContaining({ memberId: a.member["1480"], share: "889016.22", population: 608_993 }),
        expect.objectContaining({ memberId: a.member["1481"], share: "104259.88", populationFallback: false }),
      ],
    });
  });

  it("answers 422 allocation_failed naming the member, and 404 no_budget for a year without a budget", async () => {
    const failed = await h.api.admin.get(`/projects/${more["PC-3"]}/allocation?year=2025`);
    expect(failed.status).toBe(422);
    expect(failed.json.error.code).toBe("allocation_failed");
    expect(Object.keys(failed.json.error.fields)).toEqual([`participants.${a.member.SKR}`]);
    const none = await h.api.admin.get(`/projects/${ids.D}/allocation?year=2025`);
    expect(none.status).toBe(404);
    expect(none.json.error.code).toBe("no_budget");
  });
});

describe("the allocation page of a project-year", () => {
  it("says when a figure older than Y−1 is used, and which year", async () => {
    const page = await h.page.admin.get(`/projects/${more["PC-2"]}/allocation?year=2026`);
    const text = await page.text();
    expect(text).toContain("äldre uppgift");
    expect(text).toContain("95 905 (2024)");
  });

  it("names the member without a population basis, and the CSV answers 422", async () => {
    const page = await h.page.member.get(`/projects/${more["PC-3"]}/allocation?year=2025`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain("kan inte beräknas");
    expect(text).toContain("Sveriges Kommuner och Regioner saknar invånarantal");

    const csv = await h.page.admin.get(`/projects/${more["PC-3"]}/allocation.csv?year=2025`);
    expect(csv.status).toBe(422);
    expect(await csv.text()).toContain("Sveriges Kommuner och Regioner");
  });

  it("shows amounts and per cent in Swedish formats", async () => {
    const page = await h.page.admin.get(`/projects/${more["EQ-1"]}/allocation?year=2025`);
    const text = await page.text();
    expect(text).toContain("33 333,34 kr");
    expect(text).toContain("33,33 %");
    expect(text).toContain("100 000,00 kr");
  });
});

describe("the allocation as CSV", () => {
  it("is UTF-8 with BOM, semicolon-separated with decimal commas, with a header, a row per participant and a sum row", async () => {
    const res = await h.page.member.get(`/projects/${ids.A}/allocation.csv?year=2025`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="fordelning-A-PC-2025.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes).split("\r\n");
    expect(lines).toEqual([
      "Projekt;År;Medlem;Kommunkod;Invånarantal;Invånarår;Äldre invånaruppgift;Vikt;Andel (kr);Andel (%)",
      "A-PC;2025;Dals-Ed kommun;1438;4606;2024;nej;;6723,90;0,67",
      "A-PC;2025;Göteborg kommun;1480;608993;2024;nej;;889016,22;88,90",
      "A-PC;2025;Mölndal kommun;1481;71420;2024;nej;;104259,88;10,43",
      "A-PC;2025;Summa;;685019;;;;1000000,00;100,00",
      "",
    ]);
  });

  it("marks a fallback population and carries weights", async () => {
    const fallback = await (await h.page.admin.get(`/projects/${ids.A}/allocation.csv?year=2026`)).text();
    expect(fallback).toContain("A-PC;2026;Dals-Ed kommun;1438;4606;2024;ja;;8068,68;0,67");
    const fixed = await (await h.page.admin.get(`/projects/${ids.E}/allocation.csv?year=2025`)).text();
    expect(fixed).toContain("E-FX;2025;Nacka kommun;0182;;;;2;66,67;66,67");
    expect(fixed).toContain("E-FX;2025;Summa;;;;;3;100,00;100,00");
  });

  it("answers 404 for a year without a budget", async () => {
    expect((await h.page.admin.get(`/projects/${ids.D}/allocation.csv?year=2025`)).status).toBe(404);
  });
});

describe("the allocation page", () => {
  it("draws the shares as an accessible SVG with a label per bar, next to the table with the sum", async () => {
    const page = await html(await h.page.member.get(`/projects/${ids.A}/allocation?year=2025`));
    const svg = /<svg[^>]*role="img"[^>]*>([\s\S]*?)<\/svg>/.exec(page);
    expect(svg).not.toBeNull();
    expect(svg![0]).toMatch(/aria-labelledby="[^"]+-title [^"]+-desc"/);
    expect(svg![1]).toMatch(/<title id="[^"]+-title">Fördelning av A-PC Projekt A-PC 2025<\/title>/);
    expect(svg![1]).toMatch(/<desc id="[^"]+-desc">Stapeldiagram över 3 deltagares andelar/);
    for (const name of ["Göteborg kommun", "Mölndal kommun", "Dals-Ed kommun"])
      expect(svg![1]).toContain(`>${name}</text>`);
    expect(svg![1]).toContain("889 016,22 kr (88,90 %)");
    expect((svg![1].match(/<rect /g) ?? []).length).toBe(3);
    // The table: one row per participant, the member's own row marked, and the sum equal to the budget.
    expect(page).toContain("6 723,90 kr");
    expect(page).toContain("(ni)");
    expect(page).toMatch(/<tfoot>[\s\S]*1 000 000,00 kr[\s\S]*100,00 %[\s\S]*<\/tfoot>/);
    expect(page).toContain(`href="/projects/${ids.A}/allocation.csv?year=2025"`);
  });

  it("draws no chart when the allocation fails, and names the member instead", async () => {
    const page = await html(await h.page.admin.get(`/projects/${ids.B}/allocation?year=2025`));
    expect(page).not.toContain('role="img"');
    expect(page).toContain("Sveriges Kommuner och Regioner saknar invånarantal för 2024 eller tidigare");
  });

  it("the board's overview shows projects × years with budget, participants and their population", async () => {
    const page = await html(await h.page.admin.get("/projects"));
    expect(page).toContain(`href="/projects/${ids.A}/allocation?year=2026"`);
    expect(page).toContain("1 200 000,00 kr");
    expect(page).toContain("3 deltagare · 685 019 inv.");
    expect(page).toContain("1 saknar invånarantal");
  });
});
