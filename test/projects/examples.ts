import type { Association, ProjectSpec } from "../support/association";

/*
 * Projects that more than one test file builds (through test/support/association.ts), so that the in-process
 * tests and the HTTP tests look at the same numbers.
 */

/** A: per capita, three municipalities, budgets 2025 and 2026. B: per capita with the organisation that has no
 * population figure. C: a budget and nobody to share it. D: participants but no budget for 2025. E: fixed
 * weights, closed: the 2025 budget is still shared. */
export const SHARE_PROJECTS: ProjectSpec[] = [
  {
    code: "A-PC",
    allocationKey: "per_capita",
    status: "open",
    budgets: { 2025: "1000000.00", 2026: "1200000.00" },
    participants: [{ member: "1480" }, { member: "1481" }, { member: "1438" }],
  },
  {
    code: "B-PC",
    allocationKey: "per_capita",
    status: "open",
    budgets: { 2025: "5000.00" },
    participants: [{ member: "1438" }, { member: "0127" }, { member: "SKR" }],
  },
  { code: "C-EQ", allocationKey: "equal", budgets: { 2025: "300.00" } },
  {
    code: "D-EQ",
    allocationKey: "equal",
    budgets: { 2024: "300.00" },
    participants: [{ member: "1438", joinedOn: "2023-01-01" }],
  },
  {
    code: "E-FX",
    allocationKey: "fixed",
    status: "closed",
    budgets: { 2025: "100.00" },
    participants: [
      { member: "0182", weight: 2 },
      { member: "1438", weight: 1 },
    ],
  },
];

/** The ids of SHARE_PROJECTS by their letter (A … E). */
export function shareProjectIds(a: Association): Record<"A" | "B" | "C" | "D" | "E", number> {
  const id = (code: string) => a.project[code];
  return { A: id("A-PC"), B: id("B-PC"), C: id("C-EQ"), D: id("D-EQ"), E: id("E-FX") };
}
