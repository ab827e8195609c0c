import { formatInteger, formatSek } from "../../billing/money";
import { escapeHtml } from "~/lib/html";

/** One participant's row of the allocation page. */
export interface AllocationRowView {
  memberId: number;
  memberName: string;
  municipalityCode: string | null;
  basis: { population: number; year: number; fallback: boolean } | null;
  weight: string | null;
  share: number | null;
  basePart: number | null;
  perCapitaPart: number | null;
  percent: string | null;
}

export interface AllocationColumns {
  year: number;
  byPopulation: boolean;
  fixed: boolean;
  hasParts: boolean;
  /** The viewing member's own row is marked (member users). */
  ownMemberId: number | null;
}

const sv = (decimal: string) => decimal.replace(".", ",");
const MISSING = `<span class="badge badge-bad">saknas</span>`;
const NONE = `<span class="muted">–</span>`;

/**
 * The allocation table's rows as HTML, one string (docs/ui.md#large-tables): the markup React made of them, without
 * an element per cell (a project of 290 participants). The member names are plain links.
 */
export function allocationRowsHtml(rows: readonly AllocationRowView[], c: AllocationColumns): string {
  let html = "";
  for (const r of rows) {
    const own = r.memberId === c.ownMemberId;
    html +=
      (own ? `<tr style="background:#fff8e6">` : "<tr>") +
      `<th scope="row" style="background:none;font-size:inherit;font-weight:${own ? 600 : 400}">` +
      `<a href="/members/${r.memberId}">${escapeHtml(r.memberName)}</a>` +
      (own ? `<span class="muted small"> (ni)</span>` : "") +
      `</th><td>${r.municipalityCode === null ? NONE : escapeHtml(r.municipalityCode)}</td>`;
    if (c.byPopulation) {
      html += `<td class="num">`;
      if (r.basis) {
        html += escapeHtml(`${formatInteger(r.basis.population)} (${r.basis.year})`);
        if (r.basis.fallback)
          html += ` <span class="badge badge-warn">${escapeHtml(`äldre uppgift: ${c.year - 1} saknas*`)}</span>`;
      } else html += MISSING;
      html += "</td>";
    }
    if (c.fixed) html += `<td class="num">${r.weight ? escapeHtml(sv(r.weight)) : MISSING}</td>`;
    if (c.hasParts)
      html += `<td class="num">${formatSek(r.basePart ?? 0)}</td><td class="num">${formatSek(r.perCapitaPart ?? 0)}</td>`;
    html += `<td class="num">${r.share === null ? NONE : formatSek(r.share)}</td>`;
    html += `<td class="num">${r.percent === null ? NONE : escapeHtml(`${sv(r.percent)} %`)}</td></tr>`;
  }
  return html;
}
