import { formatInteger, formatSek } from "../../billing/money";
import { escapeHtml } from "~/lib/html";
import { bracketLabel, kindLabel, statusLabel } from "~/lib/i18n";

/** One row of the member list as the page shows it. */
export interface MemberRowView {
  id: number;
  name: string;
  kind: "municipality" | "organisation";
  code: string | null;
  orgNumber: string;
  status: "active" | "resigned";
  activeInYear: boolean;
  population: { population: number; year: number; fallback: boolean } | null;
  bracket: string | null;
  annualFee: number | null;
  override: string | null;
  problem: string | null;
}

/**
 * The member list's rows as HTML, one string (docs/ui.md#large-tables): the markup React rendered for them, made
 * without an element per cell, since this 290-row table was most of the page's time under load.
 */
export function memberRowsHtml(rows: readonly MemberRowView[], year: number): string {
  if (rows.length === 0) return `<tr><td colSpan="7" class="muted">Inga medlemmar matchar sökningen.</td></tr>`;
  let html = "";
  for (const r of rows) {
    const badge = r.kind === "organisation" ? `<span class="badge">${escapeHtml(kindLabel.organisation)}</span>` : "";
    const population = r.population
      ? `${formatInteger(r.population.population)}${r.population.fallback ? ` (${r.population.year})*` : ""}`
      : "–";
    const bracket = r.bracket
      ? escapeHtml(bracketLabel[r.bracket] ?? r.bracket)
      : `<span class="badge badge-bad">${escapeHtml(r.problem ?? "")}</span>`;
    const override = r.override ? `<div class="muted small">${escapeHtml(`Styrelsebeslut: ${r.override}`)}</div>` : "";
    const fee = r.annualFee === null ? "–" : r.activeInYear ? formatSek(r.annualFee) : "ej medlem";
    const status =
      r.status === "active"
        ? escapeHtml(statusLabel.active)
        : `<span class="badge">${escapeHtml(statusLabel.resigned)}</span>`;
    html +=
      `<tr><td><a href="/members/${r.id}?year=${year}">${escapeHtml(r.name)}</a>${badge}</td>` +
      `<td>${escapeHtml(r.code ?? "–")}</td><td class="nowrap">${escapeHtml(r.orgNumber)}</td>` +
      `<td class="num">${escapeHtml(population)}</td><td>${bracket}${override}</td>` +
      `<td class="num">${escapeHtml(fee)}</td><td>${status}</td></tr>`;
  }
  return html;
}
