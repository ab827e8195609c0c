import { createElement as h, Fragment, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { formatInteger, formatSek } from "../../billing/money";
import {
  allocationRowsHtml,
  type AllocationColumns,
  type AllocationRowView,
} from "../../app/components/allocation-rows";

/*
 * The allocation page's rows are one string of HTML (docs/ui.md#large-tables): the markup React made of them before,
 * cell for cell (names as plain links), under every key's columns, with the viewer's own row marked and hostile
 * names escaped.
 */

const sv = (decimal: string) => decimal.replace(".", ",");

/** The rows as the page's JSX rendered them (app/routes/projects.$id.allocation.tsx), with a plain link. */
function reactRows(rows: AllocationRowView[], c: AllocationColumns): ReactNode {
  return rows.map((r) => {
    const own = r.memberId === c.ownMemberId;
    return h(
      "tr",
      { key: r.memberId, style: own ? { background: "#fff8e6" } : undefined },
      h(
        "th",
        { scope: "row", style: { background: "none", fontSize: "inherit", fontWeight: own ? 600 : 400 } },
        h("a", { href: `/members/${r.memberId}` }, r.memberName),
        own ? h("span", { className: "muted small" }, " (ni)") : null,
      ),
      h("td", null, r.municipalityCode ?? h("span", { className: "muted" }, "–")),
      c.byPopulation
        ? h(
            "td",
            { className: "num" },
            r.basis
              ? h(
                  Fragment,
                  null,
                  `${formatInteger(r.basis.population)} (${r.basis.year})`,
                  r.basis.fallback
                    ? h(
                        Fragment,
                        null,
                        " ",
                        h("span", { className: "badge badge-warn" }, `äldre uppgift: ${c.year - 1} saknas*`),
                      )
                    : null,
                )
              : h("span", { className: "badge badge-bad" }, "saknas"),
          )
        : null,
      c.fixed
        ? h("td", { className: "num" }, r.weight ? sv(r.weight) : h("span", { className: "badge badge-bad" }, "saknas"))
        : null,
      c.hasParts
        ? h(
            Fragment,
            null,
            h("td", { className: "num" }, formatSek(r.basePart ?? 0)),
            h("td", { className: "num" }, formatSek(r.perCapitaPart ?? 0)),
          )
        : null,
      h("td", { className: "num" }, r.share === null ? h("span", { className: "muted" }, "–") : formatSek(r.share)),
      h("td", { className: "num" }, r.percent === null ? h("span", { className: "muted" }, "–") : `${sv(r.percent)} %`),
    );
  });
}

const base: AllocationRowView = {
  memberId: 1,
  memberName: "Ale kommun",
  municipalityCode: "1440",
  basis: { population: 31_922, year: 2025, fallback: false },
  weight: "33.5",
  share: 1_234_567,
  basePart: 100_000,
  perCapitaPart: 1_134_567,
  percent: "12.35",
};
const rows: AllocationRowView[] = [
  base,
  { ...base, memberId: 2, memberName: `<b>"Öckerö" & 'co'</b>`, municipalityCode: null },
  { ...base, memberId: 3, basis: { population: 4_606, year: 2023, fallback: true } },
  { ...base, memberId: 4, basis: null, weight: null, share: null, percent: null, basePart: null, perCapitaPart: null },
];

describe("the allocation page's rows as HTML", () => {
  test.each([
    { byPopulation: true, fixed: false, hasParts: false, ownMemberId: null },
    { byPopulation: false, fixed: true, hasParts: false, ownMemberId: 3 },
    { byPopulation: true, fixed: false, hasParts: true, ownMemberId: 2 },
    { byPopulation: false, fixed: false, hasParts: false, ownMemberId: 4 },
  ])("are the markup React made of them: %o", (columns) => {
    const c = { year: 2026, ...columns };
    expect(allocationRowsHtml(rows, c)).toBe(renderToStaticMarkup(h("tbody", null, reactRows(rows, c))).slice(7, -8));
  });

  test("nothing from the data reaches the page unescaped", () => {
    const html = allocationRowsHtml(rows, {
      year: 2026,
      byPopulation: true,
      fixed: true,
      hasParts: true,
      ownMemberId: null,
    });
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;b&gt;&quot;Öckerö&quot; &amp; &#x27;co&#x27;&lt;/b&gt;");
  });
});
