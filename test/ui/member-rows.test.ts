import { createElement as h, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { formatInteger, formatSek } from "../../billing/money";
import { memberRowsHtml, type MemberRowView } from "../../app/components/member-rows";
import { bracketLabel, kindLabel, statusLabel } from "../../app/lib/i18n";

/*
 * The member list's rows are one string of HTML (docs/ui.md#large-tables). They must be the markup React made of
 * the rows before, cell for cell, with everything from the data escaped as React escapes it: the rows below go
 * through every branch of a row, with hostile names among them.
 */

/** The rows as the page's JSX rendered them (app/routes/members._index.tsx before the string). */
function reactRows(rows: MemberRowView[], year: number): ReactNode {
  if (rows.length === 0)
    return h("tr", null, h("td", { colSpan: 7, className: "muted" }, "Inga medlemmar matchar sökningen."));
  return rows.map((r) =>
    h(
      "tr",
      { key: r.id },
      h(
        "td",
        null,
        h("a", { href: `/members/${r.id}?year=${year}` }, r.name),
        r.kind === "organisation" ? h("span", { className: "badge" }, kindLabel.organisation) : null,
      ),
      h("td", null, r.code ?? "–"),
      h("td", { className: "nowrap" }, r.orgNumber),
      h(
        "td",
        { className: "num" },
        r.population
          ? `${formatInteger(r.population.population)}${r.population.fallback ? ` (${r.population.year})*` : ""}`
          : "–",
      ),
      h(
        "td",
        null,
        r.bracket ? (bracketLabel[r.bracket] ?? r.bracket) : h("span", { className: "badge badge-bad" }, r.problem),
        r.override ? h("div", { className: "muted small" }, `Styrelsebeslut: ${r.override}`) : null,
      ),
      h("td", { className: "num" }, r.annualFee === null ? "–" : r.activeInYear ? formatSek(r.annualFee) : "ej medlem"),
      h(
        "td",
        null,
        r.status === "active" ? statusLabel.active : h("span", { className: "badge" }, statusLabel.resigned),
      ),
    ),
  );
}

const base: MemberRowView = {
  id: 1,
  name: "Ale kommun",
  kind: "municipality",
  code: "1440",
  orgNumber: "212000-1512",
  status: "active",
  activeInYear: true,
  population: { population: 31_922, year: 2025, fallback: false },
  bracket: "medium",
  annualFee: 1_600_000,
  override: null,
  problem: null,
};

const rows: MemberRowView[] = [
  base,
  { ...base, id: 2, name: `<script>alert("x")</script> & 'co'`, kind: "organisation", code: null },
  { ...base, id: 3, population: { population: 4_606, year: 2023, fallback: true }, bracket: "small" },
  {
    ...base,
    id: 4,
    population: null,
    bracket: null,
    annualFee: null,
    problem: `Invånarantal saknas för 2025 <"igen">`,
  },
  { ...base, id: 5, bracket: "override", override: `Beslut 2026-01-10 "halv" <avgift> & mer`, annualFee: 800_050 },
  { ...base, id: 6, status: "resigned", activeInYear: false },
  { ...base, id: 7, bracket: "egen_klass", orgNumber: "<212000-0000>" },
  { ...base, id: 8, annualFee: 0 },
];

describe("the member list's rows as HTML", () => {
  test("are the markup React made of them, every branch and hostile text included", () => {
    expect(memberRowsHtml(rows, 2026)).toBe(renderToStaticMarkup(h("tbody", null, reactRows(rows, 2026))).slice(7, -8));
  });

  test("an empty list says so in one row", () => {
    expect(memberRowsHtml([], 2026)).toBe(renderToStaticMarkup(h("tbody", null, reactRows([], 2026))).slice(7, -8));
  });

  test("nothing from the data reaches the page unescaped", () => {
    const html = memberRowsHtml(rows, 2026);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;");
  });
});
