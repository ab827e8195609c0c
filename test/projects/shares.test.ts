import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addParticipant, createProject, html, setBudget, setupAssociation, type Fixture } from "./fixture";

/*
 * What other parts of the system read: every project's shares of a year (billing runs), a member's shares per
 * project and year (the member page), and the allocation as CSV and as a chart.
 */
let f: Fixture;
let svc: typeof import("../../app/features/projects/allocation.server") &
  typeof import("../../app/features/projects/commands.server") &
  typeof import("../../app/features/projects/participants.server") &
  typeof import("../../app/features/projects/queries.server") &
  typeof import("../../app/features/projects/shares.server");
const ids: Record<string, number> = {};

beforeAll(async () => {
  f = await setupAssociation();
  svc = {
    ...(await import("../../app/features/projects/allocation.server")),
    ...(await import("../../app/features/projects/commands.server")),
    ...(await import("../../app/features/projects/participants.server")),
    ...(await import("../../app/features/projects/queries.server")),
    ...(await import("../../app/features/projects/shares.server")),
  };
  // A: per capita, three municipalities, budgets 2025 and 2026.
  ids.A = await createProject(f, { code: "A-PC", allocationKey: "per_capita", status: "open" });
  await setBudget(f, ids.A, 2025, "1000000.00");
  await setBudget(f, ids.A, 2026, "1200000.00");
  for (const code of ["1480", "1481", "1438"]) await addParticipant(f, ids.A, f.member[code]);
  // B: per capita with the organisation that has no population figure.
  ids.B = await createProject(f, { code: "B-PC", allocationKey: "per_capita", status: "open" });
  await setBudget(f, ids.B, 2025, "5000.00");
  await addParticipant(f, ids.B, f.member["1438"]);
  await addParticipant(f, ids.B, f.member["0127"]);
  await addParticipant(f, ids.B, f.member.SKR);
  // C: a budget and nobody to share it.
  ids.C = await createProject(f, { code: "C-EQ", allocationKey: "equal" });
  await setBudget(f, ids.C, 2025, "300.00");
  // D: participants but no budget for 2025.
  ids.D = await createProject(f, { code: "D-EQ", allocationKey: "equal" });
  await setBudget(f, ids.D, 2024, "300.00");
  await addParticipant(f, ids.D, f.member["1438"], "2023-01-01");
  // E: fixed weights, closed: the 2025 budget is still shared.
  ids.E = await createProject(f, { code: "E-FX", allocationKey: "fixed", status: "closed" });
  await setBudget(f, ids.E, 2025, "100.00");
  await addParticipant(f, ids.E, f.member["0182"], "2024-01-01", 2);
  await addParticipant(f, ids.E, f.member["1438"], "2024-01-01", 1);
});
afterAll(async () => {
  await f?.server.stop();
});

