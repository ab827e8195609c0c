import { oreToDecimalString } from "../../../billing/money";
import { AGING_BUCKETS, type Receivable } from "../../../billing/receivables";
import { receivables } from "./queries.server";

/** Receivables as the API shows them (docs/receivables.md): amounts as two-decimal strings. */

const money = (r: Receivable) => ({
  invoiced: oreToDecimalString(r.invoiced),
  paid: oreToDecimalString(r.paid),
  credited: oreToDecimalString(r.credited),
  open: oreToDecimalString(r.open),
  overdue: oreToDecimalString(r.overdue),
  aging: Object.fromEntries(AGING_BUCKETS.map((b) => [b, oreToDecimalString(r.aging[b])])),
});

export function receivablesJson(r: ReturnType<typeof receivables>) {
  return {
    date: r.date,
    members: r.members.map((m) => ({ memberId: m.memberId, name: m.name, ...money(m) })),
    totals: money(r.totals),
  };
}
