import { writeCsv, type CsvCell, type CsvSeparator } from "../../../billing/csv";
import { sumOre } from "../../../billing/money";
import { percentOf } from "../../../billing/project-year";
import type { Scope } from "../../../db/scope";
import { sortByName } from "./json.server";
import { ProjectYearAllocation } from "./allocation.server";
import { can } from "../../../billing/policy";

/**
 * Who may download a project-year's split (docs/csv-exports.md): the treasurer and the board always; a member
 * user only for a year its member takes part in, where the split is the basis of its own invoice. The project
 * list stays open to everyone; the file of every member's share is not handed to every member.
 */
export function maySeeAllocationCsv(scope: Scope, allocation: ProjectYearAllocation): boolean {
  const participantIds = allocation.rows.filter((r) => !r.hypothetical).map((r) => r.memberId);
  return can(scope, "allocation.file.read", { participantIds });
}

export function allocationCsv(a: ProjectYearAllocation, separator: CsvSeparator): string {
  if (a.budget === null || !a.ok) throw new Error("allocationCsv needs a successful allocation");
  const budget = a.budget;
  const percent = (share: number): CsvCell => {
    const p = percentOf(share, budget);
    return p === null ? null : { decimal: p };
  };
  const rows: CsvCell[][] = sortByName(a.rows).map((r) => [
    a.project.code,
    { integer: a.year },
    r.memberName,
    r.municipalityCode ?? "",
    r.basis ? { integer: r.basis.population } : null,
    r.basis ? { integer: r.basis.year } : null,
    r.basis ? (r.basis.fallback ? "ja" : "nej") : "",
    r.weight === null ? null : { decimal: r.weight },
    { ore: r.share! },
    percent(r.share!),
  ]);
  const total = sumOre(a.rows.map((r) => r.share!));
  rows.push([
    a.project.code,
    { integer: a.year },
    "Summa",
    "",
    a.totalPopulation === null ? null : { integer: a.totalPopulation },
    null,
    "",
    a.totalWeight === null ? null : { decimal: a.totalWeight },
    { ore: total },
    budget === 0 ? null : { decimal: "100.00" },
  ]);
  const header = [
    "Projekt",
    "År",
    "Medlem",
    "Kommunkod",
    "Invånarantal",
    "Invånarår",
    "Äldre invånaruppgift",
    "Vikt",
    "Andel (kr)",
    "Andel (%)",
  ];
  return writeCsv(header, rows, separator);
}