describe("projectSharesForYear", () => {
  it("allocates every project with a budget for the year and names every problem", () => {
    const { shares, projects, problems } = svc.projectSharesForYear(2025);
    expect(projects.map((p) => p.code).sort()).toEqual(["A-PC", "B-PC", "C-EQ", "E-FX"]);

    const a = shares.filter((s) => s.projectId === ids.A);
    expect(a.map((s) => [s.memberId, s.share])).toEqual(
      [
        [f.member["1480"], 88_901_622],
        [f.member["1481"], 10_425_988],
        [f.member["1438"], 672_390],
      ].sort((x, y) => x[0] - y[0]),
    );
    expect(a.reduce((sum, s) => sum + s.share, 0)).toBe(100_000_000);
    const goteborg = a.find((s) => s.memberId === f.member["1480"])!;
    expect(goteborg.basis).toEqual({
      projectCode: "A-PC",
      projectName: "Projekt A-PC",
      year: 2025,
      allocationKey: "per_capita",
      basePercent: null,
      budget: 100_000_000,
      participantCount: 3,
      population: 608_993,
      populationYear: 2024,
      totalPopulation: 608_993 + 71_420 + 4_606,
      weight: null,
      totalWeight: null,
    });
    expect(goteborg.populationFallback).toBe(false);
    expect(goteborg.memberName).toBe("Göteborg kommun");

    const e = shares.filter((s) => s.projectId === ids.E);
    expect(Object.fromEntries(e.map((s) => [s.memberId, s.share]))).toEqual({
      [f.member["0182"]]: 6_667,
      [f.member["1438"]]: 3_333,
    });
    expect(e[0].basis.totalWeight).toBe("3");

    // B cannot be allocated: no shares at all, and the problems say who to fix.
    expect(shares.filter((s) => s.projectId === ids.B)).toEqual([]);
    const b = problems.filter((p) => p.projectId === ids.B);
    expect(b[0]).toEqual({
      projectId: ids.B,
      memberId: f.member.SKR,
      message:
        "B-PC 2025: Sveriges Kommuner och Regioner saknar invånarantal för 2024 eller tidigare (befolkningsunderlaget för fördelningen 2025)",
    });
    expect(b[1]).toMatchObject({ memberId: null, message: expect.stringContaining("2 andra deltagare väntar") });
    expect(problems.filter((p) => p.projectId === ids.C)).toEqual([
      { projectId: ids.C, memberId: null, message: "C-EQ 2025: Projektet har inga deltagare att fördela budgeten på" },
    ]);
    expect(problems.every((p) => p.projectId !== ids.A && p.projectId !== ids.E)).toBe(true);
  });

  it("reports the fallback year when Y−1 is missing", () => {
    const { shares } = svc.projectSharesForYear(2026);
    const a = shares.filter((s) => s.projectId === ids.A);
    expect(a).toHaveLength(3);
    expect(a.every((s) => s.populationFallback && s.basis.populationYear === 2024)).toBe(true);
    expect(a.reduce((sum, s) => sum + s.share, 0)).toBe(120_000_000);
  });

  it("a year without budgets gives nothing", () => {
    expect(svc.projectSharesForYear(2030)).toEqual({ shares: [], projects: [], problems: [] });
  });
});

describe("memberProjectShares", () => {
  it("lists Dals-Ed's share per project and year, newest first, with the reason where there is none", () => {
    const rows = svc.memberProjectShares(f.member["1438"]);
    expect(rows.map((r) => [r.code, r.year, r.share, r.error ?? null])).toEqual([
      ["A-PC", 2026, 806_868, null],
      ["A-PC", 2025, 672_390, null],
      ["B-PC", 2025, null, expect.stringContaining("Sveriges Kommuner och Regioner saknar invånarantal")],
      ["E-FX", 2025, 3_333, null],
      ["D-EQ", 2024, 30_000, null],
    ]);
    const a2026 = rows[0];
    expect(a2026).toMatchObject({
      key: "per_capita",
      budget: 120_000_000,
      population: 4_606,
      populationYear: 2024,
      populationFallback: true,
    });
    expect(rows.find((r) => r.code === "E-FX")).toMatchObject({ key: "fixed", weight: "1" });
  });

  it("is empty for a member in no project", () => {
    expect(svc.memberProjectShares(f.member["1444"])).toEqual([]);
  });
});

describe("the allocation as CSV", () => {
  it("is UTF-8 with BOM, semicolon-separated with decimal commas, with a header, a row per participant and a sum row", async () => {
    const res = await f.page.member.get(`/projects/${ids.A}/allocation.csv?year=2025`);
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
    const fallback = await (await f.page.admin.get(`/projects/${ids.A}/allocation.csv?year=2026`)).text();
    expect(fallback).toContain("A-PC;2026;Dals-Ed kommun;1438;4606;2024;ja;;8068,68;0,67");
    const fixed = await (await f.page.admin.get(`/projects/${ids.E}/allocation.csv?year=2025`)).text();
    expect(fixed).toContain("E-FX;2025;Nacka kommun;0182;;;;2;66,67;66,67");
    expect(fixed).toContain("E-FX;2025;Summa;;;;;3;100,00;100,00");
  });

  it("answers 404 for a year without a budget", async () => {
    expect((await f.page.admin.get(`/projects/${ids.D}/allocation.csv?year=2025`)).status).toBe(404);
  });
});

describe("the allocation page", () => {
  it("draws the shares as an accessible SVG with a label per bar, next to the table with the sum", async () => {
    const page = await html(await f.page.member.get(`/projects/${ids.A}/allocation?year=2025`));
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
    const page = await html(await f.page.admin.get(`/projects/${ids.B}/allocation?year=2025`));
    expect(page).not.toContain('role="img"');
    expect(page).toContain("Sveriges Kommuner och Regioner saknar invånarantal för 2024 eller tidigare");
  });

  it("the board's overview shows projects × years with budget, participants and their population", async () => {
    const page = await html(await f.page.admin.get("/projects"));
    expect(page).toContain(`href="/projects/${ids.A}/allocation?year=2026"`);
    expect(page).toContain("1 200 000,00 kr");
    expect(page).toContain("3 deltagare · 685 019 inv.");
    expect(page).toContain("1 saknar invånarantal");
  });
});

describe("projectSharesForYear at scale", () => {
  it("allocates 2 000 members × 25 projects in one pass, every project adding up to its budget", () => {
    const sqlite = f.sqlite();
    const M = 2_000;
    const P = 25;
    const keys = ["per_capita", "equal", "fixed", "base_plus_per_capita"];
    const budgets = new Map<number, number>();
    sqlite.transaction(() => {
      const member = sqlite.prepare(
        "INSERT INTO members (kind, name, org_number, joined_on) VALUES ('organisation', ?, ?, '2030-01-01')",
      );
      const population = sqlite.prepare("INSERT INTO populations (member_id, year, population) VALUES (?, 2039, ?)");
      const ids: number[] = [];
      for (let i = 0; i < M; i++) {
        const id = Number(member.run(`Skalmedlem ${i}`, `SCALE-${i}`).lastInsertRowid);
        ids.push(id);
        population.run(id, 500 + ((i * 7919) % 300_000));
      }
      const project = sqlite.prepare(
        "INSERT INTO projects (code, name, allocation_key, base_percent) VALUES (?, ?, ?, ?)",
      );
      const budget = sqlite.prepare("INSERT INTO project_budgets (project_id, year, amount_ore) VALUES (?, 2040, ?)");
      const participant = sqlite.prepare(
        "INSERT INTO project_participants (project_id, member_id, joined_on, weight) VALUES (?, ?, '2039-06-01', ?)",
      );
      for (let p = 0; p < P; p++) {
        const key = keys[p % keys.length];
        const id = Number(
          project.run(`S-${p}`, `Skalprojekt ${p}`, key, key === "base_plus_per_capita" ? "12.5" : null)
            .lastInsertRowid,
        );
        const amount = 100_000_000 + p * 9_973;
        budget.run(id, amount);
        budgets.set(id, amount);
        // Descending ids, so nothing relies on the order rows were written in.
        for (const memberId of [...ids].reverse())
          participant.run(id, memberId, key === "fixed" ? `${1 + (memberId % 9)}.25` : null);
      }
    })();

    const started = performance.now();
    const { shares, problems, projects } = svc.projectSharesForYear(2040);
    const elapsed = performance.now() - started;
    expect(problems).toEqual([]);
    expect(projects).toHaveLength(P);
    expect(shares).toHaveLength(M * P);
    const sums = new Map<number, number>();
    for (const s of shares) sums.set(s.projectId, (sums.get(s.projectId) ?? 0) + s.share);
    expect(sums).toEqual(budgets);
    // Members come in id order within each project, and the fixed key got each member's own weight.
    const fixed = shares.filter((s) => s.basis.allocationKey === "fixed");
    expect(
      fixed.every((s, i) => i === 0 || fixed[i - 1].projectId !== s.projectId || fixed[i - 1].memberId < s.memberId),
    ).toBe(true);
    expect(fixed.every((s) => s.basis.weight === `${1 + (s.memberId % 9)}.25`)).toBe(true);
    expect(elapsed).toBeLessThan(3_000);
  });
});
